"""Reading the fields of Vietnamese identity and civil-status papers from OCR'd pages."""

from __future__ import annotations

from extractors.pipeline import extract

__all__ = ["extract"]
