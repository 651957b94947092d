"""Worker logic without Celery: claims, leases, exactly-once results, failures with reasons."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from ingest_kit import Service, png_bytes
from sqlalchemy import func, select, update

from ingest.processing import Outcome, claim, finish, process_document
from storage.db.models import (
    AuditEvent,
    Document,
    Dossier,
    FieldValue,
    Page,
    ReviewTask,
    utcnow,
)
from storage.db.session import session_scope
from storage.objects import derived_key, original_key

pytestmark = [pytest.mark.needs_services, pytest.mark.needs_tesseract]

API = "/api/v1"


def _upload(svc: Service, data: bytes, name: str = "scan.png") -> tuple[str, str]:
    token = svc.token("clerk", "ubnd-a")
    r = svc.client.post(f"{API}/dossiers", json={"procedure_code": "p"}, headers=svc.auth(token))
    dossier_id = r.json()["id"]
    r = svc.client.post(
        f"{API}/dossiers/{dossier_id}/documents",
        files=[("files", (name, data, "image/png"))],
        headers=svc.auth(token),
    )
    assert r.status_code == 201, r.text
    return dossier_id, r.json()["documents"][0]["id"]


def _count(svc: Service, model: type, document_id: str) -> int:
    with svc.runtime.sessions() as s:
        return (
            s.scalar(
                select(func.count()).select_from(model).where(model.document_id == document_id)
            )
            or 0
        )


def _scan() -> bytes:
    return png_bytes(size=(900, 200), text="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def test_process_once_then_redelivery_does_nothing(service: Service) -> None:
    dossier_id, doc_id = _upload(service, _scan())
    rt = service.runtime

    result = process_document(rt.sessions, rt.store, doc_id, settings=service.settings)
    assert result.outcome == Outcome.DONE

    with rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        assert doc.status == "awaiting_review" and doc.attempts == 1
        assert doc.page_count == 1 and doc.result_key == derived_key(doc_id, "extraction.json")
        assert doc.document_type is not None
        dossier = s.get(Dossier, dossier_id)
        assert dossier is not None and dossier.status == "awaiting_review"
        assert s.scalar(select(ReviewTask).where(ReviewTask.dossier_id == dossier_id)) is not None
        (page,) = s.scalars(select(Page).where(Page.document_id == doc_id)).all()
        assert (page.width, page.height) == (900, 200)
    store = rt.store
    assert store.get_bytes(store.derived_bucket, page.image_key)[:3] == b"\xff\xd8\xff"
    words = store.get_bytes(store.derived_bucket, page.words_key).decode()
    assert "CỘNG" in words or "HÒA" in words or "NAM" in words

    # A duplicate delivery: nothing happens twice.
    again = process_document(rt.sessions, rt.store, doc_id, settings=service.settings)
    assert again.outcome == Outcome.ALREADY_DONE
    assert _count(service, Page, doc_id) == 1
    with rt.sessions() as s:
        processed = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.document_id == doc_id, AuditEvent.action == "document.processed")
        )
    assert processed == 1

    # The API shows the processed document with its page image.
    token = service.token("clerk", "ubnd-a")
    body = service.client.get(f"{API}/dossiers/{dossier_id}", headers=service.auth(token)).json()
    assert body["status"] == "awaiting_review" and body["review_task"]["status"] == "open"
    assert body["progress"] == {"documents": 1, "processed": 1, "failed": 0}
    entry = body["documents"][0]
    assert entry["pages"] == [1] and entry["status"] == "awaiting_review"
    assert "VIỆT" in entry["text"] or "NAM" in entry["text"]
    r = service.client.get(entry["links"]["pages"][0], headers=service.auth(token))
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    r = service.client.get(entry["links"]["original"], headers=service.auth(token))
    assert hashlib.sha256(r.content).hexdigest() == entry["sha256"]


def test_live_claim_makes_a_second_delivery_wait(service: Service) -> None:
    """GIVEN a document claimed by a (still running) worker WHEN another delivery arrives
    THEN it is told to retry after the lease, and writes nothing."""
    _, doc_id = _upload(service, _scan())
    rt = service.runtime
    first = claim(rt.sessions, doc_id, lease_s=120)
    assert not hasattr(first, "outcome")
    second = process_document(rt.sessions, rt.store, doc_id, settings=service.settings)
    assert second.outcome == Outcome.BUSY
    assert second.retry_in is not None and 100 < second.retry_in <= 122
    assert _count(service, Page, doc_id) == 0


def test_expired_lease_is_taken_over_and_the_dead_claim_writes_nothing(service: Service) -> None:
    """GIVEN a worker that claimed a document and died (lease ran out) WHEN the task is
    redelivered THEN the new worker finishes it AND a late finish by the old claim is
    discarded (one set of results)."""
    _, doc_id = _upload(service, _scan())
    rt = service.runtime
    dead = claim(rt.sessions, doc_id, lease_s=120)
    with session_scope(rt.sessions) as s:
        s.execute(
            update(Document)
            .where(Document.id == doc_id)
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
    result = process_document(rt.sessions, rt.store, doc_id, settings=service.settings)
    assert result.outcome == Outcome.DONE
    late = finish(rt.sessions, rt.store, dead, [], [])  # type: ignore[arg-type]
    assert late.outcome == Outcome.ALREADY_DONE
    with rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.attempts == 2 and doc.status == "awaiting_review"
    assert _count(service, Page, doc_id) == 1


def test_unreadable_original_fails_with_a_reason(service: Service) -> None:
    """GIVEN a stored original that passed the upload checks but cannot be OCR'd (here:
    replaced by a truncated file behind the API's back) THEN the document is failed with
    a reason and the dossier still goes to review, showing it."""
    dossier_id, doc_id = _upload(service, _scan())
    rt = service.runtime
    bad = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
    sha = hashlib.sha256(bad).hexdigest()
    rt.store.put_bytes(rt.store.originals_bucket, original_key(sha), bad, content_type="image/png")
    with session_scope(rt.sessions) as s:
        s.execute(
            update(Document).where(Document.id == doc_id).values(original_key=original_key(sha))
        )
    result = process_document(rt.sessions, rt.store, doc_id, settings=service.settings)
    assert result.outcome == Outcome.FAILED and result.reason
    with rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.status == "failed" and doc.failure_reason
        assert doc.failure_reason.startswith("Tệp bị hỏng"), doc.failure_reason  # for the clerk
        dossier = s.get(Dossier, dossier_id)
        assert dossier is not None and dossier.status == "awaiting_review"
        assert "could not be read" in (dossier.status_reason or "")
    assert _count(service, FieldValue, doc_id) == 0


def test_too_many_interrupted_attempts_fail_the_document(service: Service) -> None:
    _, doc_id = _upload(service, _scan())
    rt = service.runtime
    with session_scope(rt.sessions) as s:
        s.execute(
            update(Document)
            .where(Document.id == doc_id)
            .values(attempts=service.settings.max_attempts)
        )
    result = process_document(rt.sessions, rt.store, doc_id, settings=service.settings)
    assert result.outcome == Outcome.FAILED
    assert "interrupted" in (result.reason or "")


def test_missing_document_is_a_no_op(service: Service) -> None:
    rt = service.runtime
    result = process_document(rt.sessions, rt.store, "nope", settings=service.settings)
    assert result.outcome == Outcome.ALREADY_DONE


class _FakeSoftTimeLimit(Exception):
    """Stands in for Celery's SoftTimeLimitExceeded (raised inside the task)."""


def test_soft_time_limit_fails_the_document_with_a_reason(service: Service, monkeypatch) -> None:
    import ingest.processing as processing

    _, doc_id = _upload(service, _scan())

    def slow(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise _FakeSoftTimeLimit

    monkeypatch.setattr(processing, "extract_file", slow)
    rt = service.runtime
    result = process_document(
        rt.sessions,
        rt.store,
        doc_id,
        settings=service.settings,
        timeout_exceptions=(_FakeSoftTimeLimit,),
    )
    assert result.outcome == Outcome.FAILED
    assert "longer than" in (result.reason or "")


def test_object_store_outage_releases_the_claim_for_a_retry(service: Service, monkeypatch) -> None:
    """GIVEN the object store fails while a worker reads the original THEN the document goes
    back to received (not failed) and the task asks to be retried; the sweeper or the retry
    then processes it."""
    from ingest.sweeper import sweep
    from storage.objects import ObjectStoreUnavailable

    _, doc_id = _upload(service, _scan())
    rt = service.runtime

    def down(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise ObjectStoreUnavailable("connection refused")

    monkeypatch.setattr(rt.store, "download", down)
    result = process_document(rt.sessions, rt.store, doc_id, settings=service.settings)
    assert result.outcome == Outcome.RELEASED and result.retry_in
    with rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.status == "received" and doc.claim_token is None
    sent: list[str] = []
    sweep(rt.sessions, sent.append, received_after_s=0)
    assert sent == [doc_id]


def test_sweeper_resends_processing_documents_whose_lease_ran_out(service: Service) -> None:
    _, doc_id = _upload(service, _scan())
    rt = service.runtime
    claim(rt.sessions, doc_id, lease_s=120)
    sent: list[str] = []
    sweep_args = {"received_after_s": 0}
    from ingest.sweeper import sweep

    sweep(rt.sessions, sent.append, **sweep_args)
    assert sent == []  # live lease: the worker may still be at it
    with session_scope(rt.sessions) as s:
        s.execute(
            update(Document)
            .where(Document.id == doc_id)
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
    sweep(rt.sessions, sent.append, **sweep_args)
    assert sent == [doc_id]


def test_a_file_holding_two_papers_gives_two_entries_with_their_fields(
    service: Service, monkeypatch
) -> None:
    """GIVEN extraction finds two papers in one upload (e.g. both sides of a card on one
    flatbed scan) THEN the dossier shows two entries in the spec's shape, each with its
    own fields, and the document takes the type of the first recognised paper."""
    import ingest.processing as processing
    from extractors.types import Conflict, ExtractedDocument, Field

    real = processing.extract_file

    def two_papers(path, *, context, on_page=None):  # noqa: ANN001, ANN202
        real(path, context=context, on_page=on_page)  # pages stored as usual
        front = ExtractedDocument(
            pages=(1,),
            document_type="cccd_front",
            type_confidence=0.9,
            fields={
                "id_number": Field(
                    "id_number",
                    "001099012345",
                    0.99,
                    "qr",
                    1,
                    (1, 2, 3, 4),
                    checks=("id_number_matches_birth_date",),
                ),
                "full_name": Field(
                    "full_name", "NGUYỄN VĂN AN", 0.8, "ocr", 1, None, raw="NGUYEN VĂN AN"
                ),
            },
            conflicts=(Conflict("date_of_birth", {"qr": "1999-01-01", "ocr": "1999-07-01"}),),
            text="front",
        )
        back = ExtractedDocument(
            pages=(1,),
            document_type="cccd_back",
            type_confidence=0.7,
            fields={"id_number": Field("id_number", "001099012345", 0.95, "mrz", 1, None)},
            text="back",
        )
        return [front, back]

    monkeypatch.setattr(processing, "extract_file", two_papers)
    dossier_id, doc_id = _upload(service, _scan())
    rt = service.runtime
    assert (
        process_document(rt.sessions, rt.store, doc_id, settings=service.settings).outcome
        == Outcome.DONE
    )
    token = service.token("clerk", "ubnd-a")
    body = service.client.get(f"{API}/dossiers/{dossier_id}", headers=service.auth(token)).json()
    front, back = body["documents"]
    assert (front["part"], back["part"]) == (0, 1)
    assert front["id"] == back["id"] == doc_id
    assert front["document_type"] == "cccd_front" and back["document_type"] == "cccd_back"
    assert list(front["fields"]) == ["id_number", "full_name"]
    assert front["fields"]["id_number"] == {
        "value": "001099012345",
        "confidence": 0.99,
        "source": "qr",
        "page": 1,
        "bbox": [1, 2, 3, 4],
        "checks": ["id_number_matches_birth_date"],
        "state": "extracted",
    }
    assert front["fields"]["full_name"]["raw"] == "NGUYEN VĂN AN"
    assert front["conflicts"] == [
        {"field": "date_of_birth", "values": {"qr": "1999-01-01", "ocr": "1999-07-01"}}
    ]
    assert back["fields"]["id_number"]["source"] == "mrz" and back["text"] == "back"
    with rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.document_type == "cccd_front"
    assert _count(service, FieldValue, doc_id) == 3
    # The extraction JSON in the object store is the CLI's shape.
    result = rt.store.get_bytes(rt.store.derived_bucket, derived_key(doc_id, "extraction.json"))
    import json

    stored = json.loads(result)
    assert [d["document_type"] for d in stored["documents"]] == ["cccd_front", "cccd_back"]


def test_clerk_can_reprocess_a_failed_document(service: Service) -> None:
    dossier_id, doc_id = _upload(service, _scan())
    rt = service.runtime
    with session_scope(rt.sessions) as s:
        s.execute(
            update(Document)
            .where(Document.id == doc_id)
            .values(attempts=service.settings.max_attempts)
        )
    assert (
        process_document(rt.sessions, rt.store, doc_id, settings=service.settings).outcome
        == Outcome.FAILED
    )
    agent = service.token("field_agent", "ubnd-a")
    r = service.client.post(f"{API}/documents/{doc_id}/reprocess", headers=service.auth(agent))
    assert r.status_code == 403
    clerk = service.token("clerk", "ubnd-a")
    service.enqueued.clear()
    r = service.client.post(f"{API}/documents/{doc_id}/reprocess", headers=service.auth(clerk))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "received" and service.enqueued == [doc_id]
    assert (
        process_document(rt.sessions, rt.store, doc_id, settings=service.settings).outcome
        == Outcome.DONE
    )
    r = service.client.post(f"{API}/documents/{doc_id}/reprocess", headers=service.auth(clerk))
    assert r.status_code == 200  # a processed document may be read again too
    other = service.token("clerk", "ubnd-b")
    r = service.client.post(f"{API}/documents/{doc_id}/reprocess", headers=service.auth(other))
    assert r.status_code == 404


def test_uploads_to_a_dossier_in_processing_or_review_reopen_it(service: Service) -> None:
    """GIVEN a dossier whose first document is being processed WHEN another file arrives
    THEN it is accepted; once processed and in review, a further file takes the dossier
    back to processing; a verified dossier accepts nothing more."""
    dossier_id, doc_id = _upload(service, _scan())
    rt = service.runtime
    token = service.token("clerk", "ubnd-a")

    def add(text: str) -> int:
        r = service.client.post(
            f"{API}/dossiers/{dossier_id}/documents",
            files=[("files", (f"{text}.png", png_bytes(text=text), "image/png"))],
            headers=service.auth(token),
        )
        return r.status_code

    def status() -> str:
        with rt.sessions() as s:
            d = s.get(Dossier, dossier_id)
            assert d is not None
            return d.status

    claim(rt.sessions, doc_id, lease_s=120)
    assert status() == "processing"
    assert add("hai") == 201
    with rt.sessions() as s:
        ids = s.scalars(select(Document.id).where(Document.status == "received")).all()
    for other in ids:
        process_document(rt.sessions, rt.store, other, settings=service.settings)
    with session_scope(rt.sessions) as s:  # the first worker "finishes"
        s.execute(
            update(Document)
            .where(Document.id == doc_id)
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
    process_document(rt.sessions, rt.store, doc_id, settings=service.settings)
    assert status() == "awaiting_review"
    assert add("ba") == 201
    assert status() == "processing"
    with session_scope(rt.sessions) as s:
        s.execute(update(Dossier).where(Dossier.id == dossier_id).values(status="verified"))
    assert add("bon") == 409
