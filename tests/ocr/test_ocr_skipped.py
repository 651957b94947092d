"""Rows of text Tesseract's page layout skipped, found and read again."""

from __future__ import annotations

import random

import numpy as np
import pytest
from rapidfuzz.distance import Levenshtein

from ocr import tesseract
from ocr.skipped import merge_in_order, read_skipped, skipped_rows
from ocr.types import IDENTITY, Word, group_lines, words_to_text
from synth.fonts import font
from synth.render import render_page

LINES = [
    "CĂN CƯỚC CÔNG DÂN",
    "Họ và tên: NGUYỄN THỊ HỒNG NHUNG",
    "Ngày sinh: 21/07/1986 Giới tính: Nữ",
    "Quê quán: Xã Tân Lập, Huyện Đan Phượng, Hà Nội",
    "Nơi thường trú: Thôn Đông, Xã Hồng Thái, Quảng Ninh",
]


def _word(text: str, box: tuple[int, int, int, int], block: int, line: int) -> Word:
    return Word(text=text, bbox=box, confidence=0.9, line=line, block=block, region_bbox=box)


def test_merge_puts_each_new_line_in_its_place():
    """A new line goes after the line above it in its column; a value beside a label
    joins the label's line; a line in no column (a caption under a photo) goes last."""
    words = [
        _word("header", (100, 10, 300, 40), 1, 0),
        _word("label", (100, 100, 220, 130), 2, 1),
        _word("Residence:", (100, 320, 250, 350), 3, 2),
        _word("address", (100, 400, 400, 430), 3, 3),
    ]
    extra = [
        _word("NAME", (100, 160, 300, 200), 1, 0),
        _word("birth", (100, 240, 300, 270), 1, 1),
        _word("21/07/1986", (320, 240, 500, 270), 1, 1),
        _word("Village", (270, 322, 400, 352), 1, 2),
        _word("caption", (5, 380, 80, 400), 1, 3),
    ]
    merged = merge_in_order(words, extra)
    assert [" ".join(w.text for w in line) for line in group_lines(merged)] == [
        "header",
        "label",
        "NAME",
        "birth 21/07/1986",
        "Residence: Village",
        "address",
        "caption",
    ]


def test_a_skipped_row_read_over_the_end_of_its_line_joins_it_once():
    """GIVEN a line read up to "thành phố" and its skipped rest read from a crop that took
    in the "phố" again ("tố Thủ Dầu Một"), and a line whose last word is a letter of the
    next ("Số 664B C." then "Cộng Hòa") WHEN merged THEN each rest joins its line, the
    letters read twice kept once, from the whole word (held-out CT07 scan, seed 96)."""
    words = [
        _word("thành", (847, 831, 914, 860), 1, 0),
        _word("phố", (922, 831, 965, 860), 1, 0),
        _word("Số", (429, 930, 453, 956), 2, 1),
        _word("664B", (453, 930, 553, 956), 2, 1),
        _word("C.", (530, 930, 555, 956), 2, 1),
        _word("next", (100, 1000, 200, 1030), 3, 2),
    ]
    extra = [
        _word("tố", (945, 834, 970, 864), 1, 0),
        _word("Thủ", (977, 834, 1019, 864), 1, 0),
        _word("Cộng", (532, 932, 600, 962), 1, 1),
        _word("Hòa,", (605, 932, 660, 962), 1, 1),
    ]
    merged = merge_in_order(words, extra)
    assert [" ".join(w.text for w in line) for line in group_lines(merged)] == [
        "thành phố Thủ",
        "Số 664B Cộng Hòa,",
        "next",
    ]


@pytest.mark.needs_tesseract
def test_rows_left_out_of_a_reading_are_found_and_read():
    """GIVEN a card-like page read by Tesseract, with the words of two of its lines
    left out (what psm 3 does when it takes a block of lines for a picture) WHEN the
    skipped rows are looked for THEN they are found where those lines lie, read again
    and merged back in their place; a complete reading has no skipped rows."""
    page = render_page(LINES, font=font("dejavu-sans"), size=(1600, 900), font_pt=11)
    image = page.image
    words = tesseract.words(image, lang="vie", psm=3, to_page=IDENTITY)
    assert skipped_rows(image, words) == []
    lines = group_lines(words)
    dropped = {id(w) for line in lines[2:4] for w in line}
    kept = [w for w in words if id(w) not in dropped]
    rows = skipped_rows(image, kept)
    ys = sorted((b[1] + b[3]) / 2 for b in rows)
    line_ys = [np.mean([(w.bbox[1] + w.bbox[3]) / 2 for w in line]) for line in lines[2:4]]
    for y in line_ys:
        assert any(abs(y - ry) < 20 for ry in ys)

    def read(canvas: np.ndarray) -> list[Word]:
        return tesseract.words(canvas, lang="vie", psm=6)

    merged = read_skipped(image, kept, IDENTITY, (image.shape[1], image.shape[0]), read)
    text = words_to_text(merged).splitlines()
    assert len(text) == len(LINES)
    for got, want in zip(text, LINES, strict=True):
        assert Levenshtein.normalized_distance(got, want) < 0.1, (got, want)


def test_one_line_skipped_on_a_full_page_is_found_and_a_word_alone_is_not():
    """GIVEN a full page of text read by Tesseract with one line's words left out (the
    wrapped end of an address: far under 5% of the page's letters) WHEN the skipped rows
    are looked for THEN that line is found; a single short word left out is not worth a
    second reading."""
    vocab = ["Thôn", "Đông", "Xã", "Hồng", "Thái", "Huyện", "Tiên", "Yên", "Quảng", "Ninh",
             "Phường", "Bến", "Nghé", "Quận", "Một", "Thành", "phố", "Hồ", "Chí", "Minh", "nhà",
             "số", "đường", "Lê", "Lợi", "tổ", "dân", "phố"]  # fmt: skip
    rng = random.Random(3)
    lines = [" ".join(rng.choice(vocab) for _ in range(9)) for _ in range(24)]
    page = render_page(lines, font=font("dejavu-sans"), size=(1600, 2200), font_pt=10)
    image = page.image
    words = tesseract.words(image, lang="vie", psm=3, to_page=IDENTITY)
    assert skipped_rows(image, words) == []
    text_lines = group_lines(words)
    letters = sum(c.isalnum() for w in words for c in w.text)
    line = text_lines[12]
    assert sum(c.isalnum() for w in line for c in w.text) < 0.05 * letters
    kept = [w for w in words if all(w is not x for x in line)]
    rows = skipped_rows(image, kept)
    assert len(rows) == 1
    y = np.mean([(w.bbox[1] + w.bbox[3]) / 2 for w in line])
    assert abs((rows[0][1] + rows[0][3]) / 2 - y) < 20
    short = next(w for w in text_lines[5] if sum(c.isalnum() for c in w.text) >= 4)
    assert skipped_rows(image, [w for w in words if w is not short]) == []


def test_a_skipped_line_with_one_unsure_long_word_is_kept_and_texture_is_not():
    """GIVEN the rows a reading left out, read again WHEN a line's words read sure but
    its longest (a number before a dotted leader) unsure THEN the line is kept: a mean
    weighted by length would have dropped 'Số ĐDCN: 001167696965.'; a line read unsure
    throughout (a picture's texture) is still dropped."""
    import dataclasses

    text = [*LINES[:3], "Số ĐDCN: 001167696965", *LINES[3:]]
    page = render_page(text, font=font("dejavu-sans"), size=(1600, 900), font_pt=11)
    image = page.image
    words = tesseract.words(image, lang="vie", psm=3, to_page=IDENTITY)
    lines = group_lines(words)
    (number,) = [ln for ln in lines if any("001167696965" in w.text for w in ln)]
    dropped = {id(w) for w in number}
    kept = [w for w in words if id(w) not in dropped]

    def unsure(longest_only: bool):  # noqa: ANN202
        def read(canvas: np.ndarray) -> list[Word]:
            got = tesseract.words(canvas, lang="vie", psm=6)
            longest = max(got, key=lambda w: len(w.text))
            return [
                dataclasses.replace(w, confidence=0.11 if w is longest else 0.9)
                if longest_only
                else dataclasses.replace(w, confidence=0.3)
                for w in got
            ]

        return read

    size = (image.shape[1], image.shape[0])
    merged = read_skipped(image, kept, IDENTITY, size, unsure(longest_only=True))
    assert len(merged) == len(words)
    assert read_skipped(image, kept, IDENTITY, size, unsure(longest_only=False)) == kept
