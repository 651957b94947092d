"""Render text to a 300 dpi page image with line layout, recording the ground truth.

The ground truth is exactly what was drawn: one string per line, and a box per word
in page pixels, so tests can check both text and box positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from synth import prose
from synth.fonts import FontSpec, body_fonts

BBox = tuple[int, int, int, int]

A4 = (2480, 3508)
A5 = (1748, 2480)


@dataclass(frozen=True, slots=True)
class RenderedPage:
    image: np.ndarray
    """Grey uint8 page, white paper."""
    lines: tuple[str, ...]
    """The text of each drawn line, top to bottom."""
    words: tuple[tuple[str, BBox], ...]
    """Each drawn word with its ink box in page pixels."""
    font: str

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def pt_to_px(pt: float, dpi: int = 300) -> int:
    return round(pt / 72 * dpi)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: float) -> list[str]:  # noqa: ANN001
    lines: list[str] = []
    cur: list[str] = []
    for word in text.split():
        trial = " ".join([*cur, word])
        if cur and draw.textlength(trial, font=font) > width:
            lines.append(" ".join(cur))
            cur = [word]
        else:
            cur.append(word)
    if cur:
        lines.append(" ".join(cur))
    return lines


def render_page(
    paragraphs: Sequence[str],
    *,
    font: FontSpec,
    size: tuple[int, int] = A5,
    font_pt: float = 11.0,
    dpi: int = 300,
    margin_px: int | None = None,
    heading: Sequence[str] = (),
    line_spacing: float = 1.45,
) -> RenderedPage:
    """Lay out ``heading`` (centred) and ``paragraphs`` (justified left, first line
    indented) on a white page of ``size`` = (width, height) pixels, stopping when the
    page is full."""
    w, h = size
    margin = margin_px if margin_px is not None else int(0.09 * w)
    px = pt_to_px(font_pt, dpi)
    fnt = font.load(px)
    im = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(im)
    step = int(px * line_spacing)
    y = margin
    drawn: list[str] = []
    words: list[tuple[str, BBox]] = []

    def put(line: str, x: float) -> bool:
        nonlocal y
        if y + step > h - margin:
            return False
        draw.text((x, y), line, font=fnt, fill=0)
        # word boxes: advance by measured prefix lengths
        cx = x
        for i, word in enumerate(line.split(" ")):
            if i:
                cx += draw.textlength(" ", font=fnt)
            x0, y0, x1, y1 = draw.textbbox((cx, y), word, font=fnt)
            words.append((word, (int(x0), int(y0), int(x1), int(y1))))
            cx += draw.textlength(word, font=fnt)
        drawn.append(line)
        y += step
        return True

    for line in heading:
        lw = draw.textlength(line, font=fnt)
        if not put(line, (w - lw) / 2):
            break
    if heading:
        y += step // 2
    full = False
    for para in paragraphs:
        for i, line in enumerate(_wrap(draw, para, fnt, w - 2 * margin)):
            indent = px * 2 if i == 0 else 0
            if indent and draw.textlength(line, font=fnt) + indent > w - 2 * margin:
                indent = 0
            if not put(line, margin + indent):
                full = True
                break
        if full:
            break
        y += step // 3
    return RenderedPage(
        image=np.asarray(im).copy(), lines=tuple(drawn), words=tuple(words), font=font.name
    )


def corpus_page(
    seed: int, *, size: tuple[int, int] = A5, font_pt: float = 11.0, font: FontSpec | None = None
) -> RenderedPage:
    """A page of administrative prose for the OCR benchmark: the font rotates with the seed."""
    rng = np.random.default_rng(seed)
    fonts = body_fonts()
    if font is None:
        font = fonts[seed % len(fonts)]
    head = prose.heading(rng) if rng.random() < 0.6 else []
    return render_page(
        prose.paragraphs(rng, 8), font=font, size=size, font_pt=font_pt, heading=head
    )
