"""Side-by-side panels in one region: a card opened out with both sides in one photo, a
booklet's two pages in one scan.

Tesseract's page segmentation joins the lines of two panels that happen to share a height
into one line ("Họ và tên: ÔN TẤT LĨNH Ngày 22 tháng 09 năm 1995"), which the field
readers cannot undo. A region with a vertical corridor free of letters near its middle,
with several lines of text on each side whose rows do not line up, is read one panel at
a time instead. Rows that line up across a corridor are a form's labels and values, one
line each, and are left to Tesseract.
"""

from __future__ import annotations

import cv2
import numpy as np

CENTRAL = (0.3, 0.7)
"""Where across the region's width a gutter between two panels may lie."""
MIN_GUTTER = 1.5
"""Narrowest corridor, in letter heights (word gaps are under one)."""
MIN_SIDE_SHARE = 0.1
"""Each panel holds at least this share of the region's letters ..."""
MIN_SIDE_ROWS = 3
"""... in at least this many rows."""
MAX_ALIGNED = 0.5
"""Above this share of rows of the smaller panel at the height of a row of the other, the
two sides are one form's columns, not two panels."""


def panel_gutter(image: np.ndarray) -> int | None:
    """The x of the middle of a letter-free corridor between two panels of text, or None.
    ``image``: a prepared (binarized, upright) region, dark ink on light."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    ink = (gray < 128).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 40:
        return None
    x, y, w, h, area = (stats[1:, i] for i in range(5))
    fill = area / np.maximum(1, w * h)
    ok = (h >= 6) & (w >= 2) & (w <= 3 * h) & (fill > 0.15) & (fill < 0.9)
    if ok.sum() < 40:
        return None
    med = float(np.median(h[ok]))
    width = gray.shape[1]
    # any mark of print size blocks a corridor (a larger MRZ, a short rule, a stamp's
    # text); pictures, frames and long rules do not
    mark = (area >= 4) & (h <= 8 * med) & (w <= 30 * med) & (h >= 0.3 * med)
    cover = np.zeros(width + 1, np.int32)
    pad = int(round(0.5 * med))
    np.add.at(cover, np.clip(x[mark] - pad, 0, width), 1)
    np.add.at(cover, np.clip(x[mark] + w[mark] + pad, 0, width), -1)
    free = np.cumsum(cover)[:width] == 0
    x, y, w, h = x[mark], y[mark], w[mark], h[mark]
    lo, hi = int(CENTRAL[0] * width), int(CENTRAL[1] * width)
    best: tuple[int, int] | None = None
    start = None
    for i in range(lo, hi + 1):
        if i < hi and free[i]:
            start = i if start is None else start
        elif start is not None:
            if best is None or i - start > best[1] - best[0]:
                best = (start, i)
            start = None
    if best is None or best[1] - best[0] < (MIN_GUTTER - 1.0) * med:  # pads already count 1
        return None
    gutter = (best[0] + best[1]) // 2
    centre_y = y + h / 2
    left = x + w / 2 < gutter
    if min(left.mean(), 1 - left.mean()) < MIN_SIDE_SHARE:
        return None
    rows_l, rows_r = _rows(centre_y[left], med), _rows(centre_y[~left], med)
    if min(len(rows_l), len(rows_r)) < MIN_SIDE_ROWS:
        return None
    few, many = sorted((rows_l, rows_r), key=len)
    aligned = sum(1 for r in few if np.min(np.abs(many - r)) < 0.4 * med)
    if aligned > MAX_ALIGNED * len(few):
        return None
    return gutter


def _rows(centres: np.ndarray, height: float) -> np.ndarray:
    """Heights of the text rows that letter centres fall in (a gap of over half a letter
    height starts a new row); each row at least three letters."""
    ys = np.sort(centres)
    rows, run = [], [ys[0]] if len(ys) else []
    for v in ys[1:]:
        if v - run[-1] > 0.5 * height:
            if len(run) >= 3:
                rows.append(float(np.median(run)))
            run = [v]
        else:
            run.append(v)
    if len(run) >= 3:
        rows.append(float(np.median(run)))
    return np.array(rows)
