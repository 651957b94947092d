"""The text layer of born-digital PDFs (pdfplumber), and whether to trust it.

:func:`decide` is the one place that chooses, page by page, between the text layer
and OCR; it returns the reason, which the pipeline logs. A layer is trusted when it
has enough text, the text is made of letters a Vietnamese (or Latin-script) document
uses, and the page is not essentially a scanned picture. Broken font encodings
(TCVN3/VNI fonts without a Unicode map, ``(cid:NN)`` glyph ids, private-use code
points) fail the letter test and the page is OCR'd instead.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ocr.types import Word

log = logging.getLogger(__name__)

_VI_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
)
VALID_LETTERS = frozenset(_VI_LOWER + _VI_LOWER.upper())
OTHER_LATIN = frozenset("äëïöüÿßçñåæøœÄËÏÖÜŸÇÑÅÆØŒ")
"""Letters of other Latin-script languages: tolerated in small numbers."""

MIN_CHARS = 20
"""Fewer non-space characters than this: not a usable text layer."""
MAX_BAD_LETTERS = 0.03
MAX_FOREIGN_LETTERS = 0.06
MIN_WORDLIKE = 0.6
MAX_IMAGE_COVER = 0.5
"""A page mostly covered by images and carrying little text is a scan: OCR it."""
TEXT_CONFIDENCE = 0.99
"""Confidence given to words read from a trusted text layer."""

_CID = re.compile(r"\(cid:\d+\)")


@dataclass(frozen=True, slots=True)
class LayerWord:
    text: str
    box: tuple[float, float, float, float]
    """(x0, top, x1, bottom) in PDF points from the rendered (cropped, rotated) page's top-left."""


@dataclass(frozen=True, slots=True)
class TextLayer:
    words: tuple[LayerWord, ...]
    width: float
    height: float
    image_cover: float = 0.0
    """Share of the page area covered by raster images."""
    metrics: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


@dataclass(frozen=True, slots=True)
class Decision:
    source: str
    """``text_layer`` or ``ocr``."""
    reason: str


def text_metrics(text: str) -> dict[str, float]:
    """Counts that tell real text from a broken encoding."""
    text = unicodedata.normalize("NFC", text)
    chars = [c for c in text if not c.isspace()]
    letters = [c for c in chars if c.isalpha()]
    bad = sum(1 for c in letters if c not in VALID_LETTERS and c not in OTHER_LATIN)
    foreign = sum(1 for c in letters if c in OTHER_LATIN)
    weird = sum(
        1 for c in chars if c == "\ufffd" or unicodedata.category(c) in ("Co", "Cc", "Cn", "Cs")
    )
    cids = len(_CID.findall(text))
    tokens = text.split()
    wordlike = sum(1 for t in tokens if re.fullmatch(r"[\W_]*[\w]+(?:[-./,:'][\w]+)*[\W_]*", t))
    return {
        "chars": float(len(chars)),
        "letters": float(len(letters)),
        "bad_letters": bad / max(1, len(letters)),
        "foreign_letters": foreign / max(1, len(letters)),
        "weird": (weird + 5 * cids) / max(1, len(chars)),
        "wordlike": wordlike / max(1, len(tokens)),
    }


def decide(layer: TextLayer | None) -> Decision:
    """Text layer or OCR for one page, with the reason."""
    if layer is None:
        return Decision("ocr", "no text layer could be read")
    m = layer.metrics or text_metrics(layer.text)
    if m["chars"] < MIN_CHARS:
        return Decision("ocr", f"text layer has only {int(m['chars'])} characters")
    if m["weird"] > 0.02:
        return Decision("ocr", f"text layer has unmapped glyphs ({m['weird']:.0%})")
    if m["bad_letters"] > MAX_BAD_LETTERS or m["foreign_letters"] > MAX_FOREIGN_LETTERS:
        return Decision(
            "ocr",
            f"text layer looks like a broken font encoding "
            f"({m['bad_letters'] + m['foreign_letters']:.0%} letters not Vietnamese)",
        )
    if m["wordlike"] < MIN_WORDLIKE:
        return Decision("ocr", f"text layer is not word-like ({m['wordlike']:.0%} words)")
    if layer.image_cover > MAX_IMAGE_COVER and m["chars"] < 200:
        return Decision("ocr", f"page is {layer.image_cover:.0%} image with little text")
    return Decision("text_layer", f"good text layer ({int(m['chars'])} characters)")


class PdfTextReader:
    """Reads text layers page by page from one PDF (pdfplumber opened once, lazily)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pdf = None
        self._failed = False

    def __enter__(self) -> PdfTextReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def _open(self):  # noqa: ANN202
        if self._pdf is None and not self._failed:
            try:
                import pdfplumber

                self._pdf = pdfplumber.open(self.path)
            except Exception as exc:  # noqa: BLE001 - any failure means "OCR instead"
                log.warning(
                    "text layer unavailable (%s: %s); pages will be OCR'd", type(exc).__name__, exc
                )
                self._failed = True
        return self._pdf

    def layer(self, index: int) -> TextLayer | None:
        """The text layer of page ``index`` (0-based), or None if it cannot be read."""
        pdf = self._open()
        if pdf is None:
            return None
        try:
            page = pdf.pages[index]
            cx0, ctop = float(page.cropbox[0]), float(page.cropbox[1])
            raw = page.extract_words(keep_blank_chars=False, use_text_flow=False)
            words = tuple(
                LayerWord(
                    text=unicodedata.normalize("NFC", w["text"]),
                    box=(w["x0"] - cx0, w["top"] - ctop, w["x1"] - cx0, w["bottom"] - ctop),
                )
                for w in raw
                if w["text"].strip()
            )
            area = float(page.width * page.height) or 1.0
            cover = 0.0
            for im in page.images:
                iw = max(0.0, min(im["x1"], page.bbox[2]) - max(im["x0"], page.bbox[0]))
                ih = max(0.0, min(im["bottom"], page.bbox[3]) - max(im["top"], page.bbox[1]))
                cover += iw * ih / area
            text = " ".join(w.text for w in words)
            page.flush_cache()
            return TextLayer(
                words=words,
                width=float(page.width),
                height=float(page.height),
                image_cover=min(1.0, cover),
                metrics=text_metrics(text),
            )
        except Exception as exc:  # noqa: BLE001 - a broken page falls back to OCR
            log.warning("text layer of page %d unreadable (%s)", index + 1, type(exc).__name__)
            return None


def layer_words(layer: TextLayer, *, scale: float) -> list[Word]:
    """Words of a text layer in pixels of the page rendered at ``scale`` px per point,
    with line numbers assigned top to bottom."""
    items = sorted(layer.words, key=lambda w: (w.box[1], w.box[0]))
    out: list[Word] = []
    line = -1
    line_bottom = -1.0
    for w in items:
        x0, top, x1, bottom = w.box
        mid = (top + bottom) / 2
        if mid > line_bottom:
            line += 1
            line_bottom = bottom
        else:
            line_bottom = max(line_bottom, bottom)
        bbox = (
            int(round(x0 * scale)),
            int(round(top * scale)),
            int(round(x1 * scale)),
            int(round(bottom * scale)),
        )
        out.append(Word(text=w.text, bbox=bbox, confidence=TEXT_CONFIDENCE, line=line, block=0))
    return out
