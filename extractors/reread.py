"""A second, independent reading of printed values (names, places, dates).

The page OCR (Tesseract's fast ``vie`` model on the binarized region) confuses tone
marks on stacked vowels (LỰC/LỤC, ẨN/ẤN) and some digits (1985/1988) with high
confidence, and a syllable dictionary cannot choose between two valid syllables. The
boxes of the selected values are therefore read a second time: cut from the region's
grey image, scaled to one text height, stacked into one image and read in ONE
Tesseract call with the better ``vie`` model (``best_int``, installed at setup time;
the fast model when it is absent).

The two readings are combined word by word (:func:`combine`):

- they agree: the value stands, its confidence goes up;
- they disagree where one side is clearly better supported (a well-formed syllable
  against a malformed one, a known name syllable or place-name syllable against an
  unknown one, a valid date against none): that side's words win, the first reading
  stays as ``raw`` and the confidence drops under the review threshold;
- otherwise the first reading stays, its confidence drops and a conflict lists both
  readings for the clerk. Nothing is corrected silently.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import logging
import re
import sys
import time
import unicodedata
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from extractors import fields as fl
from extractors.normalize import fold
from extractors.types import Conflict
from ocr.skipped import stack as stack_rows
from ocr.types import Region, Word

log = logging.getLogger(__name__)

BEST_MODEL_DIR = Path(sys.prefix) / "share" / "motcua" / "tessdata-best"
"""Where ``scripts/setup`` (and the Docker image) install the ``best_int`` ``vie`` model."""

KINDS = ("name", "date", "address", "text", "pi", "year")
"""Value kinds read twice (numbers have their own digit re-read)."""
ORDER = {"name": 0, "date": 1, "year": 1, "address": 2, "text": 3, "pi": 4}
MAX_LINES = 14
"""At most this many text lines of one region are read again (bounded time)."""
BOX_HEIGHT = 40
"""Height (px) the word boxes of a line are scaled to before reading: capitals with
their stacked marks, about 30 px high without them."""
DIGIT_BOX_HEIGHT = 30
"""The same for dates: a box of digits is as high as the digits (40 px digits read
8 as 6 more often)."""
TIMEOUT_S = 20.0

AGREE_GAIN = 0.5
"""Agreement closes this share of the gap to certainty."""
CHANGED_MAX = 0.75
"""Confidence ceiling of a value whose words came from the second reading."""
UNRESOLVED_FACTOR = 0.6


@dataclass(frozen=True, slots=True)
class Verdict:
    value: str | None
    """The combined value (None: keep the first reading)."""
    outcome: str
    """``agree``, ``first`` (the second reading is worse), ``changed`` (words of the
    second reading won), ``unresolved`` (both readings equally supported), ``none``
    (the second reading gave nothing)."""


# ----------------------------------------------------------------------------- model


@functools.cache
def model_dir(path: str | None = None) -> str | None:
    """The directory holding the better ``vie`` model, or None (fast system model);
    a missing model is logged once."""
    d = Path(path) if path else BEST_MODEL_DIR
    if (d / "vie.traineddata").is_file():
        return str(d)
    log.warning(
        "second readings use the fast 'vie' model: %s/vie.traineddata is missing "
        "(run scripts/setup to install the better one)",
        d,
    )
    return None


# ----------------------------------------------------------------------------- support


PUNCT = ",.;:!?()[]{}\"'“”‘’-–/\\|"


def _official(part: str) -> bool:
    try:
        from extractors import gazetteer

        return gazetteer.is_official_name(part)
    except Exception as exc:  # noqa: BLE001 - no gazetteer: syllables decide alone
        log.info("no gazetteer for second readings: %s", type(exc).__name__)
        return False


@functools.cache
def _pi_words() -> frozenset[str]:
    return frozenset(w.lower() for w in getattr(fl, "_PI_WORDS", ()))


def _word_support(token: str, kind: str, *, first: bool) -> int:
    from extractors import vietnamese

    core = token.strip(PUNCT)
    if not core:
        return 1
    if any(c.isdigit() for c in core):
        return 1 if re.fullmatch(r"[\d.,:/\-]+", core) else 0
    head, mark, tail = core.partition("'")
    if kind == "name" and mark and head.isalpha() and len(head) <= 2 and tail.isalpha():
        # a minority name (Ê Đê H'Luyn, Y'Bih): OCR does not make up the apostrophe, and
        # what follows it need not be a Vietnamese syllable; a blurred second reading
        # (HUỲNH) is no reason to drop it
        return 2
    if not core.isalpha() or not vietnamese.is_syllable(core):
        return 0
    if kind == "name":
        return 2 if vietnamese.known(core, surname=first) else 1
    if kind == "pi":
        return 2 if unicodedata.normalize("NFC", core.lower()) in _pi_words() else 1
    return 1


def supports(value: str, kind: str) -> list[int]:
    """How well each word of a value is supported: 0 malformed, 1 a well-formed
    syllable (or a number), 2 a known name syllable (a surname for a name's first
    word), a word of the personal-identification vocabulary, or a word of a place part
    that names an official unit ("thị xã Chũ")."""
    tokens = value.split()
    out = [_word_support(t, kind, first=i == 0) for i, t in enumerate(tokens)]
    if kind in ("address", "text"):
        start = 0
        for i, t in enumerate(tokens):
            if t.endswith(",") or i == len(tokens) - 1:
                if _official(" ".join(tokens[start : i + 1]).rstrip(",")):
                    for k in range(start, i + 1):
                        out[k] = 2 if out[k] else 0
                start = i + 1
    return out


def _key(token: str) -> str:
    return unicodedata.normalize("NFC", token.strip(PUNCT).lower())


def _letters(words: Sequence[str]) -> int:
    return sum(c.isalnum() for w in words for c in w)


def combine(kind: str, first: str, second: str | None) -> Verdict:
    """Two readings of one value -> the value to keep and how it was decided.

    Words are aligned (case and punctuation aside); where they differ, the side whose
    words are better supported (:func:`supports`) wins that stretch; a stretch where
    neither is better keeps the first reading and leaves the value unresolved."""
    if not second:
        return Verdict(None, "none")
    if kind in ("date", "year"):
        if second == first:
            return Verdict(first, "agree")
        return Verdict(None, "unresolved")  # two valid dates: digits cannot be voted on
    a, b = first.split(), second.split()
    ka, kb = [_key(t) for t in a], [_key(t) for t in b]
    if ka == kb:
        return Verdict(first, "agree")
    sa_all, sb_all = supports(first, kind), supports(second, kind)
    out: list[str] = []
    won = tied = 0
    for op, i0, i1, j0, j1 in difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if op == "equal":
            out.extend(a[i0:i1])
            continue
        if op == "insert":
            continue  # words outside the first reading's box (a neighbouring line)
        if i1 - i0 == j1 - j0:
            spans = [
                (i, i + 1, j, j + 1) for i, j in zip(range(i0, i1), range(j0, j1), strict=True)
            ]
        else:
            spans = [(i0, i1, j0, j1)]
        for x0, x1, y0, y1 in spans:
            sa = min(sa_all[x0:x1], default=0)
            sb = min(sb_all[y0:y1], default=0)
            # a side with fewer words has no support for the missing one ("VN ĐÔNG"
            # against "ĐÔNG" is no reason to drop "VN")
            if x1 - x0 < y1 - y0:
                sa = 0
            elif x1 - x0 > y1 - y0:
                sb = 0
            la, lb = _letters(a[x0:x1]), _letters(b[y0:y1])
            if min(la, lb) < 0.6 * max(la, lb):
                sa = sb = min(sa, sb)  # not the same text read two ways: no winner
            if sb > sa:
                won += 1
                out.extend(b[y0:y1])
            else:
                tied += sa == sb
                out.extend(a[x0:x1])
    value = " ".join(out)
    if tied:
        return Verdict(value if value != first else None, "unresolved")
    if won and value != first:
        return Verdict(value, "changed")
    return Verdict(None, "first")


# ----------------------------------------------------------------------------- crops


def _value_words(reading: fl.Reading, kind: str) -> list[Word]:
    """The words of a reading that carry its value (not the dotted leader or the junk
    after it): from the first to the last word that the value contains; a date ends
    with the word that completes it."""
    words = [w for w in reading.words if w.region_bbox is not None]
    if kind in ("date", "year"):
        hits = [i for i, w in enumerate(words) if any(c.isdigit() for c in w.text)]
        if not hits:
            return []
        for k in range(hits[0], len(words)):
            text = " ".join(w.text for w in words[hits[0] : k + 1])
            if fl.convert(kind, text) == reading.value:
                return words[hits[0] : k + 1]
        return words[hits[0] : hits[-1] + 1]
    tokens = {fold(t.strip(PUNCT)) for t in reading.value.split()}
    hits = [i for i, w in enumerate(words) if fold(w.text.strip(PUNCT)) in tokens]
    if not hits:
        return []
    return words[hits[0] : hits[-1] + 1]


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    """Words (in reading order) split where the text wraps to another line."""
    out: list[list[Word]] = []
    for w in words:
        b = w.region_bbox
        assert b is not None
        if out:
            last = out[-1][-1].region_bbox
            assert last is not None
            cy = (b[1] + b[3]) / 2
            if last[1] <= cy <= last[3] and b[0] >= last[0]:
                out[-1].append(w)
                continue
        out.append([w])
    return out


def _cut(image: np.ndarray, words: Sequence[Word], height: int = BOX_HEIGHT) -> np.ndarray | None:
    boxes = [w.region_bbox for w in words if w.region_bbox is not None]
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    h = max(1, y1 - y0)
    H, W = image.shape[:2]
    crop = image[
        max(0, y0 - h // 6) : min(H, y1 + h // 6), max(0, x0 - h // 3) : min(W, x1 + h // 3)
    ]
    if crop.size == 0 or crop.shape[0] < 4 or crop.shape[1] < 4:
        return None
    if crop.ndim == 3:
        crop = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    f = height / h
    crop = cv2.resize(crop, None, fx=f, fy=f,
                      interpolation=cv2.INTER_CUBIC if f > 1 else cv2.INTER_AREA)  # fmt: skip
    paper = max(1.0, float(np.percentile(crop, 90)))
    return np.clip(crop.astype(np.float32) * (255.0 / paper), 0, 255).astype(np.uint8)


def stack(crops: Sequence[np.ndarray]) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Line images one under the other on white, a line's height apart; returns the
    image and each line's vertical span in it."""
    return stack_rows(crops, BOX_HEIGHT)


def read_lines(
    crops: Sequence[np.ndarray], *, tessdata_dir: str | None, timeout: float = TIMEOUT_S
) -> list[str]:
    """The text of each line image, read in one Tesseract call."""
    from ocr import tesseract

    canvas, spans = stack(crops)
    words = tesseract.words(canvas, lang="vie", psm=6, timeout=timeout, tessdata_dir=tessdata_dir)
    out = []
    for y0, y1 in spans:
        lines: dict[tuple[int, int], list[Word]] = {}
        for w in words:
            if y0 <= (w.bbox[1] + w.bbox[3]) / 2 < y1:
                lines.setdefault((w.block, w.line), []).append(w)
        if not lines:
            out.append("")
            continue
        # a crop may show a sliver of the next line: the line nearest its middle
        mid = (y0 + y1) / 2
        mine = min(
            lines.values(),
            key=lambda ws: abs(sum(w.bbox[1] + w.bbox[3] for w in ws) / (2 * len(ws)) - mid),
        )
        out.append(" ".join(w.text for w in sorted(mine, key=lambda w: w.bbox[0])))
    return out


# ----------------------------------------------------------------------------- fields


def second_opinion(
    region: Region,
    readings: dict[str, fl.Reading],
    kinds: dict[str, str],
    *,
    skip: Collection[str] = (),
    tessdata_dir: str | None = None,
) -> tuple[dict[str, fl.Reading], list[Conflict]]:
    """Read the boxes of the selected values again and combine both readings.

    ``kinds``: field key -> value kind (:data:`KINDS` are read again); ``skip``: keys
    another source gives (QR, MRZ), not worth a second reading. Returns the
    readings (changed ones keep their first text as ``raw``) and the conflicts of
    readings that stay unresolved. Any failure keeps the first readings.
    """
    image = region.image
    if image is None or not image.size:
        return readings, []
    chosen: list[tuple[str, list[list[Word]]]] = []
    n_lines = 0
    for key in sorted(readings, key=lambda k: ORDER.get(kinds.get(k, ""), 9)):
        kind = kinds.get(key)
        r = readings[key]
        if kind not in KINDS or not r.value or key in skip:
            continue
        lines = _lines(_value_words(r, kind))
        if not lines or n_lines + len(lines) > MAX_LINES:
            continue
        chosen.append((key, lines))
        n_lines += len(lines)
    if not chosen:
        return readings, []
    crops: list[np.ndarray] = []
    owners: list[str] = []
    for key, lines in chosen:
        height = DIGIT_BOX_HEIGHT if kinds[key] in ("date", "year") else BOX_HEIGHT
        for ws in lines:
            c = _cut(image, ws, height)
            if c is not None:
                crops.append(c)
                owners.append(key)
    if not crops:
        return readings, []
    t0 = time.perf_counter()
    try:
        texts = read_lines(crops, tessdata_dir=model_dir(tessdata_dir))
    except Exception as exc:  # noqa: BLE001 - the first readings stand
        log.info("second reading failed: %s", type(exc).__name__)
        return readings, []
    second: dict[str, list[str]] = {}
    for key, t in zip(owners, texts, strict=True):
        second.setdefault(key, []).append(t)
    out = dict(readings)
    conflicts: list[Conflict] = []
    tally: dict[str, int] = {}
    for key, parts in second.items():
        r, kind = readings[key], kinds[key]
        text = " ".join(" ".join(parts).split())
        value2 = fl.convert(kind, fl._cut_name(text) if kind == "name" else text) if text else None
        v = combine(kind, r.value, value2)
        tally[v.outcome] = tally.get(v.outcome, 0) + 1
        if v.outcome == "agree":
            conf = min(0.99, r.confidence + (1 - r.confidence) * AGREE_GAIN)
            out[key] = dataclasses.replace(r, confidence=conf)
        elif v.outcome == "changed" and v.value:
            conf = min(r.confidence * 0.9, CHANGED_MAX)
            out[key] = dataclasses.replace(r, value=v.value, confidence=conf)
        elif v.outcome == "unresolved":
            # words that one side clearly reads better are taken even so; the rest
            # stays as first read, for the clerk to decide
            out[key] = dataclasses.replace(
                r, value=v.value or r.value, confidence=r.confidence * UNRESOLVED_FACTOR
            )
            conflicts.append(
                Conflict(
                    key,
                    {"ocr": r.value, "ocr_reread": value2 or ""},
                    reason="a second reading of the value's box disagrees",
                )
            )
    log.info(
        "second reading of %d lines in %.2f s: %s",
        len(crops),
        time.perf_counter() - t0,
        ", ".join(f"{k} {n}" for k, n in sorted(tally.items())),
    )
    return out, conflicts


def kinds_of(doc_type: str) -> dict[str, str]:
    """Field key -> value kind of the printed fields of ``doc_type``."""
    return {s.key: s.kind for s in fl.SPECS.get(doc_type, ())}
