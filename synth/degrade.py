"""Degradations that turn a clean rendered page into what offices actually receive.

Every function is pure: it takes an image (BGR or grey ``uint8``) and an
``np.random.Generator`` and returns a *new* BGR ``uint8`` image; the input is never
modified. The same generator state gives the same output.

- :func:`flatbed_scan` - a 300 dpi flatbed scan, optionally skewed.
- :func:`phone_photo` - the page lying on a textured desk, photographed at an angle:
  perspective, uneven light and a shadow, defocus, sensor noise, JPEG.
- :func:`photocopy` - n generations of photocopying (blur, toner threshold, speckle).
- :func:`glare` - a specular highlight over part of the document.
- :func:`place_on_flatbed` - several cards on an A4 scan bed, with their boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

A4_300DPI = (2480, 3508)  # (width, height)


def _bgr(img: np.ndarray) -> np.ndarray:
    if img.ndim == 2:
        return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    if img.shape[2] == 4:
        return cv2.cvtColor(img, cv2.COLOR_BGRA2BGR)
    return img.copy()


def _u8(img: np.ndarray) -> np.ndarray:
    return np.clip(img, 0, 255).astype(np.uint8)


def _jpeg(img: np.ndarray, quality: int) -> np.ndarray:
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:  # pragma: no cover - OpenCV always encodes uint8 BGR
        raise RuntimeError("JPEG encoding failed")
    return cv2.imdecode(buf, cv2.IMREAD_COLOR)


def _smooth_field(
    rng: np.random.Generator, shape: tuple[int, int], cells: int, amp: float
) -> np.ndarray:
    """Low-frequency random field in ``[-amp, amp]`` (float32, ``shape`` = (h, w))."""
    h, w = shape
    small = rng.uniform(-1, 1, size=(cells, max(2, round(cells * w / max(h, 1))))).astype(
        np.float32
    )
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC) * amp


def _rotate_keep_size(img: np.ndarray, angle_deg: float, fill: tuple[int, int, int]) -> np.ndarray:
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle_deg, 1.0)
    return cv2.warpAffine(
        img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=fill
    )


# --- flatbed scan -------------------------------------------------------------------------


def flatbed_scan(img: np.ndarray, rng: np.random.Generator, *, skew_deg: float = 0.0) -> np.ndarray:
    """A flatbed scan of the page: slight blur, paper tint, noise, rotated by ``skew_deg``.

    Positive ``skew_deg`` turns the page counter-clockwise. Output has the input's size.
    """
    out = _bgr(img).astype(np.float32)
    # paper is never pure white; scanners add a slight tint and gamma
    tint = rng.uniform(0.93, 0.99) * np.array(
        [rng.uniform(0.97, 1.0), rng.uniform(0.98, 1.0), 1.0], np.float32
    )
    out = 255.0 * (out / 255.0) ** rng.uniform(0.9, 1.1) * tint
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 0.9))
    out += rng.normal(0, rng.uniform(2.0, 4.0), out.shape[:2])[..., None].astype(np.float32)
    out = _u8(out)
    if skew_deg:
        lid = int(rng.uniform(225, 250))
        out = _rotate_keep_size(out, skew_deg, (lid, lid, lid))
    return out


# --- phone photo --------------------------------------------------------------------------


def desk_texture(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """A textured desk or table-cloth background (BGR), ``shape`` = (h, w)."""
    h, w = shape
    kind = rng.integers(0, 3)
    base = np.array(
        [
            (rng.uniform(40, 90), rng.uniform(70, 120), rng.uniform(110, 170)),  # wood
            (rng.uniform(60, 140), rng.uniform(60, 140), rng.uniform(60, 140)),  # grey/laminate
            (rng.uniform(90, 170), rng.uniform(40, 120), rng.uniform(30, 90)),  # blue cloth
        ][kind],
        np.float32,
    )
    field = _smooth_field(rng, (h, w), 6, 25.0)
    sh, sw = max(4, h // 8), max(4, w // 8)
    if kind == 0:  # wood grain: stretched noise along one axis
        grain = rng.normal(0, 1, (sh, max(2, sw // 16))).astype(np.float32)
        grain = cv2.resize(grain, (sw, sh), interpolation=cv2.INTER_LINEAR) * 14.0
    else:
        grain = rng.normal(0, 8, (sh, sw)).astype(np.float32)
    grain = cv2.resize(grain, (w, h), interpolation=cv2.INTER_LINEAR)
    fine = rng.normal(0, 5, (h, w)).astype(np.float32)
    tex = base[None, None, :] + (field + grain + fine)[..., None]
    return _u8(tex)


@dataclass(frozen=True, slots=True)
class PhotoGeometry:
    """Where the page landed in a :func:`phone_photo_with_geometry` output."""

    homography: np.ndarray
    """3x3 mapping input-page pixels to photo pixels."""
    corners: np.ndarray
    """4x2 page corners in the photo (TL, TR, BR, BL)."""


def phone_photo(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The page photographed by phone on a desk (see :func:`phone_photo_with_geometry`)."""
    return phone_photo_with_geometry(img, rng)[0]


def phone_photo_with_geometry(
    img: np.ndarray,
    rng: np.random.Generator,
    *,
    tilt: float = 1.0,
    blur: float = 1.0,
    margin: tuple[float, float] = (0.05, 0.14),
) -> tuple[np.ndarray, PhotoGeometry]:
    """A phone photo of the page lying on a textured desk, and where the page went.

    The page is scaled to fill most of a 4:3 frame (its long side along the frame's),
    warped in perspective (``tilt`` scales the corner displacement), lit unevenly with a
    soft shadow, defocused (``blur`` scales the sigma), given sensor noise and a
    white-balance cast, and JPEG-compressed.
    """
    page = _bgr(img)
    ph, pw = page.shape[:2]
    portrait = ph >= pw
    long_side = max(ph, pw) * rng.uniform(1.0, 1.15)
    fw, fh = (long_side * 3 / 4, long_side) if portrait else (long_side, long_side * 3 / 4)
    fw, fh = int(fw), int(fh)

    # destination quad: page shrunk into the frame with a margin, then corners jittered
    m_lo, m_hi = margin
    mx, my = fw * rng.uniform(m_lo, m_hi), fh * rng.uniform(m_lo, m_hi)
    scale = min((fw - 2 * mx) / pw, (fh - 2 * my) / ph)
    cw, ch = pw * scale, ph * scale
    ox, oy = (
        (fw - cw) / 2 + rng.uniform(-0.4, 0.4) * mx,
        (fh - ch) / 2 + rng.uniform(-0.4, 0.4) * my,
    )
    dst = np.array([[ox, oy], [ox + cw, oy], [ox + cw, oy + ch], [ox, oy + ch]], np.float32)
    jitter = 0.06 * tilt * min(cw, ch)
    # keystone: the far edge (top) appears narrower, plus independent corner jitter
    keystone = rng.uniform(0.02, 0.1) * tilt * cw
    dst[0, 0] += keystone
    dst[1, 0] -= keystone
    dst += rng.uniform(-jitter, jitter, dst.shape).astype(np.float32)
    # small in-plane rotation of the whole quad
    angle = np.deg2rad(rng.uniform(-4, 4) * tilt)
    c = dst.mean(axis=0)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    dst = (dst - c) @ rot.T + c
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
    hmat = cv2.getPerspectiveTransform(src, dst)

    desk = desk_texture(rng, (fh, fw))
    warped = cv2.warpPerspective(page, hmat, (fw, fh), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(
        np.full((ph, pw), 255, np.uint8), hmat, (fw, fh), flags=cv2.INTER_LINEAR
    )
    # soft drop shadow of the page on the desk
    shadow = cv2.GaussianBlur(mask, (0, 0), 12).astype(np.float32) / 255.0
    shadow = np.roll(shadow, (int(rng.integers(4, 16)), int(rng.integers(-10, 10))), axis=(0, 1))
    desk_f = desk.astype(np.float32) * (1 - 0.35 * shadow[..., None])
    a = mask.astype(np.float32)[..., None] / 255.0
    out = warped.astype(np.float32) * a + desk_f * (1 - a)

    # uneven light: a gradient, a vignette and a soft shadow band (a hand or the phone)
    yy, xx = np.mgrid[0:fh, 0:fw].astype(np.float32)
    gx, gy = rng.uniform(-1, 1, 2)
    light = 1.0 + 0.3 * (gx * (xx / fw - 0.5) + gy * (yy / fh - 0.5))
    r2 = ((xx / fw - 0.5) ** 2 + (yy / fh - 0.5) ** 2) / 0.5
    light *= 1.0 - rng.uniform(0.1, 0.25) * r2
    light *= 1.0 + _smooth_field(rng, (fh, fw), 3, 0.06)
    # shadow: a half-plane with a blurred edge
    theta = rng.uniform(0, 2 * np.pi)
    px, py = rng.uniform(0.2, 0.8) * fw, rng.uniform(0.2, 0.8) * fh
    d = (xx - px) * np.cos(theta) + (yy - py) * np.sin(theta)
    soft = rng.uniform(0.008, 0.03) * max(fw, fh)
    band = 1.0 / (1.0 + np.exp(-d / soft))
    light *= 1.0 - rng.uniform(0.3, 0.55) * band
    out *= light[..., None]
    # white balance cast
    out *= np.array(
        [rng.uniform(0.85, 1.0), rng.uniform(0.92, 1.0), rng.uniform(0.95, 1.05)], np.float32
    )
    # defocus, then sensor noise (after blur, as on a real sensor)
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(1.0, 1.7) * blur) if blur > 0 else out
    out += rng.normal(0, rng.uniform(2.5, 5.0), out.shape).astype(np.float32)
    out = _jpeg(_u8(out), int(rng.integers(60, 85)))
    corners = cv2.perspectiveTransform(src[None], hmat)[0]
    return out, PhotoGeometry(homography=hmat, corners=corners)


# --- photocopy ----------------------------------------------------------------------------


def photocopy(img: np.ndarray, rng: np.random.Generator, *, generations: int = 3) -> np.ndarray:
    """``generations`` successive photocopies: each blurs, shifts a little, pushes contrast
    towards black-and-white toner, darkens the background and adds speckle."""
    cur = cv2.cvtColor(_bgr(img), cv2.COLOR_BGR2GRAY).astype(np.float32)
    h, w = cur.shape
    for _ in range(max(0, generations)):
        # placement on the glass: tiny rotation and shift
        m = cv2.getRotationMatrix2D((w / 2, h / 2), rng.uniform(-0.4, 0.4), 1.0)
        m[:, 2] += rng.uniform(-6, 6, 2)
        cur = cv2.warpAffine(
            cur, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=240
        )
        cur = cv2.GaussianBlur(cur, (0, 0), rng.uniform(0.8, 1.2))
        # toner: a sigmoid around a threshold that thickens or thins strokes a little
        t = rng.uniform(150, 190)
        k = rng.uniform(0.05, 0.09)
        cur = 255.0 / (1.0 + np.exp(-k * (cur - t)))
        # grey background haze and uneven drum density
        cur = cur * (1 - rng.uniform(0.03, 0.08)) + _smooth_field(rng, (h, w), 4, 10.0)
        # speckle: sparse dark dots
        n = int(h * w * rng.uniform(5e-5, 1.5e-4))
        ys, xs = rng.integers(0, h, n), rng.integers(0, w, n)
        cur[ys, xs] = rng.uniform(0, 90, n)
        cur += rng.normal(0, 3.0, cur.shape).astype(np.float32)
        cur = np.clip(cur, 0, 255)
    # dark band at the edge where the lid did not close
    edge = int(rng.integers(0, 4))
    band = int(0.012 * min(h, w))
    if edge == 0:
        cur[:band] *= 0.35
    elif edge == 1:
        cur[-band:] *= 0.35
    elif edge == 2:
        cur[:, :band] *= 0.35
    else:
        cur[:, -band:] *= 0.35
    return cv2.cvtColor(_u8(cur), cv2.COLOR_GRAY2BGR)


# --- glare --------------------------------------------------------------------------------


def glare(
    img: np.ndarray,
    rng: np.random.Generator,
    *,
    strength: float = 0.9,
    size: float = 0.18,
    center: tuple[float, float] | None = None,
) -> np.ndarray:
    """A specular highlight (an elliptical blown-out spot with a soft halo).

    ``strength`` 0..1 is how close to pure white the core gets; ``size`` is the core's
    radius as a fraction of the image's shorter side; ``center`` in 0..1 image coords.
    """
    out = _bgr(img).astype(np.float32)
    h, w = out.shape[:2]
    cx, cy = center if center is not None else (rng.uniform(0.25, 0.75), rng.uniform(0.25, 0.75))
    r = size * min(h, w)
    ax, ay = r * rng.uniform(0.8, 1.6), r * rng.uniform(0.5, 1.0)
    ang = rng.uniform(0, np.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    dx, dy = xx - cx * w, yy - cy * h
    u = (dx * np.cos(ang) + dy * np.sin(ang)) / ax
    v = (-dx * np.sin(ang) + dy * np.cos(ang)) / ay
    d2 = u * u + v * v
    core = np.clip(1.5 - d2, 0, 1)  # flat-topped blown-out core
    halo = np.exp(-d2 / 2.5)
    a = np.clip(strength * np.maximum(core, 0.6 * halo), 0, 1)[..., None]
    out = out * (1 - a) + 255.0 * a
    return _u8(out)


# --- several cards on a flatbed -----------------------------------------------------------


def place_on_flatbed(
    images: Sequence[np.ndarray],
    rng: np.random.Generator,
    *,
    bed_size: tuple[int, int] = A4_300DPI,
    max_rotation_deg: float = 3.0,
) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """Lay ``images`` (cards, at 300 dpi) on an A4 scan bed, not overlapping.

    Returns the scan (BGR, ``bed_size`` = (width, height)) and, per image in input
    order, its axis-aligned box ``(x0, y0, x1, y1)`` on the scan. Cards are stacked
    top to bottom in the order given, at a random horizontal position, each turned by
    at most ``max_rotation_deg``.
    """
    bw, bh = bed_size
    bed_level = rng.uniform(225, 252)
    bed = np.full((bh, bw), bed_level, np.float32) + _smooth_field(rng, (bh, bw), 5, 4.0)
    canvas = cv2.cvtColor(_u8(bed), cv2.COLOR_GRAY2BGR).astype(np.float32)

    rotated: list[tuple[np.ndarray, np.ndarray]] = []
    for im in images:
        card = _bgr(im)
        ch, cw = card.shape[:2]
        ang = rng.uniform(-max_rotation_deg, max_rotation_deg)
        m = cv2.getRotationMatrix2D((cw / 2, ch / 2), ang, 1.0)
        cos, sin = abs(m[0, 0]), abs(m[0, 1])
        nw, nh = int(cw * cos + ch * sin) + 2, int(cw * sin + ch * cos) + 2
        m[0, 2] += nw / 2 - cw / 2
        m[1, 2] += nh / 2 - ch / 2
        rc = cv2.warpAffine(card, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
        mk = cv2.warpAffine(np.full((ch, cw), 255, np.uint8), m, (nw, nh), flags=cv2.INTER_LINEAR)
        rotated.append((rc, mk))

    total_h = sum(r[0].shape[0] for r in rotated)
    if total_h > bh * 0.95 or any(r[0].shape[1] > bw * 0.95 for r in rotated):
        raise ValueError("cards do not fit on the scan bed")
    gap = (bh - total_h) / (len(rotated) + 1)
    boxes: list[tuple[int, int, int, int]] = []
    y = gap * rng.uniform(0.3, 1.0)
    for rc, mk in rotated:
        rh, rw = rc.shape[:2]
        x0 = int(rng.uniform(0.03 * bw, bw - rw - 0.03 * bw))
        y0 = int(y)
        a = mk.astype(np.float32)[..., None] / 255.0
        roi = canvas[y0 : y0 + rh, x0 : x0 + rw]
        # the card's thickness casts a thin shadow on the bed along its lower/right edges
        shadow = np.roll(mk, (3, 3), axis=(0, 1)).astype(np.float32)[..., None] / 255.0
        roi = roi * (1 - 0.25 * shadow * (1 - a))
        canvas[y0 : y0 + rh, x0 : x0 + rw] = rc.astype(np.float32) * a + roi * (1 - a)
        ys, xs = np.nonzero(mk > 127)
        boxes.append(
            (x0 + int(xs.min()), y0 + int(ys.min()), x0 + int(xs.max()) + 1, y0 + int(ys.max()) + 1)
        )
        y += rh + gap * rng.uniform(0.6, 1.4)
    out = cv2.GaussianBlur(canvas, (0, 0), 0.6)
    out += rng.normal(0, 2.5, out.shape[:2])[..., None].astype(np.float32)
    return _u8(out), boxes
