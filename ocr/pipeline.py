"""From a file to OCR'd pages. First, minimal version: decode and Tesseract, no preprocessing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ocr import tesseract
from ocr.context import OcrContext
from ocr.decode import iter_page_images
from ocr.types import IDENTITY, OcrPage, Region


def iter_pages(path: Path, *, context: OcrContext = OcrContext()) -> Iterator[OcrPage]:
    """Yield OCR'd pages one at a time (so a long PDF never sits whole in memory)."""
    for number, image in enumerate(iter_page_images(path), start=1):
        h, w = image.shape[:2]
        words = tesseract.words(image, lang=context.languages, timeout=context.timeout_s)
        region = Region(page=number, index=0, image=image, to_page=IDENTITY, words=tuple(words))
        yield OcrPage(number=number, width=w, height=h, image=image, regions=(region,))
