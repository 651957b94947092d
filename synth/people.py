"""Fake Vietnamese people (and their papers' facts) drawn from a seeded ``np.random.Generator``.

Everything here is invented: names are drawn from common surname / middle / given name
lists, addresses from the real pre-2025 administrative units shipped offline with
``vietnamadminunits`` (its ``parser_legacy.json``; nothing goes online) plus invented
house numbers, streets and villages. The 12-digit ids follow ``shared/spec/documents.md``
(province code of birth registration, century/sex digit, two digits of the birth year,
six random digits). Card dates follow the CCCD rules: a card is valid until the holder
turns 25, 40 or 60 (a card issued within two years before one of these ages runs to the
next one); a card issued at 58 or later has no expiry (``Không thời hạn``).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np

NO_EXPIRY = "Không thời hạn"

# --------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------

# Approximate shares of the most common Vietnamese surnames (in percent).
SURNAMES: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 3.5),
    ("Huỳnh", 3.5), ("Phan", 4.5), ("Vũ", 2.0), ("Võ", 2.0), ("Đặng", 2.1),
    ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0),
    ("Lý", 0.5), ("Đinh", 0.6), ("Trương", 0.6), ("Đoàn", 0.5), ("Lâm", 0.4),
    ("Mai", 0.4), ("Trịnh", 0.4), ("Cao", 0.3), ("Lương", 0.3), ("Tạ", 0.2),
    ("Châu", 0.2), ("Quách", 0.15), ("Hà", 0.3), ("Kiều", 0.1), ("Tô", 0.15),
    ("Thái", 0.1), ("Triệu", 0.15), ("Lưu", 0.2), ("La", 0.1), ("Khổng", 0.05),
    ("Ông", 0.05), ("Lục", 0.05), ("Nông", 0.1), ("Đàm", 0.1), ("Khúc", 0.05),
)  # fmt: skip

MIDDLE_MALE = (
    "Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Đình",
    "Ngọc", "Quang", "Trọng", "Anh", "Tuấn", "Gia", "Hoàng", "Mạnh", "Duy", "Thành",
    "Việt", "Bá", "Khắc", "Tiến", "Thế", "Nhật", "Phước", "Tấn", "Trường",
)  # fmt: skip
MIDDLE_FEMALE = (
    "Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Kim", "Hồng",
    "Bảo", "Khánh", "Thùy", "Mỹ", "Diệu", "Hải", "Quỳnh", "Ánh", "Tuyết", "Hoài",
    "Lệ", "Bích", "Cẩm", "Thúy", "Ý", "Huyền", "Nguyệt", "Hương",
)  # fmt: skip
GIVEN_MALE = (
    "An", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Giang", "Hải", "Hiếu", "Hoàng", "Hùng",
    "Huy", "Hưng", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Luân", "Minh", "Nam", "Nghĩa",
    "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn",
    "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hưởng", "Khải", "Lộc", "Nhật", "Hậu",
    "Tiến", "Thuận", "Trường", "Duy", "Đông", "Quyết", "Lực", "Tú", "Khôi", "Kỳ", "Mạnh",
    "Triệu", "Uy", "Nguyên", "Thiện", "Quý", "Hiển", "Bảo", "Chiến", "Dương", "Hòa",
    "Huấn", "Khương", "Lượng", "Nhân", "Phát", "Quốc", "Sỹ", "Thái", "Thọ", "Tuyến",
    "Vượng", "Xuyên", "Ẩn", "Đoàn", "Ngữ", "Hỷ", "Quỳnh", "Tưởng", "Khiêm", "Nghị",
)  # fmt: skip
GIVEN_FEMALE = (
    "Anh", "Ánh", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Huệ", "Hương", "Hường", "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc",
    "Nhung", "Oanh", "Phương", "Phượng", "Quỳnh", "Thảo", "Thủy", "Thùy", "Trang",
    "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Yến", "Xuân", "Diệp", "Nguyệt", "Khuê",
    "Thư", "Nhàn", "Quyên", "Đào", "Nhi", "Tâm", "Hưởng", "Bích", "Lụa", "Thắm", "Hảo",
    "Ly", "Huyền", "Lệ", "Mỹ", "Nữ", "Quế", "Sương", "Thoa", "Trâm", "Ước", "Xoan",
    "Yên", "Ngần", "Kiều", "Đức", "Hồng", "Lành", "Tươi", "Hòa", "Hiếu", "Thơ", "Ỷ",
)  # fmt: skip

# --------------------------------------------------------------------------------------
# Other vocabularies
# --------------------------------------------------------------------------------------

ETHNICITIES: tuple[tuple[str, float], ...] = (
    ("Kinh", 85.0), ("Tày", 1.9), ("Thái", 1.9), ("Mường", 1.5), ("Khmer", 1.4),
    ("H'Mông", 1.4), ("Nùng", 1.1), ("Hoa", 0.8), ("Dao", 0.9), ("Gia Rai", 0.5),
    ("Ê Đê", 0.4), ("Ba Na", 0.3), ("Sán Chay", 0.2), ("Chăm", 0.2), ("Cơ Ho", 0.2),
    ("Xơ Đăng", 0.2), ("Sán Dìu", 0.2), ("Hrê", 0.15), ("Ra Glai", 0.1), ("Mnông", 0.1),
)  # fmt: skip

STREETS = (
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Lý Thường Kiệt", "Quang Trung",
    "Nguyễn Huệ", "Điện Biên Phủ", "Hoàng Diệu", "Phan Đình Phùng", "Lê Duẩn", "Võ Thị Sáu",
    "Nguyễn Văn Cừ", "Bà Triệu", "Trần Phú", "Hùng Vương", "Nguyễn Du", "Lê Thánh Tông",
    "Phạm Ngũ Lão", "Cách Mạng Tháng Tám", "Tôn Đức Thắng", "Nguyễn Thị Minh Khai",
    "Chu Văn An", "Kim Mã", "Giải Phóng", "Láng Hạ", "Xuân Thủy", "Cầu Giấy", "Phạm Văn Đồng",
    "Lạc Long Quân", "Âu Cơ", "Hoàng Quốc Việt", "Lý Tự Trọng", "Ngô Quyền", "Đinh Tiên Hoàng",
    "Lê Hồng Phong", "Nguyễn Chí Thanh", "Trường Chinh", "Nguyễn Đình Chiểu", "Huỳnh Thúc Kháng",
    "Phan Chu Trinh", "Yết Kiêu", "Trần Quốc Toản", "Đống Đa", "Nguyễn Khuyến", "Tô Hiến Thành",
    "Lê Quý Đôn", "Bạch Đằng", "Hàm Nghi", "Trần Nhân Tông", "Nguyễn Lương Bằng", "Thái Hà",
    "Mạc Thị Bưởi", "Nguyễn Văn Linh", "Võ Nguyên Giáp", "Ỷ Lan", "Hưng Vượng", "Phố Huế",
    "Trần Khát Chân", "Nguyễn Thượng Hiền", "Đội Cấn", "Văn Cao", "Lò Đúc", "Trương Định",
)  # fmt: skip

MARK_KINDS = ("Nốt ruồi", "Sẹo chấm", "Sẹo", "Nốt ruồi son", "Vết bớt")
MARK_PLACES = (
    "trên trước đầu mày trái", "trên sau đầu mày phải", "dưới trước cánh mũi trái",
    "dưới sau cánh mũi phải", "trên sau mép trái", "dưới trước mép phải", "sau đuôi mắt trái",
    "trước vành tai phải", "dưới trước cằm", "trên trán phải", "dưới sau dái tai trái",
)  # fmt: skip

RELATIONSHIPS_TO_HEAD = ("Vợ", "Chồng", "Con", "Con", "Con", "Cháu", "Mẹ", "Bố", "Em", "Anh")

LAND_PURPOSES_URBAN = ("Đất ở tại đô thị", "Đất thương mại, dịch vụ")
LAND_PURPOSES_RURAL = (
    "Đất ở tại nông thôn", "Đất trồng cây lâu năm", "Đất trồng lúa", "Đất nuôi trồng thủy sản",
    "Đất trồng cây hằng năm khác",
)  # fmt: skip


# --------------------------------------------------------------------------------------
# Administrative units (offline, pre-2025)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ward:
    name: str  # "Phường Hợp Giang"
    short: str  # "Hợp Giang"
    kind: str  # "Phường" | "Xã" | "Thị trấn"


@dataclass(frozen=True, slots=True)
class District:
    name: str
    short: str
    kind: str  # "Quận" | "Huyện" | "Thị xã" | "Thành phố"
    wards: tuple[Ward, ...]


@dataclass(frozen=True, slots=True)
class Province:
    code: str
    """Three-digit code of the 12-digit id (``001`` Hà Nội ... ``096`` Cà Mau)."""
    name: str  # "Tỉnh Cao Bằng" / "Thành phố Hà Nội"
    short: str  # "Cao Bằng"
    districts: tuple[District, ...]

    @property
    def is_city(self) -> bool:
        return self.name.startswith("Thành phố")


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", " ".join(s.split()))


_KINDS = ("Thành phố", "Thị xã", "Thị trấn", "Phường", "Quận", "Huyện", "Xã", "Tỉnh")


def _unit_name(name: str) -> tuple[str, str]:
    """(kind, name) with the kind spelled as printed: ``Thị Xã Buôn Hồ`` -> ``Thị xã Buôn Hồ``."""
    name = _nfc(name)
    for kind in _KINDS:
        if name.lower().startswith(kind.lower() + " "):
            return kind, kind + name[len(kind) :]
    return "", name


def _short(s: str) -> str:
    """``Chi Lăng (Thị trấn)`` -> ``Chi Lăng`` (the data set disambiguates some short names)."""
    return _nfc(s.split("(")[0])


@lru_cache(maxsize=1)
def provinces() -> tuple[Province, ...]:
    """The 63 pre-2025 provinces with their districts and wards, sorted by code."""
    path = resources.files("vietnamadminunits") / "data" / "parser_legacy.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for pkey, p in data["DICT_PROVINCE"].items():
        dists = []
        wards_by_district = data["DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED"].get(pkey, {})
        for dkey, d in data["DICT_PROVINCE_DISTRICT"][pkey].items():
            wards = []
            for w in wards_by_district.get(dkey, {}).values():
                if not isinstance(w.get("ward"), str) or not isinstance(w.get("wardShort"), str):
                    continue
                kind, wname = _unit_name(w["ward"])
                if kind in ("Phường", "Xã", "Thị trấn"):
                    wards.append(Ward(wname, _short(w["wardShort"]), kind))
            dkind, dname = _unit_name(d["district"])
            if wards and dkind in ("Quận", "Huyện", "Thị xã", "Thành phố"):
                dists.append(District(dname, _short(d["districtShort"]), dkind, tuple(wards)))
        out.append(
            Province(
                "0" + p["provinceCode"],
                _nfc(p["province"]),
                _short(p["provinceShort"]),
                tuple(dists),
            )
        )
    return tuple(sorted(out, key=lambda p: p.code))


def province_codes() -> tuple[str, ...]:
    return tuple(p.code for p in provinces())


def province_by_code(code: str) -> Province:
    for p in provinces():
        if p.code == code:
            return p
    raise KeyError(code)


# --------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------

ADDRESS_STYLES = ("spec", "full", "short", "lower", "abbrev")
"""How an address is written: ``spec`` ``Số 12 Lê Lợi, Phường Hợp Giang, Thành phố Cao Bằng,
Cao Bằng``; ``full`` also prefixes the province (``Tỉnh Cao Bằng``); ``short`` drops unit
words (``Hợp Giang, Cao Bằng, Cao Bằng``); ``lower`` writes unit words in lower case as
certificates do (``phường Hợp Giang, thành phố Cao Bằng, tỉnh Cao Bằng``); ``abbrev`` uses
``P.``, ``Q.``, ``TP.``, ``TX.``, ``TT.``."""

_ABBREV = {
    "Phường": "P.", "Xã": "X.", "Thị trấn": "TT.", "Quận": "Q.", "Huyện": "H.",
    "Thị xã": "TX.", "Thành phố": "TP.", "Tỉnh": "T.",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    """House number and street, or village (``Thôn Yên Nội``); may be empty."""
    ward: Ward
    district: District
    province: Province

    def _unit(self, kind: str, name: str, short: str, style: str) -> str:
        if short.isdigit() or style in ("spec", "full"):
            full = name
        elif style == "short":
            return short
        elif style == "lower":
            full = name
        else:  # abbrev
            return f"{_ABBREV.get(kind, kind)} {short}" if not short.isdigit() else name
        if style == "lower":
            return kind.lower() + full[len(kind) :]
        return full

    def format(self, style: str = "spec", *, with_street: bool = True) -> str:
        parts = []
        if with_street and self.street:
            parts.append(self.street)
        parts.append(self._unit(self.ward.kind, self.ward.name, self.ward.short, style))
        parts.append(self._unit(self.district.kind, self.district.name, self.district.short, style))
        pkind = "Thành phố" if self.province.is_city else "Tỉnh"
        if style == "full":
            parts.append(self.province.name)
        elif style == "lower":
            parts.append(pkind.lower() + " " + self.province.short)
        elif style == "abbrev" and self.province.is_city:
            parts.append("TP. " + self.province.short)
        else:
            parts.append(self.province.short)
        return _nfc(", ".join(parts))

    def short_origin(self, style: str = "spec") -> str:
        """Quê quán as cards print it: ward/commune, district, province (no street)."""
        return self.format(style, with_street=False)


def _weighted(rng: np.random.Generator, pairs: tuple[tuple[str, float], ...]) -> str:
    w = np.array([p[1] for p in pairs], dtype=float)
    return pairs[int(rng.choice(len(pairs), p=w / w.sum()))][0]


def _pick(rng: np.random.Generator, seq):
    return seq[int(rng.integers(len(seq)))]


def _province_for(rng: np.random.Generator, code: str | None = None) -> Province:
    if code is not None:
        return province_by_code(code)
    ps = provinces()
    # Big cities are over-represented, as in offices' intake.
    w = np.array([6.0 if p.code in ("001", "079") else 2.0 if p.is_city else 1.0 for p in ps])
    return ps[int(rng.choice(len(ps), p=w / w.sum()))]


def _street_line(rng: np.random.Generator, ward: Ward, province_code: str = "001") -> str:
    urban = ward.kind == "Phường" or (ward.kind == "Thị trấn" and rng.random() < 0.5)
    if urban:
        n = int(rng.integers(1, 300))
        street = _pick(rng, STREETS)
        r = rng.random()
        road = _pick(rng, ("", "", "", "đường ", "phố ", "Đường "))
        if r < 0.30:
            return f"Số {n} {road}{street}"
        if r < 0.48:
            return f"{n} {road}{street}"
        if r < 0.60:
            return f"Số {n}/{int(rng.integers(1, 80))} {road}{street}"
        if r < 0.70:
            return f"Số nhà {int(rng.integers(1, 60))}, ngõ {n} {road}{street}"
        if r < 0.75:
            return f"Số {int(rng.integers(1, 40))}, ngách {n}/{int(rng.integers(2, 90))}, {street}"
        if r < 0.81:
            block = _pick(rng, ("CT1", "CT2", "A1", "B", "HH3", "N04", "Tòa A", "Tòa B2"))
            flat = int(rng.integers(1, 30)) * 100 + int(rng.integers(1, 20))
            if block.startswith("Tòa"):
                return f"Căn hộ {flat}, {block}, chung cư {street}"
            return f"Phòng {flat}, nhà {block}, khu đô thị {_pick(rng, _village_names())}"
        if r < 0.88:
            return f"Tổ dân phố {int(rng.integers(1, 30))}"
        if r < 0.94:
            return f"Khu phố {int(rng.integers(1, 12))}"
        return f"Tổ {int(rng.integers(1, 40))}"
    r = rng.random()
    village = _pick(rng, _village_names())
    code = int(province_code)
    if code >= 70:  # the South: ấp, khóm
        if r < 0.7:
            return f"Ấp {village}"
        if r < 0.85:
            return f"Ấp {int(rng.integers(1, 12))}"
        return f"Khóm {int(rng.integers(1, 10))}"
    if 2 <= code <= 20 and r < 0.3:  # northern mountains: bản
        return f"Bản {village}"
    if r < 0.6:
        return f"Thôn {village}"
    if r < 0.85 and code < 46:
        return f"Xóm {int(rng.integers(1, 15))}"
    if r < 0.92:
        return f"Thôn {int(rng.integers(1, 12))}"
    return f"Tổ {int(rng.integers(1, 20))}"


@lru_cache(maxsize=1)
def _village_names() -> tuple[str, ...]:
    names = sorted(
        {
            w.short
            for p in provinces()
            for d in p.districts
            for w in d.wards
            if not w.short.isdigit() and 1 <= len(w.short.split()) <= 2
        }
    )
    return tuple(names)


def make_address(
    rng: np.random.Generator, *, province_code: str | None = None, street: bool = True
) -> Address:
    p = _province_for(rng, province_code)
    d = _pick(rng, p.districts)
    w = _pick(rng, d.wards)
    return Address(_street_line(rng, w, p.code) if street else "", w, d, p)


# --------------------------------------------------------------------------------------
# Dates, ids, MRZ helpers
# --------------------------------------------------------------------------------------


def random_date(rng: np.random.Generator, start: dt.date, end: dt.date) -> dt.date:
    span = (end - start).days
    return start + dt.timedelta(days=int(rng.integers(0, max(span, 0) + 1)))


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def age_on(dob: dt.date, day: dt.date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def card_expiry(dob: dt.date, issued: dt.date) -> dt.date | None:
    """Expiry of a CCCD / Căn cước card issued on ``issued`` (None = ``Không thời hạn``)."""
    age = age_on(dob, issued)
    for milestone in (25, 40, 60):
        if age < milestone - 2:
            return add_years(dob, milestone)
    return None


def century_sex_digit(year: int, sex: str) -> str:
    base = {19: 0, 20: 2, 21: 4, 22: 6, 18: 8}[year // 100]
    return str(base + (1 if sex == "Nữ" else 0))


def make_id_number(rng: np.random.Generator, province_code: str, dob: dt.date, sex: str) -> str:
    tail = "".join(str(int(d)) for d in rng.integers(0, 10, size=6))
    return f"{province_code}{century_sex_digit(dob.year, sex)}{dob.year % 100:02d}{tail}"


def id_matches(id_number: str, dob: dt.date, sex: str) -> bool:
    return (
        len(id_number) == 12
        and id_number.isdigit()
        and id_number[3] == century_sex_digit(dob.year, sex)
        and id_number[4:6] == f"{dob.year % 100:02d}"
    )


def ascii_upper(s: str) -> str:
    """``Nguyễn Văn Đức`` -> ``NGUYEN VAN DUC`` (MRZ transliteration)."""
    s = s.replace("Đ", "D").replace("đ", "d")
    s = unicodedata.normalize("NFD", s)
    return "".join(c for c in s if unicodedata.category(c) != "Mn").upper()


def mrz_check_digit(data: str) -> str:
    """ICAO 9303 check digit (weights 7, 3, 1; ``<`` = 0, ``A`` = 10 ...)."""
    total = 0
    for i, c in enumerate(data):
        if c.isdigit():
            v = int(c)
        elif c.isalpha():
            v = ord(c.upper()) - ord("A") + 10
        else:
            v = 0
        total += v * (7, 3, 1)[i % 3]
    return str(total % 10)


# --------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Relative:
    full_name: str
    birth_year: int
    sex: str
    id_number: str | None = None
    date_of_birth: dt.date | None = None
    ethnicity: str = "Kinh"
    residence: Address | None = None


@dataclass(frozen=True, slots=True)
class Person:
    surname: str
    middle: str
    given: str
    sex: str
    """``Nam`` or ``Nữ``."""
    date_of_birth: dt.date
    birth_province_code: str
    id_number: str
    old_id_number: str | None
    ethnicity: str
    religion: str
    place_of_origin: Address
    place_of_birth: Address
    residence: Address
    temporary_residence: Address | None
    current_residence: Address
    personal_identification: str
    father: Relative
    mother: Relative
    card_issue: dict[str, dt.date] = field(default_factory=dict, compare=False)
    """Issue date per card kind: ``cccd2016``, ``cccd2021``, ``cancuoc``, ``cmnd``."""
    nationality: str = "Việt Nam"

    @property
    def full_name(self) -> str:
        """Title case, as in the QR and on certificates written by hand."""
        return _nfc(" ".join(x for x in (self.surname, self.middle, self.given) if x))

    @property
    def upper_name(self) -> str:
        return self.full_name.upper()

    def card_expiry(self, kind: str) -> dt.date | None:
        return card_expiry(self.date_of_birth, self.card_issue[kind])

    def mrz_name(self) -> str:
        given = " ".join(x for x in (self.middle, self.given) if x)
        # ICAO 9303: apostrophes are left out, hyphens become fillers (``H'Hen`` -> ``HHEN``)
        name = ascii_upper(self.surname) + "<<" + ascii_upper(given)
        name = name.replace(" ", "<")  # a two-word surname (``Tôn Nữ``) too
        return name.replace("'", "").replace("-", "<")


def make_name(
    rng: np.random.Generator, sex: str, *, surname: str | None = None
) -> tuple[str, str, str]:
    sur = surname or _weighted(rng, SURNAMES)
    if sex == "Nam":
        middle = _pick(rng, MIDDLE_MALE)
        if rng.random() < 0.2:
            middle = middle + " " + _pick(rng, MIDDLE_MALE[3:])
        given = _pick(rng, GIVEN_MALE)
    else:
        middle = _pick(rng, MIDDLE_FEMALE)
        if rng.random() < 0.3:
            middle = middle + " " + _pick(rng, MIDDLE_FEMALE[4:])
        given = _pick(rng, GIVEN_FEMALE)
    if middle.split()[-1] == given:
        middle = "Văn" if sex == "Nam" else "Thị"
    return sur, middle, given


def personal_mark(rng: np.random.Generator) -> str:
    dist = _pick(rng, ("0,5", "1", "1,5", "2", "2,5", "3", "1,2", "0,8"))
    return f"{_pick(rng, MARK_KINDS)} C:{dist}cm {_pick(rng, MARK_PLACES)}"


def _make_relative(
    rng: np.random.Generator, sex: str, child_dob: dt.date, *, surname: str | None = None
) -> Relative:
    age_at_birth = int(rng.integers(19, 42))
    year = child_dob.year - age_at_birth
    dob = random_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 28))
    sur, mid, giv = make_name(rng, sex, surname=surname)
    code = _province_for(rng).code
    return Relative(
        full_name=_nfc(f"{sur} {mid} {giv}"),
        birth_year=year,
        sex=sex,
        id_number=make_id_number(rng, code, dob, sex),
        date_of_birth=dob,
    )


def make_person(
    rng: np.random.Generator,
    *,
    sex: str | None = None,
    born_between: tuple[int, int] = (1950, 2006),
    adult: bool = True,
) -> Person:
    """A fake person. ``adult`` people have every card kind they could hold (issue dates)."""
    sex = sex or ("Nam" if rng.random() < 0.5 else "Nữ")
    y0, y1 = born_between
    # Mostly working-age adults; some older people (cards without expiry).
    if rng.random() < 0.85:
        year = int(rng.integers(max(y0, min(1962, y1)), y1 + 1))
    else:
        year = int(rng.integers(y0, y1 + 1))
    dob = random_date(rng, dt.date(year, 1, 1), dt.date(year, 12, 31))
    origin = make_address(rng, street=False)
    birth_code = origin.province.code if rng.random() < 0.7 else _province_for(rng).code
    place_of_birth = make_address(rng, province_code=birth_code, street=False)
    residence = make_address(
        rng, province_code=origin.province.code if rng.random() < 0.4 else None
    )
    temp = make_address(rng) if rng.random() < 0.3 else None
    current = temp if temp is not None else residence
    sur, mid, giv = make_name(rng, sex)
    father = _make_relative(rng, "Nam", dob, surname=sur)
    mother = _make_relative(rng, "Nữ", dob)
    issue: dict[str, dt.date] = {}
    at14 = add_years(dob, 14)

    def _issue(kind: str, start: dt.date, end: dt.date) -> None:
        start = max(start, at14)
        if start <= end:
            issue[kind] = random_date(rng, start, end)

    if adult:
        _issue("cmnd", dt.date(1995, 1, 1), dt.date(2015, 12, 31))
        _issue("cccd2016", dt.date(2016, 1, 1), dt.date(2020, 12, 31))
        _issue("cccd2021", dt.date(2021, 1, 1), dt.date(2024, 6, 30))
        _issue("cancuoc", dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    old_id = None
    if "cmnd" in issue and rng.random() < 0.85:
        old_id = "".join(str(int(d)) for d in rng.integers(0, 10, size=9))
        old_id = str(int(rng.integers(0, 4))) + old_id[1:]
    return Person(
        surname=sur,
        middle=mid,
        given=giv,
        sex=sex,
        date_of_birth=dob,
        birth_province_code=birth_code,
        id_number=make_id_number(rng, birth_code, dob, sex),
        old_id_number=old_id,
        ethnicity=_weighted(rng, ETHNICITIES),
        religion=_pick(rng, ("Không", "Không", "Không", "Phật giáo", "Công giáo", "Tin lành")),
        place_of_origin=origin,
        place_of_birth=place_of_birth,
        residence=residence,
        temporary_residence=temp,
        current_residence=current,
        personal_identification=personal_mark(rng),
        father=father,
        mother=mother,
        card_issue=issue,
    )


def make_spouse(rng: np.random.Generator, person: Person) -> Person:
    sex = "Nữ" if person.sex == "Nam" else "Nam"
    lo = max(1950, person.date_of_birth.year - 6)
    hi = min(2006, person.date_of_birth.year + 6)
    return make_person(rng, sex=sex, born_between=(lo, max(lo, hi)))


@dataclass(frozen=True, slots=True)
class Household:
    head_name: str
    head_id_number: str
    relationship: str
    """Of the person to the head (``Chủ hộ`` when the person is the head)."""


def make_household(rng: np.random.Generator, person: Person) -> Household:
    if rng.random() < 0.35:
        return Household(person.full_name, person.id_number, "Chủ hộ")
    rel = _pick(rng, RELATIONSHIPS_TO_HEAD)
    head_sex = {"Vợ": "Nam", "Chồng": "Nữ", "Mẹ": "Nữ", "Bố": "Nam"}.get(
        rel, "Nam" if rng.random() < 0.7 else "Nữ"
    )
    if rel == "Vợ" and person.sex == "Nam":
        rel = "Chồng"
        head_sex = "Nữ"
    elif rel == "Chồng" and person.sex == "Nữ":
        rel = "Vợ"
        head_sex = "Nam"
    surname = person.surname if rel in ("Con", "Cháu", "Em", "Anh") else None
    head = _make_relative(rng, head_sex, person.date_of_birth, surname=surname)
    if rel in ("Vợ", "Chồng", "Em", "Anh"):
        y = person.date_of_birth.year + int(rng.integers(-5, 6))
        hd = random_date(rng, dt.date(y, 1, 1), dt.date(y, 12, 28))
        head = Relative(head.full_name, y, head_sex, make_id_number(rng, "001", hd, head_sex), hd)
    if rel in ("Mẹ", "Bố"):  # the head is the person's child
        y = min(person.date_of_birth.year + int(rng.integers(20, 35)), 2005)
        hd = random_date(rng, dt.date(y, 1, 1), dt.date(y, 12, 28))
        code = _province_for(rng).code
        head = Relative(head.full_name, y, head_sex, make_id_number(rng, code, hd, head_sex), hd)
    return Household(head.full_name, head.id_number or "", rel)


@dataclass(frozen=True, slots=True)
class LandParcel:
    serial: str
    """``CS 123456`` / ``AA 01234567`` / ``BĐ 123456``."""
    parcel_number: str
    map_sheet_number: str
    address: Address
    area: str
    """As printed, decimal comma: ``120,5``."""
    purpose: str
    term: str
    issued: dt.date
    holders: tuple[Relative, ...]


def make_land_parcel(
    rng: np.random.Generator, owner: Person, *, co_owner: Person | None = None
) -> LandParcel:
    issued = random_date(rng, dt.date(2005, 1, 1), dt.date(2024, 12, 31))
    r = rng.random()
    if issued.year >= 2019 and r < 0.6:
        letters = "".join(chr(ord("A") + int(x)) for x in rng.integers(0, 26, size=2))
        serial = f"{letters} {int(rng.integers(0, 10**8)):08d}"
    elif issued.year >= 2010:
        prefix = _pick(rng, ("CS", "CT", "CĐ", "CH", "BV", "BY", "CE"))
        serial = f"{prefix} {int(rng.integers(0, 10**6)):06d}"
    else:
        serial = (
            f"{_pick(rng, ('AĐ', 'AK', 'AM', 'AO', 'BĐ', 'BA'))} {int(rng.integers(0, 10**6)):06d}"
        )
    addr = make_address(rng, province_code=owner.residence.province.code)
    urban = addr.ward.kind == "Phường"
    if urban:
        area_v = round(float(rng.uniform(30, 250)), int(rng.integers(0, 2)))
    else:
        area_v = round(float(rng.uniform(80, 3000)), int(rng.integers(0, 2)))
    area = f"{area_v:.1f}".replace(".", ",") if area_v != int(area_v) else str(int(area_v))
    if rng.random() < 0.15 and area_v >= 1000:
        area = f"{int(area_v):,}".replace(",", ".")
    purpose = _pick(rng, LAND_PURPOSES_URBAN if urban else LAND_PURPOSES_RURAL)
    term = (
        "Lâu dài"
        if purpose.startswith("Đất ở") or rng.random() < 0.3
        else (f"Đến ngày {issued.day:02d}/{issued.month:02d}/{issued.year + 50}")
    )
    holders = [
        Relative(
            owner.full_name,
            owner.date_of_birth.year,
            owner.sex,
            owner.id_number,
            owner.date_of_birth,
        )
    ]
    if co_owner is not None:
        holders.append(
            Relative(
                co_owner.full_name,
                co_owner.date_of_birth.year,
                co_owner.sex,
                co_owner.id_number,
                co_owner.date_of_birth,
            )
        )
    return LandParcel(
        serial=serial,
        parcel_number=str(int(rng.integers(1, 1500))),
        map_sheet_number=str(int(rng.integers(1, 120))),
        address=addr,
        area=area,
        purpose=purpose,
        term=term,
        issued=issued,
        holders=tuple(holders),
    )


# --------------------------------------------------------------------------------------
# Vietnamese numbers and dates in words (birth certificates)
# --------------------------------------------------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
MONTH_WORDS = (
    "", "một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một",
    "mười hai",
)  # fmt: skip


def _two(n: int, *, leading: bool) -> str:
    t, u = divmod(n, 10)
    if t == 0:
        return _DIGITS[u] if leading else ("lẻ " + _DIGITS[u] if u else "")
    head = "mười" if t == 1 else _DIGITS[t] + " mươi"
    if u == 0:
        return head
    if u == 1 and t > 1:
        return head + " mốt"
    if u == 5:
        return head + " lăm"
    if u == 4 and t > 1:
        return head + " tư"
    return head + " " + _DIGITS[u]


def number_words(n: int) -> str:
    """Vietnamese words for 0..9999 (``2016`` -> ``hai nghìn không trăm mười sáu``)."""
    if n < 100:
        return _two(n, leading=True)
    parts = []
    th, rest = divmod(n, 1000)
    if th:
        parts.append(_DIGITS[th] + " nghìn")
    h, r = divmod(rest, 100)
    if (th or h) and (h or r):
        parts.append(_DIGITS[h] + " trăm")
    if r:
        parts.append(_two(r, leading=not (th or h)))
    return " ".join(p for p in parts if p)


def date_words(d: dt.date) -> str:
    return f"Ngày {number_words(d.day)}, tháng {MONTH_WORDS[d.month]}, năm {number_words(d.year)}"


# --------------------------------------------------------------------------------------
# Held-out people (``motcua bench extract --holdout``)
# --------------------------------------------------------------------------------------
# Names, streets and villages that the default corpus never draws, and addresses drawn
# from other parts of the gazetteer (long or numbered ward names, the provinces the
# default weighting under-samples), so that a check on them says how extraction does on
# people it was not tuned on. Used only through :func:`make_holdout_person`; the default
# generators above never touch these lists (their random sequence is unchanged).

HOLDOUT_SURNAMES = (
    "Âu", "Bế", "Cù", "Diệp", "Doãn", "Giáp", "Hàn", "Hứa", "Kha", "Khuất", "Lạc", "Mạc",
    "Ninh", "Phùng", "Quan", "Sầm", "Tăng", "Thân", "Tiêu", "Tôn", "Vi", "Vương", "Ứng",
    "Đồng", "Chu", "Văn", "Tôn Thất", "Tôn Nữ", "Nguyễn Phúc", "Ôn", "Phí", "Lã", "Nghiêm",
)  # fmt: skip
HOLDOUT_MIDDLE_MALE = (
    "Chí", "Đăng", "Đắc", "Như", "Phú", "Sỹ", "Thiện", "Vĩnh", "Nhân", "Kim", "Hồng", "Tất",
    "Khả", "Ngọc Bảo", "Đình Quốc", "Viết", "Hữu Đức",
)  # fmt: skip
HOLDOUT_MIDDLE_FEMALE = (
    "Thị Kim", "Tường", "Uyển", "Vân", "Gia", "Khả", "Bội", "Nhã", "Trúc", "Thị Ngọc",
    "Đoan", "Xuân Thị", "Hạnh", "Băng",
)  # fmt: skip
HOLDOUT_GIVEN_MALE = (
    "Ấn", "Bằng", "Cảnh", "Chương", "Doanh", "Giáp", "Hách", "Hoành", "Khởi", "Lãm",
    "Lĩnh", "Mẫn", "Ngạn", "Nhẫn", "Phụng", "Quảng", "Sửu", "Tỵ", "Thưởng", "Ước", "Vỹ",
    "Xứng", "Kỷ", "Đệ", "Khuyến", "Nghiễm", "Thẩm", "Ngoạn", "Ẩm", "Dĩnh", "Hoạt",
)  # fmt: skip
HOLDOUT_GIVEN_FEMALE = (
    "Ấu", "Diễm", "Dịu", "Gấm", "Lựu", "Mận", "Nguyện", "Nhụy", "Phấn", "Sen", "Thụy",
    "Tuệ", "Uyển", "Xuyến", "Ngát", "Hoè", "Ửng", "Đượm", "Thỏa", "Liễu", "Ngữ", "Tỉnh",
)  # fmt: skip
# Names of ethnic minorities as cards print them: (ethnicity, surnames, male middles,
# female middles, male given, female given). Ê Đê names put the clan name last.
HOLDOUT_MINORITY = (
    ("H'Mông", ("Giàng", "Sùng", "Vàng", "Hầu", "Lầu", "Thào", "Mùa", "Ly"), ("A", "Seo", "Mí"),
     ("Thị",), ("Páo", "Chứ", "Dơ", "Lử", "Sính", "Tủa", "Pó"), ("Mỷ", "Dợ", "Súa", "Chá", "Xúa")),
    ("Thái", ("Lò", "Quàng", "Cầm", "Tòng", "Lường", "Điêu"), ("Văn",), ("Thị",),
     ("Pấng", "Ún", "Ính", "Khé", "Phanh"), ("Ơn", "Mến", "Ỉn", "Xuân")),
    ("Ê Đê", ("Y", "Y"), ("Bhin", "Ngông", "Kô", "Blô"), ("H'Hen", "H'Bia", "H'Luyn"),
     ("Niê", "Ayun", "Byă", "Mlô", "Ksơr"), ("Niê", "Ayun", "Byă", "Mlô", "Ksơr")),
)  # fmt: skip
HOLDOUT_STREETS = (
    "Nguyễn Thị Định", "Hoàng Hoa Thám", "Tây Sơn", "Lương Thế Vinh", "Phan Bội Châu",
    "Trần Quang Khải", "Nguyễn Văn Trỗi", "Lê Văn Sỹ", "Cộng Hòa", "Ba Tháng Hai",
    "Nguyễn Tất Thành", "30 Tháng 4", "Quốc lộ 1A", "Tỉnh lộ 10", "Đại lộ Bình Dương",
    "Hồ Tùng Mậu", "Khương Trung", "Nguyễn Hữu Thọ", "Kinh Dương Vương", "Ông Ích Khiêm",
    "Mậu Thân", "Trần Hưng Đạo B", "Nguyễn Ảnh Thủ", "Xô Viết Nghệ Tĩnh", "Y Wang",
)  # fmt: skip


def _holdout_province(rng: np.random.Generator) -> Province:
    """Provinces the default weighting under-samples: the two big cities are rare here."""
    ps = provinces()
    w = np.array([0.3 if p.code in ("001", "079") else 1.0 for p in ps])
    return ps[int(rng.choice(len(ps), p=w / w.sum()))]


def _holdout_ward(rng: np.random.Generator, p: Province) -> tuple[District, Ward]:
    """A ward with a long (3+ words) or numbered name when the province has one."""
    pairs = [(d, w) for d in p.districts for w in d.wards]
    odd = [(d, w) for d, w in pairs if len(w.short.split()) >= 3 or w.short.isdigit()]
    pool = odd if odd and rng.random() < 0.6 else pairs
    return pool[int(rng.integers(len(pool)))]


def _holdout_street(rng: np.random.Generator, ward: Ward, province_code: str) -> str:
    names = _long_village_names()
    r = rng.random()
    if ward.kind == "Phường" or (ward.kind == "Thị trấn" and r < 0.5):
        n = int(rng.integers(1, 999))
        street = _pick(rng, HOLDOUT_STREETS)
        r = rng.random()
        if r < 0.2:
            return f"Số {n}{_pick(rng, ('A', 'B', 'C', 'Bis'))} {street}"
        if r < 0.35:
            return f"{n}/{int(rng.integers(1, 99))}/{int(rng.integers(1, 30))} {street}"
        if r < 0.5:
            return f"Hẻm {n}/{int(rng.integers(2, 60))} {street}"
        if r < 0.6:
            return f"Kiệt {int(rng.integers(1, 200))} {street}"
        if r < 0.72:
            lot = f"{_pick(rng, ('A', 'B', 'C', 'D'))}{int(rng.integers(1, 40))}"
            return f"Lô {lot}, khu dân cư {_pick(rng, names)}"
        if r < 0.82:
            return f"Km {int(rng.integers(1, 90))}, {street}"
        if r < 0.92:
            return f"Tiểu khu {int(rng.integers(1, 15))}"
        return f"Khối {int(rng.integers(1, 20))}"
    code = int(province_code)
    if 62 <= code <= 68 and r < 0.5:  # Tây Nguyên: buôn, plei, bon
        return f"{_pick(rng, ('Buôn', 'Plei', 'Bon', 'Làng'))} {_pick(rng, names)}"
    if r < 0.4:
        return f"Thôn {_pick(rng, names)}"
    if r < 0.6:
        return f"Ấp {_pick(rng, names)} {_pick(rng, ('A', 'B', '1', '2'))}"
    if r < 0.8:
        return f"Xóm {_pick(rng, ('Bãi', 'Đình', 'Chùa', 'Giữa', 'Trại', 'Mới'))}"
    return f"Đội {int(rng.integers(1, 15))}"


@lru_cache(maxsize=1)
def _long_village_names() -> tuple[str, ...]:
    """Ward names of three or more words (the default village list keeps one or two)."""
    names = sorted(
        {
            w.short
            for p in provinces()
            for d in p.districts
            for w in d.wards
            if not w.short.isdigit() and len(w.short.split()) >= 3
        }
    )
    return tuple(names) or _village_names()


def make_holdout_address(
    rng: np.random.Generator, *, province_code: str | None = None, street: bool = True
) -> Address:
    p = province_by_code(province_code) if province_code else _holdout_province(rng)
    d, w = _holdout_ward(rng, p)
    return Address(_holdout_street(rng, w, p.code) if street else "", w, d, p)


def make_holdout_name(
    rng: np.random.Generator, sex: str, *, surname: str | None = None, ethnic: str | None = None
) -> tuple[str, str, str]:
    """(surname, middle, given) from the held-out lists; ``ethnic`` picks minority names."""
    for eth, surs, mid_m, mid_f, giv_m, giv_f in HOLDOUT_MINORITY:
        if eth == ethnic:
            sur = surname or _pick(rng, surs)
            mid = _pick(rng, mid_m if sex == "Nam" else mid_f)
            giv = _pick(rng, giv_m if sex == "Nam" else giv_f)
            if eth == "Ê Đê" and sex == "Nữ":  # H'Hen Niê: no leading "Y"
                sur, mid = mid, ""
            return sur, mid, giv
    sur = surname or _pick(rng, HOLDOUT_SURNAMES)
    if sex == "Nam" and sur == "Tôn Nữ":  # the women of the Tôn Thất family
        sur = "Tôn Thất"
    if sex == "Nam":
        return sur, _pick(rng, HOLDOUT_MIDDLE_MALE), _pick(rng, HOLDOUT_GIVEN_MALE)
    return sur, _pick(rng, HOLDOUT_MIDDLE_FEMALE), _pick(rng, HOLDOUT_GIVEN_FEMALE)


def make_holdout_person(
    rng: np.random.Generator,
    *,
    sex: str | None = None,
    born_between: tuple[int, int] = (1950, 2006),
    adult: bool = True,
) -> Person:
    """A fake person whose names and addresses come from the held-out lists.

    Dates, card issue dates and the id's structure follow the same rules as
    :func:`make_person`; one person in four has a minority name (and that ethnicity)."""
    import dataclasses

    base = make_person(rng, sex=sex, born_between=born_between, adult=adult)
    ethnic = None
    if rng.random() < 0.25:
        ethnic = _pick(rng, tuple(m[0] for m in HOLDOUT_MINORITY))
    sur, mid, giv = make_holdout_name(rng, base.sex, ethnic=ethnic)
    origin = make_holdout_address(rng, street=False)
    birth_code = origin.province.code if rng.random() < 0.7 else _holdout_province(rng).code
    place_of_birth = make_holdout_address(rng, province_code=birth_code, street=False)
    residence = make_holdout_address(
        rng, province_code=origin.province.code if rng.random() < 0.5 else None
    )
    temp = make_holdout_address(rng) if base.temporary_residence is not None else None
    fs, fm, fg = make_holdout_name(rng, "Nam", surname=sur if ethnic != "Ê Đê" else None,
                                   ethnic=ethnic)  # fmt: skip
    ms, mm, mg = make_holdout_name(rng, "Nữ", ethnic=ethnic)
    return dataclasses.replace(
        base,
        surname=sur,
        middle=mid,
        given=giv,
        birth_province_code=birth_code,
        id_number=make_id_number(rng, birth_code, base.date_of_birth, base.sex),
        ethnicity=ethnic or base.ethnicity,
        place_of_origin=origin,
        place_of_birth=place_of_birth,
        residence=residence,
        temporary_residence=temp,
        current_residence=temp if temp is not None else residence,
        father=dataclasses.replace(base.father, full_name=_nfc(f"{fs} {fm} {fg}")),
        mother=dataclasses.replace(base.mother, full_name=_nfc(f"{ms} {mm} {mg}")),
    )


def make_holdout_spouse(rng: np.random.Generator, person: Person) -> Person:
    sex = "Nữ" if person.sex == "Nam" else "Nam"
    lo = max(1950, person.date_of_birth.year - 6)
    hi = min(2006, person.date_of_birth.year + 6)
    return make_holdout_person(rng, sex=sex, born_between=(lo, max(lo, hi)))
