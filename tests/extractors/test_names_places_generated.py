"""Names and places of people the lexicons were not written for, read with the OCR
confusions Tesseract makes: the normalizers return the true value, or the value as
read and flagged, never a confident wrong one."""

from __future__ import annotations

import socket
import unicodedata

import numpy as np
import pytest

from extractors import gazetteer, vietnamese
from extractors.types import Field
from extractors.validate import REVIEW_CEILING, check_names
from synth import people

TONES = "\u0300\u0301\u0309\u0303\u0323"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a, **_k):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _retone(syllable: str) -> set[str]:
    """The syllable with its tone mark dropped or changed (what OCR does to it)."""
    d = unicodedata.normalize("NFD", syllable)
    at = next((i for i, c in enumerate(d) if c in TONES), None)
    if at is None:
        return set()
    return {_nfc(d[:at] + t + d[at + 1 :]) for t in ["", *TONES]} - {_nfc(syllable)}


RARE = ["Khuê", "Nguyệt", "Quyền", "Ngoạn", "Thoa", "Hường", "Giàu", "Quỳnh", "Ẩn", "Ấn",
        "Ửng", "Uyển", "Nhẫn", "Thẩm", "Xứng", "Lựu"]  # fmt: skip
MINORITY = ["H'HEN NIÊ", "KSOR Y BIH", "Y BHIN NIÊ", "GIÀNG A PÁO", "LƯỜNG VĂN ÚN",
            "QUÀNG THỊ MẾN", "KPĂ Y MLÔ", "RƠ CHÂM H'LUYN"]  # fmt: skip


@pytest.mark.parametrize("name", MINORITY + [f"NGUYỄN THỊ {g.upper()}" for g in RARE])
def test_true_names_are_never_corrected_away(name: str) -> None:
    assert vietnamese.correct_name(name) == name


def test_an_unmarked_surname_that_is_also_a_marked_one_is_kept_and_flagged() -> None:
    """GIVEN 'LY' (a H'Mông surname, or 'LÝ' with its mark lost) THEN neither clearly
    wins: it stays as read, and the name check flags it with the marked surname."""
    got = vietnamese.correct_name("LY SEO CHỨ")
    assert got == "LY SEO CHỨ"
    assert ("LY", ("LÝ",)) in vietnamese.doubtful(got, "LY SEO CHỨ")


def test_misread_names_come_back_right_or_as_read_and_flagged() -> None:
    """GIVEN every given name of the generators (default and held-out) and the rare ones,
    with one tone mark dropped or changed
    THEN the correction gives the true name, or leaves the reading, which the name check
    then flags; a different name is returned only for a reading that lost every mark, or
    one whose hook, acute or tilde over a stacked vowel OCR confuses with a known name's
    (then it is flagged too: the word read is a syllable)."""
    given = {g for lst in (people.GIVEN_MALE, people.GIVEN_FEMALE, people.HOLDOUT_GIVEN_MALE,
                           people.HOLDOUT_GIVEN_FEMALE) for g in lst} | set(RARE)  # fmt: skip
    wrong, unflagged_changes = [], []
    for g in sorted(given):
        truth = _nfc(f"TRẦN VĂN {g.upper()}")
        for v in _retone(g.upper()):
            read = _nfc(f"TRẦN VĂN {v}")
            got = vietnamese.correct_name(read)
            if got in (truth, read):
                continue
            wrong.append((truth, read, got))
            if not vietnamese.doubtful(got, read):
                unflagged_changes.append((truth, read, got))
    assert not unflagged_changes
    # a different name only from a reading with no mark left at all, or a confusable one
    assert all(r.split()[-1] == vietnamese.strip_diacritics(r.split()[-1]).upper()
               or vietnamese.confusable(r.split()[-1], g.split()[-1])
               for _, r, g in wrong), wrong  # fmt: skip


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("LƯỜNG VĂN ÚN", "LƯỜNG VĂN ÚN"),  # a surname in its own right, not LƯƠNG
        ("QUÀNG VĂN ÚN", "QUÀNG VĂN ÚN"),
        ("TRẤN VĂN AN", "TRẦN VĂN AN"),  # a tone read as another: the known surname
        ("DOÀN VĂN AN", "DOÀN VĂN AN"),  # ĐOÀN or DOÃN: no clear winner
        ("NGUYỄN VĂN HUNG", "NGUYỄN VĂN HUNG"),  # HÙNG or HƯNG: every mark lost
        ("NGUYỄN VĂN KHUYÉN", "NGUYỄN VĂN KHUYÉN"),  # KHUYÊN drops the tone read
        ("NGUYỄN VĂN LỪC", "NGUYỄN VĂN LỰC"),  # a stop coda takes sắc or nặng
        ("NGUYỄN THỊ HOÀ", "NGUYỄN THỊ HOÀ"),  # the old tone placement is the same name
        ("Y MLO", "Y MLO"),  # a minority onset, not one edit from LÒ
        ("VỊ TRÚC TUỆ", "VI TRÚC TUỆ"),  # a speck under the I of an unmarked surname
        ("HỒ VĂN VỊ", "HỒ VĂN VỊ"),  # ... but a given name's dot below is kept
        ("LÄ TƯỜNG UYỂN", "LÃ TƯỜNG UYỂN"),  # no diaeresis in Vietnamese: a tilde
        # a hook read as an acute: UYẾN is no name, nor a Sino-Vietnamese reading
        ("CÙ UYẾN ẤU", "CÙ UYỂN ẤU"),
        # ... but THẤM is a reading (沁) of its own, maybe a rarer name: as read
        ("HÀ THỊ THẤM", "HÀ THỊ THẤM"),
    ],
)
def test_name_corrections_need_one_clear_winner(read: str, fixed: str) -> None:
    assert vietnamese.correct_name(read) == fixed


@pytest.mark.parametrize(
    ("value", "raw", "flagged"),
    [
        ("NGUYỄN VĂN ẤN", None, "ẤN"),  # ẨN and ẤN: both names, a hook read as an acute
        ("NGUYỄN VĂN LỰC", None, "LỰC"),  # LỤC
        ("LƯỜNG VĂN ÚN", None, "LƯỜNG"),  # outside the lexicon, one mark from LƯƠNG
        ("NGUYỄN THỊ BĂNG", None, "BĂNG"),
        ("LÝ VĂN AN", "LY VĂN AN", "LÝ"),  # corrected from a syllable: a guess
        ("NGUYỄN VĂN AN", None, None),
        ("TRẦN THỊ THU HÀ", None, None),
        ("NGUYỄN THỊ HOÀ", None, None),
        ("H'HEN NIÊ", None, "NIÊ"),  # malformed for Vietnamese: looked at
    ],
)
def test_doubtful_syllables(value: str, raw: str | None, flagged: str | None) -> None:
    found = [tok for tok, _ in vietnamese.doubtful(value, raw)]
    assert found == ([flagged] if flagged else [])


def test_name_check_flags_ocr_names_only() -> None:
    """GIVEN an OCR name with a syllable OCR confuses and a QR name with the same
    THEN the OCR one goes under the review threshold with a conflict naming the
    syllable; the QR one is trusted."""
    fields = {
        "full_name": Field("full_name", "NGUYỄN VĂN ẤN", 0.97, source="ocr"),
        "father_name": Field("father_name", "NGUYỄN VĂN ẤN", 0.99, source="qr"),
        "mother_name": Field("mother_name", "TRẦN THỊ HOA", 0.95, source="ocr"),
    }
    out, conflicts = check_names(fields)
    assert out["full_name"].confidence <= REVIEW_CEILING
    assert out["father_name"].confidence == 0.99
    assert out["mother_name"].confidence == 0.95
    assert [c.field for c in conflicts] == ["full_name"]
    assert "ẤN (ẨN?)" in conflicts[0].values["doubtful"]


def _drop_tone(word: str) -> str:
    d = unicodedata.normalize("NFD", word)
    return _nfc("".join(c for c in d if c not in TONES))


def test_generated_addresses_stay_or_come_back() -> None:
    """GIVEN generated addresses (default and held-out people, every style) as printed,
    and with a tone mark lost in one unit name
    THEN the printed ones are unchanged; the misread ones come back as printed or stay
    as read, never another place."""
    rng = np.random.default_rng(11)
    wrong = []
    for n in range(60):
        make = people.make_holdout_address if n % 2 else people.make_address
        a = make(rng)
        text = a.format(people.ADDRESS_STYLES[n % len(people.ADDRESS_STYLES)])
        assert gazetteer.correct_place(text) == text
        parts = text.split(", ")
        k = 1 + n % (len(parts) - 1)
        read = ", ".join([*parts[:-k], _drop_tone(parts[-k]), *parts[len(parts) - k + 1 :]])
        got = gazetteer.correct_place(read)
        if got not in (text, read):
            wrong.append((text, read, got))
    assert not wrong


def test_a_misread_ward_type_word_is_not_dropped() -> None:
    """GIVEN 'Xã' read 'Xa' / 'xà' THEN the type word stays, spelt as printed."""
    assert gazetteer.correct_place("Ấp Thượng Sơn, Xa Phước Trạch, Huyện Gò Dầu, Tây Ninh") == (
        "Ấp Thượng Sơn, Xã Phước Trạch, Huyện Gò Dầu, Tây Ninh"
    )
    assert gazetteer.correct_place("Thôn 7, xà Thông Thụ, huyện Quế Phong, tỉnh Nghệ An") == (
        "Thôn 7, xã Thông Thụ, huyện Quế Phong, tỉnh Nghệ An"
    )


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("Xã Trảng Bom, Tỉnh Đồng Nai", "Xã Trảng Bom, Tỉnh Đồng Nai"),  # no district
        ("Số nhà 15/3, xã Trảng Bom, tỉnh Đồng Nai", "Số nhà 15/3, xã Trảng Bom, tỉnh Đồng Nai"),
        ("Tổ dân phố 3, Xã Nông Công, Thanh Hóa", "Tổ dân phố 3, Xã Nông Cống, Thanh Hóa"),
        ("Thôn Đông, Xã Tràng Định, Tỉnh Lảng Sơn", "Thôn Đông, Xã Tràng Định, Tỉnh Lạng Sơn"),
        ("Số 12 Lê Lợi, Phường Cái Khê, Thành phố Cần Thơ",
         "Số 12 Lê Lợi, Phường Cái Khế, Thành phố Cần Thơ"),
        # a merged province is no 2025 province: nothing is matched to a neighbour
        ("Xã Tam Thanh, Quảng Nam", "Xã Tam Thanh, Quảng Nam"),
    ],
)  # fmt: skip
def test_two_level_2025_addresses(read: str, fixed: str) -> None:
    assert gazetteer.correct_place(read) == fixed


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("990/91/29 Y Wang, Phường §, Trà Vinh, Trà Vinh",
         "990/91/29 Y Wang, Phường 5, Trà Vinh, Trà Vinh"),
        ("Số 7 Lê Lợi, Phường §, Quận 3, Thành phố Hồ Chí Minh",
         "Số 7 Lê Lợi, Phường 5, Quận 3, Thành phố Hồ Chí Minh"),
        ("Số l41 Đường Lý Tự Trọng, Phường Nguyễn Cư Trinh, Quận 1, Hồ Chí Minh",
         "Số 141 Đường Lý Tự Trọng, Phường Nguyễn Cư Trinh, Quận 1, Hồ Chí Minh"),
        ("Xóm lO, Yên Nhân, Yên Mô, Ninh Bình", "Xóm 10, Yên Nhân, Yên Mô, Ninh Bình"),
        ("Số 9§4B Quốc lộ lA, Phường Phùng Chí Kiên, Thành phố Bắc Kạn, Bắc Kạn",
         "Số 954B Quốc lộ 1A, Phường Phùng Chí Kiên, Thành phố Bắc Kạn, Bắc Kạn"),
        ("Lộ C35, khu dân cự Cổ Nhuế 2, Bùi Hữu Nghĩa, Bình Thủy, Cần Thơ",
         "Lô C35, khu dân cư Cổ Nhuế 2, Bùi Hữu Nghĩa, Bình Thủy, Cần Thơ"),
        # a birthplace's health facility, a mark misread (held-out seed 106)
        ("Bệnh viện Phụ sẵn tỉnh Hưng Yên, Xã Hồ Tùng Mậu, Huyện Ân Thi, Tỉnh Hưng Yên",
         "Bệnh viện Phụ sản tỉnh Hưng Yên, Xã Hồ Tùng Mậu, Huyện Ân Thi, Tỉnh Hưng Yên"),
        # ... each word in the case read
        ("Bệnh viện San Nhi tỉnh Long An, X. Long Hựu Đông, H. Cần Đước, Long An",
         "Bệnh viện Sản Nhi tỉnh Long An, X. Long Hựu Đông, H. Cần Đước, Long An"),
        ("Trạm Y tê thị trấn Lịch Hội Thượng, Trần Đề, Sóc Trăng",
         "Trạm Y tế thị trấn Lịch Hội Thượng, Trần Đề, Sóc Trăng"),
        # a roman numeral, a road, a street named like an address word: as printed
        ("Ấp I, X. Mỹ An, H. Mang Thít, Vĩnh Long", "Ấp I, X. Mỹ An, H. Mang Thít, Vĩnh Long"),
        ("12-14 Láng Hạ, Đống Đa, Hà Nội", "12-14 Láng Hạ, Đống Đa, Hà Nội"),
        ("Tổ dân phố 3, phường 10, quận Phú Nhuận, thành phố Hồ Chí Minh",
         "Tổ dân phố 3, phường 10, quận Phú Nhuận, thành phố Hồ Chí Minh"),
    ],
)  # fmt: skip
def test_house_numbers_and_street_words(read: str, fixed: str) -> None:
    assert gazetteer.correct_place(read) == fixed


def test_place_check_flags_an_address_whose_units_were_not_found() -> None:
    """GIVEN OCR addresses: printed ones of every style (old three-level, 2025 two-level,
    abbreviations, numbered units) and one whose province was garbled
    THEN only the garbled one goes under the review threshold, with a conflict."""
    from extractors.validate import check_places

    rng = np.random.default_rng(4)
    printed = [people.make_address(rng).format(s) for s in people.ADDRESS_STYLES]
    printed += ["Số nhà 15/3, xã Trảng Bom, tỉnh Đồng Nai", "P. 5, Q. 3, TP. Hồ Chí Minh",
                "Đặc khu Phú Quốc, Tỉnh An Giang", "Tổ 3, Hà Nội"]  # fmt: skip
    garbled = "Xám Giữ, xã Vinh Bình Bắc, huyện Vĩnh Thuận, tính liên Gáang"
    fields = {
        f"k{i}": Field("place_of_residence", v, 0.95, source="ocr")
        for i, v in enumerate([*printed, garbled])
    }
    for key, f in fields.items():
        out, conflicts = check_places({"place_of_residence": f})
        flagged = out["place_of_residence"].confidence <= REVIEW_CEILING
        assert flagged == (f.value == garbled), (key, f.value)
        assert len(conflicts) == int(flagged)


@pytest.mark.parametrize(
    ("read", "fixed"),
    [
        ("Tỉnh Bà Rịa Vũng Tàu 12/06/2025", "Tỉnh Bà Rịa - Vũng Tàu"),  # a date after it
        ("xã Ngọc Sơn, Thành phố Hải Dương, Tỉnh Hải Dương",
         "Xã Ngọc Sơn, Thành phố Hải Dương, Tỉnh Hải Dương"),  # X and x look alike
        ("số 80/29 phố Lê Duẩn, Phường Nguyễn Thị Minh Khai, Thành phố Bắc Kạn, Bắc Kạn",
         "Số 80/29 phố Lê Duẩn, Phường Nguyễn Thị Minh Khai, Thành phố Bắc Kạn, Bắc Kạn"),
        # a paper printing its unit words small keeps them small
        ("xã Ngọc Sơn, huyện Tứ Kỳ, tỉnh Hải Dương", "xã Ngọc Sơn, huyện Tứ Kỳ, tỉnh Hải Dương"),
    ],
)  # fmt: skip
def test_province_alone_and_the_case_of_the_first_letter(read: str, fixed: str) -> None:
    assert gazetteer.correct_place(read) == fixed
