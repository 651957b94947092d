"""The verification desk's API: queue, claims, corrections, decisions, history; the
portal's verified fields and webhook delivery log; progress for the field team."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from ingest import review, webhooks
from ingest.api.deps import CurrentPrincipal, SessionDep, require_roles
from ingest.api.errors import ApiError, not_found
from ingest.api.schemas import ErrorOut
from ingest.auth import Principal
from ingest.records import Conflict, Forbidden, NotFound, get_dossier
from storage.db.models import Document, Role
from storage.db.status import STATUS_LABELS_VI

log = logging.getLogger(__name__)
router = APIRouter(tags=["review"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut},
    403: {"model": ErrorOut},
    404: {"model": ErrorOut},
    409: {"model": ErrorOut},
}

Reviewer = Annotated[Principal, Depends(require_roles(Role.CLERK, Role.ADMIN))]
PortalReader = Annotated[Principal, Depends(require_roles(Role.PORTAL, Role.CLERK, Role.ADMIN))]


# Settings and the webhook queue, from app.state (tests may set them) ----------------


def get_review_settings(request: Request) -> review.ReviewSettings:
    state = request.app.state
    if getattr(state, "review_settings", None) is None:
        state.review_settings = review.ReviewSettings()
    return state.review_settings  # type: ignore[no-any-return]


def get_webhook_settings(request: Request) -> webhooks.WebhookSettings:
    state = request.app.state
    if getattr(state, "webhook_settings", None) is None:
        state.webhook_settings = webhooks.WebhookSettings()
    return state.webhook_settings  # type: ignore[no-any-return]


def get_webhook_enqueue(request: Request) -> Callable[[str], None] | None:
    """Sends a delivery id to the workers; None leaves it to the sweeper."""
    state = request.app.state
    custom = getattr(state, "enqueue_webhook", None)
    if custom is not None:
        return custom  # type: ignore[no-any-return]
    celery = getattr(state, "celery", None)
    if celery is None:
        return None
    from ingest.webhook_tasks import enqueue_delivery

    return lambda delivery_id: enqueue_delivery(celery, delivery_id)


ReviewSettingsDep = Annotated[review.ReviewSettings, Depends(get_review_settings)]
WebhookSettingsDep = Annotated[webhooks.WebhookSettings, Depends(get_webhook_settings)]
WebhookEnqueueDep = Annotated[Callable[[str], None] | None, Depends(get_webhook_enqueue)]


# Errors -----------------------------------------------------------------------------


def _translate(exc: Exception) -> ApiError:
    if isinstance(exc, NotFound):
        return not_found("dossier")
    if isinstance(exc, Forbidden):
        return ApiError(403, "forbidden", str(exc), "Bạn không có quyền thực hiện thao tác này")
    if isinstance(exc, review.ClaimTaken):
        return ApiError(409, "claimed_by_other", str(exc), "Hồ sơ đang được cán bộ khác kiểm tra")
    if isinstance(exc, review.NotClaimed):
        return ApiError(
            409,
            "not_claimed",
            str(exc),
            "Bạn chưa nhận hồ sơ này, hoặc hồ sơ đã được người khác nhận sau khi hết hạn giữ",
        )
    if isinstance(exc, Conflict):
        msg = str(exc)
        if "conflicting fields" in msg:
            return ApiError(
                409, "unresolved_conflicts", msg, "Còn trường có xung đột chưa được xác nhận"
            )
        return ApiError(409, "invalid_state", msg, "Hồ sơ không còn ở trạng thái chờ kiểm tra")
    if isinstance(exc, ValueError):
        return ApiError(422, "invalid_value", str(exc), "Giá trị không hợp lệ")
    raise exc


def _page_url(request: Request) -> Callable[[str, int], str]:
    prefix = request.scope.get("root_path", "")

    def url(document_id: str, number: int) -> str:
        return f"{prefix}/api/v1/documents/{document_id}/pages/{number}/image"

    return url


# Who am I ---------------------------------------------------------------------------


@router.get("/me", summary="The token's holder: name, role, office (for the web pages)")
def me(principal: CurrentPrincipal) -> dict[str, Any]:
    return {"name": principal.name, "role": principal.role, "office": principal.office}


# Queue and claims -------------------------------------------------------------------


@router.get(
    "/review/queue", responses=ERRORS, summary="Dossiers awaiting review, most urgent first"
)
def get_queue(
    session: SessionDep,
    principal: Reviewer,
    office: Annotated[
        str | None, Query(description="Admin only: one office", min_length=1, max_length=100)
    ] = None,
) -> dict[str, Any]:
    return {"items": review.queue(session, principal, office=office)}


@router.post("/review/claim", responses=ERRORS, summary="Claim the next dossier of the office")
def claim_next(
    session: SessionDep, principal: Reviewer, settings: ReviewSettingsDep
) -> JSONResponse:
    try:
        got = review.claim_next(session, principal, lease_s=settings.lease_s)
    except (Forbidden, Conflict) as exc:
        raise _translate(exc) from exc
    session.commit()
    if got is None:
        raise ApiError(404, "queue_empty", "no dossier is waiting", "Không còn hồ sơ chờ duyệt")
    return JSONResponse(got.to_json())


@router.post(
    "/review/dossiers/{dossier_id}/claim",
    responses=ERRORS,
    summary="Claim one dossier, or renew the lease on it (heartbeat)",
)
def claim_one(
    dossier_id: str, session: SessionDep, principal: Reviewer, settings: ReviewSettingsDep
) -> dict[str, Any]:
    try:
        got = review.claim(session, principal, dossier_id, lease_s=settings.lease_s)
    except (NotFound, Forbidden, Conflict) as exc:
        session.rollback()
        raise _translate(exc) from exc
    session.commit()
    return got.to_json()


@router.post("/review/dossiers/{dossier_id}/release", responses=ERRORS, summary="Give it back")
def release(dossier_id: str, session: SessionDep, principal: Reviewer) -> dict[str, Any]:
    try:
        released = review.release(session, principal, dossier_id)
    except (NotFound, Forbidden) as exc:
        raise _translate(exc) from exc
    session.commit()
    return {"released": released}


# The dossier ------------------------------------------------------------------------


@router.get(
    "/review/dossiers/{dossier_id}",
    responses=ERRORS,
    summary="Everything the verification page shows (reading it is audited)",
)
def read(
    dossier_id: str, request: Request, session: SessionDep, principal: Reviewer
) -> dict[str, Any]:
    try:
        view = review.dossier_view(session, principal, dossier_id, page_url=_page_url(request))
        view["history"] = review.history(session, principal, dossier_id, record_read=False)
    except (NotFound, Forbidden) as exc:
        raise _translate(exc) from exc
    session.commit()
    return view


class ConfirmField(BaseModel):
    """The value is right as shown."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["confirm"]


class CorrectField(BaseModel):
    """The clerk's value replaces the extracted one (recorded with the old value)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["correct"]
    value: str = Field(max_length=2000)


FieldChange = Annotated[ConfirmField | CorrectField, Field(discriminator="action")]


@router.patch(
    "/review/dossiers/{dossier_id}/fields/{field_id}",
    responses={**ERRORS, 422: {"model": ErrorOut}},
    summary="Confirm a field, or correct its value (recorded in the history)",
)
def change_field(
    dossier_id: str,
    field_id: str,
    body: FieldChange,
    session: SessionDep,
    principal: Reviewer,
    settings: ReviewSettingsDep,
) -> dict[str, Any]:
    try:
        if body.action == "confirm":
            field, event = review.confirm_field(
                session, principal, dossier_id, field_id, lease_s=settings.lease_s
            )
        else:
            field, event = review.correct_field(
                session, principal, dossier_id, field_id, body.value, lease_s=settings.lease_s
            )
    except (NotFound, Forbidden, Conflict, ValueError) as exc:
        session.rollback()
        if isinstance(exc, NotFound) and str(exc) == field_id:
            raise not_found("field") from exc
        raise _translate(exc) from exc
    out = {
        "field": review.field_view(field),
        "event": review.event_json(event, principal.name, principal.role),
        "applicant": review.applicant_record(session, dossier_id),
        "lease_expires_at": review.lease_of(session, dossier_id),
    }
    session.commit()
    return out


class Rejection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # a reason of spaces (or control characters) alone is no reason: the schema says so,
    # as the check does (the class is one every regex dialect reads alike)
    reason: str = Field(min_length=1, max_length=2000, pattern=r"[^\s\x00-\x1f\x7f]")


def _after_decision(delivery_id: str | None, enqueue: Callable[[str], None] | None) -> None:
    if delivery_id is None or enqueue is None:
        return
    try:
        enqueue(delivery_id)
    except Exception:  # noqa: BLE001 - broker down: the sweeper sends it later
        log.warning("cannot enqueue webhook %s; the sweeper will retry", delivery_id, exc_info=True)


@router.post(
    "/review/dossiers/{dossier_id}/approve",
    responses=ERRORS,
    summary="Approve: the dossier is verified and the portal is told",
)
def approve(
    dossier_id: str,
    session: SessionDep,
    principal: Reviewer,
    settings: ReviewSettingsDep,
    hooks: WebhookSettingsDep,
    enqueue: WebhookEnqueueDep,
) -> dict[str, Any]:
    try:
        dossier, delivery = review.approve(
            session, principal, dossier_id, lease_s=settings.lease_s, webhooks=hooks
        )
    except (NotFound, Forbidden, Conflict, ValueError) as exc:
        session.rollback()
        raise _translate(exc) from exc
    delivery_id = delivery.id if delivery else None
    session.commit()
    _after_decision(delivery_id, enqueue)
    return {"dossier_id": dossier.id, "status": dossier.status, "webhook_delivery": delivery_id}


@router.post(
    "/review/dossiers/{dossier_id}/reject",
    responses={**ERRORS, 422: {"model": ErrorOut}},
    summary="Reject with a reason; the portal is told",
)
def reject(
    dossier_id: str,
    body: Rejection,
    session: SessionDep,
    principal: Reviewer,
    settings: ReviewSettingsDep,
    hooks: WebhookSettingsDep,
    enqueue: WebhookEnqueueDep,
) -> dict[str, Any]:
    try:
        dossier, delivery = review.reject(
            session, principal, dossier_id, body.reason, lease_s=settings.lease_s, webhooks=hooks
        )
    except (NotFound, Forbidden, Conflict, ValueError) as exc:
        session.rollback()
        raise _translate(exc) from exc
    delivery_id = delivery.id if delivery else None
    session.commit()
    _after_decision(delivery_id, enqueue)
    return {
        "dossier_id": dossier.id,
        "status": dossier.status,
        "reason": dossier.status_reason,
        "webhook_delivery": delivery_id,
    }


@router.get(
    "/dossiers/{dossier_id}/history",
    responses=ERRORS,
    summary="The dossier's audit trail: every correction with old and new value, who, when",
)
def history(dossier_id: str, session: SessionDep, principal: Reviewer) -> dict[str, Any]:
    try:
        items = review.history(session, principal, dossier_id)
    except (NotFound, Forbidden) as exc:
        raise _translate(exc) from exc
    session.commit()
    return {"items": items}


# For the portal ---------------------------------------------------------------------


@router.get(
    "/dossiers/{dossier_id}/verified",
    responses=ERRORS,
    summary="The fields as the clerk verified them (after the dossier.verified webhook)",
)
def verified(dossier_id: str, session: SessionDep, principal: PortalReader) -> dict[str, Any]:
    try:
        out = review.verified_fields(session, principal, dossier_id)
    except (NotFound, Forbidden, Conflict) as exc:
        raise _translate(exc) from exc
    session.commit()
    return out


@router.get(
    "/dossiers/{dossier_id}/webhooks",
    responses=ERRORS,
    summary="The webhook delivery log of a dossier (every attempt)",
)
def webhook_log(dossier_id: str, session: SessionDep, principal: PortalReader) -> dict[str, Any]:
    try:
        get_dossier(session, principal, dossier_id)
    except NotFound as exc:
        raise not_found("dossier") from exc
    return {"items": webhooks.delivery_log(session, dossier_id)}


# For the field team -----------------------------------------------------------------


@router.get(
    "/dossiers/{dossier_id}/progress",
    responses=ERRORS,
    summary="Processing progress (statuses only, no personal data; for polling)",
)
def progress(dossier_id: str, session: SessionDep, principal: CurrentPrincipal) -> dict[str, Any]:
    try:
        dossier = get_dossier(session, principal, dossier_id)
    except NotFound as exc:
        raise not_found("dossier") from exc
    docs = session.scalars(
        select(Document).where(Document.dossier_id == dossier_id).order_by(Document.created_at)
    ).all()
    return {
        "dossier_id": dossier.id,
        "status": dossier.status,
        "status_label_vi": STATUS_LABELS_VI.get(dossier.status, dossier.status),
        "status_reason": dossier.status_reason,
        "documents": [
            {
                "id": d.id,
                "status": d.status,
                "status_label_vi": STATUS_LABELS_VI.get(d.status, d.status),
                "failure_reason": d.failure_reason,
                "document_type": d.document_type,
            }
            for d in docs
        ],
    }
