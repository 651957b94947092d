"""Signed webhooks: the signature, retries with backoff, and the delivery log."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import ValidationError

from ingest import review, webhooks
from ingest.webhooks import WebhookSettings
from storage.db.webhooks import WebhookDelivery

SECRET = "portal-shared-secret-0123456789"


def test_signature_is_hmac_sha256_over_timestamp_and_exact_body():
    body = '{"event":"dossier.verified","x":"Nguyễn"}'.encode()
    expected = hmac.new(SECRET.encode(), b"1700000000." + body, hashlib.sha256).hexdigest()
    assert webhooks.signature(SECRET, 1700000000, body) == "sha256=" + expected
    headers = webhooks.signed_headers(SECRET, body, event="e", delivery_id="d", now=1700000000)
    assert headers["X-Motcua-Signature"] == "sha256=" + expected
    assert headers["X-Motcua-Timestamp"] == "1700000000"
    assert webhooks.verify(SECRET, body, headers, now=1700000100)
    assert not webhooks.verify(SECRET, body + b" ", headers, now=1700000100)
    assert not webhooks.verify("another-secret-0123456789", body, headers, now=1700000100)
    assert not webhooks.verify(SECRET, body, headers, now=1700000000 + 3600)  # replayed
    assert not webhooks.verify(SECRET, body, {}, now=1700000000)


def test_backoff_doubles_and_is_capped():
    s = WebhookSettings(url="http://x", secret=SECRET, backoff_base_s=30, backoff_max_s=200)
    assert [webhooks.backoff_s(n, s) for n in (1, 2, 3, 4, 5)] == [30, 60, 120, 200, 200]


def test_settings_refuse_a_url_without_a_secret():
    with pytest.raises(ValidationError):
        WebhookSettings(url="http://portal/hook")
    with pytest.raises(ValidationError):
        WebhookSettings(url="http://portal/hook", secret="short")
    assert not WebhookSettings().enabled


def _approved_dossier(sessions, new_dossier, new_principal, settings):
    _, clerk = new_principal(name="Lê Thị Hoa", role="clerk", office="o1")
    dossier_id = new_dossier(office="o1", external_ref="PORTAL-2026-0001")
    with sessions() as s:
        review.claim(s, clerk, dossier_id, lease_s=600)
        _, delivery = review.approve(s, clerk, dossier_id, lease_s=600, webhooks=settings)
        s.commit()
    return dossier_id, delivery.id


def test_delivery_retries_with_backoff_until_the_portal_answers(
    sessions, new_dossier, new_principal, webhook_receiver
):
    """GIVEN a portal that answers 500 twice, then 200
    WHEN the delivery is attempted three times
    THEN the first two attempts schedule retries after 30 s then 60 s, the third
    delivers; every attempt is logged and every POST carries the same signed body.
    """
    webhook_receiver.script[:] = [500, 500, 200]
    settings = WebhookSettings(url=webhook_receiver.url, secret=SECRET, backoff_base_s=30)
    dossier_id, delivery_id = _approved_dossier(sessions, new_dossier, new_principal, settings)
    at = datetime.now(UTC)
    outcomes = []
    with httpx.Client(timeout=5) as client:
        for _ in range(3):
            with sessions() as s:
                outcome = webhooks.attempt_delivery(
                    s, delivery_id, settings=settings, client=client, now=lambda at=at: at
                )
            outcomes.append(outcome)
            at += timedelta(seconds=outcome.retry_in_s or 0)
    assert [(o.status, o.status_code, o.retry_in_s) for o in outcomes] == [
        ("pending", 500, 30),
        ("pending", 500, 60),
        ("delivered", 200, None),
    ]
    assert len(webhook_receiver.received) == 3
    bodies = {r.body for r in webhook_receiver.received}
    assert len(bodies) == 1
    for r in webhook_receiver.received:
        assert webhooks.verify(SECRET, r.body, r.headers)
        assert r.headers["X-Motcua-Delivery"] == delivery_id
        assert r.headers["X-Motcua-Event"] == "dossier.verified"
    payload = json.loads(bodies.pop())
    assert payload["dossier"] == {
        "id": dossier_id,
        "external_ref": "PORTAL-2026-0001",
        "office": "o1",
        "procedure_code": "1.001",
        "status": "verified",
        "reason": None,
    }
    assert payload["verified_fields_url"] == f"/api/v1/dossiers/{dossier_id}/verified"

    with sessions() as s:
        log = webhooks.delivery_log(s, dossier_id)
        # A redelivered task does nothing twice.
        again = webhooks.attempt_delivery(s, delivery_id, settings=settings)
    assert again.status == "delivered" and len(webhook_receiver.received) == 3
    assert len(log) == 1
    entry = log[0]
    assert entry["status"] == "delivered" and entry["attempts"] == 3
    assert [a["status_code"] for a in entry["log"]] == [500, 500, 200]
    assert [a["error"] for a in entry["log"]] == ["HTTP 500", "HTTP 500", None]


def test_delivery_gives_up_after_max_attempts_and_logs_network_errors(
    sessions, new_dossier, new_principal
):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    settings = WebhookSettings(
        url=f"http://127.0.0.1:{dead_port}/hook", secret=SECRET, max_attempts=2, timeout_s=2
    )
    dossier_id, delivery_id = _approved_dossier(sessions, new_dossier, new_principal, settings)
    with sessions() as s:
        assert webhooks.due_deliveries(s) == [delivery_id]
        first = webhooks.attempt_delivery(s, delivery_id, settings=settings)
        assert webhooks.due_deliveries(s) == []  # not before its backoff
        early = webhooks.attempt_delivery(s, delivery_id, settings=settings)
        later = datetime.now(UTC) + timedelta(minutes=5)
        due_later = webhooks.due_deliveries(s, now=later)
        second = webhooks.attempt_delivery(s, delivery_id, settings=settings, now=lambda: later)
        row = s.get(WebhookDelivery, delivery_id)
        assert row is not None
    assert due_later == [delivery_id]
    assert first.status == "pending" and first.status_code is None
    # A duplicate task before the backoff ran out makes no attempt.
    assert early.attempts == 1 and early.retry_in_s is None
    assert second.status == "failed" and second.retry_in_s is None
    assert row.last_error.startswith("ConnectError")


def test_the_sweeper_resends_deliveries_left_pending(sessions, new_dossier, new_principal):
    """GIVEN a decision whose webhook could not be enqueued (broker down at the time)
    WHEN the sweeper runs, first right away, then after the overdue delay
    THEN it leaves the fresh delivery alone, then re-enqueues it once it is overdue.
    """
    from ingest import webhook_tasks

    settings = WebhookSettings(url="http://127.0.0.1:9/hook", secret=SECRET)
    _, delivery_id = _approved_dossier(sessions, new_dossier, new_principal, settings)
    sent: list[str] = []
    assert webhook_tasks.sweep(sessions, sent.append) == 0
    later = datetime.now(UTC) + timedelta(seconds=webhook_tasks.OVERDUE_S + 5)
    assert webhook_tasks.sweep(sessions, sent.append, now=later) == 1
    assert sent == [delivery_id]

    def broker_down(_: str) -> None:
        raise ConnectionError("broker down")

    assert webhook_tasks.sweep(sessions, broker_down, now=later) == 0


def test_no_database_lock_is_held_while_the_portal_answers(
    sessions, new_dossier, new_principal, webhook_receiver
):
    """GIVEN a portal that takes its time to answer
    WHEN a delivery attempt is waiting for it
    THEN the database accepts other writes meanwhile (on SQLite a held write
    transaction would block every other writer until the answer came).
    """
    import threading

    from storage.db.models import AuditEvent

    settings = WebhookSettings(url=webhook_receiver.url, secret=SECRET, timeout_s=20)
    dossier_id, delivery_id = _approved_dossier(sessions, new_dossier, new_principal, settings)
    webhook_receiver.hold = threading.Event()
    outcome: list = []

    def attempt() -> None:
        with sessions() as s:
            outcome.append(webhooks.attempt_delivery(s, delivery_id, settings=settings))

    worker = threading.Thread(target=attempt)
    worker.start()
    assert webhook_receiver.arrived.wait(10)
    started = time.monotonic()
    with sessions() as s:
        s.add(AuditEvent(action="test.write", dossier_id=dossier_id))
        s.commit()
        # A duplicate task while the attempt is in flight makes no second POST.
        duplicate = webhooks.attempt_delivery(s, delivery_id, settings=settings)
    elapsed = time.monotonic() - started
    webhook_receiver.hold.set()
    worker.join(20)
    assert elapsed < 3, f"a write waited {elapsed:.1f}s for the webhook attempt"
    assert duplicate.status_code is None and len(webhook_receiver.received) == 1
    assert outcome and outcome[0].status == "delivered" and outcome[0].attempts == 1
