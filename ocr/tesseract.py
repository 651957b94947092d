"""The one module that runs Tesseract (through pytesseract).

Functions are keyword-only where options are concerned, always pass an explicit
timeout, and translate pytesseract's failures into :mod:`ocr.exceptions`.
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import tempfile
from pathlib import Path

import cv2
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
def languages(tessdata_dir: str | None = None) -> frozenset[str]:
    version()
    config = f'--tessdata-dir "{tessdata_dir}"' if tessdata_dir else ""
    try:
        return frozenset(pytesseract.get_languages(config=config))
    except pytesseract.TesseractError as exc:
        raise MissingDependencyError(f"Tesseract cannot list its languages: {exc.message}") from exc


def check_languages(lang: str, *, tessdata_dir: str | None = None) -> None:
    missing = [code for code in lang.split("+") if code not in languages(tessdata_dir)]
    if missing:
        where = f" in {tessdata_dir}" if tessdata_dir else ""
        raise MissingDependencyError(
            f"Tesseract language data missing{where}: {', '.join(missing)}; install: "
            + " ".join(f"tesseract-ocr-{m}" for m in missing)
        )


def resolve_tessdata(tessdata_dir: str | None, lang: str) -> str | None:
    """``tessdata_dir`` if it holds every language of ``lang``, else None (system data).

    Lets a deployment ship better models in its own directory while the service keeps
    working with the distribution's models when that directory is absent.
    """
    if not tessdata_dir:
        return None
    d = Path(tessdata_dir)
    if all((d / f"{code}.traineddata").is_file() for code in lang.split("+")):
        return str(d)
    log.info("tessdata dir %s lacks %s; using the system language data", d, lang)
    return None


def _config(psm: int, whitelist: str | None, extra: str, tessdata_dir: str | None = None) -> str:
    parts = [f"--psm {psm}", "-c preserve_interword_spaces=1"]
    if tessdata_dir:
        parts.insert(0, f'--tessdata-dir "{tessdata_dir}"')
    if whitelist:
        parts.append(f"-c tessedit_char_whitelist={whitelist}")
    if extra:
        parts.append(extra)
    return " ".join(parts)


def _image_file(image: np.ndarray, tmpdir: str) -> str:
    """Write ``image`` (grey, BGR or BGRA uint8) uncompressed for Tesseract; returns the path.

    PNM is written and read in milliseconds, where pytesseract's default PNG encoding
    of a full page costs a noticeable share of the OCR time.
    """
    if image.ndim == 3 and image.shape[2] == 4:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    path = str(Path(tmpdir) / ("in.pgm" if image.ndim == 2 else "in.ppm"))
    if not cv2.imwrite(path, np.ascontiguousarray(image)):
        raise OcrError("cannot write the image for Tesseract")
    return path


def _run(  # noqa: ANN202
    fn,  # noqa: ANN001
    image: np.ndarray,
    *,
    lang: str,
    config: str,
    timeout: float,
    tessdata_dir: str | None = None,
):
    check_languages(lang, tessdata_dir=tessdata_dir)
    try:
        with tempfile.TemporaryDirectory(prefix="motcua-tess-") as tmp:
            if isinstance(image, np.ndarray):
                src = _image_file(image, tmp)
            elif isinstance(image, str | Path):
                src = str(image)
            else:  # a PIL image: pytesseract saves it itself
                src = image
            return fn(src, lang=lang, config=config, timeout=timeout)
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
    tessdata_dir: str | None = None,
) -> list[Word]:
    """OCR an image (BGR or grey array) into words with boxes mapped through ``to_page``
    and 0..1 confidences. An empty page gives an empty list (not an error)."""
    tessdata_dir = resolve_tessdata(tessdata_dir, lang)
    data = _run(
        pytesseract.image_to_data,
        image,
        lang=lang,
        config=_config(psm, whitelist, extra_config, tessdata_dir),
        timeout=timeout,
        tessdata_dir=tessdata_dir,
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
        region_bbox = None
        if to_page is not IDENTITY:
            region_bbox = bbox
            bbox = to_page.apply_bbox(bbox, clip=page_size)
        out.append(
            Word(
                text=text,
                bbox=bbox,
                confidence=conf,
                line=line_no,
                block=block,
                region_bbox=region_bbox,
            )
        )
    return out


def text(
    image: np.ndarray,
    *,
    lang: str = "vie",
    psm: int = 6,
    timeout: float = 30.0,
    whitelist: str | None = None,
    extra_config: str = "",
    tessdata_dir: str | None = None,
) -> str:
    """Plain text of an image (BGR or grey array) or a small region of interest."""
    tessdata_dir = resolve_tessdata(tessdata_dir, lang)
    return _run(
        pytesseract.image_to_string,
        image,
        lang=lang,
        config=_config(psm, whitelist, extra_config, tessdata_dir),
        timeout=timeout,
        tessdata_dir=tessdata_dir,
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
