"""Name syllables and the offline gazetteer: corrections only with a clear winner."""

from __future__ import annotations

import socket

import pytest

from extractors import gazetteer, vietnamese


@pytest.mark.parametrize(
    ("word", "ok"),
    [("Nguyễn", True), ("Quỳnh", True), ("khắc", True), ("Ngĩa", False), ("Hươngs", False),
     ("cát", True), ("càt", False), ("ghe", True), ("gha", False)],
)  # fmt: skip
def test_syllable_grammar(word: str, ok: bool) -> None:
    assert vietnamese.is_syllable(word) is ok


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("TRẤN NGUYỆT NGỌC", "TRẦN NGUYỆT NGỌC"),  # surname: one known surname with those letters
        ("NGUYÊN QUỐC MINH", "NGUYỄN QUỐC MINH"),
        ("PHAN NGUYTET HIẾU", "PHAN NGUYỆT HIẾU"),  # malformed syllable one edit from a name
        ("LÊ THI HÒA", "LÊ THI HÒA"),  # THI is a name and a syllable: no clear winner
        ("Nguyễn Văn Hưởng", "Nguyễn Văn Hưởng"),  # well-formed, rarer name: kept
        ("MÙA A IỬ", "MÙA A LỬ"),  # no syllable opens with I and a vowel: an L misread
        ("LÒ VĂN IN", "LÒ VĂN IN"),  # IN is a syllable: as read
        ("KHUẤT KHẢ WGẠN", "KHUẤT KHẢ NGẠN"),  # no W in Vietnamese: an N before G misread
    ],
)
def test_name_correction_only_with_a_clear_winner(read: str, fixed: str) -> None:
    assert vietnamese.correct_name(read) == fixed


def test_mrz_ascii_syllables() -> None:
    assert vietnamese.is_ascii_syllable("NGUYEN")
    assert not vietnamese.is_ascii_syllable("LEX")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_certain_conversion_offline(no_network: None) -> None:
    conv = gazetteer.convert_2025("Số 12 Lê Lợi, Phường Hợp Giang, Thành phố Cao Bằng, Cao Bằng")
    assert conv is not None and conv.certain
    assert conv.address == "Số 12 Lê Lợi, Phường Thục Phán, Tỉnh Cao Bằng"


def test_split_ward_gives_candidates_not_a_guess(no_network: None) -> None:
    """GIVEN a street address in a ward split in 2025 THEN candidates, never the geocoder."""
    conv = gazetteer.convert_2025("Ấp 3, Xã Tân Thạnh, Huyện Thới Lai, Cần Thơ")
    assert conv is not None and not conv.certain and conv.address is None
    assert len(conv.candidates) >= 2
    assert all(c.endswith("Thành phố Cần Thơ") for c in conv.candidates)


def test_package_geocoder_is_disabled() -> None:
    gazetteer._package()
    from vietnamadminunits.converter import converter_2025

    with pytest.raises(gazetteer.NetworkRefused):
        converter_2025.get_geo_location("anything")


def test_unknown_or_new_addresses_are_not_converted(no_network: None) -> None:
    assert gazetteer.convert_2025("Phường Thục Phán, Tỉnh Cao Bằng") is None
    assert gazetteer.convert_2025("không rõ") is None


def test_place_correction_against_the_gazetteer(no_network: None) -> None:
    fixed = gazetteer.correct_place("Thôn 5, Xã Đắk N'Drót, Huyện Đắk MiI, Tỉnh Đắk Nông")
    assert fixed == "Thôn 5, Xã Đắk N'Drót, Huyện Đắk Mil, Tỉnh Đắk Nông"
    assert gazetteer.correct_place("Phường Cái Khê, Quận Ninh Kiêu, Cân Thơ") == (
        "Phường Cái Khế, Quận Ninh Kiều, Cần Thơ"
    )
    # nothing clearly wins: left as read
    assert gazetteer.correct_place("Xóm Trại, Nơi Nào Đó") == "Xóm Trại, Nơi Nào Đó"
    # a short name one letter off scores under the fuzzy cut: the one option an edit away
    assert gazetteer.correct_place("Yên Thịnh, Yêu Mô, Ninh Bình") == "Yên Thịnh, Yên Mô, Ninh Bình"
    # a heading in capitals read on after the province (the signer's title below)
    assert (
        gazetteer.correct_place(
            "xã Tân Xuân, huyện Hàm Tân, tỉnh Bình Thuận GIÁM ĐỐC CA TỈNH SƠN LA"
        )
        == "xã Tân Xuân, huyện Hàm Tân, tỉnh Bình Thuận"
    )
    # the issue and expiry line read on after a province whose type word was misread
    assert (
        gazetteer.correct_place(
            "Phường Quang Trung, Thành phố Phủ Lý, Tính Hà Nam / 0s» efss 09/02/2025 / Date si"
        )
        == "Phường Quang Trung, Thành phố Phủ Lý, Tỉnh Hà Nam"
    )
    # a hamlet's type word with its mark misread
    assert gazetteer.correct_place("Xỏm Đình, Xã Đại Đồng Thành, Thị xã Thuận Thành, Bắc Ninh") == (
        "Xóm Đình, Xã Đại Đồng Thành, Thị xã Thuận Thành, Bắc Ninh"
    )
    # a province misread as near two ("Đa Nông": Đắk Nông, Đà Nẵng) is the one its
    # district lies in; with no district to tell, it is left as read
    assert gazetteer.correct_place("Xã Đất Búk So, Huyện Tuy Đức, Đa Nông") == (
        "Xã Đắk Búk So, Huyện Tuy Đức, Đắk Nông"
    )
    assert gazetteer.correct_place("Phường 1, Quận Hải Châu, Đa Nông") == (
        "Phường 1, Quận Hải Châu, Đà Nẵng"
    )
    assert gazetteer.correct_place("Thôn 3, Đa Nông") == "Thôn 3, Đa Nông"


def test_misread_unit_type_words_are_spelt_out(no_network: None) -> None:
    """GIVEN addresses whose type words OCR misread (a tone mark, one letter, the case)
    THEN the type word is spelt as printed in full, only where the name after it is a
    unit of the gazetteer; names that begin like a type word are not cut."""
    fix = gazetteer.correct_place
    assert fix("Xã Hữu Sản, Huyện Bắc Quang, Tình Hà Giang") == (
        "Xã Hữu Sản, Huyện Bắc Quang, Tỉnh Hà Giang"
    )
    assert fix("Tình Thai Nguyên") == "Tỉnh Thái Nguyên"
    assert fix("Thôn 16, Xã Kon Đào, Huyện Đắk Tô, 1ình Kon Tum") == (
        "Thôn 16, Xã Kon Đào, Huyện Đắk Tô, Tỉnh Kon Tum"
    )
    assert fix("XÃ Bình Tâm, Thành phố Tân An, Long An") == (
        "Xã Bình Tâm, Thành phố Tân An, Long An"
    )
    # upper-case addresses keep upper-case type words; abbreviations stay
    upper = "XÃ HỮU SẢN, HUYỆN BẮC QUANG, TỈNH HÀ GIANG"
    assert fix(upper) == upper
    assert fix("Phường 1, Quận 3, TP. Hồ Chí Minh") == "Phường 1, Quận 3, TP. Hồ Chí Minh"
    # "Quảng Nam" is a province, not "Quận" + "Nam"
    assert fix("Xã Tam Thanh, Quảng Nam") == "Xã Tam Thanh, Quảng Nam"
    # a misread type word before a name the gazetteer does not know stays as read
    assert fix("Xóm Trại, Tình Nơi Nào Đó") == "Xóm Trại, Tình Nơi Nào Đó"
    # a CMND prints its type words in lower case: read right, they stay lower case
    lower = "xã Long An, huyện Châu Thành, tỉnh Tiền Giang"
    assert fix(lower) == lower
    assert fix("phường 1, quận 11, thành phố Hồ Chí Minh") == (
        "phường 1, quận 11, thành phố Hồ Chí Minh"
    )


def test_noise_around_an_address_is_cut_but_house_numbers_stay() -> None:
    """GIVEN addresses read with a garbled English label before them and stamp or
    signature noise after the province
    THEN the noise goes; street numbers and words before the first unit stay."""
    from extractors.fields import convert
    from extractors.gazetteer import correct_place

    assert convert("address", "Đœxe g ước Phường Long Bình, Thủ Đức") == "Phường Long Bình, Thủ Đức"
    assert convert("address", "¬Xã Bình Tâm, Tân An") == "Xã Bình Tâm, Tân An"
    assert convert("address", "12A Lê Lợi Phường 2") == "12A Lê Lợi Phường 2"
    assert convert("address", "Số 12 Lê Lợi, Phường 1") == "Số 12 Lê Lợi, Phường 1"
    assert (
        correct_place("Phường Long Bình, Thành phố Thủ Đức, Thành phố Hồ Chí Minh cấp/ 0ơte ý sse")
        == "Phường Long Bình, Thành phố Thủ Đức, Thành phố Hồ Chí Minh"
    )
    assert correct_place("Thôn 2, Xã Sa Pa, Lào Cai") == "Thôn 2, Xã Sa Pa, Lào Cai"


def test_an_address_opening_with_a_street_or_a_unit_abbreviation_is_kept_whole() -> None:
    """GIVEN card addresses whose first words are a house number on a street with a
    foreign-looking name, or a ward abbreviation whose dot OCR lost, before a name that
    also reads as a unit word ('Trị Phương', 'Long Thành')
    THEN nothing is cut as a garbled label; a real garbled label still is."""
    from extractors.fields import convert

    for text in (
        "990/91/29 Y Wang, Phường §, Trà Vinh, Trà Vinh",
        "P. Long Thành Trung, TX. Hòa Thành, Tây Ninh",
    ):
        assert convert("address", text) == text
    # the abbreviation's lost dot is put back as printed
    assert (
        convert("address", "X Trị Phương, H Tiên Du, Bắc Ninh")
        == "X. Trị Phương, H. Tiên Du, Bắc Ninh"
    )
    assert convert("address", "Ấp 3, X Bình Tân") == "Ấp 3, X. Bình Tân"
    assert convert("address", "Đœxe g ước Phường Long Bình") == "Phường Long Bình"


def test_a_small_letter_inside_a_place_name_is_an_ocr_slip() -> None:
    """GIVEN a place name where OCR read a letter twice ('Hà à Nội') or the capital I of
    a Central Highlands 'Ia' as l ('Ấp la Me') THEN it is written as printed; a small
    word outside a name is kept."""
    from extractors.fields import convert

    assert convert("address", "Thành phố Hà à Nội") == "Thành phố Hà Nội"
    assert convert("address", "Ấp la Me, Xã Đồng Sơn, Huyện Gò Công Tây, Tiền Giang") == (
        "Ấp Ia Me, Xã Đồng Sơn, Huyện Gò Công Tây, Tiền Giang"
    )
    for text in ("Xã Ia Grai, Huyện Ia Grai, Gia Lai", "số 5 la Hoàng", "Thôn A, Xã B"):
        assert convert("address", text) == text


def test_nationality_after_a_garbled_english_label() -> None:
    from extractors.fields import convert

    assert convert("nationality", "Madonalr Việt N am") == "Việt Nam"


def test_noise_before_an_upper_case_unit_word_is_cut() -> None:
    from extractors.fields import convert

    assert convert("address", "ác o/stx XÃ Bình Tâm, Tân An") == "XÃ Bình Tâm, Tân An"


def test_registering_authority_head_misread_is_spelt_as_printed() -> None:
    """GIVEN a registering authority whose fixed words were misread ('ỦY bạn': the case
    of one letter, a tone mark), or read right in either spelling
    THEN the misread head is spelt 'Ủy ban nhân dân' in the case of the rest; correct
    readings and other heads ('UBND') stay as read."""
    from extractors.pipeline import _authority_head

    assert _authority_head("ỦY bạn nhân dân xã Đan Hội, huyện Lục Nam") == (
        "Ủy ban nhân dân xã Đan Hội, huyện Lục Nam"
    )
    assert _authority_head("UỶ BẠN NHÂN DÂN XÃ AN BÌNH") == "ỦY BAN NHÂN DÂN XÃ AN BÌNH"
    assert _authority_head("Uỷ ban nhân dân xã An Bình") == "Uỷ ban nhân dân xã An Bình"
    assert _authority_head("UBND xã An Bình") == "UBND xã An Bình"


def test_minority_names_keep_their_apostrophe_and_hmong_surnames() -> None:
    """GIVEN an Ê Đê name with its apostrophe (read straight or as a right quote) and a
    Hmong surname printed 'Ly' THEN both stay as printed: the apostrophe is no
    punctuation to strip, and 'Ly' is a surname of its own, not 'Lý' with a mark lost."""
    from extractors.fields import _cut_name, convert
    from extractors.vietnamese import correct_name

    assert convert("name", "H'HEN KSƠR") == "H'HEN KSƠR"
    assert convert("name", "H’HEN NIÊ") == "H'HEN NIÊ"
    assert _cut_name("H'HEN KSƠR 06/12/1994") == "H'HEN KSƠR"
    assert convert("name", "'NGUYỄN VĂN AN'") == "NGUYỄN VĂN AN"  # quotes around: dropped
    assert correct_name("LY MÍ SÍNH") == "LY MÍ SÍNH"
    assert correct_name("VANG A PAO") == "VÀNG A PAO"  # unmarked: the one surname it can be


def test_name_syllables_glued_or_split_by_ocr() -> None:
    """GIVEN a name whose spaces OCR lost ('BẾKIMLINH', 'NGUYỄN VĂNAN') THEN it is cut
    where exactly one cut gives known name syllables (the first a surname); GIVEN a lone
    consonant ('Ô N NHƯ ẤM', held-out seed 106) THEN it joins the word before it when
    that makes a syllable. Minority names, syllables or not, stay as read."""
    from extractors.vietnamese import correct_name

    assert correct_name("BẾKIMLINH") == "BẾ KIM LINH"
    assert correct_name("NGUYỄN VĂNAN") == "NGUYỄN VĂN AN"
    assert correct_name("Trần Thị Ngọcanh") == "Trần Thị Ngọc Anh"
    assert correct_name("Ô N NHƯ ẤM") == "ÔN NHƯ ẤM"
    for kept in ("Y BHIN AYUN", "H'HEN KSƠR", "Y N AYUN", "LÝ A SÌNH", "THANHAN"):
        assert correct_name(kept) == kept


def test_a_vowelless_token_before_a_name_is_a_label_s_remains() -> None:
    """'HS MẠC VĨNH NGÂN' (held-out seed 42): no syllable lacks a vowel; minority names
    keep their short words ('Y KÔ KSƠR')."""
    from extractors.fields import convert

    assert convert("name", "HS MẠC VĨNH NGÂN") == "MẠC VĨNH NGÂN"
    assert convert("name", "Y KÔ KSƠR") == "Y KÔ KSƠR"
    # ... whose prefix Y read as V (no Vietnamese word is V) is Y again
    assert convert("name", "V NGÔNG AYUN") == "Y NGÔNG AYUN"
    assert convert("name", "V AYUN") == "Y AYUN"
    # a speck after a name is no word of it; a one-letter name word is ('Nguyễn Thị Y')
    assert convert("name", "ÔN THIỆN XỨNG Ị") == "ÔN THIỆN XỨNG"
    assert convert("name", "NGUYỄN THỊ Y") == "NGUYỄN THỊ Y"


def test_a_unit_abbreviation_whose_dot_was_read_as_a_comma() -> None:
    """GIVEN 'TT, Nông trường ...' or '..., H, Quỳnh Lưu' (the abbreviation's dot read
    as a comma) THEN it is written as printed; a small word after it is left alone."""
    from extractors.fields import convert

    assert convert("address", "TT, Nông trường Trần Phú, H. Văn Chấn, Yên Bái") == (
        "TT. Nông trường Trần Phú, H. Văn Chấn, Yên Bái"
    )
    assert convert("address", "Thôn Phong Thạnh Tây, X. An Hòa, H, Quỳnh Lưu, Nghệ An") == (
        "Thôn Phong Thạnh Tây, X. An Hòa, H. Quỳnh Lưu, Nghệ An"
    )
    assert convert("address", "Số 5, P, phố Huế") == "Số 5, P, phố Huế"


def test_dots_and_specks_between_an_address_s_units() -> None:
    """A team number's dot before a unit's abbreviation is the comma printed; a small
    letter after a unit's type word is a speck; in an authority a unit's comma read as a
    dot before the next type word is a comma (held-out seeds 39-41)."""
    from extractors.fields import convert

    assert convert("address", "Đội 3. X. Mà Cooih, H. Đông Giang, Quảng Nam") == (
        "Đội 3, X. Mà Cooih, H. Đông Giang, Quảng Nam"
    )
    assert convert("address", "phường Hòa Khánh Nam, quận n Liên Chiểu, thành phố Đà Nẵng") == (
        "phường Hòa Khánh Nam, quận Liên Chiểu, thành phố Đà Nẵng"
    )
    assert convert("text", "UBND phường Điện Nam Bắc, thị xã Điện Bàn. tỉnh Quảng Nam") == (
        "UBND phường Điện Nam Bắc, thị xã Điện Bàn, tỉnh Quảng Nam"
    )
    assert convert("text", "UBND TP. Huế") == "UBND TP. Huế"


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("Xã Tân Hải, Huyện Phú Tân, Tình Cà Mau", "Xã Tân Hải, Huyện Phú Tân, Tỉnh Cà Mau"),
        ("X. Phước Quamg, H. Tuy Phước, Bình Định", "X. Phước Quang, H. Tuy Phước, Bình Định"),
        (
            "Trạm Y tế xã Trường Long Tây, huyện Châu Thành A, tỉnh Hậu Giamg",
            "Trạm Y tế xã Trường Long Tây, huyện Châu Thành A, tỉnh Hậu Giang",
        ),
        ("Bệnh viện Đa khoa tỉnh Nam Định", "Bệnh viện Đa khoa tỉnh Nam Định"),
        # the facility's province with its type word's mark misread
        ("Bệnh viện Sản Nhi tính Hòa Bình", "Bệnh viện Sản Nhi tỉnh Hòa Bình"),
        (
            "Bệnh viện Phụ sản tính Quảng Trị, Xã Vĩnh Hòa, Huyện Vĩnh Linh, Quảng Trị",
            "Bệnh viện Phụ sản tỉnh Quảng Trị, Xã Vĩnh Hòa, Huyện Vĩnh Linh, Quảng Trị",
        ),
        (
            "Trạm Y tế phường Trần Hưng Đạo, Thành phố Thái Bình, Thái Bình",
            "Trạm Y tế phường Trần Hưng Đạo, Thành phố Thái Bình, Thái Bình",
        ),
    ],
)
def test_a_birthplace_s_units_are_corrected_after_the_facility(
    no_network: None, read: str, fixed: str
) -> None:
    from extractors.pipeline import _correct
    from extractors.types import Field

    f = Field(key="place_of_birth", value=read, confidence=0.9, source="ocr", page=1,
              bbox=(0, 0, 1, 1))  # fmt: skip
    out, _ = _correct({"place_of_birth": f}, "birth_certificate")
    assert out["place_of_birth"].value == fixed
    assert out["place_of_birth"].raw == (read if fixed != read else None)


@pytest.mark.parametrize(
    ("read", "addresses", "fixed"),
    [
        # several units: corrected like an address (a tone mark, a lost hyphen)
        ("Ủy ban nhân dân xã Ma Đa Guôi, huyện Đạ Huoại, tỉnh Lâm Đồng", [],
         "Ủy ban nhân dân xã Ma Đa Guôi, huyện Đạ Huoai, tỉnh Lâm Đồng"),
        ("UBND xã Phước Long Thọ, huyện Long Đất, tỉnh Bà Rịa Vũng Tàu", [],
         "UBND xã Phước Long Thọ, huyện Long Đất, tỉnh Bà Rịa - Vũng Tàu"),
        # one unit: spelt as the paper's own (corrected) residence spells it
        ("CÔNG AN XÃ NGHỊ CÔNG BẮC", ["Xóm 3, xã Nghi Công Bắc, huyện Nghi Lộc, tỉnh Nghệ An"],
         "CÔNG AN XÃ NGHI CÔNG BẮC"),
        # ... also where the residence abbreviates the unit's word (held-out seed 59)
        ("CÔNG AN XÃ BẰNG A DRÊNH", ["Xóm Bãi, X. Băng A Drênh, H. Krông A Na, Đắk Lắk"],
         "CÔNG AN XÃ BĂNG A DRÊNH"),
        # ... and left as read when no address names it
        ("CÔNG AN XÃ NGHỊ CÔNG BẮC", ["Xóm 3, xã Nghi Thái, huyện Nghi Lộc, tỉnh Nghệ An"],
         "CÔNG AN XÃ NGHỊ CÔNG BẮC"),
        ("BỘ CÔNG AN", ["Xóm 3, xã Nghi Thái, huyện Nghi Lộc, tỉnh Nghệ An"], "BỘ CÔNG AN"),
    ],
)  # fmt: skip
def test_authority_place_names(read: str, addresses: list[str], fixed: str) -> None:
    from extractors.pipeline import _authority_places

    assert _authority_places(read, addresses) == fixed


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("xã Bình Xuân, thành phố 0ò Công", "xã Bình Xuân, thành phố Gò Công"),
        ("xã Trường Xuân B, huyện Thới Lai", "xã Trường Xuân B, huyện Thới Lai"),
        ("xã Đắk Gần, huyện Đắk Mỹ", "xã Đắk Gần, huyện Đắk Mỹ"),  # no clear winner
    ],
)
def test_ward_and_district_without_a_province(read: str, fixed: str) -> None:
    assert gazetteer.correct_ward_district(read) == fixed


def test_a_house_number_with_a_six_read_as_o_acute() -> None:
    fixed = gazetteer.correct_place("Số 9ó2A Đại lộ Bình Dương, Phường Bắc Lệnh, Lào Cai, Lào Cai")
    assert fixed.startswith("Số 962A Đại lộ Bình Dương")


def test_a_province_whose_last_word_was_lost(no_network: None) -> None:
    """'..., Tỉnh Nghệ': the last word at the line's end lost; the type word and the
    first word of one province only complete it. Without a type word (as a card prints
    it), the district's province completes it when the reading opens its name. The
    first word of several ('Hà') with no district to tell, or a province the district
    is not in, leave it as read."""
    assert gazetteer.correct_place("Xã Đức Thành, Huyện Yên Thành, Tỉnh Nghệ") == (
        "Xã Đức Thành, Huyện Yên Thành, Tỉnh Nghệ An"
    )
    assert gazetteer.correct_place("Đội 13, xã Phù Lưu, huyện Hàm Yên, tỉnh Tuyên") == (
        "Đội 13, xã Phù Lưu, huyện Hàm Yên, tỉnh Tuyên Quang"
    )
    assert gazetteer.correct_place("Xã A, Huyện B, Tỉnh Hà") == "Xã A, Huyện B, Tỉnh Hà"
    assert gazetteer.correct_place("Xã Đức Thành, Huyện Yên Thành, Nghệ") == (
        "Xã Đức Thành, Huyện Yên Thành, Nghệ An"
    )
    assert gazetteer.correct_place("Xã Tân Long, Huyện Thanh Bình, Đồng") == (
        "Xã Tân Long, Huyện Thanh Bình, Đồng Tháp"
    )
    assert gazetteer.correct_place("Xã A, Huyện B, Nghệ") == "Xã A, Huyện B, Nghệ"
    assert gazetteer.correct_place("Xã Tân Long, Huyện Thanh Bình, Đồng Nai") == (
        "Xã Tân Long, Huyện Thanh Bình, Đồng Nai"
    )


def test_a_minority_names_apostrophe_lost(no_network: None) -> None:
    """'Ea Hleo' is Ea H'leo; 'Đắk Lấp' (R' lost) is Đắk R'Lấp, the close district."""
    assert gazetteer.correct_place(
        "Buôn Thạnh Hòa Sơn, xã Cư A Mung, huyện Ea Hleo, tỉnh Đắk Lắk"
    ) == ("Buôn Thạnh Hòa Sơn, xã Cư A Mung, huyện Ea H'leo, tỉnh Đắk Lắk")
    assert gazetteer.correct_place("Xã Hưng Bình, Huyện Đắk Lấp, Đắk Nông") == (
        "Xã Hưng Bình, Huyện Đắk R'Lấp, Đắk Nông"
    )


def test_a_province_named_by_its_district_when_its_name_was_lost(no_network: None) -> None:
    """'..., Huyện Bắc Bình, Tỉnh': only Bình Thuận has a district Bắc Bình; a district
    name many provinces share (Châu Thành) leaves the province unnamed."""
    assert gazetteer.correct_place("XÃ Phạn Rí Thành, Huyện Bắc Bình, Tỉnh") == (
        "Xã Phan Rí Thành, Huyện Bắc Bình, Tỉnh Bình Thuận"
    )
    assert gazetteer.correct_place("Xã A, Huyện Châu Thành, Tỉnh") == "Xã A, Huyện Châu Thành, Tỉnh"


def test_a_scrap_in_small_letters_before_a_unit_in_capitals() -> None:
    from extractors import fields as fl

    assert fl.convert("address", "bướt XÃ Phạn Rí Thành, Huyện Bắc Bình") == (
        "XÃ Phạn Rí Thành, Huyện Bắc Bình"
    )


def test_a_garbled_label_before_places_without_unit_words() -> None:
    """The label's garble before a list of places with no type words is cut after the
    last token no address holds (symbols, a lone small letter, a long non-syllable);
    minority place names that are no Vietnamese syllables (Plei, H'leo) stay."""
    from extractors import fields as fl

    assert fl.convert("address", "Fax đ œ |-gu Xuân Thọ 2, Sông Cầu, Phú Yên") == (
        "Xuân Thọ 2, Sông Cầu, Phú Yên"
    )
    assert fl.convert("address", "ĐỀ XI xadingkykhasnhneeegmeh Nghỉ Long, Nghi Lộc, Nghệ An") == (
        "Nghỉ Long, Nghi Lộc, Nghệ An"
    )
    for kept in ("Plei Kần, Ngọc Hồi, Kon Tum", "Buôn Ea H'leo, xã Cư A Mung, Đắk Lắk"):
        assert fl.convert("address", kept) == kept


def test_a_place_name_syllable_that_spells_a_unit_word_is_no_address_start() -> None:
    """GIVEN a ward whose name holds 'So' or 'Thanh' (Đắk Búk So, Hoài Thanh Tây: held-out
    seeds 102-103) THEN the words before are not cut as a label's garble: 'Số', 'Thành',
    'Thị' open an address only before a number, 'phố', 'xã' / 'trấn'. A garble's small-
    letter word before the capitalized place goes with the garble."""
    from extractors import fields as fl

    for kept in ("Đắk Búk So, Tuy Đức, Đắk Nông", "Hoài Thanh Tây, Hoài Nhơn, Bình Định"):
        assert fl.convert("address", kept) == kept
    assert fl.convert("address", "Ø#oce ong Hoài Thanh Tây, Hoài Nhơn, Bình Định") == (
        "Hoài Thanh Tây, Hoài Nhơn, Bình Định"
    )
    assert fl.convert("address", "Plaee ofx Số 12 Lê Lợi, Phường 2, Quận 3") == (
        "Số 12 Lê Lợi, Phường 2, Quận 3"
    )
    assert fl.convert("address", "rẻsdc Thanh phố Vinh, Nghệ An") == "Thanh phố Vinh, Nghệ An"


def test_a_unit_type_word_read_with_another_tone_mark(no_network: None) -> None:
    """'tính Hòa Bình': the type word before an official province (district) name is
    'tỉnh' ('huyện'), in the case read; 'Tính' before a name of no unit stays."""
    assert gazetteer.correct_place("Bệnh viện Sản Nhi tính Hòa Bình") == (
        "Bệnh viện Sản Nhi tỉnh Hòa Bình"
    )
    assert gazetteer.correct_place("Trạm y tế xã Hòa Sơn, huyền Lương Sơn, Tính Hòa Bình") == (
        "Trạm y tế xã Hòa Sơn, huyện Lương Sơn, Tỉnh Hòa Bình"
    )
    assert gazetteer.correct_place("Số 5 đường Tính Toán") == "Số 5 đường Tính Toán"


def test_a_garbled_label_before_a_place_of_units_only(no_network: None) -> None:
    """GIVEN a card's place of birth registration read with its English label garbled
    before the ward ('Phạce ofbrf tì Mộ Xuyên, Mỹ Xuyên, Sóc Trăng') THEN the ward part
    starts at the last words naming a ward of that district (one edit allowed); a ward
    with its type word, a hamlet before it, a district not found, or a part that is a
    ward's name whole leave it as read."""
    assert gazetteer.units_only("Phạce ofbrf tì Mộ Xuyên, Mỹ Xuyên, Sóc Trăng") == (
        "Mộ Xuyên, Mỹ Xuyên, Sóc Trăng"
    )
    assert gazetteer.units_only("7 Pha c# hơn Cao Mã Pờ, Quản Bạ, Hà Giang") == (
        "Cao Mã Pờ, Quản Bạ, Hà Giang"
    )
    assert gazetteer.units_only("ofbrf Xã Cao Mã Pờ, Huyện Quản Bạ, Hà Giang") == (
        "Xã Cao Mã Pờ, Huyện Quản Bạ, Hà Giang"
    )
    for kept in (
        "Xã Tân Long, Huyện Thanh Bình, Đồng Tháp",
        "Thôn 3 Cao Mã Pờ, Quản Bạ, Hà Giang",
        "7 Pha c# hơn Cao Mã Pờ, Quận Một, Hà Giang",
        "Cao Mã Pờ, Quản Bạ, Hà Giang",
        # a ward whose last word names another ward of the district (Xã Thanh)
        "Tân Thành, Hướng Ilóa, Quảng Trị",
    ):
        assert gazetteer.units_only(kept) == kept


def test_comma_lost_before_a_province_without_its_type_word(no_network: None) -> None:
    """GIVEN 'Huyện Chợ Mới Bắc Kạn' (held-out seed 104: the comma before the province
    lost) THEN the comma is put back, since Chợ Mới is a district of Bắc Kạn; a ward
    named like a province ('Xã Hòa Bình') or a district of another province stays."""
    assert gazetteer.correct_place("Xã Cao Kỳ, Huyện Chợ Mới Bắc Kạn") == (
        "Xã Cao Kỳ, Huyện Chợ Mới, Bắc Kạn"
    )
    for kept in ("Thôn 3, Xã Hòa Bình", "Thôn Đông, Xã Yên Lạc Vĩnh Phúc"):
        assert gazetteer.correct_place(kept) == kept
    assert "Chợ Mới Hà Giang" in gazetteer.correct_place("Xã Cao Kỳ, Huyện Chợ Mới Hà Giang")


def test_a_space_lost_between_the_syllables_of_a_unit_name(no_network: None) -> None:
    """'Đăk KơNing' (held-out seed 101): the ward whose name has the same letters once
    its spaces are dropped, when only one has."""
    assert gazetteer.correct_place("Đăk KơNing, Kông Chro, Gia Lai") == (
        "Đăk Kơ Ning, Kông Chro, Gia Lai"
    )
    assert gazetteer.correct_place("Xã Đăk Kơ Ning, Huyện KôngChro, Gia Lai") == (
        "Xã Đăk Kơ Ning, Huyện Kông Chro, Gia Lai"
    )


def test_province_cut_short_with_its_type_word_misread(no_network: None) -> None:
    """'Thị xã Thuận Thành, Tính Bắc' (held-out seeds 102-103: the type word misread,
    the name's last word lost at the row's end): the province of the district, when the
    words read open its name."""
    assert (
        gazetteer.correct_place("Phường An Bình, Thị xã Thuận Thành, Tính Bắc")
        == "Phường An Bình, Thị xã Thuận Thành, Tỉnh Bắc Ninh"
    )
    assert gazetteer.correct_place("Xã Khánh Mậu, Huyện Yên Khánh, Tính Ninh") == (
        "Xã Khánh Mậu, Huyện Yên Khánh, Tỉnh Ninh Bình"
    )


def test_a_label_scrap_that_folds_like_a_hamlet_word_is_cut(no_network: None) -> None:
    """'bướn Xuân Lộc, Sông Cầu, Phú Yên' (held-out seed 102): 'bướn' folds like 'Buôn'
    but is neither capitalized nor marked as it: a scrap before the ward."""
    assert gazetteer.units_only("bướn Xuân Lộc, Sông Cầu, Phú Yên") == (
        "Xuân Lộc, Sông Cầu, Phú Yên"
    )
    for kept in ("Buôn Xuân Lộc, Sông Cầu, Phú Yên", "thôn Xuân Lộc, Sông Cầu, Phú Yên"):
        assert gazetteer.units_only(kept) == kept


def test_a_province_ending_a_one_part_place(no_network: None) -> None:
    """'Bệnh viện Phụ sản tỉnh Điện Biện' (held-out seed 107): the province after its
    type word at the end of a place with no commas, with the same letters marks aside."""
    assert gazetteer.correct_place("Bệnh viện Phụ sản tỉnh Điện Biện") == (
        "Bệnh viện Phụ sản tỉnh Điện Biên"
    )
    kept = "Bệnh viện Đa khoa thành phố Hà Nội"
    assert gazetteer.correct_place(kept) == kept


def test_a_garbled_label_cut_once_the_cut_short_province_is_found() -> None:
    """GIVEN a card front's place of origin read 'Paeeolong và Pá Ma Phả Khinh, Quỳnh
    Nhai, Sơn' (held-out seed 107: the English label garbled, the province's last word
    lost at the row's end) THEN the province of the district (named without its type
    word) completes it, and the ward part is then cut to the ward's name."""
    from extract_kit import page_of, words_from_lines

    from extractors import extract

    lines = [
        "CĂN CƯỚC CÔNG DÂN",
        "Citizen Identity Card",
        "Số / No.: 001090012345",
        "Họ và tên / Full name:",
        "NGUYỄN VĂN AN",
        "Ngày sinh / Date of birth: 01/02/1990",
        "Giới tính / Sex: Nữ Quốc tịch / Nationality: Việt Nam",
        "Quê quán / Place of origin:",
        "Paeeolong và Pá Ma Phả Khinh, Quỳnh Nhai, Sơn",
        "Nơi thường trú / Place of residence:",
        "Xóm Mới, Tân Long, Yên Sơn, Tuyên Quang",
    ]
    [doc] = extract([page_of(words_from_lines(lines))])
    assert doc.fields["place_of_origin"].value == "Pá Ma Pha Khinh, Quỳnh Nhai, Sơn La"


def test_a_date_read_on_an_address_row_and_a_glued_province_before_noise(
    no_network: None,
) -> None:
    """GIVEN a Căn cước back's place read with the issue date of the row below on its row
    and the province's syllables glued ('..., Kông Chro, GiaLAi IeuC 17/02/2025 / Duy':
    held-out seed 102) THEN the address ends before the date, the noise after the province
    goes, and the province is spelt as printed; a house number with slashes stays."""
    from extractors import fields as fl

    read = fl.convert("address", "Đák Tơ Pang, Kông Chro, GiaLAi IeuC 17/02/2025 / Duy øý")
    assert gazetteer.correct_place(gazetteer.units_only(read)) == (
        "Đăk Tơ Pang, Kông Chro, Gia Lai"
    )
    read = fl.convert("address", "Xã Trần Hưng Đạo, Huyện Lý Nhân, Tỉnh 08/10/2024 / Date")
    assert gazetteer.correct_place(read) == "Xã Trần Hưng Đạo, Huyện Lý Nhân, Tỉnh Hà Nam"
    kept = "Số 12/3/2004 Lê Lợi, Phường 2, Quận 3"
    assert fl.convert("address", kept) == kept


def test_a_small_la_after_a_unit_word_is_ia() -> None:
    """'xã la Đai' (held-out seed 101): the Central Highlands' 'Ia' with its capital read
    as l, after a unit's type word too."""
    from extractors import fields as fl

    assert fl.convert("text", "Ủy ban nhân dân xã la Đal, huyện Ia H'Drai, tỉnh Kon Tum") == (
        "Ủy ban nhân dân xã Ia Đal, huyện Ia H'Drai, tỉnh Kon Tum"
    )


def test_a_symbol_after_a_name_makes_no_street_word_of_it(no_network: None) -> None:
    """'Tỉnh Hải Dương ‹ ofssue 0508/2024' (held-out seed 105: the issue date's row read
    on the place's): 'Dương ‹' folds as 'đường' does, but two words are no one-word
    term; the place is read, not changed to 'Hải Đường' (nor does it crash)."""
    assert gazetteer.fix_street_terms("Tỉnh Hải Dương ‹ ofssue") == "Tỉnh Hải Dương ‹ ofssue"
    assert gazetteer.correct_place("Tỉnh Hải Dương ‹ ofssue 0508/2024 Date") == "Tỉnh Hải Dương"
