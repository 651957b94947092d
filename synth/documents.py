"""Renderers for every ``document_type`` of ``shared/spec/documents.md``, with ground truth.

``generate(document_type, rng, person=None, variant=None)`` draws one clean specimen
(300 dpi pixel sizes: cards 1012x638, i.e. 85.6x54 mm; A4 pages 2480x3508) of a fake
person and returns a :class:`Specimen` whose ``truth`` holds exactly the spec's field
keys for that type, in the spec's value formats, as printed (names upper case on cards;
addresses one line, NFC). Fields that are not printed (an empty temporary residence, an
id on a certificate older than 2016) are left out of ``truth``.

Variety, so that extractors do not learn one template: each specimen draws a font
family (DejaVu Sans/Serif, their condensed cuts, Noto Sans/Serif, Noto Display; all
checked for full Vietnamese coverage), font sizes, small position jitter, label
spellings (``Họ và tên`` / ``Họ, chữ đệm và tên`` / ``Họ tên``...), value on the label's
line or the next one, address style (``Phường Hợp Giang`` / ``Hợp Giang`` / ``P. Hợp
Giang``), ink colour, a second family for the values, background tint and guilloche;
forms sometimes have dotted leaders after the labels, values aligned in one column, a
security pattern and an ornamental frame (land certificates on pink paper). A value
that would run off the card or over another value makes the specimen be drawn again in
another style, so every ``boxes`` entry is inside the image and legible.

Variants (``Specimen.variant``):

- ``cccd_front``: ``2021`` (chip card, QR top right), ``2016`` (no QR, no English).
- ``cccd_back``: ``2021`` (MRZ, fingerprints, chip), ``2016`` (no MRZ).
- ``cancuoc_front`` / ``cancuoc_back``: ``2024`` (QR and MRZ on the back).
- ``cmnd``: ``both_sides`` (default; front and back side by side on one image, as the
  two-sided photocopies clerks receive: the date of issue is printed on the back only)
  or ``front`` (front alone; no ``date_of_issue`` in the truth).
- ``birth_certificate``: ``2016`` (current form, mother before father, id number) or
  ``old`` (pre-2016 wording, father before mother, no id number).
- ``marriage_certificate``: ``columns`` (husband and wife side by side) or ``sections``.
- ``residence_confirmation``: ``ct07`` (form of Thông tư 66/2023, or of 56/2021 with
  ``Số định danh cá nhân/CMND``).
- ``land_use_certificate``: ``2009`` (title "... QUYỀN SỞ HỮU NHÀ Ở VÀ TÀI SẢN KHÁC ...")
  or ``2024`` (title "... QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT"); serials ``CS 123456``
  or ``AA 01234567``.

``land_use_certificate.holder_names`` joins several holders with ``"; "``.
MRZ of a card with no expiry: expiry ``<<<<<<`` and check digit ``<`` (ICAO: a field of
fillers only), and no ``date_of_expiry`` in the back's truth.
"""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import qrcode
from PIL import Image, ImageDraw, ImageFont

from synth import fonts as fontlib
from synth.people import (
    NO_EXPIRY,
    Address,
    Person,
    add_years,
    card_expiry,
    date_words,
    make_holdout_name,
    make_holdout_person,
    make_holdout_spouse,
    make_household,
    make_land_parcel,
    make_name,
    make_person,
    make_spouse,
    mrz_check_digit,
    random_date,
)

BBox = tuple[int, int, int, int]

CARD_SIZE = (1012, 638)
A4_SIZE = (2480, 3508)

SPEC_FIELDS: dict[str, tuple[str, ...]] = {
    "cccd_front": (
        "id_number", "full_name", "date_of_birth", "sex", "nationality", "place_of_origin",
        "place_of_residence", "date_of_expiry", "old_id_number", "date_of_issue",
    ),
    "cccd_back": (
        "personal_identification", "date_of_issue", "issuing_authority", "id_number",
        "date_of_birth", "sex", "date_of_expiry", "mrz",
    ),
    "cancuoc_front": ("id_number", "full_name", "date_of_birth", "sex", "nationality"),
    "cancuoc_back": (
        "place_of_residence", "place_of_birth_registration", "date_of_issue", "date_of_expiry",
        "issuing_authority", "id_number", "date_of_birth", "sex", "mrz", "old_id_number",
    ),
    "cmnd": (
        "id_number", "full_name", "date_of_birth", "place_of_origin", "place_of_residence",
        "date_of_issue",
    ),
    "birth_certificate": (
        "full_name", "sex", "date_of_birth", "place_of_birth", "ethnicity", "nationality",
        "place_of_origin", "id_number", "mother_name", "mother_birth_year", "father_name",
        "father_birth_year", "registration_number", "registration_date",
        "registration_authority",
    ),
    "marriage_certificate": (
        "husband_name", "husband_date_of_birth", "husband_id_number", "wife_name",
        "wife_date_of_birth", "wife_id_number", "registration_number", "registration_date",
        "registration_authority",
    ),
    "residence_confirmation": (
        "full_name", "id_number", "date_of_birth", "sex", "permanent_residence",
        "temporary_residence", "current_residence", "head_of_household",
        "relationship_to_head", "date_of_issue", "issuing_authority",
    ),
    "land_use_certificate": (
        "certificate_serial", "holder_names", "parcel_number", "map_sheet_number",
        "parcel_address", "area_m2", "land_use_purpose", "land_use_term", "date_of_issue",
    ),
}  # fmt: skip
DOCUMENT_TYPES = tuple(SPEC_FIELDS)

VARIANTS: dict[str, tuple[str, ...]] = {
    "cccd_front": ("2021", "2016"),
    "cccd_back": ("2021", "2016"),
    "cancuoc_front": ("2024",),
    "cancuoc_back": ("2024",),
    "cmnd": ("both_sides", "front"),
    "birth_certificate": ("2016", "old"),
    "marriage_certificate": ("columns", "sections"),
    "residence_confirmation": ("ct07",),
    "land_use_certificate": ("2009", "2024"),
}
_VARIANT_WEIGHTS = {"cccd_front": (0.75, 0.25), "cccd_back": (0.75, 0.25), "cmnd": (0.8, 0.2)}

ISSUER_2021 = "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI"
ISSUER_2016 = "CỤC TRƯỞNG CỤC CẢNH SÁT ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ"
ISSUER_2024 = "BỘ CÔNG AN"


@dataclass(frozen=True)
class Specimen:
    image: np.ndarray = field(repr=False)
    """BGR uint8."""
    document_type: str
    truth: dict[str, str]
    qr_payload: str | None
    mrz_lines: tuple[str, ...] | None
    boxes: dict[str, BBox]
    """Where each truth value was drawn, in image pixels (QR / MRZ box for their fields)."""
    variant: str
    person: Person | None = field(default=None, repr=False, compare=False)
    font: str = ""
    drawn: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    """The strings drawn for each truth key (QR and MRZ fields excepted), in drawing order:
    what a reader of the image would see, to check the truth against."""
    holdout: bool = False


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", " ".join(s.split()))


def iso(d: dt.date) -> str:
    return d.isoformat()


def dmy(d: dt.date, sep: str = "/") -> str:
    return f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"


def _pick(rng: np.random.Generator, seq):
    return seq[int(rng.integers(len(seq)))]


# --------------------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------------------

_FAMILIES: tuple[tuple[str, str, str, str], ...] = (
    ("dejavu-sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"),
    ("dejavu-serif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"),
    (
        "dejavu-sans-condensed",
        "DejaVuSansCondensed.ttf",
        "DejaVuSansCondensed-Bold.ttf",
        "DejaVuSansCondensed-Oblique.ttf",
    ),
    (
        "dejavu-serif-condensed",
        "DejaVuSerifCondensed.ttf",
        "DejaVuSerifCondensed-Bold.ttf",
        "DejaVuSerifCondensed-Italic.ttf",
    ),
    ("noto-sans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf"),
    ("noto-serif", "NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf", "NotoSerif-Italic.ttf"),
    (
        "noto-sans-display",
        "NotoSansDisplay-Regular.ttf",
        "NotoSansDisplay-Bold.ttf",
        "NotoSansDisplay-Italic.ttf",
    ),
    (
        "noto-serif-display",
        "NotoSerifDisplay-Regular.ttf",
        "NotoSerifDisplay-Bold.ttf",
        "NotoSerifDisplay-Italic.ttf",
    ),
)
_EXTRA_CHARS = "0123456789.,;:!?()/-–\"'%²"


@dataclass(frozen=True, slots=True)
class Family:
    name: str
    regular: str
    bold: str
    italic: str

    @property
    def serif(self) -> bool:
        return "serif" in self.name

    def font(self, size: int, style: str = "regular") -> ImageFont.FreeTypeFont:
        path = {"regular": self.regular, "bold": self.bold, "italic": self.italic}[style]
        return fontlib.load_font(path, max(6, int(size)))


@functools.cache
def families() -> tuple[Family, ...]:
    """Font families installed here whose three styles draw every Vietnamese letter."""
    out = []
    for name, *files in _FAMILIES:
        paths = [fontlib.find_file(f) for f in files]
        if any(p is None for p in paths):
            continue
        if all(fontlib.has_glyphs(str(p), fontlib.VIETNAMESE_CHARS + _EXTRA_CHARS) for p in paths):
            out.append(Family(name, *(str(p) for p in paths)))
    if not out:
        raise RuntimeError("no font with Vietnamese glyphs found (install fonts-dejavu-core)")
    return tuple(out)


def _pick_family(rng: np.random.Generator) -> Family:
    """A family at random; the high-contrast Display cuts, rare on real papers, half as often."""
    fams = families()
    w = np.array([0.5 if "display" in f.name else 1.0 for f in fams])
    return fams[int(rng.choice(len(fams), p=w / w.sum()))]


@functools.cache
def _ocrb_path() -> str:
    p = fontlib.ocr_b()
    if p is None:
        raise RuntimeError("OCR-B font not found (install fonts-ocr-b)")
    return str(p)


# --------------------------------------------------------------------------------------
# Held-out variation (``generate(..., holdout=True)``)
# --------------------------------------------------------------------------------------
# What the default corpus never draws, to measure how extraction generalizes: other font
# families (Times- and Arial-metric Liberation, GNU FreeFont, Open Sans, Roboto, Lato;
# real papers are mostly set in Times New Roman or Arial), on A4 papers the label wordings
# and line spacing that real forms of other years or offices use, other positions, sizes
# and inks, a print-batch colour cast, and people from the held-out lists of
# ``synth.people``. All of it draws from the ``Holdout``'s own generator, and only while
# ``generate(..., holdout=True)`` runs: the default path's random sequence is untouched.

_HOLDOUT_FAMILIES: tuple[tuple[str, str, str, str], ...] = (
    (
        "liberation-serif",
        "LiberationSerif-Regular.ttf",
        "LiberationSerif-Bold.ttf",
        "LiberationSerif-Italic.ttf",
    ),
    (
        "liberation-sans",
        "LiberationSans-Regular.ttf",
        "LiberationSans-Bold.ttf",
        "LiberationSans-Italic.ttf",
    ),
    ("free-serif", "FreeSerif.ttf", "FreeSerifBold.ttf", "FreeSerifItalic.ttf"),
    ("free-sans", "FreeSans.ttf", "FreeSansBold.ttf", "FreeSansOblique.ttf"),
    ("open-sans", "OpenSans-Regular.ttf", "OpenSans-Bold.ttf", "OpenSans-Italic.ttf"),
    ("roboto", "Roboto-Regular.ttf", "Roboto-Bold.ttf", "Roboto-Italic.ttf"),
    (
        "roboto-condensed",
        "RobotoCondensed-Regular.ttf",
        "RobotoCondensed-Bold.ttf",
        "RobotoCondensed-Italic.ttf",
    ),
    ("lato", "Lato-Regular.ttf", "Lato-Bold.ttf", "Lato-Italic.ttf"),
)
HOLDOUT_FONT_PACKAGES = (
    "fonts-liberation2",
    "fonts-freefont-ttf",
    "fonts-open-sans",
    "fonts-roboto-unhinted",
    "fonts-lato",
)


@functools.cache
def holdout_families() -> tuple[Family, ...]:
    """The held-out font families installed here that draw every Vietnamese letter."""
    out = []
    for name, *files in _HOLDOUT_FAMILIES:
        paths = [fontlib.find_file(f) for f in files]
        if any(p is None for p in paths):
            continue
        if all(fontlib.has_glyphs(str(p), fontlib.VIETNAMESE_CHARS + _EXTRA_CHARS) for p in paths):
            out.append(Family(name, *(str(p) for p in paths)))
    if not out:
        raise RuntimeError(
            "no held-out font with Vietnamese glyphs found (install "
            + " ".join(HOLDOUT_FONT_PACKAGES)
            + ")"
        )
    return tuple(out)


# Label wordings of real paper forms (other form years, other offices: "Họ tên" on old
# certificates, "Ngày tháng năm sinh" without commas, "Nơi cư trú" on CT01-style forms,
# "Chỗ ở hiện nay" on older residence papers...), by the label's core (without its
# numbering, trailing ``:`` or `` /``). Only A4 papers are relabelled: card templates are
# fixed by law, so their labels stay as printed on the real cards.
LABEL_VARIANTS: dict[str, tuple[str, ...]] = {
    "Họ và tên": ("Họ, chữ đệm và tên", "Họ tên"),
    "Họ, chữ đệm và tên": ("Họ và tên", "Họ tên", "Họ, chữ đệm, tên"),
    "Họ, chữ đệm, tên": ("Họ, chữ đệm và tên", "Họ và tên"),
    "Họ tên": ("Họ và tên",),
    "Họ, chữ đệm và tên khai sinh": ("Họ, chữ đệm, tên khai sinh", "Họ và tên khai sinh"),
    "Họ, chữ đệm và tên chủ hộ": ("Họ và tên chủ hộ", "Họ tên chủ hộ"),
    "Họ, chữ đệm, tên người mẹ": ("Họ và tên người mẹ", "Họ và tên mẹ"),
    "Họ, chữ đệm, tên người cha": ("Họ và tên người cha", "Họ và tên cha"),
    "Họ và tên mẹ": ("Họ tên mẹ",),
    "Họ và tên cha": ("Họ tên cha",),
    "Ngày, tháng, năm sinh": ("Ngày sinh", "Ngày tháng năm sinh", "Sinh ngày"),
    "Ngày sinh": ("Ngày, tháng, năm sinh", "Ngày tháng năm sinh", "Sinh ngày"),
    "Nơi thường trú": ("Nơi cư trú", "Địa chỉ thường trú"),
    "Nơi cư trú": ("Nơi thường trú", "Địa chỉ cư trú"),
    "Địa chỉ thường trú": ("Nơi thường trú",),
    "Nơi tạm trú": ("Địa chỉ tạm trú",),
    "Nơi ở hiện tại": ("Nơi ở hiện nay", "Chỗ ở hiện nay"),
    "Quan hệ với chủ hộ": ("Mối quan hệ với chủ hộ",),
    "Số định danh cá nhân": ("Số ĐDCN", "Số định danh"),
    "Số định danh cá nhân/CMND": ("Số ĐDCN/CMND", "Số CCCD/CMND"),
    "Nơi đăng ký khai sinh": ("Nơi đăng ký", "Cơ quan đăng ký khai sinh"),
    "Nơi đăng ký": ("Cơ quan đăng ký",),
    "Ngày, tháng, năm đăng ký": ("Ngày đăng ký", "Ngày tháng năm đăng ký"),
    "Thửa đất số": ("Số thửa",),
    "Tờ bản đồ số": ("Số tờ bản đồ",),
    "Mục đích sử dụng": ("Mục đích sử dụng đất",),
    "Thời hạn sử dụng": ("Thời hạn",),
}
_LABEL = re.compile(r"^((?:\d+\.|[a-zđ]\))\s+|,\s*)?(.+?)(\s*/.*|:)?$")


HOLDOUT_PARTS = ("fonts", "layout", "wording", "people")
"""What a held-out specimen varies, each separately switchable (to see which one hurts):
``fonts`` the families; ``layout`` sizes, positions, line spacing, inks, colour cast;
``wording`` A4 labels and address styles; ``people`` names and addresses."""


@dataclass
class Holdout:
    """The held-out choices of one specimen (see the section comment above)."""

    rng: np.random.Generator
    line_factor: float
    relabel_p: float
    gain: tuple[float, float, float]
    parts: frozenset[str] = frozenset(HOLDOUT_PARTS)

    @classmethod
    def draw(cls, rng: np.random.Generator, parts: Iterable[str] = HOLDOUT_PARTS) -> Holdout:
        parts = frozenset(parts)
        unknown = parts - set(HOLDOUT_PARTS)
        if unknown:
            raise ValueError(f"unknown held-out parts {sorted(unknown)}; use {HOLDOUT_PARTS}")
        return cls(
            rng=rng,
            line_factor=float(rng.uniform(0.95, 1.3)),
            relabel_p=float(rng.uniform(0.4, 0.9)),
            gain=tuple(float(g) for g in rng.uniform(0.9, 1.03, 3)),  # type: ignore[arg-type]
            parts=parts,
        )

    def has(self, part: str) -> bool:
        return part in self.parts

    def relabel(self, s: str) -> str:
        """``s`` with its label core replaced by another real wording (sometimes); a
        string whose core is no known label (every value) is returned as it is."""
        m = _LABEL.match(s)
        if m is None:
            return s
        core = m.group(2).strip()
        alts = LABEL_VARIANTS.get(core)
        if not alts or not self.has("wording") or self.rng.random() >= self.relabel_p:
            return s
        return (m.group(1) or "") + _pick(self.rng, alts) + (m.group(3) or "")

    def restyle(self, st: Style, addr_styles: tuple[str, ...]) -> Style:
        if self.has("fonts"):
            fams = holdout_families()
            fam = _pick(self.rng, fams)
            vfam = fam if self.rng.random() < 0.75 else _pick(self.rng, fams)
            st = dataclasses.replace(st, fam=fam, vfam=vfam)
        if self.has("layout"):
            st = dataclasses.replace(
                st,
                scale=float(self.rng.uniform(0.85, 1.15)),
                dx=int(self.rng.integers(-30, 31)),
                dy=int(self.rng.integers(-24, 25)),
                bold_values=bool(self.rng.random() < 0.4),
                ink=_pick(self.rng, ((0, 0, 0), (55, 55, 60), (10, 25, 90), (60, 30, 25))),
            )
        if self.has("wording"):
            styles = (*dict.fromkeys(addr_styles), "abbrev")
            st = dataclasses.replace(st, addr_style=_pick(self.rng, styles))
        return st

    def recolour(self, image: np.ndarray) -> np.ndarray:
        """Another print batch: a slight colour cast and contrast of the whole paper."""
        if not self.has("layout"):
            return image
        g = np.array(self.gain[::-1], np.float32)  # BGR
        out = image.astype(np.float32) * g
        return np.clip(out, 0, 255).astype(np.uint8)


_HOLDOUT: contextvars.ContextVar[Holdout | None] = contextvars.ContextVar("holdout", default=None)


def _holdout_canvas(cv: Canvas) -> None:
    ho = _HOLDOUT.get()
    if ho is None or not ho.has("layout"):
        return
    cv.value_ink = _pick(ho.rng, ((20, 40, 140), (70, 20, 20), None, None, None))
    cv.dots = bool(ho.rng.random() < 0.3) if cv.w > CARD_SIZE[0] else False


def _spouse(rng: np.random.Generator, p: Person) -> Person:
    ho = _HOLDOUT.get()
    return (
        make_spouse(rng, p) if ho is None or not ho.has("people") else make_holdout_spouse(rng, p)
    )


def _holdout_household(hh, p: Person):
    """The household head renamed from the held-out lists (same surname for kin)."""
    ho = _HOLDOUT.get()
    if ho is None or not ho.has("people") or hh.relationship == "Chủ hộ":
        return hh
    kin = hh.relationship in ("Con", "Cháu", "Em", "Anh")
    sex = {"Vợ": "Nam", "Chồng": "Nữ", "Mẹ": "Nữ", "Bố": "Nam"}.get(hh.relationship, "Nam")
    sur, mid, giv = make_holdout_name(ho.rng, sex, surname=p.surname if kin else None)
    return dataclasses.replace(hh, head_name=nfc(f"{sur} {mid} {giv}"))


# --------------------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------------------

INK = (25, 25, 35)
RED = (200, 30, 35)


class _Overflow(Exception):
    """A value ran off the card or page: the specimen is drawn again in another style."""


class Canvas:
    """A PIL RGB image plus the boxes of what was drawn."""

    def __init__(self, size: tuple[int, int], bg: tuple[int, int, int], rng: np.random.Generator):
        self.img = Image.new("RGB", size, bg)
        self.draw = ImageDraw.Draw(self.img)
        self.rng = rng
        self.boxes: dict[str, BBox] = {}
        self.w, self.h = size
        self.ink: tuple[int, int, int] = INK
        self.value_ink: tuple[int, int, int] | None = None
        self.dots = False
        """Dotted leaders after labels, as on printed forms filled in afterwards."""
        self.value_col: float | None = None
        """Values on the label's line start at least at this x (aligned columns)."""
        self.drawn: dict[str, list[str]] = {}
        self._texts: dict[BBox, str] = {}

    def text(
        self,
        xy: tuple[float, float],
        s: str,
        font: ImageFont.FreeTypeFont,
        fill: tuple[int, int, int] | None = None,
        anchor: str = "la",
    ) -> BBox:
        s = nfc(s)
        ho = _HOLDOUT.get()
        if ho is not None and self.h > CARD_SIZE[1] * 2:  # A4 papers only (see LABEL_VARIANTS)
            s = ho.relabel(s)
        x, y = xy
        fill = self.ink if fill is None or fill == INK else fill
        self.draw.text((x, y), s, font=font, fill=fill, anchor=anchor)
        b = self.draw.textbbox((x, y), s, font=font, anchor=anchor)
        box = (int(b[0]), int(b[1]), int(b[2]), int(b[3]))
        self._texts[box] = s
        return box

    def width(self, s: str, font: ImageFont.FreeTypeFont) -> float:
        return float(self.draw.textlength(nfc(s), font=font))

    def center(self, y: float, s: str, font, fill=None, cx: float | None = None) -> BBox:
        cx = self.w / 2 if cx is None else cx
        return self.text((cx, y), s, font, fill, anchor="ma")

    def record(self, key: str, box: BBox | None) -> None:
        if box is None:
            return
        if box[3] > self.h - 4 or box[2] > self.w - 2:
            raise _Overflow(key)
        for other_key, other in self.boxes.items():
            if other_key != key and other != box and _intersects(box, other):
                raise _Overflow(f"{key} over {other_key}")
        if key and box in self._texts:
            self.drawn.setdefault(key, []).append(self._texts[box])
        if key in self.boxes:
            box = union(self.boxes[key], box)
        self.boxes[key] = box

    def flow(
        self,
        x: float,
        y: float,
        label: str,
        value: str,
        *,
        label_font,
        value_font,
        max_x: float,
        line_h: float,
        key: str | None = None,
        same_line: bool = True,
        indent: float | None = None,
        value_fill=None,
        label_fill=None,
        sublabel: str | None = None,
        sublabel_font=None,
    ) -> float:
        """Draw ``label`` then ``value`` (wrapped), return the y of the next line.

        ``same_line``: the value starts after the label; else on the next line at ``indent``.
        ``sublabel``: an English label after the Vietnamese one (``Họ và tên / Full name:``).
        """
        cx = x
        ho = _HOLDOUT.get()
        if ho is not None and ho.has("layout") and self.h > CARD_SIZE[1] * 2:  # A4 papers
            line_h *= ho.line_factor
            if label and ho.rng.random() < 0.15:
                same_line = not same_line
        if sublabel:
            r = self.rng.random()
            if r < 0.25:  # "Ngày sinh / Date of birth:" in one font
                label, sublabel = f"{label} {sublabel}", None
            elif r < 0.45:
                label = label.replace(" /", "/")
        if label:
            b = self.text((cx, y), label, label_font, label_fill)
            cx = b[2] if b[2] > b[0] else cx
            if sublabel:
                sb = self.text((cx + 4, y + 2), sublabel, sublabel_font or label_font, label_fill)
                cx = sb[2]
            cx += max(self.width(" ", value_font), 0.35 * value_font.size)
            if self.value_col is not None and same_line:
                cx = max(cx, self.value_col)
        if value_fill is None:
            value_fill = self.value_ink
        indent = x if indent is None else indent
        if not same_line:
            y += line_h
            cx = indent
        words = nfc(value).split(" ") if value else []
        line: list[str] = []
        dotted = self.dots and bool(label)

        def emit(text: str, cx: float, y: float) -> None:
            if dotted:
                self.dotted(cx, y + value_font.size * 1.05, max_x)
            if text:
                self.record(key or "", self.text((cx, y), text, value_font, value_fill))

        for w in words:
            trial = " ".join([*line, w])
            if line and cx + self.width(trial, value_font) > max_x:
                emit(" ".join(line), cx, y)
                y += line_h
                cx = indent
                line = [w]
            else:
                line.append(w)
        emit(" ".join(line), cx, y)
        self.boxes.pop("", None)
        return y + line_h

    def dotted(self, x0: float, y: float, x1: float) -> None:
        step = 9
        col = tuple(min(255, c + 60) for c in self.ink)
        for x in range(int(x0), int(x1), step):
            self.draw.ellipse((x, y, x + 2.4, y + 2.4), fill=col)

    def paste(self, im: Image.Image, xy: tuple[int, int]) -> BBox:
        self.img.paste(im, xy)
        return (xy[0], xy[1], xy[0] + im.width, xy[1] + im.height)

    def to_bgr(self) -> np.ndarray:
        arr = np.asarray(self.img, dtype=np.uint8)
        return np.ascontiguousarray(arr[:, :, ::-1])


def _intersects(a: BBox, b: BBox) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def union(a: BBox, b: BBox) -> BBox:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _tint(rng: np.random.Generator, base: tuple[int, int, int], spread: int = 10):
    return tuple(int(np.clip(c + rng.integers(-spread, spread + 1), 0, 255)) for c in base)


def guilloche(cv: Canvas, rng: np.random.Generator, color: tuple[int, int, int], n: int = 14):
    """Fine wavy security lines over the card background."""
    w, h = cv.w, cv.h
    xs = np.linspace(0, w, 220)
    for i in range(n):
        amp = rng.uniform(8, 40)
        freq = rng.uniform(1.5, 6.0) * 2 * np.pi / w
        phase = rng.uniform(0, 2 * np.pi)
        y0 = h * (i + 0.5) / n + rng.uniform(-10, 10)
        ys = y0 + amp * np.sin(xs * freq + phase) + 0.3 * amp * np.sin(3 * xs * freq + phase)
        cv.draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=color, width=1)
    # concentric rosette
    cx, cy = rng.uniform(0.3, 0.7) * w, rng.uniform(0.3, 0.7) * h
    for r in range(40, int(min(w, h) * 0.55), int(rng.integers(14, 26))):
        pts = []
        k = int(rng.integers(5, 11))
        for t in np.linspace(0, 2 * np.pi, 180):
            rr = r + 6 * np.sin(k * t)
            pts.append((cx + rr * np.cos(t), cy + 0.8 * rr * np.sin(t)))
        cv.draw.line(pts, fill=color, width=1)


def frame(cv: Canvas, rng: np.random.Generator) -> None:
    """An ornamental border: double rule, or a rule with a wavy band inside."""
    m = int(rng.integers(70, 130))
    col = _pick(rng, ((170, 40, 40), (40, 60, 130), (120, 100, 60), (90, 90, 90)))
    w, h = cv.w, cv.h
    cv.draw.rectangle((m, m, w - m, h - m), outline=col, width=int(rng.integers(3, 8)))
    inner = m + int(rng.integers(14, 26))
    if rng.random() < 0.5:
        cv.draw.rectangle((inner, inner, w - inner, h - inner), outline=col, width=2)
    else:
        amp, period = 6.0, float(rng.uniform(18, 30))
        xs = np.arange(inner, w - inner, 3, dtype=float)
        ys = np.arange(inner, h - inner, 3, dtype=float)
        for y0, sign in ((inner, 1), (h - inner, -1)):
            pts = [(x, y0 + sign * amp * (1 + np.sin(x / period))) for x in xs]
            cv.draw.line(pts, fill=col, width=2)
        for x0, sign in ((inner, 1), (w - inner, -1)):
            pts = [(x0 + sign * amp * (1 + np.sin(y / period)), y) for y in ys]
            cv.draw.line(pts, fill=col, width=2)


def emblem(cv: Canvas, box: BBox) -> None:
    """The national emblem, stylised: a red disc, a yellow star, a golden ring."""
    x0, y0, x1, y1 = box
    cv.draw.ellipse(box, fill=(205, 40, 40), outline=(215, 170, 40), width=max(2, (x1 - x0) // 18))
    cx, cy, r = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 0.28
    pts = []
    for i in range(10):
        a = -np.pi / 2 + i * np.pi / 5
        rr = r if i % 2 == 0 else r * 0.4
        pts.append((cx + rr * np.cos(a), cy - r * 0.15 + rr * np.sin(a)))
    cv.draw.polygon(pts, fill=(250, 215, 40))
    cv.draw.rectangle((cx - r, cy + r * 0.75, cx + r, cy + r * 1.0), fill=(215, 170, 40))


def photo(cv: Canvas, box: BBox, rng: np.random.Generator) -> None:
    """A placeholder portrait: a shaded background, head and shoulders, hair, photo grain."""
    x0, y0, x1, y1 = box
    w, h = int(x1 - x0), int(y1 - y0)
    top = np.array(_tint(rng, (215, 225, 240), 15), np.float32)
    bottom = np.array(_tint(rng, (180, 195, 220), 15), np.float32)
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    bg = (top * (1 - t) + bottom * t) * np.ones((1, w, 1), np.float32)
    im = Image.fromarray(np.clip(bg, 0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(im)
    skin = _tint(rng, (200, 165, 140), 25)
    cloth = _tint(rng, (60, 60, 80), 40)
    hair = _tint(rng, (30, 25, 25), 10)
    d.ellipse((w * 0.08, h * 0.66, w * 0.92, h * 1.4), fill=cloth)
    d.rectangle((w * 0.42, h * 0.5, w * 0.58, h * 0.7), fill=skin)
    d.ellipse((w * 0.3, h * 0.16, w * 0.7, h * 0.6), fill=skin)
    d.chord((w * 0.28, h * 0.1, w * 0.72, h * 0.5), 180, 360, fill=hair)
    for ex in (0.42, 0.58):
        d.ellipse((w * ex - 5, h * 0.36, w * ex + 5, h * 0.38 + 4), fill=(40, 30, 30))
    d.line((w * 0.45, h * 0.5, w * 0.55, h * 0.5), fill=(150, 90, 90), width=3)
    arr = np.asarray(im, np.float32) + rng.normal(0, 6, (h, w, 1)).astype(np.float32)
    im = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    ImageDraw.Draw(im).rectangle((0, 0, w - 1, h - 1), outline=(150, 150, 160))
    cv.img.paste(im, (int(x0), int(y0)))


def fingerprint(cv: Canvas, box: BBox, rng: np.random.Generator, label: str, font) -> None:
    x0, y0, x1, y1 = box
    cv.draw.rectangle(box, outline=(120, 120, 130), width=2)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2 + 8
    for r in range(6, int(min(x1 - x0, y1 - y0) * 0.38), 5):
        cv.draw.ellipse(
            (cx - r * 0.75, cy - r, cx + r * 0.75, cy + r),
            outline=(90 + int(rng.integers(0, 40)),) * 3,
            width=1,
        )
    cv.text(((x0 + x1) / 2, y1 + 4), label, font, anchor="ma")


def qr_image(payload: str, size: int) -> Image.Image:
    q = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=4, border=2)
    q.add_data(payload.encode("utf-8"))
    q.make(fit=True)
    img = q.make_image(fill_color="black", back_color="white").get_image().convert("RGB")
    return img.resize((size, size), Image.NEAREST)


def mrz_block(cv: Canvas, lines: tuple[str, ...], x: int, y: int, width: int) -> BBox:
    """Draw TD1 lines in OCR-B with a 30-characters-per-``width`` pitch."""
    size = 40
    font = ImageFont.truetype(_ocrb_path(), size)
    adv = font.getlength("<" * 30)
    size = int(size * width / adv)
    font = ImageFont.truetype(_ocrb_path(), size)
    line_h = int(size * 1.22)
    box = None
    for i, ln in enumerate(lines):
        b = cv.text((x, y + i * line_h), ln, font, (20, 20, 20))
        box = b if box is None else union(box, b)
    assert box is not None
    return box


# --------------------------------------------------------------------------------------
# Machine-readable data
# --------------------------------------------------------------------------------------


def qr_payload(p: Person, issued: dt.date, residence: str, *, extras: Iterable[str] = ()) -> str:
    dob = p.date_of_birth
    parts = [
        p.id_number,
        p.old_id_number or "",
        p.full_name,
        f"{dob.day:02d}{dob.month:02d}{dob.year}",
        p.sex,
        residence,
        f"{issued.day:02d}{issued.month:02d}{issued.year}",
        *extras,
    ]
    return "|".join(nfc(x) if x else "" for x in parts)


def yymmdd(d: dt.date) -> str:
    return f"{d.year % 100:02d}{d.month:02d}{d.day:02d}"


def td1_lines(p: Person, expiry: dt.date | None) -> tuple[str, str, str]:
    """The three TD1 lines of a Vietnamese card, per the spec."""
    doc = p.id_number[-9:]
    opt = p.id_number + "<<" + mrz_check_digit(p.id_number)
    l1 = "IDVNM" + doc + mrz_check_digit(doc) + opt
    l1 = (l1 + "<" * 30)[:30]
    b = yymmdd(p.date_of_birth)
    if expiry is None:
        e, ecd = "<<<<<<", "<"
    else:
        e = yymmdd(expiry)
        ecd = mrz_check_digit(e)
    sex = "M" if p.sex == "Nam" else "F"
    l2 = b + mrz_check_digit(b) + sex + e + ecd + "VNM"
    l2 = (l2 + "<" * 29)[:29]
    composite = l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
    l2 += mrz_check_digit(composite)
    l3 = (p.mrz_name() + "<" * 30)[:30]
    return l1, l2, l3


# --------------------------------------------------------------------------------------
# Style per specimen
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Style:
    fam: Family
    scale: float
    dx: int
    dy: int
    addr_style: str
    bold_values: bool
    vfam: Family
    """Family of the values (printed over the form): usually the labels' own."""
    ink: tuple[int, int, int]


def _style(rng: np.random.Generator, *, addr_styles=("spec", "spec", "full", "short")) -> Style:
    fam = _pick_family(rng)
    st = Style(
        fam=fam,
        scale=float(rng.uniform(0.9, 1.1)),
        dx=int(rng.integers(-12, 13)),
        dy=int(rng.integers(-10, 11)),
        addr_style=_pick(rng, addr_styles),
        bold_values=bool(rng.random() < 0.5),
        vfam=fam if rng.random() < 0.7 else _pick_family(rng),
        ink=_pick(rng, ((25, 25, 35), (15, 15, 15), (40, 40, 48), (20, 30, 75), (35, 30, 30))),
    )
    ho = _HOLDOUT.get()
    return st if ho is None else ho.restyle(st, addr_styles)


def _card_bg(rng: np.random.Generator, base: tuple[int, int, int]) -> tuple[Canvas, Style]:
    st = _style(rng)
    cv = Canvas(CARD_SIZE, _tint(rng, base, 8), rng)
    cv.ink = st.ink
    line_col = tuple(max(0, c - int(rng.integers(18, 35))) for c in cv.img.getpixel((0, 0)))
    guilloche(cv, rng, line_col, n=int(rng.integers(8, 18)))
    _holdout_canvas(cv)
    return cv, st


def _card_edge(cv: Canvas) -> None:
    cv.draw.rounded_rectangle(
        (0, 0, cv.w - 1, cv.h - 1), radius=28, outline=(150, 150, 150), width=2
    )


def _issue(p: Person, kind: str, rng: np.random.Generator) -> dt.date:
    if kind in p.card_issue:
        return p.card_issue[kind]
    ranges = {
        "cmnd": (dt.date(1995, 1, 1), dt.date(2015, 12, 31)),
        "cccd2016": (dt.date(2016, 1, 1), dt.date(2020, 12, 31)),
        "cccd2021": (dt.date(2021, 1, 1), dt.date(2024, 6, 30)),
        "cancuoc": (dt.date(2024, 7, 1), dt.date(2025, 6, 30)),
    }[kind]
    lo = max(ranges[0], add_years(p.date_of_birth, 14))
    return random_date(rng, lo, max(lo, ranges[1]))


# --------------------------------------------------------------------------------------
# Cards
# --------------------------------------------------------------------------------------


def _national_header(cv: Canvas, st: Style, cx: float, y: float, *, english: bool) -> float:
    s = st.scale
    f1 = st.fam.font(23 * s, "bold")
    f2 = st.fam.font(21 * s, "bold" if cv.rng.random() < 0.5 else "regular")
    cv.center(y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", f1, cx=cx)
    y += 30 * s
    if english:
        cv.center(y, "SOCIALIST REPUBLIC OF VIET NAM", st.fam.font(17 * s), cx=cx)
        y += 24 * s
    cv.center(y, "Độc lập - Tự do - Hạnh phúc", f2, cx=cx)
    return y + 32 * s


def render_cccd_front(p: Person, rng: np.random.Generator, variant: str) -> Specimen:
    new = variant == "2021"
    cv, st = _card_bg(rng, (214, 232, 236) if new else (236, 226, 214))
    s = st.scale
    kind = "cccd2021" if new else "cccd2016"
    issued = _issue(p, kind, rng)
    expiry = card_expiry(p.date_of_birth, issued)
    truth: dict[str, str] = {}
    payload = None

    emblem(cv, (28 + st.dx, 24 + st.dy, 138 + st.dx, 134 + st.dy))
    hx = 500 if new else 560
    y = _national_header(cv, st, hx + st.dx, 26 + st.dy, english=False)
    title_f = st.fam.font(36 * s, "bold")
    cv.center(
        y,
        "CĂN CƯỚC CÔNG DÂN",
        title_f,
        fill=RED if not new or rng.random() < 0.6 else INK,
        cx=hx + st.dx,
    )
    y += 44 * s
    lab = st.fam.font(21 * s)
    sub = st.fam.font(18 * s, "italic")
    val = st.vfam.font(27 * s, "bold" if st.bold_values else "regular")
    big = st.vfam.font(33 * s, "bold")
    if new:
        cv.center(y, "Citizen Identity Card", st.fam.font(22 * s, "italic"), cx=hx + st.dx)
        y += 30 * s
        residence = p.residence.format(st.addr_style)
        payload = qr_payload(p, issued, residence)
        qsize = int(rng.integers(150, 175))
        cv.record("qr", cv.paste(qr_image(payload, qsize), (CARD_SIZE[0] - qsize - 22, 22)))
    else:
        residence = p.residence.format(st.addr_style)
        y += 6
    photo(cv, (34 + st.dx, 200 + st.dy, 224 + st.dx, 440 + st.dy), rng)

    x = 250 + st.dx
    max_x = CARD_SIZE[0] - 24
    lh = 37 * s
    y = max(y, 190 + st.dy)
    # Số / No.
    b = cv.text((x, y + 6), "Số / No.:" if new else "Số:", lab)
    nb = cv.text((b[2] + 14, y), p.id_number, big, fill=RED if not new else INK)
    cv.record("id_number", nb)
    truth["id_number"] = p.id_number
    y += 42 * s
    name_label = (
        _pick(rng, ("Họ và tên", "Họ và tên", "Họ, chữ đệm và tên")) if new else "Họ và tên"
    )
    same = rng.random() < 0.25
    y = cv.flow(
        x, y, name_label + (" /" if new else ":"), p.upper_name,
        label_font=lab, value_font=big, max_x=max_x, line_h=lh * 1.1, key="full_name",
        same_line=same, sublabel="Full name:" if new else None, sublabel_font=sub,
        indent=x + (0 if rng.random() < 0.6 else 60),
    )  # fmt: skip
    truth["full_name"] = p.upper_name
    dob_label = "Ngày sinh /" if new else _pick(rng, ("Ngày, tháng, năm sinh:", "Ngày sinh:"))
    y = cv.flow(
        x, y, dob_label, dmy(p.date_of_birth), label_font=lab, value_font=val, max_x=max_x,
        line_h=lh, key="date_of_birth", sublabel="Date of birth:" if new else None,
        sublabel_font=sub,
    )  # fmt: skip
    truth["date_of_birth"] = iso(p.date_of_birth)
    # sex and nationality on one line
    b = cv.text((x, y), "Giới tính /" if new else "Giới tính:", lab)
    if new:
        b = cv.text((b[2] + 4, y + 2), "Sex:", sub)
    cv.record("sex", cv.text((b[2] + 10, y), p.sex, val))
    nx = x + int(230 * s)
    b = cv.text((nx, y), "Quốc tịch /" if new else "Quốc tịch:", lab)
    if new:
        b = cv.text((b[2] + 4, y + 2), "Nationality:", sub)
    cv.record("nationality", cv.text((b[2] + 10, y), p.nationality, val))
    truth["sex"] = p.sex
    truth["nationality"] = p.nationality
    y += lh
    origin = p.place_of_origin.short_origin(st.addr_style)
    y = cv.flow(
        x, y, "Quê quán /" if new else "Quê quán:", origin, label_font=lab, value_font=val,
        max_x=max_x, line_h=lh, key="place_of_origin", same_line=rng.random() < 0.4,
        sublabel="Place of origin:" if new else None, sublabel_font=sub,
    )  # fmt: skip
    truth["place_of_origin"] = origin
    y = cv.flow(
        x, y, "Nơi thường trú /" if new else "Nơi thường trú:", residence, label_font=lab,
        value_font=val, max_x=max_x, line_h=lh, key="place_of_residence",
        same_line=rng.random() < 0.7, sublabel="Place of residence:" if new else None,
        sublabel_font=sub,
    )  # fmt: skip
    truth["place_of_residence"] = residence
    # expiry: bottom left under the photo
    exp_text = dmy(expiry) if expiry else NO_EXPIRY
    ey = 470 + st.dy
    ef = st.fam.font(16 * s, "italic")
    ex = 30 + st.dx
    form = rng.random()
    if new and form < 0.4:  # three lines under the photo
        cv.text((ex, ey), "Có giá trị đến:", st.fam.font(17 * s))
        cv.text((ex, ey + 22 * s), "Date of expiry", ef)
        b = cv.text((ex, ey + 46 * s), exp_text, st.fam.font(21 * s))
    elif new and form < 0.7:  # bilingual label, date below
        cv.text((ex, ey), "Có giá trị đến/Date of expiry:", st.fam.font(16 * s))
        b = cv.text((ex, ey + 26 * s), exp_text, st.fam.font(22 * s))
    elif new:  # date after the label, English below
        lb = cv.text((ex, ey + 8), "Có giá trị đến:", st.fam.font(17 * s))
        b = cv.text((lb[2] + 8, ey + 6), exp_text, st.fam.font(21 * s))
        cv.text((ex, ey + 34 * s), "Date of expiry", ef)
    else:
        cv.text((30 + st.dx, ey), "Có giá trị đến:", st.fam.font(18 * s))
        b = cv.text((30 + st.dx, ey + 26 * s), exp_text, st.fam.font(21 * s))
    cv.record("date_of_expiry", b)
    truth["date_of_expiry"] = iso(expiry) if expiry else NO_EXPIRY
    if new:
        if p.old_id_number:
            truth["old_id_number"] = p.old_id_number
            cv.record("old_id_number", cv.boxes["qr"])
        truth["date_of_issue"] = iso(issued)
        cv.record("date_of_issue", cv.boxes["qr"])
    _card_edge(cv)
    return _finish(cv, "cccd_front", truth, payload, None, variant, p, st)


def render_cccd_back(p: Person, rng: np.random.Generator, variant: str) -> Specimen:
    new = variant == "2021"
    cv, st = _card_bg(rng, (222, 232, 238) if new else (238, 230, 220))
    s = st.scale
    issued = _issue(p, "cccd2021" if new else "cccd2016", rng)
    expiry = card_expiry(p.date_of_birth, issued)
    truth: dict[str, str] = {}
    lab = st.fam.font(19 * s)
    sub = st.fam.font(17 * s, "italic")
    val = st.vfam.font(22 * s, "bold" if st.bold_values else "regular")
    x = 30 + st.dx
    y = 30 + st.dy
    fp_font = st.fam.font(15 * s)
    fx = 640 + st.dx if new else 30 + st.dx
    if new:
        # chip
        cv.draw.rounded_rectangle((x + 10, 70, x + 130, 160), radius=12, fill=(205, 180, 95))
        for k in range(1, 4):
            cv.draw.line((x + 10, 70 + 22 * k, x + 130, 70 + 22 * k), fill=(150, 120, 50))
        text_x = x
        y = 185 + st.dy
        fingerprint(cv, (fx, 30, fx + 150, 190), rng, "Ngón trỏ trái", fp_font)
        fingerprint(cv, (fx + 170, 30, fx + 320, 190), rng, "Ngón trỏ phải", fp_font)
        max_x = 600
    else:
        fingerprint(cv, (fx, 40, fx + 170, 230), rng, "Ngón trỏ trái", fp_font)
        fingerprint(cv, (fx + 190, 40, fx + 360, 230), rng, "Ngón trỏ phải", fp_font)
        text_x = 440 + st.dx
        y = 40 + st.dy
        max_x = CARD_SIZE[0] - 24
    lh = 30 * s
    y = cv.flow(
        text_x, y, "Đặc điểm nhân dạng" + (" /" if new else ":"), p.personal_identification,
        label_font=lab, value_font=val, max_x=max_x, line_h=lh, key="personal_identification",
        same_line=not new and rng.random() < 0.5,
        sublabel="Personal identification:" if new else None,
        sublabel_font=sub,
    )  # fmt: skip
    truth["personal_identification"] = nfc(p.personal_identification)
    y += 6
    if new:
        y = cv.flow(
            text_x, y, "Ngày, tháng, năm /", dmy(issued), label_font=lab, value_font=val,
            max_x=max_x, line_h=lh, key="date_of_issue", sublabel="Date, month, year:",
            sublabel_font=sub,
        )  # fmt: skip
        issuer = ISSUER_2021
        parts = ("CỤC TRƯỞNG CỤC CẢNH SÁT", "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI")
    else:
        b = cv.text(
            (text_x, y),
            f"Ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}",
            st.fam.font(21 * s, "italic"),
        )
        cv.record("date_of_issue", b)
        y += lh + 4
        issuer = ISSUER_2016
        parts = ("CỤC TRƯỞNG CỤC CẢNH SÁT", "ĐKQL CƯ TRÚ VÀ DLQG VỀ DÂN CƯ")
    truth["date_of_issue"] = iso(issued)
    issuer_f = st.fam.font(18 * s, "bold")
    icx = (text_x + max_x) / 2 if new else (text_x + max_x) / 2
    for part in parts:
        cv.record("issuing_authority", cv.center(y, part, issuer_f, cx=icx))
        y += 24 * s
    if new:
        cv.center(
            y, "DIRECTOR GENERAL OF THE POLICE DEPARTMENT", st.fam.font(12 * s, "italic"), cx=icx
        )
        y += 16 * s
        cv.center(
            y,
            "FOR ADMINISTRATIVE MANAGEMENT OF SOCIAL ORDER",
            st.fam.font(12 * s, "italic"),
            cx=icx,
        )
        y += 18 * s
    truth["issuing_authority"] = issuer
    # seal + signature
    sx = int(icx - 90)
    cv.draw.ellipse((sx, y, sx + 70, y + 70), outline=(215, 60, 60), width=3)
    cv.draw.line(
        (icx - 10, y + 40, icx + 60, y + 20, icx + 80, y + 45), fill=(40, 40, 120), width=2
    )
    signer = _officer(rng)
    cv.center(y + 78, signer, st.fam.font(17 * s, "bold"), cx=icx)
    lines = None
    if new:
        lines = td1_lines(p, expiry)
        mb = mrz_block(
            cv, lines, 40 + int(rng.integers(-8, 9)), 470 + int(rng.integers(-10, 6)), 930
        )
        for k in ("mrz", "id_number", "date_of_birth", "sex", "date_of_expiry"):
            cv.record(k, mb)
        truth["id_number"] = p.id_number
        truth["date_of_birth"] = iso(p.date_of_birth)
        truth["sex"] = p.sex
        if expiry is not None:
            truth["date_of_expiry"] = iso(expiry)
        else:
            cv.boxes.pop("date_of_expiry", None)
        truth["mrz"] = "\n".join(lines)
    _card_edge(cv)
    return _finish(cv, "cccd_back", truth, None, lines, variant, p, st)


def render_cancuoc_front(p: Person, rng: np.random.Generator, variant: str) -> Specimen:
    cv, st = _card_bg(rng, (226, 230, 240))
    s = st.scale
    truth: dict[str, str] = {}
    emblem(cv, (30 + st.dx, 26 + st.dy, 140 + st.dx, 136 + st.dy))
    hx = 570
    y = _national_header(cv, st, hx + st.dx, 24 + st.dy, english=True)
    cv.center(y, "CĂN CƯỚC", st.fam.font(40 * s, "bold"), fill=RED, cx=hx + st.dx)
    y += 46 * s
    cv.center(y, "IDENTITY CARD", st.fam.font(22 * s, "bold"), cx=hx + st.dx)
    photo(cv, (34 + st.dx, 200 + st.dy, 234 + st.dx, 460 + st.dy), rng)
    # chip on the front of the 2024 card, under the photo
    cv.draw.rounded_rectangle((60, 490, 170, 570), radius=12, fill=(205, 180, 95))
    lab = st.fam.font(21 * s)
    sub = st.fam.font(17 * s, "italic")
    val = st.vfam.font(28 * s, "bold" if st.bold_values else "regular")
    big = st.vfam.font(33 * s, "bold")
    x = 262 + st.dx
    max_x = CARD_SIZE[0] - 24
    y = 218 + st.dy
    lh = 38 * s
    y = cv.flow(
        x, y, "Số định danh cá nhân /", p.id_number, label_font=lab, value_font=big,
        max_x=max_x, line_h=lh * 1.1, key="id_number", same_line=False,
        sublabel="Personal identification number:", sublabel_font=sub,
    )  # fmt: skip
    truth["id_number"] = p.id_number
    y = cv.flow(
        x, y, _pick(rng, ("Họ, chữ đệm và tên khai sinh /", "Họ, chữ đệm và tên /")),
        p.upper_name, label_font=lab, value_font=big, max_x=max_x, line_h=lh * 1.1,
        key="full_name", same_line=False, sublabel="Full name:", sublabel_font=sub,
    )  # fmt: skip
    truth["full_name"] = p.upper_name
    y = cv.flow(
        x, y, "Ngày, tháng, năm sinh /", dmy(p.date_of_birth), label_font=lab, value_font=val,
        max_x=max_x, line_h=lh, key="date_of_birth", sublabel="Date of birth:", sublabel_font=sub,
    )  # fmt: skip
    truth["date_of_birth"] = iso(p.date_of_birth)
    b = cv.text((x, y), "Giới tính /", lab)
    b = cv.text((b[2] + 4, y + 2), "Sex:", sub)
    cv.record("sex", cv.text((b[2] + 10, y), p.sex, val))
    nx = x + int(250 * s)
    b = cv.text((nx, y), "Quốc tịch /", lab)
    b = cv.text((b[2] + 4, y + 2), "Nationality:", sub)
    cv.record("nationality", cv.text((b[2] + 10, y), p.nationality, val))
    truth["sex"] = p.sex
    truth["nationality"] = p.nationality
    _card_edge(cv)
    return _finish(cv, "cancuoc_front", truth, None, None, variant, p, st)


def render_cancuoc_back(p: Person, rng: np.random.Generator, variant: str) -> Specimen:
    cv, st = _card_bg(rng, (230, 234, 240))
    s = st.scale
    truth: dict[str, str] = {}
    issued = _issue(p, "cancuoc", rng)
    expiry = card_expiry(p.date_of_birth, issued)
    residence = p.residence.format(st.addr_style)
    extras: tuple[str, ...] = ()
    if rng.random() < 0.6:
        extras = ("", "", "")
    payload = qr_payload(p, issued, residence, extras=extras)
    qsize = int(rng.integers(160, 190))
    cv.record("qr", cv.paste(qr_image(payload, qsize), (28 + st.dx, 26 + st.dy)))
    lab = st.fam.font(18 * s)
    sub = st.fam.font(16 * s, "italic")
    val = st.vfam.font(22 * s, "bold" if st.bold_values else "regular")
    x = 28 + qsize + 26 + st.dx
    max_x = CARD_SIZE[0] - 24
    y = 28 + st.dy
    lh = 28 * s
    y = cv.flow(
        x, y, "Nơi cư trú /", residence, label_font=lab, value_font=val, max_x=max_x, line_h=lh,
        key="place_of_residence", same_line=rng.random() < 0.5,
        sublabel="Place of residence:", sublabel_font=sub,
    )  # fmt: skip
    truth["place_of_residence"] = residence
    pob_style = _pick(rng, ("spec", "short", "full"))
    pob = (
        p.place_of_birth.short_origin(pob_style)
        if rng.random() < 0.7
        else p.place_of_birth.province.name
    )
    y = cv.flow(
        x, y + 4, "Nơi đăng ký khai sinh /", pob, label_font=lab, value_font=val, max_x=max_x,
        line_h=lh, key="place_of_birth_registration", same_line=rng.random() < 0.5,
        sublabel="Place of birth:", sublabel_font=sub,
    )  # fmt: skip
    truth["place_of_birth_registration"] = pob
    y = max(y + 4, 28 + qsize + 12)
    x2 = 40 + st.dx
    y = cv.flow(
        x2, y, _pick(rng, ("Ngày, tháng, năm cấp /", "Ngày cấp /")), dmy(issued),
        label_font=lab, value_font=val,
        max_x=max_x, line_h=lh, key="date_of_issue", sublabel="Date of issue:", sublabel_font=sub,
    )  # fmt: skip
    truth["date_of_issue"] = iso(issued)
    y = cv.flow(
        x2, y, _pick(rng, ("Ngày, tháng, năm hết hạn /", "Ngày hết hạn /")),
        dmy(expiry) if expiry else NO_EXPIRY,
        label_font=lab, value_font=val, max_x=max_x, line_h=lh, key="date_of_expiry",
        sublabel="Date of expiry:", sublabel_font=sub,
    )  # fmt: skip
    truth["date_of_expiry"] = iso(expiry) if expiry else NO_EXPIRY
    icx = 760 + st.dx
    ib = cv.center(300 + st.dy, ISSUER_2024, st.fam.font(22 * s, "bold"), cx=icx)
    cv.record("issuing_authority", ib)
    cv.center(ib[3] + 4, "MINISTRY OF PUBLIC SECURITY", st.fam.font(14 * s, "italic"), cx=icx)
    truth["issuing_authority"] = ISSUER_2024
    cv.draw.ellipse((icx - 110, 345, icx - 40, 415), outline=(215, 60, 60), width=3)
    lines = td1_lines(p, expiry)
    mb = mrz_block(cv, lines, 40 + int(rng.integers(-8, 9)), 470 + int(rng.integers(-10, 6)), 930)
    cv.record("mrz", mb)
    for k in ("id_number", "date_of_birth", "sex"):
        cv.record(k, mb)
    truth["id_number"] = p.id_number
    truth["date_of_birth"] = iso(p.date_of_birth)
    truth["sex"] = p.sex
    truth["mrz"] = "\n".join(lines)
    if p.old_id_number:
        truth["old_id_number"] = p.old_id_number
        cv.record("old_id_number", cv.boxes["qr"])
    _card_edge(cv)
    return _finish(cv, "cancuoc_back", truth, payload, lines, variant, p, st)


def _cmnd_front(p: Person, rng: np.random.Generator, st: Style) -> tuple[Canvas, dict]:
    cv = Canvas(CARD_SIZE, _tint(rng, (226, 236, 222), 8), rng)
    cv.ink = st.ink
    guilloche(cv, rng, _tint(rng, (190, 210, 190), 10), n=int(rng.integers(8, 16)))
    s = st.scale
    truth: dict[str, str] = {}
    emblem(cv, (40 + st.dx, 40 + st.dy, 190 + st.dx, 190 + st.dy))
    photo(cv, (50 + st.dx, 240 + st.dy, 200 + st.dx, 440 + st.dy), rng)
    hx = 610
    f1 = st.fam.font(22 * s, "bold")
    cv.center(24 + st.dy, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", f1, cx=hx)
    cv.center(54 + st.dy, "Độc lập - Tự do - Hạnh phúc", st.fam.font(21 * s, "bold"), cx=hx)
    cv.center(96 + st.dy, "GIẤY CHỨNG MINH NHÂN DÂN", st.fam.font(34 * s, "bold"), fill=RED, cx=hx)
    b = cv.text((380 + st.dx, 150 + st.dy), "Số", st.fam.font(28 * s, "bold"), fill=RED)
    cv.record(
        "id_number",
        cv.text(
            (b[2] + 14, 146 + st.dy), p.old_id_number or "", st.fam.font(34 * s, "bold"), fill=RED
        ),
    )
    truth["id_number"] = p.old_id_number or ""
    lab = st.fam.font(22 * s)
    val = st.vfam.font(26 * s, "bold" if st.bold_values else "regular")
    x = 230 + st.dx
    y = 205 + st.dy
    lh = 38 * s
    max_x = CARD_SIZE[0] - 24
    y = cv.flow(
        x,
        y,
        _pick(rng, ("Họ tên:", "Họ tên", "Họ và tên:")),
        p.upper_name,
        label_font=lab,
        value_font=st.fam.font(28 * s, "bold"),
        max_x=max_x,
        line_h=lh,
        key="full_name",
    )
    truth["full_name"] = p.upper_name
    sep = _pick(rng, ("-", "/"))
    y = cv.flow(
        x,
        y,
        "Sinh ngày",
        dmy(p.date_of_birth, sep),
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="date_of_birth",
    )
    truth["date_of_birth"] = iso(p.date_of_birth)
    origin = p.place_of_origin.short_origin(_pick(rng, ("spec", "short", "lower")))
    y = cv.flow(
        x,
        y,
        "Nguyên quán",
        origin,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="place_of_origin",
    )
    truth["place_of_origin"] = origin
    residence = p.residence.format(st.addr_style)
    y = cv.flow(
        x,
        y,
        _pick(rng, ("Nơi ĐKHK thường trú", "Nơi ĐKHK thường trú:")),
        residence,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="place_of_residence",
    )
    truth["place_of_residence"] = residence
    return cv, truth


def _cmnd_back(
    p: Person, rng: np.random.Generator, st: Style, issued: dt.date
) -> tuple[Canvas, BBox]:
    cv = Canvas(CARD_SIZE, _tint(rng, (226, 236, 222), 8), rng)
    cv.ink = st.ink
    guilloche(cv, rng, _tint(rng, (190, 210, 190), 10), n=int(rng.integers(8, 16)))
    s = st.scale
    lab = st.fam.font(22 * s)
    b = cv.text((40, 30), "Dân tộc: " + p.ethnicity, lab)
    cv.text((b[2] + 60, 30), "Tôn giáo: " + p.religion, lab)
    cv.text((40, 80), "DẤU VẾT RIÊNG VÀ DỊ HÌNH", st.fam.font(22 * s, "bold"))
    cv.flow(
        40, 115, "", p.personal_identification, label_font=lab, value_font=lab, max_x=560, line_h=32
    )
    fp_font = st.fam.font(16 * s, "bold")
    fingerprint(cv, (40, 220, 240, 480), rng, "NGÓN TRỎ TRÁI", fp_font)
    fingerprint(cv, (280, 220, 480, 480), rng, "NGÓN TRỎ PHẢI", fp_font)
    dfont = st.fam.font(22 * s, "italic")
    db = cv.text(
        (560, 230), f"Ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}", dfont
    )
    cv.record("date_of_issue", db)
    prov = p.residence.province.short.upper()
    cv.center(
        280,
        "GIÁM ĐỐC CA " + ("TP " if p.residence.province.is_city else "TỈNH ") + prov,
        st.fam.font(18 * s, "bold"),
        cx=770,
    )
    cv.draw.ellipse((690, 320, 790, 420), outline=(215, 60, 60), width=3)
    return cv, db


def render_cmnd(p: Person, rng: np.random.Generator, variant: str) -> Specimen:
    if not p.old_id_number:
        digits = "".join(str(int(d)) for d in rng.integers(0, 10, size=9))
        p = _replace(p, old_id_number=str(int(rng.integers(0, 4))) + digits[1:])
    st = _style(rng, addr_styles=("spec", "short", "lower"))
    front, truth = _cmnd_front(p, rng, st)
    _card_edge(front)
    if variant == "front":
        return _finish(front, "cmnd", truth, None, None, variant, p, st)
    issued = _issue(p, "cmnd", rng)
    back, dbox = _cmnd_back(p, rng, st, issued)
    _card_edge(back)
    gap = int(rng.integers(20, 80))
    pad = int(rng.integers(20, 50))
    cv = Canvas((CARD_SIZE[0] * 2 + gap + 2 * pad, CARD_SIZE[1] + 2 * pad), (250, 250, 248), rng)
    cv.paste(front.img, (pad, pad))
    cv.paste(back.img, (pad + CARD_SIZE[0] + gap, pad))
    for k, b in front.boxes.items():
        cv.boxes[k] = (b[0] + pad, b[1] + pad, b[2] + pad, b[3] + pad)
    ox = pad + CARD_SIZE[0] + gap
    cv.boxes["date_of_issue"] = (dbox[0] + ox, dbox[1] + pad, dbox[2] + ox, dbox[3] + pad)
    cv.drawn = {**front.drawn, "date_of_issue": back.drawn.get("date_of_issue", [])}
    truth["date_of_issue"] = iso(issued)
    return _finish(cv, "cmnd", truth, None, None, variant, p, st)


def _replace(obj, **kw):
    return dataclasses.replace(obj, **kw)


# --------------------------------------------------------------------------------------
# A4 certificates
# --------------------------------------------------------------------------------------


def _page(
    rng: np.random.Generator,
    *,
    addr_styles=("spec", "full", "lower", "short"),
    paper: tuple[int, int, int] = (252, 251, 246),
    ornate: float = 0.35,
) -> tuple[Canvas, Style]:
    """A blank A4 form: paper tint, sometimes a faint security pattern and a frame."""
    st = _style(rng, addr_styles=addr_styles)
    bg = _tint(rng, paper, 3)
    cv = Canvas(A4_SIZE, bg, rng)
    if rng.random() < ornate:
        line = tuple(max(0, c - int(rng.integers(10, 22))) for c in bg)
        guilloche(cv, rng, line, n=int(rng.integers(10, 24)))
        frame(cv, rng)
    cv.ink = st.ink
    cv.dots = bool(rng.random() < 0.4)
    if rng.random() < 0.2:
        cv.value_ink = _pick(rng, ((20, 40, 140), (10, 10, 10)))
    _holdout_canvas(cv)
    return cv, st


def _align_values(cv: Canvas, rng: np.random.Generator, x: float, label_font, labels) -> None:
    """Sometimes values start in one column after the longest label (a table-like form)."""
    if rng.random() < 0.3:
        cv.value_col = x + max(cv.width(lb, label_font) for lb in labels) + 30


def _page_header(cv: Canvas, st: Style, *, left: tuple[str, ...] = (), y: float = 160) -> float:
    s = st.scale
    f1 = st.fam.font(46 * s, "bold")
    f2 = st.fam.font(46 * s, "bold" if cv.rng.random() < 0.6 else "regular")
    if left:
        cx_right = 1560 + st.dx
        lf = st.fam.font(42 * s, "bold")
        ly = y
        for i, t in enumerate(left):
            cv.center(ly, t, lf if i else st.fam.font(42 * s), cx=520 + st.dx)
            ly += 58 * s
        cv.center(y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st.fam.font(42 * s, "bold"), cx=cx_right)
        b = cv.center(
            y + 58 * s, "Độc lập - Tự do - Hạnh phúc", st.fam.font(42 * s, "bold"), cx=cx_right
        )
        cv.draw.line((b[0] + 20, b[3] + 10, b[2] - 20, b[3] + 10), fill=INK, width=3)
        return max(ly, b[3]) + 90
    cv.center(y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", f1, cx=A4_SIZE[0] / 2 + st.dx)
    b = cv.center(y + 64 * s, "Độc lập - Tự do - Hạnh phúc", f2, cx=A4_SIZE[0] / 2 + st.dx)
    cv.draw.line((b[0] + 40, b[3] + 12, b[2] - 40, b[3] + 12), fill=INK, width=3)
    return b[3] + 90


def _authority_of(addr: Address, rng: np.random.Generator) -> str:
    w = addr.ward
    d = addr.district
    p = addr.province
    pk = "thành phố" if p.is_city else "tỉnh"
    form = _pick(rng, ("ubnd", "full", "short"))
    ward = w.kind.lower() + w.name[len(w.kind) :]
    dist = d.kind.lower() + d.name[len(d.kind) :]
    if form == "ubnd":
        return nfc(f"UBND {ward}, {dist}, {pk} {p.short}")
    if form == "full":
        return nfc(f"Ủy ban nhân dân {ward}, {dist}, {pk} {p.short}")
    return nfc(f"UBND {ward}, {dist}")


def _signature(cv: Canvas, st: Style, x: float, y: float, title: str, name: str) -> None:
    s = st.scale
    cv.center(y, title, st.fam.font(42 * s, "bold"), cx=x)
    cv.draw.ellipse((x - 260, y + 60, x - 20, y + 300), outline=(210, 50, 50), width=6)
    cv.draw.line((x - 120, y + 200, x + 60, y + 150, x + 140, y + 210), fill=(40, 40, 140), width=4)
    cv.center(y + 340, name, st.fam.font(42 * s, "bold"), cx=x)


def _officer(rng: np.random.Generator) -> str:
    sex = "Nam" if rng.random() < 0.6 else "Nữ"
    return " ".join(make_name(rng, sex))


def render_birth_certificate(p: Person, rng: np.random.Generator, variant: str) -> Specimen:
    cv, st = _page(rng)
    s = st.scale
    truth: dict[str, str] = {}
    old = variant == "old"
    reg_date = p.date_of_birth + dt.timedelta(days=int(rng.integers(3, 60)))
    if old and reg_date.year >= 2016:
        reg_date = dt.date(2015, 12, int(rng.integers(1, 28)))
    reg_addr = p.place_of_birth if rng.random() < 0.6 else p.residence
    authority = _authority_of(reg_addr, rng)
    num = int(rng.integers(1, 900))
    reg_number = f"{num}/{reg_date.year}" if rng.random() < 0.6 else str(num)
    book = f"{int(rng.integers(1, 6)):02d}/{reg_date.year}"
    ward_up = reg_addr.ward.name.upper()
    y = _page_header(cv, st, left=("ỦY BAN NHÂN DÂN", ward_up), y=150 + st.dy)
    x = 230 + st.dx
    lab = st.fam.font(44 * s)
    val = st.vfam.font(46 * s, "bold" if st.bold_values else "regular")
    lh = 78 * s
    _align_values(cv, rng, x, lab, ("Ngày, tháng, năm sinh:", "Quê quán:", "Nơi sinh:"))
    max_x = A4_SIZE[0] - 200
    b = cv.text((x, y), "Số:", lab)
    cv.record("registration_number", cv.text((b[2] + 16, y), reg_number, val))
    truth["registration_number"] = reg_number
    if len(reg_number.split("/")) == 1 or rng.random() < 0.5:
        cv.text((x + 900, y), f"Quyển số: {book}", lab)
    y += lh * 1.5
    cv.center(y, "GIẤY KHAI SINH", st.fam.font(80 * s, "bold"), cx=A4_SIZE[0] / 2 + st.dx)
    y += 140 * s
    upper = rng.random() < 0.75
    name = p.upper_name if upper else p.full_name
    name_label = "Họ và tên:" if old else _pick(rng, ("Họ, chữ đệm, tên:", "Họ, chữ đệm và tên:"))
    y = cv.flow(
        x,
        y,
        name_label,
        name,
        label_font=lab,
        value_font=st.fam.font(50 * s, "bold"),
        max_x=max_x,
        line_h=lh,
        key="full_name",
    )
    truth["full_name"] = name
    dob = p.date_of_birth
    form = _pick(rng, ("digits_words", "digits", "words_inline"))
    dob_text = (
        dmy(dob)
        if form != "words_inline"
        else f"ngày {dob.day:02d} tháng {dob.month:02d} năm {dob.year}"
    )
    y = cv.flow(
        x,
        y,
        "Ngày, tháng, năm sinh:",
        dob_text,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="date_of_birth",
    )
    if form == "digits_words":
        y = cv.flow(
            x + 60,
            y,
            "ghi bằng chữ:",
            date_words(dob),
            label_font=st.fam.font(40 * s, "italic"),
            value_font=st.fam.font(42 * s),
            max_x=max_x,
            line_h=lh,
        )
    truth["date_of_birth"] = iso(dob)
    b = cv.text((x, y), "Giới tính:", lab)
    cv.record("sex", cv.text((b[2] + 16, y), p.sex, val))
    b = cv.text((x + 620, y), "Dân tộc:", lab)
    cv.record("ethnicity", cv.text((b[2] + 16, y), p.ethnicity, val))
    b = cv.text((x + 1250, y), "Quốc tịch:", lab)
    cv.record("nationality", cv.text((b[2] + 16, y), p.nationality, val))
    truth.update(sex=p.sex, ethnicity=p.ethnicity, nationality=p.nationality)
    y += lh
    pob_kind = rng.random()
    if pob_kind < 0.4:
        prov = p.place_of_birth.province
        pob = nfc(
            f"Bệnh viện {_pick(rng, ('Đa khoa', 'Phụ sản', 'Sản Nhi'))} "
            f"{'thành phố' if prov.is_city else 'tỉnh'} {prov.short}"
        )
        if rng.random() < 0.5:
            pob = nfc(pob + ", " + p.place_of_birth.format(st.addr_style, with_street=False))
    elif pob_kind < 0.6:
        w = p.place_of_birth.ward
        pob = nfc(
            f"Trạm Y tế {w.kind.lower()}{w.name[len(w.kind) :]}, "
            + p.place_of_birth.format(st.addr_style, with_street=False).split(", ", 1)[1]
        )
    else:
        pob = p.place_of_birth.format(st.addr_style, with_street=False)
    y = cv.flow(
        x,
        y,
        "Nơi sinh:",
        pob,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="place_of_birth",
    )
    truth["place_of_birth"] = pob
    origin = p.place_of_origin.short_origin(st.addr_style)
    y = cv.flow(
        x,
        y,
        "Quê quán:",
        origin,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="place_of_origin",
    )
    truth["place_of_origin"] = origin
    if not old and reg_date.year >= 2016:
        y = cv.flow(
            x,
            y,
            "Số định danh cá nhân:",
            p.id_number,
            label_font=lab,
            value_font=val,
            max_x=max_x,
            line_h=lh,
            key="id_number",
        )
        truth["id_number"] = p.id_number
    y += lh * 0.3
    pupper = upper and rng.random() < 0.7
    parents = [("mẹ", "mother", p.mother), ("cha", "father", p.father)]
    if old:
        parents.reverse()
    for word, key, rel in parents:
        pname = rel.full_name.upper() if pupper else rel.full_name
        label = f"Họ và tên {word}:" if old else f"Họ, chữ đệm, tên người {word}:"
        y = cv.flow(
            x,
            y,
            label,
            pname,
            label_font=lab,
            value_font=val,
            max_x=max_x,
            line_h=lh,
            key=f"{key}_name",
        )
        truth[f"{key}_name"] = pname
        b = cv.text((x, y), "Năm sinh:", lab)
        cv.record(f"{key}_birth_year", cv.text((b[2] + 16, y), str(rel.birth_year), val))
        truth[f"{key}_birth_year"] = str(rel.birth_year)
        b = cv.text((x + 620, y), "Dân tộc:", lab)
        cv.text((b[2] + 16, y), p.ethnicity, val)
        b = cv.text((x + 1250, y), "Quốc tịch:", lab)
        cv.text((b[2] + 16, y), "Việt Nam", val)
        y += lh
        y = cv.flow(
            x,
            y,
            "Nơi cư trú:",
            p.residence.format(st.addr_style),
            label_font=lab,
            value_font=val,
            max_x=max_x,
            line_h=lh,
        )
        y += lh * 0.2
    y = cv.flow(
        x,
        y,
        "Họ, chữ đệm, tên người đi khai sinh:",
        p.father.full_name,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
    )
    y = cv.flow(
        x,
        y,
        "Nơi đăng ký khai sinh:" if rng.random() < 0.6 else "Nơi đăng ký:",
        authority,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="registration_authority",
    )
    truth["registration_authority"] = authority
    y = cv.flow(
        x,
        y,
        "Ngày, tháng, năm đăng ký:",
        dmy(reg_date),
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="registration_date",
    )
    truth["registration_date"] = iso(reg_date)
    y += lh * 0.5
    _signature(
        cv, st, 1750 + st.dx, min(y, A4_SIZE[1] - 520), "NGƯỜI KÝ GIẤY KHAI SINH", _officer(rng)
    )
    return _finish(cv, "birth_certificate", truth, None, None, variant, p, st)


def render_marriage_certificate(p: Person, rng: np.random.Generator, variant: str) -> Specimen:
    cv, st = _page(rng)
    s = st.scale
    spouse = _spouse(rng, p)
    husband, wife = (p, spouse) if p.sex == "Nam" else (spouse, p)
    lo = max(
        add_years(husband.date_of_birth, 20), add_years(wife.date_of_birth, 18), dt.date(2000, 1, 1)
    )
    reg_date = random_date(rng, lo, max(lo, dt.date(2025, 6, 30)))
    reg_addr = p.residence
    authority = _authority_of(reg_addr, rng)
    num = int(rng.integers(1, 300))
    reg_number = f"{num}/{reg_date.year}" if rng.random() < 0.5 else str(num)
    truth: dict[str, str] = {}
    y = _page_header(cv, st, left=("ỦY BAN NHÂN DÂN", reg_addr.ward.name.upper()), y=150 + st.dy)
    x = 200 + st.dx
    lab = st.fam.font(42 * s)
    val = st.vfam.font(44 * s, "bold" if st.bold_values else "regular")
    lh = 74 * s
    b = cv.text((x, y), "Số:", lab)
    cv.record("registration_number", cv.text((b[2] + 16, y), reg_number, val))
    truth["registration_number"] = reg_number
    if "/" not in reg_number:
        cv.text((x + 900, y), f"Quyển số: {int(rng.integers(1, 5)):02d}/{reg_date.year}", lab)
    y += lh * 1.5
    cv.center(y, "GIẤY CHỨNG NHẬN KẾT HÔN", st.fam.font(74 * s, "bold"), cx=A4_SIZE[0] / 2 + st.dx)
    y += 150 * s
    upper = rng.random() < 0.8
    id_label = _pick(rng, ("Số định danh cá nhân:", "Giấy tờ tùy thân: CCCD số", "Số CCCD:"))
    rows = [
        ("Họ, chữ đệm, tên:", lambda q: q.upper_name if upper else q.full_name, "name"),
        ("Ngày, tháng, năm sinh:", lambda q: dmy(q.date_of_birth), "date_of_birth"),
        ("Dân tộc:", lambda q: q.ethnicity, None),
        ("Quốc tịch:", lambda q: q.nationality, None),
        ("Nơi cư trú:", lambda q: q.residence.format(st.addr_style), None),
        (id_label, lambda q: q.id_number, "id_number"),
    ]

    def _truth(prefix: str, q: Person) -> None:
        truth[f"{prefix}_name"] = q.upper_name if upper else q.full_name
        truth[f"{prefix}_date_of_birth"] = iso(q.date_of_birth)
        truth[f"{prefix}_id_number"] = q.id_number

    if variant == "columns":
        c1, c2 = x + 620, x + 1300
        hf = st.fam.font(44 * s, "bold")
        cv.center(y, "Thông tin về chồng", hf, cx=c1 + 320)
        cv.center(y, "Thông tin về vợ", hf, cx=c2 + 320)
        y += lh * 1.3
        for label, fn, key in rows:
            cv.text((x, y), label if len(label) < 26 else label.split(":")[0] + ":", lab)
            ys = []
            for cx0, prefix, q in ((c1, "husband", husband), (c2, "wife", wife)):
                ny = cv.flow(
                    cx0,
                    y,
                    "",
                    fn(q),
                    label_font=lab,
                    value_font=val,
                    max_x=cx0 + 640,
                    line_h=lh,
                    key=f"{prefix}_{key}" if key else None,
                )
                ys.append(ny)
            y = max(ys) + lh * 0.15
    else:
        for title, prefix, q in (
            ("Thông tin về chồng", "husband", husband),
            ("Thông tin về vợ", "wife", wife),
        ):
            cv.text(
                (x, y), title if rng.random() < 0.5 else title.upper(), st.fam.font(44 * s, "bold")
            )
            y += lh
            for label, fn, key in rows:
                y = cv.flow(
                    x + 40,
                    y,
                    label,
                    fn(q),
                    label_font=lab,
                    value_font=val,
                    max_x=A4_SIZE[0] - 200,
                    line_h=lh,
                    key=f"{prefix}_{key}" if key else None,
                )
            y += lh * 0.4
    _truth("husband", husband)
    _truth("wife", wife)
    y += lh * 0.4
    y = cv.flow(
        x,
        y,
        "Nơi đăng ký:",
        authority,
        label_font=lab,
        value_font=val,
        max_x=A4_SIZE[0] - 200,
        line_h=lh,
        key="registration_authority",
    )
    truth["registration_authority"] = authority
    y = cv.flow(
        x,
        y,
        "Ngày, tháng, năm đăng ký:",
        dmy(reg_date),
        label_font=lab,
        value_font=val,
        max_x=A4_SIZE[0] - 200,
        line_h=lh,
        key="registration_date",
    )
    truth["registration_date"] = iso(reg_date)
    y += lh
    cv.center(y, "Chồng", st.fam.font(42 * s, "bold"), cx=500)
    cv.center(y, "Vợ", st.fam.font(42 * s, "bold"), cx=1100)
    _signature(cv, st, 1850 + st.dx, min(y, A4_SIZE[1] - 520), "CHỦ TỊCH", _officer(rng))
    return _finish(cv, "marriage_certificate", truth, None, None, variant, p, st)


def render_residence_confirmation(p: Person, rng: np.random.Generator, variant: str) -> Specimen:
    cv, st = _page(rng)
    s = st.scale
    truth: dict[str, str] = {}
    addr = p.residence
    hh = _holdout_household(make_household(rng, p), p)
    old_form = rng.random() < 0.35  # Thông tư 56/2021 (until 2023), slightly other wording
    if old_form:
        issued = random_date(rng, dt.date(2021, 7, 1), dt.date(2023, 12, 31))
    else:
        issued = random_date(rng, dt.date(2024, 1, 1), dt.date(2025, 6, 30))
    prov = addr.province
    top = f"CÔNG AN {'TP.' if prov.is_city else 'TỈNH'} {prov.short.upper()}"
    unit = f"CÔNG AN {addr.ward.name.upper()}"
    cv.text(
        (A4_SIZE[0] - 900 + st.dx, 90 + st.dy),
        "Mẫu CT07 ban hành kèm theo Thông tư số",
        st.fam.font(32 * s, "italic"),
    )
    cv.text(
        (A4_SIZE[0] - 900 + st.dx, 132 + st.dy),
        "56/2021/TT-BCA ngày 15/5/2021" if old_form else "66/2023/TT-BCA ngày 17/11/2023",
        st.fam.font(32 * s, "italic"),
    )
    y = 240 + st.dy
    lf = st.fam.font(40 * s)
    cv.center(y, top, lf, cx=560 + st.dx)
    ub = cv.center(y + 56 * s, unit, st.fam.font(40 * s, "bold"), cx=560 + st.dx)
    cv.record("issuing_authority", ub)
    truth["issuing_authority"] = unit
    rx = 1620 + st.dx
    cv.center(y, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", st.fam.font(40 * s, "bold"), cx=rx)
    b = cv.center(y + 56 * s, "Độc lập - Tự do - Hạnh phúc", st.fam.font(40 * s, "bold"), cx=rx)
    cv.draw.line((b[0] + 20, b[3] + 10, b[2] - 20, b[3] + 10), fill=INK, width=3)
    y += 150 * s
    cv.text((300 + st.dx, y), f"Số: {int(rng.integers(1, 9999))}/XN", st.fam.font(38 * s))
    place = prov.short
    db = cv.text(
        (rx - 420, y),
        f"{place}, ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}",
        st.fam.font(38 * s, "italic"),
    )
    cv.record("date_of_issue", db)
    truth["date_of_issue"] = iso(issued)
    y += 150 * s
    cv.center(
        y, "XÁC NHẬN THÔNG TIN VỀ CƯ TRÚ", st.fam.font(66 * s, "bold"), cx=A4_SIZE[0] / 2 + st.dx
    )
    y += 130 * s
    x = 200 + st.dx
    lab = st.fam.font(42 * s)
    val = st.vfam.font(44 * s, "bold" if st.bold_values else "regular")
    lh = 74 * s
    _align_values(cv, rng, x, lab, ("8. Họ, chữ đệm và tên chủ hộ:",))
    max_x = A4_SIZE[0] - 180
    unit_title = "Công an " + addr.ward.name[0].lower() + addr.ward.name[1:]
    y = cv.flow(
        x,
        y,
        "",
        f"{unit_title} xác nhận thông tin về cư trú của công dân như sau:",
        label_font=lab,
        value_font=lab,
        max_x=max_x,
        line_h=lh,
    )
    n = iter(range(1, 20))
    name_label = _pick(rng, ("Họ, chữ đệm và tên:", "Họ, chữ đệm và tên khai sinh:", "Họ và tên:"))
    y = cv.flow(
        x,
        y,
        f"{next(n)}. {name_label}",
        p.upper_name,
        label_font=lab,
        value_font=st.fam.font(46 * s, "bold"),
        max_x=max_x,
        line_h=lh,
        key="full_name",
    )
    truth["full_name"] = p.upper_name
    b = cv.text((x, y), f"{next(n)}. Ngày, tháng, năm sinh:", lab)
    cv.record("date_of_birth", cv.text((b[2] + 16, y), dmy(p.date_of_birth), val))
    b = cv.text((x + 1250, y), f"{next(n)}. Giới tính:", lab)
    cv.record("sex", cv.text((b[2] + 16, y), p.sex, val))
    truth["date_of_birth"] = iso(p.date_of_birth)
    truth["sex"] = p.sex
    y += lh
    y = cv.flow(
        x,
        y,
        f"{next(n)}. Số định danh cá nhân" + ("/CMND:" if old_form else ":"),
        p.id_number,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="id_number",
    )
    truth["id_number"] = p.id_number
    perm = p.residence.format(st.addr_style)
    y = cv.flow(
        x,
        y,
        f"{next(n)}. Nơi thường trú:",
        perm,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="permanent_residence",
    )
    truth["permanent_residence"] = perm
    temp = p.temporary_residence.format(st.addr_style) if p.temporary_residence else ""
    y = cv.flow(
        x,
        y,
        f"{next(n)}. Nơi tạm trú:",
        temp,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="temporary_residence" if temp else None,
    )
    if temp:
        truth["temporary_residence"] = temp
    cur = p.current_residence.format(st.addr_style)
    y = cv.flow(
        x,
        y,
        f"{next(n)}. Nơi ở hiện tại:",
        cur,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="current_residence",
    )
    truth["current_residence"] = cur
    head_name = hh.head_name.upper()
    y = cv.flow(
        x,
        y,
        f"{next(n)}. Họ, chữ đệm và tên chủ hộ:",
        head_name,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="head_of_household",
    )
    truth["head_of_household"] = head_name
    y = cv.flow(
        x,
        y,
        f"{next(n)}. Quan hệ với chủ hộ:",
        hh.relationship,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="relationship_to_head",
    )
    truth["relationship_to_head"] = hh.relationship
    y = cv.flow(
        x,
        y,
        f"{next(n)}. Số định danh cá nhân của chủ hộ:",
        hh.head_id_number,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
    )
    y = cv.flow(
        x,
        y,
        f"{next(n)}. Thông tin thành viên hộ gia đình:",
        "",
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
    )
    # a small members table
    cols = (x, x + 100, x + 820, x + 1160, x + 1420, x + 1820)
    heads = ("TT", "Họ, chữ đệm và tên", "Ngày sinh", "Giới tính", "Số ĐDCN", "Quan hệ")
    tf = st.fam.font(34 * s)
    top_y = y
    for cx0, h in zip(cols, heads, strict=True):
        cv.text((cx0 + 10, y + 10), h, st.fam.font(34 * s, "bold"))
    y += 66
    members = [(hh.head_name, "Chủ hộ", hh.head_id_number)]
    if hh.relationship != "Chủ hộ":
        members.append((p.full_name, hh.relationship, p.id_number))
    for i, (mn, rel, mid) in enumerate(members, 1):
        cv.text((cols[0] + 10, y + 8), str(i), tf)
        cv.text((cols[1] + 10, y + 8), mn, tf)
        cv.text((cols[2] + 10, y + 8), "..." if mid != p.id_number else dmy(p.date_of_birth), tf)
        cv.text(
            (cols[4] + 10, y + 8), mid[:4] + "..." if mid != p.id_number else mid[:4] + "...", tf
        )
        cv.text((cols[5] + 10, y + 8), rel, tf)
        y += 62
    for cx0 in (*cols, max_x):
        cv.draw.line((cx0, top_y, cx0, y), fill=INK, width=2)
    for yy in (top_y, top_y + 66, y):
        cv.draw.line((cols[0], yy, max_x, yy), fill=INK, width=2)
    y += lh * 0.6
    cv.flow(
        x,
        y,
        "",
        "Giấy xác nhận này có giá trị 30 ngày kể từ ngày cấp.",
        label_font=lab,
        value_font=st.fam.font(40 * s, "italic"),
        max_x=max_x,
        line_h=lh,
    )
    _signature(
        cv, st, 1750 + st.dx, min(y + 2 * lh, A4_SIZE[1] - 520), "TRƯỞNG CÔNG AN", _officer(rng)
    )
    return _finish(cv, "residence_confirmation", truth, None, None, variant, p, st)


def render_land_use_certificate(p: Person, rng: np.random.Generator, variant: str) -> Specimen:
    pink = rng.random() < 0.6
    cv, st = _page(rng, paper=(250, 232, 232) if pink else (252, 251, 246), ornate=0.8)
    s = st.scale
    truth: dict[str, str] = {}
    co = _spouse(rng, p) if rng.random() < 0.5 else None
    parcel = make_land_parcel(rng, p, co_owner=co)
    if variant == "2024" and parcel.issued.year < 2019:
        parcel = _replace(
            parcel,
            issued=add_years(parcel.issued, 2019 + parcel.issued.year % 6 - parcel.issued.year),
        )
    y = _page_header(cv, st, y=160 + st.dy)
    title_f = st.fam.font((58 if variant == "2009" else 64) * s, "bold")
    if variant == "2009":
        for t in (
            "GIẤY CHỨNG NHẬN",
            "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU NHÀ Ở",
            "VÀ TÀI SẢN KHÁC GẮN LIỀN VỚI ĐẤT",
        ):
            cv.center(y, t, title_f, fill=(190, 30, 30), cx=A4_SIZE[0] / 2 + st.dx)
            y += 84 * s
    else:
        for t in ("GIẤY CHỨNG NHẬN", "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN", "GẮN LIỀN VỚI ĐẤT"):
            cv.center(y, t, title_f, fill=(190, 30, 30), cx=A4_SIZE[0] / 2 + st.dx)
            y += 90 * s
    y += 50
    x = 200 + st.dx
    lab = st.fam.font(42 * s)
    val = st.vfam.font(44 * s, "bold" if st.bold_values else "regular")
    bold = st.fam.font(44 * s, "bold")
    lh = 74 * s
    _align_values(cv, rng, x + 40, lab, ("đ) Mục đích sử dụng:", "g) Nguồn gốc sử dụng:"))
    max_x = A4_SIZE[0] - 180
    cv.text((x, y), "I. Người sử dụng đất, chủ sở hữu nhà ở và tài sản khác gắn liền với đất", bold)
    y += lh * 1.2
    names = []
    for h in parcel.holders:
        title = "Ông:" if h.sex == "Nam" else "Bà:"
        nm = h.full_name.upper()
        names.append(nm)
        y = cv.flow(
            x + 40,
            y,
            title,
            nm,
            label_font=lab,
            value_font=bold,
            max_x=x + 1300,
            line_h=lh,
            key="holder_names",
        )
        b = cv.text((x + 40, y), f"Năm sinh: {h.birth_year}", lab)
        cv.text((b[2] + 40, y), f"CCCD số: {h.id_number}", lab)
        y += lh
        y = cv.flow(
            x + 40,
            y,
            "Địa chỉ thường trú:",
            p.residence.format(st.addr_style),
            label_font=lab,
            value_font=val,
            max_x=max_x,
            line_h=lh,
        )
    truth["holder_names"] = "; ".join(names)
    y += lh * 0.5
    cv.text((x, y), "II. Thửa đất, nhà ở và tài sản khác gắn liền với đất", bold)
    y += lh * 1.2
    cv.text((x + 40, y), "1. Thửa đất:", bold)
    y += lh
    b = cv.text((x + 40, y), "a) Thửa đất số:", lab)
    cv.record("parcel_number", cv.text((b[2] + 16, y), parcel.parcel_number, val))
    b = cv.text((b[2] + 200, y), ", tờ bản đồ số:" if rng.random() < 0.5 else "Tờ bản đồ số:", lab)
    cv.record("map_sheet_number", cv.text((b[2] + 16, y), parcel.map_sheet_number, val))
    truth["parcel_number"] = parcel.parcel_number
    truth["map_sheet_number"] = parcel.map_sheet_number
    y += lh
    paddr = parcel.address.format(st.addr_style)
    y = cv.flow(
        x + 40,
        y,
        "b) Địa chỉ:",
        paddr,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="parcel_address",
    )
    truth["parcel_address"] = paddr
    b = cv.text((x + 40, y), "c) Diện tích:", lab)
    ab = cv.text((b[2] + 16, y), parcel.area, val)
    cv.record("area_m2", ab)
    unit = _pick(rng, (" m²", " m2", "m²"))
    cv.text((ab[2] + (0 if unit.startswith(" ") else 4), y), unit, val)
    truth["area_m2"] = parcel.area
    y += lh
    cv.text(
        (x + 40, y), "d) Hình thức sử dụng: " + _pick(rng, ("Sử dụng riêng", "Sử dụng chung")), lab
    )
    y += lh
    y = cv.flow(
        x + 40,
        y,
        "đ) Mục đích sử dụng:",
        parcel.purpose,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="land_use_purpose",
    )
    truth["land_use_purpose"] = parcel.purpose
    y = cv.flow(
        x + 40,
        y,
        "e) Thời hạn sử dụng:",
        parcel.term,
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
        key="land_use_term",
    )
    truth["land_use_term"] = parcel.term
    y = cv.flow(
        x + 40,
        y,
        "g) Nguồn gốc sử dụng:",
        _pick(
            rng,
            (
                "Nhà nước công nhận quyền sử dụng đất",
                "Nhận chuyển nhượng đất được công nhận QSDĐ",
                "Nhà nước giao đất có thu tiền sử dụng đất",
            ),
        ),
        label_font=lab,
        value_font=val,
        max_x=max_x,
        line_h=lh,
    )
    y += lh * 0.6
    d = parcel.issued
    prov = parcel.address.province.short
    db = cv.text(
        (1200 + st.dx, y),
        f"{prov}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}",
        st.fam.font(40 * s, "italic"),
    )
    cv.record("date_of_issue", db)
    truth["date_of_issue"] = iso(d)
    y += lh
    who = "TM. ỦY BAN NHÂN DÂN" if variant == "2009" else "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG"
    _signature(cv, st, 1600 + st.dx, y, who, _officer(rng))
    sy = A4_SIZE[1] - 260 + st.dy
    sb = cv.text((x, sy), parcel.serial, st.fam.font(56 * s, "bold"), fill=(190, 30, 30))
    cv.record("certificate_serial", sb)
    truth["certificate_serial"] = parcel.serial
    cv.text((x, sy + 80), f"Số vào sổ cấp GCN: CS{int(rng.integers(1, 99999)):05d}", lab)
    return _finish(cv, "land_use_certificate", truth, None, None, variant, p, st)


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------

_RENDERERS = {
    "cccd_front": render_cccd_front,
    "cccd_back": render_cccd_back,
    "cancuoc_front": render_cancuoc_front,
    "cancuoc_back": render_cancuoc_back,
    "cmnd": render_cmnd,
    "birth_certificate": render_birth_certificate,
    "marriage_certificate": render_marriage_certificate,
    "residence_confirmation": render_residence_confirmation,
    "land_use_certificate": render_land_use_certificate,
}


def _finish(
    cv: Canvas,
    document_type: str,
    truth: dict[str, str],
    payload: str | None,
    lines: tuple[str, ...] | None,
    variant: str,
    person: Person,
    st: Style,
) -> Specimen:
    allowed = set(SPEC_FIELDS[document_type])
    truth = {k: (v if k == "mrz" else nfc(v)) for k, v in truth.items() if v}
    extra = set(truth) - allowed
    if extra:  # pragma: no cover - a renderer bug
        raise AssertionError(f"{document_type}: keys outside the spec: {sorted(extra)}")
    boxes = {k: v for k, v in cv.boxes.items() if k in truth or k == "qr"}
    ho = _HOLDOUT.get()
    image = cv.to_bgr()
    if ho is not None:
        image = ho.recolour(image)
    return Specimen(
        image=image,
        document_type=document_type,
        truth=truth,
        qr_payload=payload,
        mrz_lines=tuple(lines) if lines else None,
        boxes=boxes,
        variant=variant,
        person=person,
        font=st.fam.name,
        drawn={k: tuple(v) for k, v in cv.drawn.items() if k in truth},
        holdout=ho is not None,
    )


def generate(
    document_type: str,
    rng: np.random.Generator,
    *,
    person: Person | None = None,
    variant: str | None = None,
    holdout: bool | Iterable[str] = False,
) -> Specimen:
    """One clean specimen of ``document_type`` (a fake person unless ``person`` is given).

    ``holdout``: draw it with what the default corpus never uses (see :class:`Holdout`):
    other fonts, label wordings, spacing, colours and people (``True``), or only some of
    :data:`HOLDOUT_PARTS`. The default (``False``) draws exactly the same random sequence
    as before the held-out corpus existed."""
    if holdout is False:
        return _generate(document_type, rng, person=person, variant=variant)
    parts = HOLDOUT_PARTS if holdout is True else tuple(holdout)  # type: ignore[arg-type]
    ho = Holdout.draw(np.random.default_rng(int(rng.integers(2**63))), parts)
    token = _HOLDOUT.set(ho)
    try:
        return _generate(document_type, rng, person=person, variant=variant)
    finally:
        _HOLDOUT.reset(token)


def _generate(
    document_type: str,
    rng: np.random.Generator,
    *,
    person: Person | None,
    variant: str | None,
) -> Specimen:
    ho = _HOLDOUT.get()
    new_person = make_holdout_person if ho is not None and ho.has("people") else make_person
    if document_type not in _RENDERERS:
        raise ValueError(
            f"unknown document type {document_type!r}; expected one of {DOCUMENT_TYPES}"
        )
    variants = VARIANTS[document_type]
    if variant is None:
        w = _VARIANT_WEIGHTS.get(document_type)
        if w is None:
            variant = _pick(rng, variants)
        else:
            variant = variants[int(rng.choice(len(variants), p=np.array(w) / sum(w)))]
    elif variant not in variants:
        raise ValueError(f"{document_type} has variants {variants}, not {variant!r}")
    if person is None:
        if document_type == "birth_certificate":
            hi = 2014 if variant == "old" else 2024
            lo = 1975 if variant == "old" else 2016
            person = new_person(rng, born_between=(lo, hi), adult=False)
        else:
            person = new_person(rng)
    for _ in range(8):
        try:
            return _RENDERERS[document_type](person, rng, variant)
        except _Overflow:
            continue
    raise RuntimeError(f"{document_type}: the values do not fit in 8 styles")
