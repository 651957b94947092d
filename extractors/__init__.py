"""Reading the fields of Vietnamese identity and civil-status papers from OCR'd pages."""

from __future__ import annotations

from extractors.pipeline import extract, merge_applicant, pair_cards

__all__ = ["extract", "merge_applicant", "pair_cards"]
