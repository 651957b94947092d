"""Database operations of the service: dossiers, documents, audit, status moves.

Plain functions over a SQLAlchemy session; the caller owns the transaction. Status
changes go through :mod:`storage.db.status`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ingest.auth import Principal, can_see
from storage.db.models import (
    AuditEvent,
    Channel,
    Document,
    Dossier,
    ReviewTask,
    Role,
    utcnow,
)
from storage.db.status import Status, can_move, check_transition

log = logging.getLogger(__name__)

DEFAULT_CHANNEL = {
    Role.PORTAL: Channel.PORTAL,
    Role.FIELD_AGENT: Channel.HOME,
    Role.CLERK: Channel.COUNTER,
    Role.ADMIN: Channel.COUNTER,
}


class NotFound(LookupError):
    pass


class Forbidden(PermissionError):
    pass


class Conflict(RuntimeError):
    pass


def mask_id(number: str | None) -> str:
    """``001099012345`` -> ``0010******45`` (for logs)."""
    if not number:
        return ""
    if len(number) <= 6:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 6) + number[-2:]


def audit(
    session: Session,
    action: str,
    *,
    actor: Principal | None = None,
    dossier_id: str | None = None,
    document_id: str | None = None,
    field_key: str | None = None,
    old_value: str | None = None,
    new_value: str | None = None,
    **detail: Any,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_id=actor.token_id if actor else None,
        dossier_id=dossier_id,
        document_id=document_id,
        field_key=field_key,
        old_value=old_value,
        new_value=new_value,
        detail=detail,
    )
    session.add(event)
    return event


@dataclass(frozen=True, slots=True)
class NewDossier:
    procedure_code: str
    office: str | None = None
    channel: str | None = None
    applicant_name: str | None = None
    applicant_id_number: str | None = None
    due_at: datetime | None = None
    external_ref: str | None = None


def create_dossier(session: Session, principal: Principal, data: NewDossier) -> Dossier:
    """A new dossier in ``received``. Clerks and field agents create for their own office."""
    office = data.office
    if principal.role in (Role.CLERK, Role.FIELD_AGENT):
        if office and office != principal.office:
            raise Forbidden("you can only create dossiers for your own office")
        office = principal.office
    if not office:
        raise ValueError("office is required")
    channel = data.channel or DEFAULT_CHANNEL[principal.role]
    if channel not in Channel.ALL:
        raise ValueError(f"channel must be one of {', '.join(Channel.ALL)}")
    if principal.role == Role.PORTAL and channel != Channel.PORTAL:
        raise Forbidden("the portal can only create dossiers of channel 'portal'")
    dossier = Dossier(
        procedure_code=data.procedure_code,
        office=office,
        channel=channel,
        applicant_name=data.applicant_name,
        applicant_id_number=data.applicant_id_number,
        due_at=data.due_at,
        external_ref=data.external_ref,
        status=Status.RECEIVED,
        created_by=principal.token_id,
    )
    session.add(dossier)
    session.flush()
    audit(session, "dossier.create", actor=principal, dossier_id=dossier.id, channel=channel)
    log.info("dossier %s created (office %s, channel %s)", dossier.id, office, channel)
    return dossier


def get_dossier(
    session: Session, principal: Principal, dossier_id: str, *, full: bool = False
) -> Dossier:
    """The dossier if ``principal`` may see it; otherwise NotFound (no hint that it exists).

    ``full`` loads its documents with their parts, pages and fields in a few queries.
    """
    options = (
        [
            selectinload(Dossier.documents).options(
                selectinload(Document.parts),
                selectinload(Document.pages),
                selectinload(Document.fields),
            ),
            selectinload(Dossier.review_task),
        ]
        if full
        else []
    )
    dossier = session.get(Dossier, dossier_id, options=options)
    if dossier is None or not can_see(principal, dossier):
        raise NotFound(dossier_id)
    return dossier


def get_document(session: Session, principal: Principal, document_id: str) -> Document:
    doc = session.get(Document, document_id)
    if doc is None or not can_see(principal, doc.dossier):
        raise NotFound(document_id)
    return doc


def set_dossier_status(
    session: Session,
    dossier: Dossier,
    new: str,
    *,
    reason: str | None = None,
    actor: Principal | None = None,
) -> None:
    if dossier.status == new:
        return
    check_transition("dossier", dossier.status, new)
    old = dossier.status
    dossier.status = new
    dossier.status_reason = reason
    dossier.updated_at = utcnow()
    audit(
        session, "dossier.status", actor=actor, dossier_id=dossier.id, old_value=old, new_value=new
    )


def refresh_dossier_status(session: Session, dossier: Dossier) -> None:
    """Move the dossier along once its documents allow it (caller holds the dossier's lock).

    All documents done (awaiting review, failed...) -> ``awaiting_review`` with an open
    review task; failed documents do not block, the dossier shows them.
    """
    docs = session.scalars(select(Document).where(Document.dossier_id == dossier.id)).all()
    if not docs:
        return
    pending = [d for d in docs if d.status not in Status.DONE_PROCESSING]
    if pending:
        if can_move("dossier", dossier.status, Status.PROCESSING) and any(
            d.status == Status.PROCESSING for d in pending
        ):
            set_dossier_status(session, dossier, Status.PROCESSING)
        return
    if dossier.status in (Status.RECEIVED, Status.PROCESSING, Status.FAILED):
        failed = sum(d.status == Status.FAILED for d in docs)
        reason = f"{failed} of {len(docs)} documents could not be read" if failed else None
        set_dossier_status(session, dossier, Status.AWAITING_REVIEW, reason=reason)
        _open_review_task(session, dossier)


def _open_review_task(session: Session, dossier: Dossier) -> None:
    task = session.scalar(select(ReviewTask).where(ReviewTask.dossier_id == dossier.id))
    if task is None:
        session.add(ReviewTask(dossier_id=dossier.id, office=dossier.office, due_at=dossier.due_at))
    elif task.status == "done":
        task.status = "open"
        task.claimed_by = None
        task.lease_expires_at = None


def reopen_for_new_documents(session: Session, dossier: Dossier) -> None:
    """A document was added to a dossier: it is no longer complete."""
    if dossier.status in Status.FINAL:
        raise Conflict(f"dossier is {dossier.status}; it no longer accepts documents")
    if dossier.status == Status.AWAITING_REVIEW:
        set_dossier_status(session, dossier, Status.PROCESSING)
