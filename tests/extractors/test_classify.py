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


# ------------------------------------------------------------------ cards read with noise

# Card texts as Tesseract gave them on generated glare / phone / display-font cards:
# titles and the small English labels garbled, lines truncated.
NOISY_CARDS = {
    "cancuoc_front": [
        # the title's second word and the English halves garbled, the number intact
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSOCIALTST REPUBLIC OF VI 7 NÂAM\n"
        "Độc lập - Tự do - Han! -\nCĂN CUÙ:\nIDENTITY CARI›\n"
        "Số định danh cá nhân / Personal identiti\n001072995492\n"
        "Họ, chữ đệm và tên/ Full name:\nNGUYÊN BÁ LỰC\n"
        "Ngày, tháng, năm sinh / Date oƒ bth: 08/11/1972\n"
        "Giới tính /S^: Nam Quốc tịch/Nauonai: Việt Nam",
        # a display font: only "CƯỚC", the Vietnamese labels and a number with a digit lost
        "CỘNG HỘ \\ VÌ HỘI CHỦ VGIHĨ \\ VIỆT XÁM\nMTV SE RỊ P BÍ M CO VIEF XÁM\n"
        "Độc lập lựdo Hạnh phúc\n€ÝÝ` CƯỚC\nII VITE1 CƠ RD\nàạ nhận fndl (dnikutewt ni:\n"
        "(0008934605\nHọ, chữ đếm \\ viện, PHẾ nưme:\nLÍ: TIẾN XUYÊN\n"
        "Ngà\\, tháng, năm sinh. hước dý hớth: (Nj (2 1968\n"
        "Giới tính S% Nga Quốc tịch Vưienain: V'i@{ Niìm",
    ],
    "cancuoc_back": [
        # labels half read, the MRZ too noisy to decode
        "NYY—- MO) Nơi crtru Phách ofreidence Ấp 2, Xã Tản Khanh Trung\n"
        ": Nơi đăng ký khai sua Placz oƒ hìth\nTình Thai Nguyên\n"
        "Ngày cấp (hưto/nsuc 19/02/2025\nNgay hết han mo/ztprv 23/05/2028\nROÒ CÔNG AN\n"
        "IDVNMO887ó5217801‹- ó‹5217<<0\n88052354M2805252VNM<<<<<«<<<<<<0\n"
        "PHAN<<THANH<K Y<<«<<<«<«<«<«<«<<",
    ],
    "cccd_back": [
        "Đặc điểm nhân dạng\nVết bớt C:2.35cm dưới trước cảm\nXưày 24 tháng (2 nấm 2019\n"
        "CC IRUỨNG CLCCÂMHISẮT\nĐKỢT CŨ ERU \\ VI Q6 VỀ ĐẦN CỤ",
    ],
    "cmnd": [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nGIẤY CHỨNG MINH NHẨN ĐÂN\nSố 132597353\n"
        "Họ tên PHẠM TUYẾT DUYÊN\nSinh ngày 12-03-1985\nNguyên quán Xã Yên Lạc\n"
        "Nơi ĐKHK thường trú Thôn 3, Xã Yên Lạc",
    ],
}


@pytest.mark.parametrize(
    ("doc_type", "text"), [(t, x) for t, xs in NOISY_CARDS.items() for x in xs]
)
def test_cards_read_with_ocr_noise(doc_type: str, text: str) -> None:
    """GIVEN the OCR text of a card whose title and English labels came out garbled
    THEN weak cues (labels, the shape of its number, MRZ filler lines) still add up
    to the card's type."""
    c = classify(text)
    assert c.document_type == doc_type, c.reason


CERTIFICATE_LABELS_ONLY = {
    # labels a certificate shares with the cards, its title and own labels unread
    "birth": "Họ, chữ đệm và tên: NGUYỄN VĂN AN\nNgày, tháng, năm sinh: 12/03/2019\n"
    "Giới tính: Nam Quốc tịch: Việt Nam\nNơi sinh: Bệnh viện Đa khoa tỉnh\n"
    "Quê quán: Xã Yên Lạc, Huyện Yên Lạc, Tỉnh Vĩnh Phúc\n"
    "Số định danh cá nhân: 026219001234\nNơi cư trú: Thôn 3, Xã Yên Lạc\n"
    "Nơi đăng ký khai sinh: UBND xã Yên Lạc\nNgày, tháng, năm đăng ký: 20/03/2019\n"
    "Họ, chữ đệm và tên người đi đăng ký khai sinh: NGUYỄN VĂN BÌNH\n"
    "Quan hệ với người được khai sinh: Cha\nGiấy tờ tùy thân: CCCD số 026088001234\n"
    "Nơi cấp: Cục Cảnh sát QLHC về TTXH\nNgày cấp: 01/02/2022",
    "ct07": "Họ, chữ đệm và tên: TRẦN THỊ HÀ\nNgày, tháng, năm sinh: 01/01/1990\n"
    "Giới tính: Nữ\nSố định danh cá nhân: 001190012345\nNơi thường trú: Số 5 Lê Lợi\n"
    "Phường Hợp Giang, Thành phố Cao Bằng\nNơi ở hiện nay: Số 5 Lê Lợi\n"
    "Họ, chữ đệm và tên chủ hộ: TRẦN VĂN NAM\nSố định danh cá nhân của chủ hộ: 001060012345\n"
    "Thông tin thành viên hộ gia đình\nNgày cấp: 03/04/2024\nTRƯỞNG CÔNG AN PHƯỜNG",
}


@pytest.mark.parametrize("name", sorted(CERTIFICATE_LABELS_ONLY))
def test_shared_labels_alone_make_no_card(name: str) -> None:
    """GIVEN a certificate page whose title is unread: only Vietnamese labels that the
    cards print too ("Nơi cư trú", "Số định danh cá nhân", "Ngày cấp" ...)
    THEN it is not taken for a card (nothing only a card prints is there)."""
    from extractors.classify import CARD_TYPES

    c = classify(CERTIFICATE_LABELS_ONLY[name])
    assert c.document_type not in CARD_TYPES, c.reason


def test_khai_sinh_of_a_card_back_is_no_birth_certificate() -> None:
    """'Nơi đăng ký khai sinh' on a Căn cước back is near 'GIẤY KHAI SINH' by letters;
    the phrase's first word decides."""
    c = classify(
        "Nơi cư trú / Place of residence: Thôn 2, Xã Đắk La\n"
        "Nơi đăng ký khai sinh / Place of birth: Tỉnh Kon Tum\n"
        "Ngày, tháng, năm cấp / Date of issue: 27/04/2025\nBỘ CÔNG AN"
    )
    assert c.document_type == "cancuoc_back", c.reason
    assert c.scores["birth_certificate"] < 1.0


def _noisy(text: str, rng, rate: float, line_loss: float = 0.0) -> str:  # noqa: ANN001
    """OCR-like noise: lines lost (glare), dropped tone marks, letters swapped for
    look-alikes, letters lost."""
    from extractors.normalize import strip_diacritics

    look = {"o": "0", "l": "1", "i": "í", "n": "u", "c": "e", "h": "b", "m": "rn", "a": "ả"}
    lines = [ln for ln in text.splitlines() if rng.random() >= line_loss] or text.splitlines()
    out = []
    for ch in "\n".join(lines):
        r = rng.random()
        if ch.isalpha() and r < rate / 3:
            out.append(strip_diacritics(ch) if not ch.isupper() else strip_diacritics(ch).upper())
        elif ch.isalpha() and r < rate * 0.7:
            out.append(look.get(ch.lower(), ch))
        elif ch.isalpha() and r < rate:
            continue
        else:
            out.append(ch)
    return "".join(out)


@pytest.mark.parametrize("doc_type", sorted(TEXTS))
def test_each_type_with_random_ocr_noise(doc_type: str) -> None:
    """GIVEN a type's printed text with random OCR-like noise (seeded), 20% of letters hit
    THEN it is classified right in most draws and never as another known type."""
    import random

    rng = random.Random(7)
    right = 0
    for _ in range(30):
        c = classify(_noisy(TEXTS[doc_type], rng, 0.20))
        assert c.document_type in (doc_type, "unknown"), (doc_type, c.reason)
        right += c.document_type == doc_type
    assert right >= 27, right


# every line a card prints (fields of a made-up person)
CARD_PRINTS = {
    "cccd_front": (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SOCIALIST REPUBLIC OF VIET NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Independence - Freedom - Happiness\n"
        "CĂN CƯỚC CÔNG DÂN\n"
        "Citizen Identity Card\n"
        "Số / No.: 001099012345\n"
        "Họ và tên / Full name:\n"
        "NGUYỄN VĂN AN\n"
        "Ngày sinh / Date of birth: 01/01/1999\n"
        "Giới tính / Sex: Nam Quốc tịch / Nationality: Việt Nam\n"
        "Quê quán / Place of origin:\n"
        "Xã Yên Lạc, Huyện Yên Lạc, Vĩnh Phúc\n"
        "Nơi thường trú / Place of residence: Số 12 Lê Lợi\n"
        "Phường Hợp Giang, Thành phố Cao Bằng, Cao Bằng\n"
        "Có giá trị đến: 01/01/2039\n"
        "Date of expiry"
    ),
    "cccd_back": (
        "Đặc điểm nhân dạng / Personal identification:\n"
        "Sẹo chấm C:1cm trên đuôi mắt trái\n"
        "Ngày, tháng, năm / Date, month, year: 11/04/2022\n"
        "CỤC TRƯỞNG CỤC CẢNH SÁT\n"
        "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI\n"
        "DIRECTOR GENERAL OF THE POLICE DEPARTMENT\n"
        "Ngón trỏ trái Ngón trỏ phải\n"
        "Tô Văn Huệ\n"
        "IDVNM0990123458001099012345<<2\n"
        "9901017M3901017VNM<<<<<<<<<<<6\n"
        "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
    ),
    "cancuoc_front": (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "SOCIALIST REPUBLIC OF VIET NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "CĂN CƯỚC\n"
        "IDENTITY CARD\n"
        "Số định danh cá nhân / Personal identification number\n"
        "001099012345\n"
        "Họ, chữ đệm và tên khai sinh / Surname, middle and given name\n"
        "NGUYỄN VĂN AN\n"
        "Ngày, tháng, năm sinh / Date of birth: 01/01/1999\n"
        "Giới tính / Sex: Nam Quốc tịch / Nationality: Việt Nam"
    ),
    "cancuoc_back": (
        "Nơi cư trú / Place of residence: Số 12 Lê Lợi, Phường Hợp Giang\n"
        "Thành phố Cao Bằng, Cao Bằng\n"
        "Nơi đăng ký khai sinh / Place of birth: Cao Bằng\n"
        "Ngày, tháng, năm cấp / Date of issue: 01/07/2024\n"
        "Ngày, tháng, năm hết hạn / Date of expiry: 01/01/2039\n"
        "BỘ CÔNG AN\n"
        "MINISTRY OF PUBLIC SECURITY\n"
        "IDVNM0990123458001099012345<<2\n"
        "9901017M3901017VNM<<<<<<<<<<<6\n"
        "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
    ),
    "cmnd": (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "GIẤY CHỨNG MINH NHÂN DÂN\n"
        "Số 132597353\n"
        "Họ tên NGUYỄN VĂN AN\n"
        "Sinh ngày 01-01-1985\n"
        "Nguyên quán Xã Yên Lạc, Yên Lạc\n"
        "Vĩnh Phúc\n"
        "Nơi ĐKHK thường trú Thôn 3, Xã Yên Lạc\n"
        "Yên Lạc, Vĩnh Phúc"
    ),
}


@pytest.mark.parametrize("doc_type", sorted(CARD_PRINTS))
def test_cards_with_lines_lost(doc_type: str) -> None:
    """GIVEN a card's text with whole lines lost (glare) and 15% of letters hit, seeded
    THEN most draws still give the card's type (the remaining cues add up) and none
    gives another known type."""
    import random

    rng = random.Random(11)
    right = 0
    for _ in range(50):
        c = classify(_noisy(CARD_PRINTS[doc_type], rng, 0.15, line_loss=0.3))
        assert c.document_type in (doc_type, "unknown"), (doc_type, c.reason)
        right += c.document_type == doc_type
    assert right >= 35, right


def test_birth_certificate_with_an_unread_title_by_its_parents_labels() -> None:
    """GIVEN a birth certificate photographed at an angle, its title unreadable
    ("GLVV RKIL VI SIXH"), its parents under "Họ và tên cha / mẹ" (OCR of a generated
    phone photo)
    THEN it is a birth certificate: the parents' labels are printed on no other paper."""
    text = (
        "ỨY BWN NHẬN DẦN CÔNG HỘ \\ VẤ HỘI CHỦ NGHĨ \\ VIỆT XÁM\n"
        "TH TRẨN ĐATĐÌNH Độc lập Tự do Hạnh phúc\n"
        "Số: 387 Quyến số: 0) 2007\n"
        "GLVV RKIL VI SIXH\n"
        "Hộ và tên: NGUYÊN THẰNH TL ẤN\n"
        "Ngất, tưng, năm sinH: ngày 22 tháng 08 năm 2007\n"
        "Giới tính: Nam lân tọc: Kinh Quốc tịch: Việt Nam\n"
        "Nơi sinh: Đại Đình, Tam Đảo, Vĩnh Phúc\n"
        "Quê quản: Sao Đại Việt, Vĩnh Tường, Vĩnh Phúc\n"
        "Họ và tên cha: NGUYỄN HOÀNG TUẤN HẬU\n"
        "Xâm sinh: 1973 Dân tộc: Kinh Quốc tịch: Việt Nam\n"
        "Xưi cư rủ: Thôn 3, Phong Thạnh, Phong Điền, Huế\n"
        "Họ và tên mẹ: NGUYỄN THỊ YẾN\n"
        "Nấm sinh: 1971 Đân tộc: Kinh (Quốc tịch: Việt Nam\n"
        "Xơi đăng kÝ Khái sinh: UBND thị trấn Đại Đình, huyện Tam Đảo\n"
        "Ngà\\, tháng, nấm đăng kx: 21/09/2007\n"
    )
    assert classify(text).document_type == "birth_certificate"


def test_lines_of_specks_do_not_make_a_card_a_page() -> None:
    """GIVEN a card's few lines of text and, under them, lines of one or two specks (a
    photo's texture, a fingerprint's whorls read as text) THEN the text is still of a
    card's size; a page's worth of real lines is not."""
    from extractors.classify import card_sized

    card = ["Họ tên: GIÁP NHÃ DỊU", "Sinh ngày 24-06-1997", "Nguyên quán: Xã Thạnh Hòa Sơn"]
    assert card_sized("\n".join(card + ["“z=", "%", "⁄Ẽ", "Z5", "=2", "mã 1"] * 3))
    assert not card_sized("\n".join(f"Dòng {i} của một trang giấy" for i in range(20)))


def test_a_phrase_found_where_its_alignment_opens_on_a_digit() -> None:
    """GIVEN 'Nguyên quán' read with its first letters lost after a date ('... 1997
    uyên quán ...'), so that the best alignment opens on the date's last digit THEN the
    phrase still counts, its first word being the word after the digit."""
    from extractors.classify import _phrase_score
    from extractors.normalize import fold

    text = fold("Sinh ngày 24-06-1997 uyên quán Xã Thạnh Hòa Sơn, Huyện Cầu Ngang, Trà Vinh")
    assert _phrase_score(fold("Nguyên quán"), text) > 0.5
    assert _phrase_score(fold("Giấy khai sinh"), fold("Nơi đăng ký khai sinh: Hà Nội")) == 0.0


def test_a_chip_card_back_with_garbled_labels_by_its_identifying_mark() -> None:
    """GIVEN the back of a 2021 card scanned small (its labels and issuer garbled, the
    MRZ decoded) WHEN classified THEN the identifying mark's distance and place ("C 3cm
    ... vành tai phải"), which the 2024 card never prints, make it a cccd_back; the
    same zone without the mark stays undecided between the two backs' scores."""
    text = (
        "[4x đem nhàn dụng Pvcrwmal nnufnöaIng\n"
        "Vết hơi C 3cm trưan, vành tại phái\n"
        "Nrn thang nàm (ky man s¿c (0 NI\n"
        "(C{C TRƯƠMCLCCANHSÁT\n"
        "1DVNM1605652041068160565204<<7\n"
        "600822óF<<<<<<<VNM<<<<<<<<<<<¿\n"
        "0N<<TU0N6<DTIEM<<<<<<<<<<<<<<<<"
    )
    c = classify(text, has_mrz=True)
    assert c.document_type == "cccd_back", c.reason
    without = classify(text.replace("Vết hơi C 3cm trưan, vành tại phái\n", ""), has_mrz=True)
    assert without.scores["cccd_back"] == c.scores["cccd_back"] - 1.5
    assert without.scores["cancuoc_back"] == c.scores["cancuoc_back"]
