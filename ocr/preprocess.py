"""Preprocessing for photos and scans: cheap OpenCV work before Tesseract.

For each document found on a page (see :mod:`ocr.regions`) the steps are:

1. **rectify** - the document's quadrilateral is mapped to an upright rectangle
   (identity for an edge-to-edge scan);
2. **orient** - 0/90/180/270 degrees, from text-line projection profiles (0 vs 90)
   and the ascender/descender balance of the lines (0 vs 180), with Tesseract OSD on
   a small copy only when those cues disagree or are weak;
3. **deskew** - the angle that makes row projections sharpest;
4. **scale** - so text has the height Tesseract reads best (and no more pixels);
5. **flatten** - divide by an estimated background to remove shading and shadows;
6. **binarize** - global Otsu on the flattened image, or a local threshold when the
   page's contrast varies too much for one threshold;
7. **grey near ink** - text that had to be enlarged (low-dpi scans, small print) on an
   evenly lit page goes to Tesseract as the flattened grey where the binary image has
   ink and white elsewhere (its LSTM reads grey, and the anti-aliased stroke edges
   matter for small serif text at 150-220 dpi).

Detection runs on small copies; steps 1-4 are composed into one homography and
applied to the full-resolution page once. The composed :class:`~ocr.types.Transform`
maps pixels of the prepared image back to the uploaded page, so word boxes can be
drawn on the original. Every function returns new arrays; inputs are never modified.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import cv2
import numpy as np

from ocr.regions import PageView, Quad, analyze_page
from ocr.types import Transform

log = logging.getLogger(__name__)

TARGET_XHEIGHT = 22.0
"""Median height of lower-case letters (px) that Tesseract reads best and fast."""
MAX_SKEW = 20.0
"""Largest skew (degrees) searched for."""


@dataclass(frozen=True, slots=True)
class Prepared:
    """One document, ready for Tesseract."""

    color: np.ndarray
    """Upright rectified BGR crop (what Region.image holds)."""
    ocr_image: np.ndarray
    """Grey (paper white, ink as scanned) or binary image of the same geometry, given to
    Tesseract."""
    to_page: Transform
    """Maps pixels of ``color``/``ocr_image`` to pixels of the original page."""
    steps: tuple[str, ...]
    quad: Quad | None = None
    """Where the document was found (None: the whole page)."""
    orientation_confidence: float = 1.0
    """How clearly the cheap cues chose the turn (0..1); low: OCR should check 180."""
    residual_skew: float = 0.0
    """Skew (degrees) measured after rectification (and removed); large values hint at a
    wrong outline (a bright desk taken for paper)."""
    vertical: bool = False
    """Whether the text lines were found running down the rectified document (turned a
    quarter to make them run across)."""


@dataclass(frozen=True, slots=True)
class Orientation:
    rotate: int
    """Clockwise quarter turns * 90 applied to make text upright: 0, 90, 180 or 270."""
    skew: float
    """Degrees (counter-clockwise positive, OpenCV convention) still to remove."""
    xheight: float
    """Estimated median x-height in pixels of the analysed image."""
    confidence: float
    """0..1: how clearly the cues decided the orientation."""


# --- small helpers ------------------------------------------------------------------------


def to_gray(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def flatten(gray: np.ndarray, *, stroke: float = 6.0) -> np.ndarray:
    """Remove uneven lighting: divide by the background (text removed by a closing).

    ``stroke`` is the approximate text stroke/x-height scale in px; the closing kernel is
    larger than that so letters vanish from the background estimate.
    """
    h, w = gray.shape
    f = min(1.0, 8.0 / max(stroke, 1.0))  # work where an x-height is ~8 px
    small = cv2.resize(
        gray, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA
    )
    k = 17
    bg = cv2.morphologyEx(
        small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    )
    bg = cv2.medianBlur(bg, 5)
    bg = cv2.GaussianBlur(bg, (0, 0), 3)
    bg = cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)
    out = cv2.divide(gray, np.maximum(bg, 1), scale=255)
    return out


def ink_mask(gray_flat: np.ndarray) -> np.ndarray:
    """Binary mask (uint8 0/1) of dark ink on a flattened grey image."""
    thr, _ = cv2.threshold(gray_flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    thr = min(thr, 215)
    return (gray_flat <= thr).astype(np.uint8)


def binarize(gray_flat: np.ndarray) -> tuple[np.ndarray, str]:
    """Black text on white: Otsu when the flattened page is evenly lit, else local mean."""
    h, w = gray_flat.shape
    # how uniform is the paper after flattening? compare Otsu thresholds of tiles
    thr, bw = cv2.threshold(gray_flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    tiles = []
    for ty in range(4):
        for tx in range(4):
            tile = gray_flat[ty * h // 4 : (ty + 1) * h // 4, tx * w // 4 : (tx + 1) * w // 4]
            if tile.size and tile.std() > 12:
                t, _ = cv2.threshold(tile, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
                tiles.append(t)
    if len(tiles) >= 4 and (max(tiles) - min(tiles)) > 60:
        block = max(31, (min(h, w) // 40) | 1)
        ad = cv2.adaptiveThreshold(
            gray_flat, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, 15
        )
        return ad, "adaptive"
    return bw, f"otsu:{int(thr)}"


def grey_near_ink(flat: np.ndarray, binary: np.ndarray, *, xheight: float) -> np.ndarray:
    """The flattened grey where ``binary`` has ink (and a thin margin around it), white
    elsewhere.

    Tesseract's LSTM recognizer reads the grey image it is given (it thresholds only to
    find text lines), so a binary input throws away the anti-aliased edges of strokes:
    at 150-220 dpi thin serifs, hairlines and tone marks of Times-like fonts become
    one-pixel steps or vanish. Keeping the grey near ink gives the recognizer those
    edges back, while the paper stays pure white, so specks, background patterns and
    what :func:`clear_border_noise` removed are not brought back.
    """
    k = max(3, int(round(xheight / 6)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    near = cv2.dilate((binary < 128).astype(np.uint8), kernel)
    out = flat.copy()
    out[near == 0] = 255
    return out


STREAK_GAIN = (0.45, 0.9)
"""Gains of a scanner's dark streak: a column (or row) of the sensor that records the
paper this much darker than its neighbours along nearly the whole scan. Darker than
0.45 is ink (a rule, a border), lighter than 0.9 is noise or a page's own faint line."""
STREAK_WIDTH = 6
"""Widest streak (px): a dirty sensor pixel or a hair on the glass, not a shadow."""


def even_out_streaks(image: np.ndarray) -> tuple[np.ndarray, int]:
    """The page with a scanner's streaks (thin lines along the scan, a few columns or rows
    of the sensor recording everything darker) divided out; how many were. A streak
    crossing a line of print cuts its letters in two for Tesseract, which then drops
    them (a card number read without its first three digits)."""
    out, gray, found = image, to_gray(image), 0
    for axis in (1, 0):  # columns, then rows
        gain = _line_gains(gray, axis=axis)
        if gain is None:
            continue
        if out is image:
            out, gray = image.copy(), gray.copy()
        for img in (out, gray):
            lines = img if axis == 0 else img.swapaxes(0, 1)  # a view: rows are the lines
            for i in np.flatnonzero(gain < 1.0):  # only a streak's few lines are touched
                lines[i] = np.clip(lines[i] / gain[i], 0, 255).astype(np.uint8)
        found += _runs(gain < 1.0)
    return out, found


def _line_gains(gray: np.ndarray, *, axis: int) -> np.ndarray | None:
    """Per column (``axis`` 1) or row (0): the median ratio of its paper to its
    neighbours' along the page, where that is a streak's; 1 elsewhere. None: no streak."""
    g = gray if axis == 1 else gray.T
    step = max(1, g.shape[0] // 400)
    g = g[::step].astype(np.float32)
    if g.shape[1] < 4 * STREAK_WIDTH:
        return None
    # the paper's brightness beside each pixel: the brightest of its neighbours on each
    # side (a mean would take in the ink of a line of print), the darker side of the two:
    # a streak is darker than both, a paper's edge on a desk than one only
    along = cv2.blur(g, (1, 5), borderType=cv2.BORDER_REFLECT)
    k = 2 * STREAK_WIDTH + 1
    kernel = np.ones((1, k), np.uint8)
    before = cv2.dilate(along, kernel, anchor=(k - 1, 0))
    after = cv2.dilate(along, kernel, anchor=(0, 0))
    ref = np.minimum(before, after)
    lo, hi = STREAK_GAIN
    ratio = g / np.maximum(ref, 1.0)
    # dark along (nearly) the whole frame, paper or not, as a sensor's column is: a rule
    # or a border slanting across a few columns darkens each only part of the way
    dark = np.percentile(ratio, 85, axis=0) <= hi
    # and from end to end of the frame: a page's border that runs straight down a photo
    # stops where the desk begins
    end = max(1, g.shape[0] // 20)
    dark &= np.maximum(np.median(ratio[:end], axis=0), np.median(ratio[-end:], axis=0)) <= hi
    if not dark.any():
        return None
    # the gain: the median ratio over the paper a candidate line crosses (not the ink)
    paper = ref > 0.6 * float(np.percentile(ref, 90))
    med = np.ones(g.shape[1], np.float32)
    for x in np.flatnonzero(dark):
        on_paper = ratio[paper[:, x], x]
        if len(on_paper) > 0.5 * g.shape[0]:
            med[x] = np.median(on_paper)
    dark &= (med >= lo) & (med < 1.0)
    if not dark.any():
        return None
    # a streak is narrow: wider dark runs are a shadow or a fold, left to flattening
    gain = np.ones(g.shape[1], np.float32)
    start = None
    for x in range(len(dark) + 1):
        on = x < len(dark) and dark[x]
        if on and start is None:
            start = x
        elif not on and start is not None:
            if x - start <= STREAK_WIDTH:
                gain[start:x] = med[start:x]
            start = None
    return gain if (gain < 1.0).any() else None


def _runs(flags: np.ndarray) -> int:
    return int(np.count_nonzero(np.diff(flags.astype(np.int8), prepend=0) == 1))


def clear_border_noise(binary: np.ndarray, *, xheight: float) -> tuple[np.ndarray, int]:
    """Whiten large ink blobs touching the image edge (scanner lid shadows, the desk or a
    dark band left by rectification), which Tesseract would otherwise read as junk.
    Returns the new image and how many blobs were removed."""
    h, w = binary.shape
    ink = (binary < 128).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return binary, 0
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    touches = (x <= 1) | (y <= 1) | (x + bw >= w - 1) | (y + bh >= h - 1)
    big = (np.maximum(bw, bh) > 4 * max(xheight, 4.0)) | (
        stats[:, cv2.CC_STAT_AREA] > 20 * max(xheight, 4.0) ** 2
    )
    drop = touches & big
    drop[0] = False
    k = int(drop.sum())
    if not k:
        return binary, 0
    out = binary.copy()
    out[drop[labels]] = 255
    return out, k


# --- orientation and skew -----------------------------------------------------------------


def _profile_score(xs: np.ndarray, ys: np.ndarray, angle_deg: float, n_bins: int) -> float:
    """Sharpness of the row profile of ink points after rotating by ``angle_deg``."""
    a = np.deg2rad(angle_deg)
    proj = (ys * np.cos(a) - xs * np.sin(a)).astype(np.int64)
    proj -= proj.min()
    hist = np.bincount(proj, minlength=n_bins).astype(np.float64)
    d = np.diff(hist)
    # minus the sum's expectation for structureless points (Poisson counts): what is left
    # measures line structure, comparable between orientations
    return max(1.0, float((d * d).sum()) - 2.0 * len(xs))


def _best_angle(xs: np.ndarray, ys: np.ndarray, n_bins: int) -> tuple[float, float]:
    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5)
    scores = [_profile_score(xs, ys, a, n_bins) for a in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    fscores = [_profile_score(xs, ys, a, n_bins) for a in fine]
    i = int(np.argmax(fscores))
    return float(fine[i]), float(fscores[i])


def _line_bands(mask: np.ndarray) -> list[tuple[int, int]]:
    rows = mask.sum(axis=1)
    on = rows > max(1, 0.01 * mask.shape[1])
    bands = []
    start = None
    for i, v in enumerate(on):
        if v and start is None:
            start = i
        elif not v and start is not None:
            bands.append((start, i))
            start = None
    if start is not None:
        bands.append((start, len(on)))
    return _merge_thin_bands(bands)


def _merge_thin_bands(bands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Attach rows of marks separated from their line by a small gap (Vietnamese tone
    marks over capitals, dots below) to the nearest line."""
    if len(bands) < 2:
        return bands
    typical = float(np.median([b - a for a, b in bands]))
    out = list(bands)
    changed = True
    while changed and len(out) > 1:
        changed = False
        for i, (a, b) in enumerate(out):
            if b - a >= 0.6 * typical:
                continue
            gaps = []
            if i > 0:
                gaps.append((a - out[i - 1][1], i - 1))
            if i + 1 < len(out):
                gaps.append((out[i + 1][0] - b, i + 1))
            gap, j = min(gaps)
            if gap > 0.6 * typical:
                continue
            lo, hi = min(i, j), max(i, j)
            out[lo : hi + 1] = [(out[lo][0], out[hi][1])]
            changed = True
            break
    return out


def drop_non_text(mask: np.ndarray) -> np.ndarray:
    """The ink mask without what is not letters: blobs touching the frame (edges of a
    card, desk, scanner lid) and long lines or large areas (rules, borders, photos)."""
    h, w = mask.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 1:
        return mask
    x, y = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    bw, bh = stats[:, cv2.CC_STAT_WIDTH], stats[:, cv2.CC_STAT_HEIGHT]
    touches = (x <= 1) | (y <= 1) | (x + bw >= w - 1) | (y + bh >= h - 1)
    huge = (bw > 0.25 * w) | (bh > 0.25 * h) | (bh > 0.1 * h) & (bw > 0.1 * w)
    drop = touches | huge
    drop[0] = True
    return (~drop[labels]).astype(np.uint8)


def updown_balance(mask: np.ndarray) -> tuple[float, float]:
    """(ink above the x-height band, ink below it), summed over text lines.

    Latin and Vietnamese text has more above (capitals, ascenders, tone marks) than
    below (descenders, the dot below); upside-down text has the opposite.
    """
    above = below = 0.0
    for y0, y1 in _line_bands(mask):
        hgt = y1 - y0
        if hgt < 6:
            continue
        prof = mask[y0:y1].sum(axis=1).astype(np.float64)
        core = np.nonzero(prof >= 0.5 * prof.max())[0]
        if len(core) < 2:
            continue
        c0, c1 = core[0], core[-1]
        above += prof[:c0].sum()
        below += prof[c1 + 1 :].sum()
    return above, below


def estimate_xheight(mask: np.ndarray) -> float:
    """Median height of connected components that look like letters (px)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n <= 1:
        return 0.0
    hs = stats[1:, cv2.CC_STAT_HEIGHT]
    ws = stats[1:, cv2.CC_STAT_WIDTH]
    areas = stats[1:, cv2.CC_STAT_AREA]
    keep = (hs >= 3) & (areas >= 6) & (ws <= 4 * hs) & (hs <= 0.2 * mask.shape[0])
    if keep.sum() < 5:
        return 0.0
    return float(np.median(hs[keep]))


def detect_orientation(gray: np.ndarray, *, vertical: bool | None = None) -> Orientation:
    """Orientation (quarter turns), skew and text size of an (already rectified) grey image.

    ``gray`` should be at modest resolution (x-height >= ~8 px); it is flattened and
    thresholded here. ``vertical``: whether the text lines run down the image, when the
    caller knows better than the line profiles (None: the profiles decide).
    """
    flat = flatten(gray)
    mask = drop_non_text(ink_mask(flat))
    # drop huge components (photos, borders, table lines) from the analysis
    ys, xs = np.nonzero(mask)
    if len(xs) < 50:
        return Orientation(0, 0.0, 0.0, 0.0)
    if len(xs) > 25_000:  # subsample points: the profiles keep their shape
        idx = np.random.default_rng(0).choice(len(xs), 25_000, replace=False)
        xs, ys = xs[idx], ys[idx]
    xs = xs.astype(np.float64)
    ys = ys.astype(np.float64)
    n_bins = int(np.hypot(*mask.shape)) + 2
    a_h, s_h = _best_angle(xs, ys, n_bins)  # text lines horizontal
    # the same points turned 90 degrees clockwise: (x, y) -> (H - 1 - y, x)
    a_v, s_v = _best_angle(mask.shape[0] - 1 - ys, xs, n_bins)
    if vertical is None:
        vertical = s_v > 1.15 * s_h
    conf_hv = abs(np.log(max(s_v, 1e-9) / max(s_h, 1e-9)))
    skew = round(a_v if vertical else a_h, 2)
    # make the analysed image horizontal and deskewed, then look at line shapes
    base = 90 if vertical else 0
    upright = _rotate_small(mask, base, skew)
    xh = estimate_xheight(upright)
    above, below = updown_balance(upright)
    ratio = (above + 1) / (below + 1)
    flip = ratio < 1.0
    conf_ud = abs(np.log(ratio))
    rotate = (base + (180 if flip else 0)) % 360
    lines = sum(1 for a, b in _line_bands(upright) if b - a >= 6)
    conf = float(min(1.0, conf_hv / 0.5) * min(1.0, conf_ud / 0.4) * min(1.0, lines / 4))
    return Orientation(rotate=rotate, skew=skew, xheight=xh, confidence=conf)


def _rotate_small(mask: np.ndarray, rotate_cw: int, skew: float) -> np.ndarray:
    m = rotation_homography(mask.shape[1], mask.shape[0], rotate_cw, skew)
    size = rotated_size(mask.shape[1], mask.shape[0], rotate_cw, skew)
    return cv2.warpPerspective(mask, m[0], size, flags=cv2.INTER_NEAREST)


def rotation_homography(
    w: float, h: float, rotate_cw: int, skew: float
) -> tuple[np.ndarray, tuple[int, int]]:
    """Homography turning a ``w x h`` image clockwise by ``rotate_cw`` (quarter turns) then by
    ``-skew`` degrees... i.e. removing the measured skew, onto a canvas that holds it all."""
    total = -float(rotate_cw) + float(skew)  # OpenCV: positive angle = counter-clockwise
    m = cv2.getRotationMatrix2D((w / 2, h / 2), total, 1.0)
    nw, nh = rotated_size(w, h, rotate_cw, skew)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return np.vstack([m, [0, 0, 1]]), (nw, nh)


def rotated_size(w: float, h: float, rotate_cw: int, skew: float) -> tuple[int, int]:
    a = np.deg2rad(-float(rotate_cw) + float(skew))
    c, s = abs(np.cos(a)), abs(np.sin(a))
    return int(round(w * c + h * s)), int(round(w * s + h * c))


# --- the step that composes everything ----------------------------------------------------


def prepare_page(
    image: np.ndarray, *, split: bool = True, view: PageView | None = None
) -> list[Prepared]:
    """Every document on the page, rectified, upright, deskewed, scaled and cleaned."""
    view = view or analyze_page(image, split=split)
    if not view.quads:
        return [prepare_region(image, None, view=view)]
    return [prepare_region(image, q, view=view) for q in view.quads]


def prepare_text_crop(image: np.ndarray, view: PageView) -> Prepared | None:
    """The part of the frame the letters lie in (``view.text_box``), prepared like a
    document; None without one. For a page no outline was found for: the desk around
    it is left out, whose grain binarizes into specks Tesseract reads as text."""
    if view.text_box is None:
        return None
    x0, y0, x1, y1 = view.text_box
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float64)
    prep = prepare_region(image, Quad(corners=corners), view=view)
    return replace(prep, steps=("text_crop", *prep.steps[1:]))


OUTLINE_SKEW = 4.0
"""Degrees of skew measured after rectifying along an outline beyond which the outline
is taken for misplaced (measured: 2.6 on a card photographed at a steep angle and
rectified right, whose lines its guilloche blurs; 4.5 on a scanned card whose bottom
ran off the frame, its bottom-left corner placed a sixth of its height too high)."""


def _analysis_orientation(
    gray_view: np.ndarray,
    factor: float,
    rect: np.ndarray,
    size: tuple[int, int],
    vertical: bool | None,
) -> tuple[float, Orientation]:
    """Orientation of the document that ``rect`` maps out of the page (``size`` pixels),
    measured on an analysis copy at ~1600 px long side (x-height >= 8 px); returns that
    copy's scale and the orientation."""
    rw, rh = size
    f = min(1.0, 1600.0 / max(rw, rh))
    sw, sh = max(1, round(rw * f)), max(1, round(rh * f))
    small_m = np.diag([f, f, 1.0]) @ rect @ np.diag([1 / factor, 1 / factor, 1.0])
    small = cv2.warpPerspective(
        gray_view, small_m, (sw, sh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return f, detect_orientation(small, vertical=vertical)


def prepare_region(
    page: np.ndarray,
    quad: Quad | None,
    *,
    view: PageView | None = None,
    vertical: bool | None = None,
) -> Prepared:
    """One document of ``page`` (the whole page when ``quad`` is None). ``vertical``:
    whether its text lines run down the rectified document (None: measured)."""
    view = view or analyze_page(page, split=False)
    ph, pw = page.shape[:2]
    steps: list[str] = []
    rect: np.ndarray
    gray_view = to_gray(view.small)
    if quad is None:
        rect = np.eye(3)
        rw, rh = pw, ph
    else:
        rw, rh = quad.size
        dst = np.array([[0, 0], [rw, 0], [rw, rh], [0, rh]], np.float32)
        rect = cv2.getPerspectiveTransform(quad.corners.astype(np.float32), dst)
        steps.append("rectify")
    f, orient = _analysis_orientation(gray_view, view.factor, rect, (rw, rh), vertical)
    if quad is not None and abs(orient.skew) > OUTLINE_SKEW:
        # text still askew after rectifying: a corner was misplaced (a card running off
        # the frame's edge), and the warp bends the lines apart. The outline's box,
        # merely turned, keeps them straight
        x0, y0 = np.floor(quad.corners.min(axis=0))
        x1, y1 = np.ceil(quad.corners.max(axis=0))
        x0, y0 = max(0.0, x0), max(0.0, y0)
        box_rect = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], np.float64)
        box_size = (int(min(pw, x1) - x0), int(min(ph, y1) - y0))
        f2, o2 = _analysis_orientation(gray_view, view.factor, box_rect, box_size, vertical)
        log.debug("outline leaves a skew of %.1f degrees, its box %.1f", orient.skew, o2.skew)
        rect, (rw, rh), f, orient = box_rect, box_size, f2, o2
        steps[-1] = "outline_box"
    if orient.rotate:
        steps.append(f"rotate:{orient.rotate}")
    skew = orient.skew if abs(orient.skew) >= 0.15 else 0.0
    if skew:
        steps.append(f"deskew:{skew:.1f}")

    # scale: x-height measured on the small copy -> full resolution -> target
    xh_full = orient.xheight / f if orient.xheight else 0.0
    scale = 1.0
    if xh_full > 0:
        scale = float(np.clip(TARGET_XHEIGHT / xh_full, 0.35, 3.0))
        if 0.85 < scale < 1.2:
            scale = 1.0
    if scale != 1.0:
        steps.append(f"scale:{scale:.2f}")

    rot, (ow, oh) = rotation_homography(rw * scale, rh * scale, orient.rotate, skew)
    full = rot @ np.diag([scale, scale, 1.0]) @ rect
    paper = int(
        np.percentile(
            gray_view[:: max(1, gray_view.shape[0] // 200), :: max(1, gray_view.shape[1] // 200)],
            90,
        )
    )
    src = page if page.ndim == 3 else cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)
    src_m = full
    if scale < 0.5:
        # warps interpolate, they do not average: shrink with INTER_AREA first so strokes
        # are not aliased, then warp the smaller copy (same geometry)
        src = cv2.resize(src, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        src_m = full @ np.diag([1 / scale, 1 / scale, 1.0])
    color = cv2.warpPerspective(
        src,
        src_m,
        (ow, oh),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(paper, paper, paper),
    )
    gray = to_gray(color)
    flat = flatten(gray, stroke=max(4.0, orient.xheight / f * scale if orient.xheight else 10.0))
    steps.append("flatten")
    binary, method = binarize(flat)
    steps.append(f"binarize:{method}")
    xh_out = orient.xheight / f * scale if orient.xheight else TARGET_XHEIGHT
    binary, cleared = clear_border_noise(binary, xheight=xh_out)
    if cleared:
        steps.append(f"clear_border:{cleared}")
    if method.startswith("otsu") and scale > 1.0:
        # text captured smaller than Tesseract wants (a 150-220 dpi scan, small card
        # print): thresholding the enlarged, interpolated strokes cuts serifs and tone
        # marks into steps, the grey keeps their shape. Text captured large enough keeps
        # the binary image (measured: on phone photos the grey of blurred strokes did not
        # help), and so does a page whose contrast still varies (local threshold).
        ocr_image = grey_near_ink(flat, binary, xheight=xh_out)
        steps.append("grey_near_ink")
    else:
        ocr_image = binary
    log.debug(
        "prepared region: %s (orientation confidence %.2f)", ",".join(steps), orient.confidence
    )
    return Prepared(
        color=color,
        ocr_image=ocr_image,
        to_page=Transform.from_array(np.linalg.inv(full)),
        steps=tuple(steps),
        quad=quad,
        orientation_confidence=orient.confidence,
        residual_skew=skew,
        vertical=orient.rotate in (90, 270),
    )
