"""Choose each field's value among its sources, in one place.

Priority: QR (error-corrected, issuer's data) > MRZ with valid check digits > text
layer of a born-digital PDF > OCR. The highest source gives the value; every lower
source that disagrees is listed in a :class:`Conflict` for the clerk. The reason is
logged with field names and sources only (no personal data).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from extractors.normalize import fold, parse_iso
from extractors.types import Conflict, Field

log = logging.getLogger(__name__)

PRIORITY = {"clerk": 5, "qr": 4, "mrz": 3, "text_layer": 2, "ocr": 1}


def same_value(a: str, b: str) -> bool:
    """Equal as values: identical, or identical once case and diacritics are folded.

    OCR that drops a tone mark reads the same value; a different digit or word is a
    disagreement.
    """
    if a == b:
        return True
    return fold(a) == fold(b) and any(c.isalpha() for c in a)


PLAUSIBLE_SIMILARITY = 60.0
"""Folded similarity (0..100) above which a lower source's reading is a real disagreement."""


def plausible(key: str, value: str, best: str) -> bool:
    """Whether a lower source's reading is worth showing the clerk as a disagreement.

    It is when it resembles the chosen value (one misread digit or syllable), or when
    it is a well-formed value of its kind on its own (a valid date, a 9- or 12-digit
    number, a sex, a 4-digit year). Garbage read where the label was ("SC" for a
    name the QR gives in full) is not.
    """
    v = value.strip()
    if not v:
        return False
    if fuzz.ratio(fold(v), fold(best)) >= PLAUSIBLE_SIMILARITY:
        return True
    if parse_iso(v) is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        return True
    if re.fullmatch(r"\d{9}|\d{12}", v) and (key.endswith("id_number") or key == "id_number"):
        return True
    if v in ("Nam", "Nữ") or re.fullmatch(r"(19|20)\d{2}", v):
        return True
    return key == "mrz" or (key.endswith("_number") and re.search(r"\d", v) is not None)


def choose(key: str, candidates: Iterable[Field]) -> tuple[Field | None, list[Conflict]]:
    """The field from the best source, and conflicts for lower sources that disagree."""
    cands = sorted(candidates, key=lambda f: (-PRIORITY.get(f.source, 0), -f.confidence))
    if not cands:
        return None, []
    best = cands[0]
    disagree: dict[str, str] = {}
    agree: list[Field] = []
    implausible: list[Field] = []
    for other in cands[1:]:
        if same_value(best.value, other.value):
            agree.append(other)
        elif other.source != best.source and other.source not in disagree:
            if plausible(key, other.value, best.value):
                disagree[other.source] = other.value
            else:
                implausible.append(other)
    conf = best.confidence
    if agree and not disagree:
        conf = min(0.995, max(conf, 1 - (1 - conf) * 0.5))
    elif disagree and best.source == "ocr":
        conf *= 0.7
    # the printed position is what the clerk wants highlighted: where OCR found the
    # field's value on the paper (even when its reading differs from the QR's), the
    # QR / MRZ zone only when no printed location is known
    printed = ("ocr", "text_layer")
    located = next((f for f in [best, *agree] if f.bbox is not None and f.source in printed), None)
    located = located or next(
        (f for f in cands if f.bbox is not None and f.source in printed), None
    )
    located = located or next((f for f in cands if f.bbox is not None), None)
    raw = best.raw
    if raw is None and located is not None and located.source in printed and located is not best:
        raw = located.raw if located.raw is not None else located.value
    chosen = dataclasses.replace(
        best,
        confidence=conf,
        bbox=located.bbox if located is not None else best.bbox,
        page=located.page if located is not None else best.page,
        checks=tuple(dict.fromkeys(c for f in [best, *agree] for c in f.checks)),
        raw=raw if raw != best.value else None,
    )
    conflicts = []
    if disagree:
        values = {best.source: best.value, **disagree}
        conflicts.append(Conflict(key, values, reason=f"{best.source} preferred"))
        log.info("field %s: %s chosen over %s", key, best.source, ",".join(disagree))
    return chosen, conflicts


def reconcile(
    candidates: dict[str, list[Field]],
) -> tuple[dict[str, Field], list[Conflict]]:
    fields: dict[str, Field] = {}
    conflicts: list[Conflict] = []
    for key, cands in candidates.items():
        f, c = choose(key, cands)
        if f is not None:
            fields[key] = f
        conflicts.extend(c)
    return fields, conflicts
