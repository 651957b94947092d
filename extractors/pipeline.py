"""From OCR'd pages to extracted documents. First, minimal version: no fields yet."""

from __future__ import annotations

from collections.abc import Iterable

from extractors.types import ExtractedDocument
from ocr.types import OcrPage


def extract(pages: Iterable[OcrPage]) -> list[ExtractedDocument]:
    """Classify and read every region of the pages; consumes the iterator page by page."""
    docs: list[ExtractedDocument] = []
    for page in pages:
        for region in page.regions:
            docs.append(
                ExtractedDocument(
                    pages=(page.number,),
                    document_type="unknown",
                    type_confidence=0.0,
                    text=region.text,
                    quality=page.quality,
                )
            )
    return docs
