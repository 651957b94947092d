"""Two panels side by side are told from a form's label and value columns."""

from __future__ import annotations

import cv2
import numpy as np

from ocr.layout import panel_gutter

FONT = cv2.FONT_HERSHEY_SIMPLEX


def _page(width: int, height: int) -> np.ndarray:
    return np.full((height, width), 255, np.uint8)


def _write(img: np.ndarray, x: int, y: int, text: str) -> None:
    cv2.putText(img, text, (x, y), FONT, 0.8, 0, 2, cv2.LINE_AA)


def test_two_panels_whose_rows_do_not_line_up_are_split():
    img = _page(2000, 700)
    for i in range(8):
        _write(img, 40, 80 + 70 * i, "Ho va ten: NGUYEN VAN AN 12/03/1990")
    for i in range(5):
        _write(img, 1150, 115 + 95 * i, "Ngay 22 thang 09 nam 1995")
    gutter = panel_gutter(img)
    assert gutter is not None
    # between the end of the left text and the start of the right
    right_edge = 40 + cv2.getTextSize("Ho va ten: NGUYEN VAN AN 12/03/1990", FONT, 0.8, 2)[0][0]
    assert right_edge < gutter < 1150


def test_a_form_with_values_in_line_with_their_labels_is_one_panel():
    img = _page(2000, 700)
    for i in range(8):
        _write(img, 40, 80 + 70 * i, "Noi thuong tru:")
        _write(img, 1150, 80 + 70 * i, "Thon 3, xa Tan Hung")
    assert panel_gutter(img) is None


def test_lines_across_the_middle_leave_no_gutter():
    img = _page(2000, 700)
    for i in range(8):
        _write(img, 40, 80 + 70 * i, "Noi thuong tru: Thon 3, xa Tan Hung, huyen Long Phu")
    assert panel_gutter(img) is None


def test_a_photo_with_a_caption_beside_the_text_is_not_a_panel():
    # a card front: a picture (not print) with one caption row under it, text to its right
    img = _page(1600, 1000)
    cv2.rectangle(img, (40, 200), (420, 700), 60, -1)
    _write(img, 40, 760, "Co gia tri den: 01/01/2040")
    for i in range(8):
        _write(img, 800, 230 + 80 * i, "Ho va ten: NGUYEN VAN AN")
    assert panel_gutter(img) is None


def test_a_blank_or_nearly_blank_region_has_no_gutter():
    assert panel_gutter(_page(800, 600)) is None
    img = _page(800, 600)
    _write(img, 40, 80, "ABC")
    assert panel_gutter(img) is None
