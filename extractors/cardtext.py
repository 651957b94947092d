"""Card values whose end no label marks: the personal identification of a card back.

"Đặc điểm nhân dạng" describes marks (scars, moles, birthmarks) and where they are, in
a small police vocabulary; below it the card prints the issue date ("Ngày 24 tháng 02
năm 2019", or its own label) and the issuer in capitals. OCR often glues those lines
(or a seal's fragments) to the description. The description ends where a line stops
reading as that vocabulary, where a date line or a capitalized title starts, and its
tail loses OCR scraps. Misread words of the vocabulary are spelt out (the raw text is
kept and the confidence lowered).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extractors import fields as fl
from extractors import gazetteer, vietnamese
from extractors.labels import Row, make_row, segments
from extractors.normalize import fold, nfc
from ocr.types import union_bbox

# words of descriptions of marks: what, and where (face, body, sides)
_VOCABULARY_TEXT = (
    "Sẹo chấm Nốt ruồi son Vết bớt đen nâu đỏ xám xanh thâm lồi lõm hình xăm chữ cách "
    "trên dưới trước sau giữa bên ngoài trong phía sát đầu đuôi lông mày mắt mí khóe mũi "
    "cánh mép môi nhân trung cằm hàm má gò tai dái vành trán thái dương cổ gáy vai ngực "
    "lưng bụng rốn tay bàn ngón cẳng khuỷu chân đùi gối mặt miệng trái phải và có ở hai một "
    "Không"
)
PI_VOCABULARY = tuple(_VOCABULARY_TEXT.split())
_VOCAB = {nfc(w.lower()) for w in PI_VOCABULARY}
_BY_FOLD: dict[str, list[str]] = {}
for _w in PI_VOCABULARY:
    _BY_FOLD.setdefault(fold(_w), []).append(nfc(_w.lower()))
# words that go together: a pair read with a letter wrong is spelt out ("Xốt ruồi")
PAIRS = (("nốt", "ruồi"), ("vết", "bớt"), ("sẹo", "chấm"), ("vết", "sẹo"), ("lông", "mày"),
         ("cánh", "mũi"), ("dái", "tai"), ("vành", "tai"), ("đuôi", "mắt"), ("đuôi", "mày"),
         ("khóe", "mắt"), ("gò", "má"), ("nhân", "trung"), ("thái", "dương"))  # fmt: skip

_MEASURE = re.compile(r"^(?:[Cc]\s?[:;.]?)?\d+(?:[.,]\d+)?(?:cm|em|mm|m)?$")


def _core(tok: str) -> str:
    return re.sub(r"[^\w:,.]", "", tok).strip(".,;:")


def _letters(tok: str) -> str:
    """Letters of a token (not modifier marks OCR reads from a seal's dots: ˆ ˜)."""
    return "".join(c for c in tok if unicodedata.category(c) in ("Ll", "Lu"))


def _in_vocab(tok: str) -> bool:
    core = _letters(tok).lower()
    if not core:
        return False
    if nfc(core) in _VOCAB or fold(core) in _BY_FOLD:
        return True
    return len(core) >= 4 and any(fuzz.ratio(fold(core), k) >= 80 for k in _BY_FOLD)


def _measure(tok: str) -> bool:
    return bool(_MEASURE.match(_core(tok)))


def _all_caps(tok: str) -> bool:
    """A word of a title in capitals ("TRƯỞNG", "CC"), not the "C:" of a measurement."""
    letters = _letters(tok)
    return len(letters) >= 2 and letters.isupper() and not _measure(tok)


def _date_start(toks: Sequence[str], i: int) -> bool:
    """``toks[i]`` opens a printed date: "Ngày 24 tháng ..." read however badly."""
    nxt = toks[i + 1] if i + 1 < len(toks) else ""
    after = fold(toks[i + 2]) if i + 2 < len(toks) else ""
    if toks[i][:1].isupper() and fold(toks[i]) == "ngay":
        return True  # "Ngày": no word of a description; the date or its label starts
    number = re.fullmatch(r"\W?\d{1,2}\W?", nxt) is not None
    if not number or _measure(toks[i]):
        return False
    if re.fullmatch(r"t\w{0,3}ng", after) or re.fullmatch(r"ng\w{0,2}y", fold(toks[i])):
        return True
    # "Maày 02 táng 0} năm 2018": a word, a day, then a year a few words on
    return any(re.fullmatch(r"\W?(?:19|20)\d\d\W?", t) for t in toks[i + 2 : i + 6])


def _scrap(tok: str) -> bool:
    """An OCR scrap at a value's end: no letters, a seal's marks, or a short non-word."""
    if _in_vocab(tok) or _measure(tok):
        return False
    letters = _letters(tok)
    return not letters or len(letters) <= 3 or letters.isupper()


def pi_like(toks: Sequence[str]) -> bool:
    """A line that reads as a description of marks (its words are the vocabulary's)."""
    words = [t for t in toks if _letters(t) or _measure(t)]
    if not words or any(_all_caps(t) for t in words):
        return False
    good = sum(_in_vocab(t) or _measure(t) for t in words)
    return good >= 0.6 * len(words)


def _split_glued(tok: str) -> list[str]:
    """ "phải.Wưáv": a word and the next line's first word, glued at a full stop;
    "SeoC:1,2cm": a word glued to the measurement after it."""
    tok = re.sub(r"(?<=[^\W\d_]{2})(?=[Cc][:;.]\d)", " ", tok)
    parts = re.split(r"(?<=[.;])(?=[^\W\d_])|\s", tok)
    return [p for p in parts if p]


_MARKS = {"seo", "not", "vet", "cham"}
_MARK_SECONDS = {"ruoi", "bot", "cham"}
"""The second word of a mark's name (nốt ruồi, vết bớt, sẹo chấm)."""


def _from_first_mark(toks: list[str]) -> list[str]:
    """The description starts at its first mark word ("Sẹo", "Nốt", "Vết", "Chấm"): a
    fingerprint label or a scrap before it ("Ngón trẻ phải Vết bớt", "m. Vết bớt") is
    dropped, when the mark word comes within the first five words."""
    for i, t in enumerate(toks[:5]):
        letters = _letters(t)
        if letters[:1].isupper() and fold(letters) in _MARKS:
            return toks[i:]
        nxt = fold(_letters(toks[i + 1])).lower() if i + 1 < len(toks) else ""
        if letters[:1].isupper() and len(letters) <= 4 and nxt in _MARK_SECONDS:
            return toks[i:]  # "See chấm": the mark word misread, its pair's second word not
    return toks


def _starts_with_mark(toks: Sequence[str]) -> bool:
    """A mark word ("Sẹo", "Nốt", ...) among a line's first five words, or the line
    reads as a description."""
    toks = list(toks)
    return _from_first_mark(toks) is not toks or pi_like(toks)


def description_by_form(rows: Sequence[Row]) -> fl.Reading | None:
    """The description of marks of a card back whose label was unreadable ("bà đến hàn
    dạng Paseel2m1fc2e%"): the first row that reads as one, with a measurement or a mark
    word among its words ("Nổi mồi son C.0.5cm sau đuôi mắt trải"), and the next row
    too when it reads as one. Low confidence; cut and spelt by
    :func:`clean_personal_identification`."""
    for i, row in enumerate(rows):
        toks = row.text.split()
        if len(toks) < 3 or not pi_like(toks):
            continue
        if not any(_measure(t) or fold(_letters(t)) in _MARKS for t in toks):
            continue
        group = [row]
        if i + 1 < len(rows) and pi_like(rows[i + 1].text.split()):
            group.append(rows[i + 1])
        words = tuple(w for r in group for w in r.words)
        text = " ".join(w.text for w in words)
        conf = sum(w.confidence for w in words) / len(words) * 0.6
        return fl.Reading("personal_identification", text, text, conf,
                          union_bbox(w.bbox for w in words), words)  # fmt: skip
    return None


def _caption(toks: Sequence[str], i: int) -> bool:
    """``toks[i]`` opens a fingerprint box's caption ("Ngón trỏ trái"), read after the
    description on its row; a finger in a description is written in small letters."""
    nxt = fold(_letters(toks[i + 1])).lower() if i + 1 < len(toks) else ""
    word = _letters(toks[i])
    if word[:1] == "N" and len(word) > 6 and fold(word).lower().startswith(("ngon", "ngan")):
        return True  # its words glued ("Ngônhôti-": "Ngón trỏ trái")
    return fl.finger_caption(toks, i) or (
        word[:1] == "N"
        and len(word) == 4
        and Levenshtein.distance(fold(word).lower(), "ngon") <= 1  # "Ngàn to Mn"
        and 0 < len(nxt) <= 4
        and (Levenshtein.distance(nxt, "tro") <= 1)
    )


def cut_description(lines: Sequence[Sequence[str]]) -> str:
    """The description from its lines of tokens: the first line, then lines that read
    as descriptions, each up to a date, a title in capitals; scraps cut at the end."""
    keep: list[str] = []
    lines = list(lines)
    if len(lines) > 1 and not _starts_with_mark(lines[0]) and _starts_with_mark(lines[1]):
        # the first line is the English label misread beyond matching ("Personal
        # swsuiic aborr'"), the description starts on the next
        lines = lines[1:]
    for n, raw in enumerate(lines):
        toks = [p for t in raw for p in _split_glued(t)]
        # a seal's marks read as letters inside the text ("mũi ˆ trái")
        toks = [t for t in toks if _letters(t) or _measure(t) or re.search(r"\d", t)]
        if n == 0:
            toks = _from_first_mark(toks)
        if n > 0 and not pi_like(toks):
            break
        stopped = False
        for i, t in enumerate(toks):
            if (keep or i > 0) and (_date_start(toks, i) or _all_caps(t) or _caption(toks, i)):
                stopped = True
                break
            keep.append(t)
        if stopped:
            break
    # "c7.": a letter and a digit, no size (printed "C:7cm"), is a speck's reading
    while keep and (_scrap(keep[-1]) or re.fullmatch(r"[a-z]\d[.,]?", keep[-1])):
        keep.pop()
    return " ".join(keep)


def _spell(tok: str, word: str) -> str:
    """``tok`` with its letters replaced by ``word`` (case of the first letter and
    surrounding punctuation kept)."""
    letters = _letters(tok)
    if not letters:
        return tok
    w = word[0].upper() + word[1:] if letters[0].isupper() else word
    start = tok.index(letters[0])
    return tok[:start] + w + tok[start + len(letters) :]


def fix_vocabulary(text: str) -> str:
    """Words of the vocabulary read with a tone mark or a letter wrong, spelt out where
    one spelling clearly wins ("Xốt ruồi" -> "Nốt ruồi", "đưới" -> "dưới")."""
    toks = text.split()
    for i in range(len(toks) - 1):
        a, b = _letters(toks[i]).lower(), _letters(toks[i + 1]).lower()
        if not a or not b or re.search(r"\d", toks[i] + toks[i + 1]):
            continue
        after = fold(_letters(toks[i + 2])).lower() if i + 2 < len(toks) else ""
        if (
            after == "son"
            and (nfc(a), nfc(b)) != ("nốt", "ruồi")
            and fuzz.ratio(f"{fold(a)} {fold(b)}", "not ruoi") >= 60
        ):
            # a beauty mark, the one mark "son" follows ("Nổi mồi son")
            toks[i], toks[i + 1] = _spell(toks[i], "nốt"), _spell(toks[i + 1], "ruồi")
            continue
        if nfc(a) in _VOCAB and nfc(b) in _VOCAB:
            continue  # two words of the vocabulary ("đầu mày" is no "đuôi mày")
        for pa, pb in PAIRS:
            if (nfc(a), nfc(b)) == (pa, pb):
                break
            pair_score = fuzz.ratio(f"{fold(a)} {fold(b)}", f"{fold(pa)} {fold(pb)}")
            if (
                pair_score >= 80
                and min(len(a), len(b)) >= 2
                and (fold(a) == fold(pa)) + (fold(b) == fold(pb)) >= 1
            ):
                toks[i], toks[i + 1] = _spell(toks[i], pa), _spell(toks[i + 1], pb)
                break
    for i, tok in enumerate(toks):
        letters = _letters(tok).lower()
        if not letters:
            continue
        if tok.startswith("(") and ")" not in tok:
            # "(rước", "(tai": a "t" read as a bracket, or a stray bracket
            opts = [w for w in (nfc("t" + letters), nfc(letters)) if w in _VOCAB]
            if len(opts) == 1:
                toks[i] = opts[0].capitalize() if letters[0].isupper() else opts[0]
                continue
        if nfc(letters) in _VOCAB:
            continue
        cands = _BY_FOLD.get(fold(letters), [])
        if not cands and len(letters) >= 4:
            # a letter wrong, its marks right ("dướt"): the one word a letter away
            cands = [w for w in _VOCAB if Levenshtein.distance(nfc(letters), w) == 1]
        if len(cands) > 1:  # "duoi": dưới or đuôi; the closer spelling, if clearly
            ranked = sorted(cands, key=lambda c: -fuzz.ratio(nfc(letters), c))
            if fuzz.ratio(nfc(letters), ranked[0]) - fuzz.ratio(nfc(letters), ranked[1]) < 15:
                continue
            cands = ranked[:1]
        if len(cands) == 1:
            toks[i] = _spell(tok, cands[0])
    return " ".join(toks)


_MEASURE_LOOKALIKES = "OoDQlIi|!†BSZG"
_MEASURE_DIGITS = str.maketrans(_MEASURE_LOOKALIKES, "00001111118526")


def _describes(tok: str) -> bool:
    """A word that may belong to a description: of the vocabulary, a measurement, or a
    Vietnamese syllable."""
    from extractors.vietnamese import is_syllable

    return _in_vocab(tok) or _measure(tok) or is_syllable(_letters(tok))


def _size_digits(m: re.Match) -> str:
    """``C:`` and a size whose digits OCR read as letters that look like them."""
    size = m.group(0)[2:]
    if all(c.isdigit() or c in _MEASURE_LOOKALIKES for c in size.replace(",", "")):
        return "C:" + size.translate(_MEASURE_DIGITS)
    return m.group(0)


def clean_personal_identification(reading: fl.Reading, rows: Sequence[Row]) -> fl.Reading | None:
    """The personal identification of a card back, cut where it ends and its words spelt
    out; ``None`` when nothing of a description is left. ``raw`` keeps the text read."""
    row_of = {id(w): i for i, row in enumerate(rows) for w in row.words}
    toks = reading.raw.split()
    if len(toks) == len(reading.words):
        lines: list[list[str]] = []
        last = None
        for tok, w in zip(toks, reading.words, strict=True):
            r = row_of.get(id(w), last)
            if not lines or r != last:
                lines.append([])
            lines[-1].append(tok)
            last = r
    else:
        lines = [toks]
    text = cut_description(lines)
    value = fl.convert("pi", text) if text else None
    if reading.value != fl.convert("pi", reading.raw):
        # the value was read again from its box: cut that reading the same way
        again = cut_description([reading.value.split()])
        value = fl.convert("pi", again) if again else value
    if not value:
        return None
    # "cm" misread ("1eim", "2crn", "0,5cin", "0.5Cm"), a decimal comma read as a full
    # stop ("C:2.5cm": cards print "2,5")
    fixed = re.sub(r"(?<=\d)\s?(?i:[ce][il1]?m|crn|cin|cnn|crs)\b", "cm", value)
    fixed = re.sub(r"\bC:[^\w\s,.]+(?=\d)", "C:", fixed)  # a speck read after "C:" ("C:†1cm")
    fixed = re.sub(r"\bC (?=\d+(?:,\d+)?\s?cm\b)", "C:", fixed)  # its colon lost ("C 3cm")
    # "C:2, Scm": a 5 read as S after the decimal comma
    fixed = re.sub(r"(?<=\d,)(\s?)S(?=\s?cm\b)", r"\g<1>5", fixed)
    # "C:lcm", "C:O,8cm", "C:0,Bcm", "C:†,2cm": the measurement holds digits only
    fixed = re.sub(r"\bC:(?:[^\W_]{1,2}|[†|!])(?:,[^\W_]{1,2})?(?=\s?cm\b)", _size_digits, fixed)
    # "C: 0, 5cm": spaces read into the measurement
    fixed = re.sub(r"(?<=\d),\s+(?=\d+\s?cm\b)", ",", re.sub(r"\bC:\s+(?=\d)", "C:", fixed))
    # two or more one-letter specks read after the description ("... tai trái x h Ở")
    toks = fixed.split()
    run = next((i for i in range(len(toks), 0, -1) if len(toks[i - 1]) > 1), 0)
    if len(toks) - run >= 2 and run >= 3:
        fixed = " ".join(toks[:run])
    # a signature's name read after it ("... mép trái NgGhuen x_ỹhac"): words that are no
    # Vietnamese syllable, none of the vocabulary
    toks = fixed.split()
    run = len(toks)
    while run > 3 and not _describes(toks[run - 1]):
        run -= 1
    if run < len(toks) and _in_vocab(toks[run - 1]):
        fixed = " ".join(toks[:run])
    fixed = fix_vocabulary(re.sub(r"(?<=\d)\.(?=\d+\s?cm\b)", ",", fixed))
    if fixed[:1].islower() and fold(fixed.split()[0]) in _MARKS:
        fixed = fixed[0].upper() + fixed[1:]  # "vất bớt" spelt "vết": it opens with a capital
    conf = reading.confidence * (0.9 if fixed != value else 1.0)
    return fl.Reading(reading.key, fixed, reading.raw, conf, reading.bbox, reading.words)


_LOOSE_DATE = re.compile(r"\b(\d{1,2}) t\w{0,3}ng (\d{1,2}) n\w{1,2}m (\d{4})\b")


def loose_written_dates(rows: Sequence[Row], *, skip: str | None = None) -> list[fl.Reading]:
    """Dates printed "Ngày 24 tháng 02 năm 2019" whose words OCR misread ("Xưày 24
    tháng (2 nấm 2019"): day, a "th..ng", month, a "n..m", a year; rows holding
    ``skip`` (folded, e.g. "sinh" for a birth date) are left out."""
    from extractors.normalize import normalize_date

    out = []
    for row in rows:
        f = fold(row.text)
        if skip and re.search(rf"\b{skip}\b", f):
            continue
        m = _LOOSE_DATE.search(f)
        if m is None:
            continue
        iso = normalize_date(f"{m.group(1)}/{m.group(2)}/{m.group(3)}")
        if iso is None:
            continue
        conf = sum(w.confidence for w in row.words) / len(row.words)
        words = tuple(row.words)
        out.append(
            fl.Reading("date", iso, row.text, conf, union_bbox(w.bbox for w in words), words)
        )
    return out


_ISSUER_HEAD = "cuc truong cuc canh sat"
"""The first line both CCCD issuer titles print."""


def issuer_by_generation(rows: Sequence[Row]) -> fl.Reading | None:
    """The issuer of a CCCD back whose title's first line was read ("CỤC TRƯỞNG CỤC
    CÁNH SÁT") and its second garbled: the two titles differ in that line only, and each
    belongs to one generation of the card, which the back shows otherwise - the 2021 chip
    card its zone (a line of "<<") and its bilingual date label, the 2016 card its issue
    date written in words. Where the back shows neither or both, nothing. Under the
    review threshold: the clerk checks the line not read."""
    head = None
    for row in rows:
        text = fold(row.text)
        if 0.8 * len(_ISSUER_HEAD) <= len(text) <= 1.5 * len(_ISSUER_HEAD) + 4 and (
            fuzz.partial_ratio(_ISSUER_HEAD, text) >= 85
        ):
            head = row
            break
    if head is None:
        return None
    chip = any("<<" in r.text or "date, month" in fold(r.text) for r in rows)
    words_date = bool(fl.find_ngay_thang_nam(rows))
    if chip == words_date:
        return None
    issuer = fl.ISSUERS[0] if chip else fl.ISSUERS[1]
    conf = sum(w.confidence for w in head.words) / len(head.words) * 0.5
    return fl.Reading("issuing_authority", issuer, head.text, conf,
                      union_bbox(w.bbox for w in head.words), tuple(head.words))  # fmt: skip


def issuer_by_margin(
    rows: Sequence[Row], issuers: Sequence[str], *, floor: float = 68.0, margin: float = 15.0
) -> fl.Reading | None:
    """The issuer title of a card back read too badly for a plain match: one or two
    consecutive capitalized rows much nearer one of the known titles than any other."""
    best: dict[str, tuple[float, list[Row]]] = {}
    for i in range(len(rows)):
        for n in (1, 2):
            group = list(rows[i : i + n])
            text = fold(" ".join(r.text for r in group))
            letters = [c for r in group for c in r.text if c.isalpha()]
            if not letters or sum(c.isupper() for c in letters) < 0.7 * len(letters):
                continue
            for issuer in issuers:
                f = fold(issuer)
                if len(text) < 0.6 * len(f) or len(text) > 1.4 * len(f):
                    continue
                score = fuzz.ratio(f, text)
                if score > best.get(issuer, (0.0, []))[0]:
                    best[issuer] = (score, group)
    ranked = sorted(best.items(), key=lambda kv: -kv[1][0])
    if not ranked or ranked[0][1][0] < floor:
        return None
    second = ranked[1][1][0] if len(ranked) > 1 else 0.0
    if ranked[0][1][0] - second < margin:
        return None
    issuer, (score, group) = ranked[0]
    words = tuple(w for r in group for w in r.words)
    conf = sum(w.confidence for w in words) / len(words) * score / 100 * 0.8
    raw = " ".join(r.text for r in group)
    return fl.Reading(
        "issuing_authority", issuer, raw, conf, union_bbox(w.bbox for w in words), words
    )


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _is_noi(tok: str) -> bool:
    """The word "Nơi" (also read "Noi", any tone mark), not "Nội" of "Hà Nội"."""
    letters = _letters(tok)
    if not letters[:1].isupper():
        return False
    base = "".join(c for c in unicodedata.normalize("NFD", letters.lower()) if c not in _TONES)
    return unicodedata.normalize("NFC", base) in ("noi", "nơi")


_ENGLISH_END = ("birth", "origin", "residence")


def _drop_english_head(toks: list[str]) -> list[str]:
    """A garbled English label left before a card address ("fix e cý bịrth Phụng Châu"):
    the words up to one that reads as its last English word, within the first five."""
    for i, t in enumerate(toks[:5]):
        f = fold(t).strip(":.,")
        if len(f) >= 4 and any(fuzz.ratio(f, e) >= 70 for e in _ENGLISH_END):
            return toks[i + 1 :] if i + 1 < len(toks) else toks
    return toks


def _garbled(tok: str) -> bool:
    """A scrap of a garbled label: one or two letters, or capitals inside a word
    ("PHái")."""
    letters = _letters(tok)
    if re.search(r"\d", tok):
        return False
    mixed = any(c.isupper() for c in letters[1:]) and any(c.islower() for c in letters)
    return len(letters) <= 2 or mixed


def _garbled_noi(tok: str) -> bool:
    """A capitalized token that is no Vietnamese word ("MatØW2W"): "Nơi" misread."""
    from extractors.vietnamese import is_syllable

    core = re.sub(r"[^\w]", "", tok)
    return bool(core) and core[0].isupper() and not is_syllable(core)


def opens_label(toks: list[str], i: int) -> bool:
    """``toks[i]`` starts the next label: "Nơi", "NI THƯỜNG TRÚ" (a misread "Nơi"
    before "thường trú"), or a garbled English label ("PHái e of birth": no address
    holds the word "of")."""
    if _is_noi(toks[i]):
        return True
    nxt = [fold(t) for t in toks[i + 1 : i + 3]]
    if fold(toks[i]) in ("ni", "noi", "no", "nol") and nxt and nxt[0] == "thuong":
        return True
    if re.fullmatch(r"[NM]\w{0,2}", toks[i]):
        # "Ne tương vú", "Nơ ĐfGSK tướng ró", "Mơi Đ24E đường tử": "Nơi (ĐKHK) thường
        # trú" with letters lost
        after = [fold(t).strip(":.") for t in toks[i + 1 : i + 4]]
        if after and after[0] in ("noi", "no", "ni", "nol"):
            return False  # "Hà Nội Nơi tường tò": the label starts at the next word
        for k in range(len(after) - 1):
            if "," in toks[i] or any("," in t for t in toks[i + 1 : i + k + 2]):
                break  # an address's parts ("Mỹ Thuận, Tân Hòa"), not a label
            if (
                Levenshtein.distance(after[k], "thuong") <= (2 if len(after[k]) >= 5 else 1)
                and len(after[k + 1]) <= 4
                and Levenshtein.distance(after[k + 1], "tru") <= 2
            ):
                return True
    if toks[i] == "/" and any(
        len(f := fold(t).strip(":.,")) >= 4 and fuzz.ratio(f, e) >= 70
        for t in toks[i + 1 : i + 4]
        for e in _ENGLISH_END
    ):
        return True  # "/ Pfoce oƒ reudence": the next label's English half
    if (
        len(nxt) == 2
        and nxt[0] == "thuong"
        and nxt[1].strip(":.") == "tru"
        and _garbled_noi(toks[i])
    ):
        return True  # "MatØW2W thưởng trú:": no address holds "thường trú"
    return fold(toks[i]) == "of"


def split_at_label(reading: fl.Reading) -> tuple[fl.Reading, str | None]:
    """An address of a card that ran into the next label OCR misread ("... Thanh Hóa
    Nơi tường tò. Thôn An Hải Bắc, ..."): no address holds the word "Nơi", so the value
    ends before it. Returns the cut reading and what follows that label (after its
    own end mark ":", "." or "/", within four words), if anything."""
    toks = _drop_english_head(reading.value.split())
    at = next((i for i, t in enumerate(toks) if i > 0 and opens_label(toks, i)), None)
    if at is None:
        if toks and toks != reading.value.split():
            value = " ".join(toks)
            raw = reading.raw or reading.value
            cut = fl.Reading(reading.key, value, raw, reading.confidence * 0.9, reading.bbox,
                             reading.words)  # fmt: skip
            return cut, None
        return reading, None
    head = toks[:at]
    while head and _garbled(head[-1]):
        head.pop()  # the start of that label, garbled ("PHái e of birth")
    value = " ".join(head).strip(" ,.;")
    tail = None
    for k in range(at + 1, min(len(toks), at + 5)):
        ends = toks[k][-1:] in ":./" or (
            len(f := fold(toks[k]).strip(":.")) <= 4
            and Levenshtein.distance(f, "tru") <= 2
            and Levenshtein.distance(fold(toks[k - 1]), "thuong") <= 1 + (len(toks[k - 1]) >= 5)
        )  # "... tướng ró Ấp Trương", "đường tử": the label "thường trú" without its colon
        if ends and k + 1 < len(toks):
            tail = " ".join(toks[k + 1 :]).strip(" ,.;") or None
            break
    if not value:
        return reading, None
    cut = fl.Reading(reading.key, value, reading.raw or reading.value, reading.confidence * 0.9,
                     reading.bbox, reading.words)  # fmt: skip
    return cut, tail


_BACK_LABELS = {"place_of_residence": "cu tru", "place_of_birth_registration": "dang ky khai sinh"}
_NEXT_LABEL = re.compile(r"^(?:\W*\w{0,2}\W+){0,2}(?:noi|ngay|bo cong)\b")


def back_labels(rows: Sequence[Row]) -> list[tuple[int, str, int]]:
    """The place labels of a Căn cước back: (row, field key or "" when the words after
    "Nơi" tell neither, index of the "Nơi" token). "Nơi" may be misread "Nợ" or "No"
    when the words after it read clearly as one of the labels ("Nợ đăng ky khi nh")."""
    labels: list[tuple[int, str, int]] = []
    for i, row in enumerate(rows):
        toks = row.text.split()
        # specks of the guilloche may be read before it ("< 3 É lệtg Nơi đăng lý ...")
        for k, t in enumerate(toks[:5]):
            if not (_is_noi(t) or _is_no(t)):
                continue
            head = fold(" ".join(toks[k + 1 : k + 5]))
            scores = {key: fuzz.partial_ratio(v, head) for key, v in _BACK_LABELS.items()}
            best = max(scores, key=lambda key: scores[key])
            if _is_noi(t):
                labels.append((i, best if scores[best] >= 70 else "", k))
                break
            if scores[best] >= 80 and len(head) >= len(_BACK_LABELS[best]) - 4:
                labels.append((i, best, k))
                break
    return labels


def _is_no(tok: str) -> bool:
    """The word "Nơi" with a letter lost or misread ("Nợ", "No", "Nơn", "Mơ": its N read
    as M): a label only where its words follow."""
    letters = _letters(tok)
    if not letters[:1].isupper() or not 2 <= len(letters) <= 4:
        return False
    folded = re.sub(r"^m", "n", fold(letters))
    return folded[:1] == "n" and Levenshtein.distance(folded, "noi") <= 1


def cut_at_back_label(value: str, rows: Sequence[Row], key: str) -> str:
    """A Căn cước back's residence read on into the next label's row, that label misread
    beyond the label matcher ("... Hà Giang Nợ đăng ky khi nh lạcø ø bơth Nam Thái A"):
    the value ends before that label's "Nơi"."""
    for i, label_key, at in back_labels(rows):
        if label_key in ("", key):
            continue
        toks = rows[i].text.split()
        label = " ".join(toks[at : at + 3])
        pos = value.find(" " + label)
        if pos > 0:
            return value[:pos].rstrip(" ,.;")
    return value


def back_places(rows: Sequence[Row]) -> dict[str, tuple[str, Row]]:
    """Places of a Căn cước back whose labels OCR misread ("Nơi cư ưu P6: Xem Chúa, ...",
    "Nơi đìng kì khái nh Phúcc cý hự"): rows opening with "Nơi" are its two place
    labels, residence first; what follows decides which when it reads as one of them.
    The value is what follows the label's colon on its row, else the next row of
    words. Returns field key -> (text, row of the value)."""
    labels = [(i, key) for i, key, _ in back_labels(rows)]
    if len(labels) > 2:
        return {}
    if not labels:
        return _places_by_order(rows)
    keys = list(_BACK_LABELS)
    out: dict[str, tuple[str, Row]] = {}
    for n, (i, key) in enumerate(labels):
        if not key and len(labels) == 2:
            key = keys[n]  # by order: the residence is printed first
        if not key or key in out:
            continue
        toks = rows[i].text.split()
        colon = max((k for k, t in enumerate(toks) if t.endswith(":")), default=None)
        if colon is not None and colon + 1 < len(toks):
            out[key] = (" ".join(toks[colon + 1 :]), rows[i])
            continue
        # the colon lost in the English half's garble: a list of places ending the row
        m = ([None, *_PLACES.finditer(rows[i].text)])[-1]
        text = rows[i].text
        if m is not None and m.end() >= len(text.rstrip(" .")) - 1 and m.start() > 0:
            out[key] = (_with_street(text[: m.start()], m.group(0)), rows[i])
            continue
        for j in range(i + 1, min(len(rows), i + 3)):
            text = rows[j].text
            if _NEXT_LABEL.match(fold(text)):
                break
            if _PLACE_WORD.search(text) or (
                re.search(r"[^\W\d_]{2}", text) and not text.endswith(":")
            ):
                # a row ending in a colon with no place name is the label's English half
                out[key] = (text, rows[j])
                break
    if len(out) < len(_BACK_LABELS):
        # a label found without its value, or one label only: the places the back
        # prints in order fill the rest, on rows no value found above is on
        used = {id(row) for _text, row in out.values()}
        for key, (text, row) in _places_by_order(rows).items():
            if key not in out and id(row) not in used:
                out[key] = (text, row)
    return out


_PLACE_WORD = re.compile(r"(?:^|[\s,])[^\W\d_][^\W\d_]+,")
"""A capitalized or lower-case word followed by a comma: a place name of an address."""
_PLACES = re.compile(r"(?:[^\W\d_][^\W\d_]*\.? ){0,4}[^\W\d_]+(?:, (?:[^\W\d_]+\.? ?){1,5}){2,}")


def _places_by_order(rows: Sequence[Row]) -> dict[str, tuple[str, Row]]:
    """Both place labels lost ("À4 đồng Xỳ leo sớ /%<- ⁄ s® Yên Thịnh, Yêu Mô, Ninh
    Mình."): the back prints the residence, then the place of birth registration, each
    on one row before the issue date's; exactly two rows there ending in three or more
    comma-separated names are the two, in that order. Else one row naming a province
    alone ("Tỉnh Hà Tĩnh": a birth registered at the province; no residence is a
    province alone) is the birth registration, and the one list of places before it,
    if any, the residence."""
    end = next((i for i, r in enumerate(rows) if re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", r.text)),
               len(rows))  # fmt: skip
    found: list[tuple[int, str, Row]] = []
    alone: list[tuple[int, str, Row]] = []
    for i, row in enumerate(rows[:end]):
        m = ([None, *_PLACES.finditer(row.text)])[-1]  # the last list of places
        if m is not None and m.end() >= len(row.text.rstrip(" .")) - 1:
            found.append((i, _with_street(row.text[: m.start()], m.group(0)), row))
        elif i > 0 and (province := _province_row(row.text)):
            alone.append((i, province, row))
    residence, registration = _BACK_LABELS
    if len(found) == 1 and not alone:
        # the registration's list with a comma lost ("Ba Hàng Đồi Lạc Thủy, Hòa Bình"),
        # or of two units (since July 2025: "Xã Yên Thành, Tỉnh Lào Cai"): one row of
        # capitalized names with a comma below its label's row, after the residence's
        # (the row right below the residence's is its wrapped end: "Ninh, Khánh Hòa")
        after = [
            (i, row.text.strip(" ."), row)
            for i, row in enumerate(rows[:end])
            if i > found[0][0] + 1 and _two_places(row.text)
        ]
        if len(after) == 1:
            found.append(after[0])
    if len(found) == 2:
        return {residence: found[0][1:], registration: found[1][1:]}
    if len(alone) != 1:
        return {}
    at, province, row = alone[0]
    out = {registration: (province, row)}
    before = [f for f in found if f[0] < at]
    if len(before) == 1:
        out[residence] = before[0][1:]
    return out


_NAMES_WITH_COMMAS = re.compile(r"[^\W\d_]+(?:\.? [^\W\d_]+)*(?:, [^\W\d_]+(?:\.? [^\W\d_]+)*)+")


def _two_places(text: str) -> bool:
    """A row of two or more capitalized place names with a comma between them and no
    label word ("Ba Hàng Đồi Lạc Thủy, Hòa Bình", "Xã Yên Thành, Tỉnh Lào Cai")."""
    text = text.strip(" .")
    if _NEXT_LABEL.match(fold(text)) or text.count(",") < 1:
        return False
    words = re.split(r",?\s+", text.rstrip(","))
    return (
        2 <= len(words) <= 10
        and _NAMES_WITH_COMMAS.fullmatch(text) is not None
        and all(w[:1].isupper() for w in words)
        and not re.search(r"\b(?:ngay|thang|nam|date|place)\b", fold(text))
    )


def _with_street(before: str, places: str) -> str:
    """The list of places with the street part printed before it ("Đội 14, ", "Số 12
    Lê Lợi, "): the words before it back to the label's garble, when they end with a
    comma and each is a capitalized syllable or a house number."""
    from extractors.vietnamese import is_syllable

    toks = before.split()
    if not toks or not toks[-1].endswith(","):
        return places
    k = len(toks)
    while k > 0:
        t = toks[k - 1].rstrip(",")
        if not (re.fullmatch(r"\d{1,4}[A-Z]?", t) or (t[:1].isupper() and is_syllable(t))):
            break
        k -= 1
    street = " ".join(toks[k:])
    return f"{street} {places}" if k < len(toks) and street[:1].isupper() else places


def _province_row(text: str) -> str | None:
    """A row naming a province alone at its end, after specks of the guilloche or its
    garbled label ("Ý Tính Hưng Yên", "Nơ đẳng ky khe: se; %sce Tỉnh Kiên Giang"); not
    the end of a list of places ("Thôn X, Tỉnh Y")."""
    toks = text.split()
    for k in range(len(toks)):
        if "," in toks[k]:
            return None
        rest = " ".join(toks[k:]).strip(" .;:")
        if gazetteer.province_alone(rest):
            return rest
    return None


# --------------------------------------------------------------------------------------
# Card fronts: values found by their place and their form when their labels are lost.
# Every front (CMND, CCCD 2016 and 2021, Căn cước 2024) prints, top to bottom, the
# header, the card number, the name in capitals, the birth date, then (CCCD, Căn cước)
# the sex and nationality on one row. A label misread beyond matching loses nothing
# when its value reads by its form at its place.

_HEADER_WORDS = ("cong hoa", "chu nghia", "doc lap", "hanh phuc", "can cuoc", "cong dan",
                 "chung minh", "nhan dan", "identity", "citizen", "socialist", "viet nam",
                 "republic", "independence", "freedom")  # fmt: skip
_YEAR = re.compile(r"(?:19|20)\d\d")


def _caps_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def _birth_row(rows: Sequence[Row], start: int) -> int | None:
    """Index of the first row from ``start`` that carries the birth date: a whole date
    (or one shaped like a date, its digits misread: "48/4/1991"), a year at its end, or
    the words "sinh" / "birth"."""
    for i in range(start, len(rows)):
        if not rows[i].words:
            continue
        for seg in segments(rows[i]):
            part = make_row(seg)
            f = fold(part.text)
            if _ISSUE_DATE.match(f):
                continue  # the back's issue date, the card's sides side by side
            if fl.find_date_words([part]) or re.search(r"\b(?:sinh|birth)\b", f):
                return i
            toks = part.text.split()
            last = toks[-1].strip(".,:;") if toks else ""
            if (_YEAR.fullmatch(last) or _DATE_SHAPED.fullmatch(last)) and len(toks) >= 2:
                return i
    return None


_ISSUE_DATE = re.compile(r"\W*ngay\W+\S+\W+th")
"""A date in words ("Ngày 07 tháng 04 năm 2015"): a card back's issue date, never the
birth date a front prints in figures."""


_DATE_SHAPED = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d")
"""A token shaped like a dd/mm/yyyy date, whether or not its digits make one."""


def _id_row(rows: Sequence[Row], digits: int) -> int | None:
    """The row of the card's number: a run of ``digits`` digits, or failing that the
    first row with a word of one digit fewer or more and at most one other character
    ("(92409296": the first digit misread), which is where the number is printed even
    when its value cannot be read."""
    for i, row in enumerate(rows):
        if fl.find_id_numbers([row], digits):
            return i
    for i, row in enumerate(rows):
        for w in row.words:
            t = w.text.strip(".,:;")
            n = sum(c.isdigit() for c in t)
            if abs(n - digits) <= 1 and len(t) - n <= 1:
                return i
    return None


def name_by_position(rows: Sequence[Row], doc_type: str) -> fl.Reading | None:
    """The holder's name on a card front whose name label OCR misread beyond matching
    ("Hgtèp NGUYỄN VĂN AN", "Hq vè tên / FuIl nane:" above it): the row in capitals
    between the card number and the birth date (the three rows after the number when no
    birth date is read) that reads as a Vietnamese name, after at most three words of a
    garbled label. ``None`` when no row, or more than one, qualifies (nothing is
    guessed)."""
    digits = 9 if doc_type == "cmnd" else 12
    top = _id_row(rows, digits)
    if top is None and doc_type == "cmnd":
        top = _id_row(rows, 12)
    if top is None:
        return None
    end = _birth_row(rows, top + 1)
    if end is None:
        # the birth date garbled too ("Nạn thang sờn s;ứp 8m2 XỤMO3/1993"): the name is
        # printed within the three rows after the number
        end = min(len(rows), top + 4)
    found: list[fl.Reading] = []
    for row in rows[top + 1 : end]:
        # segment by segment: a card's two sides photographed side by side share rows
        for ws in segments(row) if row.words else []:
            reading = _name_after_label(ws)
            if reading is not None:
                found.append(reading)
                break
    return found[0] if len(found) == 1 else None


def _name_after_label(ws: list) -> fl.Reading | None:  # noqa: ANN001
    """A Vietnamese name in capitals after at most three words of a garbled label."""
    for k in range(0, min(4, len(ws) - 1)):
        if k and _caps_share(" ".join(w.text for w in ws[:k])) >= 0.9:
            break  # capitals before: part of the name, not a label
        rest = ws[k:]
        text = " ".join(w.text for w in rest)
        if _caps_share(text) < 0.9 or any(h in fold(text) for h in _HEADER_WORDS):
            continue
        name = fl.convert("name", fl._cut_name(text))
        if not name or not 2 <= len(name.split()) <= 6 or name != name.upper():
            continue
        # scored as the syllables it will be corrected to ("DOÄN": a tilde misread)
        if fl.name_score(vietnamese.correct_name(name)) < 0.75:
            continue
        conf = sum(w.confidence for w in rest) / len(rest) * 0.6
        box = union_bbox(w.bbox for w in rest)
        raw = " ".join(w.text for w in ws)
        return fl.Reading("full_name", name, raw, conf, box, tuple(rest))
    return None


_SYMBOLS = re.compile(r"[^\w\s,.'’-]")
"""A character no place name holds: a garbled label's."""


def places_by_position(rows: Sequence[Row]) -> list[fl.Reading]:
    """The places of a CMND or CCCD front whose two place labels OCR misread beyond
    matching ("Nguyệc que Xã Thương Tân Lộc, ...", "Nø 050% ®ương #2. Số 2618is ..."):
    the front prints, after the birth date, the place of origin, then the residence,
    each a list of places (a row ending in three or more comma-separated names, and the
    row after it when that holds its last words): exactly two such rows, or nothing.
    Low confidence. (With one label read, which row the other is on is not known.)"""
    start = _birth_row(rows, 0)
    if start is None:
        return []
    found: list[list[Row]] = []
    for i in range(start + 1, len(rows)):
        text = rows[i].text
        if _date_start(text.split(), 0) or any(h in fold(text) for h in ("dau vet", "di hinh")):
            break  # the back's block or the issue date: the front's text has ended
        parts = text.rstrip(" .,").split(",")  # "..., Huyện Tuy Đức," wraps onto the next row
        if (
            found
            and found[-1][-1].text.endswith(",")
            and _DATE_SHAPED.fullmatch(rows[i].words[0].text)
        ):
            # the expiry printed under the photo, level with the residence's last line
            # ("18/11/2031 Huyện Lắk, Đắk Lắk" after "..., Thị trấn Liên Sơn,")
            rest = rows[i].words[1:]
            if rest and rest[0].text[:1].isupper():
                found[-1].append(make_row(rest))
        elif len(parts) >= 3 and re.fullmatch(r"\s*[^\W\d_]+(?: [^\W\d_]+){0,4}", parts[-1]):
            found.append([rows[i]])
        elif found and len(text.split()) <= 3 and text[:1].isupper() and "," not in text:
            found[-1].append(rows[i])  # the last words of the place above ("Tre")
    if len(found) != 2:
        return []
    out = []
    for key, group in zip(("place_of_origin", "place_of_residence"), found, strict=True):
        words = tuple(w for r in group for w in r.words)
        # the garbled label before the first place ("Xa tường te “Sexz/se=> Bọn Vĩnh
        # Thuận Tây, ..."): the words after its last token of symbols
        first = next((k for k, w in enumerate(words) if "," in w.text), len(words))
        cut = max(
            (k + 1 for k, w in enumerate(words[:first]) if _SYMBOLS.search(w.text)), default=0
        )
        if 0 < cut < first:
            words = words[cut:]
        raw = " ".join(w.text for w in words)
        value = fl.convert("address", raw)
        if value and value.count(",") >= 2:
            conf = sum(w.confidence for w in words) / len(words) * 0.5
            out.append(fl.Reading(key, value, raw, conf, union_bbox(w.bbox for w in words), words))
    return out if len(out) == 2 else []


_NAT_START = ("quoc", "viet", "nation")


def sex_by_position(rows: Sequence[Row]) -> fl.Reading | None:
    """The sex of a CCCD or Căn cước front whose "Giới tính" label OCR misread: on the
    row after the birth date, the first word that is exactly "Nam" or "Nữ" before the
    nationality ("Quốc tịch", "Việt"), when words follow it (the nationality's own
    "Nam" ends its row)."""
    at = _birth_row(rows, 0)
    if at is None:
        return None
    for row in rows[at + 1 : at + 3]:
        ws = list(row.words)
        if not any(fold(w.text).startswith(_NAT_START) for w in ws):
            continue  # not the sex and nationality row
        for k, w in enumerate(ws):
            f = re.sub(r"[^a-z]", "", fold(w.text))
            if f.startswith(_NAT_START):
                break
            if f in ("nam", "nu") and k + 1 < len(ws) and w.text[:1].isupper():
                value = "Nam" if f == "nam" else "Nữ"
                return fl.Reading("sex", value, row.text, w.confidence * 0.7, w.bbox, (w,))
        return None
    return None


def birth_by_position(rows: Sequence[Row], doc_type: str) -> fl.Reading | None:
    """The birth date of a card front whose label OCR misread ("Seh ngy 23-02-1971"):
    the first whole date on the birth row, the first row with a date within the three
    after the card's number (the name between them). ``None`` without that number's
    row: a date elsewhere may be the back's issue date."""
    top = _id_row(rows, 9 if doc_type == "cmnd" else 12)
    if top is None:
        return None
    at = _birth_row(rows, top + 1)
    if at is None or at > top + 3:
        return None
    found = fl.find_date_words([make_row(segments(rows[at])[0])])
    if not found:
        return None
    r = found[0]
    return fl.Reading("date_of_birth", r.value, r.raw, r.confidence * 0.6, r.bbox, r.words)


def birth_date_words(rows: Sequence[Row], doc_type: str) -> fl.Reading | None:
    """The words of a birth date OCR misread ("4® (J9 1987"): on the row after the
    name (or its label's "sinh"), a year at the end and the one or two short words
    before it. The caller reads them again from the image; the reading holds no
    value."""
    digits = 9 if doc_type == "cmnd" else 12
    top = _id_row(rows, digits)
    at = _birth_row(rows, (top + 1) if top is not None else 0)
    if at is None or fl.find_date_words([rows[at]]):
        return None
    ws = list(rows[at].words)
    if not ws or not _YEAR.fullmatch(ws[-1].text.strip(".,:;")):
        return None
    words = [ws[-1]]
    for w in reversed(ws[:-1]):
        if len(words) == 3 or len(w.text) > 5 or not re.search(r"\d", w.text):
            break
        words.insert(0, w)
    if len(words) < 2:
        return None
    conf = sum(w.confidence for w in words) / len(words)
    raw = " ".join(w.text for w in words)
    return fl.Reading("date_of_birth", "", raw, conf, union_bbox(w.bbox for w in words),
                      tuple(words))  # fmt: skip
