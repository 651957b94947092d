"""Printed fields of every document type: labels, sections, value kinds.

One table per document type says which labels (Vietnamese and English variants, as
printed on the different issues of each paper) introduce which field, and what kind
of value follows. :func:`read_fields` applies a table to the rows of a region.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extractors import normalize as nz
from extractors.labels import Hit, Row, Value, find_hits, gb, row_contains, value_after
from ocr.types import BBox, Word, union_bbox


@dataclass(frozen=True, slots=True)
class Spec:
    key: str
    group: str
    kind: str = "text"
    """text, name, date, expiry, sex, id, year, number, address."""
    section: str | None = None
    multiline: bool = False


@dataclass(frozen=True, slots=True)
class Reading:
    key: str
    value: str
    raw: str
    confidence: float
    bbox: BBox | None
    words: tuple[Word, ...] = ()


# Label groups: folded variants are matched fuzzily; English parts are stripped from values.
LABELS: dict[str, tuple[str, ...]] = {
    "full_name": ("Họ và tên", "Họ, chữ đệm và tên khai sinh", "Họ, chữ đệm, tên khai sinh",
                  "Họ và tên khai sinh", "Họ, chữ đệm và tên",
                  "Họ, chữ đệm, tên", "Họ tên", "Full name",
                  "Surname, middle and given name"),
    "dob": ("Ngày sinh", "Ngày, tháng, năm sinh", "Sinh ngày", "Date of birth",
            "tháng, năm sinh"),  # its first word lost to OCR ("X£âx, tháng, năm sinh:")
    "sex": ("Giới tính", "Sex"),
    "nationality": ("Quốc tịch", "Nationality"),
    "origin": ("Quê quán", "Nguyên quán", "Place of origin"),
    "residence": ("Nơi thường trú", "Nơi ĐKHK thường trú", "Place of residence", "Nơi cư trú",
                  "Hộ khẩu thường trú"),
    "expiry": ("Có giá trị đến", "Ngày, tháng, năm hết hạn", "Ngày hết hạn", "Date of expiry",
               "Giá trị đến"),
    "id": ("Số định danh cá nhân", "Số định danh", "Số CCCD", "Số CMND",
           "Personal identification number",
           "Số giấy tờ tùy thân", "Giấy tờ tùy thân",
           "CCCD số",  # "Giất từ tũA thân: CCCD số ...": the long label garbled
           "Số ĐDCN",  # abbreviated on CT07 ("Số ĐDCN/CMND:")
           "Số Giấy CMND/Hộ chiếu", "Số CMND/Hộ chiếu"),  # 2006-2015 certificates
    "personal_identification": ("Đặc điểm nhân dạng", "Personal identification",
                                "Dấu vết riêng và dị hình"),
    "issue": ("Ngày, tháng, năm cấp", "Ngày cấp", "Date of issue", "Ngày, tháng, năm",
              "Date, month, year"),
    "birth_registration": ("Nơi đăng ký khai sinh", "Place of birth"),
    "pob": ("Nơi sinh", "Sinh tại"),
    "ethnicity": ("Dân tộc", "Ethnicity"),
    "mother": ("Họ, chữ đệm, tên người mẹ", "Họ và tên người mẹ", "Họ tên mẹ", "Họ và tên mẹ",
               "Họ, chữ đệm và tên người mẹ"),
    "father": ("Họ, chữ đệm, tên người cha", "Họ và tên người cha", "Họ tên cha", "Họ và tên cha",
               "Họ, chữ đệm và tên người cha"),
    "birth_year": ("Năm sinh", "Sinh năm"),
    "reg_number": ("Số đăng ký", "Số:", "Số."),  # the colon often read as a dot
    "reg_book": ("Quyển số",),
    "reg_date": ("Ngày đăng ký", "Ngày, tháng, năm đăng ký", "Đăng ký ngày",
                 "tháng, năm đăng ký", "Ngày đăng ký kết hôn"),
    "reg_authority": ("Nơi đăng ký", "Cơ quan đăng ký", "Nơi đăng ký khai sinh",
                      "Nơi đăng ký kết hôn", "Cơ quan đăng ký kết hôn",
                      "Cơ quan đăng ký khai sinh"),
    "declarant": ("Họ, chữ đệm, tên người đi khai sinh", "Người đi khai sinh",
                  "Họ và tên người đi khai sinh"),
    "in_words": ("ghi bằng chữ", "Bằng chữ"),
    "head_id": ("Số định danh cá nhân của chủ hộ", "Số định danh cá nhân/CMND của chủ hộ",
                "Số ĐDCN/CMND của chủ hộ", "Số ĐDCN của chủ hộ"),
    "members": ("Thông tin thành viên hộ gia đình",
                "Thông tin các thành viên trong hộ gia đình",
                "Thông tin về các thành viên khác trong hộ gia đình",
                "Thông tin về thành viên trong hộ gia đình"),
    "use_form": ("Hình thức sử dụng",),
    "origin_of_use": ("Nguồn gốc sử dụng",),
    "perm_address": ("Địa chỉ thường trú",),
    "~fingers": ("Ngón trỏ trái", "Ngón trỏ phải"),
    "stop_back": ("CỤC TRƯỞNG", "Ngày", "BỘ CÔNG AN", "MINISTRY OF PUBLIC SECURITY"),
    # CT07 of 2023 prints "Nơi cư trú" where the older form had "Nơi thường trú"
    "permanent": ("Nơi thường trú", "Địa chỉ thường trú", "Hộ khẩu thường trú", "Nơi cư trú",
                  "Địa chỉ cư trú"),
    "temporary": ("Nơi tạm trú", "Địa chỉ tạm trú"),
    "current": ("Nơi ở hiện tại", "Nơi ở hiện nay", "Chỗ ở hiện nay", "Chỗ ở hiện tại"),
    "head": ("Họ, chữ đệm và tên chủ hộ", "Họ và tên chủ hộ", "Họ tên chủ hộ", "Chủ hộ"),
    "relationship": ("Quan hệ với chủ hộ", "Mối quan hệ với chủ hộ"),
    # land certificates: 2009-2014 and 2014-2024 issues ("a) Thửa đất số: ..., tờ bản đồ
    # số: ...", "đ) Mục đích sử dụng đất:"), the 2024 issue ("Loại đất:"), older red books
    "parcel": ("Thửa đất số", "Số thửa", "Số thửa đất"),
    "map_sheet": ("Tờ bản đồ số", "Số tờ bản đồ", "Tờ bản đồ"),
    "parcel_address": ("Địa chỉ", "Địa chỉ thửa đất", "Địa chỉ đất"),
    "area": ("Diện tích", "Diện tích đất"),
    "purpose": ("Mục đích sử dụng", "Loại đất"),  # "... sử dụng đất:": see convert()
    "term": ("Thời hạn sử dụng", "Thời hạn sử dụng đất", "Thời hạn"),
    "holder": ("Ông:", "Bà:", "Người sử dụng đất", "Chủ sử dụng"),
    "husband": ("Chồng", "Thông tin người chồng"),
    "wife": ("Vợ", "Thông tin người vợ"),
    # the 2006-2015 marriage certificate: the name label opens the spouse's section
    "husband_full": ("Họ và tên chồng", "Họ tên chồng", "Họ, chữ đệm, tên chồng",
                     "Họ, chữ đệm và tên chồng", "Họ và tên người chồng"),
    "wife_full": ("Họ và tên vợ", "Họ tên vợ", "Họ, chữ đệm, tên vợ", "Họ, chữ đệm và tên vợ",
                  "Họ và tên người vợ"),
}  # fmt: skip

ENGLISH = ("Full name", "Date of birth", "Sex", "Nationality", "Place of origin",
           "Place of residence", "Date of expiry", "Personal identification number",
           "Personal identification", "Date of issue", "Date, month, year", "Place of birth",
           "Surname, middle and given name", "Ethnicity", "No.")  # fmt: skip

S = Spec
SPECS: dict[str, tuple[Spec, ...]] = {
    "cccd_front": (
        S("full_name", "full_name", "name"),
        S("date_of_birth", "dob", "date"),
        S("sex", "sex", "sex"),
        S("nationality", "nationality", "nationality"),
        S("place_of_origin", "origin", "address", multiline=True),
        S("place_of_residence", "residence", "address", multiline=True),
        S("date_of_expiry", "expiry", "expiry"),
    ),
    "cccd_back": (
        S("personal_identification", "personal_identification", "pi", multiline=True),
        S("date_of_issue", "issue", "date"),
    ),
    "cancuoc_front": (
        S("full_name", "full_name", "name"),
        S("date_of_birth", "dob", "date"),
        S("sex", "sex", "sex"),
        S("nationality", "nationality", "nationality"),
    ),
    "cancuoc_back": (
        S("place_of_residence", "residence", "address", multiline=True),
        S("place_of_birth_registration", "birth_registration", "address", multiline=True),
        S("date_of_issue", "issue", "date"),
        S("date_of_expiry", "expiry", "expiry"),
    ),
    "cmnd": (
        S("full_name", "full_name", "name"),
        S("date_of_birth", "dob", "date"),
        S("place_of_origin", "origin", "address", multiline=True),
        S("place_of_residence", "residence", "address", multiline=True),
    ),
    "birth_certificate": (
        S("full_name", "full_name", "name", section="child"),
        S("date_of_birth", "dob", "date", section="child"),
        S("sex", "sex", "sex", section="child"),
        S("ethnicity", "ethnicity", "ethnicity", section="child"),
        S("nationality", "nationality", "nationality", section="child"),
        S("place_of_birth", "pob", "address", section="child", multiline=True),
        S("place_of_origin", "origin", "address", section="child", multiline=True),
        S("id_number", "id", "id", section="child"),
        S("mother_name", "mother", "name"),
        S("mother_birth_year", "birth_year", "year", section="mother"),
        S("mother_birth_year", "dob", "year", section="mother"),
        S("father_name", "father", "name"),
        S("father_birth_year", "birth_year", "year", section="father"),
        S("father_birth_year", "dob", "year", section="father"),
        S("registration_number", "reg_number", "regnum"),
        S("registration_date", "reg_date", "date"),
        S("registration_authority", "reg_authority", "text", multiline=True),
    ),
    "marriage_certificate": (
        S("husband_name", "full_name", "name", section="husband"),
        S("husband_name", "husband_full", "name"),
        S("wife_name", "wife_full", "name"),
        S("husband_date_of_birth", "dob", "date", section="husband"),
        S("husband_id_number", "id", "id", section="husband"),
        S("wife_name", "full_name", "name", section="wife"),
        S("wife_date_of_birth", "dob", "date", section="wife"),
        S("wife_id_number", "id", "id", section="wife"),
        S("registration_number", "reg_number", "regnum"),
        S("registration_date", "reg_date", "date"),
        S("registration_authority", "reg_authority", "text", multiline=True),
    ),
    "residence_confirmation": (
        S("full_name", "full_name", "name"),
        S("date_of_birth", "dob", "date"),
        S("sex", "sex", "sex"),
        S("id_number", "id", "id"),
        S("permanent_residence", "permanent", "address", multiline=True),
        S("temporary_residence", "temporary", "address", multiline=True),
        S("current_residence", "current", "address", multiline=True),
        S("head_of_household", "head", "name"),
        S("relationship_to_head", "relationship", "relationship"),
    ),
    "land_use_certificate": (
        S("parcel_number", "parcel", "number"),
        S("map_sheet_number", "map_sheet", "number"),
        S("parcel_address", "parcel_address", "address", multiline=True),
        S("area_m2", "area", "area"),
        S("land_use_purpose", "purpose", "purpose", multiline=True),
        S("land_use_term", "term", "term"),
    ),
}

FORM_TYPES = ("birth_certificate", "marriage_certificate", "residence_confirmation",
              "land_use_certificate")  # fmt: skip
"""Papers printed as forms (labels, values at tab stops, wrapped lines at the margin)."""

# sections in the order they are printed, where a repeated label opens the next one
SECTION_ORDER = {"marriage_certificate": ("husband", "wife")}

# groups that switch the section of the following labels, per document type
SECTION_GROUPS = {
    "birth_certificate": {"mother": "mother", "father": "father"},
    "marriage_certificate": {
        "husband": "husband",
        "wife": "wife",
        "husband_full": "husband",
        "wife_full": "wife",
    },
}


PARENTS = {"mother": "father", "father": "mother"}
"""A birth certificate's parent sections, each to the other."""


def _labels_for(doc_type: str) -> dict[str, tuple[str, ...]]:
    groups = {s.group for s in SPECS.get(doc_type, ())}
    groups |= set(SECTION_GROUPS.get(doc_type, {}))
    if doc_type == "residence_confirmation":
        groups -= {"residence"}
    if doc_type == "land_use_certificate":
        groups.add("holder")
    # always know the neighbours' labels so values stop before them
    groups |= {"full_name", "dob", "sex", "nationality", "id", "ethnicity", "expiry", "in_words"}
    if doc_type != "residence_confirmation":
        groups |= {"residence"}
    if doc_type.startswith(("cccd", "cancuoc", "cmnd")):
        groups |= {"origin", "~fingers"}
    if doc_type in ("cccd_back", "cancuoc_back"):
        groups |= {"stop_back"}
    extra = {
        "birth_certificate": {"declarant", "reg_book"},
        "marriage_certificate": {"reg_book"},  # "Quyển số:" is not the register number
        "residence_confirmation": {"head_id", "members"},
        "land_use_certificate": {"use_form", "origin_of_use", "perm_address"},
    }
    groups |= extra.get(doc_type, set())
    return {g: LABELS[g] for g in groups}


_ENUM_TAIL = re.compile(r"\s+(?:\d{1,2}|[a-gđ])[.)]$")
_OK_CHARS = re.compile(r"^[\w.,:;/\-'()&+]+$")


def _junk(token: str) -> bool:
    """A token that is no word of a value: a stamp, a seal or a smudge read as symbols."""
    if not _OK_CHARS.match(token):
        return True
    alnum = sum(c.isalnum() for c in token)
    return alnum < 0.5 * len(token)


def drop_junk_tail(text: str, *, single: bool = False) -> str:
    """Cut trailing OCR junk (``... Tây Ninh (O© ~¬I! Gœ``, a stamp) from a value.

    From the first junk token on, the tail must be junk or scraps (tokens of 3
    characters or less, but not a capitalized syllable: "Thôn 5, Cư \\n, Đăk Pơ, Gia
    Lai" goes on after a misread word); ``single``-line values stop at the first junk
    token.
    """
    from extractors.vietnamese import is_syllable

    def scrap(t: str) -> bool:
        core = re.sub(r"[^\w]", "", t)
        return len(t) <= 3 and not (
            len(core) >= 2 and core[0].isupper() and not core.isupper() and is_syllable(core)
        )

    toks = text.split()
    for i in range(1, len(toks)):
        if not _junk(toks[i]):
            continue
        if (
            toks[i] in ("-", "–")
            and i + 1 < len(toks)
            and toks[i - 1][:1].isupper()
            and (toks[i + 1][:1].isupper())
        ):
            continue  # a name's hyphen: "tỉnh Bà Rịa - Vũng Tàu", "Phan Rang - Tháp Chàm"
        tail = toks[i:]
        if (
            single
            or all(_junk(t) or scrap(t) for t in tail)
            or (sum(_junk(t) for t in tail) >= 0.5 * len(tail))
        ):
            return " ".join(toks[:i])
    return text


_UNIT_WORDS = {"so", "phuong", "xa", "thi", "thon", "ap", "ban", "to", "khu", "xom", "duong",
               "quan", "huyen", "tinh", "thanh", "khom", "buon", "lang"}  # fmt: skip


_UNIT_ABBREVIATIONS = {"X", "P", "H", "Q", "TT", "TP", "TX"}  # X. Tri Phương, TP. Vinh


class _UnitStart:
    """Words that start an address (Số, Phường, Xã, XÃ, Thôn ...): capitalized."""

    @staticmethod
    def match(tok: str) -> bool:
        if not tok or not tok[0].isupper() or nz.fold(tok).lower() not in _UNIT_WORDS:
            return False
        # the vowel's shape, if printed, is the unit word's: "Tờ" (Đăk Tờ Re) is no "Tổ"
        return tok.isascii() or _vowel_shape(tok) in _UNIT_SHAPES


def _vowel_shape(tok: str) -> str:
    """A word lower-cased without its tone marks (and OCR's stray marks), keeping the
    letters ă â ê ô ơ ư đ: "Tổ" -> "tô", "Tờ" -> "tơ", "Xä" -> "xa"."""
    keep = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn
    d = unicodedata.normalize("NFD", tok.lower())
    base = "".join(c for c in d if not unicodedata.combining(c) or c in keep)
    return unicodedata.normalize("NFC", base)


_UNIT_SHAPES = {
    _vowel_shape(w)
    for w in ("số", "phường", "xã", "thị", "thôn", "ấp", "bản", "tổ", "khu", "xóm", "đường",
              "quận", "huyện", "tỉnh", "thành", "khóm", "buôn", "làng")
} | {"so", "duong"}  # fmt: skip


def _address_head(toks: Sequence[str]) -> bool:
    """The tokens open an address as printed: a house number ("990/91/29 Y Wang",
    "12A Lê Lợi") or a unit's abbreviation before a capitalized name ("X Trị Phương",
    its dot lost)."""
    first = toks[0].rstrip(",")
    if re.match(r"^\d+[A-Z]?(?:/\d+[A-Z]?)*$", first):
        return True
    return (
        first.rstrip(".") in _UNIT_ABBREVIATIONS
        and len(toks) > 1
        and toks[1][:1].isupper()
        and not toks[1].isupper()
    )


_UNIT_START = _UnitStart()


def _village_part(toks: Sequence[str]) -> bool:
    """Whether the tokens before an address's unit are its own first part: words of
    letters, each capitalized, the last ending with the part's comma ("Plei Trung Mỹ
    Tây,", "Bon Bu Prăng,": a village named in a minority language, no Vietnamese
    syllable, is no garbled label)."""
    if not toks[-1].endswith(","):
        return False
    words = [t.rstrip(",") for t in toks]
    return all(w.isalpha() and w[0].isupper() and not w[1:].isupper() for w in words)


def _drop_junk_head(text: str) -> str:
    """Cut a garbled English label before an address (``Đœxe g ước Phường Long Bình``):
    up to 4 leading tokens, at least one of them no Vietnamese word, before a word that
    starts an address (Số, Phường, Xã, Thôn ..., a house number, ``X, Mỹ Thành Bắc``)."""
    from extractors.gazetteer import numbered_word
    from extractors.vietnamese import is_syllable

    def bad(t: str) -> bool:
        core = re.sub(r"[^\w]", "", t)
        if numbered_word(core):
            return False  # "Km 74, ...": a word a number follows opens the address
        mixed = not core.isupper() and any(c.isupper() for c in core[1:])  # "ựỤ"
        return _junk(t) or mixed or (not re.search(r"\d", core) and not is_syllable(core))

    toks = text.split()
    for i, t in enumerate(toks[:6]):
        # a label's colon ("oxi sức: Cán Chu Phìn, Mèo Vạc, Hà Giang"): the address follows;
        # not after a comma (a speck read as a colon inside it: "thành phố Thanh: Hóa")
        after = " ".join(toks[i + 1 :])
        if (
            t.endswith(":")
            and "," not in " ".join(toks[:i])
            and after.count(",") >= 2
            and not _opens_unit(toks)  # "Thôn Văn: Hanh, ...": a speck read as a colon
        ):
            return after
    first = toks[0].strip(",.") if toks else ""
    if not toks or _UNIT_START.match(first[:1].upper() + first[1:]) or _address_head(toks):
        return text

    def numbered(k: int) -> bool:  # "Đội 13,", "Tổ 5": a numbering word before its number
        nxt = toks[k + 1] if k + 1 < len(toks) else ""
        return numbered_word(toks[k].strip(",.")) and nxt[:1].isdigit()

    for i in range(1, min(5, len(toks))):
        if _opens_unit(toks[i:]) or _address_head(toks[i:]) or numbered(i):
            if any(bad(t) for t in toks[:i]) and not _village_part(toks[:i]):
                return " ".join(toks[i:])
            if (
                i == 1
                and toks[0].isalpha()
                and toks[0].islower()
                and nz.fold(toks[0]).lower() not in _UNIT_WORDS
                and toks[1][:1].isupper()
            ):
                # a word in small letters before "XÃ", "Phường": a scrap
                return " ".join(toks[1:])
            break
    # a garbled label before a list of places with no unit words ("Fax đ œ |-gu Xuân Thọ
    # 2, Sông Cầu, Phú Yên", "ĐỀ XI xadingkykhasnhneeegmeh Nghỉ Long, ..."): the first
    # place starts after the last token of its part that no address holds (symbols, a
    # lone small letter, a long run of letters that is no syllable)
    first = text.split(",")[0].split()
    if text.count(",") >= 2 and len(first) >= 2:
        last = max((k for k, t in enumerate(first[:-1]) if _scrap_token(t)), default=None)
        if last is not None:
            rest = toks[last + 1 :]
            # ... and a scrap's small-letter word before the capitalized place ("Ø#oce
            # ong Hoài Thanh Tây"): inside a place name every word is capitalized
            while len(rest) > 1 and rest[0].isalpha() and rest[0].islower():
                # ... or several ("wgtytne men men Võ Văn, ..."): up to a capital in the part
                upto = next((k for k, t in enumerate(rest) if not (t.isalpha() and t.islower())),
                            len(rest))  # fmt: skip
                if (
                    nz.fold(rest[0]).lower() in _UNIT_WORDS
                    or upto >= len(rest)
                    or not rest[upto][:1].isupper()
                    or any(nz.fold(t).lower() in _UNIT_WORDS for t in rest[:upto])
                ):
                    break
                rest = rest[1:]
            return " ".join(rest)
    return text


_UNIT_FOLLOWERS = {"so": r"\d", "thanh": r"(?i)ph[ốoôồổ]", "thi": r"(?i)(x[ãaâ]|tr[ấaâầ]n)"}
"""Unit words that open an address only before a given word: "Số 12", "Thành phố",
"Thị xã" / "Thị trấn". Without it, "So" and "Thanh" are syllables of place names
("Đắk Búk So", "Hoài Thanh Tây")."""


def _opens_unit(toks: Sequence[str]) -> bool:
    """Whether ``toks`` open a unit: its type word (:data:`_UNIT_START`), followed, where
    the word needs one, by the word that completes it."""
    word = toks[0].strip(",.")
    if not _UNIT_START.match(word):
        return False
    follower = _UNIT_FOLLOWERS.get(nz.fold(word).lower())
    return follower is None or (len(toks) > 1 and re.match(follower, toks[1]) is not None)


_POLICE_UNITS = {"xa": "xã", "phuong": "phường", "huyen": "huyện", "quan": "quận",
                 "tinh": "tỉnh", "thi": "thị"}  # fmt: skip


def _ubnd_misread(word: str) -> bool:
    """A People's Committee's "UBND" one letter off ("JBND"), or two with its "BN" read
    ("LBNHD"); "HĐND", the People's Council, is two letters off without it."""
    d = Levenshtein.distance(word, "UBND")
    return d == 1 or (d == 2 and "BN" in word)


def _unit_after_body(text: str) -> str:
    """A police office or a People's Committee names its unit's type word right after
    "Công an" / "UBND" ("CÔNG AN NÃ HÒA BÌNH", "UBND vã Phăng Sô Lin"): a word one letter
    from one type word only, or with its letters and other marks ("PHƯƠNG", "xà"), is
    that word."""
    m = re.match(r"(C[ÔO]NG AN|C[ôo]ng an|UBND|(?i:ủy ban nhân dân)) (\S+) ", text)
    if not m:
        return text
    word = nz.fold(m.group(2)).lower()
    near = [k for k in _POLICE_UNITS if Levenshtein.distance(word, k) <= 1]
    if word in _POLICE_UNITS:
        near = [word]  # its marks misread at most ("PHƯƠNG")
    if len(near) != 1 or len(word) < 2:
        return text
    canon = _POLICE_UNITS[near[0]]
    canon = canon.upper() if m.group(2).isupper() else canon
    return text[: m.start(2)] + canon + text[m.end(2) :]


_MARKED_CAPITALS = "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_CAPITAL_MARKED_VOWEL = re.compile(rf"\b([A-ZĐ])([{_MARKED_CAPITALS}])([a-zà-ỹđ]+)\b")
"""A word's marked vowel read in capitals between a capital and small letters ("tỉnh
BẮc Ninh"): a marked small letter is as tall as a capital."""


def _small_marked_vowel(text: str) -> str:
    return _CAPITAL_MARKED_VOWEL.sub(lambda m: m.group(1) + m.group(2).lower() + m.group(3), text)


_DIGIT_ENDING_A_WORD = re.compile(r"\b[^\W\d_]+[06][^\W\d_]*\b")
"""A word in capitals with a letter OCR read as a digit ("TRUN6", "THÀNH L0NG")."""
_LETTER_FOR_DIGIT = str.maketrans({"0": "O", "6": "G"})


def _letter_for_digit(m: re.Match) -> str:
    """The letters, where the word then is a syllable (a number glued to a word,
    "PHƯỜNG6", stays)."""
    from extractors.vietnamese import is_syllable

    word = m.group(0)
    fixed = word.translate(_LETTER_FOR_DIGIT)
    letters = re.sub(r"\d", "", word)
    return fixed if letters.isupper() and is_syllable(fixed) else word


def _scrap_token(tok: str) -> bool:
    from extractors.vietnamese import is_syllable

    letters = re.sub(r"[^\w']", "", tok)
    if re.search(r"[^\w'./,\-]", tok) or not letters:
        return True
    if len(letters) == 1 and letters.islower() and not letters.isdigit():
        return True
    # a long run of letters, or a shorter one in small letters ("wgtytne"): no syllable
    long = len(letters) >= 10 or (len(letters) >= 5 and letters.islower())
    return long and not is_syllable(letters)


def _inside_place_names(text: str) -> str:
    """Inside a place name every syllable is capitalized: a lone small letter between two
    capitalized words is the letter before it read twice ("Hà à Nội"), and a small 'la'
    there is the Central Highlands 'Ia' with its capital I read as l ("Ấp la Me")."""
    toks = text.split(" ")
    if len(toks) < 3:
        return text
    out = toks[:1]
    for tok, nxt in zip(toks[1:-1], toks[2:], strict=True):
        prev = out[-1]
        inside = prev[:1].isupper() and prev[-1:].isalpha() and nxt[:1].isupper()
        if inside and len(tok) == 1 and tok.islower() and nz.fold(tok) == nz.fold(prev[-1]):
            continue
        out.append("Ia" if inside and tok == "la" else tok)
    return " ".join([*out, toks[-1]])


_UNIT_HEADS_LOWER = ("xã", "huyện", "quận", "tỉnh", "thị xã", "thị trấn", "thành phố",
                     "phường")  # fmt: skip
_UNIT_FIRST_WORDS = frozenset(nz.fold(h.split()[0]) for h in _UNIT_HEADS_LOWER)
"""The first word of a unit's type word, without its marks ("xa", "thi", "phuong")."""


def _address_punctuation(text: str) -> str:
    """Commas between an address's units as printed, and nothing after its end:

    - a fingerprint box's caption read on the address's row ends it ("... Cao Bằng
      NGÓN TRỎ TRÁI", "NOÓN TRÒ TRÁI");
    - a unit's comma read as a dot ("Tú 2 1. xã Tả Phời", "Lưu Quang. Huyện Ứng Hòa") -
      not the dot of an abbreviation (``X. Mỹ Thành``, ``TP. Huế``).

    A comma lost before a unit word is not put back: some papers print none ("12A Lê
    Lợi Phường 2").
    """
    from extractors.vietnamese import is_syllable

    toks = text.split(" ")
    for i in range(1, len(toks) - 1):
        if re.fullmatch(r"n\w?o{1,2}n", nz.fold(toks[i])) and nz.fold(toks[i + 1])[:3] == "tro":
            text = " ".join(toks[:i])
            break
    heads = "|".join(_UNIT_HEADS_LOWER)
    text = re.sub(rf"(?<=\w)(?<![A-Z])\.\s+(?=(?i:{heads})\s)", ", ", text)
    # ... also after a hamlet's letter ("Ấp Hòa Tân Đông B. xã An Hòa Tây"): a capital
    # after a name, no abbreviation, since a unit word follows
    text = re.sub(rf"(?<=\w\w [A-ZĐ])\.\s+(?=(?i:{heads})\s)", ", ", text)

    # ... also after a house or team number before a unit's abbreviation ("Đội 3. X. Mà
    # Cooih"): an abbreviation's dot is after letters, never after a number
    text = re.sub(r"(?<=\d)\.\s+(?=(?:X|P|H|Q|TT|TP|TX)\.\s)", ", ", text)
    # a stray small letter after a unit's type word ("quận n Liên Chiểu")
    text = re.sub(rf"\b((?i:{heads})) [a-zđ] (?=[A-ZĐ])", r"\1 ", text)

    # "Thôn, Cam Phúc Nam": a comma read after a hamlet's or unit's type word
    text = re.sub(r"\b(Thôn|Xóm|Ấp|Khóm|Bản|Xã|Phường|Huyện|Quận|Tỉnh),\s+(?=\w)",
                  lambda m: m.group(0) if m.string[m.end()].islower() else m.group(1) + " ",
                  text)  # fmt: skip

    def unit_end(m: re.Match) -> str:
        # "Huyện Tu Mơ Rông. Kon Tum": a dot after a name's last syllable (small letters
        # after its capital, so no abbreviation; "KBang" too) before the next unit's capital
        # ... or a name of two letters that is a syllable ("TP. Phủ Lý. Hà Nam"), not
        # an abbreviation ("Tp. Hồ Chí Minh")
        word, after = m.group(1), m.string[m.end() : m.end() + 1]
        is_name = (
            word[:1].isupper()
            and word.isalpha()
            and (
                (len(word) >= 3 and word[-2:].islower())
                or (len(word) == 2 and word[1].islower() and is_syllable(word))
            )
        )
        return f"{word}, " if is_name and after.isupper() else m.group(0)

    return re.sub(r"(?<!\S)(\S+)\.\s+", unit_end, text)


def finger_caption(words: Sequence[str], i: int) -> bool:
    """``words[i:i + 3]`` read as a fingerprint box's caption of a card back ("Ngón trỏ
    trái", misread "Ngóa tró trải", "Ngóp trỏ phải"): each word one edit or less from
    its own, the first capitalized. A description names a finger in small letters."""
    three = [nz.fold(w.strip(".,:;-")).lower() for w in words[i : i + 3]]
    return (
        len(three) == 3
        and words[i][:1] == "N"
        and Levenshtein.distance(three[0], "ngon") <= 1
        and Levenshtein.distance(three[1], "tro") <= 1
        and min(Levenshtein.distance(three[2], side) for side in ("trai", "phai")) <= 1
    )


_BRACKET_ONE = re.compile(r"(?<![^\s\d\]|Il])[\]|Il](?=[\d\]|Il]*\d)")
"""A one read as a bracket, a bar, an I or an l where a number begins or goes on ("]]0"
for 110, "]503m²" for 1503 m², "I389m²", "2|5"): one before more digits, in a word of
digits."""


def convert(kind: str, text: str) -> str | None:
    """Raw value text -> the spec's value format, or None when it is not a value."""
    text = nz.clean_spaces(text).strip(" :;,-/|")
    if kind == "purpose":
        # "Mục đích sử dụng đất  Đất ở tại đô thị": the label's last word (no colon
        # after it) before the value, which starts with the same word capitalized
        text = re.sub(r"^(?:đất|dat|đat|dất)\s*[:.]?\s+(?=[A-ZĐ])", "", text)
        v = convert("text", text)
        return _land_category(v) if v else v
    if kind in ("number", "area"):
        text = _BRACKET_ONE.sub("1", text)
    if kind in ("text", "address", "term", "purpose"):
        # "Ủy ban ... tỉnh Thái Bình.......... sec": the form's dotted fill-in line
        # after the value ends it; what OCR read beyond is the blank line's specks (or a
        # word of the next row) - kept only if no words come before the leader
        m = re.search(r"\w\w[^.…_]*?\s?[._…]{6,}", text)
        if m and len(text[: m.end()].split()) >= 2:
            text = re.sub(r"[._…]{6,}.*$", "", text[: m.end()])
    text = re.sub(r"[._…]{3,}", " ", text).strip()  # dotted fill-in lines of forms
    toks = text.split()
    while toks and not any(c.isalnum() for c in toks[0]):
        toks.pop(0)  # a dash, quote or rule mark read before the value
    text = " ".join(toks)
    text = re.sub(r"^[^\w(]+", "", text)  # a rule mark glued to the value ("¬Xã")
    if kind in ("address", "text"):
        # a small 'la' after a unit's type word is the Central Highlands' 'Ia' ("xã la
        # Đai"): no place name opens with "la"
        text = re.sub(rf"\b((?i:{'|'.join(_UNIT_HEADS_LOWER)}|thôn|buôn|làng)) la (?=[A-ZĐ])",
                      r"\1 Ia ", text)  # fmt: skip
    if kind == "address":
        # the date of the row below read on the address's row ("..., Kông Chro, GiaLAi
        # IeuC 17/02/2025 / Duy"): no address holds a date
        m = re.search(r"\s\d{1,2}/\d{1,2}/(?:19|20)\d\d\b", text)
        if m and text[: m.start()].count(",") >= 2:
            text = text[: m.start()]
        # a unit abbreviation's dot read as an underscore ("X_ Hành Tín Đông")
        text = re.sub(r"(^|, )(X|P|H|Q|TT|TP|TX)_ (?=[^\W\d_])", r"\1\2. ", text)
        text = _drop_junk_head(text)
        toks = text.split(maxsplit=2)
        if len(toks) >= 2:
            from extractors.gazetteer import numbered_head

            text = " ".join([numbered_head(toks[0], toks[1]), *toks[1:]])
        # a unit abbreviation whose dot OCR read as a comma ("TT, Nông trường", "H,
        # Quỳnh Lưu") or lost ("X Trị Phương, H. Tiên Du"): printed "X."
        text = re.sub(
            r"(^|, )(X|P|H|Q|TT|TP|TX),? (?=[^\W\d_])",
            lambda m: f"{m.group(1)}{m.group(2)}. " if text[m.end()].isupper() else m.group(0),
            text,
        )
        # a comma read as a dot after a number ("Ấp Tam Thôn Hiệp 2. Quảng Minh, ..."):
        # an address holds no sentence
        text = re.sub(r"(?<=\s\d)\.\s+(?=[A-ZĐ][a-zà-ỹđ])|(?<=\s\d\d)\.\s+(?=[A-ZĐ][a-zà-ỹđ])",
                      ", ", text)  # fmt: skip
        text = _address_punctuation(_inside_place_names(text))
        # a speck read as a colon inside a unit's name, past the address's first part
        # ("xã Đông Tiến, thành phố Thanh: Hóa"): a label's colon comes before it
        if "," in text:
            head, rest = text.split(",", 1)
            text = head + "," + re.sub(r"(?<=\w):\s+(?=\w)", " ", rest)
    if kind == "text":
        text = _DIGIT_ENDING_A_WORD.sub(_letter_for_digit, text)
        # an authority names its place: a unit's comma read as a dot before the next
        # unit's type word ("thị xã Điện Bàn. tỉnh Quảng Nam")
        heads = "|".join(_UNIT_HEADS_LOWER)
        text = re.sub(rf"(?<=[a-zà-ỹđ]{{2}})\.\s+(?=(?:{heads})\s)", ", ", text)
        # "JBND xã ...", "ƯBNG phương ...": a People's Committee's abbreviation misread
        toks = text.split(maxsplit=1)
        if (
            len(toks) == 2
            and 3 <= len(toks[0]) <= 5
            and toks[0].isupper()
            and _ubnd_misread(nz.fold(toks[0]).upper())
            and nz.fold(toks[1].split()[0]).lower() in _UNIT_FIRST_WORDS
        ):
            text = "UBND " + toks[1]
        # "Ủy bạn nhân dân ...": the body's name spelt out, a mark misread
        words = text.split()
        if len(words) > 4 and nz.fold(" ".join(words[:4])).lower() == "uy ban nhan dan":
            spelt = ["ban", "nhân", "dân"]
            words[1:4] = [
                w.upper() if t.isupper() else w for w, t in zip(spelt, words[1:4], strict=True)
            ]
            text = " ".join(words)
        text = _unit_after_body(text)
    if kind in ("address", "text"):
        text = _small_marked_vowel(text)
        # the one province named with a hyphen, the hyphen lost or read as a dash
        text = re.sub(r"\bBà Rịa\s*[-–—]?\s*Vũng Tàu\b", "Bà Rịa - Vũng Tàu", text)
    if kind in ("address", "text", "name", "pi", "term", "ethnicity", "relationship"):
        text = drop_junk_tail(nz.clean_spaces(text), single=kind not in ("address", "pi"))
    if (
        kind in ("address", "text")
        and len(text.split()) >= 4
        and nz.fold(text.split()[-1]).lower() == "ngay"
    ):
        # the next label's first word read on the value's line ("... tỉnh Cà Mau Ngày"),
        # its mark misread too ("... tỉnh Hưng Yên Ngấy")
        text = re.sub(r"(?<=\w)[\s,]+\S+$", "", text)
    text = _ENUM_TAIL.sub("", text).strip(" :;,.-/|")
    if kind == "address":
        # a speck read as a small letter before the address ("ý Hoàng Văn Thụ, ...")
        toks = text.split()
        if len(toks) > 1 and len(toks[0]) == 1 and toks[0].islower() and toks[1][:1].isupper():
            text = " ".join(toks[1:])
        elif len(toks) > 1 and len(toks[0]) == 1 and _UNIT_START.match(toks[1].strip(",.")):
            text = " ".join(toks[1:])  # ... or a capital before a unit word ("Ô Phường ...")
        if not any(w[:1].isupper() and w[1:2].isalpha() for w in text.split()):
            return None  # no place name in it: a garbled English label ("2c of bạn")
    if not text:
        return None
    if kind == "name":
        # minority names keep the apostrophe between letters (H'Hen, Y'Bih); OCR reads
        # it as a right quote or an acute accent
        text = re.sub(r"(?<=[^\W\d_])[’ʼ`´‘](?=[^\W\d_])", "'", text)
        # ... or loses it: no Vietnamese syllable opens with H and a consonant (HBIA)
        text = re.sub(
            r"(?<![\w'])([Hh])(?=[BCDĐGHKLMNPRSTVXbcdđghklmnprstvx][^\W\d_])", r"\1'", text
        )
        letters = " ".join(_NOT_IN_NAME.sub("", w) for w in text.split()).replace("’", "'")
        letters = nz.clean_spaces(re.sub(r"[\d_]", "", letters))
        toks = letters.split()
        while len(toks) > 2 and toks[0].islower() and sum(t.isupper() for t in toks[1:]) >= 2:
            # the label's last words before a name in capitals ("mac VƯƠNG ...", "ứ sese
            # ĐIÊU THỊ MẾN"): words in small letters before two or more in capitals
            if not all(t.isupper() or t.islower() for t in toks[1:]) or any(
                a.isupper() and b.islower() for a, b in zip(toks[1:], toks[2:], strict=False)
            ):
                break
            toks.pop(0)
        letters = " ".join(toks)
        alpha = [c for c in letters if c.isalpha()]
        if sum(c.isupper() for c in alpha) > 0.6 * max(1, len(alpha)):
            letters = letters.upper()  # cards print names in capitals; OCR mixes cases
        # a label's remains before the name ("HS MẠC VĨNH NGÂN"): every syllable, a
        # minority name's too, has a vowel
        toks = letters.split()
        if len(toks) >= 2 and toks[0] == "V":
            toks[0] = "Y"  # the men's prefix of Ê Đê and Jrai names ("Y NGÔNG AYUN") read V
        while (
            len(toks) > 2
            and len(toks[0]) <= 3
            and "'" not in toks[0]
            and not re.search(r"[aeiouy]", nz.fold(toks[0]).lower())
        ):
            toks.pop(0)
        while len(toks) > 2 and len(toks[-1]) == 1 and toks[-1] not in _ONE_LETTER_NAMES:
            toks.pop()  # a speck after the name ("ÔN THIỆN XỨNG Ị")
        letters = " ".join(toks)
        if len(letters) < 2 or not _plausible_name(letters):
            return None
        return letters
    if kind == "date":
        v = nz.normalize_date(text)
        if v is None and re.search(r"\bngay\b", nz.fold(text)):
            from extractors import nlp

            found = nlp.find_dates(text)
            v = found[0][0] if found else None
        return v
    if kind == "expiry":
        return nz.normalize_expiry(text)
    if kind == "sex":
        # a word split by OCR ("N am")
        if re.sub(r"[^a-z]", "", nz.fold("".join(text.split()[:2]))) in ("nam", "nu"):
            return nz.normalize_sex("".join(text.split()[:2]))
        # the first word that is a sex ("/5sex: Nam": a garbled English label before it)
        for i, tok in enumerate(text.split()[:3]):
            if nz.fold(tok).startswith("viet"):
                return None  # "Việt Nam": the nationality, not a sex
            core = re.sub(r"[^\w]", "", tok.split(":")[-1] or tok)
            if i and len(core) > 3 and nz.fold(core).lower() not in ("male", "female"):
                continue  # a longer word further on ("Tỉnh Hà Ninh") is no sex
            v = nz.normalize_sex(tok.split(":")[-1] or tok)
            if v is not None:
                return v
        return None
    if kind == "id":
        # a clean run of digits as printed first ("CCCD số 015186445401": the letters of
        # "số" are no digits); letter-for-digit fixes only when there is none
        m = re.search(r"(?<![\dA-Za-z])(\d{12}|\d{9})(?![\dA-Za-z])", text)
        if m:
            return m.group(1)
        digits = nz.digits_only(text.split(" ")[0] if len(text) > 14 else text)
        if len(digits) in (9, 12):
            return digits
        digits = nz.digits_only(text)
        if len(digits) in (10, 11):
            return None  # a 12-digit number with a digit lost: no 9 of them are the CMND
        m = re.search(r"\d{12}|\d{9}", digits)
        return m.group(0) if m else None
    if kind == "year":
        v = nz.normalize_year(text)
        if v is None:
            # "4957": the 1 of a 19xx year read as a 4 or a 7 (no year starts so); the
            # caller lowers the confidence of this repair
            m = re.search(r"(?<!\d)[47](9\d\d)(?!\d)", text)
            v = "1" + m.group(1) if m else None
        return v
    if kind == "number":
        # "1S", "2ó": a parcel's or map sheet's number with a 5 read as S, a 6 as ó (a
        # word of digits and these look-alikes, a digit first)
        m = re.match(r"(\d[\dSó]*)(?=$|[\s,;])", text)
        if m:
            return nz.digits_only(m.group(1))
        m = re.search(r"[0-9OoIl][0-9OoIl./\-A-Za-z]*", text)
        if not m:
            return None
        v = m.group(0).rstrip(".,")
        # letters read for digits inside numbers
        v = re.sub(r"(?<=\d)[Oo](?=\d|$)|(?<=^)[Oo](?=\d)", "0", v)
        return v if re.search(r"\d", v) else None
    if kind == "relationship":
        return _kinship(text)
    if kind == "ethnicity":
        # the official names of Vietnam's 54 ethnic groups are capitalized; OCR often
        # reads the capital K of "Kinh" as k, or a speck as a tone mark ("kịnh"): a
        # reading with the letters of one group only, marks aside, is that group
        key = text.lower().replace("-", " ")
        canon = _ETHNIC.get(key)
        if canon is None:
            same = _ETHNIC_FOLDED.get(_ethnic_key(key), ())
            canon = same[0] if len(same) == 1 else None
        return canon if canon is not None else text
    if kind == "regnum":
        text = re.sub(r"(?<=\d)ó|ó(?=\d)", "6", text)  # a 6 read as ó ("377/199ó")
        text = re.sub(r"(?<=\d)g(?=\d)", "9", text)  # a 9 read as g ("2g5/2024")
        # a year's 1 read as l, I or | ("46/202l", "5/l998"): after the slash, a year
        text = re.sub(r"(?<=/)[\dlI|]{4}(?!\w)", lambda m: re.sub(r"[lI|]", "1", m.group(0)), text)
        # "232 2018": a register number "số/năm" whose slash OCR lost (the year after it)
        m = re.match(r"(\d{1,5})\s+((?:19|20)\d{2})(?!\d)", text)
        if m:
            return f"{m.group(1)}/{m.group(2)}"
        # "527I2009", "17i2023": the slash read as a stroke letter (I, i, l, |, !) between
        # the number and the year; a "1" there is a digit as far as anyone can tell: as read
        m = re.match(r"(\d{1,5})\s?[Iil|!\\]\s?((?:19|20)\d{2})(?!\d)", text)
        if m:
            return f"{m.group(1)}/{m.group(2)}"
        return convert("number", text)
    if kind == "area":
        # the decimal comma lost ("520 6m²"): one or two digits apart before the unit
        text = re.sub(r"(?<=\d) (\d{1,2}) ?(?=m)", r",\1", text)
        # a 6 read as "ó" ("3ó9,9"), a thousands dot read as a slash ("1/741")
        text = re.sub(r"(?<=[\d.,])ó|ó(?=[\d.,])", "6", text)
        text = re.sub(r"(?<=\d)/(?=\d{3}(?!\d))", ".", text)
        # "1.250,5 m²": a thousands dot and a decimal comma, as printed
        m = re.search(r"(\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d)|\d+(?:[.,]\d+)?)", text)
        if m is None:
            return None
        # a dot before one or two last digits is the decimal comma misread ("1484.5")
        return re.sub(r"\.(?=\d{1,2}$)", ",", m.group(1))
    if kind == "address":
        return nz.clean_spaces(text).strip(" ,.;")
    if kind == "pi":
        # the issue date below ("Ngủy 20 tháng 05 năm 2017") when its label was misread
        text = re.split(r"\s+\S{2,5}\s+\d{1,2}\s+th\S{1,3}ng\s+\d", text)[0]
        # ... or the 2021 card's, in figures after its bilingual label misread ("Noày,
        # Đáng nêm / Dete, mon ven 13/11/2022"): from that label's first word on
        m = re.search(r"\s\d{1,2}/\d{1,2}/\d{4}\b", text)
        if m:
            words = text[: m.start()].split()
            cut = []
            for i, w in enumerate(words):
                f = re.sub(r"[^a-z]", "", nz.fold(w).lower())
                # where "Ngày, tháng, năm" begins, by whichever of its words was read
                if Levenshtein.distance(f, "ngay") <= 1:
                    cut.append(i)
                elif Levenshtein.distance(f, "thang") <= 1:
                    cut.append(i - 1)
                elif f == "nam":
                    cut.append(i - 2)
            cut = [i for i in cut if i >= max(2, len(words) - 7)]
            if cut:
                text = " ".join(words[: min(cut)])
        # "1,5em", "3%m", "3crm", "2cn" -> "cm"
        text = re.sub(r"(?<=\d)\s?[ce%]r?[mn][a-z]?(?![^\W\d_])", "cm", text)  # ("cma": a speck)
        text = re.sub(r"\b([Cc])\s?[;.\-]\s?(?=\d)", r"\1:", text)  # "C;1,5cm" -> "C:1,5cm"
        # a size in metres is a centimetre's c lost ("C:0,8m"): marks are a few cm
        text = re.sub(r"\b([Cc][:\s]\s?\d{1,2}(?:,\d)?)m\b", r"\1cm", text)
        text = _PI_SIZE.sub(_pi_size, text)
        # a colon only follows the size's C ("Nốt ruồi: son C:3cm"): a speck elsewhere
        text = re.sub(r"(?<=[^\W\d_]{2}):(?=\s)", "", text)
        if text[:1].islower() and text.split()[0] in _PI_LOWER_HEADS:
            text = text[0].upper() + text[1:]  # "sẹo C:1,2cm ...": it opens with a capital
        # a fingerprint box's caption read before it ("Ngoa trỏ trái Sẹo chấm ..."): no
        # description opens with a finger
        if finger_caption(text.split(), 0):
            text = text.split(None, 3)[3] if len(text.split()) > 3 else ""
        # the fingerprint boxes' captions read on after it ("... mày phải Nế*⁄.14 trà Ngón
        # trọ phàa", "... trán phải Ngóp trỏ phải"): the value ends at the caption or at
        # the first word with marks no description holds, whichever comes first (after
        # its first three words)
        words = text.split()
        at = next(
            (
                i
                for i, w in enumerate(words)
                if i >= 3
                and (
                    nz.fold(w) == "ngon"
                    or finger_caption(words, i)
                    or re.search(r"[^\w,.:;/()'\-]", w)
                )
            ),
            None,
        )
        if at is not None:
            text = " ".join(words[:at]).rstrip(" -–,;")
        text = _lexicon_fix(text)
        if text[:1].islower() and text.split()[0] in _PI_LOWER_HEADS:
            text = text[0].upper() + text[1:]  # its mark word spelt out only now ("vất")
        return text
    if kind == "term":
        # "1âu đài", "âu dài": the L of "Lâu" read as a one, a stroke, or lost
        folded = nz.fold(text).lower()
        if re.fullmatch(r"[l1i|!]?au dai", folded) or Levenshtein.distance(folded, "lau dai") <= 1:
            return "Lâu dài"  # the one term without an end date ("Lâu đài" is a castle)
        # "Đến ngày 10 02 2062": a date whose slashes OCR lost is printed dd/mm/yyyy;
        # a 6 read as "ó" beside digits ("25/04/20ó2"); "Dến ngày": the Đ's bar lost
        text = re.sub(r"(?<=\d)ó(?=\d)|(?<=\d\d)ó\b", "6", text)
        first = nz.fold(text).lower().split()[:2]
        if len(first) == 2 and first[1] == "ngay" and Levenshtein.distance(first[0], "den") <= 2:
            # "Dến ngày": the Đ's bar lost; "Điếến ngày": marks read as letters
            text = re.sub(r"^\S+\s+\S+", "Đến ngày", text, count=1)
        # ... or read as a stroke letter ("25I05J2063")
        return re.sub(
            r"\b(\d{1,2})(?:[\s/.\-]+|[IJl|])(\d{1,2})(?:[\s/.\-]+|[IJl|])(\d{4})\b",
            lambda m: (
                f"{int(m.group(1)):02d}/{int(m.group(2)):02d}/{m.group(3)}"
                if nz.normalize_date(f"{m.group(1)}/{m.group(2)}/{m.group(3)}")
                else m.group(0)
            ),
            text,
        )
    if kind == "nationality":
        # a garbled English label may precede it ("Madonalr Việt N am"); an m read as
        # rn ("Việt Narn") or one letter misread
        f = nz.fold(text).lower().replace(" ", "").replace("rn", "m")
        return "Việt Nam" if Levenshtein.distance(f[-7:], "vietnam") <= 1 else text
    return text


def read_fields(
    rows: Sequence[Row], doc_type: str, *, unread: dict[str, Reading] | None = None
) -> dict[str, Reading]:
    """Every printed field of ``doc_type`` found after its label.

    ``unread``: filled with the text found after a date or number label that did not
    convert to a value (``value`` empty), for a second reading of its box.
    """
    specs = SPECS.get(doc_type, ())
    if not specs:
        return {}
    labels = _labels_for(doc_type)
    hits = [h for h in find_hits(rows, labels) if not _inside_name(rows[h.row], h)]
    if doc_type == "residence_confirmation":
        hits = _no_table_heads(hits)
    sections = SECTION_GROUPS.get(doc_type, {})
    form = doc_type in FORM_TYPES
    columns = _columns(rows, hits) if doc_type == "marriage_certificate" else None
    out: dict[str, Reading] = {}
    section = "child" if doc_type == "birth_certificate" else None
    if doc_type == "marriage_certificate":
        section = "husband"
    order = SECTION_ORDER.get(doc_type, ())
    for hit in hits:
        if doc_type == "birth_certificate" and hit.key == "full_name" and section in PARENTS:
            # "Họ tên mac VƯƠNG ...": a parent's name label with its last word misread
            # reads as the child's label; after one parent's name, it is the other's
            other = PARENTS[section]
            if f"{section}_name" in out and f"{other}_name" not in out:
                hit = dataclasses.replace(hit, key=other)
        if hit.key in sections and columns is None:
            section = sections[hit.key]
        elif columns is None and section in order[:-1]:
            # the section's own field already read: its header was unreadable
            # ("THÔNG TTVVEVỰ") and this label opens the next section
            done = _spec_for(specs, hit.key, section, doc_type)
            nxt = _spec_for(specs, hit.key, order[order.index(section) + 1], doc_type)
            if (
                done is not None and done.section == section and done.key in out
                and nxt is not None and nxt.key not in out
            ):  # fmt: skip
                section = order[order.index(section) + 1]
        if columns is not None and any(s.group == hit.key and s.section is not None for s in specs):
            # the label printed again in the other column ("Họ và tên chồng: ... | Họ và
            # tên vợ: ..." over two label-value columns): each serves its own column
            twins = [x for x in hits if x.row == hit.row and x.key == hit.key and x is not hit]
            for sec, (x_min, x_max) in columns.items():
                if twins:
                    right = hit.start > min(x.start for x in twins)
                    if right != (sec == "wife"):
                        continue
                    x_min = x_max = None  # the value ends at the other column's label
                spec = _spec_for(specs, hit.key, sec, doc_type)
                if spec and spec.key not in out:
                    kw = {"x_min": x_min, "x_max": x_max, "form": form}
                    _read_one(out, spec, rows, hit, hits, **kw)
                    _note_unread(unread, out, spec, rows, hit, hits, **kw)
            continue
        spec = _spec_for(specs, hit.key, section, doc_type)
        if spec is None or spec.key in out:
            continue
        _read_one(out, spec, rows, hit, hits, form=form)
        _note_unread(unread, out, spec, rows, hit, hits, form=form)
    if doc_type == "residence_confirmation":
        _ct07_items_by_number(rows, hits, out, specs)
        _head_second_reading(rows, hits, out)
        _self_as_head(rows, hits, out)
        _relationship_from_table(rows, hits, out)
        _id_of_self_as_head(rows, hits, out)
    if doc_type == "land_use_certificate":
        _land_items_by_letter(rows, out)
    if doc_type == "marriage_certificate":
        _spouse_ids_by_order(rows, out)
    if doc_type == "birth_certificate":
        _birth_date_checks(rows, hits, out)
    if doc_type in ("birth_certificate", "marriage_certificate"):
        _number_before_its_book(rows, hits, out)
        _number_with_its_year(out)
    if doc_type in ("birth_certificate", "marriage_certificate") and (
        "registration_authority" not in out
    ):
        r = _authority_without_label(rows, hits)
        if r is not None:
            out[r.key] = r
    return out


def _number_before_its_book(
    rows: Sequence[Row], hits: Sequence[Hit], out: dict[str, Reading]
) -> None:
    """The register number whose label OCR lost ("í: 273 Quyển số: 02/2004"): certificates
    print "Số: ... Quyển số: ..." on one row, so a number alone right before the book's
    label is the register number (lower confidence)."""
    if "registration_number" in out:
        return
    for hit in hits:
        if hit.key != "reg_book":
            continue
        row = rows[hit.row]
        before = [w for w, (_s, e) in zip(row.words, row.spans, strict=True) if e <= hit.start]
        if not before or len(before) > 3:
            continue
        number = before[-1].text.strip(".,;:|")
        if re.fullmatch(r"\d{1,5}(?:/\d{4})?", number):
            w = before[-1]
            out["registration_number"] = Reading(
                "registration_number", number, w.text, w.confidence * 0.6, w.bbox, (w,)
            )
            return


def _number_with_its_year(out: dict[str, Reading]) -> None:
    """A registration number printed "515/2004" whose slash OCR lost ("5152004"): when the
    digits end with the year of the registration date, the slash goes back before it;
    one whose year was cut short ("262/200", "122/19") and opens that year's digits
    gets them (at a lower confidence, the reading kept as raw)."""
    number, date = out.get("registration_number"), out.get("registration_date")
    if number is None or date is None:
        return
    year = date.value[:4]
    cut = re.fullmatch(r"(\d{1,5})/(\d{2,3})", number.value)
    if cut and year.startswith(cut.group(2)):
        # ... or whose year lost its last digits at the edge of a photo ("262/200")
        out["registration_number"] = dataclasses.replace(
            number, value=f"{cut.group(1)}/{year}", raw=number.raw or number.value,
            confidence=number.confidence * 0.8,
        )  # fmt: skip
        return
    if not re.fullmatch(r"\d{5,8}", number.value):
        return
    if number.value.endswith(year) and len(number.value) > len(year):
        value = f"{number.value[: -len(year)]}/{year}"
        out["registration_number"] = dataclasses.replace(
            number, value=value, raw=number.raw or number.value, confidence=number.confidence * 0.8
        )


def _self_as_head(rows: Sequence[Row], hits: Sequence[Hit], out: dict[str, Reading]) -> None:
    """'Mối quan hệ với chủ hộ:' over a line 'Chủ hộ': the person is the head, and that
    line was taken for the head's label. It is the relationship when it holds nothing else."""
    if "relationship_to_head" in out:
        return
    for hit in hits:
        if hit.key != "relationship" or hit.row + 1 >= len(rows):
            continue
        nxt = rows[hit.row + 1]
        if not nxt.words or re.sub(r"[^a-z ]", "", nz.fold(nxt.text).lower()).strip() != "chu ho":
            continue
        if not any(x.key == "head" and x.row == hit.row + 1 for x in hits):
            continue
        conf = min(w.confidence for w in nxt.words) * 0.9
        raw = nxt.text.strip()
        bbox = union_bbox([w.bbox for w in nxt.words]) if nxt.words else None
        out["relationship_to_head"] = Reading(
            "relationship_to_head", "Chủ hộ", raw, conf, bbox, tuple(nxt.words)
        )
        return


def _id_of_self_as_head(rows: Sequence[Row], hits: Sequence[Hit], out: dict[str, Reading]) -> None:
    """A citizen who is the head of the household ('Quan hệ với chủ hộ: Chủ hộ') has the
    head's personal number: when the citizen's own did not read, the head's line gives
    it (at a lower confidence)."""
    rel = out.get("relationship_to_head")
    if "id_number" in out or rel is None or nz.fold(rel.value).lower() != "chu ho":
        return
    for hit in hits:
        if hit.key != "head_id":
            continue
        for next_row in (False, True):
            v = value_after(rows, hit, hits, english=ENGLISH, next_row=next_row)
            value = convert("id", v.text) if v is not None else None
            if v is not None and value is not None and len(value) == 12:
                out["id_number"] = Reading(
                    "id_number", value, v.text, v.confidence * 0.8, v.bbox, v.words
                )
                return


def _spouse_ids_by_order(rows: Sequence[Row], out: dict[str, Reading]) -> None:
    """A marriage certificate whose two personal-number labels both misread beyond
    matching ("SốCCCD:", "5% ĐDCN:"): the husband's part comes first (above, or in the
    left column, which Tesseract reads first), so with exactly two 12-digit numbers on
    the paper the first is his and the second hers (lower confidence)."""
    if "husband_id_number" in out or "wife_id_number" in out:
        return
    found = [w for row in rows for w in row.words if re.fullmatch(r"\W*\d{12}\W*", w.text)]
    if len(found) != 2:
        return
    for key, w in zip(("husband_id_number", "wife_id_number"), found, strict=True):
        value = re.sub(r"\D", "", w.text)
        out[key] = Reading(key, value, w.text, w.confidence * 0.7, w.bbox, (w,))


CT07_ITEMS = {1: "full_name", 2: "dob", 3: "sex", 4: "id", 5: "permanent", 6: "temporary",
              7: "current", 8: "head", 9: "relationship"}  # fmt: skip
"""The items the CT07 numbers (forms of Thông tư 56/2021 and 66/2023): "1. Họ, chữ đệm
và tên", "2. Ngày, tháng, năm sinh", "3. Giới tính", ... "9. Quan hệ với chủ hộ"."""

_ITEM_NUMBER = re.compile(r"(\d{1,2})([.,]?)")


def _ct07_items_by_number(
    rows: Sequence[Row], hits: Sequence[Hit], out: dict[str, Reading], specs: Sequence[Spec]
) -> None:
    """CT07 items whose label blur or a shadow garbled beyond matching ("2 Ngày Tứng căm
    se: 09/12/1966", "7 Mi ð hiện tc Buôn Mong Thọ B, ...") are found by their number.

    The number opens its row, or follows a value with its dot or before a colon ("...
    09/12/1966 3 Gớ +: Nữ"); the label runs to its colon, or, with the colon lost, over
    as many words as the label variant they resemble most. The value is then read as
    after a label (to the next item's number), and kept only if it converts to the
    item's kind."""
    # the rows where items' labels were found: an item's number must lie between them in
    # its order ("3. Nơi thường trú" after item 4's label is a 5 misread), and an item
    # whose label was found is read there or not at all
    found = {n: min(h.row for h in hits if h.key == g) for n, g in CT07_ITEMS.items()
             if any(h.key == g for h in hits)}  # fmt: skip
    for i, row in enumerate(rows):
        words = row.words
        marks = []
        for k, w in enumerate(words):
            m = _ITEM_NUMBER.fullmatch(w.text)
            if m is None or int(m.group(1)) not in CT07_ITEMS:
                continue
            # mid-row, a number is an item's only with its dot or a label's colon after it
            # ("... 09/12/1966 3 Gớ +: Nữ"), not a house or team number
            if k == 0 or m.group(2) or any(x.text.endswith(":") for x in words[k + 1 : k + 5]):
                marks.append((k, int(m.group(1))))
        for j, (k, n) in enumerate(marks):
            group = CT07_ITEMS[n]
            spec = _spec_for(specs, group, None, "residence_confirmation")
            if spec is None or spec.key in out or n in found:
                continue
            if any(r > i for other, r in found.items() if other < n) or any(
                r < i for other, r in found.items() if other > n
            ):
                continue  # out of the items' order: a misread number
            stop = marks[j + 1][0] if j + 1 < len(marks) else len(words)
            end = _item_label_end(row, k + 1, stop, LABELS[group])
            if end is None:
                continue
            hit = Hit(LABELS[group][0], group, i, row.spans[k][0], row.spans[end][1], 60.0)
            x_max = gb(words[stop])[0] - 1 if stop < len(words) else None
            _read_one(out, spec, rows, hit, hits, form=True, x_max=x_max)


def _item_label_end(row: Row, first: int, stop: int, variants: Sequence[str]) -> int | None:
    """Index of the last word of an item's label, among ``row.words[first:stop]``: the
    word ending in a colon, or with none, the end of the words that best resemble one of
    the label's ``variants`` (at least loosely: ratio 50)."""
    words = row.words[first:stop]
    for k, w in enumerate(words[:8]):
        if w.text.endswith(":"):
            return first + k
    best: tuple[float, int] | None = None
    for v in variants:
        n = len(v.split())
        if not 1 <= n < len(words):
            continue
        got = nz.fold(" ".join(w.text for w in words[:n])).lower()
        score = fuzz.ratio(got, nz.fold(v).lower())
        if score >= 50 and (best is None or score > best[0]):
            best = (score, first + n - 1)
    return None if best is None else best[1]


_LAND_ITEMS = {"b": ("parcel_address", "address"), "c": ("area_m2", "area")}
"""Items of the parcel a land-use certificate letters ("b) Địa chỉ:", "c) Diện tích:")."""


def _land_items_by_letter(rows: Sequence[Row], out: dict[str, Reading]) -> None:
    """A land-use certificate letters the items of its parcel (a) số thửa, b) địa chỉ,
    c) diện tích, ...): an item whose label OCR misread beyond matching ("b) Đẹ chỉ: Ấp
    Văn Man, ...", "c) Din cớ 1484.5m°") is found by its letter. Its value follows the
    colon, or, for the area, starts at the first digit; one row only, lower confidence."""
    for row in rows:
        words = row.words
        m = re.fullmatch(r"([a-gđ])\)", words[0].text) if len(words) >= 2 else None
        if m is None or m.group(1) not in _LAND_ITEMS:
            continue
        key, kind = _LAND_ITEMS[m.group(1)]
        if key in out:
            continue
        colon = next((i for i, w in enumerate(words) if w.text.endswith(":")), None)
        if colon is not None:
            value_words = words[colon + 1 :]
        elif kind == "area":
            first = next((i for i, w in enumerate(words[1:], 1) if w.text[:1].isdigit()), None)
            value_words = words[first:] if first is not None else ()
        else:
            continue
        text = " ".join(w.text for w in value_words)
        value = convert(kind, text) if value_words else None
        if value:
            conf = 0.8 * min(w.confidence for w in value_words)
            box = union_bbox(w.bbox for w in value_words)
            out[key] = Reading(key, value, text, conf, box, tuple(value_words))


def _syllables_ok(name: str) -> bool:
    from extractors.vietnamese import is_syllable

    toks = name.split()
    return len(toks) >= 2 and all(is_syllable(t) for t in toks)


def _household_heads(rows: Sequence[Row], hits: Sequence[Hit]) -> list[Reading]:
    """Names in the CT07 members table whose relationship column says "Chủ hộ"
    ("1 | Lâm Văn Đông | ... | 0720... | Chủ hộ"), upper-cased like the head field."""
    start = min((h.row for h in hits if h.key == "members"), default=None)
    if start is None:
        return []
    out = []
    for row in rows[start + 1 : start + 12]:
        f = nz.fold(row.text).lower()
        if not re.search(r"\bchu ho\W*$", f):
            continue
        names: list[Word] = []
        for w in row.words:
            core = w.text.strip("[]|()!:;,.'\"")
            if not names and (not core or core.isdigit()):
                continue  # the row number and table rules before the name
            if core and core.isalpha() and core[0].isupper():
                names.append(w)
                continue
            break
        text = " ".join(w.text.strip("[]|()!:;,.'\"") for w in names)
        if names and nz.fold(text).lower() not in ("chu ho",) and len(names) >= 2:
            conf = sum(w.confidence for w in names) / len(names)
            out.append(Reading("head_of_household", text.upper(), text, conf,
                               union_bbox(w.bbox for w in names), tuple(names)))  # fmt: skip
    return out


def _no_table_heads(hits: list[Hit]) -> list[Hit]:
    """Without the bare "Chủ hộ" found in the CT07 members table, where it is the head's
    relationship column, not the label of the head's name."""
    start = min((h.row for h in hits if h.key == "members"), default=None)
    if start is None:
        return hits
    return [h for h in hits if not (h.key == "head" and h.label == "chu ho" and h.row > start)]


def _relationship_from_table(
    rows: Sequence[Row], hits: Sequence[Hit], out: dict[str, Reading]
) -> None:
    """The citizen's relationship to the head read as no kinship term ("Bố" read "54"):
    the members table prints it again, last on the citizen's own row ("2 | Tôn Thất
    Uyển Ngữ | 11/11/1981 | 0891... | Bố"). Taken from there, at a lower confidence,
    as read there."""
    rel, name = out.get("relationship_to_head"), out.get("full_name")
    if name is None or (rel is not None and rel.value in KINSHIP):
        return
    start = min((h.row for h in hits if h.key == "members"), default=None)
    if start is None:
        return
    want = nz.fold(name.value).lower()
    for row in rows[start + 1 : start + 12]:
        f = nz.fold(row.text).lower()
        if fuzz.partial_ratio(want, f) < 85:
            continue
        for n in (2, 1):
            if len(row.words) <= n:
                continue
            tail = row.words[-n:]
            kin = _kinship(" ".join(w.text.strip("[]|()!:;,.'\"") for w in tail))
            if kin in KINSHIP:
                conf = min(w.confidence for w in tail) * 0.8
                raw = " ".join(w.text for w in tail)
                out["relationship_to_head"] = Reading(
                    "relationship_to_head", kin, raw, conf,
                    union_bbox(w.bbox for w in tail), tuple(tail),
                )  # fmt: skip
                return
        return


def _head_second_reading(rows: Sequence[Row], hits: Sequence[Hit], out: dict[str, Reading]) -> None:
    """The CT07 prints the head of household's name twice more: in the members table
    (relationship "Chủ hộ"), and as the citizen's own name when the relationship is
    "Chủ hộ". A head read as no Vietnamese name ("IÄM VN ĐÔNG") takes the other
    reading that spells the same name with well-formed syllables (confidence lowered,
    the raw reading kept); a missing head takes it at low confidence."""
    alts = _household_heads(rows, hits)
    rel = out.get("relationship_to_head")
    if rel is not None and nz.fold(rel.value).lower() == "chu ho" and "full_name" in out:
        fn = out["full_name"]
        alts.append(dataclasses.replace(fn, key="head_of_household", value=fn.value.upper()))
    alts = [a for a in alts if _syllables_ok(a.value)]
    if not alts:
        return
    head = out.get("head_of_household")
    if head is None:
        a = alts[0]
        out["head_of_household"] = dataclasses.replace(a, confidence=a.confidence * 0.6)
        return
    if _syllables_ok(head.value):
        return
    f_head = nz.fold(head.value).lower()
    best = max(alts, key=lambda a: fuzz.ratio(f_head, nz.fold(a.value).lower()))
    if fuzz.ratio(f_head, nz.fold(best.value).lower()) >= 70:
        out["head_of_household"] = dataclasses.replace(
            head, value=best.value, raw=head.raw or head.value,
            confidence=min(head.confidence, best.confidence) * 0.8,
        )  # fmt: skip


def _date_in_words(rows: Sequence[Row], hits: Sequence[Hit]) -> Reading | None:
    """The date of birth as printed in words after "ghi bằng chữ:" ("Ngày hai mươi
    hai, tháng một, năm một nghìn chín trăm bảy mươi sáu"), over one or two lines."""
    from extractors import nlp

    for hit in hits:
        if hit.key != "in_words":
            continue
        v = value_after(rows, hit, hits, multiline=True, max_rows=1, form=True)
        if v is None:
            continue
        text = re.sub(r"[._…]{2,}", " ", v.text)
        text = re.sub(r"^\W*ng\w{1,3}\b", "ngày", text)  # "Ngảy", "Ngav"
        found = nlp.find_dates(text)
        if found:
            return Reading("date_of_birth", found[0][0], v.text, v.confidence, v.bbox, v.words)
    return None


def _birth_date_checks(rows: Sequence[Row], hits: Sequence[Hit], out: dict[str, Reading]) -> None:
    """The date of birth against its second printing and the registration date.

    The birth certificate prints the date in digits and (most issues) again in words;
    a child is registered after birth. A digit misread ("1985" read "1988") shows as a
    disagreement: the reading that fits the registration date wins, the other stays
    as ``raw``, and the confidence drops below review level; when both fit, the digits
    stay, flagged the same way. A date of birth after the registration date with no
    other reading is flagged too."""
    dob = out.get("date_of_birth")
    words = _date_in_words(rows, hits)
    reg = out.get("registration_date")

    def fits(v: str) -> bool:
        return reg is None or v <= reg.value

    if dob is None:
        if words is not None:
            out["date_of_birth"] = dataclasses.replace(words, confidence=words.confidence * 0.7)
        return
    if words is not None and words.value != dob.value:
        if fits(words.value) and not fits(dob.value):
            out["date_of_birth"] = dataclasses.replace(
                words, raw=dob.raw or dob.value, confidence=min(words.confidence, 0.6)
            )
        else:
            out["date_of_birth"] = dataclasses.replace(dob, confidence=min(dob.confidence, 0.4))
        return
    if not fits(dob.value):
        out["date_of_birth"] = dataclasses.replace(dob, confidence=min(dob.confidence, 0.3))


_AUTHORITY = re.compile(r"\b(?:ubnd|uy ban nhan dan)\b")


def _authority_without_label(rows: Sequence[Row], hits: Sequence[Hit]) -> Reading | None:
    """The registering authority when its label was unreadable ("Mi đãng KÝ: Ủy ban nhân
    dân xã Đan Hội, ..."): the body row (not the upper-case heading) where "UBND" or
    "Ủy ban nhân dân" is followed by a commune-level unit, to the end of its row."""
    for i, row in enumerate(rows):
        if i < 3:
            continue  # the heading "ỦY BAN NHÂN DÂN / XÃ ..."
        f = nz.fold(row.text).lower()
        m = _AUTHORITY.search(f)
        if m is None or not re.search(r"\b(?:xa|phuong|thi tran)\b", f[m.end() :]):
            continue
        letters = [c for c in row.text if c.isalpha()]
        if sum(c.isupper() for c in letters) > 0.8 * max(1, len(letters)):
            continue  # a heading in capitals
        words = [w for w, (s, _e) in zip(row.words, row.spans, strict=True) if s >= m.start()]
        if len(words) < 3:
            continue
        text = drop_junk_tail(" ".join(w.text for w in words))
        conf = sum(w.confidence for w in words) / len(words) * 0.8
        box = union_bbox(w.bbox for w in words)
        return Reading("registration_authority", text, text, conf, box, tuple(words))
    return None


KINSHIP = (
    "Chủ hộ", "Vợ", "Chồng", "Con", "Con đẻ", "Con nuôi", "Con dâu", "Con rể", "Con riêng",
    "Bố", "Mẹ", "Cha", "Bà", "Ông", "Ông nội", "Bà nội", "Ông ngoại", "Bà ngoại", "Anh",
    "Chị", "Em", "Anh ruột", "Chị ruột", "Em ruột", "Anh trai", "Chị gái", "Em trai",
    "Em gái", "Cháu", "Cháu ruột", "Cháu nội", "Cháu ngoại", "Chắt", "Cô", "Dì", "Chú",
    "Bác", "Cậu", "Mợ", "Thím", "Dượng", "Bố chồng", "Mẹ chồng", "Bố vợ", "Mẹ vợ",
    "Bố đẻ", "Mẹ đẻ", "Bố dượng", "Mẹ kế", "Cha dượng", "Con chồng", "Con vợ", "Ở nhờ",
    "Người ở nhờ", "Người giúp việc", "Khác", "Anh rể", "Chị dâu", "Em rể", "Em dâu",
)  # fmt: skip
"""Relationships to the head of household as CT07 prints them."""
_KIN = {nz.fold(k).lower() for k in KINSHIP}


def _kinship(text: str) -> str:
    """A relationship read with one letter or mark wrong ("Chéu") is the one kinship term
    a single edit away, when only one is; else as read."""
    if text in KINSHIP:
        return text
    near = [k for k in KINSHIP if Levenshtein.distance(text.lower(), k.lower()) <= 1]
    if len(near) == 1:
        return near[0]
    # a term, then specks of the table's rules read as text ("Mẹ Q22222222022 nh nh"):
    # the longest term the reading opens with, before a word with a digit or a symbol
    heads = [k for k in KINSHIP if text.startswith(k + " ")]
    if heads:
        head = max(heads, key=len)
        nxt = text[len(head) :].split()[0]
        if re.search(r"[\d\W_]", nxt):
            return head
    return text


_LAND_CATEGORIES = (
    "Đất trồng lúa", "Đất chuyên trồng lúa nước", "Đất trồng lúa nước còn lại",
    "Đất trồng lúa nương", "Đất trồng cây hằng năm khác", "Đất trồng cây hàng năm khác",
    "Đất bằng trồng cây hằng năm khác", "Đất nương rẫy trồng cây hằng năm khác",
    "Đất trồng cây lâu năm", "Đất rừng sản xuất", "Đất rừng phòng hộ", "Đất rừng đặc dụng",
    "Đất nuôi trồng thủy sản", "Đất nuôi trồng thuỷ sản", "Đất làm muối",
    "Đất nông nghiệp khác", "Đất ở tại nông thôn", "Đất ở tại đô thị",
    "Đất xây dựng trụ sở cơ quan", "Đất quốc phòng", "Đất an ninh",
    "Đất xây dựng công trình sự nghiệp", "Đất sản xuất, kinh doanh phi nông nghiệp",
    "Đất thương mại, dịch vụ", "Đất cơ sở sản xuất phi nông nghiệp",
    "Đất sử dụng cho hoạt động khoáng sản", "Đất có mục đích công cộng", "Đất cơ sở tôn giáo",
    "Đất cơ sở tín ngưỡng", "Đất phi nông nghiệp khác", "Đất chưa sử dụng",
)  # fmt: skip
"""Land-use categories as the land law names them (Luật Đất đai 2013 art. 10, 2024 art.
9; TT 27/2018), in both spellings where two are in use (hằng/hàng năm, thủy/thuỷ)."""


def _land_category(text: str) -> str:
    """A purpose that is one official land category with a few letters misread ("Dất
    trồng câv hằng năm khác") is spelt as the law writes it; anything else (several
    categories with their areas, a category not listed) stays as read."""
    if text.lower() in {c.lower() for c in _LAND_CATEGORIES}:
        return text  # as printed, in its case
    longer = [c for c in _LAND_CATEGORIES if c.lower().startswith(text.lower() + " ")]
    if len(longer) == 1 and len(longer[0]) - len(text) <= 4 and len(text.split()) >= 3:
        return longer[0]  # its last word ran into the form's dots ("Đất ở tại đô th...")
    words = text.split()
    if len(words) > 2 and len(re.sub(r"\W", "", words[-1])) <= 2 and not words[-1].isupper():
        # a speck read after the purpose ("Dất thương mại, dịch vụ eì"), not "(ONT)"
        shorter = _land_category(" ".join(words[:-1]))
        if shorter in _LAND_CATEGORIES:
            return shorter
    f = nz.fold(text).lower()
    scored = sorted(
        ((fuzz.ratio(f, nz.fold(c).lower()), fuzz.ratio(text, c), c) for c in _LAND_CATEGORIES),
        reverse=True,
    )
    (best_f, best_raw, best), (next_f, next_raw, _n) = scored[0], scored[1]
    close = abs(len(f) - len(nz.fold(best))) <= 2  # no word more or less ("(ONT)")
    if best_f >= 90 and close and (best_f, best_raw) > (next_f, next_raw):
        return best
    return text


_ETHNIC = {
    n.lower(): n
    for n in (
        "Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "H'Mông", "Dao",
        "Gia Rai", "Ê Đê", "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu",
        "Hrê", "Ra Glai", "Mnông", "Thổ", "Xtiêng", "Stiêng", "Khơ Mú", "Bru Vân Kiều",
        "Cơ Tu", "Giáy", "Tà Ôi", "Mạ", "Giẻ Triêng", "Co", "Chơ Ro", "Xinh Mun", "Hà Nhì",
        "Chu Ru", "Lào", "La Chí", "Kháng", "Phù Lá", "La Hủ", "La Ha", "Pà Thẻn", "Lự",
        "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y", "Cống", "Si La", "Pu Péo",
        "Rơ Măm", "Brâu", "Ơ Đu",
    )
}  # fmt: skip
"""The 54 ethnic groups of Vietnam (official list), by lower-case name."""


def _ethnic_key(name: str) -> str:
    """Letters only, marks aside: "H'Mông", "HMông" and "H Mông" are one key."""
    return re.sub(r"[^a-z]", "", nz.fold(name))


_ETHNIC_FOLDED: dict[str, tuple[str, ...]] = {}
for _name in _ETHNIC.values():
    _ETHNIC_FOLDED[_ethnic_key(_name)] = (*_ETHNIC_FOLDED.get(_ethnic_key(_name), ()), _name)


def _note_unread(
    unread: dict[str, Reading] | None,
    out: dict[str, Reading],
    spec: Spec,
    rows: Sequence[Row],
    hit: Hit,
    hits: Sequence[Hit],
    **kw,  # noqa: ANN003
) -> None:
    if unread is None or spec.key in out or spec.key in unread or spec.kind not in ("date", "id"):
        return
    v = value_after(rows, hit, hits, english=ENGLISH, **kw)
    if v is None:
        return
    words = tuple(w for w in v.words if sum(c.isdigit() for c in w.text) >= 2)
    if words:
        raw = " ".join(w.text for w in words)
        unread[spec.key] = Reading(spec.key, "", raw, v.confidence, v.bbox, words)


def _read_one(
    out: dict[str, Reading], spec: Spec, rows: Sequence[Row], hit: Hit, hits: Sequence[Hit], **kw
) -> None:
    v = value_after(rows, hit, hits, multiline=spec.multiline, english=ENGLISH, **kw)
    if spec.kind == "name" and v is not None and v.rows == (hit.row,):
        # a garbled English label ("Fuli sa me") is no name: the one that reads as
        # Vietnamese syllables in capitals wins, same row or next
        v2 = value_after(rows, hit, hits, multiline=False, english=ENGLISH, next_row=True, **kw)
        if v2 is not None and name_score(_cut_name(v2.text)) > name_score(_cut_name(v.text)) + 0.3:
            v = v2
    if kw.get("form") and spec.kind == "name" and v is not None and v.rows == (hit.row,):
        v = _wrapped_name(rows, hit, hits, v, **kw)
    if spec.kind == "address" and v is not None and len(v.rows) > 1 and v.rows[0] == hit.row:
        # an address starting on the label's row holds a place name there; words with
        # none ("¿ 2c of bạn") are the English half of the label: the address starts on
        # the next row
        same = [w.text for w in v.words if w in rows[hit.row].words]
        if not any(t[:1].isupper() and t[1:2].isalpha() for t in same):
            v2 = value_after(rows, hit, hits, multiline=True, english=ENGLISH, next_row=True, **kw)
            v = v2 if v2 is not None else v
    if spec.kind == "address" and v is not None and len(v.rows) > 1 and v.rows[0] == hit.row:
        v = _ended_at_its_province(v, rows[hit.row])
    if _store(out, spec, v) or v is None or v.rows == (hit.row + 1,):
        return
    # the same-row text is not a value of this kind: the value may be on the next row
    v2 = value_after(
        rows, hit, hits, multiline=spec.multiline, english=ENGLISH, next_row=True, **kw
    )
    if _store(out, spec, v2) or spec.kind != "sex":
        return
    # "Giới tính/%* Nam Quốctịch/Aatoaty: Việt Nam": the colon of the next, unmatched
    # label made the nationality look like the value; the first words decide
    row = rows[hit.row]
    words = [w for w, (st, _e) in zip(row.words, row.spans, strict=True) if st >= hit.end][:3]
    if words:
        v3 = Value(" ".join(w.text for w in words), tuple(words[:1]), words[0].confidence,
                   hit.score, (hit.row,))  # fmt: skip
        _store(out, spec, v3)


def _ended_at_its_province(v: Value, row: Row) -> Value:
    """An address whose part on its label's row ends with a province ("..., tỉnh Thanh
    Hóa") ends there: the next row is the next item, its label garbled past matching.
    A city ("thành phố Thanh Hóa") may be followed by its province on the next row, so
    only "tỉnh" ends it; a next row that opens with a label a card's reading knows
    ("Mơi Đ24E đường tử" for "Nơi ĐKHK thường trú") is left on, to be split off there
    with the value after it (:func:`extractors.cardtext.split_at_label`)."""
    from extractors.cardtext import opens_label
    from extractors.gazetteer import province_alone

    first = [w for w in v.words if w in row.words]
    tokens = v.text.split(" ")  # as read, the label's tail cut off
    rest = tokens[len(first) :]
    if not first or not rest or opens_label(rest, 0):
        return v
    text = " ".join(tokens[: len(first)])
    last = text.rsplit(",", 1)[-1].strip(" .;:")
    if nz.fold(last.split()[0] if last else "").lower() != "tinh" or not province_alone(last):
        return v
    conf = sum(w.confidence for w in first) / len(first)
    return Value(text, tuple(first), conf, v.label_score, (v.rows[0],))


def _wrapped_name(rows: Sequence[Row], hit: Hit, hits: Sequence[Hit], v: Value, **kw) -> Value:  # noqa: ANN003
    """A long name wrapped onto the next line of a form: that line holds only one to
    three words in the name's case that read as syllables (and are no label word),
    level with the label or the name, and they would not have fitted on the name's
    line."""
    from extractors.vietnamese import is_syllable

    v3 = value_after(rows, hit, hits, multiline=True, max_rows=1, english=ENGLISH, **kw)
    if v3 is None or len(v3.rows) != 2 or v3.text[: len(v.text)] != v.text:
        return v
    nxt = rows[v3.rows[1]]
    added = [w for w in v3.words if w not in v.words]
    if not 1 <= len(added) <= 3 or len(nxt.words) != len(added):
        return v
    # a line wraps when the next word does not fit: the name ends near the right edge
    # of the text around it
    near = rows[max(0, hit.row - 6) : hit.row + 7]
    right = max(gb(w)[2] for r in near for w in r.words)
    width = gb(added[-1])[2] - gb(added[0])[0]
    if max(gb(w)[2] for w in v.words) + width + rows[hit.row].height < right:
        return v
    upper = v.text.isupper()
    for w in added:
        t = w.text
        if not (t.isalpha() and is_syllable(t) and (t.isupper() if upper else t.istitle())):
            return v
        if nz.fold(t).lower() in _LABEL_WORDS:
            return v
    return v3


def _spec_for(specs: Sequence[Spec], group: str, section: str | None, doc_type: str) -> Spec | None:
    for s in specs:
        if s.group == group and (s.section is None or s.section == section):
            return s
    return None


def _store(out: dict[str, Reading], spec: Spec, v: Value | None) -> bool:
    if v is None:
        return False
    text = v.text
    if spec.kind == "name":
        text = _cut_name(text)
    value = convert(spec.kind, text)
    if value is None:
        return False
    conf = max(0.05, min(0.98, v.confidence * (0.7 + 0.3 * v.label_score / 100)))
    if spec.kind == "ethnicity" and value != text.strip():
        conf *= 0.9  # case restored: the raw reading stays
    if spec.kind == "purpose" and value != text.strip() and value not in text:
        conf *= 0.9  # spelt as the law's category: the raw reading stays
    if spec.kind == "year" and value not in text:
        conf *= 0.6  # a misread first digit repaired ("4957" -> "1957"): raw kept
    if spec.kind == "regnum" and "/" in value and "/" not in text:
        conf *= 0.85  # the slash restored from a stroke letter or a gap: raw kept
    if spec.kind == "relationship" and nz.fold(value).lower() not in _KIN:
        conf *= 0.5  # no kinship term ("Hồ" for "Bố"): kept as read, for review
    elif spec.kind == "relationship" and value != text.strip():
        conf *= 0.8  # spelt as the kinship term one letter away: the raw reading stays
    out[spec.key] = Reading(spec.key, value, text, conf, v.bbox, v.words)
    return True


# words of the personal identification line (scars, moles, birthmarks and where they are)
_PI_WORDS = [
    "Sẹo",
    "Nốt",
    "ruồi",
    "Vết",
    "bớt",
    "chấm",
    "son",
    "trên",
    "dưới",
    "trước",
    "sau",
    "đầu",
    "đuôi",
    "mày",
    "mắt",
    "mũi",
    "cánh",
    "mép",
    "cằm",
    "tai",
    "dái",
    "vành",
    "trái",
    "phải",
    "giữa",
    "trán",
    "má",
    "cổ",
    "môi",
    "gò",
    "bên",
    "cách",
    # words real descriptions hold too, so that none is "corrected" to a look-alike above
    # ("dài" is no "dái", "mặt" no "mắt")
    "dài",
    "mặt",
    "lông",
    "trong",
    "ngoài",
]
_PI_INDEX: dict[str, list[str]] = {}
for _w in _PI_WORDS:
    _PI_INDEX.setdefault(nz.fold(_w), []).append(_w)


_PI_HEADS = ("Sẹo", "Nốt", "Vết", "Chấm")
"""The words a mark's description opens with."""


_PI_SIZE = re.compile(
    r"(?<![^\s(])[C€(][`'´]?[:;]?\s?(\d{1,2})(?:(?:\s|\s?[,./]\s?)([\dS]))?\s?[cCeE][mn]\b"
)
"""A mark's size ("C:1,2cm") read "C:1 2cm", "€:1/2cm", "(`:2,Sem", "C2cm"."""


def _pi_size(m: re.Match) -> str:
    tenth = m.group(2).replace("S", "5") if m.group(2) else None
    return f"C:{m.group(1)}" + (f",{tenth}" if tenth else "") + "cm"


_PI_LOWER_HEADS = frozenset(w.lower() for w in ("Sẹo", "Nốt", "Vết", "Chấm"))


def _lexicon_fix(text: str) -> str:
    """Tone marks of the personal-identification vocabulary, where one word matches;
    a first word that is no syllable and one letter from one mark's name only ("See")
    is that name."""
    from extractors.vietnamese import is_syllable

    out = []
    toks = text.split()
    for i, tok in enumerate(toks):
        core = tok.strip(",.;:")
        after = nz.fold(toks[i + 1]).lower() if i + 1 < len(toks) else ""
        if i == 0 and core.isalpha() and not is_syllable(core):
            near = [h for h in _PI_HEADS if Levenshtein.distance(nz.fold(core), nz.fold(h)) == 1]
            if len(near) == 1:
                tok, core = tok.replace(core, near[0]), near[0]
        cands = _PI_INDEX.get(nz.fold(core), [])
        if nz.fold(core).lower() == "dai" and after == "tai":
            cands = ["dái"]  # the earlobe ("dái tai"); "dài" (long) is no part of the body
        if len(cands) > 1:
            # "đưởi": the vowel's shape read (a horn, no circumflex) decides between
            # "dưới" and "đuôi", whatever the tone or the stroke of the đ
            shape = _vowel_shape(core.replace("đ", "d").replace("Đ", "D"))
            same = [c for c in cands if _vowel_shape(c.replace("đ", "d")) == shape]
            cands = same if len(same) == 1 else cands
        if core and core not in cands and len(cands) == 1 and core.isalpha():
            fixed = cands[0] if core[0].isupper() == cands[0][0].isupper() else cands[0].lower()
            if core[0].isupper():
                fixed = fixed[0].upper() + fixed[1:]
            tok = tok.replace(core, fixed)
        out.append(tok)
    return " ".join(out)


def name_score(text: str) -> float:
    """0..1: how much ``text`` reads as a Vietnamese name (capitalized syllables)."""
    from extractors.vietnamese import is_syllable

    toks = [re.sub(r"[^\w]", "", t) for t in text.split()]
    toks = [t for t in toks if t]
    if not toks:
        return 0.0
    good = sum(1 for t in toks if t[0].isupper() and is_syllable(t))
    return good / len(toks) * min(1.0, len(toks) / 2)


# words of the labels around names: a name read as one of them is a label fragment
_LABEL_WORDS = {"ho", "va", "ten", "chu", "dem", "ngay", "thang", "nam", "sinh", "gioi",
                "tinh", "dan", "toc", "quoc", "tich", "noi", "que", "quan", "so", "me",
                "cha", "vo", "chong", "nguoi", "khai", "dang", "ky", "cu", "tru", "full",
                "name"}  # fmt: skip


def _plausible_name(text: str) -> bool:
    """A person's name is printed capitalized (title or upper case): a value with no
    capitalized word ("ynh", a fragment of a glare-damaged name) or that is one label
    word ("Ngày": the next label read as the value) is no name."""
    toks = text.split()
    if not any(t[0].isupper() for t in toks):
        return False
    return not (len(toks) == 1 and nz.fold(toks[0]).lower() in _LABEL_WORDS)


_ONE_LETTER_NAMES = frozenset("YÝAÁ")
"""Names' one-letter words: the Ê Đê men's prefix Y, the Hmong middle name A."""

_NOT_IN_NAME = re.compile(r"[^\w'’]|['’](?![^\W\d_])|(?<![^\W\d_])['’]")
"""What a name word sheds: all but letters, digits and an apostrophe between letters
(minority names: H'Hen, Y'Bih)."""


def _cut_name(text: str) -> str:
    """A name stops at the first lower-case word, digit or punctuation after it."""
    words = text.split()
    out = []
    for w in words:
        parts = re.split(r"[.…_·]{2,}", w)  # a dotted fill-in line glued to the name
        if len(parts) > 1 and "." in parts[0].strip("."):
            # "YẾN.Ô.......": a name has no dot; what follows one is the leader's noise
            parts = [parts[0].split(".")[0], ""]
        if len(parts) > 1:
            core = _NOT_IN_NAME.sub("", parts[0])
            if not core and not out:
                continue  # leaders before the name
            if core and not re.search(r"\d", core) and (not out or not core[0].islower()):
                out.append(core)
            break
        core = _NOT_IN_NAME.sub("", w)
        if not core or re.search(r"\d", core):
            break
        if out and core[0].islower():
            break
        out.append(core)
    return " ".join(out) if out else text


def _inside_name(row: Row, hit: Hit) -> bool:
    """A one-word section head ("Vợ", "Chồng") that is a word of a name in capitals
    (the surname Võ folds to "vo": "Họ và tên: VÕ THỊ NGA", "... DUY SỸ VÕ NGỌC THẢO"
    in two columns): no colon after it, a name word after it, and before it a name
    word, a label's colon or nothing."""
    if hit.key not in ("husband", "wife") or " " in hit.label.strip():
        return False
    k = next((i for i, (s, e) in enumerate(row.spans) if s <= hit.start < e), None)
    if k is None or k + 1 >= len(row.words):
        return False
    word = row.words[k].text
    if ":" in word or not word.strip(",.").isupper():
        return False

    def name_word(w: Word) -> bool:
        t = w.text.strip(",.")
        return t.isalpha() and t.isupper() and nz.fold(t).lower() not in _LABEL_WORDS

    before = k == 0 or name_word(row.words[k - 1]) or row.words[k - 1].text.endswith(":")
    return before and name_word(row.words[k + 1])


_SPOUSE_HEADS = ("husband", "wife", "husband_full", "wife_full")


def _columns(
    rows: Sequence[Row], hits: Sequence[Hit]
) -> dict[str, tuple[int | None, int | None]] | None:
    """Husband / wife columns of a marriage certificate printed as a two-column table.

    The header row holds both "Chồng" and "Vợ" (e.g. ``Thông tin về chồng`` and
    ``Thông tin về vợ``), or "Thông tin" twice when those words were misread or cut
    off by a photo's edge ("Thắng tín về chăng  Thông tín vẽ vự"), and row labels
    (``Họ, chữ đệm, tên``) follow below it; a signature line "Chồng  Vợ" at the bottom
    has no labels after it.
    """
    for i, row in enumerate(rows):
        if not any(h.row > i and h.key in ("full_name", "dob", "id") for h in hits):
            continue
        words = row.words
        folded = [re.sub(r"[^a-z]", "", nz.fold(w.text).lower()) for w in words]
        spans: dict[str, tuple[int, int]] = {}
        opens = [
            k for k in range(len(words) - 1)
            if Levenshtein.distance(folded[k], "thong") <= 1 and folded[k + 1] == "tin"
        ]  # fmt: skip
        if len(opens) == 2:
            spans["husband"] = (gb(words[opens[0]])[0], gb(words[opens[1] - 1])[2])
            spans["wife"] = (gb(words[opens[1]])[0], gb(words[-1])[2])
        elif row_contains(row, "Chồng") and row_contains(row, "Vợ"):
            h = max(row.height, 1)
            # the label words of the header (a name after "Họ và tên chồng:" may be "VÕ ...")
            heads = [x for x in hits if x.row == i and x.key in _SPOUSE_HEADS]
            in_label = [any(s0 < x.end and e > x.start for x in heads) for s0, e in row.spans]
            for k, (w, f) in enumerate(zip(words, folded, strict=True)):
                if f in ("chong", "vo") and (in_label[k] or not any(in_label)):  # "chồng:"
                    j = k
                    while j > 0 and gb(words[j])[0] - gb(words[j - 1])[2] < 1.5 * h:
                        j -= 1
                    spans["husband" if f == "chong" else "wife"] = (gb(words[j])[0], gb(w)[2])
        if len(spans) == 2 and spans["husband"][1] < spans["wife"][0]:
            split = (spans["husband"][1] + spans["wife"][0]) // 2
            return {"husband": (None, int(split)), "wife": (int(split), None)}
    return None


# ------------------------------------------------------------------ values without labels

ISSUERS = (
    "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI",
    "CỤC TRƯỞNG CỤC CẢNH SÁT ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ",
    "BỘ CÔNG AN",
)


ISSUER_WORDWISE = 65
"""Least similarity of a row to an issuer's title that is taken when word by word it is
the title: as many words, two in three of them one letter off at most."""


def _wordwise(title: str, text: str) -> bool:
    """Whether folded ``text`` has the words of folded ``title``, two in three of them
    read with one letter wrong at most (the small print of "BỘ CÔNG AN" beside the
    seal, read "ĐỘ CÔNG Lò")."""
    a, b = title.split(), text.split()
    if len(a) != len(b):
        return False
    close = sum(Levenshtein.distance(x, y) <= 1 for x, y in zip(a, b, strict=True))
    return 3 * close >= 2 * len(a)


def read_issuer(rows: Sequence[Row]) -> Reading | None:
    """The issuing authority printed on a card back (matched against the known titles)."""
    best: tuple[float, str, list[Row]] | None = None
    for i, _row in enumerate(rows):
        for n in (1, 2):
            group = list(rows[i : i + n])
            text = nz.fold(" ".join(r.text for r in group))
            for issuer in ISSUERS:
                f = nz.fold(issuer)
                if len(text) < len(f) * 0.6 or len(text) > len(f) * 1.6 + 10:
                    continue
                score = fuzz.partial_ratio(f, text) if len(text) >= len(f) else fuzz.ratio(f, text)
                if score < 80 and score >= ISSUER_WORDWISE and _wordwise(f, text):
                    score = 80.0  # "ĐỘ CÔNG Lò": as sure as the weakest match above
                if score >= 80 and (best is None or score > best[0]):
                    best = (score, issuer, group)
    if best is None:
        return None
    score, issuer, group = best
    words = tuple(w for r in group for w in r.words)
    conf = sum(w.confidence for w in words) / len(words) * score / 100
    raw = " ".join(r.text for r in group)
    return Reading("issuing_authority", issuer, raw, conf, union_bbox(w.bbox for w in words), words)


def find_id_numbers(rows: Sequence[Row], digits: int = 12) -> list[Reading]:
    """Runs of ``digits`` digits (OCR letter confusions fixed inside digit runs)."""
    out = []
    for row in rows:
        for w in row.words:
            t = w.text.strip(".,:;")
            if len(t) < digits or len(t) > digits + 2:
                continue
            d = nz.digits_only(t)
            letters = sum(c.isalpha() for c in t)
            if len(d) == digits and letters <= 2:
                out.append(Reading("id_number", d, w.text, w.confidence, w.bbox, (w,)))
    return out


def find_ngay_thang_nam(rows: Sequence[Row]) -> list[Reading]:
    """Dates written ``..., ngày 05 tháng 3 năm 2019`` (signature blocks), top to bottom.

    Token patterns (spaCy Matcher, :mod:`extractors.nlp`) read them with or without
    tone marks, and in words.
    """
    from extractors import nlp

    out = []
    for row in rows:
        f = nz.fold(row.text)
        text = row.text
        # "Hà Giang, ngự 10 tháng 02 năm 2012": a misread "ngày" before day and month
        toks = text.split()
        for i in range(len(toks) - 3):
            if (
                re.fullmatch(r"\d{1,2}", toks[i + 1])
                and re.fullmatch(r"th[a-z]{1,2}ng", nz.fold(toks[i + 2]))
                # a rule mark or letter may be glued before it ("XNgày 25 tháng 01")
                and re.fullmatch(r"[a-z]?ng[a-z]{0,2}", nz.fold(toks[i]).strip(",."))
            ):
                toks[i] = "ngày"
        text = " ".join(toks)
        if not re.search(r"\bngay\b", nz.fold(text)):
            continue
        if not re.search(r"\bthang\b", f):
            # "ngày 30 thúng 01 năm 2024": a misread "tháng" between two numbers
            text = " ".join(
                "tháng" if re.fullmatch(r"th[a-z]{1,2}ng", nz.fold(t)) else t for t in text.split()
            )
            if not re.search(r"\bthang\b", nz.fold(text)):
                continue
        canon = {"ngay": "ngày", "thang": "tháng", "nam": "năm"}
        toks = [canon.get(nz.fold(t), t) for t in text.split()]
        for i in range(len(toks) - 1):
            # "nêm 2023": a misread "năm" before the year
            if re.fullmatch(r"n[a-z]{1,2}m", nz.fold(toks[i])) and re.fullmatch(
                r"(?:19|20)[\dOoIló]{2}\W?",
                toks[i + 1],  # a 6 read ó ("200ó")
            ):
                toks[i] = "năm"
        text = " ".join(toks)
        for iso, _text in nlp.find_dates(text)[:1]:
            conf = sum(w.confidence for w in row.words) / len(row.words)
            bbox = union_bbox(w.bbox for w in row.words)
            out.append(Reading("date", iso, row.text, conf, bbox, row.words))
    return out


def find_date_words(rows: Sequence[Row]) -> list[Reading]:
    """Every word that is a whole dd/mm/yyyy date (with OCR letter confusions)."""
    out = []
    for row in rows:
        for w in row.words:
            t = w.text.strip(".,:;ˆ'\"")
            if re.fullmatch(r"[0-9OoIl]{1,2}[/.\-][0-9OoIl]{1,2}[/.\-][0-9OoIl]{4}", t):
                v = nz.normalize_date(t)
                if v:
                    out.append(Reading("date", v, w.text, w.confidence, w.bbox, (w,)))
    return out


def header_rows_with(rows: Sequence[Row], phrase: str, *, top: int = 8) -> list[Row]:
    return [r for r in rows[:top] if row_contains(r, phrase)]
