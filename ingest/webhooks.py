"""Telling the portal that a dossier was decided: signed webhooks, retried with backoff.

Write order: the delivery row is added in the same transaction as the decision, and
the Celery task is enqueued after the commit (a sweeper re-enqueues what a crash left
behind). The body carries no personal data: the portal fetches the verified fields
from ``GET /api/v1/dossiers/{id}/verified`` with its own token.

Signature: ``X-Motcua-Signature: sha256=<hex>`` where ``hex`` is the HMAC-SHA256, keyed
with the shared secret, of ``<timestamp>.<body>`` (timestamp = ``X-Motcua-Timestamp``,
Unix seconds, as ASCII; body = the exact bytes of the request body). A receiver
recomputes it over the raw body before parsing, compares in constant time, and refuses
timestamps older than a few minutes (replay).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.db.models import Dossier, new_id
from storage.db.webhooks import DeliveryStatus, WebhookAttempt, WebhookDelivery

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Motcua-Signature"
TIMESTAMP_HEADER = "X-Motcua-Timestamp"
EVENT_HEADER = "X-Motcua-Event"
DELIVERY_HEADER = "X-Motcua-Delivery"
USER_AGENT = "motcua-webhooks/1"

EVENT_VERIFIED = "dossier.verified"
EVENT_REJECTED = "dossier.rejected"


class WebhookSettings(BaseSettings):
    """``MOTCUA_WEBHOOK_*``. No URL: decisions are recorded but nobody is called."""

    model_config = SettingsConfigDict(env_prefix="MOTCUA_WEBHOOK_", extra="ignore")

    url: str | None = None
    secret: str | None = None
    max_attempts: int = 8
    backoff_base_s: float = 30.0
    """Wait before the 2nd attempt; doubles each time."""
    backoff_max_s: float = 3600.0
    timeout_s: float = 10.0

    @model_validator(mode="after")
    def _check(self) -> WebhookSettings:
        if self.url and not self.secret:
            raise ValueError("MOTCUA_WEBHOOK_SECRET is required when MOTCUA_WEBHOOK_URL is set")
        if self.secret is not None and len(self.secret) < 16:
            raise ValueError("MOTCUA_WEBHOOK_SECRET must be at least 16 characters")
        if self.max_attempts < 1:
            raise ValueError("MOTCUA_WEBHOOK_MAX_ATTEMPTS must be at least 1")
        return self

    @property
    def enabled(self) -> bool:
        return bool(self.url)


# Signing --------------------------------------------------------------------------


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>`` over ``<timestamp>.<body>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(
    secret: str, body: bytes, *, event: str, delivery_id: str, now: float | None = None
) -> dict[str, str]:
    ts = int(time.time() if now is None else now)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature(secret, ts, body),
        TIMESTAMP_HEADER: str(ts),
        EVENT_HEADER: event,
        DELIVERY_HEADER: delivery_id,
    }


def verify(
    secret: str,
    body: bytes,
    headers: Mapping[str, str],
    *,
    tolerance_s: int = 300,
    now: float | None = None,
) -> bool:
    """What a receiver does: recompute over the raw body, constant-time compare, fresh only."""
    lower = {k.lower(): v for k, v in headers.items()}
    sig = lower.get(SIGNATURE_HEADER.lower(), "")
    try:
        ts = int(lower.get(TIMESTAMP_HEADER.lower(), ""))
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - ts) > tolerance_s:
        return False
    return hmac.compare_digest(sig, signature(secret, ts, body))


def backoff_s(attempts_made: int, settings: WebhookSettings) -> float:
    """Wait after the ``attempts_made``-th failure: base, 2*base, 4*base... capped."""
    return min(settings.backoff_max_s, settings.backoff_base_s * 2 ** max(0, attempts_made - 1))


# Deliveries -----------------------------------------------------------------------


def event_body(dossier: Dossier, *, event: str, delivery_id: str, at: datetime) -> str:
    """The JSON text sent for a decision. Ids and status only, no personal data."""
    payload: dict[str, Any] = {
        "event": event,
        "delivery_id": delivery_id,
        "occurred_at": at.astimezone(UTC).isoformat(),
        "dossier": {
            "id": dossier.id,
            "external_ref": dossier.external_ref,
            "office": dossier.office,
            "procedure_code": dossier.procedure_code,
            "status": dossier.status,
            "reason": dossier.status_reason,
        },
        "verified_fields_url": f"/api/v1/dossiers/{dossier.id}/verified",
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def add_delivery(
    session: Session, dossier: Dossier, *, event: str, settings: WebhookSettings
) -> WebhookDelivery | None:
    """Record the delivery in the caller's transaction (None when no webhook is configured)."""
    if not settings.enabled:
        return None
    now = datetime.now(UTC)
    delivery = WebhookDelivery(
        id=new_id(), dossier_id=dossier.id, event=event, url=settings.url or ""
    )
    delivery.body = event_body(dossier, event=event, delivery_id=delivery.id, at=now)
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = now
    delivery.created_at = now
    session.add(delivery)
    return delivery


@dataclass(frozen=True, slots=True)
class AttemptOutcome:
    delivery_id: str
    status: str
    """The delivery's status after this attempt."""
    attempts: int
    status_code: int | None
    retry_in_s: float | None
    """Seconds until the next attempt, None if no further attempt is due."""


IN_FLIGHT_MARGIN_S = 30.0
"""An attempt under way keeps other tasks off the delivery for its timeout plus this."""


def attempt_delivery(
    session: Session,
    delivery_id: str,
    *,
    settings: WebhookSettings,
    client: httpx.Client | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> AttemptOutcome:
    """Make one attempt (if the delivery is pending and due) and record it. Commits.

    Three short steps, so no database lock is held while the portal answers (on SQLite
    a write transaction would stall every other writer): take the attempt (the row is
    locked, the attempt counted and the delivery marked in flight, so a duplicate task
    finds it not due), POST outside any transaction, record the answer. A crash in
    between leaves the delivery pending; the sweeper sends it again.
    """
    if not settings.secret:
        raise RuntimeError("MOTCUA_WEBHOOK_SECRET is not set")
    delivery = session.execute(
        select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
    ).scalar_one_or_none()
    if delivery is None:
        raise LookupError(f"webhook delivery {delivery_id} not found")
    current = now()
    not_due = delivery.next_attempt_at is not None and delivery.next_attempt_at > (
        current + timedelta(seconds=1)
    )
    if delivery.status != DeliveryStatus.PENDING or not_due:
        # Already done, or a duplicate task (sweeper, redelivery) arrived before the
        # backoff ran out or while another attempt is under way: that one decides.
        session.commit()
        return AttemptOutcome(delivery.id, delivery.status, delivery.attempts, None, None)
    delivery.attempts += 1
    number = delivery.attempts
    delivery.next_attempt_at = current + timedelta(seconds=settings.timeout_s + IN_FLIGHT_MARGIN_S)
    url, event, body = delivery.url, delivery.event, delivery.body.encode()
    session.commit()

    headers = signed_headers(settings.secret, body, event=event, delivery_id=delivery_id)
    started = time.monotonic()
    code: int | None = None
    error: str | None = None
    own_client = client is None
    http = client or httpx.Client(timeout=settings.timeout_s)
    try:
        resp = http.post(url, content=body, headers=headers)
        code = resp.status_code
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except httpx.HTTPError as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    finally:
        if own_client:
            http.close()
    elapsed_ms = int((time.monotonic() - started) * 1000)

    at = now()
    delivery = session.execute(
        select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
    ).scalar_one()
    delivery.last_status_code = code
    delivery.last_error = error
    session.add(
        WebhookAttempt(
            delivery_id=delivery_id,
            number=number,
            at=at,
            status_code=code,
            error=error,
            duration_ms=elapsed_ms,
        )
    )
    retry_in: float | None = None
    if error is None:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = at
        delivery.next_attempt_at = None
    elif number >= settings.max_attempts:
        delivery.status = DeliveryStatus.FAILED
        delivery.next_attempt_at = None
    else:
        retry_in = backoff_s(number, settings)
        delivery.next_attempt_at = at + timedelta(seconds=retry_in)
    status = delivery.status
    session.commit()
    log.info(
        "webhook %s %s attempt %d -> %s%s",
        delivery_id,
        event,
        number,
        code if code is not None else "no answer",
        f", retry in {retry_in:.0f}s" if retry_in is not None else f", {status}",
    )
    return AttemptOutcome(delivery_id, status, number, code, retry_in)


def due_deliveries(session: Session, *, now: datetime | None = None, limit: int = 100) -> list[str]:
    """Pending deliveries whose next attempt is due (for the sweeper)."""
    at = now or datetime.now(UTC)
    rows = session.execute(
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.status == DeliveryStatus.PENDING,
            WebhookDelivery.next_attempt_at <= at,
        )
        .order_by(WebhookDelivery.next_attempt_at)
        .limit(limit)
    )
    return list(rows.scalars())


def delivery_log(session: Session, dossier_id: str) -> list[dict[str, Any]]:
    """Every delivery for a dossier, each with its attempts, for the API."""
    deliveries = session.execute(
        select(WebhookDelivery)
        .where(WebhookDelivery.dossier_id == dossier_id)
        .order_by(WebhookDelivery.created_at)
    ).scalars()
    return [delivery_json(d) for d in deliveries]


def delivery_json(d: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": d.id,
        "dossier_id": d.dossier_id,
        "event": d.event,
        "url": d.url,
        "status": d.status,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
        "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
        "created_at": d.created_at.isoformat(),
        "log": [
            {
                "number": a.number,
                "at": a.at.isoformat(),
                "status_code": a.status_code,
                "error": a.error,
                "duration_ms": a.duration_ms,
            }
            for a in d.attempt_log
        ],
    }
