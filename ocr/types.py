"""Small immutable types shared by the OCR layer and the extractors.

Coordinates: every ``BBox`` in a :class:`Word` is ``(x0, y0, x1, y1)`` in pixels of
the page image *as uploaded* (after EXIF rotation), so a UI can draw it on the
original. Region images are rectified crops; their :class:`Transform` maps their
pixels back to the page.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

BBox = tuple[int, int, int, int]
TextSource = Literal["ocr", "text_layer"]


@dataclass(frozen=True, slots=True)
class Transform:
    """A 3x3 homography from a derived image's pixels to the original page's pixels.

    Rotation, cropping, scaling and perspective rectification all compose as
    homographies, so one matrix records any chain of preprocessing steps.
    """

    matrix: tuple[tuple[float, float, float], ...] = ((1, 0, 0), (0, 1, 0), (0, 0, 1))

    @classmethod
    def from_array(cls, m: np.ndarray) -> Transform:
        m = np.asarray(m, dtype=float).reshape(3, 3)
        return cls(tuple(tuple(float(v) for v in row) for row in m))  # type: ignore[arg-type,misc]

    @property
    def array(self) -> np.ndarray:
        return np.array(self.matrix, dtype=float)

    def then(self, outer: Transform) -> Transform:
        """The transform that applies ``self`` first, then ``outer``."""
        return Transform.from_array(outer.array @ self.array)

    def inverse(self) -> Transform:
        return Transform.from_array(np.linalg.inv(self.array))

    def apply_points(self, points: np.ndarray) -> np.ndarray:
        pts = np.asarray(points, dtype=float).reshape(-1, 2)
        homo = np.hstack([pts, np.ones((len(pts), 1))]) @ self.array.T
        return homo[:, :2] / homo[:, 2:3]

    def apply_bbox(self, bbox: BBox, *, clip: tuple[int, int] | None = None) -> BBox:
        """Map a box's four corners and return their bounding box (clipped to ``clip=(w, h)``)."""
        x0, y0, x1, y1 = bbox
        pts = self.apply_points(np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]]))
        nx0, ny0 = pts.min(axis=0)
        nx1, ny1 = pts.max(axis=0)
        if clip is not None:
            w, h = clip
            nx0, nx1 = np.clip([nx0, nx1], 0, w)
            ny0, ny1 = np.clip([ny0, ny1], 0, h)
        return (int(round(nx0)), int(round(ny0)), int(round(nx1)), int(round(ny1)))


IDENTITY = Transform()


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    bbox: BBox
    """In pixels of the original page (see module docstring)."""
    confidence: float
    """0..1"""
    line: int = 0
    """Index of the text line within its region, in reading order."""
    block: int = 0
    region_bbox: BBox | None = None
    """The same box in pixels of its region's upright image (``Region.image``), where lines
    are horizontal even if the upload was rotated; None when that is the page itself."""


@dataclass(frozen=True, slots=True)
class Quality:
    """Result of the fast image-quality check; ``messages`` are Vietnamese, for people."""

    ok: bool = True
    issues: tuple[str, ...] = ()
    messages: tuple[str, ...] = ()
    metrics: dict[str, float] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict:
        return {"ok": self.ok, "issues": list(self.issues), "messages": list(self.messages)}


@dataclass(frozen=True, slots=True)
class Region:
    """One document found on a page: the whole page, or one card among several on a scan."""

    page: int
    """1-based page number in the upload."""
    index: int
    """0-based index of this region on its page."""
    image: np.ndarray = field(compare=False, repr=False)
    """Upright, rectified image of the region (BGR uint8): what was OCR'd."""
    to_page: Transform
    """Maps pixels of ``image`` to pixels of the original page."""
    words: tuple[Word, ...]
    """Boxes already mapped to the original page."""
    source: TextSource = "ocr"
    steps: tuple[str, ...] = ()
    """Preprocessing steps applied, for logs and debugging (e.g. ``rotate:90``)."""

    @property
    def text(self) -> str:
        return words_to_text(self.words)


@dataclass(frozen=True, slots=True)
class OcrPage:
    number: int
    """1-based."""
    width: int
    height: int
    image: np.ndarray | None = field(compare=False, repr=False)
    """The page as uploaded after EXIF rotation (BGR uint8); None once released."""
    regions: tuple[Region, ...]
    quality: Quality = Quality()

    @property
    def text(self) -> str:
        return "\n\n".join(r.text for r in self.regions if r.words)


def group_lines(words: Iterable[Word]) -> list[list[Word]]:
    """Words grouped by (block, line), each line left to right, lines in reading order."""
    lines: dict[tuple[int, int], list[Word]] = {}
    for w in words:
        lines.setdefault((w.block, w.line), []).append(w)
    return [sorted(ws, key=_x_in_reading_frame) for _, ws in sorted(lines.items())]


def _x_in_reading_frame(w: Word) -> int:
    # left to right along the line: in the upright region image when known (a page
    # uploaded sideways has its lines vertical in page pixels)
    return w.region_bbox[0] if w.region_bbox is not None else w.bbox[0]


def words_to_text(words: Sequence[Word] | Iterable[Word]) -> str:
    return "\n".join(" ".join(w.text for w in line) for line in group_lines(words))


def mean_confidence(words: Sequence[Word]) -> float:
    """Tesseract's confidence over words, weighted by their length (0 for none)."""
    weights = [len(w.text) for w in words]
    if not sum(weights):
        return 0.0
    return float(np.average([w.confidence for w in words], weights=weights))


def union_bbox(boxes: Iterable[BBox]) -> BBox | None:
    boxes = list(boxes)
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )
