"""Decoding every accepted format, and refusing every bad input with a clear error."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocr.decode import iter_pages, sniff_file, sniff_media_type
from ocr.exceptions import (
    CorruptInputError,
    EncryptedInputError,
    InputTooLargeError,
    OcrError,
    UnsupportedInputError,
)


def _page(w: int = 120, h: int = 80) -> Image.Image:
    """An RGB image whose top-left quadrant is red: orientation is visible."""
    a = np.full((h, w, 3), 255, np.uint8)
    a[: h // 2, : w // 2] = (255, 0, 0)
    return Image.fromarray(a)


def _red_corner(bgr: np.ndarray) -> tuple[int, int]:
    """(row, col) quadrant index of the red area in a BGR image."""
    red = (bgr[:, :, 2] > 200) & (bgr[:, :, 0] < 80)
    ys, xs = np.nonzero(red)
    h, w = bgr.shape[:2]
    return int(ys.mean() > h / 2), int(xs.mean() > w / 2)


@pytest.mark.parametrize(
    ("fmt", "media_type", "kwargs"),
    [
        ("JPEG", "image/jpeg", {"quality": 95}),
        ("PNG", "image/png", {}),
        ("WEBP", "image/webp", {"quality": 95}),
        ("TIFF", "image/tiff", {}),
    ],
)
def test_each_image_format_decodes_to_bgr(tmp_path: Path, fmt: str, media_type: str, kwargs):
    path = tmp_path / f"page.{fmt.lower()}"
    _page().save(path, format=fmt, **kwargs)
    assert sniff_file(path) == media_type
    pages = list(iter_pages(path))
    assert len(pages) == 1
    img = pages[0].image
    assert img.dtype == np.uint8 and img.shape == (80, 120, 3)
    assert _red_corner(img) == (0, 0)  # red stays top-left, and is red (BGR order)


def test_heic_decodes(tmp_path: Path):
    pillow_heif = pytest.importorskip("pillow_heif")
    path = tmp_path / "photo.heic"
    heif = pillow_heif.from_pillow(_page(128, 96))
    heif.save(path, quality=90)
    assert sniff_file(path) in ("image/heic", "image/heif")
    (page,) = iter_pages(path)
    assert page.image.shape == (96, 128, 3)
    assert _red_corner(page.image) == (0, 0)


def test_exif_orientation_is_applied(tmp_path: Path):
    """GIVEN a JPEG stored sideways with EXIF Orientation=6 (rotate 90 degrees clockwise to view)
    WHEN decoded THEN the page is upright: taller than wide, red corner top-right."""
    path = tmp_path / "phone.jpg"
    stored = _page(120, 80).transpose(Image.Transpose.ROTATE_90)  # 80x120, red bottom-left
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(path, format="JPEG", quality=95, exif=exif.tobytes())
    (page,) = iter_pages(path)
    assert page.image.shape[:2] == (80, 120)
    assert _red_corner(page.image) == (0, 0)


def test_multipage_tiff_g4(tmp_path: Path):
    path = tmp_path / "fax.tif"
    frames = []
    for i in range(3):
        a = np.full((200, 160), 255, np.uint8)
        a[20 + 40 * i : 50 + 40 * i, 20:140] = 0
        frames.append(Image.fromarray(a).convert("1"))
    frames[0].save(path, save_all=True, append_images=frames[1:], compression="group4")
    with Image.open(path) as im:
        assert im.info.get("compression") == "group4"
    pages = list(iter_pages(path))
    assert [p.number for p in pages] == [1, 2, 3]
    for i, p in enumerate(pages):
        dark_rows = np.nonzero(p.image[:, :, 0].mean(axis=1) < 100)[0]
        assert 20 + 40 * i <= dark_rows.min() and dark_rows.max() < 50 + 40 * i


def test_sniff_allowlist():
    assert sniff_media_type(b"%PDF-1.7\n") == "application/pdf"
    assert sniff_media_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff_media_type(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic") == "image/heic"
    assert sniff_media_type(b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic") == "image/heif"
    assert sniff_media_type(b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isomavc1") is None  # mp4
    assert sniff_media_type(b"GIF89a") is None
    assert sniff_media_type(b"") is None


# --- bad inputs: each raises an OcrError subclass with a one-line message naming the file ---


def _expect(path: Path, exc: type[OcrError], fragment: str) -> None:
    with pytest.raises(exc) as info:
        list(iter_pages(path))
    msg = str(info.value)
    assert "\n" not in msg and path.name in msg and fragment in msg.lower()


def test_zero_byte_file(tmp_path: Path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    _expect(path, CorruptInputError, "empty")


def test_wrong_magic(tmp_path: Path):
    path = tmp_path / "notes.jpg"
    path.write_bytes(b"Hello, this is text, not a photo.\n" * 5)
    _expect(path, UnsupportedInputError, "not a pdf, jpeg")


def test_truncated_jpeg(tmp_path: Path):
    path = tmp_path / "cut.jpg"
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (400, 400, 3), np.uint8)).save(
        buf, format="JPEG"
    )
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 3])
    _expect(path, CorruptInputError, "cannot decode")


def test_pdf_with_garbage(tmp_path: Path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(
        b"%PDF-1.4\n" + bytes(np.random.default_rng(1).integers(0, 255, 4000, np.uint8))
    )
    _expect(path, CorruptInputError, "cannot read the pdf")


def _encrypted_pdf() -> bytes:
    """A one-page PDF whose trailer declares standard (RC4) encryption with a user
    password: the /U entry does not match the empty password, so a reader must ask."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <"
        + b"ab" * 32
        + b"> /U <"
        + b"cd" * 32
        + b"> /P -4 >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (
        b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef>"
        b" <0123456789abcdef0123456789abcdef>] >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    )
    return out


def test_encrypted_pdf(tmp_path: Path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf())
    _expect(path, EncryptedInputError, "password")


def _png_header_only(w: int, h: int) -> bytes:
    """A PNG that declares w x h pixels in its header (a decompression bomb's shape)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1000)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_decompression_bomb_png(tmp_path: Path):
    path = tmp_path / "bomb.png"
    path.write_bytes(_png_header_only(100_000, 100_000))
    with pytest.raises(InputTooLargeError) as info:
        list(iter_pages(path))
    assert "bomb.png" in str(info.value)


def test_pixel_limit_is_configurable(tmp_path: Path):
    path = tmp_path / "page.png"
    _page(400, 300).save(path)
    _expect_limit = pytest.raises(InputTooLargeError, match="400x300")
    with _expect_limit:
        list(iter_pages(path, max_pixels=100_000))


def test_too_many_tiff_pages(tmp_path: Path):
    path = tmp_path / "many.tif"
    frames = [Image.new("L", (50, 50), 255) for _ in range(6)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    _expect_many = pytest.raises(InputTooLargeError, match="6 pages")
    with _expect_many:
        list(iter_pages(path, max_pages=5))


def test_too_many_pdf_pages(tmp_path: Path):
    from pdfmaker import PdfBuilder

    b = PdfBuilder()
    for _ in range(4):
        b.text_page(["x"], ttf=None)
    path = b.save(tmp_path / "long.pdf")
    with pytest.raises(InputTooLargeError, match="4 pages"):
        list(iter_pages(path, max_pages=3))


def test_pdf_pages_are_rendered_one_at_a_time(tmp_path: Path):
    from pdfmaker import PdfBuilder

    b = PdfBuilder()
    for _ in range(3):
        b.text_page(["page"], ttf=None)
    path = b.save(tmp_path / "three.pdf")
    it = iter_pages(path, dpi=100)
    first = next(it)  # a generator: later pages are not rendered yet
    h, w = first.image.shape[:2]
    assert first.number == 1
    assert abs(h - 842 * 100 / 72) <= 1 and abs(w - 595 * 100 / 72) <= 1
    assert first.scale == pytest.approx(100 / 72)
    assert [p.number for p in it] == [2, 3]


def test_huge_pdf_page_is_rasterized_within_the_limit(tmp_path: Path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(14400, 14400).close()  # a 200-inch square poster
    path = tmp_path / "poster.pdf"
    pdf.save(path)
    pdf.close()
    (page,) = iter_pages(path, max_pixels=4_000_000)
    h, w = page.image.shape[:2]
    assert w * h <= 4_000_000 * 1.01
