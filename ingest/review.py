"""The clerk's verification desk: queue, claims with a lease, corrections, decisions.

A dossier in ``awaiting_review`` has one :class:`ReviewTask`. A clerk claims it for a
lease (renewed while the page is open); once the lease runs out any clerk of the
office may take it over. Two clerks never hold the same dossier:

* PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED`` picks the next free task, so
  concurrent clerks each lock a different row without waiting on each other.
* Other databases (SQLite): a conditional ``UPDATE ... WHERE status = 'open' OR lease
  expired``; whoever's UPDATE changes the row (rowcount 1) holds it, the others move on.

Every correction, confirmation and decision writes an :class:`AuditEvent` (old value,
new value, who, when, which field), and so does every read of a dossier's personal
data. Plain functions over a session; the caller commits.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import and_, or_, select, true, update
from sqlalchemy.orm import Session

from extractors.reconcile import PRIORITY, same_value
from ingest.auth import Principal
from ingest.records import Conflict, Forbidden, NotFound, audit, get_dossier, mask_id
from ingest.webhooks import EVENT_REJECTED, EVENT_VERIFIED, WebhookSettings, add_delivery
from storage.db.models import (
    ApiToken,
    AuditEvent,
    Document,
    DocumentPart,
    Dossier,
    FieldState,
    FieldValue,
    ReviewTask,
    Role,
)
from storage.db.status import Status, check_transition
from storage.db.webhooks import WebhookDelivery

log = logging.getLogger(__name__)

LOW_CONFIDENCE = 0.8
"""Fields read with less confidence than this are shown first and marked."""

TASK_OPEN = "open"
TASK_CLAIMED = "claimed"
TASK_DONE = "done"

REVIEW_ROLES = (Role.CLERK, Role.ADMIN)


class ReviewSettings(BaseSettings):
    """``MOTCUA_REVIEW_*``."""

    model_config = SettingsConfigDict(env_prefix="MOTCUA_REVIEW_", extra="ignore")

    lease_s: int = 600
    """A claim lasts this long after the clerk's last action or heartbeat."""


class NotClaimed(Conflict):
    """The clerk does not hold the dossier's claim (never claimed, or taken over)."""


class ClaimTaken(Conflict):
    """Another clerk holds a live claim on the dossier."""


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def _require_reviewer(principal: Principal) -> None:
    if principal.role not in REVIEW_ROLES:
        raise Forbidden("only clerks review dossiers")


# Queue and claims -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claim:
    dossier_id: str
    claimed_by: str
    lease_expires_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "dossier_id": self.dossier_id,
            "claimed_by": self.claimed_by,
            "lease_expires_at": self.lease_expires_at.isoformat(),
        }


def _office_filter(principal: Principal, office: str | None) -> Any:
    """Clerks see their own office; an admin sees one office if asked, else all."""
    if principal.role == Role.CLERK:
        return ReviewTask.office == principal.office
    if office:
        return ReviewTask.office == office
    return true()


def _free(now: datetime) -> Any:
    """A task anyone may claim: open, or claimed with a lease that ran out."""
    return or_(
        ReviewTask.status == TASK_OPEN,
        and_(ReviewTask.status == TASK_CLAIMED, ReviewTask.lease_expires_at < now),
    )


def _due_order() -> tuple[Any, ...]:
    return (ReviewTask.due_at.is_(None), ReviewTask.due_at, ReviewTask.created_at, ReviewTask.id)


def queue(
    session: Session,
    principal: Principal,
    *,
    office: str | None = None,
    limit: int = 200,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """Dossiers awaiting review in the clerk's office, most urgent first."""
    _require_reviewer(principal)
    at = _now(now)
    rows = session.execute(
        select(ReviewTask, Dossier, ApiToken.name)
        .join(Dossier, Dossier.id == ReviewTask.dossier_id)
        .outerjoin(ApiToken, ApiToken.id == ReviewTask.claimed_by)
        .where(
            Dossier.status == Status.AWAITING_REVIEW,
            ReviewTask.status.in_((TASK_OPEN, TASK_CLAIMED)),
            _office_filter(principal, office),
        )
        .order_by(*_due_order())
        .limit(limit)
    ).all()
    doc_counts = _document_counts(session, [d.id for _, d, _ in rows])
    items = []
    for task, dossier, claimer_name in rows:
        held = task.status == TASK_CLAIMED and (
            task.lease_expires_at is not None and task.lease_expires_at > at
        )
        items.append(
            {
                "dossier_id": dossier.id,
                "external_ref": dossier.external_ref,
                "procedure_code": dossier.procedure_code,
                "office": dossier.office,
                "channel": dossier.channel,
                "due_at": task.due_at.isoformat() if task.due_at else None,
                "created_at": dossier.created_at.isoformat(),
                "documents": doc_counts.get(dossier.id, 0),
                "claimed": held,
                "claimed_by_me": held and task.claimed_by == principal.token_id,
                "claimed_by_name": claimer_name if held else None,
                "lease_expires_at": (
                    task.lease_expires_at.isoformat() if held and task.lease_expires_at else None
                ),
            }
        )
    return items


def _document_counts(session: Session, dossier_ids: Sequence[str]) -> dict[str, int]:
    if not dossier_ids:
        return {}
    counts: dict[str, int] = {}
    for (dossier_id,) in session.execute(
        select(Document.dossier_id).where(Document.dossier_id.in_(dossier_ids))
    ):
        counts[dossier_id] = counts.get(dossier_id, 0) + 1
    return counts


def claim_next(
    session: Session,
    principal: Principal,
    *,
    lease_s: int,
    office: str | None = None,
    now: datetime | None = None,
) -> Claim | None:
    """Claim the most urgent free dossier of the office (or renew the one already held).

    Returns None when nothing is waiting. The caller commits at once, which is what
    releases the row lock on PostgreSQL.
    """
    _require_reviewer(principal)
    at = _now(now)
    held = session.execute(
        select(ReviewTask)
        .join(Dossier, Dossier.id == ReviewTask.dossier_id)
        .where(
            ReviewTask.claimed_by == principal.token_id,
            ReviewTask.status == TASK_CLAIMED,
            ReviewTask.lease_expires_at > at,
            Dossier.status == Status.AWAITING_REVIEW,
            _office_filter(principal, office),
        )
        .order_by(*_due_order())
        .limit(1)
    ).scalar_one_or_none()
    if held is not None:
        return claim(session, principal, held.dossier_id, lease_s=lease_s, now=at)

    candidates = (
        select(ReviewTask)
        .join(Dossier, Dossier.id == ReviewTask.dossier_id)
        .where(
            Dossier.status == Status.AWAITING_REVIEW,
            _free(at),
            _office_filter(principal, office),
        )
        .order_by(*_due_order())
    )
    if session.get_bind().dialect.name == "postgresql":
        task = session.execute(
            candidates.limit(1).with_for_update(skip_locked=True, of=ReviewTask)
        ).scalar_one_or_none()
        if task is None:
            return None
        return _take(session, principal, task, lease_s=lease_s, now=at)

    # Conditional UPDATE fallback: try the most urgent candidates in turn.
    for task_id, dossier_id in session.execute(
        candidates.with_only_columns(ReviewTask.id, ReviewTask.dossier_id).limit(20)
    ).all():
        got = _conditional_claim(
            session, principal, task_id, dossier_id, lease_s=lease_s, now=at, allow_own=False
        )
        if got is not None:
            return got
    return None


def _take(
    session: Session, principal: Principal, task: ReviewTask, *, lease_s: int, now: datetime
) -> Claim:
    previous = task.claimed_by if task.status == TASK_CLAIMED else None
    task.status = TASK_CLAIMED
    task.claimed_by = principal.token_id
    task.lease_expires_at = now + timedelta(seconds=lease_s)
    task.updated_at = now
    _claim_audit(session, principal, task.dossier_id, previous)
    session.flush()
    return Claim(task.dossier_id, principal.token_id, task.lease_expires_at)


def _claim_audit(
    session: Session, principal: Principal, dossier_id: str, previous: str | None
) -> None:
    detail: dict[str, Any] = {}
    if previous and previous != principal.token_id:
        detail["taken_over_from"] = previous
    audit(session, "review.claim", actor=principal, dossier_id=dossier_id, **detail)
    log.info("dossier %s claimed by token %s", dossier_id, principal.token_id)


def _conditional_claim(
    session: Session,
    principal: Principal,
    task_id: str,
    dossier_id: str,
    *,
    lease_s: int,
    now: datetime,
    allow_own: bool,
) -> Claim | None:
    """One UPDATE that only succeeds if the task is free (or already ours)."""
    previous = session.execute(
        select(ReviewTask.claimed_by, ReviewTask.status).where(ReviewTask.id == task_id)
    ).one_or_none()
    condition = _free(now)
    if allow_own:
        condition = or_(
            condition,
            and_(ReviewTask.status == TASK_CLAIMED, ReviewTask.claimed_by == principal.token_id),
        )
    expires = now + timedelta(seconds=lease_s)
    result = session.execute(
        update(ReviewTask)
        .where(ReviewTask.id == task_id, condition)
        .values(
            status=TASK_CLAIMED,
            claimed_by=principal.token_id,
            lease_expires_at=expires,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    prev_holder = previous[0] if previous and previous[1] == TASK_CLAIMED else None
    if prev_holder != principal.token_id:
        _claim_audit(session, principal, dossier_id, prev_holder)
    session.expire_all()
    return Claim(dossier_id, principal.token_id, expires)


def claim(
    session: Session,
    principal: Principal,
    dossier_id: str,
    *,
    lease_s: int,
    now: datetime | None = None,
) -> Claim:
    """Claim one given dossier, or renew the lease if the clerk already holds it."""
    _require_reviewer(principal)
    at = _now(now)
    dossier = get_dossier(session, principal, dossier_id)
    if dossier.status != Status.AWAITING_REVIEW:
        raise Conflict(f"dossier is {dossier.status}, not awaiting review")
    task = session.scalar(select(ReviewTask).where(ReviewTask.dossier_id == dossier_id))
    if task is None:
        raise NotFound(dossier_id)
    got = _conditional_claim(
        session, principal, task.id, dossier_id, lease_s=lease_s, now=at, allow_own=True
    )
    if got is None:
        raise ClaimTaken("another clerk is reviewing this dossier")
    return got


def release(
    session: Session, principal: Principal, dossier_id: str, *, now: datetime | None = None
) -> bool:
    """Give the dossier back to the queue (only its holder can)."""
    _require_reviewer(principal)
    get_dossier(session, principal, dossier_id)
    result = session.execute(
        update(ReviewTask)
        .where(
            ReviewTask.dossier_id == dossier_id,
            ReviewTask.status == TASK_CLAIMED,
            ReviewTask.claimed_by == principal.token_id,
        )
        .values(status=TASK_OPEN, claimed_by=None, lease_expires_at=None, updated_at=_now(now))
        .execution_options(synchronize_session=False)
    )
    released = bool(result.rowcount)  # type: ignore[attr-defined]
    if released:
        audit(session, "review.release", actor=principal, dossier_id=dossier_id)
        session.expire_all()
    return released


def _held_task(
    session: Session, principal: Principal, dossier_id: str, *, lease_s: int, now: datetime
) -> tuple[Dossier, ReviewTask]:
    """The dossier and its task, if the clerk holds the claim; the lease is extended.

    A clerk whose lease ran out keeps working as long as nobody else took the dossier.
    """
    _require_reviewer(principal)
    dossier = get_dossier(session, principal, dossier_id)
    task = session.execute(
        select(ReviewTask).where(ReviewTask.dossier_id == dossier_id).with_for_update()
    ).scalar_one_or_none()
    if task is None or task.status != TASK_CLAIMED or task.claimed_by != principal.token_id:
        raise NotClaimed("claim the dossier before changing it")
    if dossier.status != Status.AWAITING_REVIEW:
        raise Conflict(f"dossier is {dossier.status}, not awaiting review")
    task.lease_expires_at = now + timedelta(seconds=lease_s)
    task.updated_at = now
    return dossier, task


def lease_of(session: Session, dossier_id: str) -> str | None:
    expires = session.scalar(
        select(ReviewTask.lease_expires_at).where(ReviewTask.dossier_id == dossier_id)
    )
    return expires.isoformat() if expires else None


# Fields ---------------------------------------------------------------------------


def normalize_value(value: str) -> str:
    """What a clerk typed, as the spec stores text: NFC, single spaces, no line breaks."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def _field_in_dossier(session: Session, dossier_id: str, field_id: str) -> FieldValue:
    field = session.execute(
        select(FieldValue)
        .join(Document, Document.id == FieldValue.document_id)
        .where(FieldValue.id == field_id, Document.dossier_id == dossier_id)
        .with_for_update(of=FieldValue)
    ).scalar_one_or_none()
    if field is None:
        raise NotFound(field_id)
    return field


def correct_field(
    session: Session,
    principal: Principal,
    dossier_id: str,
    field_id: str,
    value: str,
    *,
    lease_s: int,
    now: datetime | None = None,
) -> tuple[FieldValue, AuditEvent]:
    """The clerk types the right value. Same value as shown -> a confirmation."""
    at = _now(now)
    _held_task(session, principal, dossier_id, lease_s=lease_s, now=at)
    field = _field_in_dossier(session, dossier_id, field_id)
    new = normalize_value(value)
    if not new:
        raise ValueError("a field cannot be emptied; reject the dossier if it is unreadable")
    if new == field.value:
        return confirm_field(session, principal, dossier_id, field_id, lease_s=lease_s, now=at)
    old = field.value
    event = audit(
        session,
        "field.correct",
        actor=principal,
        dossier_id=dossier_id,
        document_id=field.document_id,
        field_key=field.key,
        old_value=old,
        new_value=new,
        field_id=field.id,
        part=field.part,
        previous_source=field.source,
        previous_confidence=round(float(field.confidence), 3),
    )
    event.at = at
    if field.extracted_value is None:
        field.extracted_value = old
    field.value = new
    field.source = "clerk"
    field.confidence = 1.0
    field.state = FieldState.CORRECTED
    field.updated_by = principal.token_id
    field.updated_at = at
    session.flush()
    log.info("field %s of dossier %s corrected", field.key, dossier_id)
    return field, event


def confirm_field(
    session: Session,
    principal: Principal,
    dossier_id: str,
    field_id: str,
    *,
    lease_s: int,
    now: datetime | None = None,
) -> tuple[FieldValue, AuditEvent]:
    """The clerk checked the value against the paper and it is right."""
    at = _now(now)
    _held_task(session, principal, dossier_id, lease_s=lease_s, now=at)
    field = _field_in_dossier(session, dossier_id, field_id)
    event = audit(
        session,
        "field.confirm",
        actor=principal,
        dossier_id=dossier_id,
        document_id=field.document_id,
        field_key=field.key,
        old_value=field.value,
        new_value=field.value,
        field_id=field.id,
        part=field.part,
    )
    event.at = at
    if field.state == FieldState.EXTRACTED:
        field.state = FieldState.CONFIRMED
    field.updated_by = principal.token_id
    field.updated_at = at
    session.flush()
    return field, event


# Decisions ------------------------------------------------------------------------


def unresolved_conflicts(session: Session, dossier_id: str) -> list[FieldValue]:
    """Fields in conflict that the clerk has neither confirmed nor corrected."""
    return [
        f
        for f, flags in _fields_with_flags(session, dossier_id)
        if "conflict" in flags and f.state == FieldState.EXTRACTED
    ]


def approve(
    session: Session,
    principal: Principal,
    dossier_id: str,
    *,
    lease_s: int,
    webhooks: WebhookSettings,
    now: datetime | None = None,
) -> tuple[Dossier, WebhookDelivery | None]:
    """Verified: every field shown is accepted, the portal is told (after commit)."""
    at = _now(now)
    dossier, task = _held_task(session, principal, dossier_id, lease_s=lease_s, now=at)
    open_conflicts = unresolved_conflicts(session, dossier_id)
    if open_conflicts:
        keys = ", ".join(sorted({f.key for f in open_conflicts}))
        raise Conflict(f"confirm or correct the conflicting fields first: {keys}")
    accepted = 0
    for field in _dossier_fields(session, dossier_id):
        if field.state == FieldState.EXTRACTED:
            field.state = FieldState.CONFIRMED
            field.updated_by = principal.token_id
            field.updated_at = at
            accepted += 1
    record = applicant_record(session, dossier_id)
    values = record["values"]
    if values.get("full_name"):
        dossier.applicant_name = values["full_name"]["value"]
    if values.get("id_number"):
        dossier.applicant_id_number = values["id_number"]["value"]
    _decide(session, principal, dossier, task, Status.VERIFIED, reason=None, now=at)
    audit(
        session,
        "dossier.approve",
        actor=principal,
        dossier_id=dossier_id,
        accepted_unchanged=accepted,
    ).at = at
    delivery = add_delivery(session, dossier, event=EVENT_VERIFIED, settings=webhooks)
    session.flush()
    log.info("dossier %s verified (applicant %s)", dossier_id, mask_id(dossier.applicant_id_number))
    return dossier, delivery


def reject(
    session: Session,
    principal: Principal,
    dossier_id: str,
    reason: str,
    *,
    lease_s: int,
    webhooks: WebhookSettings,
    now: datetime | None = None,
) -> tuple[Dossier, WebhookDelivery | None]:
    at = _now(now)
    reason = normalize_value(reason)
    if not reason:
        raise ValueError("a rejection needs a reason")
    dossier, task = _held_task(session, principal, dossier_id, lease_s=lease_s, now=at)
    _decide(session, principal, dossier, task, Status.REJECTED, reason=reason, now=at)
    audit(session, "dossier.reject", actor=principal, dossier_id=dossier_id, reason=reason).at = at
    delivery = add_delivery(session, dossier, event=EVENT_REJECTED, settings=webhooks)
    session.flush()
    log.info("dossier %s rejected", dossier_id)
    return dossier, delivery


def _decide(
    session: Session,
    principal: Principal,
    dossier: Dossier,
    task: ReviewTask,
    status: str,
    *,
    reason: str | None,
    now: datetime,
) -> None:
    check_transition("dossier", dossier.status, status)
    old = dossier.status
    dossier.status = status
    dossier.status_reason = reason
    dossier.updated_at = now
    audit(
        session,
        "dossier.status",
        actor=principal,
        dossier_id=dossier.id,
        old_value=old,
        new_value=status,
    ).at = now
    for doc in session.scalars(select(Document).where(Document.dossier_id == dossier.id)):
        if doc.status == Status.AWAITING_REVIEW or (
            status == Status.REJECTED and doc.status == Status.FAILED
        ):
            check_transition("document", doc.status, status)
            doc.status = status
            doc.updated_at = now
    task.status = TASK_DONE
    task.lease_expires_at = None
    task.updated_at = now


# Views ----------------------------------------------------------------------------


def _dossier_fields(session: Session, dossier_id: str) -> list[FieldValue]:
    return list(
        session.scalars(
            select(FieldValue)
            .join(Document, Document.id == FieldValue.document_id)
            .where(Document.dossier_id == dossier_id)
            .order_by(Document.created_at, FieldValue.part, FieldValue.position)
        )
    )


def _parts(session: Session, dossier_id: str) -> dict[tuple[str, int], DocumentPart]:
    rows = session.scalars(
        select(DocumentPart)
        .join(Document, Document.id == DocumentPart.document_id)
        .where(Document.dossier_id == dossier_id)
    )
    return {(p.document_id, p.index): p for p in rows}


def _conflict_keys(part: DocumentPart | None) -> dict[str, dict[str, Any]]:
    if part is None:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for c in part.conflicts or []:
        if isinstance(c, dict) and c.get("field"):
            out[str(c["field"])] = c
    return out


def _fields_with_flags(
    session: Session, dossier_id: str
) -> list[tuple[FieldValue, tuple[str, ...]]]:
    parts = _parts(session, dossier_id)
    record = applicant_record(session, dossier_id, parts=parts)
    cross = {c["field"] for c in record["conflicts"]}
    out = []
    for f in _dossier_fields(session, dossier_id):
        flags: list[str] = []
        part = parts.get((f.document_id, f.part))
        if f.key in _conflict_keys(part) or (
            f.key in cross and part is not None and part.document_type in APPLICANT_SOURCES
        ):
            flags.append("conflict")
        if f.confidence < LOW_CONFIDENCE and f.state == FieldState.EXTRACTED:
            flags.append("low_confidence")
        out.append((f, tuple(flags)))
    return out


def field_view(f: FieldValue, flags: Iterable[str] = (), conflict: Any = None) -> dict[str, Any]:
    return {
        "id": f.id,
        "document_id": f.document_id,
        "part": f.part,
        "key": f.key,
        "value": f.value,
        "confidence": round(float(f.confidence), 3),
        "source": f.source,
        "page": f.page,
        "bbox": list(f.bbox) if f.bbox else None,
        "checks": list(f.checks or []),
        "raw": f.raw if f.raw != f.value else None,
        "state": f.state,
        "extracted_value": f.extracted_value,
        "flags": list(flags),
        "conflict": conflict,
        "updated_at": f.updated_at.isoformat() if f.updated_at else None,
    }


def dossier_view(
    session: Session,
    principal: Principal,
    dossier_id: str,
    *,
    page_url: Any,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Everything the verification page shows. Reading it is an audit event.

    ``page_url(document_id, page_number)`` gives the URL of a page image.
    Within each paper, conflicting fields come first, then low-confidence ones, then
    the rest in the extractor's order.
    """
    _require_reviewer(principal)
    at = _now(now)
    dossier = get_dossier(session, principal, dossier_id)
    audit(session, "dossier.view", actor=principal, dossier_id=dossier_id, what="review").at = at
    parts = _parts(session, dossier_id)
    record = applicant_record(session, dossier_id, parts=parts)
    flagged = {f.id: flags for f, flags in _fields_with_flags(session, dossier_id)}
    task = session.scalar(select(ReviewTask).where(ReviewTask.dossier_id == dossier_id))
    holder = session.get(ApiToken, task.claimed_by) if task and task.claimed_by else None
    cross = {c["field"]: c for c in record["conflicts"]}

    documents = []
    for doc in session.scalars(
        select(Document).where(Document.dossier_id == dossier_id).order_by(Document.created_at)
    ):
        pages = [
            {
                "number": p.number,
                "width": p.width,
                "height": p.height,
                "image_url": page_url(doc.id, p.number),
            }
            for p in doc.pages
        ]
        by_part: dict[int, list[FieldValue]] = {}
        for f in doc.fields:
            by_part.setdefault(f.part, []).append(f)
        part_views = []
        indexes = sorted({i for (d, i) in parts if d == doc.id} | set(by_part))
        for index in indexes:
            part = parts.get((doc.id, index))
            conflicts = _conflict_keys(part)
            fields = by_part.get(index, [])

            def order(f: FieldValue) -> tuple[int, int]:
                flags = flagged.get(f.id, ())
                rank = 0 if "conflict" in flags else 1 if "low_confidence" in flags else 2
                return (rank, f.position)

            field_keys = {f.key for f in fields}
            part_views.append(
                {
                    "index": index,
                    "document_type": part.document_type if part else doc.document_type,
                    "type_confidence": part.type_confidence if part else doc.type_confidence,
                    "pages": list(part.pages) if part else [p["number"] for p in pages],
                    "quality": part.quality if part else doc.upload_quality,
                    "conflicts": list(part.conflicts) if part else [],
                    "unplaced_conflicts": [c for k, c in conflicts.items() if k not in field_keys],
                    "fields": [
                        field_view(
                            f,
                            flagged.get(f.id, ()),
                            conflicts.get(f.key) or cross.get(f.key),
                        )
                        for f in sorted(fields, key=order)
                    ],
                }
            )
        documents.append(
            {
                "id": doc.id,
                "filename": doc.filename,
                "status": doc.status,
                "failure_reason": doc.failure_reason,
                "media_type": doc.media_type,
                "pages": pages,
                "parts": part_views,
            }
        )

    held = bool(
        task
        and task.status == TASK_CLAIMED
        and task.lease_expires_at
        and task.lease_expires_at > at
    )
    return {
        "dossier": {
            "id": dossier.id,
            "external_ref": dossier.external_ref,
            "procedure_code": dossier.procedure_code,
            "office": dossier.office,
            "channel": dossier.channel,
            "status": dossier.status,
            "status_reason": dossier.status_reason,
            "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
            "created_at": dossier.created_at.isoformat(),
        },
        "review": {
            "status": task.status if task else None,
            "claimed_by_me": bool(task and task.claimed_by == principal.token_id and held),
            "claimed_by_name": holder.name if holder and held else None,
            "lease_expires_at": (
                task.lease_expires_at.isoformat() if task and task.lease_expires_at else None
            ),
        },
        "applicant": record,
        "documents": documents,
        "low_confidence_threshold": LOW_CONFIDENCE,
    }


def history(
    session: Session, principal: Principal, dossier_id: str, *, record_read: bool = True
) -> list[dict[str, Any]]:
    """The dossier's audit trail, oldest first (corrections carry their old/new values)."""
    get_dossier(session, principal, dossier_id)
    if record_read:
        audit(session, "dossier.view", actor=principal, dossier_id=dossier_id, what="history")
        session.flush()
    rows = session.execute(
        select(AuditEvent, ApiToken.name, ApiToken.role)
        .outerjoin(ApiToken, ApiToken.id == AuditEvent.actor_id)
        .where(AuditEvent.dossier_id == dossier_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    return [event_json(e, name, role) for e, name, role in rows]


def event_json(e: AuditEvent, actor_name: str | None, actor_role: str | None) -> dict[str, Any]:
    return {
        "id": e.id,
        "at": e.at.isoformat(),
        "action": e.action,
        "actor_id": e.actor_id,
        "actor_name": actor_name,
        "actor_role": actor_role,
        "document_id": e.document_id,
        "field_key": e.field_key,
        "old_value": e.old_value,
        "new_value": e.new_value,
        "detail": e.detail or {},
    }


def verified_fields(session: Session, principal: Principal, dossier_id: str) -> dict[str, Any]:
    """What the portal fetches after the webhook: the fields as the clerk verified them."""
    dossier = get_dossier(session, principal, dossier_id)
    if dossier.status != Status.VERIFIED:
        raise Conflict(f"dossier is {dossier.status}, not verified")
    audit(session, "dossier.view", actor=principal, dossier_id=dossier_id, what="verified_fields")
    parts = _parts(session, dossier_id)
    decided = session.scalar(
        select(AuditEvent)
        .where(AuditEvent.dossier_id == dossier_id, AuditEvent.action == "dossier.approve")
        .order_by(AuditEvent.at.desc())
        .limit(1)
    )
    documents: dict[tuple[str, int], dict[str, Any]] = {}
    for f in _dossier_fields(session, dossier_id):
        part = parts.get((f.document_id, f.part))
        entry = documents.setdefault(
            (f.document_id, f.part),
            {
                "document_id": f.document_id,
                "part": f.part,
                "document_type": part.document_type if part else None,
                "pages": list(part.pages) if part else [],
                "fields": {},
            },
        )
        entry["fields"][f.key] = {
            "value": f.value,
            "source": f.source,
            "state": f.state,
            "confidence": round(float(f.confidence), 3),
            "page": f.page,
            "bbox": list(f.bbox) if f.bbox else None,
            **({"extracted_value": f.extracted_value} if f.state == FieldState.CORRECTED else {}),
        }
    record = applicant_record(session, dossier_id, parts=parts)
    return {
        "dossier_id": dossier.id,
        "external_ref": dossier.external_ref,
        "status": dossier.status,
        "verified_at": decided.at.isoformat() if decided else None,
        "verified_by": decided.actor_id if decided else None,
        "applicant": {k: v["value"] for k, v in record["values"].items()},
        "documents": list(documents.values()),
    }


# The applicant record -------------------------------------------------------------

APPLICANT_KEYS = (
    "id_number",
    "full_name",
    "date_of_birth",
    "sex",
    "nationality",
    "place_of_origin",
    "place_of_residence",
    "place_of_residence_2025",
    "old_id_number",
    "date_of_issue",
    "date_of_expiry",
    "issuing_authority",
    "personal_identification",
)

APPLICANT_SOURCES = {
    "cccd_front": 0,
    "cccd_back": 0,
    "cancuoc_front": 0,
    "cancuoc_back": 0,
    "cmnd": 1,
    "residence_confirmation": 2,
}
"""Papers that describe the applicant, and their rank when sources tie."""

CARD_PAIRS = {"cccd_front": "cccd_back", "cancuoc_front": "cancuoc_back"}

CMND_KEYS = {"id_number": "old_id_number"}
"""The 9-digit number of an old CMND is the applicant's old id number on the record."""


def applicant_record(
    session: Session,
    dossier_id: str,
    *,
    parts: dict[tuple[str, int], DocumentPart] | None = None,
) -> dict[str, Any]:
    """One applicant record merged from every identity paper of the dossier.

    Fronts and backs of a card are paired (same id number, or the only front and back
    of that card type in the dossier). For each key the value comes from the best
    source by the extractors' priority (:data:`extractors.reconcile.PRIORITY`: a
    clerk's confirmation or correction, then QR, MRZ, text layer, OCR), then card over
    CT07, then confidence. Values that differ (beyond what
    :func:`extractors.reconcile.same_value` forgives) are listed in ``conflicts``.
    """
    parts = parts if parts is not None else _parts(session, dossier_id)
    fields = _dossier_fields(session, dossier_id)
    by_part: dict[tuple[str, int], dict[str, FieldValue]] = {}
    for f in fields:
        by_part.setdefault((f.document_id, f.part), {})[f.key] = f

    cards = _pair_cards(parts, by_part)
    candidates: dict[str, list[tuple[tuple[Any, ...], FieldValue, DocumentPart]]] = {}
    for ref, part in parts.items():
        rank = APPLICANT_SOURCES.get(part.document_type)
        if rank is None:
            continue
        for key, f in by_part.get(ref, {}).items():
            if part.document_type == "cmnd":
                key = CMND_KEYS.get(key, key)
            if key not in APPLICANT_KEYS:
                continue
            source = "clerk" if f.state != FieldState.EXTRACTED else f.source
            order = (-PRIORITY.get(source, 0), rank, -float(f.confidence))
            candidates.setdefault(key, []).append((order, f, part))

    values: dict[str, dict[str, Any]] = {}
    conflicts: list[dict[str, Any]] = []
    for key in APPLICANT_KEYS:
        found = sorted(candidates.get(key, []), key=lambda c: c[0])
        if not found:
            continue
        _, best, part = found[0]
        values[key] = {
            "value": best.value,
            "source": best.source,
            "state": best.state,
            "field_id": best.id,
            "document_id": best.document_id,
            "document_type": part.document_type,
        }
        if any(not same_value(best.value, f.value) for _, f, _ in found[1:]):
            conflicts.append(
                {
                    "field": key,
                    "values": [
                        {
                            "value": f.value,
                            "source": f.source,
                            "document_type": p.document_type,
                            "field_id": f.id,
                        }
                        for _, f, p in found
                    ],
                }
            )
    return {"values": values, "conflicts": conflicts, "cards": cards}


def _pair_cards(
    parts: dict[tuple[str, int], DocumentPart],
    by_part: dict[tuple[str, int], dict[str, FieldValue]],
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for front_type, back_type in CARD_PAIRS.items():
        fronts = [r for r, p in parts.items() if p.document_type == front_type]
        backs = [r for r, p in parts.items() if p.document_type == back_type]
        unpaired_backs = list(backs)
        for front in fronts:
            front_id = by_part.get(front, {}).get("id_number")
            match = None
            if front_id is not None:
                for back in unpaired_backs:
                    back_id = by_part.get(back, {}).get("id_number")
                    if back_id is not None and back_id.value == front_id.value:
                        match, how = back, "id_number"
                        break
            if match is None and len(fronts) == 1 and len(unpaired_backs) == 1:
                match, how = unpaired_backs[0], "only_pair"
            if match is not None:
                unpaired_backs.remove(match)
                out.append(
                    {
                        "card": front_type.removesuffix("_front"),
                        "front": {"document_id": front[0], "part": front[1]},
                        "back": {"document_id": match[0], "part": match[1]},
                        "paired_by": how,
                    }
                )
            else:
                out.append(
                    {
                        "card": front_type.removesuffix("_front"),
                        "front": {"document_id": front[0], "part": front[1]},
                        "back": None,
                        "paired_by": None,
                    }
                )
        for back in unpaired_backs:
            out.append(
                {
                    "card": back_type.removesuffix("_back"),
                    "front": None,
                    "back": {"document_id": back[0], "part": back[1]},
                    "paired_by": None,
                }
            )
    return out
