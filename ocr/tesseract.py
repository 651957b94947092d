"""The one module that runs Tesseract (through pytesseract).

Functions are keyword-only where options are concerned, always pass an explicit
timeout, and translate pytesseract's failures into :mod:`ocr.exceptions`.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil

import numpy as np
import pytesseract

from ocr.exceptions import MissingDependencyError, OcrError, OcrTimeoutError
from ocr.types import IDENTITY, Transform, Word

log = logging.getLogger(__name__)

# OpenMP makes Tesseract several times slower on small machines; every process
# that imports this module runs Tesseract single-threaded unless told otherwise.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

INSTALL_HINT = "apt-get install tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng"


@functools.cache
def version() -> str:
    """Tesseract's version, checked once per process."""
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise MissingDependencyError(f"tesseract is not installed; install it with: {INSTALL_HINT}")
    try:
        return str(pytesseract.get_tesseract_version())
    except pytesseract.TesseractNotFoundError as exc:
        raise MissingDependencyError(f"tesseract is not installed; {INSTALL_HINT}") from exc


@functools.cache
def languages() -> frozenset[str]:
    version()
    return frozenset(pytesseract.get_languages(config=""))


def check_languages(lang: str) -> None:
    missing = [code for code in lang.split("+") if code not in languages()]
    if missing:
        raise MissingDependencyError(
            f"Tesseract language data missing: {', '.join(missing)}; install: "
            + " ".join(f"tesseract-ocr-{m}" for m in missing)
        )


def _config(psm: int, whitelist: str | None, extra: str) -> str:
    parts = [f"--psm {psm}", "-c preserve_interword_spaces=1"]
    if whitelist:
        parts.append(f"-c tessedit_char_whitelist={whitelist}")
    if extra:
        parts.append(extra)
    return " ".join(parts)


def _run(fn, image: np.ndarray, *, lang: str, config: str, timeout: float):  # noqa: ANN001
    check_languages(lang)
    try:
        return fn(image, lang=lang, config=config, timeout=timeout)
    except RuntimeError as exc:  # pytesseract signals its timeout with a bare RuntimeError
        if "timeout" in str(exc).lower():
            raise OcrTimeoutError(f"Tesseract took longer than {timeout:g} s") from exc
        raise OcrError(f"Tesseract failed: {exc}") from exc
    except pytesseract.TesseractError as exc:
        raise OcrError(f"Tesseract failed: {exc.message}") from exc
    except pytesseract.TesseractNotFoundError as exc:
        raise MissingDependencyError(f"tesseract is not installed; {INSTALL_HINT}") from exc


def words(
    image: np.ndarray,
    *,
    lang: str = "vie",
    psm: int = 3,
    timeout: float = 120.0,
    to_page: Transform = IDENTITY,
    page_size: tuple[int, int] | None = None,
    whitelist: str | None = None,
    extra_config: str = "",
) -> list[Word]:
    """OCR an image into words with boxes mapped through ``to_page`` and 0..1 confidences.

    An empty page gives an empty list (not an error).
    """
    data = _run(
        pytesseract.image_to_data,
        image,
        lang=lang,
        config=_config(psm, whitelist, extra_config),
        timeout=timeout,
    )
    return parse_tsv(data, to_page=to_page, page_size=page_size)


def parse_tsv(
    tsv: str, *, to_page: Transform = IDENTITY, page_size: tuple[int, int] | None = None
) -> list[Word]:
    out: list[Word] = []
    line_ids: dict[tuple[int, int, int], int] = {}
    rows = tsv.splitlines()
    for row in rows[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
        left, top, width, height = (int(c) for c in cols[6:10])
        conf = max(0.0, float(cols[10])) / 100.0
        key = (block, par, line)
        line_no = line_ids.setdefault(key, len(line_ids))
        bbox = (left, top, left + width, top + height)
        if to_page is not IDENTITY:
            bbox = to_page.apply_bbox(bbox, clip=page_size)
        out.append(Word(text=text, bbox=bbox, confidence=conf, line=line_no, block=block))
    return out


def text(
    image: np.ndarray,
    *,
    lang: str = "vie",
    psm: int = 6,
    timeout: float = 30.0,
    whitelist: str | None = None,
    extra_config: str = "",
) -> str:
    """Plain text of an image or a small region of interest."""
    return _run(
        pytesseract.image_to_string,
        image,
        lang=lang,
        config=_config(psm, whitelist, extra_config),
        timeout=timeout,
    )


def osd_rotation(image: np.ndarray, *, timeout: float = 30.0) -> tuple[int, float] | None:
    """(degrees to rotate clockwise to make the text upright, confidence), or None if unsure."""
    try:
        out = _run(pytesseract.image_to_osd, image, lang="osd", config="--psm 0", timeout=timeout)
    except OcrError:
        return None
    rotate = conf = None
    for line in out.splitlines():
        if line.startswith("Rotate:"):
            rotate = int(line.split(":")[1])
        elif line.startswith("Orientation confidence:"):
            conf = float(line.split(":")[1])
    if rotate is None or conf is None:
        return None
    return rotate, conf
