"""Deciding what an upload is (by its bytes) and turning it into page images.

First, minimal version: the OCR issue deepens it (HEIC, WebP, TIFF G4, limits...).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from ocr.exceptions import CorruptInputError, UnsupportedInputError

# Allowlist: media type -> magic prefixes.
MAGIC: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/tiff": (b"II*\x00", b"MM\x00*"),
}


def sniff_media_type(head: bytes) -> str | None:
    """The media type of a file from its first bytes, or None if not on the allowlist."""
    for media_type, prefixes in MAGIC.items():
        if any(head.startswith(p) for p in prefixes):
            return media_type
    return None


def iter_page_images(path: Path) -> Iterator[np.ndarray]:
    """Yield each page of the file as a BGR uint8 array, upright per EXIF."""
    with path.open("rb") as fh:
        media_type = sniff_media_type(fh.read(16))
    if media_type is None:
        raise UnsupportedInputError(f"{path.name}: not a PDF, JPEG, PNG or TIFF file")
    if media_type == "application/pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(path)
        try:
            for page in pdf:
                pil = page.render(scale=300 / 72).to_pil()
                yield _to_bgr(pil)
        finally:
            pdf.close()
        return
    try:
        with Image.open(path) as im:
            for i in range(getattr(im, "n_frames", 1)):
                im.seek(i)
                yield _to_bgr(ImageOps.exif_transpose(im))
    except (OSError, ValueError) as exc:
        raise CorruptInputError(f"{path.name}: cannot decode image ({exc})") from exc


def _to_bgr(pil: Image.Image) -> np.ndarray:
    rgb = np.asarray(pil.convert("RGB"))
    return np.ascontiguousarray(rgb[:, :, ::-1])
