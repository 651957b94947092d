"""CCCD QR payloads: shapes accepted and refused; decoding from a rendered code."""

from __future__ import annotations

import numpy as np
import pytest

from extractors import qr

BASE = "001099012345|123456789|Nguyễn Văn An|01011999|Nam|Số 12 Lê Lợi, Phường Hợp Giang, Thành phố Cao Bằng, Cao Bằng|15062021"  # noqa: E501


def test_seven_fields() -> None:
    p = qr.parse_payload(BASE)
    assert p is not None
    assert p.fields() == {
        "id_number": "001099012345",
        "old_id_number": "123456789",
        "full_name": "NGUYỄN VĂN AN",
        "date_of_birth": "1999-01-01",
        "sex": "Nam",
        "place_of_residence": "Số 12 Lê Lợi, Phường Hợp Giang, Thành phố Cao Bằng, Cao Bằng",
        "date_of_issue": "2021-06-15",
    }
    assert p.full_name_raw == "Nguyễn Văn An"


def test_more_fields_are_kept_raw() -> None:
    p = qr.parse_payload(BASE + "|x1|20240701|")
    assert p is not None
    assert p.extras == ("x1", "20240701", "")
    assert p.id_number == "001099012345"


def test_empty_old_id_is_absent() -> None:
    p = qr.parse_payload(BASE.replace("|123456789|", "||"))
    assert p is not None
    assert p.old_id_number is None
    assert "old_id_number" not in p.fields()


def test_female_and_nfd_input_normalized() -> None:
    import unicodedata

    text = unicodedata.normalize("NFD", BASE.replace("|Nam|", "|Nữ|"))
    p = qr.parse_payload(text)
    assert p is not None and p.sex == "Nữ"
    assert p.full_name == unicodedata.normalize("NFC", "NGUYỄN VĂN AN")


@pytest.mark.parametrize(
    "payload",
    [
        "",
        "hello world",
        "001099012345|123456789|Nguyễn Văn An|01011999|Nam|addr",  # 6 fields
        "00109901234|123456789|Nguyễn Văn An|01011999|Nam|addr|15062021",  # 11 digits
        "001099012345|12345|Nguyễn Văn An|01011999|Nam|addr|15062021",  # bad old id
        "001099012345|123456789|Nguyễn Văn An|31021999|Nam|addr|15062021",  # 31 Feb
        "001099012345|123456789|Nguyễn Văn An|01011999|X|addr|15062021",  # sex
        "001099012345|123456789||01011999|Nam|addr|15062021",  # no name
    ],
)
def test_bad_payloads_refused(payload: str) -> None:
    assert qr.parse_payload(payload) is None


def test_decode_rendered_code_with_position() -> None:
    qrcode = pytest.importorskip("qrcode")
    cv2 = pytest.importorskip("cv2")
    img = np.array(qrcode.make(BASE, border=2).convert("RGB"))[:, :, ::-1].copy()
    canvas = np.full((img.shape[0] + 200, img.shape[1] + 300, 3), 255, np.uint8)
    canvas[100 : 100 + img.shape[0], 150 : 150 + img.shape[1]] = img
    canvas = cv2.GaussianBlur(canvas, (3, 3), 0)
    reading = qr.read_image(canvas)
    assert reading is not None
    assert reading.payload.id_number == "001099012345"
    x0, y0, x1, y1 = reading.bbox
    assert 140 <= x0 <= 190 and 90 <= y0 <= 140
    assert x1 > x0 + 100 and y1 > y0 + 100


def test_no_code_no_reading() -> None:
    assert qr.read_image(np.full((300, 400, 3), 255, np.uint8)) is None
