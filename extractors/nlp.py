"""Token rules with spaCy (a blank ``vi`` pipeline: no model, nothing downloaded).

Dates written ``..., ngày 05 tháng 3 năm 2019`` (signature blocks, the CMND back, CT07)
and written in words (``ngày hai mươi mốt, tháng sáu, năm hai nghìn không trăm mười
chín``, the birth certificate's "ghi bằng chữ") are easier as token patterns than as
regular expressions over raw text: the keywords may have lost their tone marks, the
punctuation sticks to tokens, and the numbers can be words.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from extractors.normalize import strip_diacritics

_UNITS = {"khong": 0, "mot": 1, "mot.": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5,
          "lam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10, "mươi": 10,
          "mung": None, "le": 0, "linh": 0}  # fmt: skip


@functools.cache
def nlp():  # noqa: ANN201
    """The blank Vietnamese pipeline with the date matcher, built once per process."""
    import spacy
    from spacy.matcher import Matcher

    pipe = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    matcher = Matcher(pipe.vocab)
    word = {"TEXT": {"REGEX": r"^[^\d]+$"}, "OP": "{1,9}"}
    day_kw = {"NORM": {"IN": ["ngày", "ngay", "ngày:", "ngay:"]}}
    month_kw = {"NORM": {"REGEX": r"^(tháng|thang)[,:]?$"}}
    year_kw = {"NORM": {"REGEX": r"^(năm|nam)[,:]?$"}}
    # letters OCR reads for digits: O o for 0, I l for 1, ó for a 6 with a long stroke
    num = {"TEXT": {"REGEX": r"^[0-9OoIló]{1,2}[,.]?$"}}
    year = {"TEXT": {"REGEX": r"^[0-9OoIló]{4}[,.;]?$"}}
    matcher.add("DATE_DIGITS", [[day_kw, num, month_kw, num, year_kw, year]])
    matcher.add("DATE_WORDS", [[day_kw, word, month_kw, word, year_kw, word]])
    return pipe, matcher


def _num(tokens: list[str]) -> int | None:
    """Vietnamese number words -> int (``hai mươi mốt`` 21, ``hai nghìn không trăm lẻ sáu``)."""
    words = [strip_diacritics(t).strip(",.;:").lower() for t in tokens]
    words = [w for w in words if w and w != "mung"]
    total, current, said = 0, 0, False
    for i, w in enumerate(words):
        prev = words[i - 1] if i else ""
        if w in ("nghin", "ngan"):
            total += (current if said else 1) * 1000
            current, said = 0, False
        elif w == "tram":
            total += (current if said else 1) * 100
            current, said = 0, False
        elif w == "muoi":
            # "mười" alone is 10; "hai mươi" is 20
            current = (current if said else 1) * 10
            said = True
        elif w == "mot" and prev == "muoi":
            current += 1
        elif w in ("lam", "nam") and prev == "muoi":
            current += 5
        elif w == "tu" and prev == "muoi":
            current += 4
        elif w in _UNITS and _UNITS[w] is not None:
            current += _UNITS[w]
            said = True
        else:
            return None
    return total + current


def find_dates(text: str) -> list[tuple[str, str]]:
    """``(ISO date, matched text)`` for each "ngày ... tháng ... năm ..." in ``text``."""
    pipe, matcher = nlp()
    doc = pipe(text)
    out: list[tuple[int, str, str]] = []
    seen: set[int] = set()
    for match_id, start, end in sorted(matcher(doc), key=lambda m: (m[1], -(m[2] - m[1]))):
        if start in seen:
            continue
        span = doc[start:end]
        toks = [t.text for t in span]
        label = pipe.vocab.strings[match_id]
        if label == "DATE_DIGITS":
            fix = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "ó": "6"})
            d, m, y = (int(re.sub(r"\D", "", toks[i].translate(fix))) for i in (1, 3, 5))
        else:
            folded = [strip_diacritics(t).strip(",.;:").lower() for t in toks]
            try:
                mi = folded.index("thang", 1)
                yi = folded.index("nam", mi + 1)
            except ValueError:
                continue
            d_, m_, y_ = _num(toks[1:mi]), _num(toks[mi + 1 : yi]), _num(toks[yi + 1 :])
            if d_ is None or m_ is None or y_ is None:
                continue
            d, m, y = d_, m_, y_
        try:
            date = dt.date(y, m, d)
        except ValueError:
            continue
        seen.add(start)
        out.append((span.start_char, date.isoformat(), span.text))
    return [(iso, t) for _, iso, t in sorted(out)]
