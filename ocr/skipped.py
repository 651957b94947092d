"""Text that Tesseract's page layout analysis skipped.

With ``psm 3`` Tesseract first cuts the page into blocks and only reads the blocks it
takes for text. On a blurred photo or next to a picture it sometimes takes a whole block
of plainly legible lines for an image and returns nothing for it (a card front read
without its name, birth date and sex lines). Such lines are found here as rows of
letter-shaped ink that no word read covers; they are cut out on white, read as one block
(``psm 6``) and merged into the region's words in reading order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from statistics import median

import cv2
import numpy as np

from ocr.types import BBox, Transform, Word

INK_LEVEL = 200
"""Grey level under which a pixel of a prepared image (paper is white) is ink."""
MIN_LETTERS = 3
"""Letter-shaped blobs a skipped row needs (a lone blob is a speck, a seal's star)."""
MIN_SKIPPED_SHARE = 0.05
"""Skipped letters are looked at when they make this share of all letters: a few stray
letters (a photo's edge, a punch hole) are not worth a second Tesseract call."""
LINE_LETTERS = 12
"""... or when they make a line of this many letters, as wide as a few words: one line
skipped on a full page (the wrapped end of an address) is under the share, and is the
value's end."""
MIN_LINE_CONFIDENCE = 0.5
"""Median word confidence of a line of the second reading for its words to be kept: what
a picture's texture yields is read unsure throughout, a line of text is not (its last
word may be, with a dotted leader after it: "Số ĐDCN: 001167696965." read 0.9, 0.9 and
0.11, whose mean weighted by length, 0.39, lost the line)."""


def skipped_rows(image: np.ndarray, words: Sequence[Word]) -> list[BBox]:
    """Boxes (``image`` pixels) of rows of letters that none of ``words`` covers.

    ``words`` carry their box in ``image`` pixels in ``region_bbox`` (or ``bbox``); the
    letters' size is learnt from them, so picture texture, rules and specks of another
    size are not taken for text.
    """
    boxes = [w.region_bbox or w.bbox for w in words]
    heights = [
        b[3] - b[1]
        for w, b in zip(words, boxes, strict=True)
        if sum(c.isalnum() for c in w.text) >= 3
    ]
    if len(heights) < 3 or image.ndim != 2:
        return []
    hw = float(np.median(heights))
    ink = (image < INK_LEVEL).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 1:
        return []
    x, y, w, h, area = (stats[1:, i] for i in range(5))
    fill = area / np.maximum(1, w * h)
    letter = (h >= 0.2 * hw) & (h <= 1.2 * hw) & (fill > 0.12) & (fill < 0.9) & (w <= 12 * hw)
    covered = np.zeros(image.shape, np.uint8)
    pad = max(1, round(0.2 * hw))
    for b in boxes:
        covered[max(0, b[1] - pad) : b[3] + pad, max(0, b[0] - pad) : b[2] + pad] = 1
    cy = np.clip(y + h // 2, 0, image.shape[0] - 1)
    cx = np.clip(x + w // 2, 0, image.shape[1] - 1)
    free = letter & (covered[cy, cx] == 0)
    if free.sum() < MIN_LETTERS:
        return []
    lines_only = free.sum() < MIN_SKIPPED_SHARE * letter.sum()
    if lines_only and free.sum() < LINE_LETTERS:
        return []
    mask = np.isin(labels, np.flatnonzero(free) + 1).astype(np.uint8)
    kw, kh = max(3, round(1.0 * hw)) | 1, max(1, round(0.15 * hw)) | 1
    rows = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_RECT, (kw, kh)))
    m, row_labels, row_stats, _ = cv2.connectedComponentsWithStats(rows, connectivity=8)
    out: list[BBox] = []
    for j in range(1, m):
        rx, ry, rw, rh, _ = row_stats[j]
        letters = len(np.unique(labels[(row_labels == j) & (mask > 0)]))
        if lines_only and (letters < LINE_LETTERS or rw < 6 * hw):
            continue
        if letters >= MIN_LETTERS and rw >= 2 * hw and rh <= 2.0 * hw:
            out.append((int(rx), int(ry), int(rx + rw), int(ry + rh)))
    return out


def read_skipped(
    image: np.ndarray,
    words: Sequence[Word],
    to_page: Transform,
    page_size: tuple[int, int],
    read: Callable[[np.ndarray], list[Word]],
) -> list[Word]:
    """``words`` with the rows they skipped read and merged in, in reading order.

    The rows are cut out and stacked one under the other on white, a row's height apart,
    so the second reading (``read``: one Tesseract call, ``psm 6``, boxes in the stacked
    image's pixels) has no layout left to get wrong.
    """
    rows = skipped_rows(image, words)
    if not rows:
        return list(words)
    H, W = image.shape
    gap = round(float(np.median([b[3] - b[1] for b in rows])))
    crops = []
    for x0, y0, x1, y1 in rows:
        x0, y0 = max(0, x0 - gap // 2), max(0, y0 - gap // 4)
        x1, y1 = min(W, x1 + gap // 2), min(H, y1 + gap // 4)
        crops.append(((x0, y0), image[y0:y1, x0:x1]))
    canvas, spans = stack([c for _, c in crops], gap)
    # (top, bottom, dx, dy): a row's span on the canvas and the shift back to image pixels
    placed = [(t, b, x0 - gap, y0 - t) for ((x0, y0), _), (t, b) in zip(crops, spans, strict=True)]
    lines: dict[tuple[int, int], list[Word]] = {}
    for w in read(canvas):
        if any(c.isalnum() for c in w.text):
            lines.setdefault((w.block, w.line), []).append(w)
    found = []
    sure = [ws for ws in lines.values() if median(w.confidence for w in ws) >= MIN_LINE_CONFIDENCE]
    for w in (w for ws in sure for w in ws):
        mid = (w.bbox[1] + w.bbox[3]) / 2
        for t, b, dx, dy in placed:
            if t <= mid < b:
                box = (w.bbox[0] + dx, w.bbox[1] + dy, w.bbox[2] + dx, w.bbox[3] + dy)
                page = to_page.apply_bbox(box, clip=page_size)
                found.append(dataclasses.replace(w, bbox=page, region_bbox=box))
                break
    return merge_in_order(list(words), found)


def stack(crops: Sequence[np.ndarray], gap: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """Grey line images one under the other on white, ``gap`` px apart and from the left
    edge; returns the image and each line's vertical span in it."""
    width = max(c.shape[1] for c in crops) + 2 * gap
    canvas = np.full((gap + sum(c.shape[0] + gap for c in crops), width), 255, np.uint8)
    spans = []
    top = gap
    for c in crops:
        canvas[top : top + c.shape[0], gap : gap + c.shape[1]] = c
        spans.append((top, top + c.shape[0]))
        top += c.shape[0] + gap
    return canvas, spans


def merge_in_order(words: list[Word], extra: list[Word]) -> list[Word]:
    """``words`` and ``extra`` (another reading of other parts of the same image), line by
    line in reading order. A line of ``extra`` beside a line of ``words`` (the value
    after its label) joins it; otherwise it goes after the last line of ``words`` above it
    in the same column (overlapping it across), and a line in no column of ``words`` (a
    caption under a photo) goes last. Lines are renumbered (``block`` and ``line`` both
    count them)."""
    if not extra:
        return words

    def lines_of(ws: list[Word]) -> list[list[Word]]:
        out: dict[tuple[int, int], list[Word]] = {}
        for w in ws:
            out.setdefault((w.block, w.line), []).append(w)
        return [out[k] for k in sorted(out)]

    def box(line: list[Word]) -> BBox:
        boxes = [w.region_bbox or w.bbox for w in line]
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )

    order = lines_of(words)
    last: list[list[Word]] = []
    for line in sorted(lines_of(extra), key=lambda ln: box(ln)[1]):
        b = box(line)
        side = next((ln for ln in order if _beside(b, box(ln))), None)
        if side is not None:
            _join(side, line)
            continue
        above = [j for j, ln in enumerate(order) if box(ln)[1] <= b[1] and _across(b, box(ln))]
        if above:
            order.insert(above[-1] + 1, line)
        else:
            last.append(line)
    order += last
    return [dataclasses.replace(w, block=n, line=n) for n, ln in enumerate(order) for w in ln]


SEAM_OVERLAP = 1.0
"""How far (a share of the lower line's height) a skipped row may run back over the line
it continues: its crop is widened by half a row each side, and so takes in the last
letter or two that were read already."""


def _beside(a: BBox, b: BBox) -> bool:
    """On one row (overlapping by half the lower one's height), side by side, or
    overlapping across by no more than :data:`SEAM_OVERLAP` of a letter's height."""
    low = min(a[3] - a[1], b[3] - b[1])
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    slack = SEAM_OVERLAP * low
    return overlap > 0.5 * low and (b[2] <= a[0] + slack or a[2] <= b[0] + slack)


def _join(line: list[Word], extra: list[Word]) -> None:
    """``extra`` (a skipped row's reading) appended to ``line``, read twice at their seam
    once: of two words overlapping there, the one lying mostly under the other goes
    ("phố" read, and "tố" again from the row's first letters; or "C." read at the line's
    end where the row reads "Cộng")."""

    def span(w: Word) -> tuple[int, int]:
        b = w.region_bbox or w.bbox
        return b[0], b[2]

    def under(w: Word, other: Word) -> bool:
        (a0, a1), (b0, b1) = span(w), span(other)
        return min(a1, b1) - max(a0, b0) >= 0.5 * max(1, a1 - a0)

    for e in list(extra):
        for w in list(line):
            if under(e, w):
                extra.remove(e)
                break
            if under(w, e):
                line.remove(w)
    line.extend(extra)


def _across(a: BBox, b: BBox) -> bool:
    """Overlapping across (one above the other in a column)."""
    return b[0] < a[2] and a[0] < b[2]
