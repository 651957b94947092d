"""The QR re-cut from the uploaded page when the OCR copy of the region loses it."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
import qrcode

from extractors import pipeline as pl
from extractors import qr as qrlib
from ocr.types import Region, Transform

PAYLOAD = "001099012345|123456789|Nguyễn Văn An|01011999|Nam|Số 1 Lê Lợi, Hà Nội|01042021"


def _page_with_qr() -> tuple[np.ndarray, tuple[int, int, int, int]]:
    q = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=2)
    q.add_data(PAYLOAD)
    q.make(fit=True)
    code = np.array(q.make_image().convert("L"), dtype=np.uint8)
    code = cv2.cvtColor(code, cv2.COLOR_GRAY2BGR)
    page = np.full((1000, 1500, 3), 235, np.uint8)
    h, w = code.shape[:2]
    x0, y0 = 1100, 100
    page[y0 : y0 + h, x0 : x0 + w] = code
    return page, (x0, y0, x0 + w, y0 + h)


def test_recut_decodes_a_qr_the_shrunk_ocr_copy_loses() -> None:
    """GIVEN a region whose OCR image is the page shrunk to a fifth and thresholded
    (what a text-size normalization does to a card photographed large)
    WHEN the QR is looked for
    THEN the OCR image alone gives none, the re-cut from the page does, and its box
    is the QR's place on the page."""
    page, (qx0, qy0, qx1, qy1) = _page_with_qr()
    s = 0.2
    small = cv2.resize(page, None, fx=s, fy=s, interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    _, bw = cv2.threshold(gray, 90, 255, cv2.THRESH_BINARY)
    ocr_image = cv2.cvtColor(bw, cv2.COLOR_GRAY2BGR)
    to_page = Transform.from_array(np.diag([1 / s, 1 / s, 1.0]))
    region = Region(page=1, index=0, image=ocr_image, to_page=to_page, words=())
    assert qrlib.read_image(ocr_image) is None
    got = pl._region_qr(region, page)
    assert got is not None and got.payload.id_number == "001099012345"
    x0, y0, x1, y1 = got.bbox
    assert abs(x0 - qx0) < 30 and abs(y0 - qy0) < 30 and abs(x1 - qx1) < 30 and abs(y1 - qy1) < 30


def test_recut_has_page_resolution() -> None:
    page, _ = _page_with_qr()
    region = Region(
        page=1,
        index=0,
        image=cv2.resize(page, None, fx=0.5, fy=0.5),
        to_page=Transform.from_array(np.diag([2.0, 2.0, 1.0])),
        words=(),
    )
    cut = pl.rewarp(region, page)
    assert cut is not None
    img, scale = cut
    assert abs(scale - 2.0) < 1e-6 and img.shape[:2] == page.shape[:2]


@pytest.mark.parametrize("seed", [78, 97])
def test_a_card_scanned_at_low_resolution_has_its_qr_located_and_read(tmp_path, seed: int) -> None:  # noqa: ANN001, E501
    """GIVEN a 2021 card front scanned on A4 at about 170 dpi, soft and JPEG-compressed
    (held-out seed 78: its QR two pixels a module, zxing finds no code in the page, nor
    in the page enlarged) WHEN it is extracted THEN the QR is located by its finder
    patterns, cut out, enlarged and sharpened, and read: the fields only the QR gives
    (the old number, the issue date) are there. The card is re-cut at the page's
    resolution (seed 78's QR, enlarged with the OCR copy, is too soft for the detector)
    and then at the OCR copy's (seed 97's reads only so)."""
    from pathlib import Path

    from bench.extract import make_case
    from extractors import extract
    from ocr.pipeline import iter_pages

    case = make_case("cccd_front", "scan", 0, seed, tmp_path, holdout=True)
    (truth,) = case.expected
    (doc,) = extract(iter_pages(Path(case.path)))
    for key in ("old_id_number", "date_of_issue", "id_number"):
        assert doc.fields[key].source == "qr"
        assert doc.fields[key].value == truth.truth[key]
