"""The Celery application, built from settings.

``celery -A ingest.celery_app worker`` (or ``motcua worker``) builds it from the
environment; the API and tests build theirs with :func:`create_celery`.
"""

from __future__ import annotations

from typing import Any

from celery import Celery

from ingest.settings import Settings, load_settings

TASK_PROCESS_DOCUMENT = "motcua.process_document"
QUEUE = "motcua"


def create_celery(settings: Settings) -> Celery:
    app = Celery("motcua", broker=settings.broker, backend=settings.result_backend)
    filesystem = settings.broker.startswith("filesystem")
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_soft_time_limit=settings.task_soft_time_limit,
        task_time_limit=settings.task_time_limit,
        task_ignore_result=settings.result_backend is None,
        task_default_queue=QUEUE,
        task_routes={TASK_PROCESS_DOCUMENT: {"queue": QUEUE}},
        broker_transport_options=settings.broker_options,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=5,
        enable_utc=True,
        worker_hijack_root_logger=False,
        # The file-system broker has no fan-out exchange for remote control.
        worker_enable_remote_control=not filesystem,
        worker_send_task_events=False,
    )
    app.motcua_settings = settings  # type: ignore[attr-defined]
    app.conf.imports = ("ingest.tasks", "ingest.webhook_tasks")
    return app


def enqueue_document(app: Celery, document_id: str) -> None:
    """Send the processing task (ids only, JSON). Raises on broker failure."""
    app.send_task(
        TASK_PROCESS_DOCUMENT,
        args=[document_id],
        queue=QUEUE,
        retry=True,
        retry_policy={"max_retries": 2, "interval_start": 0.2, "interval_step": 0.5},
    )


_app: Celery | None = None


def __getattr__(name: str) -> Any:
    # ``celery -A ingest.celery_app`` looks up ``app``: built from the environment on demand.
    global _app
    if name in ("app", "celery"):
        if _app is None:
            _app = create_celery(load_settings())
        return _app
    raise AttributeError(name)
