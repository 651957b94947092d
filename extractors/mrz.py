"""ICAO 9303 machine-readable zones: TD1 (cards), TD2, TD3 (passports), MRV-A/B (visas).

Three layers, each usable alone:

- :func:`parse` reads MRZ lines as printed and verifies every check digit
  (weights 7-3-1) without changing a character;
- :func:`read_lines` takes noisy OCR lines, fits them to a format, and repairs the
  usual confusions (O/0, I/1, S/5, B/8, Z/2, G/6, K/<) only where the format forbids
  the character read (a letter inside a date) or where the check digits then hold;
- :func:`read_image` finds the zone in an image without OCR (2-3 evenly spaced rows
  of character-sized ink, :func:`find_rows`), straightens each row, tells the filler
  chevrons from characters by their shape (:func:`glyphs`), OCRs only the rows with a
  restricted character set (one Tesseract run, a few at most), lays the OCR'd text
  over the glyph classes (:func:`align_classes`), and returns the first reading whose
  check digits hold; the bottom band of a card is a bounded fallback.

Vietnamese TD1 (CCCD 2021, Căn cước 2024): the document number is the last 9 digits
of the 12-digit personal number, the optional data of line 1 holds the full 12-digit
number followed by ``<<`` and its check digit.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

import cv2
import numpy as np

log = logging.getLogger(__name__)

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
LENGTHS = {"TD1": (30, 3), "TD2": (36, 2), "TD3": (44, 2), "MRVA": (44, 2), "MRVB": (36, 2)}

_TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "T": "1", "Z": "2",
             "S": "5", "B": "8", "G": "6", "A": "4", "E": "8"}  # fmt: skip
_TO_ALPHA = {"0": "O", "1": "I", "2": "Z", "5": "S", "8": "B", "6": "G", "4": "A"}
_AMBIGUOUS = {"O": "0D", "0": "OD", "I": "1", "1": "I", "S": "5", "5": "S", "B": "8",
              "8": "B", "Z": "2", "2": "Z", "G": "6", "6": "G", "K": "<", "<": "K", "D": "0O",
              "Q": "0O"}  # fmt: skip


def char_value(c: str) -> int:
    if c.isdigit():
        return int(c)
    if "A" <= c <= "Z":
        return ord(c) - 55
    if c == "<":
        return 0
    raise ValueError(f"not an MRZ character: {c!r}")


def check_digit(data: str) -> str:
    """ICAO 9303 part 3 check digit (weights 7, 3, 1)."""
    weights = (7, 3, 1)
    return str(sum(char_value(c) * weights[i % 3] for i, c in enumerate(data)) % 10)


def check_ok(data: str, digit: str) -> bool:
    if any(c not in ALPHABET for c in data) or digit not in ALPHABET:
        return False
    if digit == "<":  # allowed when the field is empty
        return set(data) <= {"<"}
    return check_digit(data) == digit


@dataclass(frozen=True, slots=True)
class Mrz:
    format: str
    lines: tuple[str, ...]
    document_code: str
    issuing_country: str
    document_number: str
    birth_date: str
    """YYMMDD as printed."""
    sex: str
    """M, F or <."""
    expiry_date: str
    nationality: str
    surname: str
    given_names: str
    optional1: str = ""
    optional2: str = ""
    checks: dict[str, bool] = field(default_factory=dict)
    repaired: bool = False
    read_as: tuple[str, ...] = ()
    """The lines as OCR first read them, when they were repaired (kept for the clerk)."""

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(self.checks.values())

    @property
    def raw(self) -> str:
        return "\n".join(self.lines)

    @property
    def id_number(self) -> str | None:
        """The 12-digit Vietnamese personal number of a VNM TD1, if the zone holds one."""
        if self.format != "TD1" or self.issuing_country != "VNM":
            return None
        m = re.match(r"(\d{12})", self.optional1)
        return m.group(1) if m else None

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_names) if p)

    @property
    def sex_vi(self) -> str | None:
        return {"M": "Nam", "F": "Nữ"}.get(self.sex)

    def birth_iso(self, today: dt.date | None = None) -> str | None:
        century = None
        if (num := self.id_number) is not None:
            century = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100}.get(int(num[3]))
        return yymmdd_to_iso(self.birth_date, past=True, today=today, century=century)

    def expiry_iso(self) -> str | None:
        return yymmdd_to_iso(self.expiry_date, past=False)


def yymmdd_to_iso(
    value: str, *, past: bool, today: dt.date | None = None, century: int | None = None
) -> str | None:
    if not re.fullmatch(r"\d{6}", value or ""):
        return None
    yy, mm, dd = int(value[:2]), int(value[2:4]), int(value[4:])
    today = today or dt.date.today()
    if century is None:
        century = (1900 if yy > today.year % 100 else 2000) if past else 2000
    try:
        return dt.date(century + yy, mm, dd).isoformat()
    except ValueError:
        return None


def _names(field_: str) -> tuple[str, str]:
    field_ = field_.rstrip("<")
    surname, _, given = field_.partition("<<")
    return surname.replace("<", " ").strip(), given.replace("<", " ").strip()


def detect_format(lines: Sequence[str]) -> str | None:
    n = len(lines)
    length = len(lines[0]) if lines else 0
    if any(len(line) != length for line in lines):
        return None
    if n == 3 and length == 30:
        return "TD1"
    if n == 2 and length == 36:
        return "MRVB" if lines[0][0] == "V" else "TD2"
    if n == 2 and length == 44:
        return "MRVA" if lines[0][0] == "V" else "TD3"
    return None


def _td1_composite_data(line1: str, line2: str) -> str:
    """What a TD1 zone's composite check digit covers: line 1 from the document number
    on, the birth date and the expiry with their check digits, line 2's optional data."""
    return line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29]


def parse(lines: Sequence[str], *, repaired: bool = False) -> Mrz | None:
    """Parse MRZ lines exactly as given; ``None`` if they fit no format."""
    lines = tuple(lines)
    fmt = detect_format(lines)
    if fmt is None or any(c not in ALPHABET for line in lines for c in line):
        return None
    checks: dict[str, bool] = {}
    if fmt == "TD1":
        a, b, c = lines
        docnum, doc_cd, opt1 = a[5:14], a[14], a[15:30]
        cont = opt1.split("<", 1)[0]
        if doc_cd == "<" and cont:
            # long document number continued in the optional data, its check digit last
            docnum, doc_cd = docnum + cont[:-1], cont[-1]
            opt1 = opt1[len(cont) :]
        checks["document_number"] = check_ok(docnum, doc_cd)
        checks["birth_date"] = check_ok(b[0:6], b[6])
        checks["expiry_date"] = check_ok(b[8:14], b[14])
        checks["composite"] = check_ok(_td1_composite_data(a, b), b[29])
        surname, given = _names(c)
        mrz = Mrz(fmt, lines, a[0:2], a[2:5], docnum.rstrip("<"), b[0:6], b[7], b[8:14],
                  b[15:18], surname, given, opt1, b[18:29], checks, repaired)  # fmt: skip
        if a[2:5] == "VNM" and re.fullmatch(r"\d{12}", a[15:27]):
            checks["vn_id_number"] = a[27] == "<" and (
                a[29] == "<" or check_digit(a[15:27]) == a[29]
            )
            checks["vn_id_matches_document_number"] = a[15:27].endswith(a[5:14])
        elif a[0:5] == "IDVNM":
            # a Vietnamese citizen card always holds its 12-digit number here: without
            # it, check digits that hold are a coincidence of a garbled reading
            checks["vn_id_number"] = False
        if a[0:5] == "IDVNM":
            checks["vn_nationality"] = b[15:18] == "VNM"
        return mrz
    a, b = lines
    surname, given = _names(a[5:])
    docnum, doc_cd = b[0:9], b[9]
    checks["document_number"] = check_ok(docnum, doc_cd)
    checks["birth_date"] = check_ok(b[13:19], b[19])
    checks["expiry_date"] = check_ok(b[21:27], b[27])
    if fmt == "TD2":
        opt = b[28:35]
        checks["composite"] = check_ok(b[0:10] + b[13:20] + b[21:35], b[35])
    elif fmt == "TD3":
        opt = b[28:42]
        checks["personal_number"] = check_ok(b[28:42], b[42]) or (
            set(b[28:42]) <= {"<"} and b[42] in "0<"
        )
        checks["composite"] = check_ok(b[0:10] + b[13:20] + b[21:43], b[43])
    else:
        opt = b[28:]
    return Mrz(fmt, lines, a[0:2], a[2:5], docnum.rstrip("<"), b[13:19], b[20], b[21:27],
               b[10:13], surname, given, opt, "", checks, repaired)  # fmt: skip


# --------------------------------------------------------------------------- repair


def _template(fmt: str, vn: bool) -> list[str]:
    """Per line, one class per position: N digit, A letter or <, X anything, F filler or data."""
    if fmt == "TD1":
        l1 = "AA" + "AAA" + "X" * 9 + "X" + "X" * 15
        if vn:
            l1 = "AAAAA" + "N" * 9 + "N" + "N" * 12 + "<<" + "N"
        l2 = "NNNNNN" + "N" + "A" + "NNNNNN" + "N" + "AAA" + "X" * 11 + "N"
        if vn:
            l2 = l2[:18] + "<" * 11 + "N"
        return [l1, l2, "A" * 30]
    if fmt in ("TD2", "MRVB"):
        tail = "X" * 7 + "N" if fmt == "TD2" else "X" * 8
        l2 = "X" * 9 + "N" + "AAA" + "NNNNNN" + "N" + "A" + "NNNNNN" + "N" + tail
        return ["A" * 36, l2]
    tail = "X" * 14 + "NN" if fmt == "TD3" else "X" * 16
    l2 = "X" * 9 + "N" + "AAA" + "NNNNNN" + "N" + "A" + "NNNNNN" + "N" + tail
    return ["A" * 44, l2]


def _apply_template(line: str, tpl: str) -> str:
    out = []
    for ch, cls in zip(line, tpl, strict=True):
        if cls == "N" and ch not in "0123456789<":
            ch = _TO_DIGIT.get(ch, ch)
        elif cls == "A" and ch.isdigit():
            ch = _TO_ALPHA.get(ch, ch)
        elif cls == "<" and ch == "K":
            ch = "<"
        out.append(ch)
    return "".join(out)


def _fix_fillers(line: str) -> str:
    """``K`` between fillers, or in a trailing filler run, is a ``<`` (OCR-B look-alikes);
    so are ``K``, ``R``, ``X``, ``C``, ``S`` and ``E`` at the end of a line after three
    fillers."""
    line = re.sub(r"(?<=<)K(?=<|K|$)", "<", line)
    line = re.sub(r"(?<=<)K(?=<|K|$)", "<", line)
    m = re.search(r"[<K]{3,}$", line)
    if m and m.group(0).count("<") >= 2:
        line = line[: m.start()] + "<" * len(m.group(0))
    # after three fillers in a row nothing but fill follows (names are parted by two at
    # most): letters shaped like a chevron at the very end are fillers too
    m = re.search(r"<{3,}[<KRXCSE]*$", line)
    if m:
        line = line[: m.start()] + "<" * len(m.group(0))
    return line


def _variants(lines: list[str], tpl: list[str], max_changes: int = 3) -> Iterator[list[str]]:
    """Alternatives at the X positions holding a character OCR often confuses.

    Fewest changes first, so the caller can accept the unique solution of the
    smallest repair.
    """
    spots = [
        (i, j)
        for i, (line, t) in enumerate(zip(lines, tpl, strict=True))
        for j, (ch, cls) in enumerate(zip(line, t, strict=True))
        if cls == "X" and ch in _AMBIGUOUS
    ][:12]
    for n in range(1, max_changes + 1):
        for chosen in itertools.combinations(spots, n):
            for repl in itertools.product(*(_AMBIGUOUS[lines[i][j]] for i, j in chosen)):
                out = [list(line) for line in lines]
                for (i, j), ch in zip(chosen, repl, strict=True):
                    out[i][j] = ch
                yield ["".join(line) for line in out], n


def clean_line(text: str) -> str:
    t = text.upper().replace(" ", "").replace("«", "<<").replace("‹", "<").replace("≤", "<")
    return "".join(c if c in ALPHABET else "<" for c in t)


def _fit(lines: list[str], length: int) -> list[str]:
    """Bring OCR'd lines to the format's length.

    Tesseract drops or doubles characters inside long runs of ``<``; when a line still
    ends with data (a check digit), the filler run before it is stretched or shrunk.
    Otherwise the line is padded or cut at its end.
    """
    out = []
    for line in lines:
        diff = length - len(line)
        if diff and line and line[-1] != "<":
            runs = [m for m in re.finditer(r"<{2,}", line)]
            if runs:
                run = max(runs, key=lambda m: (m.end() - m.start(), m.start()))
                if diff > 0:
                    line = line[: run.end()] + "<" * diff + line[run.end() :]
                elif run.end() - run.start() + diff >= 1:
                    line = (
                        line[: run.start()]
                        + "<" * (run.end() - run.start() + diff)
                        + line[run.end() :]
                    )
        if len(line) > length:
            line = line[:length]
        out.append(line.ljust(length, "<"))
    return out


def _candidate_groups(lines: list[str]) -> Iterator[tuple[str, list[str]]]:
    """Consecutive groups of OCR lines that could be one MRZ, with their format."""
    lines = [clean_line(x) for x in lines]
    lines = [x for x in lines if len(x) >= 20 or (len(x) >= 10 and "<<" in x)]
    for fmt, (length, count) in (
        ("TD1", (30, 3)),
        ("TD3", (44, 2)),
        ("TD2", (36, 2)),
    ):
        name_idx = 2 if count == 3 else 0
        for start in range(0, len(lines) - count + 1):
            group = lines[start : start + count]
            mean = sum(len(x) for x in group) / count
            if count == 2 and abs(mean - length) > abs(mean - (80 - length)):
                continue  # closer to the other two-line format (36 vs 44)
            if "<" in group[name_idx] and all(
                length - 8 <= len(x) <= length + 5
                or (i == name_idx and length - 20 <= len(x) <= length + 5)
                for i, x in enumerate(group)
            ):
                yield fmt, group


def repair(lines: Sequence[str], *, syllables: bool = True) -> Mrz | None:
    """The best parse of fitted lines: as read, else with format/check-digit-backed repairs.

    ``syllables``: a Vietnamese card's name row is cleaned with the syllable grammar
    (:func:`_vn_names`); off when the row's fillers were placed by their shape.

    Returns an invalid :class:`Mrz` (checks failing) when no repair makes every
    check hold: the caller must not trust its values.
    """
    lines = list(lines)
    first = parse(lines)
    fmt = detect_format(lines)
    if fmt is None:
        return first
    vn = fmt == "TD1" and (lines[0][2:5] in ("VNM", "VN<") or "VNM" in lines[1][15:18])
    tpl = _template(fmt, vn)
    fixed = [_apply_template(_fix_fillers(x), t) for x, t in zip(lines, tpl, strict=True)]
    if vn:
        fixed[0] = "IDVNM" + fixed[0][5:]
    best = parse(fixed, repaired=fixed != lines)
    if best is not None and best.valid:
        return _vn_names(best) if vn and syllables else best
    solutions: list[Mrz] = []
    found_at = None
    for cand, n in _variants(fixed, tpl):
        if found_at is not None and n > found_at:
            break
        m = parse(cand, repaired=True)
        if m is not None and m.valid:
            solutions.append(m)
            found_at = n
            if len(solutions) > 1:
                break
    if len(solutions) == 1:
        return _vn_names(solutions[0]) if vn and syllables else solutions[0]
    if solutions:
        log.info("MRZ repair ambiguous: several readings satisfy the check digits")
    return best or first


def read_lines(ocr_lines: Sequence[str]) -> Mrz | None:
    """The first valid MRZ among OCR'd lines (else the best invalid one, else None)."""
    fallback: Mrz | None = None
    for fmt, group in _candidate_groups(list(ocr_lines)):
        m = repair(_fit(group, LENGTHS[fmt][0]))
        if m is None:
            continue
        if m.valid:
            return m
        if fallback is None or sum(m.checks.values()) > sum(fallback.checks.values()):
            fallback = m
    return fallback


# --------------------------------------------------------------------------- image


@dataclass(frozen=True, slots=True)
class MrzReading:
    mrz: Mrz
    bbox: tuple[int, int, int, int]
    """In pixels of the image given to :func:`read_image`."""


def _gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return image


# --------------------------------------------------------------------------- zone finder
#
# A machine-readable zone is 2 or 3 long rows of monospaced characters of one height,
# stacked at a regular spacing and sharing their left and right edges. The rows are found
# as chains of character-sized ink components on a downscaled image (no OCR), each row
# is straightened on its own (phone photos tilt and converge), and only those rows are
# OCR'd, at a known character height.

_WORK_SIDE = 1600
"""Longest side of the image the zone is searched in (a card back's zone stays >= 10 px)."""


@dataclass(frozen=True, slots=True)
class TextRow:
    """A row of characters: its centre line from (x0, y0) to (x1, y1), in working pixels."""

    x0: float
    y0: float
    x1: float
    y1: float
    height: float
    count: int

    @property
    def angle(self) -> float:
        return math.atan2(self.y1 - self.y0, self.x1 - self.x0)

    @property
    def length(self) -> float:
        return math.hypot(self.x1 - self.x0, self.y1 - self.y0)

    def y_at(self, x: float) -> float:
        return self.y0 + (self.y1 - self.y0) * (x - self.x0) / max(1e-6, self.x1 - self.x0)


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Dark ink relative to its own surroundings (shadows and glare divided out)."""
    h, w = gray.shape[:2]
    k = max(15, int(min(h, w) / 40) | 1)
    bg = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    rel = cv2.subtract(bg, gray).astype(np.float32) / np.maximum(bg.astype(np.float32), 1)
    return (rel > 0.25).astype(np.uint8)


def _chains(x, y, w, h, cx, cy, idx) -> list[list[int]]:  # noqa: ANN001
    """Components linked to their nearest right neighbour of the same row and size."""
    order = idx[np.argsort(x[idx])]
    xs = x[order]
    nxt: dict[int, tuple[float, int]] = {}
    for i in order:
        right = x[i] + w[i]
        best = None
        for k in range(int(np.searchsorted(xs, x[i] + 1)), len(order)):
            j = order[k]
            if x[j] > right + 1.5 * h[i]:
                break
            hm = max(h[i], h[j])
            if not 0.45 <= h[j] / h[i] <= 2.2 or abs(cy[j] - cy[i]) > 0.4 * hm:
                continue
            gap = x[j] - right
            if gap < -0.3 * min(w[i], w[j]):
                continue
            d = gap + abs(cy[j] - cy[i])
            if best is None or d < best[0]:
                best = (d, j)
        if best is not None:
            nxt[i] = best
    incoming: dict[int, tuple[float, int]] = {}
    for i, (d, j) in nxt.items():
        if j not in incoming or d < incoming[j][0]:
            incoming[j] = (d, i)
    link = {i: j for j, (_, i) in incoming.items()}
    chains = []
    for head in (i for i in link if i not in incoming):
        chain = [head]
        while chain[-1] in link:
            chain.append(link[chain[-1]])
        hm = float(np.median(h[np.array(chain)]))
        # a character merged with other ink (a stamp, a signature) is no part of the row
        chain = [i for i in chain if 0.5 * hm <= h[i] <= 1.35 * hm]
        if len(chain) >= 3:
            chains.append(chain)
    return chains


def find_rows(gray: np.ndarray) -> list[TextRow]:
    """Long rows of character-sized ink (at least 12 character heights long)."""
    mask = ink_mask(gray)
    _, _, st, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    x, y, w, h, a = (st[:, k].astype(np.float64) for k in range(5))
    ok = (h >= 6) & (h <= gray.shape[0] / 8) & (w <= 6 * h) & (a >= 0.12 * w * h)
    ok[0] = False
    idx = np.nonzero(ok)[0]
    if len(idx) < 20 or len(idx) > 20000:
        return []
    cx, cy = x + w / 2, y + h / 2
    chains = sorted(_chains(x, y, w, h, cx, cy, idx), key=lambda c: x[c[0]])

    def fit(c: list[int]) -> tuple[float, float, float]:
        arr = np.array(c)
        m, b = np.polyfit(cx[arr], cy[arr], 1)
        return float(m), float(b), float(np.median(h[arr]))

    # pieces of one row broken by a blob: joined when collinear and close
    joined = True
    while joined:
        joined = False
        for ia, ca in enumerate(chains):
            m, b, hh = fit(ca)
            end = x[ca[-1]] + w[ca[-1]]
            best = None
            for ib, cb in enumerate(chains):
                gap = x[cb[0]] - end
                if ib == ia or gap < -0.3 * hh or gap > 3.5 * hh:
                    continue
                if not 0.7 <= float(np.median(h[np.array(cb)])) / hh <= 1.4:
                    continue
                if abs(cy[cb[0]] - (m * cx[cb[0]] + b)) > 0.4 * hh:
                    continue
                if best is None or gap < best[0]:
                    best = (gap, ib)
            if best is not None:
                chains[ia] = ca + chains[best[1]]
                del chains[best[1]]
                joined = True
                break
    rows = []
    for c in chains:
        if len(c) < 10:
            continue
        # a row's characters are evenly spaced: a piece far off that spacing at either
        # end (the card's edge, a photo) is not part of it
        step = float(np.median(np.diff(cx[np.array(c)])))
        while len(c) >= 10 and cx[c[1]] - cx[c[0]] > 2 * step:
            c = c[1:]
        while len(c) >= 10 and cx[c[-1]] - cx[c[-2]] > 2 * step:
            c = c[:-1]
        m, b, hh = fit(c)
        x0, x1 = float(x[c[0]]), float(x[c[-1]] + w[c[-1]])
        if x1 - x0 >= 12 * hh:
            rows.append(TextRow(x0, m * x0 + b, x1, m * x1 + b, hh, len(c)))
    return rows


def find_zones(rows: Sequence[TextRow]) -> list[list[TextRow]]:
    """Groups of 2 or 3 rows stacked like an MRZ, most MRZ-like first."""
    rows = sorted(rows, key=lambda r: (r.y0 + r.y1) / 2)
    zones: list[list[TextRow]] = []
    for i, first in enumerate(rows):
        zone = [first]
        for r in rows[i + 1 :]:
            last = zone[-1]
            hh = max(last.height, r.height)
            xm = (last.x0 + last.x1) / 2
            dy = r.y_at(xm) - last.y_at(xm)
            if dy < 1.1 * hh:
                continue
            if dy > 2.8 * hh:
                break
            if abs(r.angle - last.angle) > 0.05 or not 0.7 <= r.height / last.height <= 1.4:
                continue
            # rows share both ends; glare can wash out a stretch of one: one row of the
            # zone may be shorter and share only one end with the others
            ref = max(zone, key=lambda z: z.length)
            left, right = abs(r.x0 - ref.x0) <= 2.5 * hh, abs(r.x1 - ref.x1) <= 2.5 * hh
            full = left and right and 0.75 <= r.length / ref.length <= 1.33
            short = sum(z.length < 0.75 * ref.length for z in zone)
            if not full and (
                not (left or right) or not 0.45 <= r.length / ref.length <= 2.2 or short
            ):
                continue
            zone.append(r)
            if len(zone) == 3:
                break
        if len(zone) >= 2 and not any(set(zone) <= set(z) for z in zones):
            zones.append(zone)

    def score(zone: list[TextRow]) -> float:
        # rows of 30, 36 or 44 characters; a 3-row zone of 30 is a card's
        per = [min(abs(r.count - n) for n in (30, 36, 44)) for r in zone]
        return len(zone) - 0.2 * sum(per) + 0.001 * zone[0].y0

    return sorted(zones, key=score, reverse=True)


def row_strips(
    gray: np.ndarray, zone: Sequence[TextRow], scale: float, *, target: float
) -> list[np.ndarray]:
    """Each row of a zone straightened into its own strip, characters ``target`` px high.

    ``scale`` maps full-resolution pixels to the working pixels the rows were found in.
    All rows share the zone's left and right ends (a row may have lost an end to glare).
    """
    hh = max(r.height for r in zone) / scale
    xl, xr = min(r.x0 for r in zone), max(r.x1 for r in zone)
    f = target / hh
    small = gray
    if f < 0.8:
        small = cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    out = []
    for r in zone:
        ca, sa = math.cos(r.angle), math.sin(r.angle)
        along = np.array([ca, sa]) * 0.6 * hh
        p0 = np.array([xl / scale, r.y_at(xl) / scale]) - along
        p1 = np.array([xr / scale, r.y_at(xr) / scale]) + along
        nrm = np.array([-sa, ca]) * 0.8 * hh
        src = np.array([p0 - nrm, p1 - nrm, p1 + nrm, p0 + nrm], np.float32)
        wo, ho = int(round(np.linalg.norm(p1 - p0) * f)), int(round(1.6 * hh * f))
        dst = np.array([[0, 0], [wo, 0], [wo, ho], [0, ho]], np.float32)
        if small is gray:
            mat = cv2.getPerspectiveTransform(src, dst)
            flags = cv2.INTER_CUBIC
        else:
            mat = cv2.getPerspectiveTransform(src * f, dst)
            flags = cv2.INTER_LINEAR
        out.append(
            cv2.warpPerspective(small, mat, (wo, ho), flags=flags, borderMode=cv2.BORDER_REPLICATE)
        )
    return out


def stretch(strip: np.ndarray) -> np.ndarray:
    """Ink black and paper white along a strip, whatever the local light (glare washes a
    few characters pale: they get full contrast back). Flat areas stay white."""
    st = strip.astype(np.float32)
    h = st.shape[0]
    k = h | 1
    bg = cv2.morphologyEx(st, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    dark = cv2.erode(st, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg, dark = cv2.blur(bg, (k, 3)), cv2.blur(dark, (k, 3))
    contrast = bg - dark
    out = np.where(contrast < 12, 1.0, (st - dark) / np.maximum(contrast, 1))
    return np.clip(out * 255, 0, 255).astype(np.uint8)


def deshear(strips: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The zone's strips with their characters upright.

    A card photographed at an angle leans its characters (the rows were straightened,
    their verticals were not). The lean that makes the vertical strokes line up best
    (sharpest column profile of the ink) is undone on every strip.
    """
    ink = [(x < 150).astype(np.float32) for x in strips]

    def sharpness(t: float) -> float:
        total = 0.0
        for m in ink:
            h, w = m.shape
            mat = np.array([[1.0, t, -t * h / 2], [0.0, 1.0, 0.0]], np.float32)
            cols = cv2.warpAffine(m, mat, (w, h), flags=cv2.INTER_LINEAR).sum(axis=0)
            total += float((cols**2).sum())
        return total

    best = max((k / 20 for k in range(-7, 8)), key=sharpness)
    if best == 0:
        return list(strips)
    out = []
    for x in strips:
        h, w = x.shape
        mat = np.array([[1.0, best, -best * h / 2], [0.0, 1.0, 0.0]], np.float32)
        out.append(cv2.warpAffine(x, mat, (w, h), flags=cv2.INTER_LINEAR, borderValue=255))
    return out


def glyphs(strip: np.ndarray) -> tuple[str, np.ndarray]:
    """The row's glyphs left to right, and the strip with everything else whitened.

    Classes: ``<`` for a filler chevron, ``L`` for any other character, ``?`` for a blob
    of several. The chevron is told by its shape alone (ink at its left only in the
    middle, at its right only at the top and bottom), so runs of fillers are counted
    exactly where OCR reads them as ``K`` or drops one. Ink touching the strip's ends
    (the card's edge, the background) and ink off the row's middle (the next row) is
    dropped.
    """
    hs, ws = strip.shape[:2]
    bw = (strip < 150).astype(np.uint8)  # the strip is stretched: ink near 0, paper 255
    n, labels, st, _ = cv2.connectedComponentsWithStats(bw, connectivity=8)
    mid = hs / 2
    comps = [
        [*st[i][:4], i]
        for i in range(1, n)
        if st[i][3] >= 0.25 * hs
        and abs(st[i][1] + st[i][3] / 2 - mid) < 0.2 * hs
        and st[i][0] > 0
        and st[i][0] + st[i][2] < ws
    ]
    if len(comps) < 10:
        return "", strip
    keep = np.zeros(n, bool)
    keep[[c[4] for c in comps]] = True
    near = cv2.dilate(keep[labels].astype(np.uint8), np.ones((5, 5), np.uint8))
    clean = np.where(near > 0, strip, 255).astype(np.uint8)
    comps.sort(key=lambda c: c[0])
    merged: list[list[int]] = []  # parts of one broken character overlap horizontally
    for c in comps:
        if merged and c[0] < merged[-1][0] + merged[-1][2] - 0.5 * min(c[2], merged[-1][2]):
            m = merged[-1]
            x0, y0 = min(m[0], c[0]), min(m[1], c[1])
            x1, y1 = max(m[0] + m[2], c[0] + c[2]), max(m[1] + m[3], c[1] + c[3])
            merged[-1] = [x0, y0, x1 - x0, y1 - y0, -1]
        else:
            merged.append(c)
    centres = [c[0] + c[2] / 2 for c in merged]
    pitch = float(np.median(np.diff(centres))) if len(centres) > 2 else 0.0
    # the characters of a row are evenly spaced: ink off that grid at either end is not one
    for _ in range(2):
        if len(merged) > 10 and not 0.6 * pitch <= centres[1] - centres[0] <= 1.4 * pitch:
            merged, centres = merged[1:], centres[1:]
        if len(merged) > 10 and not 0.6 * pitch <= centres[-1] - centres[-2] <= 1.4 * pitch:
            merged, centres = merged[:-1], centres[:-1]
    out = []
    for x, y, w, h, lab in merged:
        if pitch and w > 1.5 * pitch:
            out.append("?" * max(2, round(w / pitch)))
            continue
        if lab < 0:
            out.append("L")
            continue
        m = labels[y : y + h, x : x + w] == lab
        q, third = max(1, h // 4), max(1, int(w * 0.3))
        left, right = m[:, :third], m[:, w - third :]
        chevron = (
            left[:q].mean() < 0.03
            and left[h - q :].mean() < 0.03
            and left[h // 2 - q // 2 : h // 2 + q // 2 + 1].mean() > 0.05
            and right[:q].mean() > 0.05
            and right[h - q :].mean() > 0.05
            and right[int(h * 0.35) : int(h * 0.65) + 1].mean() < 0.03
            # a C is open on the right too, but its left side is a tall curve (the
            # chevron's is a point) and its arc runs along its top
            and m[:, : max(1, int(w * 0.15))].any(axis=1).mean() < 0.4
            and m[: max(2, int(h * 0.15))].any(axis=0).mean() < 0.6
        )
        out.append("<" if chevron else "L")
    return "".join(out), clean


_AS_FILLER = {"<": 0.0, "K": 0.3, "X": 0.4, "C": 0.7, "S": 0.7, "E": 0.7}
"""Cost of a character OCR'd where a chevron is: the chevron's usual misreadings cost little."""


def align_classes(read: str, classes: str, *, names: bool = False) -> str:
    """The OCR'd row laid over its glyph classes: one character per glyph.

    A ``<`` glyph gives ``<`` whatever OCR read there; a letter glyph keeps OCR's
    character. OCR's extra or missing characters are found by edit-distance alignment
    (a K or < read where a chevron is costs little; in the name row, where no digit is
    printed, so does a digit OCR added).
    """
    t, p = read, classes
    n, m = len(t), len(p)
    # OCR drops fillers inside long runs (the trailing fill), rarely a lone one
    run = [0] * m
    for mt in re.finditer(r"<+", p):
        run[mt.start() : mt.end()] = [mt.end() - mt.start()] * (mt.end() - mt.start())
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, str] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            c0 = cost[i][j]
            if c0 == inf:
                continue
            if i < n and j < m:
                a, b = t[i], p[j]
                if b == "<":
                    sub = _AS_FILLER.get(a, 1.5)
                    ch = "<"
                elif b == "L":
                    sub, ch = (1.0, a) if a == "<" else (0.0, a)
                else:
                    sub, ch = 0.2, a
                if c0 + sub < cost[i + 1][j + 1]:
                    cost[i + 1][j + 1], back[i + 1][j + 1] = c0 + sub, (i, j, ch)
            if i < n:  # OCR read a character that is not there
                d = 0.3 if t[i] == "<" else 0.5 if t[i] == "K" else 1.0
                if names and t[i].isdigit():
                    d = 0.5
                if c0 + d < cost[i + 1][j]:
                    cost[i + 1][j], back[i + 1][j] = c0 + d, (i, j, "")
            if j < m:  # OCR missed a glyph
                d, ch = ((0.1 if run[j] >= 3 else 0.5), "<") if p[j] == "<" else (1.0, "?")
                if c0 + d < cost[i][j + 1]:
                    cost[i][j + 1], back[i][j + 1] = c0 + d, (i, j, ch)
    out = []
    i, j = n, m
    while (i, j) != (0, 0):
        pi, pj, ch = back[i][j]  # type: ignore[misc]
        out.append(ch)
        i, j = pi, pj
    return "".join(reversed(out))


# --------------------------------------------------------------------------- fallback: bands


def locate(image: np.ndarray, *, max_candidates: int = 3) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of wide blocks of dense dark text, most MRZ-like first."""
    gray = _gray(image)
    h, w = gray.shape[:2]
    scale = 800.0 / w
    small = cv2.resize(gray, (800, max(1, int(h * scale))), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape
    small = cv2.GaussianBlur(small, (3, 3), 0)
    rect = cv2.getStructuringElement(cv2.MORPH_RECT, (17, 5))
    blackhat = cv2.morphologyEx(small, cv2.MORPH_BLACKHAT, rect)
    gx = np.absolute(cv2.Sobel(blackhat, cv2.CV_32F, 1, 0, ksize=-1))
    gx = (255 * (gx - gx.min()) / max(1e-6, gx.max() - gx.min())).astype("uint8")
    gx = cv2.morphologyEx(gx, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (21, 5)))
    _, th = cv2.threshold(gx, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    th = cv2.morphologyEx(th, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (31, 13)))
    th = cv2.erode(th, None, iterations=2)
    contours, _ = cv2.findContours(th, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    boxes = []
    for cnt in contours:
        x, y, bw, bh = cv2.boundingRect(cnt)
        if bw < 0.45 * sw or bh < 12 or bw / max(bh, 1) < 2.5:
            continue
        # wide and low on the page is MRZ-like
        score = bw / sw + 0.5 * (y + bh) / sh
        boxes.append((score, x, y, bw, bh))
    boxes = _merge_rows(boxes)
    boxes.sort(reverse=True)
    out = []
    for _, x, y, bw, bh in boxes[:max_candidates]:
        px, py = int(0.06 * bw), int(0.25 * bh)
        x0 = max(0, int((x - px) / scale))
        y0 = max(0, int((y - py) / scale))
        x1 = min(w, int((x + bw + px) / scale))
        y1 = min(h, int((y + bh + py) / scale))
        out.append((x0, y0, x1, y1))
    return out


def _merge_rows(boxes: list[tuple[float, int, int, int, int]]) -> list:
    """Join boxes of consecutive text lines that share their horizontal extent."""
    rows = sorted(boxes, key=lambda b: b[2])
    merged: list[list[float]] = []
    for score, x, y, bw, bh in rows:
        if merged:
            s0, mx, my, mw, mh = merged[-1]
            overlap = min(mx + mw, x + bw) - max(mx, x)
            gap = y - (my + mh)
            if overlap > 0.7 * min(mw, bw) and gap < 1.5 * bh:
                nx0, ny0 = min(mx, x), min(my, y)
                nx1, ny1 = max(mx + mw, x + bw), max(my + mh, y + bh)
                merged[-1] = [max(s0, score), nx0, ny0, nx1 - nx0, ny1 - ny0]
                continue
        merged.append([score, x, y, bw, bh])
    return [tuple(m) for m in merged]


def _deskew(gray: np.ndarray) -> np.ndarray:
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    pts = cv2.findNonZero(bw)
    if pts is None or len(pts) < 50:
        return gray
    angle = cv2.minAreaRect(pts)[-1]
    if angle > 45:
        angle -= 90
    if abs(angle) < 0.5 or abs(angle) > 10:
        return gray
    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(gray, m, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def flatten(gray: np.ndarray) -> np.ndarray:
    """Even out the lighting (shadows across a phone photo) before binarizing.

    The background is estimated by a closing larger than a character (text is dark)
    and divided out.
    """
    h, w = gray.shape[:2]
    k = max(15, (min(h, w) // 6) | 1)
    bg = cv2.morphologyEx(gray, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    bg = cv2.GaussianBlur(bg, (0, 0), k / 4)
    out = cv2.divide(gray.astype(np.float32), np.maximum(bg.astype(np.float32), 1), scale=255)
    return np.clip(out, 0, 255).astype(np.uint8)


def char_height(gray: np.ndarray) -> float | None:
    """Median height of character-like connected components (dark on light)."""
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, _, stats, _ = cv2.connectedComponentsWithStats(bw)
    hs = [s[3] for s in stats[1:] if s[3] > 4 and s[2] < s[3] * 3 and s[4] > 10]
    return float(np.median(hs)) if len(hs) >= 10 else None


def prepare_crop(crop: np.ndarray, *, target: float = 22.0, deskew: bool = False) -> np.ndarray:
    """Grayscale, scaled so characters are ``target`` px high, binarized, white border."""
    gray = _gray(crop)
    if deskew:
        gray = _deskew(gray)
    gray = flatten(gray)
    ch = char_height(gray) or gray.shape[0] / 6
    scale = min(4.0, max(0.25, target / ch))
    if abs(scale - 1) > 0.05:
        interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=interp)
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    return cv2.copyMakeBorder(bw, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)


def ocr_crop(
    crop: np.ndarray,
    *,
    target: float = 22.0,
    deskew: bool = False,
    timeout: float = 20.0,
) -> list[str]:
    from ocr import tesseract

    prepared = prepare_crop(crop, target=target, deskew=deskew)
    out = tesseract.text(prepared, lang="eng", psm=6, whitelist=ALPHABET, timeout=timeout)
    return [x for x in out.splitlines() if x.strip()]


def _bands(image: np.ndarray, *, card: bool) -> list[tuple[int, int, int, int]]:
    h, w = image.shape[:2]
    boxes = locate(image)[:2]
    band = (0, int(h * (0.6 if card else 0.7)), w, h)
    if not any(_iou(band, b) > 0.8 for b in boxes):
        boxes.append(band)
    return boxes


def _aligned(base: str, other: str) -> list[str | None]:
    """For each character of ``base``, the character of ``other`` aligned with it (or None)."""
    from rapidfuzz.distance import Levenshtein

    out: list[str | None] = [None] * len(base)
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(base, other):
        if tag in ("equal", "replace") and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                out[i1 + k] = other[j1 + k]
    return out


def vote_names(readings: Sequence[Mrz]) -> Mrz:
    """Merge the name line of several valid readings of one zone, character by character.

    The name line has no check digit; OCR-B ``<`` is often read as ``K`` or ``X``, and
    sometimes an extra letter is inserted. The other readings are aligned on the first
    (edit-distance alignment), and each position takes the majority, where a ``<`` counts
    double against ``K``/``X`` (a letter is rarely read as ``<``).
    """
    base = readings[0]
    same = [r for r in readings if r.format == base.format]
    if len(same) < 2:
        return base
    idx = 2 if base.format == "TD1" else 0
    start = 0 if base.format == "TD1" else 5
    core = base.lines[idx][start:]
    aligned = [_aligned(core, r.lines[idx][start:]) for r in same[1:]]
    chars = []
    for j, ch in enumerate(core):
        votes: dict[str, float] = {ch: 1.0}
        for al in aligned:
            if al[j] is not None:
                votes[al[j]] = votes.get(al[j], 0.0) + 1.0
        if "<" in votes and any(c in votes for c in "KX"):
            votes["<"] += 1.0
        chars.append(max(votes, key=lambda c: (votes[c], c == "<")))
    merged_line = (base.lines[idx][:start] + "".join(chars))[: len(base.lines[idx])]
    lines = list(base.lines)
    lines[idx] = merged_line
    merged = parse(lines, repaired=True)
    return merged if merged is not None and merged.valid else base


def _known(syllable: str) -> bool:
    from extractors.vietnamese import _lexicon

    return syllable.lower() in _lexicon("all")


def _vn_names(m: Mrz) -> Mrz:
    """Clean a Vietnamese name line with the syllable grammar.

    Vietnamese names are syllables; OCR-B ``<`` read as ``K``, ``X``, ``S``, ``C`` or
    ``E`` leaves tokens no syllable can be (``LEX``, ``KSKK``, a lone ``S``). Those
    trailing or leading letters are put back to ``<``; a token that stays invalid is
    left as read.
    """
    from extractors.vietnamese import is_ascii_syllable

    if m.issuing_country != "VNM" or m.format != "TD1":
        return m
    line = list(m.lines[2])
    for tok in re.finditer(r"[A-Z]+", m.lines[2]):
        word, start = tok.group(0), tok.start()
        if is_ascii_syllable(word):
            continue
        fixed = None
        for lead in range(0, 2):
            for trail in range(0, len(word) - lead + 1):
                core = word[lead : len(word) - trail]
                cut = word[:lead] + word[len(word) - trail :]
                if set(cut) <= set("KXSCE") and (core == "" or is_ascii_syllable(core)):
                    fixed = (lead, trail, core)
                    break
            if fixed:
                break
        if fixed is None:
            # two syllables glued by a misread "<" (HUYENKLY)
            for k in range(1, len(word) - 1):
                if (
                    word[k] in "KXSCE"
                    and is_ascii_syllable(word[:k])
                    and is_ascii_syllable(word[k + 1 :])
                ):
                    line[start + k] = "<"
                    break
            else:
                # a doubled letter (DAOO): the one deletion that leaves a syllable, if unique
                outs = {word[:k] + word[k + 1 :] for k in range(len(word))}
                outs = {o for o in outs if is_ascii_syllable(o)}
                # two syllables whose "<" was dropped (THUNHAN): the one split, if unique
                splits = [
                    k
                    for k in range(1, len(word))
                    if is_ascii_syllable(word[:k]) and is_ascii_syllable(word[k:])
                ]
                if len(splits) > 1:  # prefer syllables that are known name syllables
                    splits = [k for k in splits if _known(word[:k]) and _known(word[k:])]
                joined = "".join(line)
                if "".join(line[start : start + len(word)]) != word:
                    pass
                elif len(outs) == 1:
                    joined = joined[:start] + outs.pop() + joined[start + len(word) :] + "<"
                elif len(splits) == 1 and joined.endswith("<"):
                    k = start + splits[0]
                    joined = joined[:k] + "<" + joined[k:-1]
                line = list(joined)
            continue
        lead, trail, core = fixed
        for k in range(len(word)):
            if k < lead or k >= len(word) - trail:
                line[start + k] = "<"
    new = "".join(line)
    # after the last real syllable, lone letters and letter runs that are no syllable
    # are fillers read as letters (a single Y is a real name)
    toks = list(re.finditer(r"[A-Z]+", new))
    real = [t for t in toks if len(t.group(0)) >= 2 and is_ascii_syllable(t.group(0))]
    if real:
        last = real[-1].end()
        chars = list(new)
        for t in toks:
            w = t.group(0)
            if t.start() > last and w != "Y" and (len(w) == 1 or set(w) <= set("KXSCEG")):
                chars[t.start() : t.end()] = "<" * len(w)
        new = "".join(chars)
    # one "<<" separates surname and given names; a second one inside is a doubled "<"
    head, sep, rest = new.partition("<<")
    if sep:
        rest = re.sub(r"<{2,}(?=[A-Z])", "<", rest.lstrip("<"))
        new = (head + "<<" + rest).ljust(30, "<")[:30]
    if new == m.lines[2]:
        return m
    out = parse((m.lines[0], m.lines[1], new), repaired=True)
    return out if out is not None and out.valid else m


def _line_ok(fmt: str, idx: int, line: str) -> bool:
    """Check digits that one line holds on its own."""
    if fmt == "TD1" and idx == 0:
        ok = check_ok(line[5:14], line[14])
        if line[2:5] == "VNM":
            ok = ok and line[15:27].endswith(line[5:14]) and check_ok(line[15:27], line[29])
        return ok
    if fmt == "TD1" and idx == 1:
        return check_ok(line[0:6], line[6]) and check_ok(line[8:14], line[14])
    if idx == 1:
        return (
            check_ok(line[0:9], line[9])
            and check_ok(line[13:19], line[19])
            and check_ok(line[21:27], line[27])
        )
    return True


_DIG = str.maketrans({"O": "0", "D": "0", "Q": "0", "I": "1", "L": "1", "Z": "2", "S": "5",
                      "B": "8", "G": "6", "T": "7"})  # fmt: skip


def _vn_line1_short(raw: str) -> str | None:
    """Line 1 with a digit or two of its 12-digit number lost (glare, a smudge).

    The number ends with the 9-digit document number printed before it: when that copy
    holds its check digit and the short copy is it with digits missing, the number is
    its 3 leading digits + the 9 digits, kept only if its own check digit then holds.
    """
    m = re.match(r"^.?[I1][D0O]VNM([0-9ODQISBGZ]{9})([0-9ODQISBGZ])([0-9ODQISBGZ]{10,11})"
                 r"[<K]+([0-9ODQISBGZ])<*$", raw)  # fmt: skip
    if not m:
        return None
    doc9, doc_cd, short, cd = (g.translate(_DIG) for g in m.groups())
    if not check_ok(doc9, doc_cd):
        return None
    tail = iter(doc9)
    if not all(c in tail for c in short[3:]):  # not a subsequence of the 9 digits
        return None
    id12 = short[:3] + doc9
    return "IDVNM" + doc9 + doc_cd + id12 + "<<" + cd if check_ok(id12, cd) else None


def _vn_line(idx: int, raw: str) -> str | None:
    """A Vietnamese TD1 data line rebuilt from its fixed structure.

    Line 1 is ``IDVNM`` + 9 digits + check + 12 digits + ``<<`` + check; line 2 is
    birth date + check + sex + expiry + check (or 7 fillers) + ``VNM`` + 11 fillers +
    composite check. Runs of ``<`` (often read ``K``, and often with a character more
    or less) are rebuilt to their fixed length; digits are kept as read, so the check
    digits still decide.
    """
    if idx == 0:
        # OCR may put a stray character before the line (the card's edge)
        m = re.match(r"^.?[I1][D0O]VNM([0-9A-Z]{22})[<K]*([0-9ODQISBGZ])", raw)
        if not m:
            return _vn_line1_short(raw)
        digits = m.group(1).translate(_DIG)
        cd = m.group(2).translate(_DIG)
        doc9, doc_cd, id12 = digits[:9], digits[9], digits[10:]
        # a digit of one copy hidden (a signature's stroke, a scratch) is read from the other
        doc9 = "".join(c if c.isdigit() else id12[3 + k] for k, c in enumerate(doc9))
        id12 = id12[:3] + "".join(c if c.isdigit() else doc9[k] for k, c in enumerate(id12[3:]))
        if doc9 != id12[3:]:
            # the 9 digits are printed twice: where the copies differ, the reading that
            # makes both check digits hold wins (only if exactly one does)
            diff = [k for k in range(9) if doc9[k] != id12[3 + k]]
            sols = set()
            if len(diff) <= 2:
                for choice in itertools.product(*((doc9[k], id12[3 + k]) for k in diff)):
                    d9 = list(doc9)
                    for k, c in zip(diff, choice, strict=True):
                        d9[k] = c
                    cand = "".join(d9)
                    if check_ok(cand, doc_cd) and check_ok(id12[:3] + cand, cd):
                        sols.add(cand)
            if len(sols) == 1:
                doc9 = sols.pop()
                id12 = id12[:3] + doc9
        return "IDVNM" + doc9 + doc_cd + id12 + "<<" + cd
    if idx == 1:
        # the V of VNM is sometimes split by OCR (VINM) or half lost (INM)
        m = re.match(r"^([0-9ODQISBGZTLA]{7,8}?)([MF<])(.*?)(?:[VU][I1]?|[I1])[NW]M(.*)$", raw)
        if not m:
            return None
        dob = _dated_from_read(m.group(1)) or _fit_dated(m.group(1).translate(_DIG))
        if dob is None:
            return None
        mid = m.group(3)
        core = re.sub(r"[<K]", "", mid)
        exp_read = _dated_from_read(core) if 7 <= len(core) <= 8 and len(mid) <= 9 else None
        if exp_read is not None:
            exp = exp_read
        elif 5 <= len(mid) <= 9 and sum(c.isdigit() for c in mid) <= 1 and mid.count("<") >= 2:
            exp = "<" * 7  # no expiry: fillers (often read K, X, C)
        elif re.fullmatch(r"\d{7}", core.translate(_DIG)):
            exp = core.translate(_DIG)  # as read: its check digit will tell
        else:
            return None
        tail = m.group(4).rstrip("<K")
        if not tail:
            # the composite check digit merged into the fillers before it ("<<<<4" read
            # as "<<<<<"): left for :func:`combine` to compute, last of all readings
            return dob + m.group(2) + exp + "VNM" + "<" * 11 + UNREAD_COMPOSITE
        cd = tail[-1].translate(_DIG)
        if not cd.isdigit():
            if re.fullmatch(r"[<K]{8,12}[A-Z]", tail):
                # a letter where the composite is ("<<<<H" for "<<<<6", in a blurred
                # photo): as if unread, computed by :func:`combine` if all else holds
                return dob + m.group(2) + exp + "VNM" + "<" * 11 + UNREAD_COMPOSITE
            return None
        return dob + m.group(2) + exp + "VNM" + "<" * 11 + cd


_MULTI = {"T": "17", "G": "6408", "B": "8", "S": "5", "O": "0", "D": "0", "Q": "0", "I": "1",
          "L": "1", "Z": "2", "A": "4"}  # fmt: skip


def _dated_from_read(read: str) -> str | None:
    """YYMMDD + check digit from OCR'd characters: letters stand for the digits they look
    like (T is 1 or 7, G is 6, 4, 0 or 8); the reading whose check digit holds, if unique."""
    options = [_MULTI.get(c, c) for c in read]
    if any(not all(d.isdigit() for d in o) for o in options):
        return None
    if np.prod([len(o) for o in options]) > 256:
        return None
    sols = set()
    for combo in itertools.product(*options):
        cand = _fit_dated("".join(combo))
        if cand is not None and check_ok(cand[:6], cand[6]) and yymmdd_to_iso(cand[:6], past=True):
            sols.add(cand)
        if len(sols) > 1:
            return None
    return sols.pop() if sols else None


def _fit_dated(digits: str) -> str | None:
    """YYMMDD + check digit from 7 digits, or from 8 where exactly one deletion makes the
    check digit hold (a character doubled by OCR)."""
    if len(digits) == 7:
        return digits
    if len(digits) != 8:
        return None
    sols = {
        d
        for k in range(8)
        if check_ok((d := digits[:k] + digits[k + 1 :])[:6], d[6])
        and yymmdd_to_iso(d[:6], past=True)
    }
    return sols.pop() if len(sols) == 1 else None


# A check digit read as a letter, when the filler before it merged into it ("<4" -> "G"):
# the digits it may stand for. Only one of them can make the check hold.
_CD_ALTS = {"G": "6408", "O": "0", "D": "0", "Q": "0", "B": "8", "S": "5", "Z": "2", "I": "1"}


UNREAD_COMPOSITE = "?"
"""Stands, in a rebuilt Vietnamese line 2, for a composite check digit OCR did not read."""


def _fill_composite(lines: list[str]) -> tuple[list[str], bool]:
    """TD1 ``lines`` whose line 2 ends in :data:`UNREAD_COMPOSITE` with the composite check
    digit computed in its place (whether it was): every field keeps its own check digit,
    which must still hold (line 1's last, the 12-digit number's, read as a digit); the
    composite, which only repeats them, is not read."""
    if len(lines) != 3 or not lines[1].endswith(UNREAD_COMPOSITE):
        return lines, False
    a, b = lines[0], lines[1]
    if not a[29:30].isdigit():
        # line 1's own last check digit lost too (a zone cut short): too little is read
        # for the composite to be left out
        return lines, False
    data = _td1_composite_data(a, b)
    if len(a) != 30 or len(b) != 30 or not re.fullmatch(r"[0-9A-Z<]{25,}", data):
        return lines, False  # a line of another length, or a character no MRZ holds
    cd = check_digit(data)
    return [a, b[:-1] + cd, lines[2]], True


def _dates_agree_with_the_card(m: Mrz) -> bool:
    """A Vietnamese card's dates where its zone says the same twice: the birth year is
    in the 12-digit number (digits 5-6), and the card expires on a birthday."""
    vn_id = m.optional1[:12]
    return (
        vn_id.isdigit() and m.birth_date[:2] == vn_id[4:6] and m.expiry_date[2:] == m.birth_date[2:]
    )


def _vn_line2_options(raw: str) -> list[str]:
    base = _vn_line(1, raw)
    if base is None:
        return []
    tail = raw.rstrip("<K")
    letter = tail[-1] if tail else ""
    if letter in _CD_ALTS and len(_CD_ALTS[letter]) > 1:
        return [base[:-1] + d for d in _CD_ALTS[letter]]
    return [base]
    return None


def _line_options(fmt: str, idx: int, raws: Sequence[str], vn: bool) -> list[str]:
    """Fitted readings of one data line: as read, then single-deletion repairs that hold."""
    length = LENGTHS[fmt][0]
    tpl = _template(fmt, vn)[idx]
    plain = list(dict.fromkeys(_fit([r], length)[0] for r in raws))[:4]
    if vn and fmt == "TD1":
        if idx == 1:
            rebuilt = [x for r in raws for x in _vn_line2_options(r)]
        else:
            rebuilt = [x for r in raws if (x := _vn_line(idx, r)) is not None]
        unread = [x for x in rebuilt if x.endswith(UNREAD_COMPOSITE)]
        rebuilt = [x for x in rebuilt if not x.endswith(UNREAD_COMPOSITE)]
        plain = list(dict.fromkeys([*rebuilt[:8], *plain]))[:10] + list(dict.fromkeys(unread))[:2]
    extra: list[str] = []
    if not any(_line_ok(fmt, idx, _apply_template(_fix_fillers(p), tpl)) for p in plain):
        for r in dict.fromkeys(raws):
            if len(r) != length + 1:
                continue
            for k in range(len(r)):
                cand = _fit([r[:k] + r[k + 1 :]], length)[0]
                fixed = _apply_template(_fix_fillers(cand), tpl)
                if _line_ok(fmt, idx, fixed) and fixed not in extra:
                    extra.append(fixed)
        if len(extra) > 1:  # several deletions hold: not a clear repair
            extra = []
    return plain + extra


# digits Tesseract confuses in OCR-B at low contrast (glare): a date digit may be one of
# these where the date's and the zone's check digits then hold, for one reading only
_DIGIT_LOOKALIKES = {"0": "8", "1": "7", "2": "7", "3": "58", "5": "36", "6": "58",
                     "7": "12", "8": "0369", "9": "8"}  # fmt: skip


def _date_fields(fmt: str, idx: int) -> list[tuple[int, int]]:
    """(start, check digit position) of the date fields of a data line."""
    if fmt == "TD1":
        return [(0, 6), (8, 14)] if idx == 1 else []
    return [(13, 19), (21, 27)] if idx == 1 else []


def _date_digit_fixes(fmt: str, idx: int, line: str, vn: bool) -> list[str]:
    """The line with each failing date changed by one look-alike digit into a valid date
    whose check digit holds: every such line (a few at most). The caller keeps one only
    if it alone makes the whole zone valid (the composite check digit decides)."""
    fixed = _apply_template(_fix_fillers(line), _template(fmt, vn)[idx])
    per_field: list[tuple[int, int, list[str]]] = []
    for start, cd in _date_fields(fmt, idx):
        date, digit = fixed[start:cd], fixed[cd]
        if check_ok(date, digit) or not re.fullmatch(r"\d{6}", date) or not digit.isdigit():
            continue
        sols = [
            cand
            for k in range(6)
            for alt in _DIGIT_LOOKALIKES.get(date[k], "")
            if check_ok(cand := date[:k] + alt + date[k + 1 :], digit)
            and yymmdd_to_iso(cand, past=False)
        ]
        if not sols:
            return []
        per_field.append((start, cd, sols))
    out = []
    for combo in itertools.product(*(f[2] for f in per_field)):
        chars = list(fixed)
        for (start, cd, _), date in zip(per_field, combo, strict=True):
            chars[start:cd] = date
        if per_field and _line_ok(fmt, idx, cand := "".join(chars)):
            out.append(cand)
    return out[:9]


def _date_fixes(fmt: str, idx: int, options: Sequence[str], vn: bool) -> list[str]:
    return list(dict.fromkeys(x for o in options[:4] for x in _date_digit_fixes(fmt, idx, o, vn)))


def _merged_lines(fmt: str, idx: int, options: Sequence[str], vn: bool) -> list[str]:
    """A data line taken character by character from several readings of it.

    Each reading may get a different field right (the birth date in one, the final
    check digit in another). Where the readings (fitted to the format) disagree, every
    combination whose own check digits hold is returned (a few at most); the caller
    keeps one only if it alone makes the whole zone valid.
    """
    tpl = _template(fmt, vn)[idx]
    fixed = list(dict.fromkeys(_apply_template(_fix_fillers(o), tpl) for o in options))
    if len(fixed) < 2:
        return []
    spots = [j for j in range(len(fixed[0])) if len({f[j] for f in fixed}) > 1]
    choices = [sorted({f[j] for f in fixed}) for j in spots]
    if not spots or len(spots) > 8 or np.prod([len(c) for c in choices]) > 512:
        return []
    out = []
    for combo in itertools.product(*choices):
        line = list(fixed[0])
        for j, ch in zip(spots, combo, strict=True):
            line[j] = ch
        cand = "".join(line)
        if cand not in fixed and _line_ok(fmt, idx, cand):
            out.append(cand)
            if len(out) > 8:
                return []
    return out


def combine(groups: Sequence[list[str]], fmt: str, *, shaped: Sequence[bool] = ()) -> Mrz | None:
    """The best MRZ from several OCR readings of one zone, line by line.

    Each reading may get a different line right: the data lines are combined
    across readings until every check digit holds (a doubled character is removed
    only where that alone makes the line's check digits hold); the name line (no
    check digit) is then voted over all readings. ``shaped[i]`` tells that reading
    ``i`` was laid over the glyph classes (its fillers placed by their shape): its
    name row is then taken as read, not re-cut by the Vietnamese syllable grammar
    (names of ethnic minorities, AYUN, KSOR, are no Kinh syllables).
    """
    if not groups:
        return None
    length, n = LENGTHS[fmt]
    fitted = [_fit(list(g), length) for g in groups]
    name_idx = 2 if n == 3 else 0
    data_idx = [i for i in range(n) if i != name_idx]
    vn = fmt == "TD1" and any("VNM" in g[0][:6] or "VNM" in g[1][14:19] for g in fitted)
    options = [_line_options(fmt, i, [g[i] for g in groups], vn) for i in data_idx]
    base: Mrz | None = None
    for combo in itertools.product(*options):
        lines = list(fitted[0])
        for i, line in zip(data_idx, combo, strict=True):
            lines[i] = line
        lines, computed = _fill_composite(lines)
        m = repair(lines)
        if m is not None and m.valid:
            base = replace(m, repaired=True) if computed else m
            break
    if base is None:
        # readings merged character by character, then (if that gives nothing) dates
        # with one look-alike digit changed: only a unique valid zone counts
        found: dict[tuple[str, ...], Mrz] = {}
        for extra in (_merged_lines, _date_fixes):
            more = [[*o, *extra(fmt, i, o, vn)] for i, o in zip(data_idx, options, strict=True)]
            if all(len(m) == len(o) for m, o in zip(more, options, strict=True)):
                continue
            for combo in itertools.product(*more):
                lines = list(fitted[0])
                for i, line in zip(data_idx, combo, strict=True):
                    lines[i] = line
                # a composite OCR did not read, rebuilt from the fixed dates: only where the
                # dates agree with what else the card holds (a lone date's check digit
                # passes one wrong date in ten)
                lines, computed = _fill_composite(lines)
                m = parse(lines, repaired=True)
                if computed and m is not None and not _dates_agree_with_the_card(m):
                    continue
                if m is not None and m.valid:
                    found[tuple(x for k, x in enumerate(m.lines) if k != name_idx)] = m
            if found:
                break
            options = more
        if len(found) != 1:
            return None
        base = repair(list(found.popitem()[1].lines))
        if base is None or not base.valid:
            return None
        base = replace(base, repaired=True)
    readings: list[Mrz] = []
    noise: list[int] = []
    flags: list[bool] = []
    for gi, g in enumerate(fitted):
        lines = list(base.lines)
        lines[name_idx] = g[name_idx]
        if name_idx == 0:
            # an extra character before the issuing state ("I<KUTO..."): realign on the
            # nationality read in the checked line when the two agree elsewhere
            nat = base.nationality
            k = g[0].find(nat, 3, 7)
            if g[0][2:5] != nat and k > 2:
                lines[0] = (g[0][:2] + g[0][k:]).ljust(length, "<")[:length]
        by_shape = gi < len(shaped) and shaped[gi]
        fixed = repair(lines, syllables=not by_shape)
        if fixed is not None and fixed.valid:
            readings.append(fixed)
            noise.append(len(re.findall(r"<K|K<|[XSCE]<", g[name_idx])))
            flags.append(by_shape)
    if not readings:
        return base
    if any(flags):
        sh = [r for r, f in zip(readings, flags, strict=True) if f]
        sh_noise = [x for x, f in zip(noise, flags, strict=True) if f]
        best = vote_names(sh) if len(sh) > 2 else sh[sh_noise.index(min(sh_noise))]
    elif base.issuing_country == "VNM" and base.format == "TD1":
        # Vietnamese names: the reading with the fewest "<" misread as K as read (the
        # syllable grammar cleans the rest)
        best = _vn_names(readings[noise.index(min(noise))])
    else:
        best = vote_names(readings) if len(readings) > 2 else readings[0]
    # the data lines are the base's: a repair made there stays one
    return replace(best, repaired=True) if base.repaired and not best.repaired else best


def _ocr_strips(strips: Sequence[np.ndarray], *, timeout: float) -> list[str]:
    """One Tesseract run over the rows stacked with white between them."""
    from ocr import tesseract

    wmax = max(x.shape[1] for x in strips)
    gap = max(12, strips[0].shape[0] // 3)
    rows = [
        cv2.copyMakeBorder(x, gap, 0, 12, 12 + wmax - x.shape[1], cv2.BORDER_CONSTANT, value=255)
        for x in strips
    ]
    rows.append(np.full((gap + 8, wmax + 24), 255, np.uint8))
    out = tesseract.text(np.vstack(rows), lang="eng", psm=6, whitelist=ALPHABET, timeout=timeout)
    return [clean_line(x) for x in out.splitlines() if len(x.strip()) >= 8]


def _zone_box(
    zone: Sequence[TextRow], scale: float, shape: tuple[int, ...]
) -> tuple[int, int, int, int]:
    hh = max(r.height for r in zone)
    x0 = min(r.x0 for r in zone) - hh
    x1 = max(r.x1 for r in zone) + hh
    y0 = min(min(r.y0, r.y1) for r in zone) - hh
    y1 = max(max(r.y0, r.y1) for r in zone) + hh
    h, w = shape[:2]
    return (max(0, int(x0 / scale)), max(0, int(y0 / scale)),
            min(w, int(x1 / scale)), min(h, int(y1 / scale)))  # fmt: skip


# character height (px) the rows are OCR'd at, and whether their lean is undone: one
# Tesseract run each, until the checks hold
_TARGETS = ((30.0, True), (38.0, False), (24.0, True))


def _read_zone(
    gray: np.ndarray, zone: Sequence[TextRow], scale: float, *, runs: int
) -> tuple[Mrz | None, int]:
    """The zone's rows straightened and OCR'd at a few sizes; each reading is taken both as
    OCR gave it and laid over the rows' glyph classes (fillers counted by shape).

    Returns the best reading and the number of Tesseract runs it took."""
    groups: list[list[str]] = []
    fmt = "TD1" if len(zone) == 3 else None
    fallback: Mrz | None = None
    first_read: list[str] = []
    shaped: list[bool] = []
    used = 0
    for target, upright in _TARGETS[:runs]:
        used += 1
        strips = [stretch(x) for x in row_strips(gray, zone, scale, target=target)]
        if upright:
            strips = deshear(strips)
        found = [glyphs(x) for x in strips]
        if not groups and sum(c.count("<") for c, _ in found) < 2:
            # every zone has fillers (the name row's << at least): rows of other text
            # are dropped before any OCR
            return None, used - 1
        try:
            lines = _ocr_strips([clean for _, clean in found], timeout=8.0)
        except Exception as exc:  # an OCR failure on one zone must not stop the others
            log.warning("MRZ OCR failed on a zone: %s", type(exc).__name__)
            continue
        if len(lines) != len(zone):
            if not groups and not any("<" in x for x in lines):
                return None, used  # no MRZ-like text here
            continue
        name_row = 2 if len(zone) == 3 else 0
        aligned = [
            align_classes(line, cls, names=i == name_row)
            if abs(len(cls) - len(line)) <= 10
            else line
            for i, (line, (cls, _)) in enumerate(zip(lines, found, strict=True))
        ]
        if fmt is None:
            n = float(np.median([len(c) or len(t) for (c, _), t in zip(found, lines, strict=True)]))
            fmt = "TD3" if abs(n - 44) < abs(n - 36) else "TD2"
        first_read = first_read or lines
        for g, by_shape in ((aligned, True), (lines, False)):
            if g not in groups:
                groups.append(g)
                shaped.append(by_shape and aligned != lines)
        m = combine(groups, fmt, shaped=shaped)
        if m is not None and m.valid:
            first = tuple(first_read or lines)
            if first != m.lines:
                # the name line has no check digit: a repaired one is marked as such
                m = replace(m, repaired=True, read_as=first)
            return m, used
        cand = read_lines(aligned) or read_lines(lines)
        if cand is not None and (
            fallback is None or sum(cand.checks.values()) > sum(fallback.checks.values())
        ):
            fallback = cand
    return fallback, used


def read_image(image: np.ndarray, *, card: bool = True, max_ocr: int = 4) -> MrzReading | None:
    """Find and read the MRZ of an image; a reading whose check digits hold wins.

    The zone is found without OCR (rows of monospaced characters, see :func:`find_rows`);
    each candidate zone's rows are straightened and OCR'd together, at most ``max_ocr``
    Tesseract runs in all. Lines of the different readings are combined until the check
    digits hold. When no zone is found on a card, its bottom band is OCR'd once.
    When no reading is valid the best invalid one is returned (``mrz.valid`` is False):
    the caller must not trust it.
    """
    gray = _gray(image)
    scale = min(1.0, _WORK_SIDE / max(gray.shape[:2]))
    work = gray
    if scale < 1:
        work = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    zones = find_zones(find_rows(work))[:6]
    best: MrzReading | None = None
    runs = max_ocr
    for zone in zones:
        if runs <= 0:
            break
        m, used = _read_zone(gray, zone, scale, runs=runs)
        runs -= used
        if m is None:
            continue
        reading = MrzReading(m, _zone_box(zone, scale, gray.shape))
        if m.valid:
            return reading
        if best is None or sum(m.checks.values()) > sum(best.mrz.checks.values()):
            best = reading
    if best is None and card and runs > 0 and gray.size <= 4_000_000:
        best = _read_bands(image, card=card, max_ocr=1)
    return best


_VIE_LOOKALIKES = str.maketrans({"ó": "6", "Ó": "6", "§": "5"})
"""What the Vietnamese model reads for an OCR-B digit ("2ó" for "26")."""


def text_lines(lines: Sequence[str]) -> list[str]:
    """The lines of a card back's page OCR (Vietnamese model, no whitelist) that look
    like its TD1 zone, cleaned: look-alike digits mapped, a symbol read between two
    characters dropped ("7#907094F"), other symbols a filler. At most the last three."""
    out = []
    for line in lines:
        t = re.sub(
            r"(?<=[0-9A-Za-z<])[^\w<\s«‹≤]+(?=[0-9A-Za-z<])", "", line.translate(_VIE_LOOKALIKES)
        )
        t = clean_line(t)
        if len(t) >= 24 and (t.count("<") >= 2 or t[:2] in ("ID", "I<")):
            out.append(t)
    return out[-3:]


def with_text(reading: MrzReading | None, lines: Sequence[str]) -> Mrz | None:
    """A TD1 zone from the zone's own reading (when it is not valid) and the page OCR's
    text of it combined line by line (:func:`combine`): each may get other characters
    right. ``None`` unless the result is valid."""
    found = text_lines(lines)
    if len(found) != 3:
        return None
    groups = [found]
    if reading is not None and reading.mrz.format == "TD1":
        groups.insert(0, list(reading.mrz.read_as or reading.mrz.lines))
    m = combine(groups, "TD1")
    return m if m is not None and m.valid else None


def _read_bands(image: np.ndarray, *, card: bool, max_ocr: int) -> MrzReading | None:
    """Fallback when no zone was found: the bottom of a card (or a blob of dark text) OCR'd
    as one block."""
    best: MrzReading | None = None
    runs = 0
    for box in _bands(image, card=card):
        x0, y0, x1, y1 = box
        crop = image[y0:y1, x0:x1]
        if runs >= max_ocr:
            break
        runs += 1
        try:
            lines = ocr_crop(crop, target=24.0, timeout=6.0)
        except Exception as exc:
            log.warning("MRZ OCR failed on a crop: %s", type(exc).__name__)
            continue
        m = None
        for fmt, group in _candidate_groups(lines):
            m = combine([group], fmt)
            if m is not None:
                break
        m = m or read_lines(lines)
        if m is None:
            continue
        if m.valid:
            return MrzReading(m, box)
        if best is None or sum(m.checks.values()) > sum(best.mrz.checks.values()):
            best = MrzReading(m, box)
    return best


def _iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0
