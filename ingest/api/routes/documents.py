"""Documents: read one (fields in the spec's shape), its page images, its original."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy import select

from ingest.api.deps import CurrentPrincipal, EnqueueDep, RuntimeDep, SessionDep, require_roles
from ingest.api.errors import ApiError, not_found
from ingest.api.schemas import DocumentOut, ErrorOut
from ingest.auth import Principal
from ingest.intake import enqueue_new
from ingest.records import NotFound, audit, get_document, set_dossier_status
from ingest.views import document_json
from storage.db.models import Dossier, Page, Role
from storage.db.status import Status, can_move
from storage.objects import ObjectNotFound

router = APIRouter(tags=["documents"])

ERRORS: dict[int | str, dict[str, Any]] = {401: {"model": ErrorOut}, 404: {"model": ErrorOut}}
CHUNK = 256 * 1024


@router.get(
    "/documents/{document_id}",
    response_model=DocumentOut,
    responses=ERRORS,
    summary="Read a document: status and, once processed, its fields (spec shape)",
)
def read(document_id: str, session: SessionDep, principal: CurrentPrincipal) -> JSONResponse:
    try:
        doc = get_document(session, principal, document_id)
    except NotFound as exc:
        raise not_found("document") from exc
    body = document_json(doc)
    audit(session, "document.read", actor=principal, dossier_id=doc.dossier_id, document_id=doc.id)
    session.commit()
    return JSONResponse(body)


def _stream(store: Any, bucket: str, key: str) -> Any:
    fh = store.open(bucket, key)

    def chunks() -> Any:
        try:
            while data := fh.read(CHUNK):
                yield data
        finally:
            fh.close()

    return chunks()


@router.get(
    "/documents/{document_id}/pages/{number}/image",
    responses={**ERRORS, 200: {"content": {"image/jpeg": {}}}},
    response_class=StreamingResponse,
    summary="The image of one page (JPEG), as uploaded after EXIF rotation",
)
async def page_image(
    document_id: str,
    number: Annotated[int, Path(ge=1, le=100_000, description="1-based page number")],
    rt: RuntimeDep,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> StreamingResponse:
    def lookup() -> tuple[str, str]:
        try:
            doc = get_document(session, principal, document_id)
        except NotFound as exc:
            raise not_found("document") from exc
        page = session.scalar(select(Page).where(Page.document_id == doc.id, Page.number == number))
        if page is None:
            session.rollback()
            raise not_found("page")
        # a page image shows the citizen's papers: reading it is personal data, audited
        audit(
            session,
            "document.page_image",
            actor=principal,
            dossier_id=doc.dossier_id,
            document_id=doc.id,
            page=number,
        )
        image_key, media_type = page.image_key, page.image_media_type
        session.commit()
        return image_key, media_type

    image_key, media_type = await run_in_threadpool(lookup)
    try:
        body = await run_in_threadpool(_stream, rt.store, rt.store.derived_bucket, image_key)
    except ObjectNotFound as exc:
        raise not_found("page") from exc
    return StreamingResponse(
        body, media_type=media_type, headers={"Cache-Control": "private, max-age=3600"}
    )


@router.get(
    "/documents/{document_id}/original",
    responses={**ERRORS, 200: {"content": {"application/octet-stream": {}}}},
    response_class=StreamingResponse,
    summary="The original file, byte for byte as uploaded",
)
async def original(
    document_id: str, rt: RuntimeDep, session: SessionDep, principal: CurrentPrincipal
) -> StreamingResponse:
    def lookup() -> tuple[str, str, str | None]:
        try:
            doc = get_document(session, principal, document_id)
        except NotFound as exc:
            raise not_found("document") from exc
        audit(
            session,
            "document.original",
            actor=principal,
            dossier_id=doc.dossier_id,
            document_id=doc.id,
        )
        session.commit()
        return doc.original_key, doc.media_type, doc.filename

    key, media_type, filename = await run_in_threadpool(lookup)
    try:
        body = await run_in_threadpool(_stream, rt.store, rt.store.originals_bucket, key)
    except ObjectNotFound as exc:
        raise not_found("document") from exc
    headers = {"Cache-Control": "private, no-store"}
    if filename:
        headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return StreamingResponse(body, media_type=media_type, headers=headers)


@router.post(
    "/documents/{document_id}/reprocess",
    response_model=DocumentOut,
    responses={**ERRORS, 403: {"model": ErrorOut}, 409: {"model": ErrorOut}},
    summary="Read a failed or processed document again (clerk of its office, admin)",
)
def reprocess(
    document_id: str,
    rt: RuntimeDep,
    session: SessionDep,
    enqueue: EnqueueDep,
    principal: Principal = Depends(require_roles(Role.CLERK, Role.ADMIN)),  # noqa: B008
) -> JSONResponse:
    try:
        doc = get_document(session, principal, document_id)
    except NotFound as exc:
        raise not_found("document") from exc
    # Same lock order as the worker (dossier, then document): no deadlock with a claim.
    session.execute(select(Dossier).where(Dossier.id == doc.dossier_id).with_for_update())
    session.refresh(doc)
    if not can_move("document", doc.status, Status.RECEIVED) or doc.status == Status.PROCESSING:
        raise ApiError(
            409,
            "not_reprocessable",
            f"document is {doc.status}",
            "Tài liệu đang xử lý hoặc đã được xác minh",
        )
    old = doc.status
    doc.status = Status.RECEIVED
    doc.failure_reason = None
    doc.attempts = 0
    dossier = doc.dossier
    if dossier.status != Status.RECEIVED and can_move("dossier", dossier.status, Status.PROCESSING):
        set_dossier_status(session, dossier, Status.PROCESSING, actor=principal)
    audit(
        session,
        "document.reprocess",
        actor=principal,
        dossier_id=doc.dossier_id,
        document_id=doc.id,
        old_value=old,
        new_value=Status.RECEIVED,
    )
    session.commit()
    enqueue_new(rt, enqueue, [doc.id])
    session.refresh(doc)
    return JSONResponse(document_json(doc))
