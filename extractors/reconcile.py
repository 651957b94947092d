"""Choose each field's value among its sources, in one place.

Priority: QR (error-corrected, issuer's data) > MRZ with valid check digits > text
layer of a born-digital PDF > OCR. The highest source gives the value; every lower
source that disagrees is listed in a :class:`Conflict` for the clerk. The reason is
logged with field names and sources only (no personal data).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable

from extractors.normalize import fold
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


def choose(key: str, candidates: Iterable[Field]) -> tuple[Field | None, list[Conflict]]:
    """The field from the best source, and conflicts for lower sources that disagree."""
    cands = sorted(candidates, key=lambda f: (-PRIORITY.get(f.source, 0), -f.confidence))
    if not cands:
        return None, []
    best = cands[0]
    disagree: dict[str, str] = {}
    agree = []
    for other in cands[1:]:
        if same_value(best.value, other.value):
            agree.append(other)
        elif other.source != best.source and other.source not in disagree:
            disagree[other.source] = other.value
    conf = best.confidence
    if agree and not disagree:
        conf = min(0.995, max(conf, 1 - (1 - conf) * 0.5))
    elif disagree and best.source == "ocr":
        conf *= 0.7
    # the printed position is what the clerk wants highlighted
    located = next((f for f in [best, *agree] if f.bbox is not None and f.source == "ocr"), None)
    located = located or next((f for f in cands if f.bbox is not None), None)
    raw = best.raw
    if raw is None and located is not None and located.source == "ocr" and located is not best:
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
