"""Administrative units of Vietnam (63 provinces before, 34 after the 2025 reform), offline.

Backed by the data files that ``vietnamadminunits`` ships. Only its offline parser is
used: its ``convert_address`` geocodes addresses of split wards through an online
service (ArcGIS via geopy), so this module never calls it, reimplements the
conversion from the packaged tables, and disables the geocoder on import as a
second guard. A split ward gives candidates, never a guess.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extractors.normalize import clean_spaces, fold

log = logging.getLogger(__name__)

WARD_TYPES = ("Phường", "Xã", "Thị trấn", "Đặc khu", "P.", "X.", "TT.", "P", "X", "TT")
DISTRICT_TYPES = ("Quận", "Huyện", "Thị xã", "Thành phố", "TP.", "TP", "Q.", "H.", "TX.", "TX")
PROVINCE_TYPES = ("Tỉnh", "Thành phố", "TP.", "TP", "T.")


class NetworkRefused(RuntimeError):
    """Raised instead of any online geocoding from the admin-units package."""


def _no_geocoder(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
    raise NetworkRefused("online geocoding is disabled: address conversion runs offline")


@functools.cache
def _package():  # noqa: ANN202
    """Import ``vietnamadminunits`` lazily (about a second) with its geocoder disabled."""
    import vietnamadminunits
    from vietnamadminunits.converter import converter_2025
    from vietnamadminunits.parser import utils

    utils.get_geo_location = _no_geocoder
    converter_2025.get_geo_location = _no_geocoder
    utils.geolocator = None
    return vietnamadminunits


@functools.cache
def _data(name: str) -> dict:
    pkg = _package()
    path = Path(pkg.__file__).parent / "data" / name
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _parse_legacy(address: str):  # noqa: ANN202
    pkg = _package()
    try:
        return pkg.parse_address(address, mode="LEGACY", keep_street=True, level=3)
    except Exception as exc:  # the parser raises on addresses it cannot read
        log.debug("legacy parse failed: %s", type(exc).__name__)
        return None


@dataclass(frozen=True, slots=True)
class Conversion:
    certain: bool
    address: str | None
    """``street, new ward, new province`` when certain."""
    candidates: tuple[str, ...] = ()
    """Possible new wards (``ward, province``) when the old ward was split."""


def _split_type(part: str, types: tuple[str, ...]) -> tuple[str, str]:
    for t in sorted(types, key=len, reverse=True):
        if part.lower().startswith(t.lower() + " ") or (
            t.endswith(".") and part.lower().startswith(t.lower())
        ):
            return part[: len(t)], part[len(t) :].strip()
    return "", part


TYPE_WORDS = {
    "tinh": "Tỉnh", "thanh pho": "Thành phố", "huyen": "Huyện", "quan": "Quận",
    "thi xa": "Thị xã", "xa": "Xã", "phuong": "Phường", "thi tran": "Thị trấn",
    "dac khu": "Đặc khu",
}  # fmt: skip
"""Unit type words as printed in full, by folded key (abbreviations are kept as read)."""


def _type_splits(part: str, types: tuple[str, ...]) -> list[tuple[str, str]]:
    """Ways to read ``part`` as ``type word + name``, most literal first.

    Besides :func:`_split_type`: a full type word OCR'd with one letter wrong or in the
    wrong case (``Tình`` / ``1ình`` for ``Tỉnh``, ``XÃ`` before ``Bình Tâm``), spelt as
    printed in full, in the case of the name. The caller takes the first split whose
    name is found in the gazetteer, so a name like ``Quảng Nam`` is not cut as
    ``Quận`` + ``Nam``.
    """
    literal = _split_type(part, types)
    out = [literal]
    if literal[0] and fold(literal[0]) not in TYPE_WORDS:
        return out  # an abbreviation ("TP.", "P."), kept as read
    allowed = {k: v for k, v in TYPE_WORDS.items() if any(fold(x) == k for x in types)}
    words = part.split()
    for k in (2, 1):
        if len(words) <= k:
            continue
        head = fold(" ".join(words[:k]))
        for key, canon in allowed.items():
            if key.count(" ") != k - 1:
                continue
            if head == key or (len(key) >= 4 and _one_edit(head, key)):
                name = " ".join(words[k:])
                letters = [c for c in name if c.isalpha()] or [c for c in words[0] if c.isalpha()]
                upper = all(c.isupper() for c in letters)
                if words[0][:1].islower():
                    canon = canon.lower()  # "xã", "thành phố" as printed on a CMND
                split = (canon.upper() if upper else canon, name)
                if split != literal:
                    out.insert(0 if literal[0] else 1, split)
    return out


def _split_found(  # noqa: ANN202
    part: str, types: tuple[str, ...], options: list[str], *, fuzzy: bool = True
):
    """``(type word, name as read, official name)`` of the first split whose name is
    found among ``options`` (``fuzzy=False``: with the same letters up to diacritics);
    the literal split with ``None`` when none is."""
    splits = _type_splits(part, types)
    # letters as read first: a fuzzy match of the whole part would take a misread type
    # word for part of the name ("Xa Phước Trạch" ~ "Phước Trạch") and drop it
    for close in (False, True) if fuzzy else (False,):
        for t, n in splits:
            found = _best(n, options, fuzzy=close)
            if found is None and not close:
                found = _best(_number_name(n), options, fuzzy=False)
                if found is None and t and fold(t) in TYPE_WORDS:
                    # numbered units are named with their type word ("Phường 5")
                    found = _best(_number_name(f"{t} {n}"), options, fuzzy=False)
                    if found is not None:
                        return "", f"{t} {n}", found
            if found is not None:
                return t, n, found
    return "", part, None


_NUMBER_LOOKALIKES = str.maketrans({"§": "5", "S": "5", "O": "0", "o": "0", "D": "0",
                                    "l": "1", "I": "1", "|": "1", "!": "1", "B": "8"})  # fmt: skip


def _number_name(name: str) -> str:
    """A numbered unit's name with the look-alikes OCR reads for digits as digits
    (``§`` / ``l5`` -> ``5`` / ``15``; ``Phường §`` is ``Phường 5``); other names as read."""
    words = name.split()
    if not words or len(words[-1]) > 2 or not any(c in "§SODlI|!B0123456789" for c in words[-1]):
        return name
    last = words[-1].translate(_NUMBER_LOOKALIKES)
    return " ".join([*words[:-1], last]) if last.isdigit() else name


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one substituted, inserted or deleted character."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return a == b
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _new_names(ward_key: str | None, province_key: str) -> tuple[str | None, str | None]:
    pkg = _package()
    text = f"{ward_key}, {province_key}" if ward_key else province_key
    try:
        unit = pkg.parse_address(
            text, mode="FROM_2025", keep_street=False, level=2 if ward_key else 1
        )
    except Exception:  # pragma: no cover - package data inconsistency
        return None, None
    return unit.ward, unit.province


def convert_2025(address: str) -> Conversion | None:
    """The 2025 address (street, ward, province) of a pre-reform address, offline.

    ``None`` when the old units cannot be identified with confidence (then nothing is
    reported). The old ward, district and province must all be found in the printed
    text (folded), so a fuzzy parse never invents a conversion.
    """
    if not address or len(address) < 6:
        return None
    old = _parse_legacy(address)
    if old is None or not old.province_key or not old.ward_key or not old.district_key:
        return None
    folded = fold(address)
    for short in (old.short_ward, old.short_province):
        if not short or fold(short) not in folded:
            return None
    conv = _data("converter_2025.json")
    new_province = next(
        (k for k, v in conv["DICT_PROVINCE"].items() if old.province_key in v), None
    )
    if new_province is None:
        return None
    key = f"{old.province_key}_{old.district_key}_{old.ward_key}"
    same = conv["DICT_PROVINCE_WARD_NO_DIVIDED"].get(new_province, {})
    new_ward = next((k for k, v in same.items() if key in v), None)
    street = _street(address, old.short_ward)
    if new_ward is not None:
        ward_name, province_name = _new_names(new_ward, new_province)
        if not ward_name or not province_name:
            return None
        parts = [p for p in (street, ward_name, province_name) if p]
        return Conversion(True, clean_spaces(", ".join(parts)))
    divided = conv["DICT_PROVINCE_WARD_DIVIDED"].get(new_province, {}).get(key)
    if divided:
        names = []
        for w in divided:
            ward_name, province_name = _new_names(w["newWardKey"], new_province)
            if ward_name and province_name:
                names.append(f"{ward_name}, {province_name}")
        return Conversion(False, None, tuple(names))
    return None


def _street(address: str, short_ward: str | None) -> str:
    """The printed part before the ward (house number, street, hamlet)."""
    parts = [p.strip() for p in address.split(",")]
    if not short_ward:
        return ""
    fw = fold(short_ward)
    for i, p in enumerate(parts):
        if fold(_split_type(p, WARD_TYPES)[1]) == fw or fold(p).endswith(fw):
            return ", ".join(parts[:i])
    return ""


# ----------------------------------------------------------------------------- correction


@functools.cache
def _names() -> dict:
    """Official short names: provinces; districts per province; wards per district."""
    d = _data("parser_legacy.json")
    provinces = {k: v["provinceShort"] for k, v in d["DICT_PROVINCE"].items()}
    districts = {
        pk: {dk: dv["districtShort"] for dk, dv in dists.items()}
        for pk, dists in d["DICT_PROVINCE_DISTRICT"].items()
    }
    wards = {
        (pk, dk): [wv["wardShort"] for wv in ws.values()]
        for pk, dists in d["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].items()
        for dk, ws in dists.items()
    }
    return {"provinces": provinces, "districts": districts, "wards": wards}


@functools.cache
def _names_2025() -> dict:
    """Official short names after the 2025 reform: provinces; wards per province."""
    d = _data("parser_from_2025.json")
    provinces = {k: v["provinceShort"] for k, v in d["DICT_PROVINCE"].items()}
    wards = {
        pk: [w["wardShort"] for w in ws.values() if isinstance(w.get("wardShort"), str)]
        for pk, ws in d["DICT_PROVINCE_WARD_NO_ACCENTED"].items()
    }
    return {"provinces": provinces, "wards": wards}


@functools.cache
def _official_names() -> frozenset[str]:
    names = _names()
    new = _names_2025()
    every = [
        *names["provinces"].values(),
        *(v for d in names["districts"].values() for v in d.values()),
        *(v for ws in names["wards"].values() for v in ws),
        *new["provinces"].values(),
        *(v for ws in new["wards"].values() for v in ws),
    ]
    return frozenset(
        unicodedata.normalize("NFC", _plain(n)).lower() for n in every if isinstance(n, str)
    )


_UNIT_WORDS = re.compile(
    r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân|phường|xã|thị trấn|quận|huyện|thị xã|"
    r"thành phố|tỉnh|đặc khu|tp\.?|tx\.?|tt\.?|p\.|q\.|h\.|x\.|t\.)\s*",
    re.IGNORECASE,
)


def is_official_name(part: str) -> bool:
    """Whether one comma-separated part of an address ("thị xã Chũ", "Trù Hựu") names
    an official province, district or ward once its unit words are set aside: evidence
    for a place read two ways ("Trù Hựu", not "Trù Hựn")."""
    name = clean_spaces(part).strip(" .;:")
    official = _official_names()
    for _ in range(4):  # "UBND phường Trù Hựu"; "Quận 6" is named with its type word
        key = unicodedata.normalize("NFC", name).lower()
        if key and key in official:
            return True
        stripped = _UNIT_WORDS.sub("", name)
        if stripped == name:
            break
        name = stripped
    if name.isdigit():  # "P. 5", "Q. 3": numbered units are named "Phường 5", "Quận 3"
        return any(f"{t} {name}" in official for t in ("phường", "quận"))
    return False


def _plain(name: str) -> str:
    return re.sub(r"\s*\(.*?\)\s*$", "", name)


def _no_apostrophe(name: str) -> str:
    return fold(re.sub(r"['’ʼ`´]", "", name))


def _best(name: str, options: list[str], *, fuzzy: bool = True) -> str | None:
    """The one official spelling that clearly matches an OCR'd name, else None
    (``fuzzy=False``: only a name with the same letters up to diacritics)."""
    if not name or not options or fold(name) in TYPE_WORDS:
        return None  # a type word alone ("thành phố" at a line's end) names no unit
    # the package disambiguates some names ("Chi Lăng (Xã)"); papers print the name only
    options = [_plain(o) for o in options]
    if name in options:
        return name
    fn = fold(name)
    same = sorted({o for o in options if fold(o) == fn})
    if not same:  # a minority name's apostrophe lost or added ("Ea Hleo": Ea H'leo)
        same = sorted({o for o in options if _no_apostrophe(o) == _no_apostrophe(name)})
    if not same:  # a space lost between its syllables ("Đăk KơNing": Đăk Kơ Ning)
        glued = fn.replace(" ", "")
        same = sorted({o for o in options if fold(o).replace(" ", "") == glued})
    if len(same) == 1:
        return same[0]
    if same or not fuzzy:
        return None  # names that differ only in tone marks: no clear winner
    # a close match has as many words: a longer reading holds a unit word or a street
    # ("xã Trảng Bom" is not the district "Trảng Bom")
    fn = _no_apostrophe(name)  # "Đắk R'Lấp" is two words, as "Đắk Lấp" is
    n_words = len(fn.split())
    scored = sorted(
        (
            (fuzz.ratio(fn, _no_apostrophe(o)), o)
            for o in set(options)
            if len(_no_apostrophe(o).split()) == n_words
        ),
        reverse=True,
    )
    if not scored or len(fn) < 4:
        return None
    top, best = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0
    if top >= 84 and top - second >= 8:
        return best
    # a short name with one letter misread scores under 84 ("Yêu Mô", "Yên Mô": 83), or
    # one lost with its mark ("Đa Nông", "Đắk Nông": 80): the one option a single edit
    # away, marks aside, wins
    near = [o for _s, o in scored if _one_edit(fold(fn), fold(_no_apostrophe(o)))]
    if len(near) == 1 and len(fn) >= 5:
        return near[0]
    return None


NUMBERED = (
    "số", "số nhà", "nhà", "ấp", "thôn", "tổ", "tổ dân phố", "đội", "xóm", "khu phố", "khóm",
    "khu", "khối", "tiểu khu", "hẻm", "kiệt", "ngõ", "ngách", "km", "lô", "phòng", "căn hộ",
    "bản", "quốc lộ", "tỉnh lộ", "đường", "phường", "quận",
)  # fmt: skip
"""Words a house, lane or hamlet number follows (``Tổ l8`` is ``Tổ 18``)."""
_NUMBERED_KEYS = frozenset(fold(w) for w in NUMBERED)


def numbered_head(word: str, after: str) -> str:
    """An address's first word before a number, one letter misread ("Tế 10" for "Tổ
    10"): the one numbering word of :data:`NUMBERED` one edit away with the same first
    letter, capitalized; any other word as read."""
    f = fold(word).lower()
    after = _fix_number(after, True)  # "Thỏa I0.": its number's 1 read as I
    if len(f) < 2 or not re.fullmatch(r"\d+[A-Z]?[,.]?", after):
        return word
    if f in _NUMBERED_KEYS:
        # its marks misread ("Tố 12" for "Tổ 12"): the numbering word of those letters
        same = [w for w in NUMBERED if " " not in w and fold(w) == f]
        if len(same) == 1 and word[:1].isupper() and not word.isupper():
            return same[0].capitalize()
        return word
    near = [
        w for w in NUMBERED
        if " " not in w and fold(w)[0] == f[0] and Levenshtein.distance(fold(w), f) == 1
    ]  # fmt: skip
    return near[0].capitalize() if len(near) == 1 else word


def numbered_word(word: str) -> bool:
    """Whether ``word`` is one a house, lane or hamlet number follows ("Km", "Kiệt")."""
    return fold(word) in _NUMBERED_KEYS


_NUM_LOOKALIKES = str.maketrans({"l": "1", "I": "1", "†": "1", "O": "0", "§": "5", "ó": "6"})
_NUM_TOKEN = re.compile(  # an I before a digit is a 1 ("I62"); a last I a letter ("12I")
    r"^((?:[0-9lO§ó†]|I(?=[0-9lO§ó†]))+)((?:[/\-][0-9lO§ó†]+)*)([A-Z]|Bis|bis)?([,.;]?)$"
)


def _fix_number(token: str, after_word: bool) -> str:
    """A house or lane number with letters OCR reads for digits (``l41``, ``998/l§``,
    ``lO``) in digits; a token that is not such a number as read. Without a digit
    read, only after a numbering word (``Xóm lO``; ``I`` stays: ``Ấp I`` is a numeral)."""
    m = _NUM_TOKEN.match(token)
    if not m or token.isdigit():
        return token
    number = m.group(1) + m.group(2)
    if not any(c.isdigit() for c in number) and (not after_word or "I" in number):
        return token  # "Ấp I", "Đội II": Roman numerals; "Số I62" holds a digit
    if number.count("O") and not any(c.isdigit() or c in "l§" for c in number) and len(number) < 2:
        return token  # a lone "O"
    return number.translate(_NUM_LOOKALIKES) + (m.group(3) or "") + m.group(4)


def fix_numbers(part: str) -> str:
    """The numbers of an address part with their look-alike letters read as digits."""
    words = part.split()
    out = []
    for i, w in enumerate(words):
        prev = fold(" ".join(words[max(0, i - 3) : i]))
        after = any(prev == k or prev.endswith(" " + k) for k in _NUMBERED_KEYS)
        out.append(_fix_number(w, after))
    return " ".join(out)


STREET_TERMS = ("khu dân cư", "khu đô thị", "tổ dân phố", "khu phố", "tiểu khu", "số nhà",
                "chung cư", "căn hộ", "ngõ", "ngách", "hẻm", "kiệt", "thôn", "xóm", "ấp",
                "khóm", "khối", "đội", "bản", "buôn", "làng", "đường", "phố", "lô",
                # a birthplace's health facility
                "bệnh viện", "phụ sản", "đa khoa", "sản nhi", "trạm y tế", "trung tâm y tế",
                "nhà hộ sinh")  # fmt: skip
"""Address words before the units, spelt as printed when OCR misread a mark."""
_STREET_TERMS = {fold(t): t for t in STREET_TERMS}
_LOT = re.compile(r"[A-Z]{0,2}\d+[A-Z]?,?")


@functools.cache
def _unit_names(level: str) -> frozenset[str]:
    """Official short names of one level (``province`` or ``district``), old and 2025,
    in small letters."""
    names = _names()
    if level == "province":
        every = [*names["provinces"].values(), *_names_2025()["provinces"].values()]
    else:
        every = [v for d in names["districts"].values() for v in d.values()]
    return frozenset(
        unicodedata.normalize("NFC", _plain(n)).lower() for n in every if isinstance(n, str)
    )


_TYPE_WORDS = {"tinh": ("tỉnh", "province"), "huyen": ("huyện", "district")}


def fix_type_words(part: str) -> str:
    """``tính Hòa Bình`` -> ``tỉnh Hòa Bình``: a province's or district's type word read
    with another tone mark, where an official name of that level follows it."""
    words = part.split()
    for i, w in enumerate(words[:-1]):
        key = fold(w).lower()
        if key not in _TYPE_WORDS or w.lower() == _TYPE_WORDS[key][0]:
            continue
        spelt, level = _TYPE_WORDS[key]
        names = _unit_names(level)
        for n in (3, 2, 1):
            name = " ".join(words[i + 1 : i + 1 + n]).rstrip(",.;")
            if i + n < len(words) and name.lower() in names:
                words[i] = spelt.capitalize() if w[:1].isupper() else spelt
                break
    return " ".join(words)


def fix_street_terms(part: str) -> str:
    """``khu dân cự`` -> ``khu dân cư``, ``Lộ C35`` -> ``Lô C35``: a known multi-word
    term, or an address word opening a part before its number, whose marks were
    misread, spelt as the term in the case read. ``Quốc lộ 1A`` stays (a road)."""
    words = part.split()
    out = list(words)
    i = 0
    while i < len(words):
        done = False
        for n in (3, 2, 1):
            if i + n > len(words):
                continue
            chunk = words[i : i + n]
            term = _STREET_TERMS.get(fold(" ".join(chunk)))
            if term is None or len(term.split()) != n:
                continue  # ("Dương ‹" folds as "đường" does: a symbol is no word)
            nxt = words[i + 1] if i == 0 and i + 1 < len(words) else ""
            # ... but a part opening with "Thôn" or "Xóm" before a name names a hamlet
            hamlet = fold(chunk[0]) in ("thon", "xom") and nxt[:1].isupper()
            if n == 1 and not (nxt and (_LOT.fullmatch(nxt) or hamlet)):
                continue  # one word alone may be a name ("Láng Hạ", "Đồi Ngô")
            read = " ".join(chunk)
            if read.lower() != term:
                # each word in the case read ("Bệnh viện San Nhi": "Sản Nhi")
                spelt = [
                    w.capitalize() if r[:1].isupper() else w
                    for w, r in zip(term.split(), chunk, strict=True)
                ]
                out[i : i + n] = spelt
            i += n
            done = True
            break
        if not done:
            i += 1
    return " ".join(out)


def correct_place(value: str) -> str:
    """Correct the unit names of an OCR'd address against the gazetteer.

    Only the ward, district and province names are touched, each only where one
    official name clearly wins (same letters up to diacritics, or a close match with a
    clear margin); the street part is kept as read, and so are the type words unless
    one was misread (:func:`_type_splits`).
    """
    names = _names()
    prov_opts = list(names["provinces"].values())
    value = _end_at_inner_province(value, prov_opts)
    value = _trim_after_province(value, prov_opts)
    value = _province_comma_lost(value)
    value = _district_comma_lost(value, prov_opts)
    value = _type_word_comma_lost(value)
    value = _comma_inside_province(value, prov_opts)
    value = ", ".join(
        fix_type_words(fix_street_terms(fix_numbers(p.strip()))) for p in value.split(",")
    )
    parts = [p.strip() for p in value.split(",")]
    if len(parts) < 2:  # a province alone ("Tỉnh Bà Rịa - Vũng Tàu")
        t, n, prov = _split_found(parts[0], PROVINCE_TYPES, prov_opts)
        if prov and t:
            return f"{t} {_case_like(n, prov)}"
        # ... or ending a place ("Bệnh viện Phụ sản tỉnh Điện Biện"): the province with
        # the same letters, marks aside
        m = re.search(r"\b(?:[Tt]ỉnh|[Tt]hành phố) (\w[\w ]*)$", parts[0])
        prov = _best(m.group(1), prov_opts, fuzzy=False) if m else None
        return parts[0][: m.start(1)] + _case_like(m.group(1), prov) if m and prov else value
    value = _first_letter_case(value)
    parts = [p.strip() for p in value.split(",")]
    out = list(parts)
    # province: last part, after a speck or two read before its type word ("..., Huyện
    # Trà Cú, HỤ Tỉnh Trà Vinh": a stamp's edge on the row the province wrapped to)
    m = re.match(r"(?:\S{1,3}\s+){1,2}((?:[Tt]ỉnh|[Tt]hành phố)\s.+)$", parts[-1])
    if m and all(_split_found(m.group(1), PROVINCE_TYPES, prov_opts)[::2]):
        parts[-1] = out[-1] = m.group(1)
    t, n, prov = _split_found(parts[-1], PROVINCE_TYPES, prov_opts)
    if prov is None and (whole := _province_from_start(parts[-1], prov_opts)) is not None:
        t, n, prov = whole  # its last word lost at the line's end ("Tỉnh Nghệ")
    if prov is None and len(parts) >= 2 and n:
        # misread as near two provinces ("Đa Nông": Đắk Nông, Đà Nẵng): the one its
        # district lies in, when only one province has it and the reading resembles it
        named = _province_of_district(parts[-2])
        if named is not None and (
            _one_edit(fold(n), fold(named)) or fuzz.ratio(fold(n), fold(named)) >= 80
        ):
            prov = named
    if prov is None and len(parts) >= 2 and n and (named := _province_of_district(parts[-2])):
        # its last word lost at the line's end ("Huyện Thanh Bình, Đồng"; "Thị xã Thuận
        # Thành, Tính Bắc", its type word misread too): the province of that district,
        # when the reading opens its name
        full = fold(named).split()
        for tt, nn in _type_splits(parts[-1], PROVINCE_TYPES):
            words = fold(nn).split()
            if words and len(words) < len(full) and full[: len(words)] == words:
                t, prov, n = tt, named, named
                break
            if (
                len(words) == len(full) >= 2
                and words[:-1] == full[:-1]
                and words[-1][:1] == full[-1][:1]
            ):
                # its last word's letters lost but the first ("Huyện Phước Long, Bạc Lo")
                t, prov, n = tt, named, named
                break
    if prov is None and len(parts) >= 2 and fold(parts[-1]) in ("tinh", "thanh pho"):
        named = _province_of_district(parts[-2])  # its name lost: "Huyện Bắc Bình, Tỉnh"
        if named is not None:
            return correct_place(", ".join([*parts[:-1], f"{parts[-1]} {named}"]))
    if prov is None:
        return _correct_2025(value, parts)
    pk = next((k for k, v in names["provinces"].items() if _plain(v) == prov), None)
    if pk is None:
        return value
    out[-1] = (t + " " if t else "") + _case_like(n, prov)
    dopts = names["districts"].get(pk, {})
    t, n, dist = _split_found(parts[-2], DISTRICT_TYPES, list(dopts.values()))
    if dist is None:
        fixed = _correct_2025(", ".join(out), out)
        if fixed != ", ".join(out):
            log.info("place names corrected against the 2025 gazetteer")
            return fixed
    if dist is not None and (len(parts) >= 3 or t):
        out[-2] = (t + " " if t else "") + _case_like(n, dist)
        dk = next((k for k, v in dopts.items() if _plain(v) == dist), None)
        if len(parts) >= 3 and dk:
            t, n, ward = _split_found(parts[-3], WARD_TYPES, names["wards"].get((pk, dk), []))
            if ward is not None:
                out[-3] = (t + " " if t else "") + _case_like(n, ward)
    fixed = ", ".join(out)
    if fixed != value:
        log.info("place names corrected against the gazetteer")
    return fixed


def units_only(value: str) -> str:
    """A place printed as units only (ward, district, province: a card's place of origin
    or of birth registration) with a garbled label before its ward ("Phạce ofbrf tì Mỹ
    Xuyên, Mỹ Xuyên, Sóc Trăng"): the ward part from the last words that name a ward
    of that district (its type word with it, letters as read up to one edit); as read
    when the district is not found or no ward name ends the part."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 3:
        return value
    names = _names()
    _t, _n, prov = _split_found(parts[2], PROVINCE_TYPES, list(names["provinces"].values()))
    pk = next((k for k, v in names["provinces"].items() if prov and _plain(v) == prov), None)
    if pk is None:
        return value
    dopts = names["districts"].get(pk, {})
    _t, _n, dist = _split_found(parts[1], DISTRICT_TYPES, list(dopts.values()))
    dk = next((k for k, v in dopts.items() if dist and _plain(v) == dist), None)
    words = parts[0].split()
    if dk is None or len(words) < 2:
        return value
    wards = {fold(_plain(w)) for w in names["wards"].get((pk, dk), [])}
    if fold(_split_type(parts[0], WARD_TYPES)[1]) in wards:
        return value  # "Tân Thành" whole, where "Thanh" is a ward of the district too
    for k in range(len(words) - 1, 0, -1):  # the longest tail first, leaving a word out
        t, n = _split_type(" ".join(words[-k:]), WARD_TYPES)
        if t and k == 1:
            continue
        if any(fold(n) == w or (len(w) >= 6 and _one_edit(fold(n), w)) for w in wards):
            head = words[: len(words) - k]
            if _is_unit_word(head[-1]) or any(_place_head(w) for w in head):
                return value  # "Xã Tân Long": the type word is its own; "Thôn 3 ..."
            return ", ".join([" ".join(words[-k:]), *parts[1:]])
    return value


_PLACE_HEAD_WORDS = {fold(w): w for w in ("thôn", "xóm", "ấp", "bản", "tổ", "số", "khu",
                                            "đội", "buôn", "làng", "khóm", "khối", "phố",
                                            "đường", "ngõ", "hẻm", "km")}  # fmt: skip
"""Words that open a hamlet or a street (a place of more than units), by folded form."""


def _place_head(word: str) -> bool:
    """A word that opens a hamlet or a street (:data:`_PLACE_HEAD_WORDS`): capitalized, or
    with its own marks - "bướn" before a ward is a label's scrap, not "Buôn"."""
    canon = _PLACE_HEAD_WORDS.get(fold(word))
    if canon is None:
        return False
    return word[:1].isupper() or word.isascii() or word.lower() == canon


def _is_unit_word(word: str) -> bool:
    return fold(word).strip(".") in ("xa", "phuong", "tran", "x", "p", "tt")


def _province_from_start(part: str, options: list[str]):  # noqa: ANN202
    """``(type word, name, official name)`` when ``part`` is a type word and the first
    words of one province's name only ("Tỉnh Nghệ" -> Nghệ An; "Tỉnh Hà" is four)."""
    for t, n in _type_splits(part, PROVINCE_TYPES):
        if not t or not n:
            continue
        words = n.split()
        found = [o for o in options if _plain(o).split()[: len(words)] == words
                 and len(_plain(o).split()) > len(words)]  # fmt: skip
        if len(found) == 1:
            return t, _plain(found[0]), _plain(found[0])
    return None


def _province_of_district(part: str) -> str | None:
    """The province of a district named with its type word (without it, spelt with the
    same letters, marks aside: "Quỳnh Nhai"), when only one province has a district of
    that name."""
    keys = _district_keys()
    t, _n, dist = _split_found(part, DISTRICT_TYPES, list(keys))
    if dist is not None and not t:
        dist = _best(part, list(keys), fuzzy=False)
    if dist is None:
        return None
    found = keys[dist]
    typed = _DISTRICT_TYPE_KEYS.get(fold(t).replace(" ", "")) if t else None
    if typed and len({pk for pk, _dk in found}) > 1:
        # its type word tells namesakes apart ("Huyện Phước Long" is Bạc Liêu's; "Thị
        # xã Phước Long" Bình Phước's)
        found = tuple((pk, dk) for pk, dk in found if dk.startswith(typed))
    provinces = {pk for pk, _dk in found}
    if len(provinces) != 1:
        return None
    return _plain(_names()["provinces"][provinces.pop()])


_DISTRICT_TYPE_KEYS = {"huyen": "huyen", "h": "huyen", "quan": "quan", "q": "quan",
                       "thixa": "thixa", "tx": "thixa", "thanhpho": "thanhpho",
                       "tp": "thanhpho"}  # fmt: skip
"""A district's type word (folded, spaces removed) -> how its gazetteer keys begin."""


def province_alone(text: str) -> bool:
    """Whether ``text`` is a province with its type word and nothing else ("Tỉnh Hà
    Tĩnh", "Thành phố Hà Nội", read "Tỉnh Ha Tĩnh"): a birthplace a card prints alone."""
    part = clean_spaces(text).strip(" .;:")
    if "," in part or not part:
        return False
    t, _, prov = _split_found(part, PROVINCE_TYPES, list(_names()["provinces"].values()))
    return bool(t) and prov is not None


@functools.cache
def _district_keys() -> dict[str, tuple[tuple[str, str], ...]]:
    """Every district's official short name -> its (province, district) keys."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for pk, dists in _names()["districts"].items():
        for dk, name in dists.items():
            out[_plain(name)] = (*out.get(_plain(name), ()), (pk, dk))
    return out


def correct_ward_district(value: str) -> str:
    """``xã A, huyện B`` with no province (as a registering authority prints it): the
    district corrected among every province's districts where one name clearly wins and
    its type word was read, then the ward among that district's wards (when the name
    is one district's only); as read otherwise."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2:
        return value
    keys = _district_keys()
    t, n, dist = _split_found(parts[1], DISTRICT_TYPES, list(keys))
    if dist is None or not t:
        return value
    first = parts[0]
    if len(keys[dist]) == 1:
        wards = _names()["wards"].get(keys[dist][0], [])
        tw, nw, ward = _split_found(parts[0], WARD_TYPES, wards)
        if ward is not None:
            first = (tw + " " if tw else "") + _case_like(nw, ward)
    return f"{first}, {t} {_case_like(n, dist)}"


_CASE_ALIKE = frozenset("cosvwxzp")
"""Letters whose capital is their small letter drawn larger: OCR mixes their case."""
_TYPE_HEAD = re.compile(r"(?:^|,\s*)(Phường|Xã|Thị trấn|Quận|Huyện|Thị xã|Thành phố|Tỉnh)\s")


def _first_letter_case(value: str) -> str:
    """``xã Ngọc Sơn, Thành phố Hải Dương`` -> ``Xã Ngọc Sơn, ...``: an address opening
    with a small letter whose capital looks the same (x, s, c, o, v...) is capitalized
    when its unit words are; one that prints them small (``xã .., huyện ..``) stays."""
    if not value or value[0] not in _CASE_ALIKE or not _TYPE_HEAD.search(value):
        return value
    if re.search(r"(?:^|,\s*)(phường|xã|thị trấn|quận|huyện|thị xã|thành phố|tỉnh)\s", value[1:]):
        return value  # unit words in small letters elsewhere: the style of the paper
    return value[0].upper() + value[1:]


def _correct_2025(value: str, parts: list[str]) -> str:
    """A two-level address (ward, province: the 2025 units) with its names corrected:
    the province among the 34, the part before it only when it is written with its
    ward type word ("Xã Trảng Bom", "Phường Hồng Hà"), among that province's wards."""
    if len(parts) < 2:
        return value
    new = _names_2025()
    # the province by its letters only: a fuzzy match among the 34 would turn a merged
    # province into a neighbour ("Quảng Nam" ~ "Quảng Ngãi")
    provinces = list(new["provinces"].values())
    t, n, prov = _split_found(parts[-1], PROVINCE_TYPES, provinces, fuzzy=False)
    if prov is None:
        return value
    pk = next((k for k, v in new["provinces"].items() if _plain(v) == prov), None)
    if pk is None:
        return value
    wt, wn, ward = _split_found(parts[-2], WARD_TYPES, new["wards"].get(pk, []))
    if ward is None or not wt or fold(wt) not in TYPE_WORDS:
        return value
    out = list(parts)
    out[-1] = (t + " " if t else "") + _case_like(n, prov)
    out[-2] = f"{wt} {_case_like(wn, ward)}"
    return ", ".join(out)


_VN_CHARS = re.compile(r"^[A-Za-zÀ-ỹĐđ]+$")


def _noise(tokens: list[str]) -> bool:
    """Text after an address's province: stamp or signature-block noise, not address."""
    if not tokens:
        return False
    bad = 0
    for t in tokens:
        core = t.strip(".,;:")
        # ... a capital after small letters ("IeuC") is no word's either
        mixed = not core.isupper() and any(c.isupper() for c in core[1:])
        if not core or not _VN_CHARS.match(core) or core[0].islower() or len(core) == 1 or mixed:
            bad += 1
    return bad >= max(1, len(tokens) // 2)


def _province_comma_lost(value: str) -> str:
    """``"Xã Cao Kỳ, Huyện Chợ Mới Bắc Kạn"`` -> ``"..., Huyện Chợ Mới, Bắc Kạn"``: the
    comma before a province printed without its type word, lost by OCR; put back only
    where the words before it name, with their type word, a district of that province
    (so that a place named like a province, "Xã Hòa Bình", stays whole)."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) < 2:
        return value
    names = _names()
    words = parts[-1].split()
    for k in (3, 2, 1):
        if len(words) < k + 2:
            continue
        tail = fold(" ".join(words[-k:]))
        pk = next((key for key, v in names["provinces"].items() if fold(_plain(v)) == tail), None)
        if pk is None:
            continue
        head = " ".join(words[:-k])
        districts = list(names["districts"].get(pk, {}).values())
        t, _n, dist = _split_found(head, DISTRICT_TYPES, districts, fuzzy=False)
        if t and dist is not None:
            return ", ".join([*parts[:-1], head, " ".join(words[-k:])])
    return value


def _district_comma_lost(value: str, prov_opts: list[str]) -> str:
    """``"Ba Hàng Đồi Lạc Thủy, Hòa Bình"`` -> ``"Ba Hàng Đồi, Lạc Thủy, Hòa Bình"``: the
    comma between a ward and a district printed without type words (a Căn cước back's
    places), lost by OCR; put back where the last words before the province, marks
    aside, are the name of one of its districts and the words before them, capitalized,
    open with no type word (so that "Thị trấn Cái Nước, Cà Mau" or a 2025 ward named
    after a former district, "Phường Nam Gia Nghĩa, Lâm Đồng", stays whole)."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) != 2:
        return value
    _t, _n, prov = _split_found(parts[-1], PROVINCE_TYPES, prov_opts, fuzzy=False)
    names = _names()
    pk = next((k for k, v in names["provinces"].items() if _plain(v) == prov), None)
    if pk is None:
        return value
    districts = {fold(_plain(d)): d for d in names["districts"].get(pk, {}).values()}
    words = parts[0].split()
    for k in (3, 2):
        if len(words) < k + 2 or fold(" ".join(words[-k:])) not in districts:
            continue
        head = " ".join(words[:-k])
        if not all(w[:1].isupper() for w in words) or _split_type(head, WARD_TYPES)[0]:
            continue  # a ward with its type word is printed with the district's too
        return ", ".join([head, " ".join(words[-k:]), parts[-1]])
    return value


_TYPE_WORD_INSIDE = re.compile(r"(?<=\S) (?=(?:Huyện|Quận|Thị xã|Thành phố|Tỉnh) (?!lộ\b)[^\W\d_])")


def _type_word_comma_lost(value: str) -> str:
    """A district's or province's type word, capitalized, inside a part after two words
    or more of it, before a name: the comma before it was lost ("Xã Kiên Đài Huyện
    Chiêm Hóa", "Huyện Vụ Bản Tỉnh Nam Định"); not "Tỉnh lộ 10", a provincial road, nor
    a facility's "tỉnh" in small letters ("Bệnh viện Đa khoa tỉnh Phú Thọ")."""
    out = []
    for part in value.split(","):
        pieces, start = [], 0
        for m in _TYPE_WORD_INSIDE.finditer(part):
            name = part[m.end() :].split()[1:2] if not part[m.end() :].startswith(
                ("Thị xã", "Thành phố")
            ) else part[m.end() :].split()[2:3]  # fmt: skip
            if len(part[start : m.start()].split()) >= 2 and name and name[0][:1].isupper():
                pieces.append(part[start : m.start()])
                start = m.end()
        pieces.append(part[start:])
        out.append(", ".join(pieces))
    return ",".join(out)


def _comma_inside_province(value: str, prov_opts: list[str]) -> str:
    """``"..., Tính Hà, Nam"`` -> ``"..., Tính Hà Nam"``: a speck read as a comma inside
    the province's name; the last two parts joined name a province (its letters, marks
    aside) and the last alone does not."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) < 3 or len(parts[-1].split()) > 2:
        return value
    joined = f"{parts[-2]} {parts[-1]}"
    if _split_found(parts[-1], PROVINCE_TYPES, prov_opts, fuzzy=False)[2] is not None:
        return value
    t, _n, prov = _split_found(joined, PROVINCE_TYPES, prov_opts, fuzzy=False)
    if prov is None or not (t or len(parts[-2].split()) <= 2):
        return value
    return ", ".join([*parts[:-2], joined])


_CENTRAL_CITIES = ("ha noi", "ho chi minh", "da nang", "hai phong", "can tho")
"""Cities ranked as provinces: "Thành phố" names no district of theirs."""


def _end_at_inner_province(value: str, prov_opts: list[str]) -> str:
    """An address read on into the next field (a Căn cước back's residence into the
    misread registration label and its place): it ends at its province, which the
    units print last. A part from the third on opening with "Tỉnh" (or "Thành phố" of a
    city ranked as a province) and a province's name, with more parts after it, ends
    there ("..., Tỉnh Bắc Giang Nga đăngkykna snh Phường 3, Thị xã Cai Lậy, Tiền
    Giang"); so does a province's name alone before a part of noise ("..., Bà Rịa -
    Vũng Tàu, JJ* L xesag/Pooeofbrtr - ..."). A province named like a district or city
    before it ("Bắc Ninh, Bắc Ninh") is not followed by noise and stays."""
    parts = [p.strip() for p in value.split(",")]
    official = {fold(_plain(o)): o for o in prov_opts}
    for i in range(2, len(parts) - 1):
        t, n = _split_type(parts[i], PROVINCE_TYPES)
        words = n.split()
        if t and (fold(t) == "tinh" or fold(" ".join(words[:3])) in _CENTRAL_CITIES):
            for k in range(min(4, len(words)), 0, -1):
                if fold(" ".join(words[:k])) in official:
                    return ", ".join([*parts[:i], f"{t} {' '.join(words[:k])}"])
        if not t and fold(parts[i]) in official and _noise(parts[i + 1].split()[:3]):
            return ", ".join(parts[: i + 1])
    return value


def _trim_after_province(value: str, prov_opts: list[str]) -> str:
    """``"..., Thành phố Hồ Chí Minh cấp/ 0ơte ý sse"`` -> ``"..., Thành phố Hồ Chí Minh"``:
    the last part is cut after the longest run of words naming a province, when what
    follows is noise."""
    parts = [p.strip() for p in value.split(",")]
    official = {fold(_plain(o)) for o in prov_opts}
    official |= {name.replace(" ", "") for name in official}  # "GiaLAi": a space lost
    # the type word as read first, then misread ("Tính Hà Nam / 0s» efss 09/02/2025")
    for t, n in _type_splits(parts[-1], PROVINCE_TYPES):
        if len(parts) < 2 and not t:
            continue  # one part: only a province with its type word is cut
        words = n.split()
        if len(words) < 2 or _best(n, prov_opts) is not None:
            return value
        for k in range(len(words) - 1, 0, -1):
            head = " ".join(words[:k])
            if fold(head.rstrip(".")) in official:
                # noise, or a heading in capitals after a name that is not ("tỉnh Bình
                # Thuận GIÁM ĐỐC CA TỈNH SƠN LA": the signer's title below the address)
                caps = len(words) - k >= 2 and all(w.isupper() for w in words[k:])
                if _noise(words[k:]) or (caps and not head.isupper()):
                    parts[-1] = (t + " " if t else "") + head.rstrip(".")
                    return ", ".join(parts)
                break
    return value


def _case_like(read: str, official: str) -> str:
    letters = [c for c in read if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return official.upper()
    head, _, rest = official.partition(" ")
    if read[:1].islower() and rest and fold(head) in TYPE_WORDS:
        return f"{head.lower()} {rest}"  # "phường 10" as a certificate prints it
    return official


def unknown_units(value: str) -> list[str]:
    """The unit parts of an address (the last two: province, and district or ward) that
    name no official unit, old or 2025: a misreading the gazetteer could not correct."""
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if len(parts) < 2:
        return []
    # two parts: the first may be a street or a hamlet ("Tổ 3, Hà Nội")
    checked = parts[-2:] if len(parts) >= 3 else parts[-1:]
    return [part for part in checked if not is_official_name(part)]
