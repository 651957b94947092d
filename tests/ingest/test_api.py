"""The API against a real database: SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import hashlib

import pytest
from ingest_kit import Service, jpeg_bytes, pdf_bytes, png_bytes
from sqlalchemy import func, select

from storage.db.models import AuditEvent, Document, Dossier, IdempotencyKey
from storage.objects import original_key

pytestmark = pytest.mark.needs_services

API = "/api/v1"


def create_dossier(svc: Service, token: str, **body: object) -> dict:
    payload = {"procedure_code": "1.000001", **body}
    r = svc.client.post(f"{API}/dossiers", json=payload, headers=svc.auth(token))
    assert r.status_code == 201, r.text
    return r.json()


def upload(
    svc: Service, token: str, dossier_id: str, files: list[tuple[str, bytes]], **headers: str
):
    parts = [("files", (name, data, "application/octet-stream")) for name, data in files]
    return svc.client.post(
        f"{API}/dossiers/{dossier_id}/documents",
        files=parts,
        headers={**svc.auth(token), **headers},
    )


def count(svc: Service, model: type) -> int:
    with svc.runtime.sessions() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_every_endpoint_needs_a_valid_token(service: Service) -> None:
    for method, path in [
        ("get", f"{API}/dossiers"),
        ("post", f"{API}/dossiers"),
        ("get", f"{API}/dossiers/x"),
        ("post", f"{API}/dossiers/x/documents"),
        ("get", f"{API}/documents/x"),
        ("get", f"{API}/documents/x/pages/1/image"),
        ("get", "/metrics"),
    ]:
        r = getattr(service.client, method)(path)
        assert r.status_code == 401, (method, path, r.text)
        assert r.json()["code"] == "unauthorized"
        r = getattr(service.client, method)(path, headers={"Authorization": "Bearer mct_wrong"})
        assert r.status_code == 401, (method, path)


def test_create_upload_read_dossier(service: Service) -> None:
    """GIVEN a clerk token WHEN a dossier is created and a scan uploaded THEN the original is
    stored under its SHA-256, the document is recorded and enqueued, and reading the dossier
    shows it in the spec's shape."""
    clerk = service.token("clerk", "ubnd-a")
    d = create_dossier(service, clerk, applicant_name="NGUYỄN VĂN AN")
    assert d["status"] == "received"
    assert d["office"] == "ubnd-a" and d["channel"] == "counter"

    data = png_bytes()
    r = upload(service, clerk, d["id"], [("cccd mặt trước.png", data)])
    assert r.status_code == 201, r.text
    (doc,) = r.json()["documents"]
    sha = hashlib.sha256(data).hexdigest()
    assert doc["sha256"] == sha
    assert doc["media_type"] == "image/png"
    assert doc["status"] == "received"
    assert doc["duplicate"] is False
    assert doc["quality"] is not None and "ok" in doc["quality"]
    assert service.enqueued == [doc["id"]]
    store = service.runtime.store
    assert store.get_bytes(store.originals_bucket, original_key(sha)) == data

    r = service.client.get(f"{API}/dossiers/{d['id']}", headers=service.auth(clerk))
    assert r.status_code == 200
    body = r.json()
    assert body["applicant"]["name"] == "NGUYỄN VĂN AN"
    (entry,) = body["documents"]
    for key in (
        "source",
        "pages",
        "document_type",
        "type_confidence",
        "quality",
        "fields",
        "conflicts",
        "text",
    ):
        assert key in entry
    assert entry["source"] == "cccd mặt trước.png"
    assert entry["id"] == doc["id"] and entry["status"] == "received"

    r = service.client.get(f"{API}/documents/{doc['id']}", headers=service.auth(clerk))
    assert r.status_code == 200 and r.json()["documents"][0]["sha256"] == sha

    with service.runtime.sessions() as s:
        actions = s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[:3] == ["dossier.create", "document.upload", "dossier.read"]


def test_same_file_twice_is_one_document_and_one_object(service: Service) -> None:
    token = service.token("field_agent", "ubnd-a")
    d = create_dossier(service, token)
    data = jpeg_bytes(seed=1)
    first = upload(service, token, d["id"], [("a.jpg", data)])
    second = upload(service, token, d["id"], [("b.jpg", data)])
    assert first.status_code == 201 and second.status_code == 200
    assert second.json()["documents"][0]["duplicate"] is True
    assert second.json()["documents"][0]["id"] == first.json()["documents"][0]["id"]
    assert count(service, Document) == 1
    assert service.enqueued == [first.json()["documents"][0]["id"]]


def test_idempotency_key_replays_the_first_answer(service: Service) -> None:
    token = service.token("portal", None)
    d = create_dossier(service, token, office="ubnd-a")
    assert d["channel"] == "portal"
    files = [("1.png", png_bytes(text="A")), ("2.pdf", pdf_bytes(2))]
    r1 = upload(service, token, d["id"], files, **{"Idempotency-Key": "k-123"})
    r2 = upload(service, token, d["id"], files, **{"Idempotency-Key": "k-123"})
    assert r1.status_code == 201
    assert r2.status_code == 201
    assert r2.json() == r1.json()
    assert r2.headers.get("Idempotent-Replayed") == "true"
    assert count(service, Document) == 2
    assert count(service, IdempotencyKey) == 1
    assert [x["page_count"] for x in r1.json()["documents"]] == [1, 2]
    # The same key with other files is refused, and nothing is recorded for them.
    r3 = upload(
        service, token, d["id"], [("3.png", png_bytes(text="B"))], **{"Idempotency-Key": "k-123"}
    )
    assert r3.status_code == 422 and r3.json()["code"] == "idempotency_key_reused"
    assert count(service, Document) == 2


def test_visibility_field_agent_sees_own_clerk_sees_office(service: Service) -> None:
    agent_a = service.token("field_agent", "ubnd-a", name="agent a")
    agent_b = service.token("field_agent", "ubnd-a", name="agent b")
    clerk_a = service.token("clerk", "ubnd-a")
    clerk_b = service.token("clerk", "ubnd-b")
    admin = service.token("admin", None)
    d = create_dossier(service, agent_a)
    assert d["channel"] == "home"

    def status(token: str) -> int:
        return service.client.get(
            f"{API}/dossiers/{d['id']}", headers=service.auth(token)
        ).status_code

    assert status(agent_a) == 200
    assert status(agent_b) == 404
    assert status(clerk_a) == 200
    assert status(clerk_b) == 404
    assert status(admin) == 200

    def listed(token: str) -> list[str]:
        r = service.client.get(f"{API}/dossiers", headers=service.auth(token))
        return [x["id"] for x in r.json()["items"]]

    assert listed(agent_a) == [d["id"]]
    assert listed(agent_b) == []
    assert listed(clerk_b) == []
    assert listed(clerk_a) == [d["id"]]
    # Uploading to an invisible dossier is refused and stores nothing.
    r = upload(service, agent_b, d["id"], [("x.png", png_bytes())])
    assert r.status_code == 404
    assert count(service, Document) == 0
    # A clerk cannot create a dossier for another office.
    r = service.client.post(
        f"{API}/dossiers",
        json={"procedure_code": "p", "office": "ubnd-b"},
        headers=service.auth(clerk_a),
    )
    assert r.status_code == 403 and r.json()["message_vi"]


def _nothing_stored(svc: Service) -> None:
    from storage.local import iter_keys

    assert count(svc, Document) == 0
    store = svc.runtime.store
    assert list(iter_keys(store, store.originals_bucket)) == []  # type: ignore[arg-type]
    assert svc.enqueued == []


def _truncated_jpeg() -> bytes:
    data = jpeg_bytes(size=(600, 400), seed=3)
    return data[: len(data) // 2]


def _huge_png_header() -> bytes:
    """A valid PNG signature and IHDR claiming 100000 x 100000 pixels (a decompression bomb)."""
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    out = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
    out += struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
    idat = zlib.compress(b"\x00" * 1000)
    out += struct.pack(">I", len(idat)) + b"IDAT" + idat
    out += struct.pack(">I", zlib.crc32(b"IDAT" + idat) & 0xFFFFFFFF)
    return out


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("empty.jpg", b"", 422, "empty_file"),
        ("notes.jpg", b"this is a text file, not a JPEG\n" * 10, 415, "unsupported_type"),
        ("archive.pdf", b"PK\x03\x04" + b"\x00" * 100, 415, "unsupported_type"),
        ("cut.jpg", _truncated_jpeg(), 422, "undecodable"),
        ("garbage.pdf", b"%PDF-1.7\n" + b"\x13\x37 garbage " * 50, 422, "undecodable"),
        ("bomb.png", _huge_png_header(), 422, "image_too_large"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    service: Service, name: str, data: bytes, status: int, code: str
) -> None:
    token = service.token("clerk", "ubnd-a")
    d = create_dossier(service, token)
    r = upload(service, token, d["id"], [(name, data)])
    assert r.status_code == status, r.text
    body = r.json()
    assert body["code"] == code
    assert body["detail"] and body["message_vi"]
    assert body["filename"] == name
    _nothing_stored(service)


def test_one_bad_file_refuses_the_whole_request(service: Service) -> None:
    token = service.token("clerk", "ubnd-a")
    d = create_dossier(service, token)
    r = upload(service, token, d["id"], [("ok.png", png_bytes()), ("empty.png", b"")])
    assert r.status_code == 422
    _nothing_stored(service)


def test_oversize_upload_is_refused_while_streaming(service_factory, tmp_path) -> None:
    svc = service_factory(None, max_upload_bytes=50_000)
    token = svc.token("clerk", "ubnd-a")
    d = create_dossier(svc, token)
    big = jpeg_bytes(size=(800, 800), seed=4)
    assert len(big) > 50_000
    r = upload(svc, token, d["id"], [("big.jpg", big)])
    assert r.status_code == 413
    assert r.json()["code"] == "file_too_large"
    assert "Tệp quá lớn" in r.json()["message_vi"]
    _nothing_stored(svc)
    assert list((svc.settings.tmp_dir).iterdir()) == []  # temporary file removed


def test_revoked_token_is_refused_and_last_use_is_recorded(service: Service) -> None:
    from ingest.auth import revoke_token
    from storage.db.models import ApiToken
    from storage.db.session import session_scope

    token = service.token("clerk", "ubnd-a")
    assert service.client.get(f"{API}/dossiers", headers=service.auth(token)).status_code == 200
    with session_scope(service.runtime.sessions) as s:
        row = s.scalars(select(ApiToken)).one()
        assert row.last_used_at is not None
        revoke_token(s, row.id)
    assert service.client.get(f"{API}/dossiers", headers=service.auth(token)).status_code == 401


def test_too_many_files_in_one_request(service_factory) -> None:
    svc = service_factory(None, max_files_per_request=2)
    token = svc.token("clerk", "ubnd-a")
    d = create_dossier(svc, token)
    files = [(f"{i}.png", png_bytes(text=str(i))) for i in range(3)]
    r = upload(svc, token, d["id"], files)
    assert r.status_code == 413 and r.json()["code"] == "too_many_files"
    _nothing_stored(svc)


def test_upload_without_multipart_or_files(service: Service) -> None:
    token = service.token("clerk", "ubnd-a")
    d = create_dossier(service, token)
    r = service.client.post(
        f"{API}/dossiers/{d['id']}/documents",
        content=b"raw",
        headers={**service.auth(token), "Content-Type": "image/png"},
    )
    assert r.status_code == 415 and r.json()["code"] == "not_multipart"
    r = service.client.post(
        f"{API}/dossiers/{d['id']}/documents",
        data={"note": "x"},
        files={"other": ("", b"")},
        headers=service.auth(token),
    )
    assert r.status_code == 422


def test_enqueue_failure_still_acknowledges_and_sweeper_recovers(service_factory, db_url) -> None:
    """GIVEN a broker that is down WHEN a file is uploaded THEN the upload is acknowledged
    (original stored, row committed) AND the sweeper enqueues it once the broker is back."""
    from ingest.sweeper import sweep

    def broken(_: str) -> None:
        raise ConnectionError("broker down")

    svc = service_factory(db_url, enqueue=broken)
    token = svc.token("clerk", "ubnd-a")
    d = create_dossier(svc, token)
    r = upload(svc, token, d["id"], [("a.png", png_bytes())])
    assert r.status_code == 201
    doc_id = r.json()["documents"][0]["id"]
    sent: list[str] = []
    # Within the grace period the API may still be about to enqueue it: left alone.
    assert sweep(svc.runtime.sessions, sent.append, received_after_s=3600).requeued == 0
    report = sweep(svc.runtime.sessions, sent.append, received_after_s=0)
    assert sent == [doc_id] and report.requeued == 1
    # Just enqueued: not sent again until it is stale.
    assert sweep(svc.runtime.sessions, sent.append, received_after_s=3600).requeued == 0


def test_health_ready_metrics_and_openapi(service: Service) -> None:
    assert service.client.get("/healthz").json()["status"] == "ok"
    r = service.client.get("/readyz")
    assert r.status_code == 200, r.text
    assert r.json()["checks"] == {"database": "ok", "object_store": "ok", "broker": "ok"}
    admin = service.token("admin", None)
    r = service.client.get("/metrics", headers=service.auth(admin))
    assert r.status_code == 200 and "motcua_uploads_total" in r.text
    clerk = service.token("clerk", "ubnd-a")
    assert service.client.get("/metrics", headers=service.auth(clerk)).status_code == 403
    spec = service.client.get("/openapi.json").json()
    assert "/api/v1/dossiers/{dossier_id}/documents" in spec["paths"]
    assert service.client.get("/docs").status_code == 200


def test_dossier_validation_messages(service: Service) -> None:
    token = service.token("clerk", "ubnd-a")
    r = service.client.post(
        f"{API}/dossiers", json={"procedure_code": ""}, headers=service.auth(token)
    )
    assert r.status_code == 422
    assert r.json()["code"] == "invalid_request" and r.json()["message_vi"]
    with service.runtime.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Dossier)) == 0


def test_a_query_parameter_given_twice_is_refused(service: Service) -> None:
    """GIVEN a listing asked with ``office`` (or ``limit``) twice WHEN it is answered THEN
    it is refused with 422 naming the parameter, not answered for the last value; once,
    it is answered."""
    token = service.token("admin", None)
    r = service.client.get(f"{API}/review/queue?office=ubnd-a&office=", headers=service.auth(token))
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == "invalid_request" and body["message_vi"]
    assert "office" in body["detail"] and "more than once" in body["detail"]
    r = service.client.get(f"{API}/dossiers?limit=5&limit=6", headers=service.auth(token))
    assert r.status_code == 422 and "limit" in r.json()["detail"]
    r = service.client.get(f"{API}/review/queue?office=ubnd-a", headers=service.auth(token))
    assert r.status_code == 200


def test_idempotent_dossier_creation(service: Service) -> None:
    token = service.token("portal", None)
    body = {"procedure_code": "1.000001", "office": "ubnd-a", "external_ref": "portal-42"}
    headers = {**service.auth(token), "Idempotency-Key": "create-42"}
    r1 = service.client.post(f"{API}/dossiers", json=body, headers=headers)
    r2 = service.client.post(f"{API}/dossiers", json=body, headers=headers)
    assert r1.status_code == r2.status_code == 201
    assert r1.json()["id"] == r2.json()["id"]
    assert count(service, Dossier) == 1
    r3 = service.client.post(
        f"{API}/dossiers", json={**body, "external_ref": "portal-43"}, headers=headers
    )
    assert r3.status_code == 422 and r3.json()["code"] == "idempotency_key_reused"
    assert count(service, Dossier) == 1


def test_broker_down_upload_is_still_acknowledged_and_readyz_says_so(
    service_factory, db_url
) -> None:
    """GIVEN the broker is unreachable WHEN a file is uploaded THEN the upload succeeds
    (stored, recorded, left in received for the sweeper) AND /readyz reports the broker."""
    svc = service_factory(db_url, enqueue="celery", broker_url="redis://127.0.0.1:1/0")
    token = svc.token("clerk", "ubnd-a")
    d = create_dossier(svc, token)
    r = upload(svc, token, d["id"], [("a.png", png_bytes())])
    assert r.status_code == 201, r.text
    with svc.runtime.sessions() as s:
        doc = s.scalars(select(Document)).one()
        assert doc.status == "received" and doc.enqueued_at is None
    r = svc.client.get("/readyz")
    assert r.status_code == 503
    assert r.json()["checks"]["broker"].startswith("error")
    assert r.json()["checks"]["database"] == "ok"


def test_object_store_down_means_no_acknowledgement_and_no_record(service: Service) -> None:
    """GIVEN the object store refuses writes WHEN a file is uploaded THEN the client gets a
    503 with a clear message (retry later) AND no document row exists (object store first,
    then database)."""
    from storage.objects import ObjectStoreUnavailable

    token = service.token("clerk", "ubnd-a")
    d = create_dossier(service, token)

    def down(*_a: object, **_k: object) -> None:
        raise ObjectStoreUnavailable("connection refused")

    store = service.runtime.store
    original = store.put_file
    store.put_file = down  # type: ignore[method-assign]
    try:
        r = upload(service, token, d["id"], [("a.png", png_bytes())])
    finally:
        store.put_file = original  # type: ignore[method-assign]
    assert r.status_code == 503 and r.json()["code"] == "storage_unavailable"
    assert r.json()["message_vi"]
    assert count(service, Document) == 0 and service.enqueued == []
    # The client's retry succeeds once the store is back.
    r = upload(service, token, d["id"], [("a.png", png_bytes())])
    assert r.status_code == 201


def _encoded(fmt: str) -> bytes:
    import io

    from PIL import Image

    import ocr.decode  # noqa: F401 - registers the HEIF opener

    buf = io.BytesIO()
    Image.new("RGB", (320, 200), "white").save(buf, format=fmt)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [
        ("PNG", "image/png"),
        ("JPEG", "image/jpeg"),
        ("TIFF", "image/tiff"),
        ("WEBP", "image/webp"),
        ("HEIF", "image/heic"),
        ("PDF", "application/pdf"),
    ],
)
def test_accepted_types_are_decided_by_content(service_factory, fmt: str, media_type: str) -> None:
    svc = service_factory(None)
    token = svc.token("clerk", "ubnd-a")
    d = create_dossier(svc, token)
    # The name lies on purpose: the content decides.
    r = upload(svc, token, d["id"], [("photo.txt", _encoded(fmt))])
    assert r.status_code == 201, r.text
    assert r.json()["documents"][0]["media_type"] in (media_type, "image/heif")
