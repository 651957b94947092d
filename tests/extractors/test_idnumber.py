"""12-digit personal numbers: province codes, century/sex digit, birth year."""

from __future__ import annotations

import pytest

from extractors import idnumber


def test_63_province_codes() -> None:
    codes = idnumber.PROVINCE_CODES
    assert len(codes) == 63
    assert codes["001"] == "Hà Nội"
    assert codes["079"] == "Hồ Chí Minh"
    assert codes["096"] == "Cà Mau"
    assert codes["048"] == "Đà Nẵng"
    assert "003" not in codes and "097" not in codes


@pytest.mark.parametrize(
    ("number", "sex", "year"),
    [
        ("001099012345", "Nam", 1999),
        ("001199012345", "Nữ", 1999),
        ("079205012345", "Nam", 2005),
        ("079310012345", "Nữ", 2010),
    ],
)
def test_century_sex_and_year(number: str, sex: str, year: int) -> None:
    info = idnumber.parse_id12(number)
    assert info is not None
    assert (info.sex, info.birth_year) == (sex, year)


def test_checks_against_the_card() -> None:
    ok = idnumber.check_against("001199012345", birth_year=1999, sex="Nữ")
    assert ok == {
        "id_number_province_code": True,
        "id_number_matches_birth_date": True,
        "id_number_matches_sex": True,
    }
    bad = idnumber.check_against("003099012345", birth_year=1998, sex="Nữ")
    assert bad == {
        "id_number_province_code": False,
        "id_number_matches_birth_date": False,
        "id_number_matches_sex": False,
    }


def test_shapes_and_mask() -> None:
    assert idnumber.parse_id12("12345") is None
    assert idnumber.is_cmnd9("123456789") and not idnumber.is_cmnd9("12345678a")
    assert idnumber.mask("001099012345") == "0010******45"
