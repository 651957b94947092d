"""A certificate whose OCR dropped its body is OCR'd again as one block (psm 6)."""

from __future__ import annotations

import pytest
from extract_kit import page_of, words_from_lines

from extractors.pipeline import extract

HEADER = [
    "CÔNG AN TP HÀ NỘI|||CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "CÔNG AN XÃ QUẢNG PHÚ CẦU|||Độc lập - Tự do - Hạnh phúc",
    "Hà Nội, ngày 18 tháng 12 năm 2023",
    "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ",
    "Công an xã Quảng Phú Cầu xác nhận thông tin về cư trú của công dân như sau:",
]
BODY = [
    "1. Họ, chữ đệm và tên: PHẠM THỊ NGẦN",
    "2. Ngày, tháng, năm sinh: 02/09/1966 3. Giới tính: Nữ",
    "4. Số định danh cá nhân: 001166050667",
    "5. Nơi thường trú: Thôn Phi Thông, Xã Quảng Phú Cầu, Huyện Ứng Hòa, Hà Nội",
    "6. Nơi tạm trú: Xóm 13, Xã Chi Lăng, Huyện Chi Lăng, Lạng Sơn",
    "7. Nơi ở hiện tại: Xóm 13, Xã Chi Lăng, Huyện Chi Lăng, Lạng Sơn",
    "8. Họ, chữ đệm và tên chủ hộ: PHAN HOÀNG MINH THẮNG",
    "9. Quan hệ với chủ hộ: Vợ",
]


def test_certificate_missing_its_body_is_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a CT07 page whose first OCR kept only the header (a dropped text block)
    WHEN it is extracted
    THEN it is OCR'd again with psm 6 and the fields of the body are read."""
    from ocr import tesseract

    calls = []

    def fake_words(image, *, psm=3, **kw):  # noqa: ANN001, ANN003, ANN202
        calls.append(psm)
        return list(words_from_lines(HEADER + BODY))

    monkeypatch.setattr(tesseract, "words", fake_words)
    [doc] = extract([page_of(words_from_lines(HEADER))])
    assert calls == [6]
    assert doc.document_type == "residence_confirmation"
    assert doc.fields["full_name"].value == "PHẠM THỊ NGẦN"
    assert doc.fields["id_number"].value == "001166050667"


def test_certificate_missing_two_lines_fills_them_and_keeps_what_it_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN a CT07 photo whose first OCR lost two lines of the body (motion blur) and
    read the name one way
    WHEN it is extracted
    THEN it is read again; the two lines' fields come from the second reading, and the
    name read both times stays the first reading's, with the disagreement listed."""
    from ocr import tesseract

    second = [line.replace("PHẠM THỊ NGẦN", "PHẠM THỊ NGẬN") for line in HEADER + BODY]
    monkeypatch.setattr(tesseract, "words", lambda *_a, **_k: list(words_from_lines(second)))
    first = [line for line in HEADER + BODY if not line.startswith(("4.", "2."))]
    [doc] = extract([page_of(words_from_lines(first))])
    assert doc.fields["id_number"].value == "001166050667"
    assert doc.fields["date_of_birth"].value == "1966-09-02"
    assert doc.fields["full_name"].value == "PHẠM THỊ NGẦN"
    assert any(c.field == "full_name" for c in doc.conflicts)


def test_each_reading_lost_another_line_and_the_second_fills_the_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN a CT07 whose first OCR lost the id number's and the relationship's lines
    and whose second (psm 6) lost the birth date's and sex's line instead: the same
    share of fields each
    WHEN it is extracted THEN the first reading keeps the birth date and takes the id
    number from the second (held-out seed 39: the leader dots ran into the digits)."""
    from ocr import tesseract

    second = [line for line in HEADER + BODY if not line.startswith("2.")]
    monkeypatch.setattr(tesseract, "words", lambda *_a, **_k: list(words_from_lines(second)))
    first = [line for line in HEADER + BODY if not line.startswith(("4.", "9."))]
    [doc] = extract([page_of(words_from_lines(first))])
    assert doc.fields["id_number"].value == "001166050667"
    assert doc.fields["relationship_to_head"].value == "Vợ"
    assert doc.fields["date_of_birth"].value == "1966-09-02"
    assert doc.fields["sex"].value == "Nữ"


def test_a_date_whose_label_read_and_value_did_not_is_read_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN a CT07 read whole but for its birth date, whose label read and whose value
    came out as specks ('(w9) 12 2(M)-4', glare) and does not read from its box either
    WHEN it is extracted THEN it is OCR'd again (psm 6) although ten of its eleven fields
    read, and the birth date comes from the second reading (default corpus, glare)."""
    from ocr import tesseract

    calls = []

    def second(*_a, psm=3, **_k):  # noqa: ANN002, ANN003, ANN202
        calls.append(psm)
        return list(words_from_lines(HEADER + BODY))

    monkeypatch.setattr(tesseract, "words", second)
    first = [line.replace("02/09/1966", "(w9) 12 2(M)-4") for line in HEADER + BODY]
    [doc] = extract([page_of(words_from_lines(first))])
    assert calls == [6]
    assert doc.fields["date_of_birth"].value == "1966-09-02"
    assert doc.fields["sex"].value == "Nữ"


def test_a_well_read_certificate_is_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from ocr import tesseract

    def fail(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("no second OCR expected")

    monkeypatch.setattr(tesseract, "words", fail)
    [doc] = extract([page_of(words_from_lines(HEADER + BODY))])
    assert doc.fields["relationship_to_head"].value == "Vợ"


def test_page_whose_regions_read_as_nothing_is_read_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN a scan whose only region was cut to a speck (one character read)
    WHEN it is extracted
    THEN the whole page is OCR'd once and its paper is read."""
    from ocr import tesseract

    cmnd = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "GIẤY CHỨNG MINH NHÂN DÂN",
        "Số 033832494",
        "Họ tên NGUYỄN HOÀI HỒNG",
        "Sinh ngày 25/04/1978",
        "Nguyên quán Xã Quảng Lạc, Thành phố Lạng Sơn, Lạng Sơn",
    ]
    calls = []

    def fake_words(image, *, psm=3, **kw):  # noqa: ANN001, ANN003, ANN202
        calls.append(psm)
        return list(words_from_lines(cmnd))

    monkeypatch.setattr(tesseract, "words", fake_words)
    [doc] = extract([page_of(words_from_lines(["5"]))])
    assert calls == [3]
    assert doc.document_type == "cmnd"
    assert doc.fields["id_number"].value == "033832494"
    assert doc.fields["date_of_birth"].value == "1978-04-25"


def _sideways(words):  # noqa: ANN001, ANN202
    """The same words as Tesseract gives them on a page turned a quarter: each line's
    words stacked one above the other, boxes taller than wide."""
    from ocr.types import Word

    out = []
    for i, w in enumerate(words):
        x0, y0, x1, y1 = w.bbox
        out.append(Word(w.text, (y0, x0, y1, x1), w.confidence, line=i, block=i))
    return tuple(out)


def test_certificate_read_sideways_is_read_again_turned(monkeypatch: pytest.MonkeyPatch) -> None:
    """GIVEN a CT07 page OCR'd a quarter turn off (the orientation cue misled by the
    form's rules), so every line was read as a column of words
    WHEN it is extracted
    THEN the region is OCR'd turned a quarter and its fields are read."""
    from ocr import tesseract

    shapes = []

    def fake_words(image, *, psm=3, **kw):  # noqa: ANN001, ANN003, ANN202
        shapes.append((image.shape[:2], psm))
        return list(words_from_lines(HEADER + BODY))

    monkeypatch.setattr(tesseract, "words", fake_words)
    [doc] = extract([page_of(_sideways(words_from_lines(HEADER + BODY)))])
    assert shapes[0] == ((1200, 800), 3)  # the region image turned: taller than wide
    assert doc.document_type == "residence_confirmation"
    assert doc.fields["full_name"].value == "PHẠM THỊ NGẦN"
    assert doc.fields["permanent_residence"].value.startswith("Thôn Phi Thông")


def test_sideways_reading_of_a_card_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A turn is tried only for certificates: a reading that turns into a card is not
    taken (cards have their own orientation checks)."""
    from ocr import tesseract

    card = ["CĂN CƯỚC", "Họ, chữ đệm và tên / Full name:", "NGUYỄN VĂN AN",
            "Ngày, tháng, năm sinh / Date of birth: 01/01/1990"]  # fmt: skip

    def fake_words(image, *, psm=3, **kw):  # noqa: ANN001, ANN003, ANN202
        return list(words_from_lines(card))

    monkeypatch.setattr(tesseract, "words", fake_words)
    [doc] = extract([page_of(_sideways(words_from_lines(HEADER + BODY)))])
    assert doc.document_type != "cancuoc_front"


def test_second_pass_fills_missing_fields_and_does_not_overrule_the_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """GIVEN a CT07 whose first OCR kept the header and two items only, and whose
    psm 6 pass reads every item but misreads the name the first pass got
    WHEN it is extracted
    THEN the missing items come from the second pass, the name stays as first read at
    a lower confidence, and the disagreement is listed for the clerk."""
    from ocr import tesseract

    misread = [BODY[0].replace("NGẦN", "NGẦM"), *BODY[1:]]

    def fake_words(image, *, psm=3, **kw):  # noqa: ANN001, ANN003, ANN202
        return list(words_from_lines(HEADER + misread))

    monkeypatch.setattr(tesseract, "words", fake_words)
    [doc] = extract([page_of(words_from_lines(HEADER + BODY[:2]))])
    assert doc.fields["full_name"].value == "PHẠM THỊ NGẦN"
    assert doc.fields["full_name"].confidence < 0.9 * 0.9
    assert doc.fields["id_number"].value == "001166050667"
    assert doc.fields["relationship_to_head"].value == "Vợ"
    assert any(c.field == "full_name" for c in doc.conflicts)


@pytest.mark.parametrize(("number", "sex"), [("001166050667", "Nữ"), ("001066050667", "Nam")])
def test_two_readings_of_the_sex_disagree_and_the_personal_number_decides(
    monkeypatch: pytest.MonkeyPatch, number: str, sex: str
) -> None:
    """GIVEN a CT07 whose first OCR read the sex 'Nam' and whose psm 6 pass reads 'Nữ'
    (the first pass lost the id line, so the paper is read again) WHEN the personal
    number's birth year agrees with the date of birth THEN its sex digit (1: a woman
    born in the 1900s; 0: a man) decides between the two readings, lowered, with the
    conflict listed."""
    from ocr import tesseract

    second = [BODY[0], BODY[1], BODY[2].replace("001166050667", number), *BODY[3:]]
    first = [BODY[0], BODY[1].replace("Nữ", "Nam")]

    def fake_words(image, *, psm=3, **kw):  # noqa: ANN001, ANN003, ANN202
        return list(words_from_lines(HEADER + second))

    monkeypatch.setattr(tesseract, "words", fake_words)
    [doc] = extract([page_of(words_from_lines(HEADER + first))])
    assert doc.fields["sex"].value == sex
    assert doc.fields["sex"].confidence < 0.9 * 0.9
    assert any(c.field == "sex" for c in doc.conflicts)
