"""Fonts on this machine that can draw Vietnamese, with their glyph coverage checked.

Coverage is verified by rendering, not by trusting the font's name: a character the
font lacks renders as its ``.notdef`` box, so a character whose bitmap equals the
``.notdef`` bitmap (or is empty) is missing. Liberation Serif, for example, lacks the
stacked Vietnamese diacritics and is therefore never returned.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

log = logging.getLogger(__name__)

FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts/truetype"),
    Path("/usr/share/fonts/opentype"),
    Path("/usr/local/share/fonts"),
)

# Every precomposed Vietnamese letter (lower and upper case) plus đ/Đ.
_VI_LOWER = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)
VIETNAMESE_CHARS: str = _VI_LOWER + _VI_LOWER.upper()
"""All letters a Vietnamese text may use."""

PUNCTUATION: str = "0123456789.,;:!?()/-–\"'%"

# Candidate families, by file name stem; checked for coverage before use.
CANDIDATES: dict[str, str] = {
    "dejavu-sans": "DejaVuSans.ttf",
    "dejavu-sans-bold": "DejaVuSans-Bold.ttf",
    "dejavu-serif": "DejaVuSerif.ttf",
    "dejavu-serif-bold": "DejaVuSerif-Bold.ttf",
    "dejavu-sans-condensed": "DejaVuSansCondensed.ttf",
    "dejavu-serif-condensed": "DejaVuSerifCondensed.ttf",
    "dejavu-sans-mono": "DejaVuSansMono.ttf",
    "noto-sans": "NotoSans-Regular.ttf",
    "noto-sans-bold": "NotoSans-Bold.ttf",
    "noto-sans-italic": "NotoSans-Italic.ttf",
    "noto-serif": "NotoSerif-Regular.ttf",
    "noto-serif-bold": "NotoSerif-Bold.ttf",
    "noto-serif-italic": "NotoSerif-Italic.ttf",
}

# Fonts for machine-readable zones (ASCII only; not Vietnamese-capable).
OCR_B_FILES: tuple[str, ...] = ("OCRB.otf", "OCR-B.otf", "ocrb.ttf", "OCRB.ttf")


@dataclass(frozen=True, slots=True)
class FontSpec:
    name: str
    """Short key, e.g. ``noto-serif``."""
    path: Path
    serif: bool
    bold: bool
    italic: bool

    def load(self, size_px: int) -> ImageFont.FreeTypeFont:
        return load_font(self.path, size_px)


@functools.cache
def _index() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for root in FONT_DIRS:
        if not root.is_dir():
            continue
        for p in root.rglob("*"):
            if p.suffix.lower() in {".ttf", ".otf"}:
                found.setdefault(p.name, p)
    return found


def find_file(filename: str) -> Path | None:
    """Path of a font file by its file name, searching the system font directories."""
    return _index().get(filename)


@functools.lru_cache(maxsize=256)
def load_font(path: Path | str, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), size=size_px)


@functools.cache
def missing_glyphs(path: Path | str, chars: str = VIETNAMESE_CHARS) -> str:
    """The characters of ``chars`` that the font at ``path`` cannot draw."""
    font = load_font(str(path), 48)
    notdef = _bitmap(font, "\ue000")  # private use: never in a text font
    missing = []
    for ch in dict.fromkeys(chars):
        bm = _bitmap(font, ch)
        if bm is None or bm == notdef:
            missing.append(ch)
    return "".join(missing)


def has_glyphs(path: Path | str, chars: str = VIETNAMESE_CHARS) -> bool:
    return not missing_glyphs(str(path), chars)


def _bitmap(font: ImageFont.FreeTypeFont, ch: str) -> tuple[tuple[int, int], bytes] | None:
    mask = font.getmask(ch)
    if mask.size[0] == 0 or mask.size[1] == 0:
        return None
    return mask.size, bytes(mask)


@functools.cache
def vietnamese_fonts() -> tuple[FontSpec, ...]:
    """Every candidate font present on this machine that draws all Vietnamese letters."""
    out = []
    for name, filename in CANDIDATES.items():
        path = find_file(filename)
        if path is None:
            continue
        gaps = missing_glyphs(str(path), VIETNAMESE_CHARS + PUNCTUATION)
        if gaps:
            log.info("font %s lacks %d glyphs; skipped", filename, len(gaps))
            continue
        out.append(
            FontSpec(
                name=name,
                path=path,
                serif="serif" in name,
                bold="bold" in name,
                italic="italic" in name,
            )
        )
    return tuple(out)


def font(name: str) -> FontSpec:
    """A Vietnamese-capable font by key (see :data:`CANDIDATES`); KeyError if unavailable."""
    for spec in vietnamese_fonts():
        if spec.name == name:
            return spec
    raise KeyError(f"font {name!r} is not installed or cannot draw Vietnamese")


def body_fonts() -> tuple[FontSpec, ...]:
    """Regular-weight, upright, proportional fonts for body text (the OCR corpus rotates
    among them). Monospace is left out: official papers are not typewritten any more, and
    Tesseract's ``vie`` models misread its narrow stacked tone marks (about 8% CER on a
    clean 300 dpi page, with or without preprocessing)."""
    return tuple(
        f for f in vietnamese_fonts() if not f.bold and not f.italic and "mono" not in f.name
    )


def ocr_b() -> Path | None:
    """The OCR-B font for MRZ lines, if installed (``fonts-ocr-b``)."""
    for filename in OCR_B_FILES:
        p = find_file(filename)
        if p is not None:
            return p
    return None
