"""Real Celery worker processes on the real Redis broker and PostgreSQL.

The API runs in the test process (TestClient) and enqueues through Celery to Redis;
``motcua worker`` runs as a separate process, as in production.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from ingest_kit import Service
from sqlalchemy import func, select

from storage.db.models import AuditEvent, Document, FieldValue, Page

pytestmark = [pytest.mark.needs_services, pytest.mark.needs_tesseract, pytest.mark.slow]

API = "/api/v1"
REPO = Path(__file__).resolve().parents[2]


def _env(settings_env: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(settings_env)
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Workers:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(
        self, env: dict[str, str], *, pool: str = "solo", name: str = "w"
    ) -> subprocess.Popen:
        log = (self.tmp_path / f"worker-{name}-{len(self.procs)}.log").open("wb")
        cmd = [sys.executable, "-m", "ingest.cli", "worker", "--pool", pool, "--loglevel", "INFO"]
        if pool == "prefork":
            cmd += ["--concurrency", "1"]
        proc = subprocess.Popen(  # noqa: S603
            cmd,
            env=_env(env),
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def logs(self) -> str:
        return "\n".join(
            p.read_text(errors="replace")[-4000:]
            for p in sorted(self.tmp_path.glob("worker-*.log"))
        )

    def stop_all(self) -> None:
        for p in self.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    w = Workers(tmp_path)
    yield w
    w.stop_all()


def _service_env(tmp_path: Path, pg_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    env = {
        "MOTCUA_ENV": "test",
        "MOTCUA_DATA_DIR": str(tmp_path / "var"),
        "MOTCUA_DATABASE_URL": pg_url,
        "MOTCUA_BROKER_URL": redis_url,
        "MOTCUA_OBJECT_STORE_URL": f"file://{tmp_path / 'objects'}",
    }
    env.update(extra)
    return env


def _service(service_factory: Callable[..., Service], env: dict[str, str], monkeypatch) -> Service:
    """An API whose enqueue goes through Celery to the same broker as the workers."""
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    from ingest.celery_app import create_celery, enqueue_document
    from ingest.settings import Settings

    settings = Settings()
    celery = create_celery(settings)
    return service_factory(
        settings.database_url,
        enqueue=lambda doc_id: enqueue_document(celery, doc_id),
        broker_url=settings.broker_url,
        object_store_url=settings.object_store_url,
        broker_transport_options=settings.broker_transport_options,
    )


def _upload_scan(svc: Service, path: Path) -> tuple[str, str, str]:
    token = svc.token("field_agent", "ubnd-a")
    r = svc.client.post(f"{API}/dossiers", json={"procedure_code": "p"}, headers=svc.auth(token))
    dossier_id = r.json()["id"]
    r = svc.client.post(
        f"{API}/dossiers/{dossier_id}/documents",
        files=[("files", (path.name, path.read_bytes(), "image/tiff"))],
        headers=svc.auth(token),
    )
    assert r.status_code == 201, r.text
    return token, dossier_id, r.json()["documents"][0]["id"]


def _wait_for(
    svc: Service, document_id: str, statuses: set[str], timeout: float, workers: Workers
) -> str:
    deadline = time.monotonic() + timeout
    status = ""
    while time.monotonic() < deadline:
        with svc.runtime.sessions() as s:
            status = s.scalar(select(Document.status).where(Document.id == document_id)) or ""
        if status in statuses:
            return status
        time.sleep(0.5)
    pytest.fail(f"document still {status!r} after {timeout} s; worker logs:\n{workers.logs()}")


def test_uploaded_scan_reaches_awaiting_review(
    tmp_path, fresh_pg_url, redis_url, real_data, service_factory, workers, monkeypatch
) -> None:
    """GIVEN a real worker process on Redis and PostgreSQL WHEN a scan is uploaded through
    the API THEN the worker OCRs it and the dossier awaits review, with the text read."""
    env = _service_env(tmp_path, fresh_pg_url, redis_url)
    svc = _service(service_factory, env, monkeypatch)
    workers.start(env)
    token, dossier_id, doc_id = _upload_scan(svc, real_data / "tesseract-test" / "phototest.tif")
    _wait_for(svc, doc_id, {"awaiting_review", "failed"}, 120, workers)
    body = svc.client.get(f"{API}/dossiers/{dossier_id}", headers=svc.auth(token)).json()
    assert body["status"] == "awaiting_review", body
    entry = body["documents"][0]
    assert entry["status"] == "awaiting_review", entry.get("failure_reason")
    assert "quick brown" in entry["text"]
    assert svc.client.get(entry["links"]["pages"][0], headers=svc.auth(token)).status_code == 200


def test_worker_killed_mid_task_document_processed_exactly_once(
    tmp_path, fresh_pg_url, redis_url, real_data, service_factory, workers, monkeypatch
) -> None:
    """GIVEN a worker that claimed a document and is killed with SIGKILL mid-task
    (a test-only hook makes it sleep after claiming) WHEN a new worker starts THEN Redis
    redelivers the unacknowledged task, the new worker waits out the dead claim's lease
    and processes the document: one set of pages, one 'processed' event, two attempts."""
    transport = {
        "visibility_timeout": 4,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
    env = _service_env(
        tmp_path,
        fresh_pg_url,
        redis_url,
        MOTCUA_TASK_SOFT_TIME_LIMIT="8",
        MOTCUA_TASK_TIME_LIMIT="10",
        MOTCUA_LEASE_MARGIN_S="1",
        MOTCUA_BROKER_TRANSPORT_OPTIONS=json.dumps(transport),
    )
    svc = _service(service_factory, env, monkeypatch)
    doomed = workers.start(
        {**env, "MOTCUA_TEST_SLEEP_AFTER_CLAIM_S": "120"}, pool="prefork", name="doomed"
    )
    _, _, doc_id = _upload_scan(svc, real_data / "tesseract-test" / "phototest.tif")
    _wait_for(svc, doc_id, {"processing"}, 60, workers)
    os.killpg(doomed.pid, signal.SIGKILL)  # the main process and its pool child
    doomed.wait(timeout=10)
    with svc.runtime.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.status == "processing" and doc.attempts == 1

    workers.start(env, pool="prefork", name="rescuer")
    _wait_for(svc, doc_id, {"awaiting_review", "failed"}, 120, workers)

    with svc.runtime.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        assert doc.status == "awaiting_review", doc.failure_reason
        assert doc.attempts == 2
        pages = s.scalar(select(func.count()).select_from(Page).where(Page.document_id == doc_id))
        fields = s.scalar(
            select(func.count()).select_from(FieldValue).where(FieldValue.document_id == doc_id)
        )
        actions = s.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.document_id == doc_id)
            .order_by(AuditEvent.id)
        ).all()
    assert pages == 1
    store = svc.runtime.store
    result = json.loads(store.get_bytes(store.derived_bucket, doc.result_key or ""))
    assert fields == sum(len(d["fields"]) for d in result["documents"])
    assert actions.count("document.processed") == 1
    assert actions.count("document.claimed") == 2
    assert "document.failed" not in actions
    # Later duplicate deliveries (the restored message may arrive more than once) are no-ops.
    time.sleep(3)
    with svc.runtime.sessions() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.document_id == doc_id, AuditEvent.action == "document.processed")
            )
            == 1
        )


def test_soft_time_limit_in_a_real_worker_fails_the_document_with_a_reason(
    tmp_path, fresh_pg_url, redis_url, real_data, service_factory, workers, monkeypatch
) -> None:
    """GIVEN a prefork worker whose task runs past the soft time limit (test hook: it
    sleeps after claiming) THEN Celery interrupts it and the document is failed with a
    reason, not left hanging; the dossier still goes to review."""
    env = _service_env(
        tmp_path,
        fresh_pg_url,
        redis_url,
        MOTCUA_TASK_SOFT_TIME_LIMIT="2",
        MOTCUA_TASK_TIME_LIMIT="6",
        MOTCUA_TEST_SLEEP_AFTER_CLAIM_S="30",
    )
    svc = _service(service_factory, env, monkeypatch)
    workers.start(env, pool="prefork")
    token, dossier_id, doc_id = _upload_scan(svc, real_data / "tesseract-test" / "phototest.tif")
    _wait_for(svc, doc_id, {"failed", "awaiting_review"}, 60, workers)
    with svc.runtime.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.status == "failed"
        assert "longer than 2 s" in (doc.failure_reason or "")
    body = svc.client.get(f"{API}/dossiers/{dossier_id}", headers=svc.auth(token)).json()
    assert body["status"] == "awaiting_review"
    assert body["documents"][0]["failure_reason"] == doc.failure_reason
