"""Field rules from held-out failures of seeds 115-118: a CMND's two sides side by side,
an expiry cut short, a minority-language village, labels and values misread."""

from __future__ import annotations

from extract_kit import page_of, words_from_lines

from extractors import fields as fl
from extractors.labels import find_hits, rows_of
from extractors.pipeline import extract
from extractors.types import Field


def _fields(lines: list) -> dict[str, str]:
    (doc,) = extract([page_of(words_from_lines(lines))])
    return {k: f.value for k, f in doc.fields.items()}


def test_cmnd_sides_side_by_side_name_and_birth_by_position() -> None:
    """GIVEN a phone photo of a CMND's front and back laid side by side (seed 117), read
    as one region whose rows run across both sides, the name's label garbled ('lọ và
    lêt') and the back's issue date on the name's row THEN the name is the capitals of
    the row's first part, and the back's date in words is not taken for the birth row."""
    got = _fields(
        [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|||ĐẦU VẾT RIÊNG VÀ DỊ HÌNH",
            "GIẤY CHỨNG MINH NHÂN DÂN|||Nốt ruồi C:1cm trước vành tai phải",
            "Số 215787185",
            "lọ và lêt VĂN TRÚC ĐƯỢM|||Ngày 07 tháng 04 năm 2015",
            "Sệnh ngày 12/03/1989|||GIÁM ĐỐC CA TỈNH ĐỒNG NAI",
        ]
    )
    assert got["full_name"] == "VĂN TRÚC ĐƯỢM"
    assert got["date_of_birth"] == "1989-03-12"
    assert got["date_of_issue"] == "2015-04-07"


def test_cmnd_birth_by_position_after_a_number_with_a_digit_misread() -> None:
    """GIVEN a CMND photo (seed 115) whose number reads '(92409296' (a digit misread, no
    9-digit run) and whose labels 'Họ tên' and 'Sinh ngày' read 'lis#s' and 'Seh ngy'
    THEN the number's row still anchors the front: the name is the next row's capitals,
    the birth date the first date of the row after it. A date further down is not."""
    got = _fields(
        [
            "GIẤY CHỨNG MINH NHÂN DÂN",
            "số (92409296",
            "lis#s TIÊU XUÂN THỊ DỊU",
            "Seh ngy 23-02-1971",
        ]
    )
    assert got["full_name"] == "TIÊU XUÂN THỊ DỊU"
    assert got["date_of_birth"] == "1971-02-23"
    far = _fields(
        [
            "GIẤY CHỨNG MINH NHÂN DÂN",
            "số (92409296",
            "lis#s TIÊU XUÂN THỊ DỊU",
            "Xqz wvk",
            "Kqz pmh",
            "Rtz plm",
            "abc 23-02-1971",
        ]
    )
    assert "date_of_birth" not in far


def test_expiry_whose_year_the_next_column_cut_short_is_completed_by_the_age_rule() -> None:
    """A CCCD front (seed 115) born 20/08/1978, issued 03/04/2021 (its QR), whose expiry
    reads '20/08/20' before the next column's label: the age rule's 20/08/2038 begins
    so, under review confidence. A cut date on the birth row, or one the rule's date does
    not begin with, is none."""
    from extractors.pipeline import EXPIRY_BY_RULE, _expiry_with_a_digit_unread

    cands = {
        "date_of_birth": [Field("date_of_birth", "1978-08-20", 0.99, "qr", 1)],
        "date_of_issue": [Field("date_of_issue", "2021-04-03", 0.99, "qr", 1)],
    }

    def expiry(line: str):  # noqa: ANN202
        return _expiry_with_a_digit_unread(rows_of(words_from_lines([line])), "cccd_front", cands)

    r = expiry("Có ga mì đân 20/08/20 thường trU/ Pheee of rewdenee")
    assert (r.value, r.raw, r.confidence) == ("2038-08-20", "20/08/20", EXPIRY_BY_RULE)
    assert expiry("Ngày sinh / Date of birth 20/08/20") is None
    assert expiry("Có giá trị đến 20/08/21 thường trú") is None


def test_a_village_in_a_minority_language_is_no_garbled_label() -> None:
    """'Plei Trung Mỹ Tây, X. Băng A Drênh, ...' (seed 118): 'Plei' is no Vietnamese
    syllable, but the capitalized words ending with the part's comma are the address's
    first part; a garbled label before a unit still goes."""
    assert fl.convert("address", "Plei Trung Mỹ Tây, X. Băng A Drênh, H. Krông A Na, Đắk Lắk") == (
        "Plei Trung Mỹ Tây, X. Băng A Drênh, H. Krông A Na, Đắk Lắk"
    )
    assert fl.convert("address", "Đœxe g ước Phường Long Bình, TP. Biên Hòa, Đồng Nai") == (
        "Phường Long Bình, TP. Biên Hòa, Đồng Nai"
    )


def test_numbering_word_misread_before_its_number() -> None:
    """'Tế 10, X. Lam Sơn, ...' (seed 116): an address's first word one letter from one
    numbering word, before a number, is that word; a word near several, or not before a
    number, stays."""
    assert fl.convert("address", "Tế 10, X. Lam Sơn, H. Thanh Miện, Hải Dương") == (
        "Tổ 10, X. Lam Sơn, H. Thanh Miện, Hải Dương"
    )
    assert fl.convert("address", "Xám 3, X. An Bình").startswith("Xóm 3,")
    assert fl.convert("address", "Tế Lợi, X. An Bình").startswith("Tế Lợi,")
    assert fl.convert("address", "Tổ 10, X. Lam Sơn").startswith("Tổ 10,")


def test_a_marked_vowel_read_in_capitals_inside_a_word() -> None:
    """'tỉnh BẮc Ninh' (seed 116): a marked small vowel is as tall as a capital; between
    a capital and small letters it is small. Words in capitals stay."""
    assert fl.convert("address", "Bệnh viện Đa khoa tỉnh BẮc Ninh") == (
        "Bệnh viện Đa khoa tỉnh Bắc Ninh"
    )
    assert fl.convert("text", "CÔNG AN TỈNH ĐẮK LẮK") == "CÔNG AN TỈNH ĐẮK LẮK"


def test_land_use_term_and_purpose_with_a_letter_lost_or_a_speck() -> None:
    """'Lu dài' is 'Lâu dài' (one letter from the one term without a date); 'Đất ở tại
    nòng thôn se)' is the category with a speck read after it."""
    assert fl.convert("term", "Lu dài") == "Lâu dài"
    assert fl.convert("term", "Đến ngày 10/06/2066") == "Đến ngày 10/06/2066"
    assert fl.convert("purpose", "Đất ở tại nòng thôn se)") == "Đất ở tại nông thôn"
    assert fl.convert("purpose", "Đất ở tại nông thôn (ONT)") == "Đất ở tại nông thôn (ONT)"


def test_mother_label_with_its_dot_below_misread_and_a_bar_for_an_i() -> None:
    """'Họ và tên mạ:' is the mother's label, not the child's 'Họ và tên'; 'Quốc t|ch'
    is the nationality's label, so the ethnicity before it ends there (seed 116)."""

    def keys(line: str) -> list[str]:
        return [h.key for h in find_hits(rows_of(words_from_lines([line])), fl.LABELS)]

    assert keys("Họ và tên mạ: MẠC TƯỜNG XUYẾN") == ["mother"]
    assert keys("Họ và tên: MA VĂN AN") == ["full_name"]
    assert keys("Giới tính: Nữ Dân tộc: Kinh Quốc t|ch: Việt Nam") == [
        "sex",
        "ethnicity",
        "nationality",
    ]


def test_name_label_garbled_past_its_first_word() -> None:
    """A marriage certificate photo (seed 118): 'Họ và Kế NGUYÊN PHÚC ĐẮC MÃN' under the
    husband's header and 'Họ, chữ đệm. tt TIỂU UYẾN SEN' under the wife's: 'Họ' in small
    letters, a few words, then capitals are the section's name label and value. A
    surname 'HỒ' opening a row in capitals, or small words only, are none."""
    got = _fields(
        [
            "GIẤY CHỨNG NHẬN KẾT HÔN",
            "Thông tin về chồng",
            "Họ và Kế NGUYÊN PHÚC ĐẮC MẪN",
            "Ngày, tháng, năm sinh: 04/01/1969",
            "THÔNG TIN VỀ VỢ",
            "Họ, chữ đệm. tt TIÊU UYỂN SEN",
            "Ngày, tháng, năm sinh: 11/06/1975",
        ]
    )
    assert got["husband_name"] == "NGUYỄN PHÚC ĐẮC MẪN"
    assert got["wife_name"] == "TIÊU UYỂN SEN"
    assert got["husband_date_of_birth"] == "1969-01-04"

    def keys(line: str) -> list[str]:
        return [h.key for h in find_hits(rows_of(words_from_lines([line])), fl.LABELS)]

    assert keys("HỒ VĂN AN NGUYỄN") == []
    assert keys("Họ và Kế nguyên phúc") == []


def test_a_hook_over_a_surnames_stacked_vowel_is_a_speck() -> None:
    """'TIỂU KIM NGOẠN' (seeds 115, 118, 119: TIÊU each time): no surname is TIỂU, and
    the one known surname of its letters has no tone mark, so the hook is a speck, as a
    dot below an unmarked surname is. A surname in its own right (LƯỜNG, QUÀNG, KHỔNG)
    and a given name's hook stay."""
    from extractors.vietnamese import correct_name

    assert correct_name("TIỂU KIM NGOẠN") == "TIÊU KIM NGOẠN"
    for name in ("LƯỜNG VĂN ÚN", "QUÀNG VĂN ÚN", "KHỔNG MINH", "HỒ VĂN THỂ", "TIÊU UYỂN SEN"):
        assert correct_name(name) == name


def test_a_province_read_short_after_a_district_its_type_word_tells_apart() -> None:
    """'..., Huyện Phước Long, Bạc Lo' (seed 119): Phước Long is a district of Bạc Liêu
    (huyện) and of Bình Phước (thị xã); its type word names the province, whose name the
    reading opens with its first word and the last word's first letter. Letters that
    do not open it stay as read."""
    from extractors.gazetteer import _province_of_district, correct_place

    assert _province_of_district("Huyện Phước Long") == "Bạc Liêu"
    assert _province_of_district("Thị xã Phước Long") == "Bình Phước"
    assert _province_of_district("Phước Long") is None
    assert correct_place("Xã Vĩnh Phú Tây, Huyện Phước Long, Bạc Lo") == (
        "Xã Vĩnh Phú Tây, Huyện Phước Long, Bạc Liêu"
    )
    assert correct_place("Xã An, Huyện Phước Long, Bạc Xyz").endswith("Bạc Xyz")


def test_the_hyphen_of_a_place_name_is_no_junk() -> None:
    """'Công an tỉnh Bà Rịa - Vũng Tàu' lost ' - Vũng Tàu' (a lone dash was junk and a
    one-line value stopped there); the hyphen the one such province prints is put back
    where OCR lost it or read a long dash (seed 120). A dash before junk still ends it."""
    assert fl.convert("text", "Công an tỉnh Bà Rịa - Vũng Tàu") == "Công an tỉnh Bà Rịa - Vũng Tàu"
    assert fl.convert("text", "Công an tỉnh Bà Rịa—Vũng Tàu") == "Công an tỉnh Bà Rịa - Vũng Tàu"
    assert fl.convert("text", "UBND phường Đô Vinh, thành phố Phan Rang - Tháp Chàm").endswith(
        "Phan Rang - Tháp Chàm"
    )
    assert fl.convert("address", "Bệnh viện Sản Nhi tỉnh Bà Rịa Vũng Tàu") == (
        "Bệnh viện Sản Nhi tỉnh Bà Rịa - Vũng Tàu"
    )
    assert fl.convert("text", "UBND xã An Bình - ~ ¬") == "UBND xã An Bình"


def test_specks_before_a_wrapped_province_and_a_numbering_words_marks() -> None:
    """'..., Huyện Trà Cú, HỤ Tỉnh Trà Vinh' (seed 121): a speck or two before a province
    with its type word go; 'Tỉnh lộ 8' is a road, not a province. 'Tố 12, ...' (seed
    120): a numbering word's marks misread before its number are its own."""
    from extractors.gazetteer import correct_place

    assert correct_place("Xã An Quảng Hữu, Huyện Trà Cú, HỤ Tỉnh Trà Vinh") == (
        "Xã An Quảng Hữu, Huyện Trà Cú, Tỉnh Trà Vinh"
    )
    assert correct_place("Số 5, Tỉnh lộ 8, Trà Vinh") == "Số 5, Tỉnh lộ 8, Trà Vinh"
    assert fl.convert("address", "Tố 12, Xã Suối Tọ, Huyện Phù Yên, Tỉnh Sơn La").startswith(
        "Tổ 12,"
    )
    assert fl.convert("address", "Tố Hữu, X. An").startswith("Tố Hữu,")


def test_an_authoritys_unit_word_and_abbreviation_misread() -> None:
    """A People's Committee names its unit's type word after 'UBND' as a police office
    does after 'Công an': 'vã', 'xà' are 'xã' (seed 119); 'LBNHD' two letters from
    'UBND' before a unit word is 'UBND'."""
    assert fl.convert("text", "UBND vã Phăng Sô Lin, huyện Sìn Hồ, tỉnh Lai Châu") == (
        "UBND xã Phăng Sô Lin, huyện Sìn Hồ, tỉnh Lai Châu"
    )
    assert fl.convert("text", "LBNHD xà Hương Nộn, huyện Tam Nông") == (
        "UBND xã Hương Nộn, huyện Tam Nông"
    )
    assert fl.convert("text", "CÔNG AN NÃ HÒA BÌNH") == "CÔNG AN XÃ HÒA BÌNH"
    assert fl.convert("text", "LBNHD và khác").startswith("LBNHD")


def test_a_term_opening_misread_and_a_comma_read_as_a_dot_after_a_number() -> None:
    """'Điếến ngày 28/06/2074' is 'Đến ngày ...'; 'Ấp Tam Thôn Hiệp 2. Quảng Mình, ...'
    has its comma back, so the ward is corrected against the gazetteer (seeds 119-120)."""
    from extractors.gazetteer import correct_place

    assert fl.convert("term", "Điếến ngày 28/06/2074") == "Đến ngày 28/06/2074"
    assert fl.convert("term", "Từ ngày 28/06/2074") == "Từ ngày 28/06/2074"
    value = fl.convert("address", "Ấp Tam Thôn Hiệp 2. Quảng Mình, Hải Hà, Quảng Ninh")
    assert correct_place(value) == "Ấp Tam Thôn Hiệp 2, Quảng Minh, Hải Hà, Quảng Ninh"


def test_a_card_backs_zone_combined_with_the_page_ocrs_reading_of_it() -> None:
    """A 2021 card back on a flatbed scan at low resolution (seed 122): the zone's own
    reading gets line 1 and the name right but not line 2 ('070945F39070918VNM...'); the
    page OCR (Vietnamese model) reads line 2 nearly right, a 6 as 'ó', a speck '#'
    inside, a 3 as 5 and its composite lost ('7#907094F590709óVNM<<<<<<<<<<<á¿'). Line
    by line the two make the zone whose check digits hold: the expiry's own check digit
    fixes its 5, the composite is rebuilt. Text alone, too garbled, makes nothing."""
    from extractors import mrz

    page_text = [
        "Xauễe Huàng Quý",
        "IDVNM179761ó40905351797ó1ó40<<1",
        "7#907094F590709óVNM<<<<<<<<<<<á¿",
        "TONG<<THTI<0N<<<<<<<<<<<<<<<<<<",
    ]
    own = mrz.read_lines(
        [
            "IDVNM1797616409033179761640<<1",
            "070945F39070918VNM<<<<<<<<<<<4",
            "TONG<<THI<ON<<<<<<<<<<<<<<<<<<",
        ]
    )
    assert own is not None and not own.valid
    m = mrz.with_text(mrz.MrzReading(own, (0, 0, 10, 10)), page_text)
    assert m is not None and m.valid and m.repaired
    assert m.lines == (
        "IDVNM1797616409033179761640<<1",
        "7907094F3907096VNM<<<<<<<<<<<4",
        "TONG<<THI<ON<<<<<<<<<<<<<<<<<<",
    )
    assert mrz.with_text(None, page_text) is None


def test_a_fronts_unread_expiry_comes_from_its_backs_zone() -> None:
    """A 2021 card's front and back on one scan (seed 122), the front's small expiry
    unread: the back, paired by the same 12-digit number, holds it in its zone (check
    digits held), so the front takes it with the zone's source and box. The back's zone
    here is only the page OCR's text of it: valid as read, it is used."""
    front = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "CĂN CƯỚC CÔNG DÂN",
        "Citizen Identity Card",
        "Số / No.: 033179761640",
        "Họ và tên / Full name: TÒNG THỊ ƠN",
        "Ngày sinh / Date of birth: 09/07/1979",
        "Giới tính / Sex: Nữ Quốc tịch / Nationality: Việt Nam",
    ]
    back = [
        "Đặc điểm nhân dạng / Personal identification",
        "Nốt ruồi son C:0,5cm sau đuôi mắt trái",
        "Ngày, tháng, năm / Date, month, year: 26/02/2023",
        "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI",
        "IDVNM1797616409033179761640<<1",
        "7907094F3907096VNM<<<<<<<<<<<4",
        "TONG<<THI<ON<<<<<<<<<<<<<<<<<<",
    ]
    docs = extract([page_of(words_from_lines(front), number=1),
                    page_of(words_from_lines(back), number=2)])  # fmt: skip
    assert [d.document_type for d in docs] == ["cccd_front", "cccd_back"]
    assert docs[0].extras["pair"]["by"] == "id_number"
    f = docs[0].fields["date_of_expiry"]
    assert (f.value, f.source, f.page) == ("2039-07-09", "mrz", 2)


def test_the_inner_syllables_of_compound_surnames_are_name_syllables() -> None:
    """'TÔN NỮ NHÃ THỎA' (seed 115): a second reading 'TÔN MỸ NHÃ THÔA' must not win its
    second word because 'MỸ' is a known name syllable and 'NỮ' was not; Nữ, Thất and
    Tằng (Tôn Nữ, Tôn Thất, Công Tằng Tôn Nữ) are."""
    from extractors import reread
    from extractors.vietnamese import known

    assert all(known(s) for s in ("NỮ", "THẤT", "TẰNG"))
    v = reread.combine("name", "TÔN NỮ NHÃ THỎA", "TÔN MỸ NHÃ THÔA")
    assert v.value in (None, "TÔN NỮ NHÃ THỎA")


def test_a_cccd_issuer_whose_second_line_is_garbled_by_the_cards_generation() -> None:
    """'CỤC TRƯỞNG CỤC CÁNH SÁT' read, 'Giản Hư cam t nụ T H ội' under it (seed 124): the
    two titles share the first line; the 2021 chip card shows its zone, the 2016 card
    its issue date in words. Under review confidence; with neither sign, nothing."""
    from extractors.cardtext import issuer_by_generation

    def issuer(lines: list[str]):  # noqa: ANN202
        return issuer_by_generation(rows_of(words_from_lines(lines)))

    chip = issuer(["CỤC TRƯỞNG CỤC CÁNH SÁT", "Giản Hư cam t nụ T H ội",
                   "IDVNM2001326967048200132696<<7"])  # fmt: skip
    assert chip.value == fl.ISSUERS[0] and chip.confidence < 0.5
    old = issuer(["Ngày 12 tháng 05 năm 2018", "CỤC TRƯỞNG CỤC CÁNH SÁT", "ĐKQL xx yy"])
    assert old.value == fl.ISSUERS[1]
    assert issuer(["CỤC TRƯỞNG CỤC CÁNH SÁT", "Giản Hư cam t nụ T H ội"]) is None


def test_a_description_ends_at_the_2021_date_label_and_its_size_in_cm() -> None:
    """A 2021 back's description read on into its date row, the label garbled ('Noày,
    Đáng nêm / Dete, mon ven 13/11/2022', seed 124), ends before it; a size read
    '1,2cma', 'C 2m' or 'C:0,8m' is in centimetres."""
    assert (
        fl.convert(
            "pi",
            "Nốt ruồi C 1,2cma trên trước đầu mày trái Noày, Đáng nêm Dete, mon ven 13/11/2022",
        )
        == "Nốt ruồi C:1,2cm trên trước đầu mày trái"
    )
    assert (
        fl.convert("pi", "Sẹo C:0,8m dưới sau dái tai trái") == "Sẹo C:0,8cm dưới sau dái tai trái"
    )
    assert fl.convert("pi", "Nốt ruồi C 2m dưới sau dái tai trái").startswith("Nốt ruồi C:2cm ")
    # the label found by whichever of its words was read ("'Mạly, tông. năm", seed 123)
    assert fl.convert(
        "pi", "Seo chăm C-0/8cm sau đua mất trái 'Mạly, tông. năm ( Dưa, nành vác 12/06/2022"
    ).startswith("Sẹo chấm C:0,8cm sau đua mất trái")
    assert fl.convert("pi", "Sẹo chấm C:3cm trên trán phải") == "Sẹo chấm C:3cm trên trán phải"
