"""The offline composition of OCR and extraction, shared by the CLI and the worker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from extractors import extract
from extractors.types import ExtractedDocument
from ocr.context import OcrContext
from ocr.pipeline import iter_pages
from ocr.types import OcrPage

PageCallback = Callable[[OcrPage], None]


def extract_file(
    path: Path, *, context: OcrContext, on_page: PageCallback | None = None
) -> list[ExtractedDocument]:
    """OCR every page of ``path`` and read its documents.

    ``on_page`` sees each page as it is OCR'd (before extraction consumes it), so the
    worker can store page images and words while a long PDF streams through.
    Raises :class:`ocr.exceptions.OcrError` subclasses for unreadable input.
    """
    pages: Iterator[OcrPage] = iter_pages(Path(path), context=context)
    if on_page is not None:
        pages = _tap(pages, on_page)
    return extract(pages)


def _tap(pages: Iterator[OcrPage], callback: PageCallback) -> Iterator[OcrPage]:
    for page in pages:
        callback(page)
        yield page


def to_json(docs: list[ExtractedDocument], *, source: str) -> list[dict]:
    return [d.to_json(source=source) for d in docs]
