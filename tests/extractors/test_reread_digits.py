"""A number read with letters in it is read again from its box, digits only."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors import fields as fl
from extractors.pipeline import reread_digits
from ocr.types import IDENTITY, Region, Word

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def _region_with_number(number: str) -> tuple[Region, tuple[int, int, int, int]]:
    img = Image.new("RGB", (900, 120), (245, 242, 236))
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 40)
    d.text((60, 30), number, font=font, fill=(20, 30, 110))
    x0, y0, x1, y1 = d.textbbox((60, 30), number, font=font)
    for x in range(40, 860, 6):  # the form's dotted leader under the value
        d.ellipse((x, y1 + 3, x + 2, y1 + 5), fill=(60, 60, 60))
    arr = np.array(img)[:, :, ::-1].copy()
    return Region(page=1, index=0, image=arr, to_page=IDENTITY, words=()), (x0, y0, x1, y1)


@pytest.mark.needs_tesseract
def test_letters_in_a_number_trigger_a_digit_reread_from_the_box() -> None:
    """GIVEN '001175288288' printed over a dotted leader and OCR'd as '00117528g2gg'
    (which letter-for-digit fixing turns into the wrong 001175289299)
    WHEN the reading is checked
    THEN the box is read again with digits only and the printed number comes back."""
    region, box = _region_with_number("001175288288")
    word = Word("00117528g2gg", box, 0.5, region_bbox=box)
    first = fl.Reading("id_number", fl.convert("id", word.text) or "", word.text, 0.5, box, (word,))
    assert first.value == "001175289299"
    got = reread_digits(region, first)
    assert got.value == "001175288288"
    assert got.raw == "00117528g2gg"


def test_a_clean_number_is_not_read_again() -> None:
    region, box = _region_with_number("001175288288")
    word = Word("001175288288", box, 0.9, region_bbox=box)
    r = fl.Reading("id_number", "001175288288", "001175288288", 0.9, box, (word,))
    assert reread_digits(region, r) is r


def test_date_label_with_an_impossible_date_is_noted_for_a_second_reading() -> None:
    from extract_kit import words_from_lines

    from extractors.labels import rows_of

    unread: dict = {}
    got = fl.read_fields(
        rows_of(words_from_lines(["Ngày, tháng, năm sinh / Dœc øƒbirt: 48/09/4987"])),
        "cancuoc_front",
        unread=unread,
    )
    assert "date_of_birth" not in got
    assert unread["date_of_birth"].raw == "48/09/4987"


@pytest.mark.needs_tesseract
def test_forced_date_reread_from_the_box() -> None:
    """GIVEN a printed date OCR'd as the impossible 48/09/4987
    WHEN its box is read again (digits and slashes only)
    THEN the printed date is the value."""
    region, box = _region_with_number("18/09/1987")
    word = Word("48/09/4987", box, 0.5, region_bbox=box)
    r = fl.Reading("date_of_birth", "", word.text, 0.5, box, (word,))
    got = reread_digits(region, r, kind="date", force=True)
    assert got.value == "1987-09-18"


def test_sex_before_an_unmatched_glued_label() -> None:
    from extract_kit import words_from_lines

    from extractors.labels import rows_of

    got = fl.read_fields(
        rows_of(words_from_lines(["Giới tính/%* Nam Quốctịch/Aatoaty: Việt Nam"])),
        "cancuoc_front",
    )
    assert got["sex"].value == "Nam"


@pytest.mark.needs_tesseract
def test_a_number_cut_short_by_a_misread_glyph_is_read_again() -> None:
    """GIVEN '(J01175288288' (a leading 0 read as '(J'), which letter fixing shortens to
    a 9-digit run
    THEN the re-read 12 digits replace it: the word had 12 characters."""
    region, box = _region_with_number("001175288288")
    word = Word("(J01175288288", box, 0.5, region_bbox=box)
    r = fl.Reading("id_number", "011752882", word.text, 0.5, box, (word,))
    assert reread_digits(region, r).value == "001175288288"


@pytest.mark.needs_tesseract
def test_card_number_with_a_digit_too_many_is_read_again_from_its_box() -> None:
    """GIVEN a card region whose only number was OCR'd with an extra digit and a dash
    THEN the number read again from its box (digits only) is the card's id_number."""
    from extractors.labels import rows_of
    from extractors.pipeline import _reread_near_ids

    region, box = _region_with_number("084087294302")
    word = Word("084-1087294302", box, 0.6, region_bbox=box)
    got = _reread_near_ids(region, rows_of([word]), 12)
    assert [r.value for r in got] == ["084087294302"]


def test_letters_of_a_preceding_word_do_not_make_a_number_suspect() -> None:
    region, box = _region_with_number("015186445401")
    word = Word("015186445401", box, 0.9, region_bbox=box)
    r = fl.Reading("wife_id_number", "015186445401", "CCCD số 015186445401", 0.9, box, (word,))
    assert reread_digits(region, r) is r
