"""Celery tasks: thin wrappers that load by id, call :mod:`ingest.processing`, decide retries."""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy.exc import OperationalError

from ingest import processing
from ingest.celery_app import TASK_PROCESS_DOCUMENT
from ingest.runtime import Runtime, build_runtime

log = logging.getLogger(__name__)

MAX_RETRIES = 100

_runtime: tuple[int, Runtime] | None = None


def runtime(app: Any) -> Runtime:
    """This process's runtime (built after fork, once per process)."""
    global _runtime
    pid = os.getpid()
    if _runtime is None or _runtime[0] != pid:
        _runtime = (pid, build_runtime(app.motcua_settings))
    return _runtime[1]


@shared_task(
    bind=True,
    name=TASK_PROCESS_DOCUMENT,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def process_document(self: Any, document_id: str) -> str:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    rt = runtime(self.app)
    try:
        result = processing.process_document(
            rt.sessions,
            rt.store,
            document_id,
            settings=rt.settings,
            timeout_exceptions=(SoftTimeLimitExceeded,),
        )
    except OperationalError as exc:
        # Database unreachable: nothing was changed; try again later (the sweeper
        # also re-enqueues whatever is left behind).
        countdown = min(300, 5 * 2 ** min(self.request.retries, 6))
        log.warning("document %s: database unavailable, retry in %d s", document_id, countdown)
        raise self.retry(exc=exc, countdown=countdown) from exc
    if result.retry_in is not None:
        if self.request.retries >= MAX_RETRIES:
            log.warning("document %s: giving up retries; the sweeper will pick it up", document_id)
            return result.outcome.value
        raise self.retry(countdown=result.retry_in)
    return result.outcome.value
