"""Deciding what an upload is (by its bytes) and turning it into page images.

Accepted: JPEG, PNG, TIFF (multi-page, any compression Pillow reads, CCITT G4
included), WebP, HEIC/HEIF (iPhone photos), PDF. Images are turned upright by their
EXIF orientation. PDFs are rasterized one page at a time. Pixel and page limits are
checked from the headers *before* any pixel is decoded, so a decompression bomb is
refused with :class:`~ocr.exceptions.InputTooLargeError` instead of eating memory.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from ocr.exceptions import (
    CorruptInputError,
    EncryptedInputError,
    InputTooLargeError,
    UnsupportedInputError,
)

log = logging.getLogger(__name__)

# OpenCV's own guard, for any code path that decodes with OpenCV.
os.environ.setdefault("OPENCV_IO_MAX_IMAGE_PIXELS", str(60_000_000))

try:  # HEIC/HEIF support is a Pillow plugin
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_AVAILABLE = True
except ImportError:  # pragma: no cover - declared dependency
    HEIF_AVAILABLE = False

# Allowlist: media type -> magic prefixes (WebP and HEIF are checked structurally below).
MAGIC: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/tiff": (b"II*\x00", b"MM\x00*"),
}
HEIF_BRANDS: dict[bytes, str] = {
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"heim": "image/heic",
    b"heis": "image/heic",
    b"hevc": "image/heic",
    b"hevx": "image/heic",
    b"mif1": "image/heif",
    b"msf1": "image/heif",
}
SUPPORTED = "PDF, JPEG, PNG, TIFF, WebP or HEIC"
SNIFF_BYTES = 32
"""How many leading bytes :func:`sniff_media_type` needs."""


def sniff_media_type(head: bytes) -> str | None:
    """The media type of a file from its first bytes, or None if not on the allowlist."""
    for media_type, prefixes in MAGIC.items():
        if any(head.startswith(p) for p in prefixes):
            return media_type
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        major = head[8:12]
        if major in HEIF_BRANDS:
            return HEIF_BRANDS[major]
        # compatible brands follow the minor version (bytes 12..16)
        box_len = int.from_bytes(head[:4], "big")
        compat = head[16 : min(box_len, len(head))]
        for i in range(0, len(compat) - 3, 4):
            if compat[i : i + 4] in HEIF_BRANDS:
                return HEIF_BRANDS[compat[i : i + 4]]
    return None


def sniff_file(path: Path) -> str:
    """Media type of the file at ``path``; raises when empty or not on the allowlist."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head:
        raise CorruptInputError(f"{path.name}: the file is empty")
    media_type = sniff_media_type(head)
    if media_type is None:
        raise UnsupportedInputError(f"{path.name}: not a {SUPPORTED} file")
    return media_type


@dataclass(frozen=True, slots=True)
class PageImage:
    number: int
    """1-based."""
    image: np.ndarray
    """BGR uint8, upright per EXIF."""
    scale: float = 1.0
    """Pixels per PDF point for rasterized PDF pages (dpi / 72); 1.0 for images."""


def iter_page_images(
    path: Path,
    *,
    max_pixels: int = 60_000_000,
    max_pages: int = 50,
    dpi: int = 300,
) -> Iterator[np.ndarray]:
    """Yield each page of the file as a BGR uint8 array, upright per EXIF."""
    for page in iter_pages(path, max_pixels=max_pixels, max_pages=max_pages, dpi=dpi):
        yield page.image


def iter_pages(
    path: Path,
    *,
    max_pixels: int = 60_000_000,
    max_pages: int = 50,
    dpi: int = 300,
) -> Iterator[PageImage]:
    """Like :func:`iter_page_images`, with page numbers and the PDF raster scale."""
    media_type = sniff_file(path)
    if media_type == "application/pdf":
        yield from _iter_pdf(path, max_pixels=max_pixels, max_pages=max_pages, dpi=dpi)
    else:
        yield from _iter_image(path, media_type, max_pixels=max_pixels, max_pages=max_pages)


def open_pdf(path: Path):  # noqa: ANN201 - pypdfium2 type
    """Open a PDF with pypdfium2 (which reads from the file, not a copy in memory)."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise EncryptedInputError(f"{path.name}: the PDF is password-protected") from exc
        raise CorruptInputError(f"{path.name}: cannot read the PDF ({msg})") from exc


def pdf_raster_scale(width_pt: float, height_pt: float, *, dpi: int, max_pixels: int) -> float:
    """Pixels per point for a page: ``dpi / 72``, reduced if the page would exceed the limit."""
    scale = dpi / 72.0
    pixels = width_pt * height_pt * scale * scale
    if pixels > max_pixels:
        scale *= (max_pixels / pixels) ** 0.5
    return scale


def _iter_pdf(path: Path, *, max_pixels: int, max_pages: int, dpi: int) -> Iterator[PageImage]:
    pdf = open_pdf(path)
    try:
        n = len(pdf)
        if n == 0:
            raise CorruptInputError(f"{path.name}: the PDF has no pages")
        if n > max_pages:
            raise InputTooLargeError(f"{path.name}: {n} pages, more than the limit of {max_pages}")
        for i in range(n):
            page = pdf[i]
            try:
                w_pt, h_pt = page.get_size()
                scale = pdf_raster_scale(w_pt, h_pt, dpi=dpi, max_pixels=max_pixels)
                if scale < dpi / 72.0 * 0.999:
                    log.info("page %d is large; rasterized at %.0f dpi", i + 1, scale * 72)
                bitmap = page.render(scale=scale, may_draw_forms=True)
                pil = bitmap.to_pil()
                image = _to_bgr(pil)
                bitmap.close()
            finally:
                page.close()
            yield PageImage(number=i + 1, image=image, scale=scale)
    finally:
        pdf.close()


def _iter_image(
    path: Path, media_type: str, *, max_pixels: int, max_pages: int
) -> Iterator[PageImage]:
    if media_type.startswith("image/hei") and not HEIF_AVAILABLE:  # pragma: no cover
        raise UnsupportedInputError(f"{path.name}: HEIC support (pillow-heif) is not installed")
    try:
        im = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise InputTooLargeError(f"{path.name}: image too large ({exc})") from exc
    except (OSError, ValueError, SyntaxError) as exc:
        raise CorruptInputError(f"{path.name}: cannot decode image ({exc})") from exc
    with im:
        if media_type in ("image/jpeg", "image/png"):
            fast = _fast_decode(path, im, max_pixels=max_pixels)
            if fast is not None:
                yield PageImage(number=1, image=fast)
                return
        n = getattr(im, "n_frames", 1)
        if media_type in ("image/webp", "image/heic", "image/heif"):
            n = 1  # animations / bursts: the first (primary) image is the document
        if n > max_pages:
            raise InputTooLargeError(f"{path.name}: {n} pages, more than the limit of {max_pages}")
        for i in range(n):
            try:
                im.seek(i)
                w, h = im.size
                if w * h > max_pixels:
                    raise InputTooLargeError(
                        f"{path.name}: page {i + 1} is {w}x{h} pixels, "
                        f"more than the limit of {max_pixels:,}"
                    )
                if w == 0 or h == 0:
                    raise CorruptInputError(f"{path.name}: page {i + 1} has no pixels")
                im.load()
                image = _to_bgr(ImageOps.exif_transpose(im))
            except Image.DecompressionBombError as exc:
                raise InputTooLargeError(f"{path.name}: image too large ({exc})") from exc
            except (OSError, ValueError, SyntaxError, EOFError) as exc:
                raise CorruptInputError(f"{path.name}: cannot decode image ({exc})") from exc
            yield PageImage(number=i + 1, image=image)


def _fast_decode(path: Path, im: Image.Image, *, max_pixels: int) -> np.ndarray | None:
    """Decode a plain 8-bit JPEG or PNG with OpenCV (several times faster than Pillow's
    decode plus conversion); None when Pillow should do it (EXIF-rotated PNG, 16-bit,
    alpha, palette...). Limits are checked from the header Pillow already parsed."""
    import cv2

    w, h = im.size
    if w * h > max_pixels:
        raise InputTooLargeError(
            f"{path.name}: page 1 is {w}x{h} pixels, more than the limit of {max_pixels:,}"
        )
    if im.mode not in ("RGB", "L") or getattr(im, "n_frames", 1) > 1:
        return None
    if im.format == "PNG" and im.getexif().get(0x0112, 1) != 1:
        return None  # OpenCV may ignore a PNG's eXIf orientation
    if im.format == "JPEG" and not _has_jpeg_end(path):
        return None  # truncated: OpenCV would return a half-grey image without complaint
    flags = cv2.IMREAD_COLOR  # applies a JPEG's EXIF orientation
    image = cv2.imread(str(path), flags)
    if image is None:
        return None  # let Pillow produce the precise error
    return image


def _has_jpeg_end(path: Path) -> bool:
    """Whether the JPEG's end-of-image marker is near the end of the file."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 4096))
        return b"\xff\xd9" in fh.read()


def _to_bgr(pil: Image.Image) -> np.ndarray:
    if pil.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        a = np.asarray(pil, dtype=np.float32)
        hi = float(a.max()) or 1.0
        grey = np.clip(a * (255.0 / hi), 0, 255).astype(np.uint8)
        return np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))
    if pil.mode in ("RGBA", "LA", "PA") or (pil.mode == "P" and "transparency" in pil.info):
        rgba = pil.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        pil = Image.alpha_composite(white, rgba)
    rgb = np.asarray(pil.convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])
