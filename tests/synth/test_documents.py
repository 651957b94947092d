"""The synthetic corpus: every type renders, its truth follows the spec, machine zones agree."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest
import zxingcpp

from synth.documents import DOCUMENT_TYPES, SPEC_FIELDS, VARIANTS, generate, td1_lines
from synth.people import (
    NO_EXPIRY,
    ascii_upper,
    card_expiry,
    id_matches,
    make_person,
    mrz_check_digit,
    number_words,
    province_codes,
)

ALL_VARIANTS = [(t, v) for t, vs in VARIANTS.items() for v in vs]
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@pytest.fixture(scope="module")
def specimens():
    rng = np.random.default_rng(1234)
    return {(t, v): generate(t, rng, variant=v) for t, v in ALL_VARIANTS}


def test_every_spec_type_has_a_renderer():
    assert set(DOCUMENT_TYPES) == set(VARIANTS)
    assert set(DOCUMENT_TYPES) == {
        "cccd_front", "cccd_back", "cancuoc_front", "cancuoc_back", "cmnd",
        "birth_certificate", "marriage_certificate", "residence_confirmation",
        "land_use_certificate",
    }  # fmt: skip


@pytest.mark.parametrize(("doc_type", "variant"), ALL_VARIANTS)
def test_renders_with_truth_in_spec_keys_and_formats(specimens, doc_type, variant):
    sp = specimens[(doc_type, variant)]
    h, w = sp.image.shape[:2]
    assert sp.image.dtype == np.uint8 and sp.image.ndim == 3 and sp.image.shape[2] == 3
    if doc_type.startswith(("cccd", "cancuoc")):
        assert (w, h) == (1012, 638)
    elif doc_type != "cmnd":
        assert (w, h) == (2480, 3508)
    assert sp.document_type == doc_type and sp.variant == variant
    assert set(sp.truth) <= set(SPEC_FIELDS[doc_type])
    assert len(sp.truth) >= 3
    for key, value in sp.truth.items():
        assert value and value == value.strip()
        if key == "mrz":
            continue
        assert "  " not in value and "\n" not in value
        if "date" in key and key != "date_of_expiry":
            assert ISO.match(value), (key, value)
        if key == "date_of_expiry":
            assert ISO.match(value) or value == NO_EXPIRY
        if key == "sex":
            assert value in ("Nam", "Nữ")
        if key.endswith("birth_year"):
            assert re.fullmatch(r"\d{4}", value)
        if key.endswith("id_number") and key != "old_id_number" and doc_type != "cmnd":
            assert re.fullmatch(r"\d{12}", value)
    # every value printed somewhere has a box inside the image
    for key in sp.truth:
        x0, y0, x1, y1 = sp.boxes[key]
        assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h, key


def test_cards_print_upper_case_names(specimens):
    for t in ("cccd_front", "cancuoc_front", "cmnd"):
        for v in VARIANTS[t]:
            name = specimens[(t, v)].truth["full_name"]
            assert name == name.upper()


@pytest.mark.parametrize(
    ("doc_type", "variant"), [("cccd_front", "2021"), ("cancuoc_back", "2024")]
)
def test_qr_decodes_back_to_the_truth(doc_type, variant):
    rng = np.random.default_rng(99)
    for _ in range(3):
        sp = generate(doc_type, rng, variant=variant)
        res = zxingcpp.read_barcodes(sp.image[:, :, ::-1].copy())
        assert len(res) == 1
        payload = res[0].text
        assert payload == sp.qr_payload
        parts = payload.split("|")
        assert len(parts) >= 7
        assert parts[0] == sp.truth["id_number"]
        assert parts[1] == sp.truth.get("old_id_number", "")
        d = sp.truth["date_of_birth"]
        assert parts[3] == d[8:10] + d[5:7] + d[0:4]
        assert parts[4] == sp.truth["sex"]
        assert parts[5] == sp.truth["place_of_residence"]
        i = sp.truth["date_of_issue"]
        assert parts[6] == i[8:10] + i[5:7] + i[0:4]
        if doc_type == "cccd_front":
            assert parts[2].upper() == sp.truth["full_name"]


def test_no_qr_on_2016_card():
    sp = generate("cccd_front", np.random.default_rng(5), variant="2016")
    assert sp.qr_payload is None
    assert zxingcpp.read_barcodes(sp.image[:, :, ::-1].copy()) == []
    assert "old_id_number" not in sp.truth and "date_of_issue" not in sp.truth


def _check_td1(lines: tuple[str, ...]) -> None:
    l1, l2, l3 = lines
    assert len(l1) == len(l2) == len(l3) == 30
    assert all(re.fullmatch(r"[A-Z0-9<]{30}", ln) for ln in lines)
    assert l1[:5] == "IDVNM"
    assert mrz_check_digit(l1[5:14]) == l1[14]
    assert l1[15:27].isdigit() and l1[27:29] == "<<"
    assert mrz_check_digit(l1[15:27]) == l1[29]
    assert l1[18:27] == l1[5:14]
    assert mrz_check_digit(l2[0:6]) == l2[6]
    if l2[8:14] != "<<<<<<":
        assert mrz_check_digit(l2[8:14]) == l2[14]
    else:
        assert l2[14] == "<"
    assert l2[15:18] == "VNM"
    assert mrz_check_digit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]) == l2[29]


@pytest.mark.parametrize("doc_type", ["cccd_back", "cancuoc_back"])
def test_mrz_check_digits_and_agreement_with_truth(doc_type):
    rng = np.random.default_rng(7)
    for _ in range(5):
        sp = generate(doc_type, rng, variant="2021" if doc_type == "cccd_back" else "2024")
        assert sp.mrz_lines is not None
        _check_td1(sp.mrz_lines)
        assert sp.truth["mrz"] == "\n".join(sp.mrz_lines)
        l1, l2, l3 = sp.mrz_lines
        assert l1[15:27] == sp.truth["id_number"]
        dob = sp.truth["date_of_birth"]
        assert l2[0:6] == dob[2:4] + dob[5:7] + dob[8:10]
        assert l2[7] == ("M" if sp.truth["sex"] == "Nam" else "F")
        p = sp.person
        assert l3.rstrip("<") == (
            ascii_upper(p.surname) + "<<" + ascii_upper(f"{p.middle} {p.given}").replace(" ", "<")
        )


def test_mrz_known_vector():
    """GIVEN a fixed person WHEN building its TD1 THEN the check digits match hand-computed ones."""
    p = make_person(np.random.default_rng(0))
    import dataclasses

    p = dataclasses.replace(
        p,
        id_number="001099012345",
        date_of_birth=dt.date(1999, 1, 1),
        sex="Nam",
        surname="Nguyễn",
        middle="Văn",
        given="Đức",
    )
    l1, l2, l3 = td1_lines(p, dt.date(2024, 1, 1))
    # 099012345: 0*7+9*3+9*1+0*7+1*3+2*1+3*7+4*3+5*1 = 79 -> 9
    assert l1 == "IDVNM0990123459001099012345<<" + mrz_check_digit("001099012345")
    assert l2.startswith("990101" + mrz_check_digit("990101") + "M240101")
    assert l3 == "NGUYEN<<VAN<DUC" + "<" * 15
    _check_td1((l1, l2, l3))


def test_no_expiry_card_mrz_has_fillers():
    rng = np.random.default_rng(3)
    for _ in range(200):
        p = make_person(rng, born_between=(1940, 1955))
        if card_expiry(p.date_of_birth, p.card_issue["cccd2021"]) is None:
            break
    else:  # pragma: no cover
        pytest.fail("no person over 58")
    sp = generate("cccd_back", rng, person=p, variant="2021")
    _check_td1(sp.mrz_lines)
    assert sp.mrz_lines[1][8:15] == "<<<<<<<"
    assert "date_of_expiry" not in sp.truth
    front = generate("cccd_front", rng, person=p, variant="2021")
    assert front.truth["date_of_expiry"] == NO_EXPIRY


def test_ids_consistent_with_birth_date_and_sex():
    rng = np.random.default_rng(11)
    codes = set(province_codes())
    assert len(codes) == 63 and "001" in codes and "096" in codes
    for _ in range(300):
        p = make_person(rng)
        assert id_matches(p.id_number, p.date_of_birth, p.sex)
        assert p.id_number[:3] in codes
        assert p.id_number[:3] == p.birth_province_code
        if p.old_id_number:
            assert re.fullmatch(r"\d{9}", p.old_id_number)


def test_card_expiry_rules():
    dob = dt.date(2000, 5, 10)
    # issued at 20, more than 2 years before 25 -> valid until 25
    assert card_expiry(dob, dt.date(2021, 3, 1)) == dt.date(2025, 5, 10)
    # issued at 24, within 2 years of 25 -> valid until 40
    assert card_expiry(dt.date(1997, 5, 10), dt.date(2021, 6, 1)) == dt.date(2037, 5, 10)
    assert card_expiry(dt.date(1990, 1, 1), dt.date(2021, 6, 1)) == dt.date(2030, 1, 1)
    assert card_expiry(dt.date(1961, 1, 1), dt.date(2021, 6, 1)) is None


def test_truth_matches_person(specimens):
    sp = specimens[("cccd_front", "2021")]
    p = sp.person
    assert sp.truth["id_number"] == p.id_number
    assert sp.truth["date_of_birth"] == p.date_of_birth.isoformat()
    assert id_matches(sp.truth["id_number"], p.date_of_birth, sp.truth["sex"])


def test_vietnamese_text_is_nfc_with_tone_marks():
    rng = np.random.default_rng(21)
    import unicodedata

    names = [generate("cccd_front", rng).truth["full_name"] for _ in range(30)]
    for n in names:
        assert unicodedata.normalize("NFC", n) == n
    assert any(set(n) & set("ẮẰẲẴẶẤẦẨẪẬẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ") for n in names)


def test_number_words():
    assert number_words(2016) == "hai nghìn không trăm mười sáu"
    assert number_words(1995) == "một nghìn chín trăm chín mươi lăm"
    assert number_words(2005) == "hai nghìn không trăm lẻ năm"
    assert number_words(21) == "hai mươi mốt"


def test_determinism_with_a_seed():
    for t in DOCUMENT_TYPES:
        a = generate(t, np.random.default_rng(42))
        b = generate(t, np.random.default_rng(42))
        assert a.truth == b.truth and a.variant == b.variant
        assert np.array_equal(a.image, b.image)
    c = generate("cccd_front", np.random.default_rng(43))
    assert c.truth != generate("cccd_front", np.random.default_rng(42)).truth


def test_variety_of_fonts_and_layouts():
    rng = np.random.default_rng(8)
    sps = [generate("cccd_front", rng) for _ in range(40)]
    assert len({s.font for s in sps}) >= 5
    assert {s.variant for s in sps} == {"2021", "2016"}
    assert len({s.boxes["id_number"][:2] for s in sps}) >= 10


def test_many_specimens_render_within_bounds():
    """GIVEN 6 random specimens per type (random variants, styles, people)
    THEN each renders, keeps to the spec's keys and draws every value inside the image."""
    rng = np.random.default_rng(2026)
    for t in DOCUMENT_TYPES:
        for _ in range(6):
            sp = generate(t, rng)
            h, w = sp.image.shape[:2]
            assert set(sp.truth) <= set(SPEC_FIELDS[t])
            for key in sp.truth:
                x0, y0, x1, y1 = sp.boxes[key]
                assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h, (t, key)
