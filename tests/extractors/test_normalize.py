"""Dates in every printed form, sex, expiry, names."""

from __future__ import annotations

import pytest

from extractors import normalize as nz


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("01/01/1999", "1999-01-01"),
        ("1/2/1999", "1999-02-01"),
        ("01-01-1999", "1999-01-01"),
        ("01.01.1999", "1999-01-01"),
        ("01011999", "1999-01-01"),
        ("1999-01-01", "1999-01-01"),
        ("ngày 05 tháng 3 năm 2019", "2019-03-05"),
        ("Ngay 05 thang 03 nam 2019", "2019-03-05"),
        ("Hà Nội, ngày 5 tháng 12 năm 2023", "2023-12-05"),
        ("Date of birth: 23/09/1995", "1995-09-23"),
        ("O1/O1/1999", "1999-01-01"),
    ],
)
def test_dates(text: str, iso: str) -> None:
    assert nz.normalize_date(text) == iso


@pytest.mark.parametrize("text", ["", "31/02/1999", "99/99/9999", "no date", "12/2019"])
def test_not_dates(text: str) -> None:
    assert nz.normalize_date(text) is None


def test_expiry() -> None:
    assert nz.normalize_expiry("Không thời hạn") == nz.NO_EXPIRY
    assert nz.normalize_expiry("Khong thoi han") == nz.NO_EXPIRY
    assert nz.normalize_expiry("23/09/2035") == "2035-09-23"


@pytest.mark.parametrize(
    ("text", "sex"),
    [("Nam", "Nam"), ("Nữ", "Nữ"), ("Nu", "Nữ"), ("Nir", "Nữ"), ("N{y", "Nữ"), ("M", "Nam"),
     ("F", "Nữ"), ("Nam.", "Nam"), ("xyz", None)],
)  # fmt: skip
def test_sex(text: str, sex: str | None) -> None:
    assert nz.normalize_sex(text) == sex


def test_names_and_spaces() -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "nguyễn  văn   an")
    assert nz.upper_name(nfd) == "NGUYỄN VĂN AN"
    assert nz.clean_spaces(" Số 12 ,  Lê Lợi\n Hà Nội ") == "Số 12, Lê Lợi Hà Nội"
    assert nz.fold("Đặc điểm nhân dạng") == "dac diem nhan dang"


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Hà Nội, ngày 05 tháng 3 năm 2019", "2019-03-05"),
        ("Ngay 14 thang 05 nam 2016.", "2016-05-14"),
        ("Ngày hai mươi mốt, tháng sáu, năm hai nghìn không trăm mười chín", "2019-06-21"),
        ("ngày mười lăm tháng mười hai năm một nghìn chín trăm chín mươi tư", "1994-12-15"),
        ("ngày mùng một tháng một năm hai nghìn không trăm lẻ sáu", "2006-01-01"),
    ],
)
def test_spacy_token_rules_for_written_dates(text: str, iso: str) -> None:
    from extractors import nlp

    assert nlp.find_dates(text)[0][0] == iso


def test_spacy_no_date() -> None:
    from extractors import nlp

    assert nlp.find_dates("ngày tháng năm") == []
    assert nlp.find_dates("ngày 31 tháng 02 năm 2019") == []
