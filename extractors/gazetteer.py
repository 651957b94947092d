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

from extractors.normalize import clean_spaces, fold

log = logging.getLogger(__name__)

WARD_TYPES = ("Phường", "Xã", "Thị trấn", "P.", "X.", "TT.", "P", "X", "TT")
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
                upper = all(c.isupper() for c in name if c.isalpha())
                if words[0][:1].islower():
                    canon = canon.lower()  # "xã", "thành phố" as printed on a CMND
                split = (canon.upper() if upper else canon, name)
                if split != literal:
                    out.insert(0 if literal[0] else 1, split)
    return out


def _split_found(part: str, types: tuple[str, ...], options: list[str]):  # noqa: ANN202
    """``(type word, name as read, official name)`` of the first split whose name is
    found among ``options``; the literal split with ``None`` when none is."""
    for t, n in _type_splits(part, types):
        found = _best(n, options)
        if found is not None:
            return t, n, found
    return "", part, None


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
def _official_names() -> frozenset[str]:
    names = _names()
    every = [
        *names["provinces"].values(),
        *(v for d in names["districts"].values() for v in d.values()),
        *(v for ws in names["wards"].values() for v in ws),
    ]
    return frozenset(
        unicodedata.normalize("NFC", _plain(n)).lower() for n in every if isinstance(n, str)
    )


_UNIT_WORDS = re.compile(
    r"^(?:ubnd|ủy ban nhân dân|uỷ ban nhân dân|phường|xã|thị trấn|quận|huyện|thị xã|"
    r"thành phố|tỉnh|tp\.?|tx\.?|tt\.?|p\.|q\.|h\.)\s+",
    re.IGNORECASE,
)


def is_official_name(part: str) -> bool:
    """Whether one comma-separated part of an address ("thị xã Chũ", "Trù Hựu") names
    an official province, district or ward once its unit words are set aside: evidence
    for a place read two ways ("Trù Hựu", not "Trù Hựn")."""
    name = clean_spaces(part).strip(" .;:")
    for _ in range(3):  # "UBND phường Trù Hựu"
        stripped = _UNIT_WORDS.sub("", name)
        if stripped == name:
            break
        name = stripped
    name = unicodedata.normalize("NFC", name).lower()
    return bool(name) and name in _official_names()


def _plain(name: str) -> str:
    return re.sub(r"\s*\(.*?\)\s*$", "", name)


def _best(name: str, options: list[str]) -> str | None:
    """The one official spelling that clearly matches an OCR'd name, else None."""
    if not name or not options:
        return None
    # the package disambiguates some names ("Chi Lăng (Xã)"); papers print the name only
    options = [_plain(o) for o in options]
    if name in options:
        return name
    fn = fold(name)
    same = sorted({o for o in options if fold(o) == fn})
    if len(same) == 1:
        return same[0]
    if same:
        return None  # names that differ only in tone marks: no clear winner
    scored = sorted(((fuzz.ratio(fn, fold(o)), o) for o in set(options)), reverse=True)
    if not scored or len(fn) < 4:
        return None
    top, best = scored[0]
    second = scored[1][0] if len(scored) > 1 else 0
    if top >= 84 and top - second >= 8:
        return best
    return None


def correct_place(value: str) -> str:
    """Correct the unit names of an OCR'd address against the gazetteer.

    Only the ward, district and province names are touched, each only where one
    official name clearly wins (same letters up to diacritics, or a close match with a
    clear margin); the street part is kept as read, and so are the type words unless
    one was misread (:func:`_type_splits`).
    """
    names = _names()
    prov_opts = list(names["provinces"].values())
    value = _trim_after_province(value, prov_opts)
    parts = [p.strip() for p in value.split(",")]
    if len(parts) < 2:  # a province alone ("Tỉnh Bà Rịa - Vũng Tàu")
        t, n, prov = _split_found(parts[0], PROVINCE_TYPES, prov_opts)
        return f"{t} {_case_like(n, prov)}" if prov and t else value
    out = list(parts)
    # province: last part
    t, n, prov = _split_found(parts[-1], PROVINCE_TYPES, prov_opts)
    if prov is None:
        return value
    pk = next((k for k, v in names["provinces"].items() if _plain(v) == prov), None)
    if pk is None:
        return value
    out[-1] = (t + " " if t else "") + _case_like(n, prov)
    dopts = names["districts"].get(pk, {})
    t, n, dist = _split_found(parts[-2], DISTRICT_TYPES, list(dopts.values()))
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


_VN_CHARS = re.compile(r"^[A-Za-zÀ-ỹĐđ]+$")


def _noise(tokens: list[str]) -> bool:
    """Text after an address's province: stamp or signature-block noise, not address."""
    if not tokens:
        return False
    bad = 0
    for t in tokens:
        core = t.strip(".,;:")
        if not core or not _VN_CHARS.match(core) or core[0].islower() or len(core) == 1:
            bad += 1
    return bad >= max(1, len(tokens) // 2)


def _trim_after_province(value: str, prov_opts: list[str]) -> str:
    """``"..., Thành phố Hồ Chí Minh cấp/ 0ơte ý sse"`` -> ``"..., Thành phố Hồ Chí Minh"``:
    the last part is cut after the longest run of words naming a province, when what
    follows is noise."""
    parts = [p.strip() for p in value.split(",")]
    if len(parts) < 2:
        return value
    t, n = _split_type(parts[-1], PROVINCE_TYPES)
    words = n.split()
    if len(words) < 2 or _best(n, prov_opts) is not None:
        return value
    official = {fold(_plain(o)) for o in prov_opts}
    for k in range(len(words) - 1, 0, -1):
        head = " ".join(words[:k])
        if fold(head.rstrip(".")) in official:
            if _noise(words[k:]):
                parts[-1] = (t + " " if t else "") + head.rstrip(".")
                return ", ".join(parts)
            break
    return value


def _case_like(read: str, official: str) -> str:
    letters = [c for c in read if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return official.upper()
    return official
