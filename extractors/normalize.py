"""Value normalization: NFC text, spacing, dates in every printed form, sex, names.

Everything here is a pure function from a raw reading to the spec's value format, or
``None`` when the reading is not a value of that kind (callers then leave the field
absent instead of guessing).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from rapidfuzz import fuzz

NO_EXPIRY = "Không thời hạn"

_SPACES = re.compile(r"\s+")
# OCR confusions inside digit runs (letters Tesseract reads for digits on cards).
_DIGIT_FIX = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "Q": "0", "I": "1", "l": "1", "|": "1", "!": "1",
     "Z": "2", "S": "5", "s": "5", "§": "5", "B": "8", "G": "6", "g": "9", "T": "7",
     "ó": "6", "{": "1", "[": "1", "]": "1"}
)  # fmt: skip
_FOLDED_FIX = str.maketrans({"b": "8", "s": "5"})
"""The same in folded (lower-case) text: ``ngay 2b thang``."""
_LOOKALIKE = "OoDQIl|!§SBó{[]"
"""Letters OCR reads for digits that touch a digit inside a date (``l6/11``, ``2§``; ``2ó``
for 26 in a font whose 6 has a long stroke; ``{8/11`` for 18, a serif one read as a
brace)."""
_NUMBERISH = re.compile(rf"[\d{re.escape(_LOOKALIKE)}]*\d[\d{re.escape(_LOOKALIKE)}]*")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_spaces(text: str) -> str:
    """NFC, single spaces, no line breaks, no spaces before punctuation."""
    text = _SPACES.sub(" ", nfc(text)).strip()
    text = re.sub(r"\s+([,.;:])", r"\1", text)
    return text


_D_LIKE = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "Ɖ": "D", "ɖ": "d"})


def strip_diacritics(text: str) -> str:
    """ASCII-folded lower-case key for fuzzy matching (đ -> d). Never used for values."""
    # OCR reads Đ as the look-alike eth (Ð, ð) or African D (Ɖ)
    text = unicodedata.normalize("NFD", text.translate(_D_LIKE))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return text.lower()


def fold(text: str) -> str:
    """Folded key with single spaces and no punctuation."""
    text = strip_diacritics(text)
    text = re.sub(r"[^a-z0-9/ ]+", " ", text)
    return _SPACES.sub(" ", text).strip()


def upper_name(text: str) -> str:
    """Upper-case NFC name with single spaces (``Nguyễn văn An`` -> ``NGUYỄN VĂN AN``)."""
    return clean_spaces(nfc(text).upper())


def digits_only(text: str, *, fix: bool = True) -> str:
    if fix:
        text = text.translate(_DIGIT_FIX)
    return re.sub(r"\D", "", text)


def _valid(y: int, m: int, d: int) -> dt.date | None:
    try:
        date = dt.date(y, m, d)
    except ValueError:
        return None
    if not 1850 <= y <= 2150:
        return None
    return date


def iso(date: dt.date) -> str:
    return date.isoformat()


def parse_iso(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


_NGAY = re.compile(
    r"ng[aà]y\W*?(?P<d>[0-9OoIl§bs]{1,2})\W*th[aá]ng\W*?(?P<m>[0-9OoIl§bs]{1,2})\W*n[aă]m\W*?(?P<y>[0-9OoIl§bs]{4})",
    re.IGNORECASE,
)
_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d(?: ?\d){3})(?!\d)")
"""``dd/mm/yyyy``; a space OCR put inside the year ("25/04/1 966") is allowed."""
_YMD = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{4})(?!\d)")
_SLASH_AS_DIGIT = re.compile(r"(?<!\d)(\d{2})[/.\-17](\d{2})[/.\-17](\d{4})(?!\d)")
"""``dd/mm/yyyy`` whose slashes Tesseract read as a 1 or a 7 ("2610272021" for 26/02/2021),
tried last, on ten characters exactly."""


def normalize_date(text: str) -> str | None:
    """Any printed date form -> ``YYYY-MM-DD``; ``None`` if no valid date is found.

    Accepts ``dd/mm/yyyy`` (also ``.`` and ``-``), ``ddmmyyyy`` (QR), ISO, and
    ``ngày 05 tháng 3 năm 2019`` (with or without diacritics).
    """
    if not text:
        return None
    t = re.sub(r"(?<=\d)ó|ó(?=\d)", "6", nfc(text))  # folding would make it an o (0)
    folded = strip_diacritics(t)
    m = _NGAY.search(folded)
    if m:
        d, mo, y = (int(digits_only(m.group(k).translate(_FOLDED_FIX)) or 0) for k in "dmy")
        date = _valid(y, mo, d)
        if date:
            return iso(date)
    # look-alikes glued to digits are digits first: "l6-11-2036" is the 16th, not the 6th
    runs = _NUMBERISH.sub(lambda m: m.group(0).translate(_DIGIT_FIX), t)
    fixed = t.translate(_DIGIT_FIX) if re.search(r"\d", t) else t
    for candidate in dict.fromkeys((runs, t, fixed)):
        m = _YMD.search(candidate)
        if m and (date := _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))):
            return iso(date)
        m = _DMY.search(candidate)
        year = int(m.group(3).replace(" ", "")) if m else 0
        if m and (date := _valid(year, int(m.group(2)), int(m.group(1)))):
            return iso(date)
        compact = re.sub(r"\s", "", candidate)
        m = _COMPACT.search(compact)
        if m and (date := _valid(int(m.group(3)), int(m.group(2)), int(m.group(1)))):
            return iso(date)
    for candidate in dict.fromkeys((runs, t)):
        m = _SLASH_AS_DIGIT.search(candidate)
        if m and (date := _valid(int(m.group(3)), int(m.group(2)), int(m.group(1)))):
            return iso(date)
    return None


def find_dates(text: str) -> list[str]:
    """All dates in ``text`` in ISO form, in order of appearance."""
    out: list[tuple[int, str]] = []
    folded = strip_diacritics(nfc(text))
    for m in _NGAY.finditer(folded):
        if v := normalize_date(m.group(0)):
            out.append((m.start(), v))
    for m in _DMY.finditer(text):
        if v := normalize_date(m.group(0)):
            out.append((m.start(), v))
    return [v for _, v in sorted(out)]


def normalize_expiry(text: str) -> str | None:
    """A date, or ``Không thời hạn`` when the card has no end date."""
    f = fold(text)
    if fuzz.partial_ratio("khong thoi han", f) >= 85 and not re.search(r"\d{4}", text):
        return NO_EXPIRY
    return normalize_date(text)


def normalize_sex(text: str) -> str | None:
    """``Nam`` / ``Nữ`` (also from M/F and OCR noise like ``Nir``, ``Nu``)."""
    t = nfc(text).strip()
    f = fold(t)
    if not f:
        return None
    tokens = f.split()
    for tok in tokens:
        if tok in {"nam", "male", "m"}:
            return "Nam"
        if tok in {"nu", "female", "f", "nir", "nix", "nit"}:
            return "Nữ"
    first = t.split()[0].lower() if t.split() else ""
    if re.search(r"n[uưữ]", t.lower()) or re.match(r"n[^ag\s]", f):
        return "Nữ"
    if first.startswith("n") and len(first) <= 3 and "a" not in fold(first):
        return "Nữ"
    if f.startswith("na") or tokens[0] in ("am", "arn"):
        return "Nam"  # ... or with its N lost to blur ("Giới tính S^: am")
    return None


def normalize_year(text: str) -> str | None:
    m = re.search(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text.translate(_DIGIT_FIX))
    return m.group(1) if m else None
