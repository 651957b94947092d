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


# --- held-out degradations (``motcua bench extract --holdout``) ---------------------------
# Phone and scanner faults the default corpus does not make: stronger perspective, a hard
# shadow band across the page, motion blur, low resolution, heavy JPEG, a finger over the
# margin and part of the document cut off by the frame (the text itself stays in frame),
# low-dpi, greyscale or JPEG-compressed office scans with streaks from a dirty glass.


def motion_blur(img: np.ndarray, rng: np.random.Generator, *, length: float | None = None,
                angle_deg: float | None = None) -> np.ndarray:  # fmt: skip
    """A straight-line motion blur of ``length`` pixels (default: 0.1-0.22% of the long side,
    a steady hand's shake: text stays legible to a person)."""
    out = _bgr(img)
    n = length if length is not None else rng.uniform(0.001, 0.0022) * max(out.shape[:2])
    n = max(3, int(round(n)) | 1)
    ang = np.deg2rad(angle_deg if angle_deg is not None else rng.uniform(0, 180))
    k = np.zeros((n, n), np.float32)
    c = (n - 1) / 2
    for t in np.linspace(-c, c, 4 * n):
        k[int(round(c + t * np.sin(ang))), int(round(c + t * np.cos(ang)))] = 1.0
    return cv2.filter2D(out, -1, k / k.sum())


def shadow_band(img: np.ndarray, rng: np.random.Generator, *, strength: float | None = None
                ) -> np.ndarray:  # fmt: skip
    """A straight shadow band across the image (an arm or the phone between lamp and page):
    both edges fairly sharp, darkening by ``strength`` (default 0.35-0.6)."""
    out = _bgr(img).astype(np.float32)
    h, w = out.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    theta = rng.uniform(0, np.pi)
    d = (xx - rng.uniform(0.2, 0.8) * w) * np.cos(theta) + (
        yy - rng.uniform(0.2, 0.8) * h
    ) * np.sin(theta)
    half = rng.uniform(0.06, 0.2) * min(h, w)
    soft = rng.uniform(0.004, 0.015) * max(h, w)
    inside = 1.0 / (1.0 + np.exp((np.abs(d) - half) / soft))
    s = strength if strength is not None else rng.uniform(0.35, 0.6)
    out *= (1.0 - s * inside)[..., None]
    return _u8(out)


Box = tuple[int, int, int, int]


def _finger(img: np.ndarray, rng: np.random.Generator, keep: Box) -> tuple[np.ndarray, Box | None]:
    """A fingertip entering from the frame edge with the most room beside ``keep``; never
    over ``keep``. Returns the image and the finger's box (None if there was no room)."""
    out = _bgr(img).astype(np.float32)
    h, w = out.shape[:2]
    x0, y0, x1, y1 = keep
    room = {"left": x0, "right": w - x1, "top": y0, "bottom": h - y1}
    side = max(room, key=lambda k: room[k])
    depth = room[side] - 6
    fw = int(rng.uniform(0.05, 0.08) * max(h, w))
    if depth < 0.25 * fw:
        return _u8(out), None
    depth = int(min(depth, rng.uniform(0.6, 1.6) * fw))
    mask = np.zeros((h, w), np.float32)
    r = fw // 2
    if side in ("left", "right"):
        cy = int(rng.uniform(0.15, 0.85) * h)
        xa = 0 if side == "left" else w - depth
        box = (xa, max(0, cy - r), xa + depth, min(h, cy + r))
        tip = (xa + depth - r, cy) if side == "left" else (xa + r, cy)
        base = (
            (box[0], box[1], tip[0], box[3]) if side == "left" else (tip[0], box[1], box[2], box[3])
        )
    else:
        cx = int(rng.uniform(0.15, 0.85) * w)
        ya = 0 if side == "top" else h - depth
        box = (max(0, cx - r), ya, min(w, cx + r), ya + depth)
        tip = (cx, ya + depth - r) if side == "top" else (cx, ya + r)
        base = (
            (box[0], box[1], box[2], tip[1]) if side == "top" else (box[0], tip[1], box[2], box[3])
        )
    cv2.rectangle(mask, (base[0], base[1]), (base[2], base[3]), 1.0, -1)
    cv2.ellipse(mask, tip, (r, r), 0, 0, 360, 1.0, -1)  # the rounded fingertip
    # keep the finger strictly inside its box (the tip's circle is within it by construction)
    clip = np.zeros_like(mask)
    clip[box[1] : box[3], box[0] : box[2]] = 1.0
    mask = cv2.GaussianBlur(mask * clip, (0, 0), 2.0) * clip
    skin = np.array(
        [rng.uniform(120, 160), rng.uniform(150, 185), rng.uniform(200, 235)], np.float32
    )
    shade = 0.75 + 0.25 * _smooth_field(rng, (h, w), 3, 1.0)
    finger = skin[None, None, :] * shade[..., None]
    out = out * (1 - mask[..., None]) + finger * mask[..., None]
    return _u8(out), box


def _crop_off(img: np.ndarray, rng: np.random.Generator, page: np.ndarray, keep: Box
              ) -> tuple[np.ndarray, tuple[int, int]]:  # fmt: skip
    """Crop the frame so that one side of the page (its corners ``page``) falls outside it,
    cutting only what lies between the page's edge and ``keep``. Returns the crop and its
    (x, y) offset."""
    h, w = img.shape[:2]
    x0, y0, x1, y1 = keep
    px0, py0 = page[:, 0].min(), page[:, 1].min()
    px1, py1 = page[:, 0].max(), page[:, 1].max()
    side = _pick_side(rng)
    cx0, cy0, cx1, cy1 = 0, 0, w, h
    if side == "left" and x0 - px0 > 8:
        cx0 = int(rng.uniform(max(0, px0) + 2, x0 - 4))
    elif side == "right" and px1 - x1 > 8:
        cx1 = int(rng.uniform(x1 + 4, min(w, px1) - 2))
    elif side == "top" and y0 - py0 > 8:
        cy0 = int(rng.uniform(max(0, py0) + 2, y0 - 4))
    elif side == "bottom" and py1 - y1 > 8:
        cy1 = int(rng.uniform(y1 + 4, min(h, py1) - 2))
    return img[cy0:cy1, cx0:cx1].copy(), (cx0, cy0)


def _pick_side(rng: np.random.Generator) -> str:
    return ("left", "right", "top", "bottom")[int(rng.integers(4))]


@dataclass(frozen=True, slots=True)
class HoldoutPhoto:
    image: np.ndarray
    keep: Box
    """Where the ``keep`` box (the document's text) landed, in ``image`` pixels."""
    effects: tuple[str, ...]
    finger: Box | None = None


def holdout_phone(img: np.ndarray, rng: np.random.Generator, *, keep: Box) -> HoldoutPhoto:
    """A phone photo with held-out faults (at least two of: strong perspective, a shadow
    band, motion blur, a finger over the margin, part of the page out of frame, low
    resolution, heavy JPEG). ``keep`` (page pixels) is the text: it stays whole and in frame."""
    odds = (("tilt", 0.5), ("shadow", 0.5), ("motion", 0.35), ("finger", 0.35),
            ("crop", 0.35), ("lowres", 0.4), ("jpeg", 0.5))  # fmt: skip
    effects = [e for e, p in odds if rng.random() < p]
    while len(effects) < 2:
        e = ("tilt", "shadow", "motion", "finger", "crop", "lowres", "jpeg")[int(rng.integers(7))]
        if e not in effects:
            effects.append(e)
    tilt = float(rng.uniform(1.6, 2.3)) if "tilt" in effects else 1.0
    margin = (0.01, 0.06) if "crop" in effects or "finger" in effects else (0.05, 0.14)
    out, geom = phone_photo_with_geometry(img, rng, tilt=tilt, margin=margin,
                                          blur=float(rng.uniform(0.6, 1.2)))  # fmt: skip
    x0, y0, x1, y1 = keep
    pts = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    q = cv2.perspectiveTransform(pts[None], geom.homography)[0]
    h, w = out.shape[:2]
    kb = (max(0, int(q[:, 0].min()) - 3), max(0, int(q[:, 1].min()) - 3),
          min(w, int(q[:, 0].max()) + 4), min(h, int(q[:, 1].max()) + 4))  # fmt: skip
    if "shadow" in effects:
        out = shadow_band(out, rng)
    if "motion" in effects:
        out = motion_blur(out, rng)
    fbox = None
    if "finger" in effects:
        out, fbox = _finger(out, rng, kb)
    if "crop" in effects:
        out, (ox, oy) = _crop_off(out, rng, geom.corners, kb)
        kb = (kb[0] - ox, kb[1] - oy, kb[2] - ox, kb[3] - oy)
        if fbox is not None:
            fbox = (fbox[0] - ox, fbox[1] - oy, fbox[2] - ox, fbox[3] - oy)
    if "lowres" in effects:
        # a messaging app's resize: 40-60% of the camera's size, never under 1100 px
        long_side = max(1100.0, float(rng.uniform(0.4, 0.6)) * max(out.shape[:2]))
        f = min(1.0, long_side / max(out.shape[:2]))
        out = cv2.resize(out, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        kb = tuple(int(round(v * f)) for v in kb)  # type: ignore[assignment]
        if fbox is not None:
            fbox = tuple(int(round(v * f)) for v in fbox)  # type: ignore[assignment]
    if "jpeg" in effects:
        out = _jpeg(out, int(rng.integers(22, 45)))
    return HoldoutPhoto(out, kb, tuple(effects), fbox)


def holdout_scan(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An office scan with held-out faults (see :func:`holdout_scan_with_faults`)."""
    return holdout_scan_with_faults(img, rng)[0]


def holdout_scan_with_faults(
    img: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, tuple[str, ...]]:
    """An office scan with held-out faults: skew up to 3 degrees, and sometimes extra
    softness, faint streaks from a dirty feeder glass, greyscale, 150-220 dpi, scanner
    JPEG. Returns the scan and the names of the faults applied."""
    skew = float(rng.uniform(-3.0, 3.0))
    out = flatbed_scan(img, rng, skew_deg=skew)
    faults = [f"skew{abs(skew):.0f}"]
    if rng.random() < 0.35:
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.6, 1.1))
        faults.append("soft")
    if rng.random() < 0.2:
        h, w = out.shape[:2]
        streaked = out.astype(np.float32)
        for _ in range(int(rng.integers(1, 4))):
            x = int(rng.integers(0, w - 3))
            streaked[:, x : x + int(rng.integers(1, 4))] *= rng.uniform(0.6, 0.85)
        out = _u8(streaked)
        faults.append("streaks")
    if rng.random() < 0.3:
        out = cv2.cvtColor(cv2.cvtColor(out, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
        faults.append("grey")
    if rng.random() < 0.5:
        f = float(rng.uniform(150, 220)) / 300
        out = cv2.resize(out, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        faults.append(f"dpi{round(300 * f)}")
    if rng.random() < 0.5:
        q = int(rng.integers(35, 70))
        out = _jpeg(out, q)
        faults.append(f"jpeg{q}")
    return out, tuple(faults)
