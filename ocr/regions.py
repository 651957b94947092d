"""Finding documents (pages, cards) on their background: a desk, a scan bed.

The background is modelled from the image's border: whatever differs from it in
colour and is a solid, convex, quadrilateral blob is a document. A page scanned edge
to edge (the border *is* the paper) gives no such blob, and the whole image is then
one document. Work happens on a small copy (``DETECT_SIDE`` px); corners are returned
in pixels of the full image.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import cv2
import numpy as np

log = logging.getLogger(__name__)

ANALYSIS_SIDE = 1600
"""Longest side of the page copy that orientation, skew and quality are measured on."""
DETECT_SIDE = 640
"""Longest side of the working copy used for detection."""
MIN_AREA = 0.04
"""A document covers at least this fraction of the image."""
MIN_FILL = 0.05
"""Share of a candidate that must pass the (Otsu) document threshold: a sanity floor only,
since a sheet half in shadow may pass it in a small part (the watershed claims the rest)."""
MAX_BACKGROUND_SHARE = 0.45
"""A document has at most this share of background-coloured pixels (at fine scale)."""
MIN_EDGE_SUPPORT = 0.8
"""Share of each side a straight edge must follow for a pale card to count."""
EDGE_STEP = 4.0
"""Grey-level step per pixel (Sobel/8) that counts as an edge."""
MIN_TYPICAL_DISTANCE = 20.0
"""Median colour distance from the background a document's pixels must reach."""
"""Fraction of a candidate blob that must differ from the background (a card or a sheet
of paper does; a block of text on white paper does not)."""


@dataclass(frozen=True, slots=True)
class Quad:
    """A document's corners in image pixels: top-left, top-right, bottom-right, bottom-left."""

    corners: np.ndarray
    touches_edge: bool = False
    """The document's outline runs along the image frame (it may be cut off)."""
    area_fraction: float = 0.0
    """Share of the image covered."""

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the rectified document, from the corner distances."""
        tl, tr, br, bl = self.corners
        w = max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))
        h = max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))
        return int(round(w)), int(round(h))


def downscale(image: np.ndarray, side: int) -> tuple[np.ndarray, float]:
    """A copy whose longest side is at most ``side`` px, and the factor applied."""
    h, w = image.shape[:2]
    f = min(1.0, side / max(h, w))
    if f >= 1.0:
        return image, 1.0
    small = cv2.resize(
        image, (max(1, round(w * f)), max(1, round(h * f))), interpolation=cv2.INTER_AREA
    )
    return small, f


@dataclass(frozen=True, slots=True)
class PageView:
    """A page's reduced copy and the documents found on it, computed once per page."""

    small: np.ndarray
    """BGR copy with longest side at most :data:`ANALYSIS_SIDE`."""
    factor: float
    """``small`` pixels per page pixel (<= 1)."""
    quads: tuple[Quad, ...]
    """Documents found, corners in *page* pixels (empty: the page is one document)."""
    size: tuple[int, int]
    """(width, height) of the full page."""
    letters: int = 0
    """Letter-like blobs seen on the page (counted only when ``split``)."""
    text_box: tuple[int, int, int, int] | None = None
    """With no document outlined: the part of the frame the letters lie in, with a
    margin, in page pixels (x0, y0, x1, y1), when it is clearly smaller than the frame (a
    page on a textured desk whose edge a shadow hid); None otherwise."""
    centres: np.ndarray | None = None
    """Centres of the letter-like blobs seen (``small`` pixels; counted only when
    ``split``)."""

    def line_quad(self) -> Quad | None:
        """The document outlined by straight edges around the letters
        (:func:`line_outline`), in page pixels; None when there is none."""
        corners = line_outline(self.small, self.centres)
        if corners is None:
            return None
        w, h = self.size
        corners = corners / self.factor
        return Quad(corners=corners, area_fraction=cv2.contourArea(corners) / (w * h))


def analyze_page(image: np.ndarray, *, split: bool = True) -> PageView:
    bgr = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    small, f = downscale(bgr, ANALYSIS_SIDE)
    quads = find_documents(small) if split else []
    centres = letter_boxes(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)) if split else None
    if quads and text_mostly_outside(centres, quads):
        log.info("%d candidate document(s) ignored: the text lies around them", len(quads))
        quads = []
    if quads and outline_cuts_text(centres, quads, small.shape[:2]):
        # an outline that leaves letters out follows a shadow's edge, a lamp's lit patch
        # or stops where a page runs out of the frame, not the paper's cut. A lower
        # threshold may find the paper's cut (a grey card whose lit part alone passed
        # the first); otherwise reading the whole frame loses nothing, where a wrong
        # crop loses the rest of the document.
        quads = _outlines_keeping_text(small, centres)
    if not quads and centres is not None:
        quads = _pale_documents_holding_text(small, centres)
    scaled = tuple(
        Quad(corners=q.corners / f, touches_edge=q.touches_edge, area_fraction=q.area_fraction)
        for q in quads
    )
    box = None
    if not quads and centres is not None:
        box = text_extent(centres, small.shape[:2])
    return PageView(
        small=small,
        factor=f,
        quads=scaled,
        size=(image.shape[1], image.shape[0]),
        letters=0 if centres is None else len(centres),
        centres=centres,
        text_box=None if box is None else tuple(int(round(v / f)) for v in box),  # type: ignore[arg-type]
    )


LOWER_THRESHOLDS = (0.8, 0.65)
"""Factors of the document threshold tried, in turn, when the outlines found at it leave
letters out. Measured on a grey card on a dark desk with a lamp's patch across it: only
the lit part passed the threshold (73); at 0.8 and 0.65 of it the card's cut was found."""


LOWER_LEFT_OUT = 3
LOWER_LEFT_OUT_SHARE = 0.01
"""At a lower threshold, the letter-like blobs an outline may leave out (a speck)."""


def _outlines_keeping_text(small: np.ndarray, centres: np.ndarray) -> list[Quad]:
    """Documents found at a lower threshold (:data:`LOWER_THRESHOLDS`) that leave hardly
    a letter out; empty when none does (the whole frame is then read)."""
    for scale in LOWER_THRESHOLDS:
        quads = find_documents(small, threshold_scale=scale)
        # stricter than the first outline's test: a lower threshold also lets a shadowed
        # desk or a page's own shade pass, so hardly a letter may lie outside, those along
        # the frame included (a sheet running out of the frame in shadow, outlined at
        # 0.65 with 10 of its 406 letters left out along its cut-off side)
        outside = int((~_inside_any(centres, quads)).sum()) if quads else 0
        if quads and outside <= max(LOWER_LEFT_OUT, LOWER_LEFT_OUT_SHARE * len(centres)):
            log.info("%d document(s) outlined at %.2f of the threshold", len(quads), scale)
            return quads
    log.info("outlines ignored: letters lie outside them at every threshold")
    return []


MIN_TEXT_LETTERS = 40
"""Letters needed before the frame is cropped to where they lie."""
TEXT_MARGIN = 0.05
"""Margin around the letters, as a share of the frame's shorter side."""
MAX_TEXT_SHARE = 0.6
"""The crop is kept only when it covers less than this share of the frame."""


def text_extent(centres: np.ndarray, shape: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """The box the letters lie in, widened by :data:`TEXT_MARGIN`, or None when there are
    too few letters or the box is most of the frame anyway."""
    if len(centres) < MIN_TEXT_LETTERS:
        return None
    h, w = shape
    m = TEXT_MARGIN * min(h, w)
    x0, y0 = np.maximum(centres.min(axis=0) - m, 0)
    x1, y1 = np.minimum(centres.max(axis=0) + m, (w, h))
    if (x1 - x0) * (y1 - y0) >= MAX_TEXT_SHARE * w * h:
        return None
    return int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1))


def letter_boxes(gray: np.ndarray) -> np.ndarray:
    """Centres of blobs shaped like letters (dark on light), as an (n, 2) array."""
    binary = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15
    )
    n, _, stats, centroids = cv2.connectedComponentsWithStats(binary, connectivity=8)
    if n <= 1:
        return np.zeros((0, 2))
    hs = stats[1:, cv2.CC_STAT_HEIGHT]
    ws = stats[1:, cv2.CC_STAT_WIDTH]
    area = stats[1:, cv2.CC_STAT_AREA]
    fill = area / np.maximum(1, hs * ws)
    ok = (hs >= 5) & (hs <= 60) & (ws >= 2) & (ws <= 3 * hs) & (fill > 0.15) & (fill < 0.9)
    if ok.sum() < 20:
        return np.zeros((0, 2))
    # letters on one page share a height: keep the dominant size class
    med = np.median(hs[ok])
    ok &= (hs > 0.5 * med) & (hs < 2.0 * med)
    return centroids[1:][ok]


def _inside_any(centres: np.ndarray, quads: list[Quad]) -> np.ndarray:
    """Which points lie inside (or on) at least one of the quads."""
    inside = np.zeros(len(centres), bool)
    for q in quads:
        poly = q.corners.astype(np.float32).reshape(-1, 1, 2)
        inside |= np.array(
            [cv2.pointPolygonTest(poly, (float(x), float(y)), False) >= 0 for x, y in centres]
        )
    return inside


def text_mostly_outside(centres: np.ndarray, quads: list[Quad]) -> bool:
    """Whether most letter-like blobs (:func:`letter_boxes`) lie outside every candidate
    document: then the candidates are pictures on a page (a photo in a magazine scan),
    not documents."""
    if len(centres) < 100:
        return False
    outside = int((~_inside_any(centres, quads)).sum())
    return outside > 200 and outside > 0.5 * len(centres)


LEFT_OUT_LETTERS = 15
"""Letter-like blobs outside every outline found beyond which the outlines are unsure."""
LEFT_OUT_SHARE = 0.05
"""... and the share of all letter-like blobs they must also exceed."""


def outline_cuts_text(centres: np.ndarray, quads: list[Quad], shape: tuple[int, int]) -> bool:
    """Whether the outlines found leave out a part of the text: letters outside every
    document are printed on a part of the paper the outline did not follow (a shadow
    band taken for the desk, a sheet running out of the frame). A desk's texture seldom
    makes more than a few blobs the size of the page's letters. ``centres``: letter-like
    blobs (:func:`letter_boxes`) of an image of ``shape`` (height, width)."""
    # blobs along the frame itself are a scanner's or a lens's edge, not letters
    h, w = shape
    m = 0.02 * min(h, w)
    if len(centres):
        x, y = centres[:, 0], centres[:, 1]
        centres = centres[(x > m) & (x < w - m) & (y > m) & (y < h - m)]
    if not len(centres):
        return False
    inside = _inside_any(centres, quads)
    outside = int((~inside).sum())
    log.debug("%d of %d letter-like blobs outside the outlines", outside, len(centres))
    return outside > max(LEFT_OUT_LETTERS, LEFT_OUT_SHARE * len(centres))


def order_corners(pts: np.ndarray) -> np.ndarray:
    """Four points ordered TL, TR, BR, BL."""
    pts = np.asarray(pts, dtype=np.float32).reshape(4, 2)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    out = np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]])
    if len({tuple(p) for p in out.tolist()}) < 4:  # degenerate (45 degrees): sort by angle
        c = pts.mean(axis=0)
        ang = np.arctan2(pts[:, 1] - c[1], pts[:, 0] - c[0])
        pts = pts[np.argsort(ang)]
        start = int(np.argmin(pts.sum(axis=1)))
        out = np.roll(pts, -start, axis=0)
    return out.astype(np.float32)


def _quad_from_contour(contour: np.ndarray) -> np.ndarray:
    hull = cv2.convexHull(contour)
    peri = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.045, 0.06, 0.08):
        approx = cv2.approxPolyDP(hull, eps * peri, True)
        if len(approx) == 4:
            return order_corners(approx.reshape(4, 2))
    return order_corners(cv2.boxPoints(cv2.minAreaRect(hull)))


PALE_MAX_AREA = 0.6
"""Most of the frame the documents found by their cut alone may cover together: cards or
sheets lying on a bed, not a printed frame around an edge-to-edge page."""
FRAME_EDGE = 0.05
"""Letter-like specks this near the frame (a share of its shorter side) are the bed's
edge or a finger on the margin, not text an outline must hold."""


def away_from_frame(centres: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The letter centres further than :data:`FRAME_EDGE` from the frame's border."""
    h, w = shape
    m = FRAME_EDGE * min(h, w)
    x, y = centres[:, 0], centres[:, 1]
    return centres[(x > m) & (x < w - m) & (y > m) & (y < h - m)]


def _pale_documents_holding_text(small: np.ndarray, centres: np.ndarray) -> list[Quad]:
    """Documents nearly the colour of the bed (pale cards on a grey scanner lid), found by
    their straight cut alone (:func:`pale_outlines`) when nothing stood out by colour:
    kept when they cover at most :data:`PALE_MAX_AREA` of the frame between them and hold
    all but a speck of the letters; empty otherwise (the whole frame is read)."""
    h, w = small.shape[:2]
    quads = [Quad(corners=c, area_fraction=a) for c, a in pale_outlines(small, [])]
    if not quads or sum(q.area_fraction for q in quads) > PALE_MAX_AREA:
        return []
    # the bed's own edge and the lid's shadow along the frame make letter-like specks
    inner = away_from_frame(centres, (h, w))
    outside = int((~_inside_any(inner, quads)).sum())
    if outside > max(LOWER_LEFT_OUT, LOWER_LEFT_OUT_SHARE * len(inner)):
        return []
    log.info("%d pale document(s) outlined by their cut alone", len(quads))
    return reading_order(quads)


def background_distance(small_bgr: np.ndarray) -> tuple[np.ndarray, float, np.ndarray, float]:
    """Per-pixel colour distance from the border's median colour, a threshold separating
    documents from the background, the background colour (Lab) and the typical distance
    of border pixels from it."""
    lab = cv2.cvtColor(cv2.GaussianBlur(small_bgr, (5, 5), 0), cv2.COLOR_BGR2LAB).astype(np.float32)
    h, w = lab.shape[:2]
    b = max(2, round(0.02 * min(h, w)))
    border = np.concatenate(
        [
            lab[:b].reshape(-1, 3),
            lab[-b:].reshape(-1, 3),
            lab[:, :b].reshape(-1, 3),
            lab[:, -b:].reshape(-1, 3),
        ]
    )
    bg = np.median(border, axis=0)
    weights = np.array([1.0, 1.6, 1.6], np.float32)
    dist = np.sqrt((((lab - bg) * weights) ** 2).sum(axis=2))
    bd = np.sqrt((((border - bg) * weights) ** 2).sum(axis=1))
    d8 = np.clip(dist, 0, 255).astype(np.uint8)
    otsu, _ = cv2.threshold(d8, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # how far border pixels stray from the background colour (desk texture, noise),
    # estimated robustly: a document running off the frame covers part of the border
    med = float(np.median(bd))
    mad = 1.4826 * float(np.median(np.abs(bd - med)))
    spread = med + 1.3 * mad
    # on a uniform background (a scan bed) anything a little off its colour is a
    # document; Otsu would split the documents' ink from their pale paper instead
    uniform = spread < 6.0
    thr = max(spread + 8.0, 12.0) if uniform else max(float(otsu), med + 3.0 * mad + 6.0, 18.0)
    return dist, thr, bg, float(np.percentile(bd, 60))


def edge_support(fine_bgr: np.ndarray, corners: np.ndarray, *, reach: int = 3) -> float:
    """Smallest, over the four sides of ``corners`` (fine-image pixels), of the share of
    the side along which a step edge runs within ``reach`` px of it."""
    gray = cv2.GaussianBlur(cv2.cvtColor(fine_bgr, cv2.COLOR_BGR2GRAY), (3, 3), 0).astype(
        np.float32
    )
    h, w = gray.shape
    gx = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    worst = 1.0
    for i in range(4):
        a, b = corners[i].astype(np.float64), corners[(i + 1) % 4].astype(np.float64)
        length = float(np.linalg.norm(b - a))
        if length < 10:
            return 0.0
        t = (b - a) / length
        n = np.array([-t[1], t[0]])
        # sample the middle 80% of the side (corners are rounded or shadowed)
        s = np.linspace(0.1, 0.9, 60)[:, None]
        base = a + s * (b - a)
        offs = np.arange(-reach, reach + 1)[None, :, None] * n[None, None, :]
        pts = base[:, None, :] + offs  # (60, 2 * reach + 1, 2)
        xs = np.clip(np.round(pts[..., 0]).astype(int), 0, w - 1)
        ys = np.clip(np.round(pts[..., 1]).astype(int), 0, h - 1)
        across = np.abs(gx[ys, xs] * n[0] + gy[ys, xs] * n[1]).max(axis=1)
        worst = min(worst, float(np.mean(across > EDGE_STEP)))
    return worst


def background_share(
    fine_bgr: np.ndarray, region: np.ndarray, bg: np.ndarray, *, near: float = 15.0
) -> float:
    """Share of a region's pixels, seen at fine resolution, that have the background's
    colour. Text printed on the background (lines of ink with background between them)
    is mostly background; a card or a sheet of paper lying on it is not."""
    h, w = fine_bgr.shape[:2]
    mask = cv2.resize(region, (w, h), interpolation=cv2.INTER_NEAREST)
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return 1.0
    step = max(1, len(ys) // 20_000)
    px = fine_bgr[ys[::step], xs[::step]].reshape(-1, 1, 3)
    lab = cv2.cvtColor(px, cv2.COLOR_BGR2LAB).reshape(-1, 3).astype(np.float32)
    weights = np.array([1.0, 1.6, 1.6], np.float32)
    d = np.sqrt((((lab - bg) * weights) ** 2).sum(axis=1))
    return float(np.mean(d < near))


def find_documents(image: np.ndarray, *, threshold_scale: float = 1.0) -> list[Quad]:
    """Documents lying on a distinguishable background, in reading order (top to
    bottom, then left to right). Empty when the image is the document itself
    (edge-to-edge scan) or nothing stands out.

    Confident document pixels (far in colour from the border's) seed a watershed
    against the border, so a shadow falling across the paper, which makes part of
    it look like the desk, is still claimed by the paper: the flood crosses the
    shadow's soft edge long before it crosses the sharp edge of the sheet.

    A lamp's bright patch on the desk next to the paper can pass that threshold too and
    join the paper in one blob that is no quadrilateral: the threshold is then raised
    to the level that splits the blob's own pixels in two, as paper stands further from
    the desk's colour than the lit desk does.

    ``threshold_scale`` lowers (< 1) the threshold document pixels must pass.
    """
    bgr = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    fine, _ = downscale(bgr, ANALYSIS_SIDE)
    small, _ = downscale(fine, DETECT_SIDE)
    f = small.shape[1] / bgr.shape[1]
    dist, thr, bg, border_typical = background_distance(small)
    thr *= threshold_scale
    found, merged = _blobs(fine, small, dist, thr, thr, bg, border_typical)
    if not found and merged is not None:
        # the blob's own pixels: the paper's far from the desk's colour, the lit desk's
        # nearer; the threshold that best splits them cuts the two apart
        values = np.clip(dist[merged], 0, 255).astype(np.uint8)
        split, _ = cv2.threshold(values, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        raised = max(float(split), MIN_RAISE * thr)
        log.debug("no document but a shapeless blob: threshold %.0f raised to %.0f", thr, raised)
        found, _ = _blobs(fine, small, dist, raised, thr, bg, border_typical)
    quads = [Quad(corners=c / f, touches_edge=edge, area_fraction=a) for c, edge, a in found]
    if quads:
        # Documents lie on a bed here: one nearly the bed's colour (the pale back of a
        # card) seeds no blob above, but its cut still draws a closed straight outline.
        k = fine.shape[1] / bgr.shape[1]
        quads += [
            Quad(corners=c / k, area_fraction=a)
            for c, a in pale_outlines(fine, [q.corners * k for q in quads])
        ]
    return reading_order(quads)


MIN_RAISE = 1.2
"""When no document was found but a blob with a document's colour and no document's
shape was, the threshold is raised to the one that best splits the blob's pixels, and by
at least this factor."""


def _blobs(
    fine: np.ndarray,
    small: np.ndarray,
    dist: np.ndarray,
    thr: float,
    base_thr: float,
    bg: np.ndarray,
    border_typical: float,
) -> tuple[list[tuple[np.ndarray, bool, float]], np.ndarray | None]:
    """The documents (corners in ``small`` pixels, whether they touch the frame, area
    fraction) that pixels further than ``thr`` from the background seed, and the mask of
    the blobs of a document's colour rejected for their shape (None: there were none)."""
    h, w = small.shape[:2]
    fg = (dist > thr).astype(np.uint8) * 255
    k = max(3, round(0.012 * max(h, w))) | 1
    closed = cv2.morphologyEx(
        fg, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    )
    ko = max(5, round(0.025 * min(h, w))) | 1
    sure = cv2.morphologyEx(
        closed, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (ko, ko))
    )
    n, labels, stats, _ = cv2.connectedComponentsWithStats(sure, connectivity=8)
    img_area = float(h * w)
    markers = np.zeros((h, w), np.int32)
    seeds = 0
    for i in range(1, n):
        if stats[i, cv2.CC_STAT_AREA] >= 0.5 * MIN_AREA * img_area:
            seeds += 1
            markers[labels == i] = seeds + 1
    if not seeds:
        return [], None
    b = max(2, round(0.015 * min(h, w)))
    band = np.zeros((h, w), bool)
    band[:b], band[-b:], band[:, :b], band[:, -b:] = True, True, True, True
    # only clearly background-coloured border pixels seed the background: a document cut
    # off by the frame, in shadow, must not be claimed by it
    bg_thr = min(base_thr, border_typical + 12.0)
    markers[band & (dist <= bg_thr)] = 1
    if not (markers == 1).any():
        return [], None  # no background visible at the border: the image is the document
    cv2.watershed(cv2.GaussianBlur(small, (3, 3), 0), markers)
    labels_left = merge_shadow_splits(markers, range(2, seeds + 2))

    found: list[tuple[np.ndarray, bool, float]] = []
    merged = np.zeros((h, w), bool)
    for label in labels_left:
        mask = (markers == label).astype(np.uint8) * 255
        mask = cv2.morphologyEx(
            mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
        )
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        if not contours:
            continue
        c = max(contours, key=cv2.contourArea)
        area = cv2.contourArea(c)
        if area < MIN_AREA * img_area:
            continue
        region = np.zeros((h, w), np.uint8)
        cv2.drawContours(region, [c], -1, 255, -1)
        corners, shape = _outline(region, c)
        solidity = cv2.contourArea(shape) / max(cv2.contourArea(cv2.convexHull(shape)), 1.0)
        fill = float(np.count_nonzero(fg & region)) / max(1.0, float(np.count_nonzero(region)))
        # the typical pixel of a document differs from the background; the typical pixel
        # of a block of text printed on the background (a page scanned edge to edge) is
        # the background itself
        typical = float(np.median(dist[region > 0]))
        min_typical = min(MIN_TYPICAL_DISTANCE, 0.75 * base_thr)
        bg_share = (
            background_share(fine, region, bg, near=min(15.0, 0.6 * base_thr))
            if typical >= min_typical
            else 1.0
        )
        quad_area = cv2.contourArea(corners)
        fit = cv2.contourArea(shape) / max(quad_area, 1.0)
        shape_ok = solidity >= 0.88 and fill >= MIN_FILL and 0.85 < fit < 1.15
        colour_ok = typical >= min_typical and bg_share <= MAX_BACKGROUND_SHARE
        if shape_ok and not colour_ok:
            # a pale card on a bed of nearly its colour: accept it on the evidence of a
            # straight edge (its cut, its thin shadow) running along all four sides
            k = fine.shape[1] / w
            support = edge_support(fine, corners * k, reach=max(3, round(3 * k)))
            log.debug("pale candidate: edge support %.2f", support)
            colour_ok = support >= MIN_EDGE_SUPPORT
        if not (shape_ok and colour_ok):
            log.debug(
                "blob rejected: area %.2f solidity %.2f fill %.2f typical %.1f bg %.2f fit %.2f",
                area / img_area,
                solidity,
                fill,
                typical,
                bg_share,
                fit,
            )
            if colour_ok:
                merged |= region > 0
            continue
        if quad_area > 0.97 * img_area:
            continue  # the document is the whole frame
        found.append((corners, _edge_run(region) > 0.08, quad_area / img_area))
    return found, merged if merged.any() else None


def _outline(region: np.ndarray, contour: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The four corners that best cover a document's blob (``region``, its largest
    ``contour``), and the contour they were drawn from (whose shape is then judged).

    A spur the flood ran along (a lit strip of the desk, a finger touching the edge)
    drags a corner of the contour's hull out to its tip; the blob opened by a disc a few
    percent of its size has lost the spur, and of the two outlines the one that overlaps
    the blob best is kept."""
    corners = _quad_from_contour(contour)
    r = max(3, round(SPUR_SIZE * np.sqrt(cv2.contourArea(contour)))) | 1
    opened = cv2.morphologyEx(
        region, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (r, r))
    )
    contours, _ = cv2.findContours(opened, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return corners, contour
    spurless = max(contours, key=cv2.contourArea)
    other = _quad_from_contour(spurless)
    if _overlap(region, other) <= _overlap(region, corners) + 0.005:
        return corners, contour
    # the opening rounded the corners off: the sides are fitted again to the contour's
    # points along them, which the spur's points are not
    full, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    points = max(full, key=cv2.contourArea).reshape(-1, 2).astype(np.float32)
    return _refit_sides(other, points, r), spurless


def _refit_sides(corners: np.ndarray, points: np.ndarray, reach: float) -> np.ndarray:
    """``corners`` with each side moved onto the line through the ``points`` lying within
    ``reach`` of it along its middle; a side with too few such points stays."""
    lines = []
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        length = float(np.linalg.norm(b - a))
        t = (b - a) / max(length, 1e-6)
        n = np.array([-t[1], t[0]], np.float32)
        rel = points - a
        along, across = rel @ t, rel @ n
        near = (np.abs(across) < reach) & (along > 0.15 * length) & (along < 0.85 * length)
        if np.count_nonzero(near) < 5:
            lines.append((a, t))
            continue
        vx, vy, x0, y0 = cv2.fitLine(points[near], cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0], np.float32), np.array([vx, vy], np.float32)))
    out = []
    for i in range(4):
        (p, u), (q, v) = lines[i - 1], lines[i]
        m = np.array([[u[0], -v[0]], [u[1], -v[1]]], np.float64)
        if abs(np.linalg.det(m)) < 1e-6:
            return corners
        s = np.linalg.solve(m, (q - p).astype(np.float64))[0]
        out.append(p + s * u)
    return order_corners(np.array(out, np.float32))


SPUR_SIZE = 0.1
"""Width of the opening that cuts spurs off a blob, relative to the blob's square root."""


def _overlap(region: np.ndarray, corners: np.ndarray) -> float:
    """Intersection over union of a blob and a quadrilateral."""
    quad = np.zeros_like(region)
    cv2.fillConvexPoly(quad, np.round(corners).astype(np.int32), 255)
    a, b = region > 0, quad > 0
    return float(np.count_nonzero(a & b)) / max(1, np.count_nonzero(a | b))


def _quadness(mask: np.ndarray) -> float:
    """How much a blob looks like one quadrilateral document (0..1): the worse of its
    solidity and of how closely a four-cornered outline fits its area."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return 0.0
    c = max(contours, key=cv2.contourArea)
    area = cv2.contourArea(c)
    solidity = area / max(cv2.contourArea(cv2.convexHull(c)), 1.0)
    fit = area / max(cv2.contourArea(_quad_from_contour(c)), 1.0)
    return float(min(solidity, 1.0 - abs(1.0 - fit)))


def merge_shadow_splits(markers: np.ndarray, labels: range) -> list[int]:
    """Join watershed regions that are parts of one document (in place in ``markers``);
    the labels left.

    A shadow band across a sheet leaves lit paper on both sides, and each side seeds its
    own region; the two meet along the band, not across a strip of background. Two
    regions that meet along a long boundary and together make a better quadrilateral
    than the worse of them alone are one document. Documents lying apart are separated
    by the background's flood and never meet.
    """
    left = list(labels)
    h, w = markers.shape
    min_shared = 0.04 * (h + w)
    kernel = np.ones((5, 5), np.uint8)
    changed = True
    while changed and len(left) > 1:
        changed = False
        masks = {lb: (markers == lb).astype(np.uint8) for lb in left}
        grown = {lb: cv2.dilate(m, kernel) for lb, m in masks.items()}
        for i, a in enumerate(left):
            for b in left[i + 1 :]:
                shared = int(np.count_nonzero(grown[a] & grown[b] & (markers == -1)))
                if shared < min_shared:
                    continue
                union = (masks[a] | masks[b] | (grown[a] & grown[b] & (markers == -1))) * 255
                union = union.astype(np.uint8)
                q_union = _quadness(union)
                q_parts = min(_quadness(masks[a] * 255), _quadness(masks[b] * 255))
                log.debug("regions %d+%d: quadness %.2f, parts %.2f", a, b, q_union, q_parts)
                if q_union >= 0.9 and q_union > q_parts:
                    markers[union > 0] = a
                    left.remove(b)
                    changed = True
                    break
            if changed:
                break
    return left


def pale_outlines(fine_bgr: np.ndarray, known: list[np.ndarray]) -> list[tuple[np.ndarray, float]]:
    """Closed quadrilateral outlines (corners in ``fine_bgr`` pixels, area fraction) that
    a straight step edge follows on all four sides, outside the ``known`` documents."""
    gray = cv2.GaussianBlur(cv2.cvtColor(fine_bgr, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    edges = cv2.dilate(cv2.Canny(gray, 10, 30), np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    h, w = gray.shape
    img_area = float(h * w)
    found: list[tuple[np.ndarray, float]] = []
    for c in sorted(contours, key=cv2.contourArea, reverse=True):
        area = cv2.contourArea(c)
        if area < MIN_AREA * img_area:
            break
        if area > 0.9 * img_area:
            continue
        approx = cv2.approxPolyDP(c, 0.02 * cv2.arcLength(c, True), True)
        if len(approx) != 4 or not cv2.isContourConvex(approx):
            continue
        corners = order_corners(approx.reshape(4, 2))
        centre = tuple(float(v) for v in corners.mean(axis=0))
        taken = [*known, *(q for q, _ in found)]
        if any(cv2.pointPolygonTest(q.astype(np.float32), centre, False) >= 0 for q in taken):
            continue  # a frame or box printed inside a document already found
        if any(
            cv2.pointPolygonTest(corners, tuple(float(v) for v in q.mean(axis=0)), False) >= 0
            for q in taken
        ):
            continue  # an outline around documents already found (the bed's lid, a tray)
        if edge_support(fine_bgr, corners, reach=3) < MIN_EDGE_SUPPORT:
            continue
        found.append((corners, cv2.contourArea(corners) / img_area))
    return found


def reading_order(quads: list[Quad]) -> list[Quad]:
    """Top to bottom; documents side by side (overlapping vertically) left to right."""
    rest = sorted(quads, key=lambda q: float(q.corners[:, 1].min()))
    out: list[Quad] = []
    while rest:
        first = rest[0]
        y0, y1 = first.corners[:, 1].min(), first.corners[:, 1].max()
        row = [q for q in rest if q.corners[:, 1].min() < y0 + 0.5 * (y1 - y0)]
        row.sort(key=lambda q: float(q.corners[:, 0].min()))
        out.extend(row)
        rest = [q for q in rest if all(q is not r for r in row)]
    return out


def _edge_run(mask: np.ndarray, margin: int = 3) -> float:
    """Largest share of any image edge that the mask reaches (within ``margin`` px)."""
    h, w = mask.shape
    m = mask > 0
    runs = [
        np.count_nonzero(m[:margin].any(axis=0)) / w,
        np.count_nonzero(m[-margin:].any(axis=0)) / w,
        np.count_nonzero(m[:, :margin].any(axis=1)) / h,
        np.count_nonzero(m[:, -margin:].any(axis=1)) / h,
    ]
    return float(max(runs))


LINE_MIN_LENGTH = 0.12
"""Shortest straight edge taken for a document's side, as a share of the frame's shorter
side (a card's short side photographed from afar is about a fifth)."""
LINE_LETTERS_ACROSS = 0.01
"""Share of the letters (and at least :data:`LINE_LETTERS_ACROSS_MIN`) that may lie
beyond a line still taken for a side: a desk's texture makes a few letter-like specks."""
LINE_LETTERS_ACROSS_MIN = 3
LINE_MERGE = 0.006
"""Segments this close to one line (share of the frame's longer side) and within
:data:`LINE_MERGE_ANGLE` of its direction are one side (a side broken by a finger, a
glare, a corner's wear)."""
LINE_MERGE_ANGLE = 3.0
LINE_MIN_ANGLE = 50.0
"""Corner angles (degrees) a document outlined by lines keeps, and 180 minus it at most:
a perspective view of a rectangle seldom goes beyond that."""


def line_outline(small: np.ndarray, centres: np.ndarray | None) -> np.ndarray | None:
    """Corners (``small`` pixels) of the quadrilateral that straight edges draw around all
    the letters seen on the page, or None.

    A document's cut is a straight step edge, whatever the light: where a shadow band
    or a lamp's patch makes the paper look like the desk, and the colour outline
    (:func:`find_documents`) follows the light instead, the cut is still there. The
    long straight edges of the frame (Canny, probabilistic Hough) that no text crosses
    are sorted by the side of the letters they lie on; on each side the line the most
    edge length runs along is the side (a printed frame around the text serves as well
    as the paper's cut: both run parallel to it). A side with no edge is the frame's
    border (the document runs out of the picture). Kept only when at least two sides
    are edges, every corner angle is plausible and the letters lie inside."""
    if centres is None or len(centres) < MIN_TEXT_LETTERS:
        return None
    h, w = small.shape[:2]
    gray = cv2.GaussianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2GRAY), (5, 5), 0)
    # thickened: a soft edge's Canny trace wanders by a pixel and breaks up into pieces
    # shorter than a side
    edges = cv2.dilate(cv2.Canny(gray, 30, 90), np.ones((3, 3), np.uint8))
    segs = cv2.HoughLinesP(
        edges, 1, np.pi / 360, threshold=40,
        minLineLength=LINE_MIN_LENGTH * min(h, w), maxLineGap=0.01 * max(h, w),
    )  # fmt: skip
    if segs is None:
        return None
    centres = centres.astype(np.float64)
    middle = np.median(centres, axis=0)
    centres = away_from_frame(centres, (h, w))  # not a finger on the margin
    margin = 0.01 * min(h, w)
    across_max = max(LINE_LETTERS_ACROSS_MIN, LINE_LETTERS_ACROSS * len(centres))
    sides: dict[str, list[tuple[np.ndarray, np.ndarray, float]]] = {
        "top": [], "right": [], "bottom": [], "left": []
    }  # fmt: skip
    for x1, y1, x2, y2 in segs.reshape(-1, 4).astype(np.float64):
        p, q = np.array([x1, y1]), np.array([x2, y2])
        length = float(np.linalg.norm(q - p))
        t = (q - p) / length
        n = np.array([-t[1], t[0]])
        if (middle - p) @ n < 0:
            n = -n  # the normal points to the text
        if np.count_nonzero((centres - p) @ n < margin) > across_max:
            continue  # the line crosses the text, or text lies beyond it
        if abs(t[0]) >= abs(t[1]):
            side = "top" if n[1] > 0 else "bottom"
        else:
            side = "left" if n[0] > 0 else "right"
        sides[side].append((p, t, length))
    border = {
        "top": (np.array([0.0, 0.0]), np.array([1.0, 0.0])),
        "right": (np.array([w - 1.0, 0.0]), np.array([0.0, 1.0])),
        "bottom": (np.array([0.0, h - 1.0]), np.array([1.0, 0.0])),
        "left": (np.array([0.0, 0.0]), np.array([0.0, 1.0])),
    }
    lines = {k: _strongest_line(v, max(h, w)) or border[k] for k, v in sides.items()}
    if sum(bool(v) for v in sides.values()) < 2:
        return None
    order = ("left", "top", "right", "bottom")
    corners = []
    for a, b in zip(order, order[1:] + order[:1], strict=True):
        (p, u), (q, v) = lines[a], lines[b]
        m = np.array([[u[0], -v[0]], [u[1], -v[1]]])
        if abs(np.linalg.det(m)) < 1e-6:
            return None
        corners.append(p + np.linalg.solve(m, q - p)[0] * u)
    quad = np.array(corners, np.float32)  # top-left, top-right, bottom-right, bottom-left
    if not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
        return None
    for i in range(4):
        a, b = quad[i - 1] - quad[i], quad[(i + 1) % 4] - quad[i]
        cos = float(a @ b) / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-6)
        if not LINE_MIN_ANGLE <= np.degrees(np.arccos(np.clip(cos, -1, 1))) <= 180 - LINE_MIN_ANGLE:
            return None
    if cv2.contourArea(quad) < MIN_AREA * h * w:
        return None
    poly = quad.reshape(-1, 1, 2)
    outside = sum(cv2.pointPolygonTest(poly, (float(x), float(y)), False) < 0 for x, y in centres)
    if outside > across_max:
        return None
    return quad


def _strongest_line(
    segments: list[tuple[np.ndarray, np.ndarray, float]], side: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """The line (point, unit direction) through the group of nearly collinear
    ``segments`` that is longest in all; None without segments."""
    best: tuple[float, list[np.ndarray]] | None = None
    near = LINE_MERGE * side
    parallel = np.sin(np.radians(LINE_MERGE_ANGLE))
    for p, t, _ in segments:
        n = np.array([-t[1], t[0]])
        total, points = 0.0, []
        for p2, t2, length2 in segments:
            q2 = p2 + length2 * t2
            if abs(t[0] * t2[1] - t[1] * t2[0]) > parallel:
                continue
            if abs((p2 - p) @ n) > near or abs((q2 - p) @ n) > near:
                continue
            total += length2
            points += [p2, q2]
        if best is None or total > best[0]:
            best = (total, points)
    if best is None:
        return None
    vx, vy, x0, y0 = cv2.fitLine(np.array(best[1], np.float32), cv2.DIST_L2, 0, 0.01, 0.01).ravel()
    return np.array([x0, y0], np.float64), np.array([vx, vy], np.float64)
