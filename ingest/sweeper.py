"""The sweeper: re-enqueues what a crash or a broker outage left behind.

An upload is acknowledged once its original is stored and its row committed; the
enqueue comes after. If the broker was down, or a worker died, the document waits in
``received`` (or ``processing`` with an expired lease) until the sweeper sends it
again. Duplicate deliveries are harmless: processing claims a document first.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from ingest import metrics
from storage.db.models import Document, utcnow
from storage.db.session import session_scope
from storage.db.status import Status

log = logging.getLogger(__name__)

Enqueue = Callable[[str], None]

NEVER_ENQUEUED_GRACE_S = 30.0
"""A document never enqueued is sent by the sweeper after this long (the API may still be
about to enqueue it)."""


@dataclass(frozen=True, slots=True)
class SweepReport:
    requeued: int
    failed_to_enqueue: int


def sweep(
    sessions: sessionmaker[Session],
    enqueue: Enqueue,
    *,
    received_after_s: float,
    limit: int = 500,
) -> SweepReport:
    now = utcnow()
    stale = now - timedelta(seconds=received_after_s)
    never_sent = now - timedelta(seconds=min(NEVER_ENQUEUED_GRACE_S, received_after_s))
    with session_scope(sessions) as s:
        rows = s.execute(
            select(Document.id, Document.status)
            .where(
                or_(
                    # The enqueue after the commit failed (broker down): send it soon.
                    and_(
                        Document.status == Status.RECEIVED,
                        Document.enqueued_at.is_(None),
                        Document.created_at < never_sent,
                    ),
                    # Sent long ago and still waiting: the message may have been lost.
                    and_(Document.status == Status.RECEIVED, Document.enqueued_at < stale),
                    and_(
                        Document.status == Status.PROCESSING,
                        Document.lease_expires_at < now,
                        or_(Document.enqueued_at.is_(None), Document.enqueued_at < stale),
                    ),
                )
            )
            .order_by(Document.created_at)
            .limit(limit)
        ).all()
    requeued = failed = 0
    for doc_id, status in rows:
        try:
            enqueue(doc_id)
        except Exception:  # noqa: BLE001 - broker down: try again next sweep
            failed += 1
            metrics.ENQUEUE_FAILURES.inc()
            log.warning("sweeper: cannot enqueue document %s", doc_id, exc_info=True)
            continue
        mark_enqueued(sessions, doc_id)
        requeued += 1
        metrics.SWEEPER_REQUEUED.labels(status=status).inc()
        log.info("sweeper: re-enqueued document %s (%s)", doc_id, status)
    return SweepReport(requeued=requeued, failed_to_enqueue=failed)


def mark_enqueued(sessions: sessionmaker[Session], document_id: str) -> None:
    with session_scope(sessions) as s:
        s.execute(
            update(Document)
            .where(Document.id == document_id)
            .values(enqueued_at=utcnow())
            .execution_options(synchronize_session=False)
        )


class SweeperThread(threading.Thread):
    """Runs :func:`sweep` every ``interval_s`` until stopped (used by ``motcua serve``)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        enqueue: Enqueue,
        *,
        interval_s: float,
        received_after_s: float,
        also: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(name="motcua-sweeper", daemon=True)
        self._sessions = sessions
        self._enqueue = enqueue
        self._interval = interval_s
        self._after = received_after_s
        self._also = also
        """Another sweep run at each interval (webhook deliveries left behind)."""
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self._interval):
            try:
                sweep(self._sessions, self._enqueue, received_after_s=self._after)
                if self._also is not None:
                    self._also()
            except Exception:  # noqa: BLE001 - keep sweeping; the next run may succeed
                log.warning("sweeper run failed", exc_info=True)

    def stop(self) -> None:
        self._stop_event.set()
