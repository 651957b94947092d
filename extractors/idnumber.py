"""The 12-digit personal identification number (and the old 9-digit CMND number).

Digits 1-3: code of the province where the birth was registered (the 63 pre-2025
provinces, Thông tư 07/2016/TT-BCA; they never change with the 2025 merger).
Digit 4: century and sex. Digits 5-6: last two digits of the birth year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

# Digit 4: (century start, sex)
_CENTURY_SEX = {
    0: (1900, "Nam"),
    1: (1900, "Nữ"),
    2: (2000, "Nam"),
    3: (2000, "Nữ"),
    4: (2100, "Nam"),
    5: (2100, "Nữ"),
    6: (2200, "Nam"),
    7: (2200, "Nữ"),
    8: (1800, "Nam"),
    9: (1800, "Nữ"),
}

ID12 = re.compile(r"(?<!\d)\d{12}(?!\d)")
ID9 = re.compile(r"(?<!\d)\d{9}(?!\d)")


@dataclass(frozen=True, slots=True)
class IdInfo:
    number: str
    province_code: str
    province: str | None
    sex: str
    birth_year: int


def parse_id12(number: str) -> IdInfo | None:
    """What the digits of a 12-digit number say; ``None`` if it is not 12 digits."""
    if not re.fullmatch(r"\d{12}", number or ""):
        return None
    century, sex = _CENTURY_SEX[int(number[3])]
    return IdInfo(
        number=number,
        province_code=number[:3],
        province=PROVINCE_CODES.get(number[:3]),
        sex=sex,
        birth_year=century + int(number[4:6]),
    )


def is_id12(number: str) -> bool:
    info = parse_id12(number)
    return info is not None and info.province is not None


def is_cmnd9(number: str) -> bool:
    return bool(re.fullmatch(r"\d{9}", number or ""))


def mask(number: str | None) -> str:
    """``001099012345`` -> ``0010******45`` for logs."""
    if not number:
        return "-"
    if len(number) <= 6:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 6) + number[-2:]


def check_against(number: str, *, birth_year: int | None, sex: str | None) -> dict[str, bool]:
    """Named checks of a 12-digit number against the date of birth / sex on the same paper."""
    out: dict[str, bool] = {}
    info = parse_id12(number)
    if info is None:
        return out
    out["id_number_province_code"] = info.province is not None
    if birth_year is not None:
        out["id_number_matches_birth_date"] = info.birth_year == birth_year
    if sex in ("Nam", "Nữ"):
        out["id_number_matches_sex"] = info.sex == sex
    return out
