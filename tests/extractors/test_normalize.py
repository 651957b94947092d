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
        ("25/04/1 966", "1966-04-25"),  # a space OCR put inside the year
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
     ("F", "Nữ"), ("Nam.", "Nam"), ("xyz", None),
     ("am Quốc tịch", "Nam"), ("arn", "Nam"), ("an", None)],  # an N lost to blur
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
        ("Ngày 24 tháng 05 năm 201ó", "2016-05-24"),  # a 6 read as ó (held-out seed 37)
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


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("l6-11-2036", "2036-11-16"),  # the look-alike is a digit of the day, not noise
        ("Sinh ngày: l5/07/1977", "1977-07-15"),
        ("l9 / 12 / 1972", "1972-12-19"),
        ("Hà Nội, ngày 1§ tháng 4 năm 2013", "2013-04-15"),
        ("ngày 2B tháng 03 năm 1931", "1931-03-28"),
        ("Ngày 9 tháng B năm 2024", "2024-08-09"),
        ("2§/O9/2O19", "2019-09-25"),
    ],
)
def test_digit_lookalikes_inside_a_date_are_digits(text: str, iso: str) -> None:
    assert nz.normalize_date(text) == iso


def test_generated_dates_in_every_form_with_one_lookalike() -> None:
    """GIVEN dates in every printed form with one digit read as its look-alike letter
    THEN the true date or none, never another date."""
    import datetime as dt
    import random

    rng = random.Random(7)
    looks = {"1": "l", "0": "O", "5": "§", "8": "B"}
    for _ in range(400):
        d = dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(40000))
        forms = (d.strftime("%d/%m/%Y"), d.strftime("%d.%m.%Y"), d.strftime("%d%m%Y"),
                 f"{d.day}/{d.month}/{d.year}", f"Ngày {d.day} tháng {d.month} năm {d.year}",
                 f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}")  # fmt: skip
        for form in forms:
            assert nz.normalize_date(form) == d.isoformat()
            at = [i for i, c in enumerate(form) if c in looks]
            if at:
                i = rng.choice(at)
                read = form[:i] + looks[form[i]] + form[i + 1 :]
                assert nz.normalize_date(read) in (d.isoformat(), None), read


@pytest.mark.parametrize(
    ("text", "iso"),
    [("2ó/12/1987", "1987-12-26"), ("Ngày 2ó tháng 03 năm 2025", "2025-03-26")],
)
def test_a_six_read_as_o_acute_next_to_digits(text: str, iso: str) -> None:
    # a font whose 6 has a long stroke: Tesseract reads "ó" beside other digits
    assert nz.normalize_date(text) == iso


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2610272021.", "2021-02-26"),  # both slashes read as 1 and 7 (held-out seed 58)
        ("26102/2021", "2021-02-26"),
        ("26/0272021", "2021-02-26"),
    ],
)
def test_slashes_read_as_digits(text: str, iso: str) -> None:
    """GIVEN a dd/mm/yyyy date whose slashes Tesseract read as a 1 or a 7 THEN it is the
    date; ten characters exactly, the separators where a slash stands."""
    assert nz.normalize_date(text) == iso


@pytest.mark.parametrize("text", ["3310272021", "12345678901", "261027202"])
def test_ten_digits_that_are_no_slashed_date(text: str) -> None:
    assert nz.normalize_date(text) is None
