"""synth.degrade: pure, deterministic, and each degradation does what it says."""

from __future__ import annotations

import numpy as np
import pytest

from synth import degrade
from synth.fonts import VIETNAMESE_CHARS, body_fonts, has_glyphs, missing_glyphs, vietnamese_fonts
from synth.render import corpus_page


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return corpus_page(1).image


FUNCS = {
    "scan": lambda img, rng: degrade.flatbed_scan(img, rng),
    "skewed": lambda img, rng: degrade.flatbed_scan(img, rng, skew_deg=4.0),
    "phone": degrade.phone_photo,
    "photocopy": lambda img, rng: degrade.photocopy(img, rng, generations=3),
    "glare": lambda img, rng: degrade.glare(img, rng, strength=0.9),
}


@pytest.mark.parametrize("name", FUNCS)
def test_pure_and_deterministic(page: np.ndarray, name: str):
    before = page.copy()
    a = FUNCS[name](page, np.random.default_rng(5))
    b = FUNCS[name](page, np.random.default_rng(5))
    c = FUNCS[name](page, np.random.default_rng(6))
    assert np.array_equal(page, before)  # input untouched
    assert a.dtype == np.uint8 and a.ndim == 3 and a.shape[2] == 3
    assert np.array_equal(a, b)  # same generator state, same image
    assert not np.array_equal(a, c)


def test_scans_keep_the_page_size(page: np.ndarray):
    rng = np.random.default_rng(0)
    assert degrade.flatbed_scan(page, rng).shape[:2] == page.shape
    assert degrade.photocopy(page, rng).shape[:2] == page.shape


def test_skew_turns_the_text(page: np.ndarray):
    """Ink rows of a skewed scan are spread out: the row profile is less peaked."""

    def peakiness(img: np.ndarray) -> float:
        ink = (img[..., 0] < 128).sum(axis=1).astype(float)
        return float((np.diff(ink) ** 2).sum())

    straight = degrade.flatbed_scan(page, np.random.default_rng(0))
    skewed = degrade.flatbed_scan(page, np.random.default_rng(0), skew_deg=5)
    assert peakiness(skewed) < 0.5 * peakiness(straight)


def test_phone_photo_geometry_places_the_page(page: np.ndarray):
    photo, geo = degrade.phone_photo_with_geometry(page, np.random.default_rng(3))
    h, w = photo.shape[:2]
    c = geo.corners
    assert (c[:, 0] > -0.05 * w).all() and (c[:, 0] < 1.05 * w).all()
    # the page is brighter than the desk around it
    cx, cy = c.mean(axis=0).astype(int)
    assert photo[cy - 5 : cy + 5, cx - 5 : cx + 5].mean() > photo[:20, :20].mean()
    # the homography maps page corners to the recorded corners
    ph, pw = page.shape
    import cv2

    pts = cv2.perspectiveTransform(
        np.array([[[0, 0], [pw, 0], [pw, ph], [0, ph]]], np.float32), geo.homography
    )[0]
    assert np.allclose(pts, c, atol=0.5)


def test_glare_blows_out_a_spot(page: np.ndarray):
    grey = (page.astype(np.float32) * 0.8).astype(np.uint8)
    out = degrade.glare(grey, np.random.default_rng(1), strength=1.0, center=(0.5, 0.5), size=0.1)
    h, w = out.shape[:2]
    assert out[h // 2, w // 2].min() >= 250
    assert out[5, 5].max() < 240  # far from the spot: unchanged paper


def test_place_on_flatbed_boxes_do_not_overlap():
    rng = np.random.default_rng(0)
    cards = [np.full((638, 1012, 3), (200, 180, 160), np.uint8) for _ in range(2)]
    scan, boxes = degrade.place_on_flatbed(cards, rng)
    assert scan.shape == (3508, 2480, 3)
    (a, b) = boxes
    assert a[3] <= b[1]  # the first card lies above the second
    for x0, y0, x1, y1 in boxes:
        assert 1000 <= x1 - x0 <= 1100 and 620 <= y1 - y0 <= 720
        inner = scan[y0 + 40 : y1 - 40, x0 + 40 : x1 - 40]
        assert abs(float(inner[..., 0].mean()) - 200) < 8  # the card is where its box says


def test_place_on_flatbed_refuses_what_does_not_fit():
    with pytest.raises(ValueError, match="do not fit"):
        degrade.place_on_flatbed(
            [np.zeros((2000, 1000, 3), np.uint8)] * 2, np.random.default_rng(0)
        )


def test_fonts_draw_vietnamese():
    fonts = vietnamese_fonts()
    assert len(body_fonts()) >= 4
    assert all(has_glyphs(f.path) for f in fonts)
    assert not any("Liberation" in f.path.name for f in fonts)
    liberation = [p for p in ("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",)]
    from pathlib import Path

    if Path(liberation[0]).is_file():
        assert missing_glyphs(liberation[0])  # it lacks stacked tone marks
    assert "ệ" in VIETNAMESE_CHARS and "Ữ" in VIETNAMESE_CHARS
