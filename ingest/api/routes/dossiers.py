"""Dossiers: create, list, read, upload documents."""

from __future__ import annotations

import hashlib
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from starlette.requests import ClientDisconnect

from ingest import intake
from ingest.api.deps import CurrentPrincipal, EnqueueDep, RuntimeDep, SessionDep
from ingest.api.errors import ApiError, not_found
from ingest.api.schemas import DossierCreate, DossierListOut, DossierOut, ErrorOut, UploadOut
from ingest.auth import visible_dossiers
from ingest.records import (
    Conflict,
    Forbidden,
    NewDossier,
    NotFound,
    audit,
    create_dossier,
    get_dossier,
)
from ingest.uploads import StreamingReceiver, UploadRejected, too_large
from ingest.views import dossier_json, dossier_summary
from ocr.decode import SUPPORTED
from storage.db.models import Dossier, IdempotencyKey
from storage.db.status import Status

log = logging.getLogger(__name__)
router = APIRouter(tags=["dossiers"])

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut},
    403: {"model": ErrorOut},
    404: {"model": ErrorOut},
}


@router.post(
    "/dossiers",
    status_code=201,
    response_model=DossierOut,
    responses=ERRORS,
    summary="Create a dossier (hồ sơ)",
    description="Send an `Idempotency-Key` header to make a retried request return the "
    "first answer instead of creating a second dossier.",
)
def create(
    body: DossierCreate,
    session: SessionDep,
    principal: CurrentPrincipal,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    fp = hashlib.sha256(b"POST /dossiers\n" + body.model_dump_json().encode()).hexdigest()
    try:
        previous = intake.replay(session, principal, idempotency_key, fp)
    except intake.IdempotencyMismatch as exc:
        raise _key_reused() from exc
    if previous is not None:
        return JSONResponse(previous.body, previous.status_code, headers=REPLAYED)
    try:
        dossier = create_dossier(session, principal, NewDossier(**body.model_dump()))
    except Forbidden as exc:
        raise ApiError(
            403, "forbidden", str(exc), "Bạn không được tạo hồ sơ cho đơn vị khác"
        ) from exc
    except ValueError as exc:
        raise ApiError(422, "invalid_dossier", str(exc), "Thông tin hồ sơ không hợp lệ") from exc
    out = dossier_json(dossier)
    if idempotency_key:
        session.add(
            IdempotencyKey(
                token_id=principal.token_id,
                key=idempotency_key,
                fingerprint=fp,
                status_code=201,
                response=out,
            )
        )
    try:
        session.commit()
    except IntegrityError:  # the same key raced in from a concurrent retry
        session.rollback()
        previous = intake.replay(session, principal, idempotency_key, fp)
        if previous is None:
            raise
        return JSONResponse(previous.body, previous.status_code, headers=REPLAYED)
    return JSONResponse(out, status_code=201)


def _key_reused() -> ApiError:
    return ApiError(
        422,
        "idempotency_key_reused",
        "this Idempotency-Key was already used for a different request",
        "Mã Idempotency-Key đã dùng cho một yêu cầu khác",
    )


REPLAYED = {"Idempotent-Replayed": "true"}


@router.get("/dossiers", response_model=DossierListOut, responses=ERRORS, summary="List dossiers")
def list_dossiers(
    session: SessionDep,
    principal: CurrentPrincipal,
    status: Annotated[
        str | None,
        Query(description="Filter by status", json_schema_extra={"enum": list(Status.ALL)}),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> dict:
    if status is not None and status not in Status.ALL:
        raise ApiError(
            422,
            "invalid_status",
            f"status must be one of {', '.join(Status.ALL)}",
            "Trạng thái không hợp lệ",
        )
    stmt = visible_dossiers(principal, select(Dossier))
    if status:
        stmt = stmt.where(Dossier.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(stmt.order_by(Dossier.created_at.desc()).limit(limit).offset(offset))
    return {
        "items": [dossier_summary(d) for d in rows],
        "total": total,
        "limit": limit,
        "offset": offset,
    }


@router.get(
    "/dossiers/{dossier_id}",
    response_model=DossierOut,
    responses=ERRORS,
    summary="Read a dossier with its documents and fields",
)
def read(dossier_id: str, session: SessionDep, principal: CurrentPrincipal) -> JSONResponse:
    try:
        dossier = get_dossier(session, principal, dossier_id, full=True)
    except NotFound as exc:
        raise not_found("dossier") from exc
    body = dossier_json(dossier)
    audit(session, "dossier.read", actor=principal, dossier_id=dossier.id)
    session.commit()
    return JSONResponse(body)


UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "files": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                            "description": f"One or more {SUPPORTED} files",
                        }
                    },
                    "required": ["files"],
                }
            }
        },
    }
}


@router.post(
    "/dossiers/{dossier_id}/documents",
    status_code=201,
    response_model=UploadOut,
    responses={
        **ERRORS,
        200: {"model": UploadOut, "description": "Every file was already in the dossier"},
        409: {"model": ErrorOut},
        413: {"model": ErrorOut},
        415: {"model": ErrorOut},
        422: {"model": ErrorOut},
    },
    openapi_extra=UPLOAD_BODY,
    summary="Upload documents to a dossier (multipart, field `files`)",
    description=(
        f"Files are checked by their content ({SUPPORTED}), limited in size, "
        "stored unchanged and queued for reading. Send an `Idempotency-Key` header to make "
        "a retried upload return the first answer instead of a duplicate. The same file "
        "twice in a dossier is one document (`duplicate: true`)."
    ),
)
async def upload(
    dossier_id: str,
    request: Request,
    rt: RuntimeDep,
    principal: CurrentPrincipal,
    enqueue: EnqueueDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    settings = rt.settings
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or b"boundary" not in params:
        raise ApiError(
            415,
            "not_multipart",
            "send the files as multipart/form-data",
            "Hãy gửi tệp theo dạng multipart/form-data",
        )
    length = request.headers.get("content-length")
    limit = settings.max_upload_bytes * settings.max_files_per_request + 1024 * 1024
    if length is not None and length.isdigit() and int(length) > limit:
        raise too_large(settings.max_upload_bytes)
    try:
        await run_in_threadpool(intake.check_dossier_open, rt, principal, dossier_id)
    except NotFound as exc:
        raise not_found("dossier") from exc
    except Conflict as exc:
        raise ApiError(
            409, "dossier_closed", str(exc), "Hồ sơ đã đóng, không nhận thêm tài liệu"
        ) from exc

    receiver = StreamingReceiver(
        tmp_dir=settings.tmp_dir,
        max_bytes=settings.max_upload_bytes,
        max_files=settings.max_files_per_request,
    )
    try:
        parser = MultipartParser(params[b"boundary"], receiver.callbacks())  # type: ignore[arg-type]
        try:
            async for chunk in request.stream():
                parser.write(chunk)
            parser.finalize()
        except FormParserError as exc:
            raise ApiError(
                400,
                "bad_multipart",
                f"malformed multipart body: {exc}",
                "Dữ liệu gửi lên bị lỗi, hãy thử lại",
            ) from exc
        except ClientDisconnect as exc:
            # Nothing was stored; the answer goes nowhere but the log stays quiet.
            log.info("upload to dossier %s: the client went away mid-body", dossier_id)
            raise ApiError(
                400,
                "client_disconnected",
                "the upload was interrupted before the body was complete; nothing was saved",
                "Việc gửi tệp bị gián đoạn, chưa lưu gì; hãy gửi lại",
            ) from exc
        try:
            result = await run_in_threadpool(
                intake.accept_files,
                rt,
                principal,
                dossier_id,
                receiver.files,
                idempotency_key=idempotency_key,
            )
        except UploadRejected as exc:
            from ingest import metrics

            metrics.UPLOADS.labels(result=exc.code).inc()
            raise
        except intake.IdempotencyMismatch as exc:
            raise _key_reused() from exc
        except NotFound as exc:
            raise not_found("dossier") from exc
        except Conflict as exc:
            raise ApiError(
                409, "dossier_closed", str(exc), "Hồ sơ đã đóng, không nhận thêm tài liệu"
            ) from exc
    finally:
        receiver.cleanup()
    if result.new_document_ids:
        await run_in_threadpool(intake.enqueue_new, rt, enqueue, result.new_document_ids)
    headers = REPLAYED if result.replayed else None
    return JSONResponse(result.body, status_code=result.status_code, headers=headers)
