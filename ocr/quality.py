"""Fast image-quality check, run while the upload request waits.

Finds what a field agent can fix by taking the picture again: blur, glare, too dark,
document too small, document cut off at the frame. Works on a small copy (JPEGs are
decoded at reduced size by the decoder itself), so a 12 MP photo costs well under a
third of a second. Never raises: an unreadable file is itself an issue.
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageOps

from ocr import decode as _decode  # noqa: F401 - registers the HEIC/HEIF opener with Pillow
from ocr.regions import PageView, analyze_page, downscale
from ocr.types import Quality

log = logging.getLogger(__name__)

WORK_SIDE = 1000
"""Long side of the copy the metrics are computed on (JPEGs are decoded near it)."""

MESSAGES: dict[str, str] = {
    "blur": "Ảnh bị mờ, hãy chụp lại",
    "glare": "Ảnh bị lóa, hãy chụp lại và tránh ánh đèn chiếu thẳng",
    "dark": "Ảnh quá tối, hãy chụp ở nơi đủ sáng",
    "too_small": "Giấy tờ quá nhỏ trong ảnh, hãy chụp gần hơn",
    "cut_off": "Giấy tờ bị mất góc hoặc mép, hãy chụp đủ cả tờ",
    "too_large": "Ảnh quá lớn, hãy gửi ảnh có độ phân giải thấp hơn",
    "unreadable": "Không đọc được tệp ảnh, hãy chụp hoặc quét lại",
}

# thresholds (see tests/ocr/test_quality.py for how they separate good from bad)
BLUR_SHARPNESS = 0.31
"""Strong-edge gradient over local contrast at the working scale (1000 px): sharp text
~0.345-0.40, a 12 MP photo blurred by sigma 2.5 px ~0.33, by 4 px ~0.29."""
GLARE_LEVEL = 240
"""All three channels at least this bright: blown out."""
GLARE_AREA = 0.004
"""Blown-out blob larger than this share of the document."""
DARK_LEVEL = 80.0
"""Median brightness of the document under this: too dark."""
MIN_DOC_SIDE = 600
"""Shorter side of the document in original pixels under this: too small to read."""


def _quality(issues: list[str], metrics: dict[str, float]) -> Quality:
    return Quality(
        ok=not issues,
        issues=tuple(issues),
        messages=tuple(MESSAGES[i] for i in issues),
        metrics=metrics,
    )


def assess_file(path: Path, *, media_type: str, max_pixels: int = 60_000_000) -> Quality:
    """Quality of an uploaded file's first page image (PDFs are not assessed)."""
    if media_type == "application/pdf":
        return Quality()
    try:
        with Image.open(path) as im:
            w, h = im.size
            if w * h > max_pixels:
                return _quality(["too_large"], {"pixels": float(w * h)})
            if im.format == "JPEG":
                # let libjpeg decode at 1/2, 1/4 or 1/8 size: the main saving on 12 MP
                im.draft(
                    "RGB", (max(1, w * WORK_SIDE // max(w, h)), max(1, h * WORK_SIDE // max(w, h)))
                )
            im.load()
            upright = ImageOps.exif_transpose(im)
            rgb = np.asarray(upright.convert("RGB"))
        ow, oh = (h, w) if rgb.shape[0] > rgb.shape[1] and w > h else (w, h)
        return assess_image(np.ascontiguousarray(rgb[:, :, ::-1]), original_size=(ow, oh))
    except Exception as exc:  # noqa: BLE001 - the upload must get an answer, not an error
        log.info("quality check could not read the upload (%s)", type(exc).__name__)
        if isinstance(exc, Image.DecompressionBombError):
            return _quality(["too_large"], {})
        return _quality(["unreadable"], {})


def assess_image(
    image: np.ndarray,
    *,
    original_size: tuple[int, int] | None = None,
    view: PageView | None = None,
) -> Quality:
    """Quality of a page image (BGR uint8). ``original_size`` = (w, h) of the upload when
    ``image`` is a reduced copy of it; ``view`` reuses the pipeline's page analysis."""
    try:
        if view is None:
            view = analyze_page(
                image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
            )
        return _assess(view, original_size)
    except Exception as exc:  # noqa: BLE001
        log.warning("quality check failed (%s)", type(exc).__name__)
        return _quality(["unreadable"], {})


def _assess(view: PageView, original_size: tuple[int, int] | None) -> Quality:
    small, g = downscale(view.small, WORK_SIDE)
    iw, ih = view.size
    ow, oh = original_size or (iw, ih)
    sh, sw = small.shape[:2]
    f = view.factor * g
    to_orig = max(ow, oh) / max(iw, ih)
    issues: list[str] = []
    metrics: dict[str, float] = {}

    quads = view.quads
    mask = np.zeros((sh, sw), np.uint8)
    if quads:
        for q in quads:
            cv2.fillConvexPoly(mask, (q.corners * f).astype(np.int32), 255)
        doc_short = min(min(q.size) for q in quads) * to_orig
        metrics["documents"] = float(len(quads))
        if any(q.touches_edge for q in quads):
            issues.append("cut_off")
    else:
        mask[:] = 255
        doc_short = min(ow, oh)
    metrics["doc_short_side"] = float(doc_short)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    inside = mask > 0
    vals = gray[inside]

    # dark: the paper itself (bright percentile) is dim
    level = float(np.percentile(vals, 75)) if vals.size else 0.0
    metrics["brightness"] = level
    if level < DARK_LEVEL:
        issues.append("dark")

    # glare: a compact blown-out blob on paper that is otherwise not blown out
    paper = float(np.percentile(vals, 50)) if vals.size else 255.0
    lit = float(np.percentile(vals, 90)) if vals.size else 255.0
    # blown out: saturated, and clearly brighter than even the well-lit paper around it
    level = max(GLARE_LEVEL, min(252.0, lit + 8.0))
    blown = (small.min(axis=2) >= level) & inside
    glare_share = 0.0
    if paper < GLARE_LEVEL - 10 and blown.any():
        # the spot with its letters filled in: over-exposed paper keeps its text (ink
        # inside the spot), a reflection washes it out
        spot = cv2.morphologyEx(
            blown.astype(np.uint8),
            cv2.MORPH_CLOSE,
            cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)),
        )
        n, labels, stats, _ = cv2.connectedComponentsWithStats(spot, connectivity=8)
        if n > 1:
            k = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
            region = (labels == k) & inside
            share = float(region.sum()) / max(1, int(inside.sum()))
            ink = gray < paper - 40
            rest = inside & ~region
            ink_rest = float(ink[rest].mean()) if rest.any() else 0.0
            ink_spot = float(ink[region].mean()) if region.any() else 0.0
            metrics["glare_ink_ratio"] = ink_spot / ink_rest if ink_rest else 0.0
            if ink_rest == 0.0 or ink_spot < 0.35 * ink_rest:
                glare_share = share
    metrics["glare"] = glare_share
    if glare_share > GLARE_AREA:
        issues.append("glare")

    # blur: how steep the strongest edges are relative to the local contrast
    sharp = _sharpness(gray, inside)
    metrics["sharpness"] = sharp
    if sharp < BLUR_SHARPNESS and "dark" not in issues:
        issues.append("blur")

    if doc_short < MIN_DOC_SIDE:
        issues.append("too_small")
    return _quality(issues, metrics)


def _sharpness(gray: np.ndarray, inside: np.ndarray) -> float:
    """Median over strong edges of |gradient| / local contrast (0..~0.5).

    A step edge gives about 0.5 after the 3x3 Sobel normalisation; blur spreads the step
    and lowers it roughly in proportion to the blur width. Dividing by the local
    contrast makes the measure independent of exposure and of ink darkness.
    """
    g = gray.astype(np.float32)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3)
    mag = cv2.magnitude(gx, gy) / 8.0
    k = np.ones((7, 7), np.uint8)
    contrast = cv2.dilate(g, k) - cv2.erode(g, k)
    strong = inside & (contrast > 40)
    if strong.sum() < 200:
        return 1.0  # nothing to judge (blank page): do not complain about blur
    ratio = mag[strong] / contrast[strong]
    # the steepest edges are the text strokes; take a high percentile of their steepness
    return float(np.percentile(ratio, 90))
