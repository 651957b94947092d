"""A VN TD1 zone whose check digits all hold can still contradict itself: its 12-digit id
(line 1) encodes the birth year and sex that line 2 states. Such a zone is not trusted."""

from __future__ import annotations

from extractors import mrz
from extractors.pipeline import _mrz_self_disagreement


def _td1(id12: str, birth: str, sex: str, expiry: str, name: str) -> list[str]:
    doc = id12[3:]
    line1 = f"IDVNM{doc}{mrz.check_digit(doc)}{id12}<<{mrz.check_digit(id12)}"
    line2 = f"{birth}{mrz.check_digit(birth)}{sex}{expiry}{mrz.check_digit(expiry)}VNM"
    line2 = line2.ljust(29, "<")
    line2 += mrz.check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return [line1, line2, name.ljust(30, "<")]


def test_consistent_zone_has_no_disagreement() -> None:
    m = mrz.parse(_td1("084094845990", "940308", "M", "340308", "DOAN<<BA<QUANG"))
    assert m is not None and m.valid
    assert _mrz_self_disagreement(m) == []


def test_birth_year_and_sex_against_the_id_digits() -> None:
    """GIVEN a zone misread as born 1904 and female, every check digit still valid
    WHEN it is checked against its own id (male, born 1994)
    THEN both line-2 fields are reported as disagreeing."""
    m = mrz.parse(_td1("084094845990", "040208", "F", "340308", "DOAN<<BA<QUANG"))
    assert m is not None and m.valid
    assert _mrz_self_disagreement(m) == ["date_of_birth", "sex"]
