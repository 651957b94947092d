"""Small PDFs made in the tests with pypdfium2's raw API (no PDF writer dependency).

- :func:`text_pdf` writes real text objects: with an embedded TrueType font (DejaVu)
  the text layer maps to Unicode; with the standard Helvetica font and TCVN3-style
  bytes it reproduces the "broken Vietnamese font encoding" seen in old office PDFs.
- :func:`image_pdf` places a raster image (a scanned page) on a page.
"""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

A4_PT = (595.0, 842.0)


def _set_text(obj, text: str) -> None:  # noqa: ANN001
    data = (text + "\0").encode("utf-16-le")
    buf = ctypes.create_string_buffer(data, len(data))
    ok = pdfium_c.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(pdfium_c.FPDF_WCHAR)))
    if not ok:
        raise RuntimeError("FPDFText_SetText failed")


class PdfBuilder:
    def __init__(self) -> None:
        self.pdf = pdfium.PdfDocument.new()
        self._fonts: dict[str, object] = {}
        self._keep: list[object] = []

    def font(self, ttf: Path | None) -> object:
        key = str(ttf)
        if key not in self._fonts:
            if ttf is None:
                self._fonts[key] = pdfium_c.FPDFText_LoadStandardFont(self.pdf.raw, b"Helvetica")
            else:
                data = ttf.read_bytes()
                buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
                self._keep.append(buf)
                self._fonts[key] = pdfium_c.FPDFText_LoadFont(
                    self.pdf.raw, buf, len(data), pdfium_c.FPDF_FONT_TRUETYPE, True
                )
        return self._fonts[key]

    def text_page(
        self,
        lines: Sequence[str],
        *,
        ttf: Path | None,
        size: float = 14.0,
        origin: tuple[float, float] = (72.0, 72.0),
        leading: float = 1.5,
    ) -> None:
        """A page with ``lines`` starting ``origin`` points from the top-left."""
        w, h = A4_PT
        page = self.pdf.new_page(w, h)
        font = self.font(ttf)
        x, y_top = origin
        for i, line in enumerate(lines):
            obj = pdfium_c.FPDFPageObj_CreateTextObj(self.pdf.raw, font, ctypes.c_float(size))
            _set_text(obj, line)
            baseline = h - y_top - size - i * size * leading
            pdfium_c.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, baseline)
            pdfium_c.FPDFPage_InsertObject(page.raw, obj)
        pdfium_c.FPDFPage_GenerateContent(page.raw)
        page.close()

    def image_page(self, image: np.ndarray, tmp: Path) -> None:
        """A page covered by a raster image (grey or BGR uint8), like a scan."""
        w, h = A4_PT
        page = self.pdf.new_page(w, h)
        jpg = tmp / f"img{len(self._keep)}.jpg"
        arr = image if image.ndim == 2 else image[:, :, ::-1]
        Image.fromarray(arr).save(jpg, quality=92)
        img = pdfium.PdfImage.new(self.pdf)
        fh = jpg.open("rb")
        self._keep.append(fh)
        img.load_jpeg(fh, inline=True)
        img.set_matrix(pdfium.PdfMatrix().scale(w, h))
        page.insert_obj(img)
        page.gen_content()
        page.close()

    def save(self, path: Path) -> Path:
        self.pdf.save(path)
        self.pdf.close()
        for k in self._keep:
            if hasattr(k, "close"):
                k.close()
        return path
