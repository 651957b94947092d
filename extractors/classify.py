"""Which kind of paper a region is: one function scores every type and decides.

Keywords (titles, labels, issuers) are matched on ASCII-folded text with rapidfuzz's
partial ratio, so dropped diacritics and OCR noise are tolerated. QR and MRZ presence
add evidence. The reason of the decision is logged (keywords only, no personal data).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from rapidfuzz import fuzz

from extractors.normalize import fold

log = logging.getLogger(__name__)

# (phrase, weight): phrases are folded before matching
KEYWORDS: dict[str, tuple[tuple[str, float], ...]] = {
    "cccd_front": (
        ("CĂN CƯỚC CÔNG DÂN", 3.0),
        ("Citizen Identity Card", 3.0),
        ("Họ và tên / Full name", 1.0),
        ("Quê quán / Place of origin", 1.5),
        ("Nơi thường trú / Place of residence", 1.5),
        ("Có giá trị đến", 1.5),
        ("Date of expiry", 0.5),
    ),
    "cccd_back": (
        ("Đặc điểm nhân dạng", 3.0),
        ("Personal identification", 1.5),
        ("Ngày, tháng, năm / Date, month, year", 2.0),
        ("CỤC TRƯỞNG CỤC CẢNH SÁT", 2.5),
        ("QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", 1.5),
        ("ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ", 1.5),
        ("Ngón trỏ trái", 1.5),
        ("Ngón trỏ phải", 1.5),
    ),
    "cancuoc_front": (
        ("CĂN CƯỚC", 1.5),
        ("IDENTITY CARD", 2.0),
        ("Số định danh cá nhân / Personal identification number", 2.5),
        ("Họ, chữ đệm và tên khai sinh", 2.0),
        ("Surname, middle and given name", 2.0),
    ),
    "cancuoc_back": (
        ("Nơi cư trú / Place of residence", 2.0),
        ("Nơi đăng ký khai sinh / Place of birth", 3.0),
        ("Ngày, tháng, năm cấp / Date of issue", 2.0),
        ("Ngày, tháng, năm hết hạn / Date of expiry", 2.0),
        ("BỘ CÔNG AN", 1.5),
        ("MINISTRY OF PUBLIC SECURITY", 1.5),
    ),
    "cmnd": (
        ("CHỨNG MINH NHÂN DÂN", 4.0),
        ("Nguyên quán", 1.5),
        ("Nơi ĐKHK thường trú", 2.0),
        ("DẤU VẾT RIÊNG VÀ DỊ HÌNH", 2.5),
        ("Tôn giáo", 1.0),
    ),
    "birth_certificate": (
        ("GIẤY KHAI SINH", 4.0),
        ("người mẹ", 1.0),
        ("người cha", 1.0),
        ("Nơi sinh", 1.0),
        ("Quyển số", 0.5),
        ("Người đi đăng ký khai sinh", 1.5),
    ),
    "marriage_certificate": (
        ("GIẤY CHỨNG NHẬN KẾT HÔN", 4.5),
        ("KẾT HÔN", 1.5),
        ("Chồng", 0.5),
        ("Vợ", 0.3),
    ),
    "residence_confirmation": (
        ("XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ", 4.5),
        ("Mẫu CT07", 2.0),
        ("Nơi tạm trú", 1.0),
        ("Nơi ở hiện tại", 1.5),
        ("Quan hệ với chủ hộ", 1.5),
    ),
    "land_use_certificate": (
        ("QUYỀN SỬ DỤNG ĐẤT", 4.0),
        ("Thửa đất số", 2.0),
        ("Tờ bản đồ số", 2.0),
        ("Mục đích sử dụng", 1.5),
        ("QUYỀN SỞ HỮU NHÀ Ở", 1.0),
        ("Diện tích", 0.5),
    ),
}

_FOLDED = {t: tuple((fold(p), w) for p, w in kws) for t, kws in KEYWORDS.items()}

# A type needs this much evidence to be chosen over "unknown".
THRESHOLD = 3.0


@dataclass(frozen=True, slots=True)
class Classification:
    document_type: str
    confidence: float
    scores: dict[str, float]
    reason: str


def _phrase_score(phrase: str, text: str) -> float:
    if len(phrase) <= 4:
        return 1.0 if f" {phrase} " in f" {text} " else 0.0
    if len(text) < len(phrase):
        return 0.0  # partial_ratio would align the short text inside the phrase
    s = fuzz.partial_ratio(phrase, text)
    if s < 80:
        return 0.0
    return (s - 80) / 20 * 0.5 + 0.5


def scores(text: str, *, has_qr: bool = False, has_mrz: bool = False) -> dict[str, float]:
    folded = fold(text)
    out: dict[str, float] = {}
    for doc_type, kws in _FOLDED.items():
        out[doc_type] = sum(w * _phrase_score(p, folded) for p, w in kws)
    # the 2024 card reads "CĂN CƯỚC" without "CÔNG DÂN"; the 2021 one has both
    cd = _phrase_score(fold("CĂN CƯỚC CÔNG DÂN"), folded) + _phrase_score(
        fold("Citizen Identity Card"), folded
    )
    if cd >= 1.0:
        out["cancuoc_front"] -= 2.0
    if has_qr:  # a decoded CCCD payload: the 2021 front, or the 2024 back (with its labels)
        out["cccd_front"] += 3.0
        out["cancuoc_back"] += 2.5
    if has_mrz:
        out["cccd_back"] += 2.0
        out["cancuoc_back"] += 2.0
        if out["cancuoc_back"] < 3.0 and out["cccd_back"] < 3.0:
            out["cccd_back"] += 1.0
    return out


def classify(text: str, *, has_qr: bool = False, has_mrz: bool = False) -> Classification:
    """The most likely document type of a region, with a 0..1 confidence."""
    sc = scores(text, has_qr=has_qr, has_mrz=has_mrz)
    ranked = sorted(sc.items(), key=lambda kv: -kv[1])
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < THRESHOLD:
        reason = f"no type reached {THRESHOLD} (best {best}={top:.1f})"
        log.info("classified unknown: %s", reason)
        return Classification("unknown", max(0.0, min(0.6, 1 - top / THRESHOLD)), sc, reason)
    margin = top - second
    conf = min(0.99, 0.55 + 0.08 * top + 0.1 * margin)
    conf = max(0.3, conf - (0.2 if margin < 1.0 else 0.0))
    reason = f"{best}={top:.1f} vs next {second:.1f} (qr={has_qr}, mrz={has_mrz})"
    log.info("classified %s: %s", best, reason)
    return Classification(best, round(conf, 3), sc, reason)
