"""The frozen settings an OCR run receives (never global state)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OcrContext:
    languages: str = "vie"
    """Tesseract language string, e.g. ``vie`` or ``vie+eng``."""
    timeout_s: float = 120.0
    """Per Tesseract call."""
    dpi: int = 300
    """PDF rasterization resolution."""
    max_pixels: int = 60_000_000
    """Per page image; larger inputs fail with a clear reason (decompression bombs)."""
    max_pages: int = 50
    preprocess: bool = True
    tessdata_dir: str | None = None
