"""The held-out corpus: every type renders with a truth equal to what is drawn, in fonts
that draw Vietnamese, with people, wordings and faults the default corpus never uses, and
without changing the default corpus."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import numpy as np
import pytest
import zxingcpp

from synth import degrade, people
from synth import fonts as fontlib
from synth.documents import (
    LABEL_VARIANTS,
    SPEC_FIELDS,
    VARIANTS,
    Holdout,
    families,
    generate,
    holdout_families,
)
from synth.people import NO_EXPIRY

ALL_VARIANTS = [(t, v) for t, vs in VARIANTS.items() for v in vs]
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_WORDS = re.compile(r"[Nn]gày (\d{1,2}) tháng (\d{1,2}) năm (\d{4})")


@pytest.fixture(scope="module")
def specimens():
    rng = np.random.default_rng(4321)
    return {
        (t, v, i): generate(t, rng, variant=v, holdout=True)
        for t, v in ALL_VARIANTS
        for i in (0, 1)
    }


def _drawn_date(text: str) -> str | None:
    m = _DMY.search(text) or _WORDS.search(text)
    if m is None:
        return None
    d, mo, y = (int(g) for g in m.groups())
    return dt.date(y, mo, d).isoformat()


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


@pytest.mark.parametrize(("doc_type", "variant"), ALL_VARIANTS)
def test_holdout_truth_is_what_is_drawn(specimens, doc_type, variant):
    """GIVEN a held-out specimen WHEN its truth is compared with the strings drawn for each
    field (or with the QR payload / MRZ lines for fields printed only there) THEN they agree."""
    for i in (0, 1):
        sp = specimens[(doc_type, variant, i)]
        assert sp.holdout and sp.document_type == doc_type and sp.variant == variant
        assert set(sp.truth) <= set(SPEC_FIELDS[doc_type]) and len(sp.truth) >= 3
        h, w = sp.image.shape[:2]
        qr_box, mrz_box = sp.boxes.get("qr"), sp.boxes.get("mrz")
        payload = None
        if qr_box is not None:
            (code,) = zxingcpp.read_barcodes(sp.image[:, :, ::-1].copy())
            payload = code.text
            assert payload == sp.qr_payload
        for key, value in sp.truth.items():
            x0, y0, x1, y1 = sp.boxes[key]
            assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h, key
            if key == "mrz":
                assert value == "\n".join(sp.mrz_lines)
                assert all(len(ln) == 30 for ln in sp.mrz_lines)
                continue
            if sp.boxes[key] in (qr_box, mrz_box):  # printed only in the QR or the MRZ
                assert key not in sp.drawn
                if sp.boxes[key] == qr_box:
                    parts = payload.split("|")
                    if "date" in key:
                        assert dt.datetime.strptime(parts[6], "%d%m%Y").date().isoformat() == value
                    else:
                        assert value in parts, key
                continue
            drawn = " ".join(sp.drawn[key])
            if ISO.match(value):
                assert _drawn_date(drawn) == value, (key, drawn)
            elif key == "holder_names":
                assert drawn == value.replace("; ", " "), (key, drawn)
            else:
                assert _nfc(drawn) == value, (key, drawn, value)
            if key == "date_of_expiry" and value == NO_EXPIRY:
                assert drawn == NO_EXPIRY


def test_holdout_uses_fonts_people_and_wordings_the_default_never_draws(specimens):
    default_fonts = {f.name for f in families()} | {f.regular for f in families()}
    seen_fonts = {sp.font for sp in specimens.values()}
    assert seen_fonts and not seen_fonts & default_fonts
    assert len(seen_fonts) >= 4
    surnames = {sp.person.surname for sp in specimens.values()}
    assert not surnames & {s for s, _ in people.SURNAMES}
    # at least one label wording outside the default's
    defaults = generate("cccd_front", np.random.default_rng(1), variant="2021")
    assert defaults.font in {f.name for f in families()}
    assert any(
        alt not in ("Họ và tên", "Họ, chữ đệm và tên", "Ngày sinh")
        for alts in LABEL_VARIANTS.values()
        for alt in alts
    )


def test_relabel_changes_labels_only():
    ho = Holdout(np.random.default_rng(0), 1.0, 1.0, (1.0, 1.0, 1.0))
    assert ho.relabel("3. Ngày, tháng, năm sinh:").startswith("3. ")
    assert ho.relabel("3. Ngày, tháng, năm sinh:").endswith(":")
    assert ho.relabel("Ngày sinh /") != "Ngày sinh /"
    assert ho.relabel("Nơi thường trú / Place of residence:").endswith(" / Place of residence:")
    for value in ("NGUYỄN VĂN AN", "12/03/1990", "Thôn 3, Xã Yên Nội, Quốc Oai, Hà Nội", "Nam"):
        assert ho.relabel(value) == value


def test_default_corpus_is_unchanged_by_a_holdout_run():
    """GIVEN the same seed WHEN a held-out specimen was drawn in between THEN the default
    specimen is pixel-for-pixel the same (no held-out state leaks into the default path)."""
    a = generate("residence_confirmation", np.random.default_rng(11))
    generate("residence_confirmation", np.random.default_rng(12), holdout=True)
    b = generate("residence_confirmation", np.random.default_rng(11))
    assert not a.holdout and a.truth == b.truth and np.array_equal(a.image, b.image)


@pytest.mark.parametrize("fam", holdout_families(), ids=lambda f: f.name)
def test_holdout_fonts_draw_vietnamese_not_tofu(fam):
    """Every held-out family draws each Vietnamese letter as its own glyph: none is the
    missing-glyph box, and each tone mark changes the bitmap of its base letter."""
    for path in (fam.regular, fam.bold, fam.italic):
        assert fontlib.missing_glyphs(path, fontlib.VIETNAMESE_CHARS) == ""
        font = fontlib.load_font(path, 40)
        for base in ("aăâeêioôơuưy", "AĂÂEÊIOÔƠUƯY"):
            for ch in base:
                forms = [unicodedata.normalize("NFC", ch + m) for m in ("", "̀", "́", "̉", "̃", "̣")]
                bitmaps = {(font.getmask(f).size, bytes(font.getmask(f))) for f in forms}
                assert len(bitmaps) == 6, (fam.name, path, ch)
        assert font.getmask("đ").size != font.getmask("d").size or bytes(
            font.getmask("đ")
        ) != bytes(font.getmask("d"))


def test_holdout_people_are_valid():
    rng = np.random.default_rng(5)
    for _ in range(30):
        p = people.make_holdout_person(rng)
        assert people.id_matches(p.id_number, p.date_of_birth, p.sex)
        assert p.id_number[:3] == p.birth_province_code
        assert re.fullmatch(r"[A-Z<]+", p.mrz_name())
        assert p.full_name == _nfc(p.full_name) and "  " not in p.full_name


def test_holdout_phone_keeps_the_text_in_frame():
    rng = np.random.default_rng(8)
    sp = generate("cccd_front", np.random.default_rng(3), variant="2016", holdout=True)
    boxes = list(sp.boxes.values())
    keep = (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
    seen: set[str] = set()
    for _ in range(12):
        shot = degrade.holdout_phone(sp.image, rng, keep=keep)
        h, w = shot.image.shape[:2]
        x0, y0, x1, y1 = shot.keep
        assert 0 <= x0 < x1 <= w and 0 <= y0 < y1 <= h
        assert len(shot.effects) >= 2
        seen.update(shot.effects)
        if shot.finger is not None:
            fx0, fy0, fx1, fy1 = shot.finger
            assert fx1 <= x0 or fx0 >= x1 or fy1 <= y0 or fy0 >= y1  # never over the text
    assert {"finger", "crop", "shadow", "motion", "lowres", "jpeg", "tilt"} <= seen


def test_holdout_scan_is_a_readable_image():
    img = generate("birth_certificate", np.random.default_rng(2), holdout=True).image
    out = degrade.holdout_scan(img, np.random.default_rng(0))
    assert out.dtype == np.uint8 and out.ndim == 3 and min(out.shape[:2]) > 1000


def test_holdout_parts_switch_separately():
    """GIVEN one held-out part WHEN a specimen is drawn THEN only that part is held out."""
    default_fonts = {f.name for f in families()}
    default_surnames = {s for s, _ in people.SURNAMES}
    fonts_only = [generate("cmnd", np.random.default_rng(i), holdout=("fonts",)) for i in range(3)]
    assert all(sp.font not in default_fonts for sp in fonts_only)
    assert all(sp.person.surname in default_surnames for sp in fonts_only)
    people_only = [
        generate("cmnd", np.random.default_rng(i), holdout=("people",)) for i in range(3)
    ]
    assert all(sp.font in default_fonts for sp in people_only)
    assert all(sp.person.surname not in default_surnames for sp in people_only)
    with pytest.raises(ValueError, match="unknown held-out parts"):
        generate("cmnd", np.random.default_rng(0), holdout=("moonlight",))
