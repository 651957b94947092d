"""Hostile and odd uploads through the API: each ends as a 4xx with a clear message, or
is stored and later processed by the worker function (``ingest.processing``) to
``awaiting_review`` or ``failed`` with a reason. Nothing crashes, nothing is dropped."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

import hostile
import pytest
from hardening_kit import API, Svc

from ingest.processing import Outcome, process_document
from storage.db.models import Document

pytestmark = pytest.mark.needs_tesseract

REFUSED: dict[str, tuple[Callable[[], bytes], int, str, str]] = {
    # name: (maker, status, code, words the English detail must contain)
    "jpeg-magic-junk": (hostile.jpeg_magic_then_junk, 422, "undecodable", "cannot be decoded"),
    "pdf-then-zip": (hostile.pdf_then_zip, 422, "undecodable", "cannot be decoded"),
    "pdf-10000-pages": (hostile.pdf_many_pages, 422, "too_many_pages", "10000 pages"),
    "pdf-20000pt-page": (hostile.pdf_huge_page, 422, "page_too_large", "83333 x 83333 pixels"),
    "tiff-1000-frames": (hostile.tiff_many_frames, 422, "too_many_pages", "more than 50 pages"),
    "png-bomb": (hostile.png_bomb, 422, "image_too_large", "12000x12000 pixels"),
    "tiff-huge-page-2": (
        hostile.tiff_big_second_page,
        422,
        "image_too_large",
        "page 2 is 8000x8000 pixels",
    ),
    "pdf-flate-bomb": (
        hostile.pdf_flate_bomb_content,
        422,
        "pdf_too_large_inside",
        "expands to more than 100 MB",
    ),
}

ACCEPTED: dict[str, Callable[[], bytes]] = {
    "pdf-javascript-embedded-file": hostile.pdf_javascript_and_embedded_file,
    "png-1x1": hostile.png_1x1,
    "png-grey-16-bit": hostile.png_grey16,
    "jpeg-cmyk": hostile.jpeg_cmyk,
    "png-alpha": hostile.png_alpha,
    "heic": hostile.heic,
    "webp-animated": hostile.webp_animated,
    "jpeg-exif-6": lambda: hostile.jpeg_exif_orientation(6),
    "jpeg-exif-8": lambda: hostile.jpeg_exif_orientation(8),
}


def _upload(svc: Svc, dossier: str, name: str, data: bytes, **headers: str):  # noqa: ANN202
    return svc.client.post(
        f"{API}/dossiers/{dossier}/documents",
        files=[("files", (name, data, "application/octet-stream"))],
        headers={**svc.headers, **headers},
    )


def _stored_originals(svc: Svc) -> int:
    root = svc.settings.data_dir / "objects" / svc.settings.originals_bucket
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_with_a_clear_message_and_nothing_stored(svc: Svc, case: str) -> None:
    make, status, code, words = REFUSED[case]
    dossier = svc.new_dossier()
    r = _upload(svc, dossier, f"{case}.bin", make())
    assert r.status_code == status, r.text
    body = r.json()
    assert body["code"] == code
    assert words in body["detail"]
    assert body["message_vi"] and body["filename"] == f"{case}.bin"
    assert _stored_originals(svc) == 0 and svc.enqueued == []


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_odd_but_valid_files_are_stored_and_processed(svc: Svc, case: str) -> None:
    data = ACCEPTED[case]()
    dossier = svc.new_dossier()
    r = _upload(svc, dossier, f"{case}.bin", data)
    assert r.status_code == 201, r.text
    doc_id = r.json()["documents"][0]["id"]
    assert svc.enqueued == [doc_id]
    rt = svc.runtime
    result = process_document(rt.sessions, rt.store, doc_id, settings=svc.settings)
    assert result.outcome in (Outcome.DONE, Outcome.FAILED), result
    with rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None
        if doc.status == "failed":
            assert doc.failure_reason and "(" in doc.failure_reason
        else:
            assert doc.status == "awaiting_review" and doc.page_count == 1
    # The original is kept byte for byte whatever happened.
    assert svc.client.get(f"{API}/documents/{doc_id}/original", headers=svc.headers).content == data


@pytest.mark.parametrize("orientation, size", [(6, (300, 480)), (8, (300, 480)), (1, (480, 300))])
def test_exif_orientation_gives_an_upright_page(svc: Svc, orientation: int, size: tuple) -> None:
    """GIVEN a 480x300 JPEG whose EXIF says rotate 90 degrees (6 or 8)
    WHEN processed THEN the stored page is 300x480 (boxes are in upright pixels)."""
    dossier = svc.new_dossier()
    r = _upload(svc, dossier, "photo.jpg", hostile.jpeg_exif_orientation(orientation))
    doc_id = r.json()["documents"][0]["id"]
    rt = svc.runtime
    assert process_document(rt.sessions, rt.store, doc_id, settings=svc.settings).outcome == "done"
    page = svc.client.get(f"{API}/documents/{doc_id}", headers=svc.headers).json()
    assert page["status"] == "awaiting_review"
    import io

    from PIL import Image

    img = svc.client.get(f"{API}/documents/{doc_id}/pages/1/image", headers=svc.headers)
    assert img.status_code == 200
    assert Image.open(io.BytesIO(img.content)).size == size


def test_hostile_file_name_is_never_a_key_and_is_shown_safely(svc: Svc) -> None:
    dossier = svc.new_dossier()
    r = _upload(svc, dossier, hostile.HOSTILE_NAME, hostile.png_alpha())
    assert r.status_code == 201, r.text
    entry = r.json()["documents"][0]
    name = entry["filename"]
    assert "/" not in name and "\\" not in name and ".." not in name.split("/")
    assert "\u202e" not in name and "\u200f" not in name  # no bidi overrides
    assert len(name) <= 255 and "Nguyễn Văn An" in name
    # The stored object's key is the content hash, never the name.
    root = svc.settings.data_dir / "objects"
    stored = [p for p in root.rglob("*") if p.is_file() and "passwd" in str(p)]
    assert stored == []
    assert any(p.name.startswith(entry["sha256"]) for p in root.rglob("*") if p.is_file())
    got = svc.client.get(f"{API}/documents/{entry['id']}/original", headers=svc.headers)
    disposition = got.headers["content-disposition"]
    assert disposition.startswith("inline; filename*=UTF-8''")
    assert "/" not in disposition and "\n" not in disposition
    assert unquote(disposition.split("''", 1)[1]) == name


def test_idempotency_key_of_10_kb_is_refused(svc: Svc) -> None:
    dossier = svc.new_dossier()
    r = _upload(svc, dossier, "a.png", hostile.png_1x1(), **{"Idempotency-Key": "k" * 10240})
    assert r.status_code == 422
    assert "idempotency-key" in r.json()["detail"] and "200 characters" in r.json()["detail"]
    r = svc.client.post(
        f"{API}/dossiers",
        json={"procedure_code": "1.001", "office": "ubnd-a"},
        headers={**svc.headers, "Idempotency-Key": "k" * 10240},
    )
    assert r.status_code == 422 and r.json()["code"] == "invalid_request"
    assert _stored_originals(svc) == 0


@pytest.mark.parametrize(
    "body, status, code",
    [
        (b"--XX--\r\n", 422, "no_file"),
        (
            b'--XX\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--XX--\r\n',
            422,
            "no_file",
        ),
        (b"\x00\x01 not multipart at all", 400, "bad_multipart"),
    ],
    ids=["no-parts", "only-a-text-field", "garbage"],
)
def test_multipart_without_a_file(svc: Svc, body: bytes, status: int, code: str) -> None:
    dossier = svc.new_dossier()
    r = svc.client.post(
        f"{API}/dossiers/{dossier}/documents",
        content=body,
        headers={**svc.headers, "Content-Type": "multipart/form-data; boundary=XX"},
    )
    assert r.status_code == status, r.text
    assert r.json()["code"] == code and r.json()["detail"]


def test_not_multipart_at_all(svc: Svc) -> None:
    dossier = svc.new_dossier()
    r = svc.client.post(f"{API}/dossiers/{dossier}/documents", content=b"{}", headers=svc.headers)
    assert r.status_code == 415 and r.json()["code"] == "not_multipart"


@pytest.mark.parametrize("dossier_id", ["not-a-uuid", "' OR 1=1 --", "..%2F..%2Fetc", "0" * 300])
def test_dossier_id_that_is_not_a_uuid(svc: Svc, dossier_id: str) -> None:
    r = _upload(svc, dossier_id, "a.png", hostile.png_1x1())
    assert r.status_code == 404 and r.json()["code"] in ("not_found", "http_404")
    r = svc.client.get(f"{API}/dossiers/{dossier_id}", headers=svc.headers)
    assert r.status_code == 404


@pytest.mark.parametrize(
    "number, status",
    [("0", 422), ("-1", 422), ("2", 404), ("99999", 404), ("9223372036854775808", 422), ("x", 422)],
)
def test_page_number_out_of_range(svc: Svc, number: str, status: int) -> None:
    dossier = svc.new_dossier()
    doc_id = _upload(svc, dossier, "a.png", hostile.png_1x1()).json()["documents"][0]["id"]
    rt = svc.runtime
    process_document(rt.sessions, rt.store, doc_id, settings=svc.settings)
    r = svc.client.get(f"{API}/documents/{doc_id}/pages/{number}/image", headers=svc.headers)
    assert r.status_code == status, r.text
    assert r.json()["detail"]


def _chunked(*parts: bytes):  # noqa: ANN202 - a body with no Content-Length
    yield from parts


def test_endless_multipart_header_is_refused_without_reading_it_all(svc: Svc) -> None:
    """GIVEN a chunked body (no Content-Length) whose part header never ends
    WHEN uploaded THEN 400 once the header is too long, nothing stored."""
    dossier = svc.new_dossier()
    endless = (b"x" * 65536 for _ in range(64))  # 4 MB of one header value
    r = svc.client.post(
        f"{API}/dossiers/{dossier}/documents",
        content=_chunked(b"--XX\r\nContent-Disposition: form-data; name=", *endless),
        headers={**svc.headers, "Content-Type": "multipart/form-data; boundary=XX"},
    )
    assert r.status_code == 400 and r.json()["code"] == "bad_multipart"
    assert "header" in r.json()["detail"]
    assert _stored_originals(svc) == 0


def test_thousands_of_form_fields_are_refused(svc: Svc) -> None:
    dossier = svc.new_dossier()
    body = b"".join(
        b'--XX\r\nContent-Disposition: form-data; name="f%d"\r\n\r\nv\r\n' % i for i in range(5000)
    )
    r = svc.client.post(
        f"{API}/dossiers/{dossier}/documents",
        content=body + b"--XX--\r\n",
        headers={**svc.headers, "Content-Type": "multipart/form-data; boundary=XX"},
    )
    assert r.status_code == 413 and r.json()["code"] == "too_many_fields"


def test_a_file_larger_than_the_limit_is_refused_while_streaming(tmp_path) -> None:  # noqa: ANN001
    from hardening_kit import start_service

    small = start_service(tmp_path, max_upload_bytes=100_000)
    try:
        dossier = small.new_dossier()
        # 2.6 MB (the test client buffers the body; a real server streams it in).
        chunks = (b"\xff\xd8\xff\xe0" + b"\0" * 65532 for _ in range(40))
        r = small.client.post(
            f"{API}/dossiers/{dossier}/documents",
            content=_chunked(
                b'--XX\r\nContent-Disposition: form-data; name="files"; filename="big.jpg"\r\n\r\n',
                *chunks,
            ),
            headers={**small.headers, "Content-Type": "multipart/form-data; boundary=XX"},
        )
        assert r.status_code == 413 and r.json()["code"] == "file_too_large"
        assert "100000 bytes" in r.json()["detail"]
        assert _stored_originals(small) == 0
        assert list((small.settings.tmp_dir).iterdir()) == []  # the partial file is gone
    finally:
        small.client.__exit__(None, None, None)
        small.runtime.close()
