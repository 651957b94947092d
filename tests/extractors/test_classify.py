"""Classification of every document type from its text (with OCR noise)."""

from __future__ import annotations

import pytest

from extractors.classify import classify

TEXTS = {
    "cccd_front": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCĂN CƯỚC CÔNG DÂN\nCitizen Identity Card\n"
    "Họ và tên / Full name:\nQuê quán / Place of origin:\nCó giá trị đến",
    "cccd_back": "Đặc điểm nhân dạng / Personal identification:\nNgày, tháng, năm / Date, month, "
    "year: 11/04/2022\nCỤC TRƯỞNG CỤC CẢNH SÁT\nQUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI",
    "cancuoc_front": "CĂN CƯỚC\nIDENTITY CARD\nSố định danh cá nhân / Personal identification "
    "number:\nHọ, chữ đệm và tên khai sinh / Full name:",
    "cancuoc_back": "Nơi cư trú / Place of residence:\nNơi đăng ký khai sinh / Place of birth:\n"
    "Ngày, tháng, năm cấp / Date of issue:\nBỘ CÔNG AN",
    "cmnd": "CHỨNG MINH NHÂN DÂN\nSố 123456789\nHọ tên\nNguyên quán\nNơi ĐKHK thường trú",
    "birth_certificate": "GIẤY KHAI SINH\nHọ, chữ đệm, tên người mẹ:\nHọ, chữ đệm, tên người cha:",
    "marriage_certificate": "GIẤY CHỨNG NHẬN KẾT HÔN\nThông tin về chồng Thông tin về vợ",
    "residence_confirmation": "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ\nMẫu CT07\nNơi tạm trú\n"
    "Quan hệ với chủ hộ",
    "land_use_certificate": "GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT\nThửa đất số: 12 Tờ bản đồ số: 3",
}


@pytest.mark.parametrize("doc_type", sorted(TEXTS))
def test_each_type(doc_type: str) -> None:
    c = classify(TEXTS[doc_type])
    assert c.document_type == doc_type, c.reason
    assert c.confidence >= 0.6


@pytest.mark.parametrize("doc_type", sorted(TEXTS))
def test_each_type_without_diacritics(doc_type: str) -> None:
    from extractors.normalize import strip_diacritics

    c = classify(strip_diacritics(TEXTS[doc_type]).upper())
    assert c.document_type == doc_type, c.reason


def test_unknown() -> None:
    c = classify("Lorem ipsum dolor sit amet\nHóa đơn bán hàng")
    assert c.document_type == "unknown"


def test_mrz_presence_makes_a_card_back() -> None:
    assert classify("some noise", has_mrz=True).document_type in ("cccd_back", "cancuoc_back")


def test_almost_no_text_is_unknown() -> None:
    for text in ("", "m—", "Nam", "CĂN"):
        assert classify(text).document_type == "unknown"
