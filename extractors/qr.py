"""The QR code of the CCCD (2021 front) and the Căn cước (2024 back).

Payload (UTF-8, ``|``-separated): id_number | old_id_number (9 digits or empty) |
full name | date_of_birth ddmmyyyy | Nam/Nữ | place_of_residence | date_of_issue
ddmmyyyy [| more fields on cards issued since 2024, kept raw].
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass

import cv2
import numpy as np

from extractors.idnumber import mask
from extractors.normalize import clean_spaces, normalize_date, normalize_sex, upper_name

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class QrPayload:
    id_number: str
    old_id_number: str | None
    full_name: str
    """Upper case, as the card prints it."""
    full_name_raw: str
    date_of_birth: str
    sex: str
    place_of_residence: str | None
    date_of_issue: str | None
    extras: tuple[str, ...] = ()
    raw: str = ""

    def fields(self) -> dict[str, str]:
        out = {
            "id_number": self.id_number,
            "full_name": self.full_name,
            "date_of_birth": self.date_of_birth,
            "sex": self.sex,
        }
        if self.old_id_number:
            out["old_id_number"] = self.old_id_number
        if self.place_of_residence:
            out["place_of_residence"] = self.place_of_residence
        if self.date_of_issue:
            out["date_of_issue"] = self.date_of_issue
        return out


def parse_payload(text: str) -> QrPayload | None:
    """Parse a CCCD QR payload; ``None`` if it is not one (wrong shape or bad values)."""
    if not text:
        return None
    parts = [p.strip() for p in text.strip().strip("\x00").split("|")]
    if len(parts) < 7:
        return None
    id_number, old_id, name, dob, sex, address, doi = parts[:7]
    if not re.fullmatch(r"\d{12}", id_number):
        return None
    if old_id and not re.fullmatch(r"\d{9}|\d{12}", old_id):
        return None
    dob_iso = _qr_date(dob)
    sex_v = normalize_sex(sex)
    if not name or dob_iso is None or sex_v is None:
        return None
    doi_iso = _qr_date(doi) if doi else None
    if doi and doi_iso is None:
        return None
    return QrPayload(
        id_number=id_number,
        old_id_number=old_id or None,
        full_name=upper_name(name),
        full_name_raw=clean_spaces(name),
        date_of_birth=dob_iso,
        sex=sex_v,
        place_of_residence=clean_spaces(address) or None,
        date_of_issue=doi_iso,
        extras=tuple(parts[7:]),
        raw=text,
    )


def _qr_date(value: str) -> str | None:
    if re.fullmatch(r"\d{8}", value):
        return normalize_date(f"{value[:2]}/{value[2:4]}/{value[4:]}")
    return normalize_date(value)


@dataclass(frozen=True, slots=True)
class QrReading:
    payload: QrPayload
    bbox: tuple[int, int, int, int]
    """In pixels of the image given to :func:`read_image`."""


def _decode(
    image: np.ndarray, binarizer: str | None = None
) -> list[tuple[str, tuple[int, int, int, int]]]:
    import zxingcpp

    out = []
    kw = {}
    if binarizer is not None:
        kw["binarizer"] = getattr(zxingcpp.Binarizer, binarizer)
    try:
        results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode, **kw)
    except Exception as exc:  # zxing raises on odd inputs; that is "no code"
        log.debug("zxing failed: %s", type(exc).__name__)
        return out
    for r in results:
        p = r.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_right.x, p.bottom_left.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_right.y, p.bottom_left.y]
        out.append((r.text, (min(xs), min(ys), max(xs), max(ys))))
    return out


def _unsharp(gray: np.ndarray, sigma: float = 2.0, amount: float = 1.5) -> np.ndarray:
    blur = cv2.GaussianBlur(gray, (0, 0), sigma)
    return cv2.addWeighted(gray, 1 + amount, blur, -amount, 0)


def _thorough_variants(image: np.ndarray):  # noqa: ANN202
    """Harder cases (a small, blurred QR on a phone photo): contrast-equalized,
    sharpened, enlarged; each with zxing's global-histogram binarizer too."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    h, w = gray.shape[:2]
    clahe = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(gray)
    yield clahe, 1.0, "GlobalHistogram"
    sharp = _unsharp(gray)
    yield sharp, 1.0, None
    if max(h, w) <= 2600:
        big = cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
        big = _unsharp(big, sigma=3.0)
        yield big, 2.0, None
        yield big, 2.0, "GlobalHistogram"


def _located_variants(image: np.ndarray):  # noqa: ANN202
    """A small, soft QR (a card scanned at 150-200 dpi: two pixels a module or less)
    that zxing does not find: located by OpenCV's finder-pattern detector, cut out with
    a margin, enlarged and sharpened, as it is and thresholded (Otsu). Yields
    ``(image, scale, origin)``: image pixel ``p`` is ``origin + p / scale``."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    f = min(1.0, 2400.0 / max(gray.shape[:2]))  # the detector on at most 2400 px
    points = _qr_quads(gray, f)
    if points is None and max(gray.shape[:2]) <= 1200:
        points = _qr_quads(gray, 2.0)  # finder patterns of a few pixels: enlarged
        f = 2.0
    if points is None:
        return
    h, w = gray.shape[:2]
    for quad in points:
        xs, ys = quad[:, 0] / f, quad[:, 1] / f
        side = max(xs.max() - xs.min(), ys.max() - ys.min())
        if side < 20:
            continue
        m = 0.2 * side
        x0, y0 = int(max(0, xs.min() - m)), int(max(0, ys.min() - m))
        x1, y1 = int(min(w, xs.max() + m)), int(min(h, ys.max() + m))
        crop = gray[y0:y1, x0:x1]
        for scale in (2.0, 3.0, 4.0):
            if max(crop.shape) * scale > 2400:
                break
            big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
            sharp = _unsharp(big, sigma=1.2 * scale, amount=1.0)
            yield sharp, scale, (x0, y0)
            _, bw = cv2.threshold(sharp, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
            yield bw, scale, (x0, y0)


def _qr_quads(gray: np.ndarray, f: float) -> np.ndarray | None:
    """Corners of the QR symbols OpenCV's detector finds in ``gray`` resized by ``f``
    (in the resized image's pixels), or None."""
    interp = cv2.INTER_AREA if f < 1 else cv2.INTER_CUBIC
    img = cv2.resize(gray, None, fx=f, fy=f, interpolation=interp) if f != 1 else gray
    try:
        found, points = cv2.QRCodeDetectorAruco().detectMulti(img)
    except cv2.error as exc:
        log.debug("QR detector failed: %s", exc)
        return None
    return points if found and points is not None else None


def _variants(image: np.ndarray):  # noqa: ANN202
    """The image, then versions that help zxing on photos: scaled, binarized, sharpened."""
    yield image, 1.0
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    h, w = gray.shape[:2]
    longest = max(h, w)
    if longest > 1600:
        s = 1400 / longest
        yield cv2.resize(gray, None, fx=s, fy=s, interpolation=cv2.INTER_AREA), s
    if longest < 1000:
        s = 2.0
        yield cv2.resize(gray, None, fx=s, fy=s, interpolation=cv2.INTER_CUBIC), s
    bw = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 5)
    yield bw, 1.0


def read_image(image: np.ndarray, *, thorough: bool = False) -> QrReading | None:
    """Decode the CCCD QR in an image (tries a few variants); ``None`` if there is none.

    ``thorough``: also equalized, sharpened and enlarged copies (slower; for a second
    attempt on a photo).
    """
    if image is None or image.size == 0:
        return None
    # (image, scale, binarizer, origin): image pixel p is origin + p / scale
    variants = ((v, s, None, (0, 0)) for v, s in _variants(image))
    if thorough:
        variants = itertools.chain(
            variants,
            ((v, s, b, (0, 0)) for v, s, b in _thorough_variants(image)),
            ((v, s, None, o) for v, s, o in _located_variants(image)),
        )
    for variant, scale, binarizer, (ox, oy) in variants:
        for text, (x0, y0, x1, y1) in _decode(variant, binarizer):
            payload = parse_payload(text)
            if payload is None:
                log.info("QR found but not a CCCD payload (%d characters)", len(text))
                continue
            bbox = (int(ox + x0 / scale), int(oy + y0 / scale),
                    int(ox + x1 / scale), int(oy + y1 / scale))  # fmt: skip
            log.info("QR decoded: id %s", mask(payload.id_number))
            return QrReading(payload, bbox)
    return None
