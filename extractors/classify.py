"""Which kind of paper a region is: one function scores every type and decides.

Evidence adds up from several weak cues, so one garbled title does not lose a paper:

- keywords (titles, labels, issuers), matched on ASCII-folded text with rapidfuzz's
  partial ratio, so dropped diacritics and OCR noise are tolerated; bilingual labels are
  matched by halves (OCR often garbles the small English half only), and a phrase counts
  only where its first word is (``Nơi đăng ký khai sinh`` is no ``GIẤY KHAI SINH``);
- the labels every card front prints (sex, nationality, birth date, in two languages);
- the shape of the numbers: a 12-digit personal number or a 9-digit CMND number on a
  short line of its own, lines of a machine-readable zone (``<<<``);
- QR and MRZ decoded on the region.

The reason of the decision is logged (keywords only, no personal data).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extractors.normalize import fold

log = logging.getLogger(__name__)

# (phrase, weight): phrases are folded before matching. For the cards, these are what
# only a card prints (titles, English labels, issuers, fingerprint boxes).
KEYWORDS: dict[str, tuple[tuple[str, float], ...]] = {
    "cccd_front": (
        ("CĂN CƯỚC CÔNG DÂN", 3.0),
        ("Citizen Identity Card", 3.0),
        ("Place of origin", 1.0),
        ("Place of residence", 0.5),
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
        ("Personal identification number", 1.0),
        ("Surname, middle and given name", 2.0),
    ),
    "cancuoc_back": (
        ("Place of residence", 0.5),
        ("Place of birth", 1.0),
        ("Date of issue", 1.0),
        ("Date of expiry", 0.5),
        ("MINISTRY OF PUBLIC SECURITY", 1.5),
    ),
    "cmnd": (
        ("CHỨNG MINH NHÂN DÂN", 4.0),
        ("Nơi ĐKHK thường trú", 2.0),
        ("DẤU VẾT RIÊNG VÀ DỊ HÌNH", 2.5),
    ),
    "birth_certificate": (
        ("GIẤY KHAI SINH", 4.0),
        ("người mẹ", 1.0),
        ("người cha", 1.0),
        ("Họ và tên mẹ", 1.0),  # the parents' labels of other issues of the form
        ("Họ và tên cha", 1.0),
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

# Vietnamese labels a card shares with certificates and the CT07 ("Nơi cư trú",
# "Số định danh cá nhân" ...): they count for a card type only as far as the text
# otherwise looks like a card (see ``_card_gate``).
SHARED: dict[str, tuple[tuple[str, float], ...]] = {
    "cccd_front": (
        ("Họ và tên", 0.5),
        ("Quê quán", 1.0),
        ("Nơi thường trú", 1.0),
    ),
    "cancuoc_front": (
        ("Số định danh cá nhân", 1.5),
        ("Họ, chữ đệm và tên", 1.0),
    ),
    "cancuoc_back": (
        ("Nơi cư trú", 1.5),
        ("Nơi đăng ký khai sinh", 2.0),
        ("Ngày, tháng, năm cấp", 1.0),
        ("Ngày cấp", 0.5),
        ("Ngày, tháng, năm hết hạn", 1.0),
        ("Ngày hết hạn", 0.5),
        ("BỘ CÔNG AN", 1.5),
    ),
    "cmnd": (
        ("Nguyên quán", 1.5),
        ("Sinh ngày", 0.5),
        ("Họ tên", 0.3),
        ("Tôn giáo", 1.0),
        ("Dân tộc", 0.3),
        ("GIÁM ĐỐC CA", 1.0),
    ),
}

# Printed on the front of every chip card (2016, 2021, 2024): the English labels only
# on cards; the Vietnamese ones on certificates too (shared).
FRONT_KEYWORDS: tuple[tuple[str, float], ...] = (
    ("Full name", 0.5),
    ("Date of birth", 0.5),
    ("Nationality", 0.6),
    ("Sex", 0.3),
)
FRONT_SHARED: tuple[tuple[str, float], ...] = (
    ("Giới tính", 0.4),
    ("Quốc tịch", 0.4),
    ("Ngày, tháng, năm sinh", 0.3),
)
FRONT_TYPES = ("cccd_front", "cancuoc_front")
CARD_TYPES = ("cccd_front", "cccd_back", "cancuoc_front", "cancuoc_back", "cmnd")

_FOLDED = {t: tuple((fold(p), w) for p, w in kws) for t, kws in KEYWORDS.items()}
_SHARED_FOLDED = {t: tuple((fold(p), w) for p, w in kws) for t, kws in SHARED.items()}
_FRONT_FOLDED = tuple((fold(p), w) for p, w in FRONT_KEYWORDS)
_FRONT_SHARED_FOLDED = tuple((fold(p), w) for p, w in FRONT_SHARED)

_OTHERS_PHRASES = {
    p: " | ".join(q for t2, kws2 in _FOLDED.items() if t2 != t for q, _ in kws2)
    for t, kws in _FOLDED.items()
    for p, _ in kws
}
"""Each phrase -> the other types' phrases, joined (see :func:`_phrase_score`)."""

# A type needs this much evidence to be chosen over "unknown".
THRESHOLD = 3.0


@dataclass(frozen=True, slots=True)
class Classification:
    document_type: str
    confidence: float
    scores: dict[str, float]
    reason: str


def _word_at(text: str, pos: int) -> str:
    """The word of ``text`` that holds position ``pos`` (or starts right after it)."""
    while pos < len(text) and text[pos] == " ":
        pos += 1
    start = text.rfind(" ", 0, pos) + 1
    end = text.find(" ", pos)
    return text[start : end if end != -1 else len(text)]


def _phrase_score(phrase: str, text: str) -> float:
    score = _aligned_score(phrase, text)
    if score == 0.0:
        # a title whose first word alone is garbled ("GẦN CHỮNG NHẬN KẾT HÒN"): its other
        # words, two or more and twelve letters or more, read as whole words after a
        # word; not when they are another type's phrase ("IDENTITY CARD" of the 2024
        # card is the tail of the 2021 card's "Citizen Identity Card")
        rest = phrase.split(None, 1)[1] if len(phrase.split()) >= 3 else ""
        if (
            len(rest) >= 12
            and rest not in _OTHERS_PHRASES.get(phrase, "")
            and re.search(rf"(?<=\S )(?<!\S){re.escape(rest)}(?!\S)", text)
        ):
            return REST_SCORE
    return score


REST_SCORE = 0.75
"""A phrase found by all its words but the first: less than the whole phrase read."""


def _aligned_score(phrase: str, text: str) -> float:
    if len(phrase) <= 4:
        return 1.0 if f" {phrase} " in f" {text} " else 0.0
    if len(text) < len(phrase):
        return 0.0  # partial_ratio would align the short text inside the phrase
    words = phrase.split()
    for _ in range(3):
        al = fuzz.partial_ratio_alignment(phrase, text, score_cutoff=80)
        if al is None:
            return 0.0
        # the phrase's first word must be where it matched: "đăng ký khai sinh" is
        # near "giấy khai sinh" by letters, not by meaning
        if len(words) > 1 and len(words[0]) >= 3:
            # from its first letter: the alignment may open on a digit before it
            first = re.search(r"[a-z]", text[al.dest_start : al.dest_end])
            got = _word_at(text, al.dest_start + (first.start() if first else 0))
            if fuzz.ratio(words[0], got) < 70 and Levenshtein.distance(words[0], got) > 1:
                # ("Độc điểm nhân dạng": a 3-letter word one letter off is there); an
                # alignment elsewhere may hold it ("huyện cầu" before "uyên quán")
                text = (
                    text[: al.dest_start]
                    + "#" * (al.dest_end - al.dest_start)
                    + text[al.dest_end :]
                )
                continue
        return (al.score - 80) / 20 * 0.5 + 0.5
    return 0.0


_DIGITISH = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1"})


@dataclass(frozen=True, slots=True)
class _Numbers:
    twelve: int = 0
    """12-digit personal numbers"""
    near_twelve: int = 0
    """10-14 digits: a personal number OCR'd with a digit lost or doubled"""
    nine: int = 0
    """9-digit CMND numbers"""


def _number_lines(text: str) -> _Numbers:
    """Card numbers: digit runs printed alone on a short line (or after "Số" / "No.").

    A number inside a sentence or a long label row (a certificate's "Số định danh cá
    nhân: ...") is no evidence of a card.
    """
    twelve = near = nine = 0
    for line in text.splitlines():
        f = fold(line)
        if not f or len(f) > 26:
            continue
        for tok in line.split():
            t = tok.strip(".,:;()[]{}'\"").translate(_DIGITISH)
            digits = sum(c.isdigit() for c in t)
            if digits < len(t) - 1 or "/" in t:
                continue  # words, dates
            if digits == 12:
                twelve += 1
            elif 10 <= digits <= 14:
                near += 1
            elif digits == 9:
                nine += 1
    return _Numbers(twelve, near, nine)


def has_card_number(text: str) -> bool:
    """Whether a personal number (12 digits, or 10-14 with a digit lost or doubled) is
    printed alone on a short line or after "Số" / "No." (see :func:`_number_lines`)."""
    nums = _number_lines(text)
    return bool(nums.twelve or nums.near_twelve)


_MARK = re.compile(r"\d+(?:[,.]\d+)? ?cm\b[^\n]{0,40}?\b(?:tren|duoi|truoc|sau|trai|phai|giua)\b")
"""A mark's distance and place, folded ("c:2cm truoc vanh tai phai")."""

_MRZ_LINE = re.compile(r"[<«‹]{3,}|^\W{0,3}[I1][DO0]VNM")


def _mrz_lines(text: str) -> int:
    """Lines that look like a machine-readable zone (filler runs, ``IDVNM``)."""
    return sum(1 for line in text.splitlines() if _MRZ_LINE.search(line.strip()))


def card_sized(text: str) -> bool:
    """As much text as a card holds (a certificate page has far more). Lines of a few
    specks (a photo's texture, a fingerprint's whorls read as text) are not counted."""
    lines = [ln for ln in text.splitlines() if sum(c.isalnum() for c in ln) >= 4]
    return 3 <= len(lines) <= 16 and len(text) <= 560


def _sum(kws: tuple[tuple[str, float], ...], folded: str) -> float:
    return sum(w * _phrase_score(p, folded) for p, w in kws)


GATE = 1.5
"""Card-only evidence at which labels shared with certificates count in full."""


def scores(text: str, *, has_qr: bool = False, has_mrz: bool = False) -> dict[str, float]:
    folded = fold(text)
    out = {doc_type: _sum(kws, folded) for doc_type, kws in _FOLDED.items()}
    # what only a card shows
    front = _sum(_FRONT_FOLDED, folded)
    if re.search(r"\bcuoc\b", folded):  # "CƯỚC" of a card title whose other word is garbled
        front += 0.8
        if not re.search(r"\bcuoc cong\b|\bcong dan\b", folded):
            out["cancuoc_front"] += 0.5  # the 2024 title is "CĂN CƯỚC" alone
    nums = _number_lines(text)
    # a card prints one personal number; a certificate about two people prints two
    front += 0.8 if nums.twelve == 1 else 0.5 if nums.twelve or nums.near_twelve else 0.0
    if nums.nine:
        out["cmnd"] += 1.0
    for t in FRONT_TYPES:
        out[t] += front
    if _MARK.search(folded):
        # an identifying mark ("Nốt ruồi C:1cm trên mép trái"): printed on the backs of
        # the 2021 and 2016 cards and of the CMND, never on the 2024 card
        out["cccd_back"] += 1.5
        out["cmnd"] += 1.5
    mrz_lines = _mrz_lines(text)
    if mrz_lines:  # a zone OCR'd too badly to decode is still a card back
        for t in ("cccd_back", "cancuoc_back"):
            out[t] += 1.0 if mrz_lines == 1 else 1.5
    # labels shared with certificates, as far as the text looks like a card
    card = sum(out[t] for t in CARD_TYPES) + (0.7 if card_sized(text) else 0.0)
    card += 3.0 if has_qr or has_mrz else 0.0
    gate = min(1.0, card / GATE)
    if gate > 0:
        for t, kws in _SHARED_FOLDED.items():
            out[t] += gate * _sum(kws, folded)
        front_shared = gate * _sum(_FRONT_SHARED_FOLDED, folded)
        for t in FRONT_TYPES:
            out[t] += front_shared
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
