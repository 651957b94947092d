"""Fast image-quality check for uploads. Placeholder until the OCR issue lands: always ok."""

from __future__ import annotations

from pathlib import Path

from ocr.types import Quality


def assess_file(path: Path, *, media_type: str) -> Quality:
    """Quality of an uploaded file's first page image (PDFs are not assessed)."""
    return Quality()
