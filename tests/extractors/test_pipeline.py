"""extract(): classification per region, fields with provenance, multi-page papers,
card pairing and the applicant record."""

from __future__ import annotations

import numpy as np
from extract_kit import page_of, words_from_lines

from extractors.pipeline import extract, merge_applicant, pair_cards

FRONT = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "CĂN CƯỚC CÔNG DÂN",
    "Citizen Identity Card",
    "Số / No.: 001099012345",
    "Họ và tên / Full name:",
    (120, "NGUYỄN VĂN AN"),
    "Ngày sinh / Date of birth: 01/01/1999",
    "Giới tính / Sex: Nam Quốc tịch / Nationality: Việt Nam",
    "Quê quán / Place of origin: Phường 5, Thành phố Cà Mau, Cà Mau",
    "Nơi thường trú / Place of residence: Số 12 Lê Lợi, Phường Hợp Giang,",
    (120, "Thành phố Cao Bằng, Cao Bằng"),
    "Có giá trị đến: 01/01/2024",
]
BACK = [
    "Đặc điểm nhân dạng / Personal identification:",
    "Nốt ruồi C:1cm trên đầu mày phải",
    "Ngày, tháng, năm / Date, month, year: 15/06/2021",
    "CỤC TRƯỞNG CỤC CẢNH SÁT",
    "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI",
]
BIRTH_1 = [
    "ỦY BAN NHÂN DÂN",
    "Số: 12/2020",
    "GIẤY KHAI SINH",
    "Họ, chữ đệm, tên: Nguyễn Thị Mai",
    "Ngày, tháng, năm sinh: 05/03/2020",
    "Giới tính: Nữ Dân tộc: Kinh Quốc tịch: Việt Nam",
    "Họ, chữ đệm, tên người mẹ: Trần Thị Hoa",
    "Năm sinh: 1990",
]
BIRTH_2 = [
    "Họ, chữ đệm, tên người cha: Nguyễn Văn Nam",
    "Năm sinh: 1988",
    "Ngày, tháng, năm đăng ký: 10/03/2020",
]


def test_card_front_fields_with_provenance() -> None:
    [doc] = extract([page_of(words_from_lines(FRONT))])
    assert doc.document_type == "cccd_front"
    assert doc.type_confidence >= 0.6
    f = doc.fields
    assert f["id_number"].value == "001099012345"
    assert f["full_name"].value == "NGUYỄN VĂN AN"
    assert f["date_of_birth"].value == "1999-01-01"
    assert f["place_of_residence"].value == (
        "Số 12 Lê Lợi, Phường Hợp Giang, Thành phố Cao Bằng, Cao Bằng"
    )
    for field in f.values():
        assert field.source == "ocr" and field.page == 1
        assert field.bbox is not None and 0 < field.confidence <= 1
    assert "id_number_matches_birth_date" in f["id_number"].checks
    # the 2025 address where the conversion is certain
    assert f["place_of_residence_2025"].value == "Số 12 Lê Lợi, Phường Thục Phán, Tỉnh Cao Bằng"
    # expiry 2024-01-01 is not the 25th birthday (2024-01-01 is): passes
    assert "expiry_matches_age_rule" in f["date_of_expiry"].checks
    out = doc.to_json(source="x.jpg")
    assert out["fields"]["full_name"]["source"] == "ocr"
    assert all(v["value"] for v in out["fields"].values())


def test_unreadable_fields_are_absent() -> None:
    [doc] = extract([page_of(words_from_lines(FRONT[:5]))])
    assert doc.document_type == "cccd_front"
    assert "date_of_birth" not in doc.fields
    assert all(f.value for f in doc.fields.values())


def test_continuation_page_joins_the_birth_certificate() -> None:
    pages = [page_of(words_from_lines(BIRTH_1), number=1),
             page_of(words_from_lines(BIRTH_2), number=2)]  # fmt: skip
    [doc] = extract(iter(pages))
    assert doc.document_type == "birth_certificate"
    assert doc.pages == (1, 2)
    assert doc.fields["mother_name"].value == "Trần Thị Hoa"
    assert doc.fields["father_name"].page == 2
    assert doc.fields["father_birth_year"].value == "1988"
    assert doc.fields["registration_date"].value == "2020-03-10"


def test_front_back_pairing_and_applicant_record() -> None:
    pages = [page_of(words_from_lines(FRONT), number=1),
             page_of(words_from_lines(BACK), number=2),
             page_of(words_from_lines(["Hóa đơn tiền điện", "Kỳ tháng 5"]), number=3)]  # fmt: skip
    docs = extract(pages)
    assert [d.document_type for d in docs] == ["cccd_front", "cccd_back", "unknown"]
    assert docs[0].extras["pair"] == {"index": 1, "by": "adjacency"}
    assert docs[1].extras["pair"]["index"] == 0
    assert pair_cards(docs) == [(0, 1)]
    assert docs[1].fields["issuing_authority"].value == (
        "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"
    )
    assert docs[1].fields["date_of_issue"].value == "2021-06-15"
    assert docs[2].fields == {} and "Hóa đơn" in docs[2].text
    applicant = merge_applicant(docs)
    assert applicant["full_name"].value == "NGUYỄN VĂN AN"
    assert applicant["date_of_issue"].value == "2021-06-15"
    assert applicant["personal_identification"].page == 2


def test_page_images_are_not_kept() -> None:
    """extract() consumes a generator; the documents keep no page image."""

    def gen():  # noqa: ANN202
        for n in (1, 2):
            yield page_of(
                words_from_lines(FRONT), image=np.full((100, 100, 3), 255, np.uint8), number=n
            )

    docs = extract(gen())
    assert len(docs) == 2
    for d in docs:
        assert not any(isinstance(v, np.ndarray) for v in d.extras.values())


def test_foreign_passport_mrz_kept_in_extras() -> None:
    """GIVEN the ICAO TD3 specimen photo (no spec type) THEN the zone is read into extras."""
    import json
    from pathlib import Path

    import pytest

    cv2 = pytest.importorskip("cv2")
    photos = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "real" / "passporteye"
    if not (photos / "passport-td3.jpg").exists():
        pytest.skip(f"real photos not found in {photos}")
    from ocr.types import IDENTITY, OcrPage, Region

    image = cv2.imread(str(photos / "passport-td3.jpg"))
    h, w = image.shape[:2]
    words = words_from_lines(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"], y0=700)
    region = Region(page=1, index=0, image=image, to_page=IDENTITY, words=words)
    [doc] = extract([OcrPage(number=1, width=w, height=h, image=image, regions=(region,))])
    truth = json.loads((photos / "truth.json").read_text())["passport-td3.jpg"]
    assert doc.document_type == "unknown"
    assert doc.extras["mrz"]["document_number"] == truth["number"]
    assert doc.fields == {}


def test_a_zone_cut_by_the_region_is_read_on_the_page_as_uploaded() -> None:
    """GIVEN a card back whose region (its outline drawn short of the card's right edge,
    as for a card running out of the frame) cuts off the zone's check digits
    WHEN it is read THEN the zone is read on the page as uploaded and its fields come
    from it (held-out seed 39)."""
    from extractors.pipeline import read_region
    from ocr.types import Region, Transform
    from synth.documents import generate

    sp = generate("cccd_back", np.random.default_rng(11))
    page = sp.image
    h, w = page.shape[:2]
    cut = page[:, : int(0.9 * w)].copy()  # the region: the card without its right tenth
    words = words_from_lines(["Đặc điểm nhân dạng / Personal identification:",
                              "CỤC TRƯỞNG CỤC CẢNH SÁT"], y0=40)  # fmt: skip
    region = Region(page=1, index=0, image=cut, to_page=Transform(), words=words)
    res = read_region(region, page_image=page)
    mrz = [f for f in res.candidates.get("mrz", []) if f.source == "mrz"]
    assert mrz and mrz[0].value == "\n".join(sp.mrz_lines)
    assert res.candidates["id_number"][0].value == sp.truth["id_number"]


def test_a_zone_left_out_of_a_crop_to_the_text_is_read_on_the_page() -> None:
    """GIVEN a card back photo whose region was cropped to the text above the zone (the
    card's edges unseen; held-out seed 102) so that the region holds no zone at all
    WHEN it is read THEN the zone just below it is read on the page as uploaded; a zone
    far below the region (another card's) is not taken."""
    from extractors.pipeline import read_region
    from ocr.types import Region, Transform
    from synth.documents import generate

    sp = generate("cccd_back", np.random.default_rng(11))
    page = sp.image
    h, w = page.shape[:2]
    words = words_from_lines(["Đặc điểm nhân dạng / Personal identification:",
                              "CỤC TRƯỞNG CỤC CẢNH SÁT"], y0=40)  # fmt: skip
    region = Region(page=1, index=0, image=page[: int(0.68 * h)].copy(), to_page=Transform(),
                    words=words)  # fmt: skip
    res = read_region(region, page_image=page)
    mrz = [f for f in res.candidates.get("mrz", []) if f.source == "mrz"]
    assert mrz and mrz[0].value == "\n".join(sp.mrz_lines)
    tall = np.vstack([np.full((2 * h, w, 3), 255, np.uint8), page])  # the card far below
    region = Region(page=1, index=0, image=tall[: int(0.68 * h)].copy(), to_page=Transform(),
                    words=words)  # fmt: skip
    res = read_region(region, page_image=tall)
    assert not [f for f in res.candidates.get("mrz", []) if f.source == "mrz"]


# a 2024 card front photographed with blur, as Tesseract read it (held-out seed 58): the
# title and every label garbled beyond classification, the values legible
BLURRED_CANCUOC_FRONT = [
    "CỘNG MÓA. SÁ MỘI @M NGHÍA VI T NAM",
    "t0 0° 892412: Ø9 sử va",
    "croSc",
    "014303362153",
    "Đo đủ đồn và Yên ý S9see",
    "ÂU ĐOAN NGÁT",
    "Ngày tưng sôm enh /08eef9e 29/06/2003",
    "Cxh th / âm ự Quốc sch / Việt Nam",
]


def test_card_front_known_by_its_number_and_birth_date_when_its_words_are_garbled() -> None:
    """GIVEN a card front whose title and labels read as garble, with a 12-digit number
    alone on its line whose year digits agree with a birth date on the card THEN it is a
    2024 Căn cước front (low type confidence) and its values are read."""
    [doc] = extract([page_of(words_from_lines(BLURRED_CANCUOC_FRONT))])
    assert doc.document_type == "cancuoc_front"
    assert doc.type_confidence == 0.5
    assert doc.fields["id_number"].value == "014303362153"
    assert doc.fields["date_of_birth"].value == "2003-06-29"
    assert doc.fields["full_name"].value == "ÂU ĐOAN NGÁT"


def test_garbled_text_with_a_number_disagreeing_with_its_date_stays_unknown() -> None:
    """GIVEN the same garbled card text but a number whose year digits (99) disagree with
    the date printed THEN nothing says it is a card: unknown, no fields."""
    lines = [ln.replace("014303362153", "014399362153") for ln in BLURRED_CANCUOC_FRONT]
    [doc] = extract([page_of(words_from_lines(lines))])
    assert doc.document_type == "unknown"
    assert doc.fields == {}


def test_garbled_cccd_front_with_the_number_after_its_label_is_a_cccd_front() -> None:
    """GIVEN garbled labels but the number printed after 'Số / No.' as on the 2021 and
    2016 CCCD THEN it is a CCCD front."""
    lines = [ln.replace("014303362153", "Sé / Mo: 014303362153") for ln in BLURRED_CANCUOC_FRONT]
    [doc] = extract([page_of(words_from_lines(lines))])
    assert doc.document_type == "cccd_front"
    assert doc.fields["id_number"].value == "014303362153"


# a 2021 CCCD front photographed small and blurred, as Tesseract read it (held-out seed
# 61): every label garbled, the expiry under the photo not read at all
BLURRED_CCCD_FRONT = [
    "CỘNG ÓA. XÃ XÔI CMÓ NGA VT NAM",
    "CĂN CƯỚC CỎNG DÂN",
    "Ocge xdeeety Chế",
    "s = 030177700366",
    "“%Ẳ đủ 3s dà lần sớ sese",
    "LẠC GIA LIỄU",
    "Ngynh sszs^ 18/04/1977",
    "thủ t9 an NG Quốc %<* 'sessss Việt Nam",
    "lu nớn / Sero se",
    "Phường Lê Thanh Nghị, Thành phố Hải Dương, Hải Dương",
    "Xa tường te “Sexz/se=> Bon Vĩnh Thuận Tây, Xã Đất Búk So, Huyện Tuy Đức,",
    "Đa Nông",
]


def test_cccd_front_read_by_position_when_its_labels_are_garbled() -> None:
    """GIVEN a CCCD front whose labels all read as garble and whose expiry was lost
    THEN its one date, of 1977, is the birth (no CCCD expires before its issue, from
    2016); the two lists of places after it are the origin and the residence, the
    residence wrapped after a comma and freed of the garbled label before it, its
    misread province the one its district lies in."""
    [doc] = extract([page_of(words_from_lines(BLURRED_CCCD_FRONT))])
    assert doc.document_type == "cccd_front"
    f = doc.fields
    assert f["date_of_birth"].value == "1977-04-18"
    assert f["place_of_origin"].value == "Phường Lê Thanh Nghị, Thành phố Hải Dương, Hải Dương"
    assert f["place_of_residence"].value == (
        "Bon Vĩnh Thuận Tây, Xã Đắk Búk So, Huyện Tuy Đức, Đắk Nông"
    )
    assert "date_of_expiry" not in f


def test_cccd_front_residence_beside_the_expiry_and_a_misread_birth_date() -> None:
    """GIVEN a 2016 CCCD front scanned at 219 dpi as Tesseract read it (held-out seed 63):
    the birth date's digits misread into no date ('48/4/1991'), the place labels
    garbled, and the expiry under the photo read on the row of the residence's last
    line THEN the places are still found after the birth row, the residence keeps its
    last line (after the expiry's date) and its 'Km' (a word a number follows)."""
    lines = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "€ CĂN CƯỚC CÔNG DÂN",
        "55 066191936859",
        "r + Ho và tên",
        ".. VI GIA PHẤN",
        "= Ngày tháng nắm s°Ì 48/4/1991",
        "Osd Anh Mự Quốc $ch Việt Nam",
        "F£§h da",
        "Xã Ea Tu, Thành phố Buôn Ma Thuột, Đắk Lắk",
        "Cô g6 neớn Nơ tương *ư. Km 74, Lương Thế Vinh, Thị trấn Liên Sơn,",
        "18/11/2031 Huyện Lắk, Đắk Lắk",
    ]
    [doc] = extract([page_of(words_from_lines(lines))])
    f = doc.fields
    assert f["place_of_origin"].value == "Xã Ea Tu, Thành phố Buôn Ma Thuột, Đắk Lắk"
    assert f["place_of_residence"].value == (
        "Km 74, Lương Thế Vinh, Thị trấn Liên Sơn, Huyện Lắk, Đắk Lắk"
    )
