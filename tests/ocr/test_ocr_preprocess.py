"""Preprocessing steps: orientation, skew, flattening, binarization, scale, purity."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from conftest import real_file

from ocr.decode import iter_pages
from ocr.preprocess import (
    binarize,
    clear_border_noise,
    detect_orientation,
    even_out_streaks,
    flatten,
    grey_near_ink,
    prepare_page,
    to_gray,
)
from ocr.regions import downscale
from synth import degrade


def _gray(path) -> np.ndarray:  # noqa: ANN001
    (page, *_) = iter_pages(path)
    return to_gray(page.image)


@pytest.mark.parametrize(
    ("name", "rotate"),
    [
        ("phototest.tif", 0),
        ("phototest-rotated-L.png", 90),
        ("phototest-rotated-R.png", 270),
        ("phototest-rotated-180.png", 180),
    ],
)
def test_orientation_of_real_rotated_phototest(name: str, rotate: int):
    gray = _gray(real_file(f"tesseract-test/{name}"))
    o = detect_orientation(gray)
    assert o.rotate == rotate
    assert abs(o.skew) < 1.0


def test_orientation_of_each_cardinal_pdf_page():
    """GIVEN ocrmypdf's cardinal.pdf (one scanned page at 0, 90, 180, 270 degrees)
    WHEN each page is analysed THEN the four detected turns are all different and each
    makes the page upright: after turning, the text lines are horizontal."""
    path = real_file("ocrmypdf/cardinal.pdf")
    turns = []
    for page in iter_pages(path, dpi=150):
        o = detect_orientation(downscale(to_gray(page.image), 1600)[0])
        turns.append(o.rotate)
    assert sorted(turns) == [0, 90, 180, 270]
    # page 1 is upright in the file (ocrmypdf's fixture): nothing to turn
    assert turns[0] == 0


def test_skew_of_real_skewed_scan():
    """ocrmypdf's skew.pdf is a page scanned a little crooked; deskewing by the measured
    angle makes its rows sharpest (the measured angle is not zero and rotating by it
    straightens the text lines)."""
    gray = downscale(_gray(real_file("ocrmypdf/skew.pdf")), 1600)[0]
    o = detect_orientation(gray)
    assert o.rotate == 0
    assert 0.5 < abs(o.skew) < 5

    def row_sharpness(img: np.ndarray) -> float:
        ink = (img < 128).astype(np.float64)
        prof = ink.sum(axis=1)
        return float((np.diff(prof) ** 2).sum())

    h, w = gray.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), o.skew, 1.0)
    straight = cv2.warpAffine(gray, m, (w, h), borderValue=255)
    assert row_sharpness(straight) > 1.2 * row_sharpness(gray)


@pytest.mark.parametrize("angle", [-7.0, -3.0, 2.0, 5.5])
def test_skew_measured_on_generated_scan(corpus_page, angle: float):
    scan = degrade.flatbed_scan(corpus_page.image, np.random.default_rng(3), skew_deg=angle)
    o = detect_orientation(to_gray(scan))
    assert o.rotate == 0
    # the page was turned counter-clockwise by `angle`: its lines now slope by -angle
    assert o.skew == pytest.approx(-angle, abs=0.3)


@pytest.mark.parametrize(
    "turn", [cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180, cv2.ROTATE_90_COUNTERCLOCKWISE]
)
def test_orientation_on_generated_vietnamese_page(corpus_page, turn: int):
    expected = {
        cv2.ROTATE_90_CLOCKWISE: 270,
        cv2.ROTATE_180: 180,
        cv2.ROTATE_90_COUNTERCLOCKWISE: 90,
    }
    img = cv2.rotate(corpus_page.image, turn)
    small = downscale(img, 1600)[0]
    assert detect_orientation(small).rotate == expected[turn]


def test_flatten_removes_shading_and_keeps_ink():
    """GIVEN text on paper lit from one side (brightness 250 -> 90 across the page)
    WHEN flattened THEN the paper is even (both ends near white) and ink stays dark."""
    h, w = 600, 900
    page = np.full((h, w), 250, np.float32)
    for y in range(60, h - 60, 40):
        page[y : y + 12, 50 : w - 50 : 7] = 30  # dashes like letters
    light = np.linspace(1.0, 0.36, w, dtype=np.float32)[None, :]
    shaded = (page * light).astype(np.uint8)
    before = shaded.copy()
    flat = flatten(shaded, stroke=12)
    assert np.array_equal(shaded, before)  # input untouched
    paper = flat[30:50]
    assert paper[:, :100].mean() > 230 and paper[:, -100:].mean() > 230
    ink = flat[60:72, 50 : w - 50 : 7]
    assert ink.mean() < 120


def test_binarize_chooses_local_threshold_for_uneven_contrast():
    rng = np.random.default_rng(0)
    even = np.full((400, 400), 240, np.uint8)
    even[100:110, 50:350] = 20
    img, method = binarize(even)
    assert method.startswith("otsu") and set(np.unique(img)) <= {0, 255}
    # half the page still dark after flattening (a deep shadow), half faint print
    uneven = np.full((400, 400), 250, np.uint8)
    uneven[:, 200:] = 120
    for y in range(20, 380, 25):
        uneven[y : y + 6, 20:180] = 150
        uneven[y : y + 6, 220:380] = 20
    uneven = np.clip(uneven.astype(int) + rng.integers(-10, 10, uneven.shape), 0, 255).astype(
        np.uint8
    )
    img2, method2 = binarize(uneven)
    assert method2 == "adaptive"
    # text on both halves survives as black, the grey half's paper as white
    assert img2[22, 100] == 0 and img2[22, 300] == 0 and img2[15, 300] == 255


def test_clear_border_noise_removes_edge_band_only():
    img = np.full((300, 300), 255, np.uint8)
    img[:, :12] = 0  # dark band along the left edge (scanner lid)
    img[100:120, 100:115] = 0  # a letter
    out, n = clear_border_noise(img, xheight=20)
    assert n == 1
    assert out[:, :12].min() == 255 and out[110, 105] == 0
    assert img[:, :12].max() == 0  # input untouched


def test_scanner_streaks_are_evened_out_and_rules_left(corpus_page):
    # a dirty sensor pixel: a column recorded 0.7 as bright along the whole scan, and a
    # row at 0.8 (a page scanned sideways); a black rule and a border slanting across a
    # few columns are the document's own and stay
    page = cv2.cvtColor(corpus_page.image, cv2.COLOR_GRAY2BGR)
    h, w = page.shape[:2]
    page[:, w // 2 - 60] = 0
    cv2.line(page, (w // 3, 0), (w // 3 + 12, h - 1), (40, 40, 40), 2)
    streaked = page.astype(np.float32)
    streaked[:, w // 2 : w // 2 + 2] *= 0.7
    streaked[h // 3] *= 0.8
    streaked = streaked.astype(np.uint8)
    before = streaked.copy()
    out, n = even_out_streaks(streaked)
    assert n == 2
    assert np.array_equal(streaked, before)

    def off(img: np.ndarray, where: tuple) -> float:  # mean distance from the clean page
        return float(np.abs(img[where].astype(int) - page[where].astype(int)).mean())

    column, row = np.s_[:, w // 2], np.s_[h // 3, : w // 2 - 70]
    assert off(streaked, column) > 40 and off(out, column) < 3
    assert off(streaked, row) > 30 and off(out, row) < 3
    assert out[: h // 3 - 5, w // 2 - 60].max() == 0  # the rule
    slant = np.delete(np.arange(h), h // 3), np.s_[w // 3 : w // 3 + 14]
    assert np.array_equal(out[slant], page[slant])
    # a clean page comes back as it was
    clean, n = even_out_streaks(page)
    assert n == 0 and clean is page
    # a photo: a page's faint border running straight down to the frame's lower edge,
    # with a desk above the page, is not a streak
    photo = page.copy()
    photo[: h // 10] = 90
    photo[h // 10 :, w - 80 : w - 78] = (photo[h // 10 :, w - 80 : w - 78] * 0.7).astype(np.uint8)
    assert even_out_streaks(photo)[1] == 0


def test_prepare_page_never_edits_its_input(corpus_page):
    photo = degrade.phone_photo(corpus_page.image, np.random.default_rng(5))
    before = photo.copy()
    (prep,) = prepare_page(photo)
    assert np.array_equal(photo, before)
    assert "rectify" in prep.steps
    assert prep.color.dtype == np.uint8 and prep.color.ndim == 3
    assert prep.ocr_image.shape == prep.color.shape[:2]


def test_prepare_scales_text_to_target_height(corpus_page):
    """A page shrunk to 45% (tiny text) is enlarged, and a page at 2x is reduced."""
    for factor in (0.45, 2.0):
        img = cv2.resize(
            corpus_page.image, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA
        )
        (prep,) = prepare_page(cv2.cvtColor(img, cv2.COLOR_GRAY2BGR))
        steps = [s for s in prep.steps if s.startswith("scale:")]
        assert steps, prep.steps
        s = float(steps[0].split(":")[1])
        assert (s > 1.3) if factor < 1 else (s < 0.75)


def test_grey_near_ink_keeps_stroke_edges_and_whitens_paper():
    flat = np.full((60, 120), 250, np.uint8)
    flat[20:40, 30:34] = 40  # a stroke
    flat[20:40, 29] = 150  # its anti-aliased edge
    flat[5, 100] = 200  # a faint speck the threshold dropped
    binary = np.where(flat < 128, 0, 255).astype(np.uint8)
    out = grey_near_ink(flat, binary, xheight=20)
    assert out[30, 31] == 40 and out[30, 29] == 150  # ink and its edge as scanned
    assert out[5, 100] == 255 and out[50, 10] == 255  # paper and speck pure white
    assert flat[5, 100] == 200  # input untouched


def test_small_text_goes_to_tesseract_as_grey_strokes_on_white(corpus_page):
    """An evenly lit scan at 150 dpi (text enlarged): the OCR image keeps intermediate
    grey levels at stroke edges (what the LSTM recognizer reads), the paper is pure
    white. The same page at 300 dpi (text large enough) stays binary."""
    scan = degrade.flatbed_scan(corpus_page.image, np.random.default_rng(2))
    low = cv2.resize(scan, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    (prep,) = prepare_page(low)
    assert "grey_near_ink" in prep.steps
    img = prep.ocr_image
    assert np.percentile(img, 50) == 255
    edges = np.count_nonzero((img > 60) & (img < 200))
    assert edges > 0.2 * np.count_nonzero(img <= 60)
    (full,) = prepare_page(scan)
    assert "grey_near_ink" not in full.steps
    assert set(np.unique(full.ocr_image)) <= {0, 255}


def test_an_outline_with_a_corner_misplaced_gives_way_to_its_box(corpus_page):
    """GIVEN a page on a desk rotated 3 degrees, and an outline whose bottom-left corner
    was placed too high (a card running off the frame) WHEN the page is prepared THEN
    rectifying along it would bend the lines apart; the outline's box is taken instead,
    turned 3 degrees back. The true outline is rectified as ever."""
    from ocr.preprocess import prepare_region
    from ocr.regions import Quad, analyze_page

    page = cv2.cvtColor(corpus_page.image, cv2.COLOR_GRAY2BGR)
    h, w = page.shape[:2]
    canvas = np.full((h + 400, w + 400, 3), 90, np.uint8)
    canvas[200 : 200 + h, 200 : 200 + w] = page
    turn = cv2.getRotationMatrix2D(((w + 400) / 2, (h + 400) / 2), 3.0, 1.0)
    canvas = cv2.warpAffine(canvas, turn, canvas.shape[1::-1], borderValue=(90, 90, 90))
    corners = np.array([[200, 200], [200 + w, 200], [200 + w, 200 + h], [200, 200 + h]], float)
    true = cv2.transform(corners[None], turn)[0]
    view = analyze_page(canvas, split=False)
    prep = prepare_region(canvas, Quad(corners=true), view=view)
    assert prep.steps[0] == "rectify" and abs(prep.residual_skew) < 1.0
    wrong = true.copy()
    wrong[3] += (0.0, -0.1 * h)  # bottom-left corner up the left side
    prep = prepare_region(canvas, Quad(corners=wrong), view=view)
    assert prep.steps[0] == "outline_box"
    assert abs(abs(prep.residual_skew) - 3.0) < 0.5
