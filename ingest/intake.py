"""Accepting uploaded files into a dossier: check, store the original, record, (then enqueue).

Write order: object store -> database commit -> enqueue. An upload is acknowledged
only once its original is durably stored and its row committed; the enqueue may
fail (broker down) and the sweeper sends it later.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ingest import metrics
from ingest.auth import Principal
from ingest.records import Conflict, NotFound, audit, get_dossier
from ingest.runtime import Runtime
from ingest.sweeper import mark_enqueued
from ingest.uploads import ReceivedFile, UploadRejected, assess_quality, inspect_file
from ingest.views import API
from storage.db.models import Document, Dossier, IdempotencyKey
from storage.db.session import session_scope
from storage.db.status import Status, can_move, check_transition
from storage.objects import original_key

log = logging.getLogger(__name__)


class IdempotencyMismatch(ValueError):
    pass


@dataclass(slots=True)
class IntakeResult:
    status_code: int
    body: dict[str, Any]
    new_document_ids: list[str] = field(default_factory=list)
    replayed: bool = False


def fingerprint(dossier_id: str, files: list[ReceivedFile]) -> str:
    h = hashlib.sha256(dossier_id.encode())
    for rf in files:
        h.update(b"\n" + rf.sha256.encode())
    return h.hexdigest()


def check_dossier_open(rt: Runtime, principal: Principal, dossier_id: str) -> None:
    """Fail fast (before reading the body) if the dossier is invisible or closed."""
    with rt.sessions() as s:
        dossier = get_dossier(s, principal, dossier_id)
        if dossier.status in Status.FINAL:
            raise Conflict(f"dossier is {dossier.status}; it no longer accepts documents")


def accept_files(
    rt: Runtime,
    principal: Principal,
    dossier_id: str,
    files: list[ReceivedFile],
    *,
    idempotency_key: str | None = None,
) -> IntakeResult:
    """Check every file, store the originals, record the documents. Nothing is stored
    unless every file is acceptable (the request is answered as a whole)."""
    settings = rt.settings
    if not files:
        raise UploadRejected(
            422, "no_file", "the request holds no file", "Chưa có tệp nào được gửi lên"
        )
    for rf in files:
        inspect_file(
            rf,
            max_pixels=settings.max_pixels,
            max_pages=settings.max_pages,
            dpi=settings.ocr_dpi,
        )
    fp = fingerprint(dossier_id, files)

    with rt.sessions() as s:
        replay_ = replay(s, principal, idempotency_key, fp)
        if replay_ is not None:
            return replay_
        dossier = get_dossier(s, principal, dossier_id)
        if dossier.status in Status.FINAL:
            raise Conflict(f"dossier is {dossier.status}; it no longer accepts documents")

    unique: dict[str, ReceivedFile] = {}
    for rf in files:
        unique.setdefault(rf.sha256, rf)
    for rf in unique.values():
        rf.quality = assess_quality(rf)

    # 1. Object store: content-addressed, written once, never modified.
    store = rt.store
    for rf in unique.values():
        key = original_key(rf.sha256)
        if not store.exists(store.originals_bucket, key):
            store.put_file(store.originals_bucket, key, rf.path, content_type=rf.media_type or "")

    # 2. Database, in one transaction (retried if a concurrent request won a race).
    for attempt in range(3):
        try:
            return _record(rt, principal, dossier_id, list(unique.values()), idempotency_key, fp)
        except IntegrityError:
            if attempt == 2:
                raise
            log.info("upload to dossier %s raced another request; retrying", dossier_id)
    raise AssertionError("unreachable")


def replay(s: Session, principal: Principal, key: str | None, fp: str) -> IntakeResult | None:
    """The stored answer for a repeated ``Idempotency-Key`` (same request), else None."""
    if not key:
        return None
    row = s.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.token_id == principal.token_id, IdempotencyKey.key == key
        )
    )
    if row is None:
        return None
    if row.fingerprint != fp:
        raise IdempotencyMismatch(key)
    return IntakeResult(row.status_code, row.response, replayed=True)


def _record(
    rt: Runtime,
    principal: Principal,
    dossier_id: str,
    files: list[ReceivedFile],
    key: str | None,
    fp: str,
) -> IntakeResult:
    with session_scope(rt.sessions) as s:
        replay_ = replay(s, principal, key, fp)
        if replay_ is not None:
            return replay_
        dossier = s.scalars(
            select(Dossier).where(Dossier.id == dossier_id).with_for_update()
        ).one_or_none()
        if dossier is None:
            raise NotFound(dossier_id)
        out: list[dict[str, Any]] = []
        new_ids: list[str] = []
        for rf in files:
            doc = s.scalar(
                select(Document).where(
                    Document.dossier_id == dossier_id, Document.sha256 == rf.sha256
                )
            )
            duplicate = doc is not None
            if doc is None:
                doc = Document(
                    dossier_id=dossier_id,
                    original_key=original_key(rf.sha256),
                    sha256=rf.sha256,
                    media_type=rf.media_type or "application/octet-stream",
                    size_bytes=rf.size,
                    filename=rf.filename,
                    page_count=rf.page_count,
                    status=Status.RECEIVED,
                    upload_quality=rf.quality,
                    uploaded_by=principal.token_id,
                )
                s.add(doc)
                s.flush()
                new_ids.append(doc.id)
                audit(
                    s,
                    "document.upload",
                    actor=principal,
                    dossier_id=dossier_id,
                    document_id=doc.id,
                    sha256=rf.sha256,
                    size_bytes=rf.size,
                    media_type=doc.media_type,
                )
            out.append(
                {
                    "id": doc.id,
                    "filename": doc.filename,
                    "sha256": doc.sha256,
                    "media_type": doc.media_type,
                    "size_bytes": doc.size_bytes,
                    "page_count": doc.page_count,
                    "status": doc.status,
                    "duplicate": duplicate,
                    "quality": doc.upload_quality if duplicate else rf.quality,
                    "links": {"self": f"{API}/documents/{doc.id}"},
                }
            )
        if new_ids and dossier.status not in (Status.RECEIVED, Status.PROCESSING):
            if not can_move("dossier", dossier.status, Status.PROCESSING):
                raise Conflict(f"dossier is {dossier.status}; it no longer accepts documents")
            check_transition("dossier", dossier.status, Status.PROCESSING)
            old = dossier.status
            dossier.status = Status.PROCESSING
            dossier.status_reason = None
            audit(
                s,
                "dossier.status",
                dossier_id=dossier_id,
                old_value=old,
                new_value=Status.PROCESSING,
                reason="new documents",
            )
        body = {"dossier_id": dossier_id, "documents": out}
        status_code = 201 if new_ids else 200
        if key:
            s.add(
                IdempotencyKey(
                    token_id=principal.token_id,
                    key=key,
                    fingerprint=fp,
                    status_code=status_code,
                    response=body,
                )
            )
    for _ in new_ids:
        metrics.UPLOADS.labels(result="accepted").inc()
    for _ in range(len(files) - len(new_ids)):
        metrics.UPLOADS.labels(result="duplicate").inc()
    log.info(
        "dossier %s: %d new document(s), %d duplicate(s)",
        dossier_id,
        len(new_ids),
        len(files) - len(new_ids),
    )
    return IntakeResult(status_code, body, new_ids)


def enqueue_new(rt: Runtime, enqueue: Any, document_ids: list[str]) -> None:
    """3. Enqueue after the commit; a failure leaves the document for the sweeper."""
    for doc_id in document_ids:
        try:
            enqueue(doc_id)
        except Exception:  # noqa: BLE001 - broker down: the sweeper re-enqueues
            metrics.ENQUEUE_FAILURES.inc()
            log.warning("cannot enqueue document %s; the sweeper will retry", doc_id, exc_info=True)
            continue
        try:
            mark_enqueued(rt.sessions, doc_id)
        except Exception:  # noqa: BLE001 - only bookkeeping for the sweeper
            log.warning("cannot record enqueue time of %s", doc_id, exc_info=True)
