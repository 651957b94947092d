"""Vietnamese administrative prose, composed from vocabulary with a seeded generator.

The sentences read like the body of decisions, notices and confirmations issued by
a commune or provincial office: who decides, on what legal basis, about whom, with
dates, numbers and places. They are not real documents; they give the OCR corpus
realistic words, diacritics, digits and punctuation. Same seed, same text.
"""

from __future__ import annotations

import numpy as np

PROVINCES = (
    "Hà Nội", "Hải Phòng", "Đà Nẵng", "Thành phố Hồ Chí Minh", "Cần Thơ", "Cao Bằng",
    "Lạng Sơn", "Quảng Ninh", "Bắc Ninh", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình",
    "Thừa Thiên Huế", "Quảng Nam", "Quảng Ngãi", "Bình Định", "Khánh Hòa", "Đắk Lắk",
    "Lâm Đồng", "Đồng Nai", "Bình Dương", "Long An", "Tiền Giang", "Vĩnh Long",
    "Đồng Tháp", "An Giang", "Kiên Giang", "Sóc Trăng", "Cà Mau", "Thái Nguyên", "Phú Thọ",
)  # fmt: skip
WARD_NAMES = (
    "Hợp Giang", "Tân Định", "Bến Nghé", "Phúc Xá", "Trúc Bạch", "Quán Thánh", "Hàng Bồ",
    "Cửa Đông", "Lê Lợi", "Quang Trung", "Trần Phú", "Hòa Khánh", "Thạch Thang", "Vĩnh Ninh",
    "Phước Hòa", "Xuân Hà", "Đông Sơn", "Tân Lập", "An Phú", "Mỹ Đình", "Yên Hòa", "Nghĩa Đô",
)  # fmt: skip
STREETS = (
    "Lê Lợi", "Trần Hưng Đạo", "Nguyễn Huệ", "Hai Bà Trưng", "Lý Thường Kiệt", "Điện Biên Phủ",
    "Hoàng Văn Thụ", "Nguyễn Trãi", "Phan Đình Phùng", "Võ Thị Sáu", "Bà Triệu", "Quang Trung",
)  # fmt: skip
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")  # fmt: skip
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Xuân", "Thu")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Hương",
         "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm",
         "Thảo", "Thủy", "Trang", "Tuấn", "Việt", "Yến", "Đạt", "Ánh", "Lộc")  # fmt: skip
AUTHORITIES = (
    "Ủy ban nhân dân {ward_kind} {ward}",
    "Ủy ban nhân dân tỉnh {province}",
    "Sở Tư pháp tỉnh {province}",
    "Công an {ward_kind} {ward}",
    "Phòng Tài nguyên và Môi trường",
    "Sở Tài nguyên và Môi trường tỉnh {province}",
    "Bộ phận tiếp nhận và trả kết quả",
    "Văn phòng đăng ký đất đai",
)
WARD_KINDS = ("phường", "xã", "thị trấn")
LEGAL_BASIS = (
    "Luật Hộ tịch ngày 20 tháng 11 năm 2014",
    "Luật Cư trú số 68/2020/QH14",
    "Luật Căn cước số 26/2023/QH15",
    "Luật Đất đai số 31/2024/QH15",
    "Nghị định số 123/2015/NĐ-CP của Chính phủ",
    "Nghị định số 62/2021/NĐ-CP quy định chi tiết một số điều của Luật Cư trú",
    "Thông tư số 04/2020/TT-BTP của Bộ trưởng Bộ Tư pháp",
    "Quyết định số {num}/QĐ-UBND ngày {date} của Ủy ban nhân dân tỉnh {province}",
    "Nghị định số 61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa liên thông",
)
PROCEDURES = (
    "đăng ký khai sinh", "đăng ký kết hôn", "xác nhận thông tin về cư trú",
    "cấp bản sao trích lục hộ tịch", "chứng thực bản sao từ bản chính",
    "đăng ký thường trú", "đăng ký tạm trú", "cấp đổi giấy chứng nhận quyền sử dụng đất",
    "đăng ký biến động đất đai", "cấp thẻ Căn cước", "xác nhận tình trạng hôn nhân",
    "đăng ký khai tử", "thay đổi, cải chính hộ tịch",
)  # fmt: skip
DOCUMENTS = (
    "tờ khai theo mẫu", "bản sao giấy khai sinh", "giấy chứng nhận kết hôn",
    "thẻ Căn cước công dân", "giấy xác nhận thông tin về cư trú", "sổ hộ khẩu",
    "giấy chứng nhận quyền sử dụng đất", "văn bản ủy quyền có chứng thực",
    "giấy chứng sinh do cơ sở y tế cấp", "trích lục bản đồ địa chính", "đơn đề nghị",
)  # fmt: skip
VERBS_DECIDE = ("Xét đề nghị của", "Căn cứ hồ sơ do", "Theo báo cáo của", "Trên cơ sở ý kiến của")
OFFICERS = ("công chức tư pháp - hộ tịch", "Trưởng phòng Tư pháp", "cán bộ địa chính",
            "Trưởng Công an xã", "Chủ tịch Ủy ban nhân dân", "người có yêu cầu")  # fmt: skip
DEADLINES = ("trong thời hạn {n} ngày làm việc", "chậm nhất {n} ngày kể từ ngày nhận đủ hồ sơ",
             "trước ngày {date}", "ngay trong ngày tiếp nhận")  # fmt: skip

TEMPLATES = (
    "Căn cứ {basis};",
    "{decide} {officer} về việc {procedure} của ông {person}, sinh ngày {date}, "
    "thường trú tại {address}.",
    "Hồ sơ gồm: {doc}, {doc2} và {doc3}; số lượng {n} bộ.",
    "{Authority} tiếp nhận hồ sơ {procedure} của bà {person} vào lúc {hour} giờ {minute} phút "
    "ngày {date}, mã hồ sơ {code}.",
    "Kết quả giải quyết được trả {deadline} tại {authority}.",
    "Điều {n}. Công nhận bà {person} là người sử dụng thửa đất số {parcel}, tờ bản đồ số {sheet}, "
    "diện tích {area} m2, mục đích sử dụng: đất ở tại đô thị.",
    "Trường hợp hồ sơ chưa đầy đủ, {authority} hướng dẫn người nộp bổ sung {deadline}.",
    "Lệ phí {procedure} là {fee}.000 đồng, được nộp trực tiếp hoặc qua Cổng dịch vụ công quốc gia.",
    "Ông {person} có trách nhiệm xuất trình {doc} khi đến nhận kết quả.",
    "Giấy này có giá trị {months} tháng kể từ ngày ký; thông tin được đối chiếu với Cơ sở dữ liệu "
    "quốc gia về dân cư.",
    "Chánh Văn phòng, Thủ trưởng các cơ quan có liên quan và ông {person} chịu trách nhiệm thi "
    "hành Quyết định này.",
    "Nơi đăng ký khai sinh: {authority}; quốc tịch: Việt Nam; dân tộc: Kinh.",
    "Số định danh cá nhân {pid}, cấp ngày {date}, nơi cấp: Cục Cảnh sát quản lý hành chính về "
    "trật tự xã hội.",
    "Thời gian tiếp nhận từ thứ Hai đến thứ Sáu (sáng từ 7 giờ 30 đến 11 giờ 30, chiều từ 13 giờ "
    "30 đến 17 giờ).",
)


def _pick(rng: np.random.Generator, seq: tuple[str, ...]) -> str:
    return seq[int(rng.integers(len(seq)))]


def _int(rng: np.random.Generator, lo: int, hi: int) -> int:
    return int(rng.integers(lo, hi))


def _date(rng: np.random.Generator) -> str:
    return f"{_int(rng, 1, 29):02d}/{_int(rng, 1, 13):02d}/{_int(rng, 1950, 2025)}"


def _person(rng: np.random.Generator) -> str:
    return f"{_pick(rng, SURNAMES)} {_pick(rng, MIDDLE)} {_pick(rng, GIVEN)}"


def _place(rng: np.random.Generator) -> dict[str, str]:
    return {
        "ward_kind": _pick(rng, WARD_KINDS),
        "ward": _pick(rng, WARD_NAMES),
        "province": _pick(rng, PROVINCES),
    }


def _address(rng: np.random.Generator) -> str:
    p = _place(rng)
    return (
        f"số {int(rng.integers(1, 300))} đường {_pick(rng, STREETS)}, "
        f"{p['ward_kind']} {p['ward']}, tỉnh {p['province']}"
    )


def _authority(rng: np.random.Generator) -> str:
    p = _place(rng)
    return _pick(rng, AUTHORITIES).format(**p)


def sentence(rng: np.random.Generator) -> str:
    """One sentence of administrative prose."""
    tpl = _pick(rng, TEMPLATES)
    p = _place(rng)
    authority = _authority(rng)
    values = {
        "basis": _pick(rng, LEGAL_BASIS).format(
            num=int(rng.integers(100, 4000)), date=_date(rng), **p
        ),
        "decide": _pick(rng, VERBS_DECIDE),
        "officer": _pick(rng, OFFICERS),
        "procedure": _pick(rng, PROCEDURES),
        "person": _person(rng),
        "date": _date(rng),
        "address": _address(rng),
        "doc": _pick(rng, DOCUMENTS),
        "doc2": _pick(rng, DOCUMENTS),
        "doc3": _pick(rng, DOCUMENTS),
        "n": str(int(rng.integers(1, 16))),
        "authority": authority,
        "Authority": authority[0].upper() + authority[1:],
        "hour": str(int(rng.integers(7, 17))),
        "minute": f"{int(rng.integers(0, 60)):02d}",
        "code": f"{_int(rng, 0, 10**6):06d}.{_int(rng, 10, 99)}.{_int(rng, 2020, 2026)}",
        "deadline": _pick(rng, DEADLINES).format(n=int(rng.integers(2, 16)), date=_date(rng)),
        "parcel": str(int(rng.integers(1, 900))),
        "sheet": str(int(rng.integers(1, 80))),
        "area": f"{int(rng.integers(30, 900))},{int(rng.integers(0, 10))}",
        "fee": str(int(rng.integers(1, 10)) * 10),
        "months": str(int(rng.integers(1, 13))),
        "pid": f"0{_int(rng, 1, 97):02d}{_int(rng, 0, 4)}{_int(rng, 0, 10**8):08d}",
    }
    return tpl.format(**values)


def paragraph(rng: np.random.Generator, *, sentences: tuple[int, int] = (2, 4)) -> str:
    n = int(rng.integers(sentences[0], sentences[1] + 1))
    return " ".join(sentence(rng) for _ in range(n))


def paragraphs(rng: np.random.Generator, n: int) -> list[str]:
    return [paragraph(rng) for _ in range(n)]


def heading(rng: np.random.Generator) -> list[str]:
    """The national motto lines and a title, as they head Vietnamese official papers."""
    title = _pick(
        rng,
        (
            "QUYẾT ĐỊNH",
            "THÔNG BÁO",
            "GIẤY XÁC NHẬN",
            "BIÊN NHẬN HỒ SƠ",
            "TỜ TRÌNH",
        ),
    )
    return [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        title,
        f"Về việc {_pick(rng, PROCEDURES)}",
    ]
