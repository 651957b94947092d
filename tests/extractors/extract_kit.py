"""Test helpers for the extractors: OCR words built from text lines, pages from images."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ocr.types import IDENTITY, OcrPage, Region, Word

CHAR_W = 12
LINE_H = 30


def words_from_lines(
    lines: Sequence[str | tuple[int, str]], *, x0: int = 40, y0: int = 40, conf: float = 0.9
) -> tuple[Word, ...]:
    """Words with plausible boxes: one line per entry, ``(x, text)`` to indent a line.

    Two texts on one line (a second column) are given as ``"left|||right"``; the right
    part starts at x = 900.
    """
    out: list[Word] = []
    for i, entry in enumerate(lines):
        x_start, text = entry if isinstance(entry, tuple) else (x0, entry)
        y = y0 + i * LINE_H
        parts = [(x_start, text)]
        if "|||" in text:
            left, right = text.split("|||")
            parts = [(x_start, left), (900, right)]
        for block, (x, part) in enumerate(parts):
            for tok in part.split():
                w = CHAR_W * len(tok)
                out.append(Word(tok, (x, y, x + w, y + 22), conf, line=i, block=block))
                x += w + CHAR_W
    return tuple(out)


def page_of(words: Sequence[Word], *, image: np.ndarray | None = None, number: int = 1) -> OcrPage:
    if image is None:
        image = np.full((800, 1200, 3), 255, np.uint8)
    h, w = image.shape[:2]
    region = Region(page=number, index=0, image=image, to_page=IDENTITY, words=tuple(words))
    return OcrPage(number=number, width=w, height=h, image=image, regions=(region,))
