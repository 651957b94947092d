"""Find printed labels in OCR'd lines and take the values that follow them.

Works on words with boxes: words are grouped into visual rows (Tesseract's lines,
merged when they sit on the same baseline), each row gets an ASCII-folded text with
the character span of every word, and labels are located by fuzzy alignment
(rapidfuzz) so OCR noise and dropped diacritics are tolerated. A value is the text
after its label up to the next label on the row; when the label ends its row (cards
print ``Họ và tên / Full name:`` above the name) or the field runs over several
lines (addresses), the following rows are taken, limited to words right of the
label's left edge, until a row that starts with another label.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extractors.normalize import strip_diacritics
from ocr.types import BBox, Word, group_lines, union_bbox


@dataclass(frozen=True, slots=True)
class Row:
    words: tuple[Word, ...]
    folded: str
    spans: tuple[tuple[int, int], ...]
    """Character span of each word in ``folded``."""

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def y(self) -> float:
        return sum((gb(w)[1] + gb(w)[3]) / 2 for w in self.words) / len(self.words)

    @property
    def height(self) -> float:
        return sorted(gb(w)[3] - gb(w)[1] for w in self.words)[len(self.words) // 2]

    @property
    def x0(self) -> int:
        return min(gb(w)[0] for w in self.words)


def make_row(words: Sequence[Word]) -> Row:
    words = sorted(words, key=lambda w: gb(w)[0])
    parts, spans, pos = [], [], 0
    for w in words:
        f = fold_word(w.text)
        spans.append((pos, pos + len(f)))
        parts.append(f)
        pos += len(f) + 1
    return Row(tuple(words), " ".join(parts), tuple(spans))


def segments(row: Row) -> list[list[Word]]:
    """Words of a row split at large horizontal gaps (two columns on one baseline, or
    the two sides of a card photographed side by side)."""
    segs: list[list[Word]] = [[row.words[0]]]
    h = max(row.height, 1)
    for prev, w in zip(row.words, row.words[1:], strict=False):
        if gb(w)[0] - gb(prev)[2] > 2.5 * h:
            segs.append([])
        segs[-1].append(w)
    return segs


def gb(w: Word) -> BBox:
    """A word's box for layout (rows, columns, gaps): in the upright region image when
    known, since an upload photographed sideways has vertical lines in page pixels.
    Values still report ``Word.bbox`` (page pixels)."""
    rb = getattr(w, "region_bbox", None)
    return rb if rb is not None else w.bbox


# symbols OCR reads for a letter of a label word ("S¡nh ngày"); one char each, so
# positions in the folded row still match the text
_LOOKALIKES = str.maketrans({"¡": "i"})


_S_AS_DIGIT = re.compile(r"^[59](?=([^\W\d_]+)[^\w]*$)")
"""A label word's S read as 9 or 5 in a blurred photo ("9ố định danh"): one leading digit
before letters only."""


_BAR_AS_I = re.compile(r"(?<=[^\W\d_])\|(?=[^\W\d_])")
"""An i read as a bar between letters ("Quốc t|ch")."""


def fold_word(text: str) -> str:
    text = _BAR_AS_I.sub("i", text.translate(_LOOKALIKES))
    m = _S_AS_DIGIT.match(text)
    if m and (len(m.group(1)) >= 2 or not m.group(1).isascii()):
        text = "s" + text[1:]  # not a house number "5A": its one letter is plain
    return strip_diacritics(text)


def rows_of(words: Iterable[Word]) -> list[Row]:
    """Visual rows in top-to-bottom order (Tesseract lines on one baseline are merged)."""
    lines = [ln for ln in group_lines(words) if ln]
    items = []
    for ln in lines:
        y0 = min(gb(w)[1] for w in ln)
        y1 = max(gb(w)[3] for w in ln)
        items.append([(y0 + y1) / 2, y1 - y0, list(ln)])
    items.sort(key=lambda it: it[0])
    rows: list[list] = []
    for yc, h, ws in items:
        placed = False
        for row in rows[-3:]:
            ryc, rh, rws = row
            if abs(yc - ryc) < 0.45 * max(h, rh) and not _x_overlap(ws, rws):
                rws.extend(ws)
                row[0] = (ryc * len(rws) + yc * len(ws)) / (len(rws) + len(ws))
                placed = True
                break
        if not placed:
            rows.append([yc, h, ws])
    rows.sort(key=lambda r: r[0])
    return [make_row(ws) for _, _, ws in rows]


def side_by_side(words: Sequence[Word]) -> tuple[list[Word], list[Word]] | None:
    """The words of two sides of a card copied side by side on one page (a CMND's front
    and back on one photocopy), split at the gutter between them: a band near the middle
    that no word box crosses, wider than two text heights, with several text lines on
    each side. ``None`` when the page holds one column of text."""
    boxes = [gb(w) for w in words]
    if len(boxes) < 20:
        return None
    x0 = min(b[0] for b in boxes)
    x1 = max(b[2] for b in boxes)
    heights = sorted(b[3] - b[1] for b in boxes)
    h = heights[len(heights) // 2]
    width = x1 - x0
    if width <= 0 or h <= 0:
        return None
    covered = np.zeros(width + 1, bool)
    for b in boxes:
        covered[b[0] - x0 : b[2] - x0 + 1] = True
    lo, hi = int(0.3 * width), int(0.7 * width)
    best = None  # (length, start) of the widest uncovered run in the middle
    run_start = None
    for x in range(lo, hi + 1):
        if not covered[x] and run_start is None:
            run_start = x
        if (covered[x] or x == hi) and run_start is not None:
            length = x - run_start
            if best is None or length > best[0]:
                best = (length, run_start)
            run_start = None
    if best is None or best[0] < 2 * h:
        return None
    cut = x0 + best[1] + best[0] / 2
    left = [w for w in words if gb(w)[2] <= cut]
    right = [w for w in words if gb(w)[0] >= cut]

    def lines(ws: list[Word]) -> int:
        return len({round((gb(w)[1] + gb(w)[3]) / 2 / h) for w in ws})

    if lines(left) < 4 or lines(right) < 4:
        return None
    return left, right


def _x_overlap(a: list[Word], b: list[Word]) -> bool:
    a0, a1 = min(gb(w)[0] for w in a), max(gb(w)[2] for w in a)
    b0, b1 = min(gb(w)[0] for w in b), max(gb(w)[2] for w in b)
    return min(a1, b1) - max(a0, b0) > 0


@dataclass(frozen=True, slots=True)
class Hit:
    label: str
    key: str
    """What the label stands for (a field key, or a section marker)."""
    row: int
    start: int
    end: int
    """Character span in the row's folded text."""
    score: float


def find_label(row: Row, label: str, *, cutoff: float = 84.0) -> tuple[int, int, float] | None:
    """Best fuzzy occurrence of a folded label in a row: (start, end, score)."""
    found = _find_fuzzy(row, label, cutoff)
    if found is None and len(label) > 4:
        found = _before_colon(row.folded, label)
    if found is None and len(label) > 4:
        found = _row_start(row.folded, label)
    if found is None:
        found = _distinct_tail(row.folded, label)
    return found


def _distinct_tail(text: str, label: str) -> tuple[int, int, float] | None:
    """A label of three words or more whose long last two words ("thường trú") were read
    exactly and its first ones garbled beyond fuzzy matching ("Ngí DA thường trú Ấp Hòa
    Khánh" for "Nơi ĐKHK thường trú"): the tail among the row's first five words, after
    one to three words that still resemble the label's first ones (half their letters)."""
    words = re.findall(r"[a-z0-9]+", label)
    if len(words) < 3 or len(words[-2]) + len(words[-1]) < 9:
        return None
    head = " ".join(words[:-2])
    toks = list(re.finditer(r"\S+", text))
    for k in range(1, min(5, len(toks) - 1)):
        if (toks[k].group(), toks[k + 1].group().rstrip(":.")) != (words[-2], words[-1]):
            continue
        # the run of words before it most like the label's head ("TT. Nơi ĐKHK": from
        # "Nơi"), the shorter on a tie
        score, j = max((fuzz.ratio(text[toks[j].start() : toks[k - 1].end()], head), j)
                       for j in range(max(0, k - 3), k))  # fmt: skip
        return (toks[j].start(), toks[k + 1].end(), 75.0) if score >= 50 else None
    return _loose_tail(toks, words)


def _loose_tail(toks: list[re.Match], words: list[str]) -> tuple[int, int, float] | None:
    """... or its words misread each: the row opens with its first word, one letter off
    ("No" for "Nơi"), its long next-to-last word comes one letter off within the next
    three ("tương" for "thường") and a short word after it ends the label ("nà" for
    "trú"): "No DØIK tương nà Số 295 Ông Ích Khiêm"."""
    if len(toks) < 3 or len(words[-2]) < 5:
        return None
    if toks[0].group()[:1] != words[0][:1] or Levenshtein.distance(toks[0].group(),
                                                                    words[0]) > 1:  # fmt: skip
        return None
    for k in range(1, min(4, len(toks) - 2)):
        last = toks[k + 1].group().rstrip(":.")
        if Levenshtein.distance(toks[k].group(), words[-2]) <= 1 and (
            len(last) <= 3 or Levenshtein.distance(last, words[-1]) <= 1
        ):
            return toks[0].start(), toks[k + 1].end(), 50.0
    return None


def _row_start(text: str, label: str) -> tuple[int, int, float] | None:
    """A label of two words or more that opens its row, one letter misread ("Họ tếc
    ÔN THỊ KIM ĐƯỢM"): a short label's fuzzy score falls under the cutoff for a single
    letter, but where a label opens a row, as on a card, one letter is no other text."""
    n = len(label.split())
    toks = list(re.finditer(r"\S+", text))
    # a form's item letter before it ("e) Thời hạn:", read "e©)› Thời bạn:")
    skip = 1 if toks and _ENUMERATOR.fullmatch(toks[0].group()) else 0
    if n < 2 or len(toks) <= n + skip:
        return None
    start, end = toks[skip].start(), toks[skip + n - 1].end()
    if Levenshtein.distance(text[start:end].rstrip(":.,"), label.rstrip(":")) <= 1:
        return start, end, 80.0
    return None


_ENUMERATOR = re.compile(r"[a-z0-9]{1,2}[^\w\s]{0,2}[).][^\w\s]{0,2}")
"""An item's letter or number opening a form's row: "a)", "2.", "đ)" (folded "d)"), with
a speck or two OCR read beside its bracket ("e©)›")."""


def _before_colon(text: str, label: str) -> tuple[int, int, float] | None:
    """A label OCR misread beyond fuzzy matching ("Xâm sinh:", "lân tọc:", "Ngất, tưng,
    năm sinH:", "Quê quár/ Place øf ongø:", "Sunh ngày 04-02-1996") is still the words
    right before a colon, before the slash that opens a card label's English half, or
    before a value that opens with a digit, when they differ from it by a letter (three
    in a label of 16 letters or more) and end with its last word."""
    n = len(label.split())
    if n < 2:
        return None
    allowed = 3 if len(label) >= 16 else 1
    last = re.findall(r"[a-z0-9]+", label)[-1]
    for m in re.finditer(r"[:/]|(?<=\s)(?=\d)", text):
        toks = list(re.finditer(r"\S+", text[: m.start()]))
        if len(toks) < n:
            continue
        start = toks[-n].start()
        seg = text[start : m.start()].rstrip()
        seg_last = re.findall(r"[a-z0-9]+", seg)[-1:] or [""]
        if Levenshtein.distance(seg_last[0], last) > (1 if len(last) >= 4 else 0):
            continue
        if Levenshtein.distance(seg, label.rstrip(":")) <= allowed:
            return start, m.start(), 80.0
    return None


def _find_fuzzy(row: Row, label: str, cutoff: float) -> tuple[int, int, float] | None:
    text = row.folded
    if len(text) < max(2, len(label) * 0.6):
        return None
    if len(label) <= 4:  # short labels: exact word match only
        m = re.search(rf"(?<![a-z0-9]){re.escape(label)}(?![a-z0-9])", text)
        return (m.start(), m.end(), 100.0) if m else None
    if len(label) < 12:
        cutoff = max(cutoff, 90.0)
    res = fuzz.partial_ratio_alignment(label, text, score_cutoff=cutoff)
    if res is None:
        return None
    start, end = res.dest_start, res.dest_end
    # short words decide between labels ("Họ và tên mẹ" / "Họ và tên"): they must be there
    tokens = re.findall(r"[a-z0-9]+", label)
    short = tokens[-1:] if tokens and tokens[-1] in ("me", "cha", "vo", "chong", "ho") else []
    if short:
        # ... where the label ends ("Họ, chữ đệm và tên: CÙ XUÂN" opens with "Họ" but
        # is not "Họ, chữ đệm và tên chủ hộ")
        lo, hi = max(start, end - len(short[0]) - 4), min(len(text), end + 3)
        found = set(re.findall(r"[a-z0-9]+", text[lo:hi]))
        if "ma" in found:
            found.add("me")  # "mẹ" with its dot below read as "ạ" ("Họ và tên mạ")
        # or glued to the word before it ("Họ và tên chủhộỘ": "chuhoo"), as a word of
        # its own ("Họ và tên: CHỦ HỒNG LÃM" holds "chuho" only inside "chuhong")
        glued = "".join(tokens[-2:]) if len(tokens) >= 2 else ""
        words = re.findall(r"[a-z0-9]+", text[start : end + 3])
        if not all(t in found for t in short) and not any(
            w in (glued, glued + glued[-1:]) for w in words
        ):
            return None
    # snap to word boundaries (an alignment can cut into the neighbouring word)
    while start > 0 and text[start - 1].isalnum() and start < end and text[start].isalnum():
        if end - start > len(label) * 1.3:
            break
        start -= 1
    while end < len(text) and text[end].isalnum() and text[end - 1].isalnum():
        if end - start >= len(label) + 2:
            break
        end += 1
    # the label's first word must be there too ("Người đi khai sinh" is not "GIẤY KHAI SINH")
    first = re.findall(r"[a-z0-9]+", label)[:1]
    got = re.findall(r"[a-z0-9]+", text[start:end])[:1]
    if first and len(first[0]) >= 4 and (not got or fuzz.ratio(first[0], got[0]) < 70):
        return None
    # and each of its words ("Nguyên quán" is not "NGUYỄN ANH"); one miss in long labels
    lab_toks = re.findall(r"[a-z0-9]+", label)
    span_toks = re.findall(r"[a-z0-9]+", text[max(0, start - 2) : end + 2])
    misses = sum(
        1
        for t in lab_toks
        if len(t) > 2 and not any(fuzz.ratio(t, u) >= 80 or t in u for u in span_toks)
    )
    if misses > (1 if len(lab_toks) >= 4 else 0):
        return None
    # a label in small letters does not run on into capitals: "Họ và tên KHA NHĂ" is no
    # "Họ và tên khai sinh" (the name's words), whatever their letters
    inside = [
        w.text for w, (s, e) in zip(row.words, row.spans, strict=True) if s < end and e > start
    ]
    # (a word of the label's own in capitals is no name: "Nơi ĐKHK thường trú")
    caps = [
        len(re.sub(r"\W", "", t)) >= 2 and t.isupper() and fold_word(t).strip(".:") not in lab_toks
        for t in inside
    ]
    if caps and not caps[0] and any(caps[1:]):
        return None
    return start, end, res.score


def find_hits(rows: Sequence[Row], labels: dict[str, Sequence[str]]) -> list[Hit]:
    """All label occurrences (key -> label variants), overlaps resolved for longer labels."""
    hits: list[Hit] = []
    folded_labels = [
        (key, strip_diacritics(lab).lower()) for key, labs in labels.items() for lab in labs
    ]
    for i, row in enumerate(rows):
        found = []
        for key, lab in folded_labels:
            r = find_label(row, lab)
            if r is not None:
                found.append(Hit(lab, key, i, r[0], r[1], r[2]))
        # longest and best label first; drop hits overlapping a kept one
        # (a near-exact long label beats a short one inside it: "Quan. hệ với chủ hộ"
        # read with a stray dot is not the label "Chủ hộ")
        found.sort(
            key=lambda h: (
                -(h.end - h.start) if h.score >= 92 and len(h.label) >= 12 else 0,
                -round(h.score / 5),
                -(h.end - h.start),
                h.start,
            )
        )
        found = [
            h
            for h in found
            if not _inside_longer(row, h, found)
            and not _tail_of_longer(h, found)
            and not _after_unit_word(row, h)
        ]
        kept: list[Hit] = []
        for h in found:
            if all(h.end <= k.start or h.start >= k.end for k in kept):
                kept.append(h)
        kept = _split_seams(kept, found)
        kept.sort(key=lambda h: h.start)
        # "Quốc tịch / Nationality": the two halves of one bilingual label are one hit
        merged: list[Hit] = []
        for h in kept:
            if merged and merged[-1].key == h.key:
                between = row.folded[merged[-1].end : h.start]
                if len(between) <= 4 and not re.search(r"[a-z0-9]", between):
                    m = merged[-1]
                    merged[-1] = Hit(m.label, m.key, m.row, m.start, h.end, max(m.score, h.score))
                    continue
            merged.append(h)
        hits.extend(merged)
    hits.extend(_opening_hits(rows, folded_labels, {h.row for h in hits}))
    if "full_name" in labels:
        hits.extend(_name_label_hits(rows, {h.row for h in hits}))
    hits.sort(key=lambda h: (h.row, h.start))
    return hits


def _name_label_hits(rows: Sequence[Row], labelled: set[int]) -> list[Hit]:
    """A name's label garbled past matching but its first word ("Họ và Kế NGUYÊN PHÚC
    ĐẮC MÃN", "Họ, chữ đệm. tt TIỂU UYẾN SEN"): on a row where no label was found, "Họ"
    (in small letters: "HỒ" is a surname), at most three more words not in capitals,
    then two or more words in capitals are a name label and its value."""
    out = []
    for i, row in enumerate(rows):
        ws = row.words
        if i in labelled or len(ws) < 3 or ws[0].text.isupper():
            continue
        if row.folded[row.spans[0][0] : row.spans[0][1]].strip(",.:") != "ho":
            continue
        for j in range(1, min(5, len(ws) - 1)):
            if _capitals(ws[j].text):
                if _capitals(ws[j + 1].text):
                    out.append(Hit("ho va ten", "full_name", i, 0, row.spans[j - 1][1], 80.0))
                break
    return out


def _capitals(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 1 and all(c.isupper() for c in letters)


OPENING_CUTOFF = 72.0
"""Least fuzzy ratio of a row's opening words to a label, for rows with no label found."""
OPENING_MARGIN = 8.0
"""... and by how much it must beat the best label of any other field."""
OPENING_PREFIX_CUTOFF = 85.0
"""Least ratio of the first words only, with more words before the colon."""


def _opening_hits(
    rows: Sequence[Row], folded_labels: Sequence[tuple[str, str]], labelled: set[int]
) -> list[Hit]:
    """Labels blurred beyond matching in place ("Si noày: 27/04/2007", "Giới tr: Nữ")
    are still the words that open a row before its colon: on a row where no label was
    found and a value follows the colon, they are the label they resemble most, if they
    resemble it clearly and no label of another field nearly as much."""
    out = []
    for i, row in enumerate(rows):
        if i in labelled:
            continue
        # after the item's number of a form ("1, Họ tôn:", "b) Địa chí:")
        m = re.match(r"\W*(?:\d{1,2}\s?[.,)]\s*|[a-gđ]\)\s*)?(\w[^:]{1,44}?)\s*:", row.folded)
        if m is None:
            continue
        # a card's bilingual label ("Nhá đăng ký khá ănk / Phxv cí bánh:"): its
        # Vietnamese half is matched, the whole runs to the colon
        head, slash, _english = m.group(1).partition(" / ")
        if len(head.split()) > 6 or (not slash and len(m.group(1)) > 35):
            continue
        if not re.search(r"\w\w", row.folded[m.end() :]):
            continue  # no value after it: a heading ("1. Thửa đất:"), not a blurred label
        # the label, or its first words: a value before the colon ("Độc điểm nhân
        # đeng Seo C:2cm": the colon is the measurement's)
        words = list(re.finditer(r"\S+", head))
        best: dict[str, tuple[float, str, int]] = {}
        for key, lab in folded_labels:
            lab = lab.rstrip(":.")
            if len(lab) < 5 or key.startswith("~"):
                continue
            for w in words:
                score = fuzz.ratio(head[: w.end()], lab)
                if w is not words[-1] and score < OPENING_PREFIX_CUTOFF:
                    continue  # words left over: only a close label ("Nguyễn Diệu Thu:")
                if score > best.get(key, (0.0, "", 0))[0]:
                    best[key] = (score, lab, w.end())
        ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
        if not ranked or ranked[0][1][0] < OPENING_CUTOFF:
            continue
        second = ranked[1][1][0] if len(ranked) > 1 else 0.0
        if ranked[0][1][0] - second < OPENING_MARGIN:
            continue
        key, (score, lab, end) = ranked[0]
        if slash and end == len(head):
            end = len(m.group(1))
        out.append(Hit(lab, key, i, m.start(1), m.start(1) + end, score))
    return out


def _split_seams(kept: list[Hit], found: Sequence[Hit]) -> list[Hit]:
    """Two labels printed side by side with no value between them (the header row of a
    table: "Thửa đất số  Tờ bản đồ số") can also read as one label across their seam
    ("số Tờ bản đồ" is "Số tờ bản đồ"). When two near-exact labels, one after the
    other, cover more of the text than the kept label they both overlap, they are what
    is printed."""

    def apart(a: Hit, b: Hit) -> bool:
        return a.end <= b.start or a.start >= b.end

    out = list(kept)
    for k in kept:
        cands = [
            h for h in found if h not in out and h.score >= 92 and not apart(h, k)
            and all(apart(h, o) for o in out if o is not k)
        ]  # fmt: skip
        best = None
        for a in cands:
            for b in cands:
                if a.end > b.start:
                    continue
                cover = (a.end - a.start) + (b.end - b.start)
                if cover > (k.end - k.start) + 2 and (best is None or cover > best[0]):
                    best = (cover, a, b)
        if best is not None:
            out.remove(k)
            out.extend(best[1:])
    return out


_UNIT_WORDS = frozenset({"xã", "phường", "huyện", "quận", "tỉnh", "thôn", "ấp", "tổ",
                         "thị trấn", "thị xã", "thành phố",
                         "x.", "p.", "h.", "q.", "tt.", "tx.", "tp."})  # fmt: skip
"""A unit's type word as printed (with its marks: "tỉnh", not "tính" of "Giới tính")."""


def _after_unit_word(row: Row, hit: Hit) -> bool:
    """A label's letters right after a unit's type word are a place's name ("Trạm Y tế
    xã Quế Xuân 1": "Quế Xuân" folds one letter from "Quê quán"): a label follows a
    value, which never ends with a bare type word."""
    before = [w.text.lower() for w, (_s, e) in zip(row.words, row.spans, strict=True)
              if e <= hit.start]  # fmt: skip
    return bool(before) and (before[-1] in _UNIT_WORDS or " ".join(before[-2:]) in _UNIT_WORDS)


def _tail_of_longer(short: Hit, found: Sequence[Hit]) -> bool:
    """``short`` ends a longer label found over it up to the same end ("Năm sinh" in a
    garbled "Ngất, tưng, năm sinH:"): the longer label is what is printed."""
    return any(
        long_ is not short
        and long_.end == short.end
        and long_.start < short.start
        and long_.label.rstrip(":").endswith(short.label.rstrip(":"))
        for long_ in found
    )


def _inside_longer(row: Row, short: Hit, found: Sequence[Hit]) -> bool:
    """``short`` is the start of a longer label found over it whose next word follows
    it ("Địa chỉ" in "Địa chỉ thườn[g trú]"): the longer label is what is printed, even
    if OCR damaged its tail more than the short label's words."""
    for long_ in found:
        if long_ is short or not long_.label.startswith(short.label.rstrip(":")):
            continue
        if not (long_.start <= short.start + 2 and long_.end > short.end):
            continue
        rest = re.findall(r"[a-z0-9]+", long_.label[len(short.label.rstrip(":")) :])
        after = re.findall(r"[a-z0-9]+", row.folded[short.end :])
        if rest and after and fuzz.ratio(rest[0], after[0]) >= 80:
            return True
    return False


@dataclass(frozen=True, slots=True)
class Value:
    text: str
    words: tuple[Word, ...]
    confidence: float
    label_score: float
    rows: tuple[int, ...]

    @property
    def bbox(self) -> BBox | None:
        return union_bbox(w.bbox for w in self.words)


_ENUM = re.compile(r"^(?:\d{1,2}|[a-gđ]|[IVX]{1,4})[.)_]$")  # "7_": the dot read low
_LEAD = re.compile(r"^[\s:;/.,\-–|_]+")


def _words_after(row: Row, start: int, end: int | None) -> list[tuple[Word, str]]:
    """Words (and their text, cut at the label end) whose span lies in [start, end)."""
    out = []
    for w, (s, e) in zip(row.words, row.spans, strict=True):
        if e <= start or (end is not None and s >= end):
            continue
        # label and value glued together ("tên:NGUYỄN"), or a value between two labels
        # in one word ("tộc:.....Kinh.....Quốc": dotted leaders OCR'd as one token)
        lo = max(0, start - s)
        hi = max(lo, end - s) if end is not None and e > end else len(w.text)
        text = w.text[lo:hi]
        if text:
            out.append((w, text))
    return out


def _strip_lead(pairs: list[tuple[Word, str]], english: Sequence[str]) -> list[tuple[Word, str]]:
    """Drop separators and an English label (``/ Full name:``) before the value."""
    joined = " ".join(t for _, t in pairs)
    cut = 0
    m = _LEAD.match(joined)
    if m:
        cut = m.end()
    rest = strip_diacritics(joined[cut:])
    for eng in english:
        eng_f = strip_diacritics(eng)
        window = rest[: len(eng_f) + 4]
        if len(eng_f.strip(".")) <= 4:  # "Sex", "No.": only as a whole word
            m = re.match(rf"{re.escape(eng_f.strip('.'))}\b\.?", rest)
            if m:
                cut += m.end()
                m2 = _LEAD.match(joined[cut:])
                if m2:
                    cut += m2.end()
                break
            continue
        need = 72 if len(eng_f) >= 12 else 80
        if window and fuzz.partial_ratio(eng_f, window) >= need and len(window) >= len(eng_f) * 0.7:
            r = fuzz.partial_ratio_alignment(eng_f, window)
            if r is not None and r.dest_start <= 3:
                cut += r.dest_end
                m = _LEAD.match(joined[cut:])
                if m:
                    cut += m.end()
                break
    colon = joined.find(":", cut)
    if colon != -1:
        before = joined[cut:colon]
        # a garbled English label ("Piœe gƒ orgin:") has no Vietnamese letters
        ascii_share = sum(c.isascii() or not _vn_letter(c) for c in before) / max(1, len(before))
        scar = re.search(r"\b[Cc]$", before.strip()) is not None  # "Sẹo C:1,5cm"
        # ... or is its last word alone, one letter misread as Vietnamese ("bưth:")
        last_word = len(before.split()) == 1 and len(before.strip()) <= 6
        if not scar and (
            colon - cut <= 3
            or (
                len(before) <= 25
                and not re.search(r"\d", before)
                and ascii_share >= (0.75 if last_word else 0.85)
            )
        ):
            cut = colon + 1
    # rebuild the word list from the cut position
    out, pos = [], 0
    for w, t in pairs:
        s, e = pos, pos + len(t)
        pos = e + 1
        if e <= cut:
            continue
        t2 = t[max(0, cut - s) :].strip()
        if t2:
            out.append((w, t2))
    return out


def _vn_letter(c: str) -> bool:
    """A letter of the Vietnamese alphabet beyond ASCII (ă, ơ, ế, đ ...), not OCR symbols."""
    return c.isalpha() and (c in "đĐ" or strip_diacritics(c) != c)


def _cut_gap(
    pairs: list[tuple[Word, str]], height: float, first_gap: float, *, far_ok: bool = False
) -> list[tuple[Word, str]]:
    """Stop a same-row value at a wide horizontal gap (another column starts there).

    ``far_ok``: the value may start far right of its label (a form's tab stop or a
    dotted leader that OCR dropped) because nothing else can hold it.
    """
    out: list[tuple[Word, str]] = []
    for w, t in pairs:
        if out:
            gap = gb(w)[0] - gb(out[-1][0])[2]
            if gap > 3.5 * height:
                break
        elif first_gap > 6.0 * height and not far_ok:
            break
        out.append((w, t))
    return out


def value_after(
    rows: Sequence[Row],
    hit: Hit,
    hits: Sequence[Hit],
    *,
    multiline: bool = False,
    english: Sequence[str] = (),
    max_rows: int = 3,
    x_min: int | None = None,
    x_max: int | None = None,
    next_row: bool = False,
    form: bool = False,
) -> Value | None:
    """The value printed after a label (same row, else following rows).

    ``next_row``: ignore what follows the label on its row and read the next row(s)
    (used when the same-row reading is not a value of the expected kind).
    ``form``: a paper form (certificates): a value that runs over several lines
    continues only on rows that start level with its label (the text wrapped back to
    the margin) or with its first word (a value column), and never on a row that opens
    a new item ("6.", "c)"); a row that starts elsewhere (a speck in the margin, a
    centred line, a signature) ends it.
    """
    row = rows[hit.row]
    h = max(row.height, 1)
    next_on_row = [
        x.start
        for x in hits
        if x.row == hit.row and x.start >= hit.end and not x.key.startswith("~")
    ]
    end = min(next_on_row) if next_on_row else None
    label_words = _words_after(row, hit.start, hit.end)
    label_x0 = gb(label_words[0][0])[0] if label_words else row.x0
    label_x1 = gb(label_words[-1][0])[2] if label_words else row.x0
    pairs: list[tuple[Word, str]] = []
    if not next_row:
        pairs = _strip_lead(_words_after(row, hit.end, end), english)
        pairs = _drop_leaders([(w, t) for w, t in pairs if _in_x(w, x_min, x_max)], h)
        if pairs:
            prev = [w for w in row.words if gb(w)[2] <= gb(pairs[0][0])[0] + 2]
            prev_x1 = max((gb(w)[2] for w in prev), default=label_x1)
            first_gap = gb(pairs[0][0])[0] - max(label_x1, prev_x1)
            if x_min is None and x_max is None:
                far_ok = _next_row_is_labelled(rows, hit, hits) or (
                    form and _at_tab_stop(rows, hit, hits, gb(pairs[0][0])[0], h)
                )
                pairs = _cut_gap(pairs, h, first_gap, far_ok=far_ok)
    used = [hit.row] if pairs else []
    if not pairs or multiline:
        col_x = label_x0 - 3.0 * h
        anchors: list[float] = []
        col_end: float = float("inf")
        if form and end is not None and x_max is None:
            # two columns: this value's lines end where the next label of its row starts
            col_end = _hit_x0(row, Hit("", "", hit.row, end, end, 0.0)) - 0.5 * h
        if form:
            seg_x0 = _segment_x0(row, label_words[0][0] if label_words else None, h)
            anchors = [seg_x0, label_x0] + ([gb(pairs[0][0])[0]] if pairs else [])
            col_x = min(anchors) - 0.8 * h
        # a form printed with wide line spacing: its usual line pitch is no gap
        near = rows[max(0, hit.row - 4) : hit.row + 5]
        pitches = sorted(b.y - a.y for a, b in zip(near, near[1:], strict=False))
        pitch = pitches[len(pitches) // 2] if pitches else 0.0
        for j in range(hit.row + 1, min(len(rows), hit.row + 1 + max_rows)):
            nxt = rows[j]
            gap = nxt.y - rows[j - 1].y
            if gap <= 0:
                break  # the next column's first row (two sides side by side): no wrap
            if gap > max(2.6 * max(nxt.height, rows[j - 1].height, 1), 1.15 * pitch):
                break
            # labels of this column (those left of it belong to another column)
            row_hits = [
                x
                for x in hits
                if x.row == j
                and x.key != hit.key
                and not x.key.startswith("~")
                and _hit_x0(nxt, x) >= col_x
                and _in_x_hit(nxt, x, x_min, x_max)
            ]
            same_label = any(
                x.row == j and (x.key == hit.key or x.key.startswith("~")) for x in hits
            )
            if form and nxt.words and _ITEM.match(nxt.words[0].text):
                break  # the next item of an enumerated form ("4. Số định danh ...")
            lim = min((x.start for x in row_hits), default=None)
            cont = _words_after(nxt, 0, lim)
            if lim is not None and cont and all(_ENUM.match(t) for _, t in cont):
                break  # "8." before the next label: an enumerated form
            in_col = [
                (w, t)
                for w, t in cont
                if gb(w)[0] >= col_x and _in_x(w, x_min, x_max) and gb(w)[0] < col_end
            ]
            other_col = bool(cont) and not in_col and lim is None
            cont = _drop_leaders(
                [(w, t) for w, t in in_col if not _inside_hit(nxt, w, hits, j)],
                max(nxt.height, 1),
            )
            if cont and not any(re.search(r"\w\w", t) for _, t in cont):
                if row_hits:
                    break  # specks before the next label: the value ended above
                continue  # a speck, a rule line or a seal read as scattered symbols
            if form and cont:
                first = _segment_x0(nxt, cont[0][0], h)  # where its run of words starts
                if _ITEM.match(cont[0][1]) or (
                    pairs and not any(abs(first - a) <= 0.8 * h for a in anchors)
                ):
                    break  # a new item, or a row that does not continue this column
            if not cont:
                if (same_label and not row_hits) or other_col or (in_col and not row_hits):
                    # the label's second line, a row of another column only, or of
                    # leaders / specks only (dropped above)
                    continue
                break
            if form and not pairs:
                anchors.append(_segment_x0(nxt, cont[0][0], h))  # a value below its label
            pairs.extend(cont)
            used.append(j)
            if not multiline or row_hits:
                break
    if not pairs:
        return None
    words = tuple(w for w, _ in pairs)
    text = " ".join(t for _, t in pairs)
    conf = sum(w.confidence for w in words) / len(words)
    return Value(text, words, conf, hit.score, tuple(used))


_ITEM = re.compile(r"^(?:\d{1,2}|[a-gđ])[.)}\]_]$")


def _drop_leaders(pairs: list[tuple[Word, str]], h: float) -> list[tuple[Word, str]]:
    """Drop a dotted leader or rule line OCR'd as characters ("ò2" three pixels high,
    well apart from the value). Tesseract can give a real word glued to its leader the
    leader's flat box ("DŨNG" 2 px high), so a flat word right after the value stays."""
    out: list[tuple[Word, str]] = []
    for w, t in pairs:
        b = gb(w)
        if b[3] - b[1] < 0.3 * h:
            gap = b[0] - gb(out[-1][0])[2] if out else 0
            if not re.search(r"\w", t) or gap > 1.0 * h:
                continue
        out.append((w, t))
    return out


def _segment_x0(row: Row, first: Word | None, h: float) -> float:
    """Left edge of the run of words that ends at ``first`` (the label's first word)
    with no wide gap: an item number before the label ("5. Nơi thường trú")."""
    if first is None:
        return row.x0
    words = list(row.words)
    k = next((i for i, w in enumerate(words) if w is first), None)
    if k is None:
        return gb(first)[0]
    while k > 0 and gb(words[k])[0] - gb(words[k - 1])[2] < 1.5 * h:
        k -= 1
    return gb(words[k])[0]


def _at_tab_stop(rows: Sequence[Row], hit: Hit, hits: Sequence[Hit], x: float, h: float) -> bool:
    """A value far right of its label starts where the values of other labelled rows
    start: the form aligns its values at a tab stop (the dotted leader between label
    and value may be lost), so the far text is this label's value, not another
    column's."""
    for other in hits:
        if other.row == hit.row or other.key.startswith("~"):
            continue
        r = rows[other.row]
        for w, (s, _e) in zip(r.words, r.spans, strict=True):
            if s < other.end or not re.search(r"\w", w.text):
                continue
            if abs(gb(w)[0] - x) <= 0.8 * h and gb(w)[0] - _hit_x1(r, other) > 2.0 * h:
                return True
            break
    return False


def _hit_x1(row: Row, hit: Hit) -> int:
    x1 = row.x0
    for w, (s, _e) in zip(row.words, row.spans, strict=True):
        if s < hit.end:
            x1 = gb(w)[2]
    return x1


def _next_row_is_labelled(rows: Sequence[Row], hit: Hit, hits: Sequence[Hit]) -> bool:
    """The row below starts with another label or an item number ("6."), so the value
    of ``hit`` cannot continue there: it is on the label's own row."""
    j = hit.row + 1
    if j >= len(rows):
        return True
    nxt = rows[j]
    if nxt.words and _ITEM.match(nxt.words[0].text):
        return True
    return any(x.row == j and x.start <= 4 and x.key != hit.key for x in hits)


def _hit_x0(row: Row, hit: Hit) -> int:
    for w, (_s, e) in zip(row.words, row.spans, strict=True):
        if e > hit.start:
            return gb(w)[0]
    return row.x0


def _in_x_hit(row: Row, hit: Hit, x_min: int | None, x_max: int | None) -> bool:
    if x_min is None and x_max is None:
        return True
    for w, (_s, e) in zip(row.words, row.spans, strict=True):
        if e > hit.start:
            return _in_x(w, x_min, x_max) or (x_min is not None and gb(w)[0] < x_min)
    return False


def _inside_hit(row: Row, w: Word, hits: Sequence[Hit], j: int) -> bool:
    for i, ww in enumerate(row.words):
        if ww is w:
            s, e = row.spans[i]
            return any(x.row == j and s < x.end and e > x.start for x in hits)
    return False


def _in_x(w: Word, x_min: int | None, x_max: int | None) -> bool:
    cx = (gb(w)[0] + gb(w)[2]) / 2
    return (x_min is None or cx >= x_min) and (x_max is None or cx < x_max)


def row_contains(row: Row, phrase: str, cutoff: float = 85.0) -> bool:
    return find_label(row, strip_diacritics(phrase).lower(), cutoff=cutoff) is not None
