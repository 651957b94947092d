"""Celery side of the webhooks: a thin delivery task, its enqueue, and the sweep.

The task loads the delivery by id, makes one attempt (:func:`ingest.webhooks.attempt_delivery`
decides what the answer means and records it), and schedules the next attempt with the
backoff the attempt returned. The database holds the count, so a lost task loses nothing:
:func:`sweep` re-enqueues pending deliveries whose next attempt is overdue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from celery import Celery, shared_task
from sqlalchemy.orm import Session, sessionmaker

from ingest import webhooks
from ingest.celery_app import QUEUE

log = logging.getLogger(__name__)

TASK_DELIVER_WEBHOOK = "motcua.deliver_webhook"
OVERDUE_S = 120
"""A pending delivery this late is presumed lost (worker crash) and sent again."""


def enqueue_delivery(app: Celery, delivery_id: str, *, countdown: float | None = None) -> None:
    app.send_task(
        TASK_DELIVER_WEBHOOK,
        args=[delivery_id],
        queue=QUEUE,
        countdown=countdown,
        retry=True,
        retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
    )


_settings: webhooks.WebhookSettings | None = None


def _webhook_settings() -> webhooks.WebhookSettings:
    global _settings
    if _settings is None:
        _settings = webhooks.WebhookSettings()
    return _settings


@shared_task(bind=True, name=TASK_DELIVER_WEBHOOK, acks_late=True, max_retries=None)
def deliver_webhook(self: Any, delivery_id: str) -> str:
    from ingest.tasks import runtime

    rt = runtime(self.app)
    with rt.sessions() as session:
        outcome = webhooks.attempt_delivery(session, delivery_id, settings=_webhook_settings())
    if outcome.retry_in_s is not None:
        raise self.retry(countdown=outcome.retry_in_s)
    return outcome.status


def sweep(
    sessions: sessionmaker[Session],
    enqueue: Callable[[str], None],
    *,
    now: datetime | None = None,
) -> int:
    """Re-enqueue pending deliveries overdue by more than :data:`OVERDUE_S`."""
    at = now or datetime.now(UTC)
    with sessions() as session:
        ids = webhooks.due_deliveries(session, now=at - timedelta(seconds=OVERDUE_S))
    sent = 0
    for delivery_id in ids:
        try:
            enqueue(delivery_id)
            sent += 1
        except Exception:  # noqa: BLE001 - broker down: next sweep
            log.warning("cannot enqueue webhook %s", delivery_id, exc_info=True)
    if sent:
        log.info("sweeper: re-enqueued %d webhook deliveries", sent)
    return sent
