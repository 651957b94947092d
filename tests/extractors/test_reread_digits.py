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
