"""Processing one document: the logic behind the Celery task, testable without Celery.

Exactly-once effect under at-least-once delivery:

1. *Claim* by a conditional UPDATE: ``received -> processing`` (or re-take a
   ``processing`` document whose lease has run out: its worker died). The claim
   carries a fresh token and a lease of ``task_time_limit + margin``.
2. Work outside any transaction: download the original, OCR, extract, store derived
   artefacts under the document's id (same keys on every attempt, so a re-run
   overwrites rather than duplicates).
3. *Finish* in one transaction guarded by ``status = processing AND claim_token =
   ours``: write pages, parts and fields, move the document and its dossier on. A
   worker that lost its claim writes nothing.

A delivery that finds the document already done does nothing; one that finds it
held by a live claim asks to be retried after the lease runs out (so a task
redelivered after a SIGKILL finishes the work).
"""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from extractors.types import ExtractedDocument
from ingest import metrics
from ingest.pipeline import extract_file
from ingest.records import audit, refresh_dossier_status
from ingest.redact import safe_traceback
from ingest.settings import Settings
from ingest.uploads import UploadRejected, check_path
from ocr.exceptions import OcrError
from ocr.types import OcrPage
from storage.db.models import (
    Document,
    DocumentPart,
    Dossier,
    FieldValue,
    Page,
    utcnow,
)
from storage.db.session import session_scope
from storage.db.status import Status
from storage.objects import ObjectNotFound, ObjectStore, ObjectStoreError, derived_key

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    DONE = "done"
    """Processed now: the document awaits review."""
    FAILED = "failed"
    """Processed now: the document could not be read (reason stored)."""
    ALREADY_DONE = "already_done"
    """Nothing to do: another delivery finished it (or it never existed)."""
    BUSY = "busy"
    """Another worker holds a live claim; retry after ``retry_in`` seconds."""
    RELEASED = "released"
    """A transient failure (database, object store): the claim was given back; retry."""


@dataclass(frozen=True, slots=True)
class Result:
    outcome: Outcome
    retry_in: float | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    document_id: str
    dossier_id: str
    token: str
    attempt: int
    original_key: str
    media_type: str
    filename: str | None


REASONS_VI: dict[str, str] = {
    "UnsupportedInputError": "Định dạng tệp không được hỗ trợ",
    "CorruptInputError": "Tệp bị hỏng hoặc không đọc được",
    "InputTooLargeError": "Tệp quá lớn (quá nhiều trang hoặc điểm ảnh)",
    "EncryptedInputError": "Tệp PDF có mật khẩu",
    "OcrTimeoutError": "Nhận dạng chữ quá lâu",
    "MissingDependencyError": "Lỗi cấu hình máy chủ (thiếu thành phần nhận dạng chữ)",
    "timeout": "Xử lý quá thời gian cho phép",
    "interrupted": "Xử lý bị gián đoạn nhiều lần",
    "missing": "Không tìm thấy tệp gốc trong kho lưu trữ",
    "unexpected": "Lỗi hệ thống khi xử lý",
}


def _reason(kind: str, detail: str) -> str:
    """A failure reason for the clerk (Vietnamese) with the detail for operators."""
    return f"{REASONS_VI.get(kind, 'Không đọc được tệp')} ({detail})"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _lock_dossier(session: Session, dossier_id: str) -> Dossier | None:
    """Row lock on the dossier: serialises status moves of its documents."""
    return session.scalars(
        select(Dossier).where(Dossier.id == dossier_id).with_for_update()
    ).one_or_none()


def claim(sessions: sessionmaker[Session], document_id: str, *, lease_s: float) -> Claim | Result:
    with session_scope(sessions) as s:
        dossier_id = s.scalar(select(Document.dossier_id).where(Document.id == document_id))
        if dossier_id is None:
            log.warning("document %s does not exist; nothing to do", document_id)
            return Result(Outcome.ALREADY_DONE, reason="no such document")
        dossier = _lock_dossier(s, dossier_id)
        now = utcnow()
        token = _new_token()
        res = s.execute(
            update(Document)
            .where(
                Document.id == document_id,
                or_(
                    Document.status == Status.RECEIVED,
                    and_(
                        Document.status == Status.PROCESSING,
                        or_(Document.lease_expires_at.is_(None), Document.lease_expires_at < now),
                    ),
                ),
            )
            .values(
                status=Status.PROCESSING,
                claim_token=token,
                lease_expires_at=now + timedelta(seconds=lease_s),
                attempts=Document.attempts + 1,
                failure_reason=None,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        doc = s.get(Document, document_id, populate_existing=True)
        assert doc is not None
        if res.rowcount != 1:  # type: ignore[attr-defined]
            if doc.status == Status.PROCESSING and doc.lease_expires_at is not None:
                wait = max(1.0, (doc.lease_expires_at - now).total_seconds() + 1.0)
                return Result(Outcome.BUSY, retry_in=wait, reason="held by another worker")
            return Result(Outcome.ALREADY_DONE, reason=f"document is {doc.status}")
        audit(
            s,
            "document.claimed",
            dossier_id=dossier_id,
            document_id=document_id,
            attempt=doc.attempts,
            worker=worker_id(),
        )
        if dossier is not None:
            refresh_dossier_status(s, dossier)
        return Claim(
            document_id=document_id,
            dossier_id=dossier_id,
            token=token,
            attempt=doc.attempts,
            original_key=doc.original_key,
            media_type=doc.media_type,
            filename=doc.filename,
        )


def _new_token() -> str:
    import uuid

    return str(uuid.uuid4())


def _guarded(s: Session, c: Claim) -> Document | None:
    """The document if we still hold its claim (inside the finishing transaction)."""
    _lock_dossier(s, c.dossier_id)
    doc = s.scalars(
        select(Document)
        .where(
            Document.id == c.document_id,
            Document.status == Status.PROCESSING,
            Document.claim_token == c.token,
        )
        .with_for_update()
    ).one_or_none()
    if doc is None:
        log.warning("document %s: claim lost (another worker took over); discarding", c.document_id)
    return doc


def fail(sessions: sessionmaker[Session], c: Claim, reason: str) -> Result:
    with session_scope(sessions) as s:
        doc = _guarded(s, c)
        if doc is None:
            return Result(Outcome.ALREADY_DONE, reason="claim lost")
        doc.status = Status.FAILED
        doc.failure_reason = reason
        doc.claim_token = None
        doc.lease_expires_at = None
        doc.processed_at = utcnow()
        audit(
            s,
            "document.failed",
            dossier_id=c.dossier_id,
            document_id=c.document_id,
            reason=reason,
            attempt=c.attempt,
        )
        dossier = s.get(Dossier, c.dossier_id)
        if dossier is not None:
            refresh_dossier_status(s, dossier)
    metrics.DOCUMENTS_PROCESSED.labels(status=Status.FAILED).inc()
    log.info("document %s failed: %s", c.document_id, reason)
    return Result(Outcome.FAILED, reason=reason)


def release(sessions: sessionmaker[Session], c: Claim, reason: str) -> None:
    """Give the claim back (``processing -> received``) after a transient failure."""
    try:
        with session_scope(sessions) as s:
            doc = _guarded(s, c)
            if doc is None:
                return
            doc.status = Status.RECEIVED
            doc.claim_token = None
            doc.lease_expires_at = None
            audit(
                s,
                "document.released",
                dossier_id=c.dossier_id,
                document_id=c.document_id,
                reason=reason,
            )
    except OperationalError:
        log.warning("document %s: cannot release claim; its lease will expire", c.document_id)


@dataclass(slots=True)
class _PageRecord:
    number: int
    width: int
    height: int
    image_key: str
    words_key: str
    source: str
    quality: dict[str, Any]


def _store_page(store: ObjectStore, document_id: str, page: OcrPage) -> _PageRecord:
    from PIL import Image

    image_key = derived_key(document_id, f"pages/{page.number}.jpg")
    words_key = derived_key(document_id, f"pages/{page.number}.words.json")
    if page.image is not None:
        rgb = page.image[:, :, ::-1]
        buf = io.BytesIO()
        Image.fromarray(rgb).save(buf, format="JPEG", quality=85, optimize=True)
        store.put_bytes(store.derived_bucket, image_key, buf.getvalue(), content_type="image/jpeg")
    words = {
        "page": page.number,
        "width": page.width,
        "height": page.height,
        "regions": [
            {
                "index": r.index,
                "source": r.source,
                "steps": list(r.steps),
                "to_page": [list(row) for row in r.to_page.matrix],
                "words": [
                    {
                        "text": w.text,
                        "bbox": list(w.bbox),
                        "confidence": round(w.confidence, 3),
                        "line": w.line,
                        "block": w.block,
                    }
                    for w in r.words
                ],
            }
            for r in page.regions
        ],
    }
    store.put_bytes(
        store.derived_bucket,
        words_key,
        json.dumps(words, ensure_ascii=False).encode("utf-8"),
        content_type="application/json",
    )
    source = page.regions[0].source if page.regions else "ocr"
    metrics.PAGES_PROCESSED.inc()
    return _PageRecord(
        number=page.number,
        width=page.width,
        height=page.height,
        image_key=image_key,
        words_key=words_key,
        source=source,
        quality=page.quality.to_json(),
    )


def finish(
    sessions: sessionmaker[Session],
    store: ObjectStore,
    c: Claim,
    docs: list[ExtractedDocument],
    pages: list[_PageRecord],
) -> Result:
    source = c.filename or c.document_id
    result_key = derived_key(c.document_id, "extraction.json")
    payload = {"documents": [d.to_json(source=source) for d in docs]}
    store.put_bytes(
        store.derived_bucket,
        result_key,
        json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        content_type="application/json",
    )
    with session_scope(sessions) as s:
        doc = _guarded(s, c)
        if doc is None:
            return Result(Outcome.ALREADY_DONE, reason="claim lost")
        # A re-run after a reset replaces earlier results; the unique constraints make
        # duplicates impossible in any case.
        for model in (FieldValue, DocumentPart, Page):
            s.execute(delete(model).where(model.document_id == c.document_id))
        for p in pages:
            s.add(
                Page(
                    document_id=c.document_id,
                    number=p.number,
                    width=p.width,
                    height=p.height,
                    image_key=p.image_key,
                    image_media_type="image/jpeg",
                    words_key=p.words_key,
                    source=p.source,
                    quality=p.quality,
                )
            )
        for index, d in enumerate(docs):
            s.add(
                DocumentPart(
                    document_id=c.document_id,
                    index=index,
                    pages=list(d.pages),
                    document_type=d.document_type,
                    type_confidence=float(d.type_confidence),
                    quality=d.quality.to_json(),
                    conflicts=[x.to_json() for x in d.conflicts],
                    text=d.text,
                    extras=dict(d.extras),
                )
            )
            for position, (key, f) in enumerate(d.fields.items()):
                s.add(
                    FieldValue(
                        document_id=c.document_id,
                        part=index,
                        position=position,
                        key=key,
                        value=f.value,
                        confidence=float(f.confidence),
                        source=f.source,
                        page=f.page,
                        bbox=list(f.bbox) if f.bbox else None,
                        checks=list(f.checks),
                        raw=f.raw,
                        extracted_value=f.value,
                    )
                )
        first = _primary(docs)
        doc.document_type = first.document_type if first else "unknown"
        doc.type_confidence = float(first.type_confidence) if first else 0.0
        doc.page_count = len(pages) or doc.page_count
        doc.result_key = result_key
        doc.status = Status.AWAITING_REVIEW
        doc.claim_token = None
        doc.lease_expires_at = None
        doc.processed_at = utcnow()
        audit(
            s,
            "document.processed",
            dossier_id=c.dossier_id,
            document_id=c.document_id,
            attempt=c.attempt,
            pages=len(pages),
            parts=len(docs),
            fields=sum(len(d.fields) for d in docs),
            document_type=doc.document_type,
        )
        s.flush()
        dossier = s.get(Dossier, c.dossier_id)
        if dossier is not None:
            refresh_dossier_status(s, dossier)
    metrics.DOCUMENTS_PROCESSED.labels(status=Status.AWAITING_REVIEW).inc()
    return Result(Outcome.DONE)


def _primary(docs: list[ExtractedDocument]) -> ExtractedDocument | None:
    known = [d for d in docs if d.document_type != "unknown"]
    candidates = known or docs
    return candidates[0] if candidates else None


def process_document(
    sessions: sessionmaker[Session],
    store: ObjectStore,
    document_id: str,
    *,
    settings: Settings,
    timeout_exceptions: tuple[type[BaseException], ...] = (),
) -> Result:
    """Process one document once; safe to call any number of times for the same id."""
    claimed = claim(sessions, document_id, lease_s=settings.lease_s)
    if isinstance(claimed, Result):
        log.info("document %s: %s (%s)", document_id, claimed.outcome, claimed.reason)
        return claimed
    c = claimed
    if c.attempt > settings.max_attempts:
        return fail(
            sessions,
            c,
            _reason(
                "interrupted",
                f"processing was interrupted {c.attempt - 1} times (worker crash or time "
                "limit); an administrator can re-run it",
            ),
        )
    log.info("document %s: processing (attempt %d)", document_id, c.attempt)
    started = time.monotonic()
    try:
        if settings.env == "test" and settings.test_sleep_after_claim_s > 0:
            time.sleep(settings.test_sleep_after_claim_s)  # test hook: slow, killable work
        with tempfile.TemporaryDirectory(prefix="motcua-doc-", dir=settings.tmp_dir) as tmp:
            path = Path(tmp) / "original"
            store.download(store.originals_bucket, c.original_key, path)
            # The upload checks again (limits may have changed since; a document may
            # come from elsewhere): a page or image too large fails here, cheaply.
            check_path(
                path,
                filename=c.filename,
                max_pixels=settings.max_pixels,
                max_pages=settings.max_pages,
                dpi=settings.ocr_dpi,
            )
            pages: list[_PageRecord] = []
            docs = extract_file(
                path,
                context=settings.ocr_context(),
                on_page=lambda page: pages.append(_store_page(store, document_id, page)),
            )
        result = finish(sessions, store, c, docs, pages)
    except timeout_exceptions:
        return fail(
            sessions,
            c,
            _reason(
                "timeout",
                f"processing took longer than {settings.task_soft_time_limit} s and was stopped",
            ),
        )
    except UploadRejected as exc:
        return fail(sessions, c, f"{exc.message_vi} ({exc.detail})")
    except OcrError as exc:
        return fail(sessions, c, _reason(type(exc).__name__, str(exc) or type(exc).__name__))
    except ObjectNotFound:
        return fail(
            sessions,
            c,
            _reason("missing", "the original file is missing from the object store"),
        )
    except (ObjectStoreError, OperationalError) as exc:
        log.warning("document %s: transient failure, released: %s", document_id, type(exc).__name__)
        release(sessions, c, type(exc).__name__)
        return Result(Outcome.RELEASED, retry_in=30.0, reason=type(exc).__name__)
    except Exception as exc:
        log.error("document %s: unexpected error\n%s", document_id, safe_traceback(exc))
        return fail(
            sessions,
            c,
            _reason("unexpected", f"unexpected error while processing ({type(exc).__name__})"),
        )
    finally:
        metrics.PROCESSING_SECONDS.observe(time.monotonic() - started)
    log.info("document %s: %s in %.1f s", document_id, result.outcome, time.monotonic() - started)
    return result
