"""From OCR'd pages to extracted documents.

Per region: QR first, classification, MRZ on card backs, printed fields after their
labels, corrections (gazetteer, Vietnamese syllables; raw kept), reconciliation by
source priority, 2025 address conversion, validation. Pages are consumed one at a
time; a page with no strong type signal that follows a multi-page paper joins it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import cv2
import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from extractors import cardtext, reread
from extractors import classify as cls
from extractors import fields as fl
from extractors import labels as lb
from extractors import mrz as mrzlib
from extractors import qr as qrlib
from extractors.idnumber import check_against, mask
from extractors.labels import Row, gb, rows_of, segments, side_by_side
from extractors.normalize import fold, strip_diacritics
from extractors.reconcile import choose, reconcile, same_value
from extractors.types import Conflict, ExtractedDocument, Field
from extractors.validate import validate
from ocr.pipeline import sideways
from ocr.preprocess import to_gray
from ocr.types import IDENTITY, OcrPage, Region, Transform, union_bbox

log = logging.getLogger(__name__)

SPEC_FIELDS: dict[str, tuple[str, ...]] = {
    "cccd_front": ("id_number", "full_name", "date_of_birth", "sex", "nationality",
                   "place_of_origin", "place_of_residence", "date_of_expiry", "old_id_number",
                   "date_of_issue"),
    "cccd_back": ("personal_identification", "date_of_issue", "issuing_authority", "id_number",
                  "date_of_birth", "sex", "date_of_expiry", "mrz"),
    "cancuoc_front": ("id_number", "full_name", "date_of_birth", "sex", "nationality"),
    "cancuoc_back": ("place_of_residence", "place_of_birth_registration", "date_of_issue",
                     "date_of_expiry", "issuing_authority", "id_number", "date_of_birth", "sex",
                     "mrz", "old_id_number"),
    "cmnd": ("id_number", "full_name", "date_of_birth", "place_of_origin", "place_of_residence",
             "date_of_issue"),
    "birth_certificate": ("full_name", "sex", "date_of_birth", "place_of_birth", "ethnicity",
                          "nationality", "place_of_origin", "id_number", "mother_name",
                          "mother_birth_year", "father_name", "father_birth_year",
                          "registration_number", "registration_date", "registration_authority"),
    "marriage_certificate": ("husband_name", "husband_date_of_birth", "husband_id_number",
                             "wife_name", "wife_date_of_birth", "wife_id_number",
                             "registration_number", "registration_date",
                             "registration_authority"),
    "residence_confirmation": ("full_name", "id_number", "date_of_birth", "sex",
                               "permanent_residence", "temporary_residence", "current_residence",
                               "head_of_household", "relationship_to_head", "date_of_issue",
                               "issuing_authority"),
    "land_use_certificate": ("certificate_serial", "holder_names", "parcel_number",
                             "map_sheet_number", "parcel_address", "area_m2", "land_use_purpose",
                             "land_use_term", "date_of_issue"),
    "unknown": (),
}  # fmt: skip

UNITS_ONLY = ("place_of_origin", "place_of_birth_registration")
"""Places printed as ward, district and province only (no hamlet, no street)."""
ADDRESS_FIELDS = (
    "place_of_origin",
    "place_of_residence",
    "place_of_birth_registration",
    "permanent_residence",
    "temporary_residence",
    "current_residence",
    "parcel_address",
)
NAME_FIELDS = ("full_name", "mother_name", "father_name", "husband_name", "wife_name",
               "head_of_household")  # fmt: skip
MULTI_PAGE = ("birth_certificate", "marriage_certificate", "residence_confirmation",
              "land_use_certificate")  # fmt: skip
CARD_TYPES = ("cccd_front", "cccd_back", "cancuoc_front", "cancuoc_back", "cmnd")


@dataclass
class RegionResult:
    page: int
    index: int
    document_type: str
    type_confidence: float
    candidates: dict[str, list[Field]]
    conflicts: list[Conflict]
    text: str
    strong: bool
    extras: dict = field(default_factory=dict)
    unread: tuple[str, ...] = ()
    """Dates and numbers whose label was read and whose value was not, even from its box."""


# ----------------------------------------------------------------------------- public


def extract(pages: Iterable[OcrPage]) -> list[ExtractedDocument]:
    """Classify and read every region of the pages; consumes the iterator page by page.

    Page images are used while their page is processed and not kept afterwards.
    """
    docs: list[ExtractedDocument] = []
    open_doc: list[RegionResult] | None = None
    open_quality = None
    for page in pages:
        page_qr = _page_qr(page)
        results = [_read_with_retry(region, page, page_qr) for region in page.regions]
        results = _whole_page_fallback(page, results, page_qr)
        for res in results:
            if (
                open_doc is not None
                and not res.strong
                and open_doc[0].document_type in MULTI_PAGE
                and res.page == open_doc[-1].page + 1
                and len(page.regions) == 1
            ):
                res = reread_as(res, page.regions[0], open_doc[0].document_type)
                open_doc.append(res)
                continue
            if open_doc is not None:
                docs.append(_finish(open_doc, open_quality))
            open_doc, open_quality = [res], page.quality
        if open_doc is not None and open_doc[0].document_type not in MULTI_PAGE:
            docs.append(_finish(open_doc, open_quality))
            open_doc = None
    if open_doc is not None:
        docs.append(_finish(open_doc, open_quality))
    docs = merge_cmnd_sides(docs)
    for i, j in pair_cards(docs):
        _expiry_from_the_back(docs[i], docs[j])
    return docs


def _expiry_from_the_back(front: ExtractedDocument, back: ExtractedDocument) -> None:
    """A chip card front whose expiry was not read takes it from its back's zone (the same
    date, check digits held), when the two sides carry the same number: source ``mrz``,
    with the back's page and box, where the clerk checks it."""
    f = back.fields.get("date_of_expiry")
    if (
        front.document_type == "cccd_front"
        and "date_of_expiry" not in front.fields
        and f is not None
        and f.source == "mrz"
        and front.extras.get("pair", {}).get("by") == "id_number"
    ):
        front.fields["date_of_expiry"] = f
        log.info("front's expiry taken from its back's zone")


CMND_FRONT = ("id_number", "full_name", "date_of_birth")


def merge_cmnd_sides(docs: list[ExtractedDocument]) -> list[ExtractedDocument]:
    """The back of a CMND (issue date, no name or number) joins the front next to it.

    The spec's ``cmnd`` is one document with the fields of both sides; a scan of
    both sides (one page or two) gives two regions.
    """

    def side(d: ExtractedDocument) -> str | None:
        if d.document_type != "cmnd" or d.extras.get("cmnd_back_merged"):
            return None
        return "front" if any(k in d.fields for k in CMND_FRONT) else "back"

    out: list[ExtractedDocument] = []
    for d in docs:
        prev = out[-1] if out else None
        pair = (side(prev), side(d)) if prev is not None else None
        if prev is not None and pair in (("front", "back"), ("back", "front")):
            front, back = (prev, d) if pair == ("front", "back") else (d, prev)
            out[-1] = dataclasses.replace(
                front,
                pages=tuple(dict.fromkeys((*prev.pages, *d.pages))),
                fields={**back.fields, **front.fields},
                conflicts=(*front.conflicts, *back.conflicts),
                text="\n\n".join(t for t in (prev.text, d.text) if t),
                extras={**back.extras, **front.extras, "cmnd_back_merged": True},
            )
            continue
        out.append(d)
    return out


def _whole_page_fallback(
    page: OcrPage,
    results: list[RegionResult],
    page_qr,  # noqa: ANN001
) -> list[RegionResult]:
    """A page whose regions read as nothing (a region cut too small, a speck): the
    whole page as uploaded is OCR'd once; kept only if it reads as a known paper."""
    if (
        page.image is None
        or not page.image.size
        or any(r.document_type != "unknown" or len(r.text) >= 40 for r in results)
        or any(reg.source != "ocr" for reg in page.regions)
    ):
        return results
    try:
        from ocr import tesseract

        words = tesseract.words(page.image, lang="vie", psm=3, timeout=120)
    except Exception as exc:  # noqa: BLE001 - the regions' reading stands
        log.info("whole-page fallback failed: %s", type(exc).__name__)
        return results
    region = Region(page=page.number, index=0, image=page.image, to_page=IDENTITY,
                    words=tuple(words), steps=("whole_page_fallback",))  # fmt: skip
    res = read_region(region, page_qr=page_qr, page_image=page.image)
    if res.document_type == "unknown":
        return results
    log.info("page %d: regions unreadable, the whole page reads as %s", page.number,
             res.document_type)  # fmt: skip
    return [res]


RETRY_SHARE = 0.9
"""A paper read with fewer than this share of its fields, or with a date or number whose
label was read and its value not (not even from its box), is OCR'd again (psm 6, on the
colour image); the second reading only fills what the first lacks. Measured against the
earlier 0.5: held-out phone photos 130 -> 133 and 122 -> 126 fields (seeds 2024, 7), glare
122 -> 127, default phone and held-out scans unchanged. Cards too since session 5: a low-
resolution card front whose sex and nationality line psm 3 dropped (held-out seeds 17-19:
+3 fields, none lost; default corpus unchanged)."""


def _spec_share(res: RegionResult) -> float:
    spec = SPEC_FIELDS.get(res.document_type, ())
    return len([k for k in spec if k in res.candidates]) / len(spec) if spec else 0.0


def _read_with_retry(region: Region, page: OcrPage, page_qr) -> RegionResult:  # noqa: ANN001
    """Read a region; a paper read poorly is OCR'd again as one uniform block.

    Tesseract's page segmentation (psm 3) sometimes drops whole text blocks of a form
    (labels and values in columns with dotted leaders); psm 6 reads them as lines.
    The reading with more of the paper's fields wins.
    """
    res = read_region(region, page_qr=page_qr, page_image=page.image)
    if (
        region.source == "ocr"
        and region.image is not None
        and (res.document_type == "unknown" or res.document_type in MULTI_PAGE)
        and _spec_share(res) < RETRY_SHARE
        and sideways(region.words)
    ):
        res = _read_turned(region, page, page_qr, res)
    unread = [k for k in res.unread if k not in res.candidates]
    if (
        res.document_type == "unknown"
        or region.source != "ocr"
        or region.image is None
        or (_spec_share(res) >= RETRY_SHARE and not unread)
    ):
        return res
    try:
        from ocr import tesseract

        words = tesseract.words(
            region.image, lang="vie", psm=6, to_page=region.to_page,
            page_size=(page.width, page.height), timeout=60,
        )  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - the first reading stands
        log.info("psm 6 retry failed: %s", type(exc).__name__)
        return res
    again = dataclasses.replace(region, words=tuple(words), steps=(*region.steps, "psm6"))
    res2 = read_region(again, page_qr=page_qr, page_image=page.image)
    log.info("%s read %.2f of its fields; psm 6 reads %.2f", res.document_type,
             _spec_share(res), _spec_share(res2))  # fmt: skip
    spec = SPEC_FIELDS.get(res.document_type, ())
    gained = [k for k in spec if k in res2.candidates and k not in res.candidates]
    if res2.document_type == res.document_type and gained:
        # even when the second reading lacks as many others: each reading lost a
        # different line (an id number the leader dots ran into, held-out seed 39)
        res2.text = res.text if len(res.text) > len(res2.text) else res2.text
        return _fill_from(res, res2)
    return res


def _fill_from(first: RegionResult, again: RegionResult) -> RegionResult:
    """The first reading with the fields only the second one found.

    The second reading (psm 6) is there for what the first lost (dropped blocks); where
    both read a field and disagree (psm 6 reads a line as one run and can misread
    a digit the first got), the first stands at a lower confidence and the conflict
    lists both for the clerk.
    """
    cands = {k: list(v) for k, v in again.candidates.items()}
    conflicts = list(again.conflicts)
    for key, fs in first.candidates.items():
        ocr1 = [f for f in fs if f.source == "ocr"]
        ocr2 = [f for f in cands.get(key, []) if f.source == "ocr"]
        if ocr1 and ocr2 and not same_value(ocr1[0].value, ocr2[0].value):
            values = {"ocr": ocr1[0].value, "ocr_psm6": ocr2[0].value}
            conflicts.append(Conflict(key, values, reason="a second OCR pass reads it otherwise"))
            if key == "sex" and ocr2[0].value == _sex_of_the_number(
                {**again.candidates, **first.candidates}
            ):
                # the personal number's sex digit sides with the second reading: it
                # stands, lowered, the conflict listing both
                cands[key] = [dataclasses.replace(f, confidence=round(f.confidence * 0.7, 3))
                              for f in cands[key]]  # fmt: skip
                continue
            fs = [dataclasses.replace(f, confidence=round(f.confidence * 0.7, 3)) for f in fs]
        cands[key] = list(fs)
    return dataclasses.replace(again, candidates=cands, conflicts=conflicts)


def _sex_of_the_number(cands: dict[str, list[Field]]) -> str | None:
    """The sex the 12-digit personal number gives (its fourth digit: century and sex),
    when a number read has the birth year of a date of birth read; None otherwise. A
    third reading of the sex, independent of the word's, to side with one of two
    readings of it that disagree (the number's own check of it is in validation)."""
    from extractors.idnumber import parse_id12

    years = {f.value[:4] for f in cands.get("date_of_birth", [])}
    sexes = {
        info.sex
        for f in cands.get("id_number", [])
        if (info := parse_id12(f.value)) is not None and str(info.birth_year) in years
    }
    return sexes.pop() if len(sexes) == 1 else None


def _turned(region: Region, degrees_cw: int) -> Region:
    """The region's image turned clockwise by 90 or 270 degrees (words not read)."""
    h, w = region.image.shape[:2]
    forward = (
        np.array([[0, -1, h - 1], [1, 0, 0], [0, 0, 1]], float)  # 90 cw: (h - 1 - y, x)
        if degrees_cw == 90
        else np.array([[0, 1, 0], [-1, 0, w - 1], [0, 0, 1]], float)  # 270 cw: (y, w - 1 - x)
    )
    image = np.ascontiguousarray(np.rot90(region.image, -1 if degrees_cw == 90 else 1))
    to_page = Transform.from_array(np.linalg.inv(forward)).then(region.to_page)
    return dataclasses.replace(region, image=image, to_page=to_page, words=(),
                               steps=(*region.steps, f"turn:{degrees_cw}"))  # fmt: skip


def _read_turned(region: Region, page: OcrPage, page_qr, res: RegionResult) -> RegionResult:  # noqa: ANN001
    """A sideways reading of a paper: the region OCR'd again turned a quarter each way;
    the turn that reads as a certificate with the most of its fields wins."""
    from ocr import tesseract

    best, best_key = res, (res.document_type != "unknown", _spec_share(res), 0.0)
    for deg in (90, 270):
        turned = _turned(region, deg)
        try:
            words = tesseract.words(
                turned.image, lang="vie", psm=3, to_page=turned.to_page,
                page_size=(page.width, page.height), timeout=60,
            )  # fmt: skip
        except Exception as exc:  # noqa: BLE001 - the first reading stands
            log.info("turned reading failed: %s", type(exc).__name__)
            continue
        again = dataclasses.replace(turned, words=tuple(words))
        res2 = read_region(again, page_qr=page_qr, page_image=page.image)
        conf = sum(w.confidence for w in words) / len(words) if words else 0.0
        key = (res2.document_type != "unknown", _spec_share(res2), conf)
        if res2.document_type in MULTI_PAGE and key > best_key:
            best, best_key = res2, key
    if best is not res:
        log.info("page %d read sideways; turned a quarter it reads as %s (%.2f of its fields)",
                 page.number, best.document_type, _spec_share(best))  # fmt: skip
    return best


def _page_qr(page: OcrPage) -> qrlib.QrReading | None:
    """The CCCD QR decoded on the page as uploaded (the raw image), if any.

    Regions are rectified and binarized for OCR, which can break a QR code; the raw
    page is tried too. Its box is in page pixels.
    """
    if page.image is None or not page.image.size:
        return None
    return qrlib.read_image(page.image)


def _region_box(region: Region) -> tuple[int, int, int, int] | None:
    if region.image is None:
        return None
    h, w = region.image.shape[:2]
    return region.to_page.apply_bbox((0, 0, w, h))


def rewarp(  # noqa: ANN201
    region: Region,
    page_image,  # noqa: ANN001
    *,
    max_scale: float = 3.0,
    min_scale: float | None = None,
):
    """The region re-cut from the page as uploaded, without the OCR layer's processing,
    at the page's own resolution (the OCR copy may be shrunk or enlarged to a text size),
    but at least at ``min_scale`` times the OCR copy's (default ``1 / max_scale``).

    Returns ``(image, scale)``: ``image`` pixel ``(x, y)`` is region-image pixel
    ``(x / scale, y / scale)``; ``None`` when there is no page image.
    """
    if page_image is None or not page_image.size or region.image is None:
        return None
    h, w = region.image.shape[:2]
    if h < 2 or w < 2:
        return None
    corners = region.to_page.apply_points(np.array([[0, 0], [w, 0], [w, h], [0, h]], float))
    page_area = abs(cv2.contourArea(corners.astype(np.float32)))
    low = 1.0 / max_scale if min_scale is None else min_scale
    scale = float(np.clip(np.sqrt(page_area / (w * h)), low, max_scale))
    sw, sh = int(round(w * scale)), int(round(h * scale))
    if sw * sh > 40_000_000:
        return None
    m = np.diag([scale, scale, 1.0]) @ region.to_page.inverse().array
    out = cv2.warpPerspective(page_image, m, (sw, sh), flags=cv2.INTER_CUBIC,
                              borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    return out, scale


def _region_qr(region: Region, page_image) -> qrlib.QrReading | None:  # noqa: ANN001
    """The QR of a region: on its OCR image, else on a re-cut of the uploaded page
    (grey levels intact, full resolution). Box in page pixels."""
    image = region.image
    qr = qrlib.read_image(image) if image is not None and image.size else None
    if qr is not None:
        return qrlib.QrReading(qr.payload, region.to_page.apply_bbox(qr.bbox))
    # at the page's resolution (a QR enlarged by interpolation is softer, and OpenCV's
    # detector may miss it), then at the OCR copy's when that is larger (zxing may need
    # the modules larger)
    for min_scale in (None, 1.0):
        cut = rewarp(region, page_image, min_scale=min_scale)
        if cut is None:
            return None
        img, scale = cut
        qr = qrlib.read_image(img, thorough=True)
        if qr is not None:
            x0, y0, x1, y1 = qr.bbox
            box = (x0 / scale, y0 / scale, x1 / scale, y1 / scale)
            return qrlib.QrReading(qr.payload, region.to_page.apply_bbox(box))  # type: ignore[arg-type]
        if scale >= 1.0:
            break  # the OCR copy is no larger
    return None


QR_TYPES = ("cccd_front", "cancuoc_back")


def _may_hold_qr(region: Region, text: str) -> bool:
    """A card-shaped region, or text of a type that carries the QR (worth a re-cut)."""
    if region.image is None or not region.image.size:
        return False
    h, w = region.image.shape[:2]
    if 1.2 < max(w, h) / max(1, min(w, h)) < 1.9:
        return True
    return cls.classify(text).document_type in (*QR_TYPES, "unknown")


def read_region(
    region: Region,
    *,
    page_qr: qrlib.QrReading | None = None,
    page_image=None,  # noqa: ANN001
) -> RegionResult:
    """Everything one region says: type, candidate values per field from each source.

    ``page_qr``: a QR decoded on the raw page (box in page pixels), used for the region
    that contains it when the region's own image gives none. ``page_image``: the page
    as uploaded, re-cut for the QR when the region's OCR image does not decode.
    """
    rows = rows_of(region.words)
    text = region.text
    image = region.image
    recut = page_qr is None and _may_hold_qr(region, text)
    qr = _region_qr(region, page_image if recut else None)
    if qr is None and page_qr is not None:
        box = _region_box(region)
        cx = (page_qr.bbox[0] + page_qr.bbox[2]) / 2
        cy = (page_qr.bbox[1] + page_qr.bbox[3]) / 2
        if box is None or (box[0] <= cx <= box[2] and box[1] <= cy <= box[3]):
            qr = page_qr
    first = cls.classify(text, has_qr=qr is not None)
    mrz_reading = None
    if image is not None and image.size and _wants_mrz(first.document_type, text, image):
        card = image.shape[1] / max(1, image.shape[0]) > 1.2 and first.document_type != "unknown"
        mrz_reading = mrzlib.read_image(image, card=card)
        if (mrz_reading is None or not mrz_reading.mrz.valid) and text.count("<") >= 6:
            mrz_reading = _turned_mrz(image) or mrz_reading
    if first.document_type in ("cccd_back", "cancuoc_back") and (
        (mrz_reading is not None and not mrz_reading.mrz.valid)
        # no zone in a region cut from the page: a crop to the text can leave it out
        or (mrz_reading is None and _cut_from(region, page_image))
    ):
        mrz_reading = _page_mrz(region, page_image) or mrz_reading
    if first.document_type in ("cccd_back", "cancuoc_back") and (
        mrz_reading is None or not mrz_reading.mrz.valid
    ):
        mrz_reading = _text_mrz(region, rows, mrz_reading) or mrz_reading
    has_mrz = (
        mrz_reading is not None
        and mrz_reading.mrz.valid
        and mrz_reading.mrz.format == "TD1"
        and mrz_reading.mrz.issuing_country == "VNM"
    )  # a Vietnamese card back; other zones (passports) are no evidence of a spec type
    c = cls.classify(text, has_qr=qr is not None, has_mrz=has_mrz) if (qr or has_mrz) else first
    doc_type = c.document_type
    type_conf = c.confidence
    if doc_type == "unknown" and has_mrz:
        doc_type = "cccd_back"
    if doc_type == "unknown" and qr is None and cls.card_sized(text) and cls.has_card_number(text):
        read = _card_front_by_its_values(region, rows)
        if read is not None:
            read.text = text
            read.strong = False
            return read
    if doc_type == "cmnd" and (sides := side_by_side(region.words)) is not None:
        # front and back copied side by side: rows of one side must not run on into the
        # other's ("Họ tên ÂU TRÚC LIỄU Ngày 03 tháng 05 năm 2014")
        rows = rows_of(sides[0]) + rows_of(sides[1])
    res = _read(region, rows, doc_type, type_conf, qr, mrz_reading)
    res.text = text
    res.strong = c.document_type != "unknown" and (c.scores.get(c.document_type, 0) >= 4.0)
    return res


FRONT_BY_VALUES_CONFIDENCE = 0.5
"""Type confidence of a card front known by its values, its words too garbled to say."""


def _card_front_by_its_values(region: Region, rows: list[Row]) -> RegionResult | None:
    """A card front whose title and labels blur garbled beyond classification, known by
    what it prints: a 12-digit personal number whose century, sex and year digits agree
    with a birth date printed beside it (text of a card's size; the caller checks).

    Which front: the 2021 and 2016 CCCD print the number after "Số / No." and a place
    of origin, a residence and an expiry; the 2024 Căn cước prints the number alone on
    its line under its label, and none of those."""
    cccd = _read(region, rows, "cccd_front", FRONT_BY_VALUES_CONFIDENCE, None, None)
    ids, dobs = cccd.candidates.get("id_number", []), cccd.candidates.get("date_of_birth", [])
    if not ids or not dobs:
        return None
    number, dob = ids[0].value, dobs[0].value
    if len(number) != 12 or not re.fullmatch(r"\d{4}-\d\d-\d\d", dob):
        return None
    checks = check_against(number, birth_year=int(dob[:4]), sex=None)
    if not (checks.get("id_number_province_code") and checks.get("id_number_matches_birth_date")):
        return None
    own = ("place_of_origin", "place_of_residence", "date_of_expiry")
    alone = any(
        len(row.words) == 1 and re.sub(r"\D", "", row.words[0].text) == number for row in rows
    )
    if any(k in cccd.candidates for k in own) or not alone:
        doc_type, res = "cccd_front", cccd
    else:
        doc_type = "cancuoc_front"
        res = _read(region, rows, doc_type, FRONT_BY_VALUES_CONFIDENCE, None, None)
    log.info("region %d: no type by its words; a %s by its number and birth date",
             region.index, doc_type)  # fmt: skip
    return res


def reread_as(res: RegionResult, region: Region, doc_type: str) -> RegionResult:
    """A continuation page: read its labels with the table of the paper it continues."""
    rows = rows_of(region.words)
    out = _read(region, rows, doc_type, res.type_confidence, None, None)
    out.text = res.text
    out.strong = False
    return out


# ----------------------------------------------------------------------------- reading


def _page_mrz(region: Region, page_image) -> mrzlib.MrzReading | None:  # noqa: ANN001
    """A valid zone read on the page as uploaded, inside the region whose own zone did
    not check: the region is cut along an outline, and an outline drawn for a card
    running out of the frame can cut the zone's last characters off (held-out seed 39:
    its check digits)."""
    box = _region_box(region)
    if page_image is None or not page_image.size or box is None:
        return None
    whole = mrzlib.read_image(page_image, card=False)
    if whole is None or not whole.mrz.valid:
        return None
    cx, cy = (whole.bbox[0] + whole.bbox[2]) / 2, (whole.bbox[1] + whole.bbox[3]) / 2
    # the zone's centre inside the region, or just below or above it: a crop to the text
    # (the card's edges unseen) can end above the zone (held-out seed 102)
    margin = ZONE_MARGIN * (box[3] - box[1])
    if not (box[0] <= cx <= box[2] and box[1] - margin <= cy <= box[3] + margin):
        return None  # another document's zone
    log.info("the region's machine-readable zone read on the page as uploaded")
    return mrzlib.MrzReading(whole.mrz, region.to_page.inverse().apply_bbox(whole.bbox))


ZONE_MARGIN = 0.3
"""Share of a region's height beyond its top or bottom where a zone read on the page
still belongs to it (a card's zone takes about a quarter of its height)."""


def _text_mrz(
    region: Region, rows: list[Row], reading: mrzlib.MrzReading | None
) -> mrzlib.MrzReading | None:
    """A card back's zone that its own reading did not make valid, combined with the
    page OCR's text of it (:func:`extractors.mrz.with_text`; a small zone scanned at
    150 dpi: each reading gets other characters right)."""
    m = mrzlib.with_text(reading, [r.text for r in rows])
    if m is None:
        return None
    log.info("MRZ made valid with the page OCR's reading of its lines")
    if reading is not None:
        return mrzlib.MrzReading(m, reading.bbox)
    words = [w for r in rows if len(mrzlib.clean_line(r.text)) >= 24 for w in r.words]
    # (a word's box in the region image; no such box: the region is the page itself)
    box = union_bbox(w.region_bbox or w.bbox for w in words)
    return mrzlib.MrzReading(m, box) if box is not None else None


def _cut_from(region: Region, page_image) -> bool:  # noqa: ANN001
    """Whether the region is a part of the page (not the page itself)."""
    box = _region_box(region)
    if box is None or page_image is None or not page_image.size:
        return False
    h, w = page_image.shape[:2]
    return (box[2] - box[0]) * (box[3] - box[1]) < 0.9 * w * h


def _turned_mrz(image: np.ndarray) -> mrzlib.MrzReading | None:
    """The zone of a card back whose region image stands a quarter turned (taller than
    wide: the card rectified on its side, its lines read by OCR all the same), read
    turned upright each way; its box given back in the region image's pixels. Only a
    valid reading counts."""
    h, w = image.shape[:2]
    if h < 1.2 * w:
        return None
    for turn in (cv2.ROTATE_90_COUNTERCLOCKWISE, cv2.ROTATE_90_CLOCKWISE):
        r = mrzlib.read_image(cv2.rotate(image, turn), card=True)
        if r is None or not r.mrz.valid:
            continue
        x0, y0, x1, y1 = r.bbox
        if turn == cv2.ROTATE_90_COUNTERCLOCKWISE:  # turned (x, y) is (y, w - 1 - x)
            box = (w - 1 - y1, x0, w - 1 - y0, x1)
        else:  # turned (x, y) is (h - 1 - y, x)
            box = (y0, h - 1 - x1, y1, h - 1 - x0)
        log.info("card back's zone read turned a quarter")
        return mrzlib.MrzReading(r.mrz, box)
    return None


def _wants_mrz(doc_type: str, text: str, image) -> bool:  # noqa: ANN001
    if doc_type in ("cccd_back", "cancuoc_back"):
        return True
    if text.count("<") >= 6:
        return True
    h, w = image.shape[:2]
    return doc_type == "unknown" and 1.2 < w / max(h, 1) < 1.9


def _field(
    key: str, value: str, conf: float, source: str, page: int, bbox, raw=None, checks=()
) -> Field:  # noqa: ANN001
    return Field(key=key, value=value, confidence=round(conf, 3), source=source, page=page,
                 bbox=bbox, raw=raw, checks=tuple(checks))  # type: ignore[arg-type]  # fmt: skip


def _read(
    region: Region,
    rows: list[Row],
    doc_type: str,
    type_conf: float,
    qr: qrlib.QrReading | None,
    mrz_reading: mrzlib.MrzReading | None,
) -> RegionResult:
    page = region.page
    allowed = set(SPEC_FIELDS.get(doc_type, ()))
    cands: dict[str, list[Field]] = {}
    conflicts: list[Conflict] = []
    extras: dict = {"region": region.index}
    unread_left: list[str] = []
    src = "text_layer" if region.source == "text_layer" else "ocr"

    def add(f: Field) -> None:
        if f.key in allowed:
            cands.setdefault(f.key, []).append(f)

    if qr is not None:
        qbox = qr.bbox  # already in page pixels
        for k, v in qr.payload.fields().items():
            add(_field(k, v, 0.99, "qr", page, qbox))
        if qr.payload.extras:
            extras["qr_extra_fields"] = list(qr.payload.extras)
        extras["qr"] = True
    if mrz_reading is not None:
        m = mrz_reading.mrz
        mbox = region.to_page.apply_bbox(mrz_reading.bbox)
        disagreeing = _mrz_self_disagreement(m) if m.valid else []
        if disagreeing:
            # Every check digit holds, yet the zone contradicts itself (the 12-digit id,
            # protected by line 1's check digit, encodes the birth year and sex of line 2):
            # a misreading the check digits let through. Not trusted; the clerk decides.
            conflicts.append(
                Conflict(
                    "mrz",
                    {"mrz": m.raw},
                    reason="id number disagrees with " + " and ".join(disagreeing),
                )
            )
        if m.valid:
            conf = 0.97 if m.repaired else 0.99
            num = m.id_number or m.document_number
            expiry = m.expiry_iso()
            if expiry is None and m.expiry_date == "<" * 6 and m.issuing_country == "VNM":
                expiry = "Không thời hạn"  # a Vietnamese card without end: fillers there
            vals = {"id_number": num, "date_of_birth": m.birth_iso(), "sex": m.sex_vi,
                    "date_of_expiry": expiry, "mrz": m.raw}  # fmt: skip
            for key in disagreeing:
                vals.pop(key, None)
            for k, v in vals.items():
                if v:
                    raw = "\n".join(m.read_as) if k == "mrz" and m.read_as else None
                    add(_field(k, v, conf, "mrz", page, mbox, raw, checks=("mrz_check_digits",)))
            extras["mrz_name"] = m.full_name
            extras["mrz_format"] = m.format
            if doc_type not in ("cccd_back", "cancuoc_back"):
                # e.g. a foreign applicant's passport: no spec type, the zone is kept
                extras["mrz"] = {
                    "format": m.format, "document_code": m.document_code,
                    "issuing_country": m.issuing_country, "document_number": m.document_number,
                    "surname": m.surname, "given_names": m.given_names,
                    "nationality": m.nationality, "date_of_birth": m.birth_iso(),
                    "date_of_expiry": m.expiry_iso(), "sex": m.sex, "lines": list(m.lines),
                }  # fmt: skip
        else:
            failed = ",".join(k for k, ok in m.checks.items() if not ok)
            conflicts.append(
                Conflict("mrz", {"mrz": m.raw}, reason=f"check digits failed: {failed}")
            )
    # printed fields
    unread: dict[str, fl.Reading] = {}
    readings = fl.read_fields(rows, doc_type, unread=unread)
    if src == "ocr":  # names, places, dates no QR or MRZ gives: a second reading
        readings, more = reread.second_opinion(region, readings, reread.kinds_of(doc_type),
                                               skip=cands)  # fmt: skip
        conflicts.extend(more)
    if doc_type == "cccd_back" and "personal_identification" not in readings:
        r = cardtext.description_by_form(rows)
        if r is not None:
            readings["personal_identification"] = r
    spilled: dict[str, tuple[str, fl.Reading]] = {}
    for key, r in readings.items():
        if doc_type == "residence_confirmation" and key == "id_number" and _of_the_head(rows, r):
            continue
        if src == "ocr" and key.endswith("id_number"):
            r = reread_digits(region, r)
        if key == "personal_identification":
            # its end is no label: the date line, the issuer or a seal glued to it
            cleaned = cardtext.clean_personal_identification(r, rows)
            if cleaned is None:
                continue
            r = cleaned
        if doc_type in CARD_TYPES and key in ADDRESS_FIELDS:
            r, spill = cardtext.split_at_label(r)
            if spill and key == "place_of_origin":
                spilled["place_of_residence"] = (spill, r)
        add(_field(key, r.value, r.confidence, src, page, r.bbox, raw=r.raw))
    if src == "ocr":
        # a date or number after its label that did not read as one: its box again
        for key, r in unread.items():
            kind = "id" if key.endswith("id_number") else "date"
            r2 = reread_digits(region, r, kind=kind, force=True)
            if r2.value:
                add(_field(key, r2.value, r2.confidence * 0.8, src, page, r2.bbox, raw=r2.raw))
            elif key in allowed:
                unread_left.append(key)
    _read_specials(rows, doc_type, page, src, add, region=region)
    impossible = _drop_impossible_expiry(cands, doc_type, conflicts)
    if doc_type in ("cccd_front", "cancuoc_back") and "date_of_expiry" not in cands:
        # "Không thời hạn" is printed nowhere else on the card: its label may be unread,
        # and it goes first: a misread date of birth is no expiry
        for row in rows:
            if fuzz.partial_ratio("khong thoi han", fold(row.text)) >= 90:
                ws = [w for w in row.words if fold(w.text) in ("khong", "thoi", "han")]
                conf = sum(w.confidence for w in ws) / len(ws) if ws else 0.5
                box = union_bbox(w.bbox for w in ws) if ws else None
                add(_field("date_of_expiry", "Không thời hạn", conf * 0.8, src, page, box))
                break
    if doc_type == "cccd_front" and "date_of_expiry" not in cands:
        # the expiry label is small print and often unreadable; the front carries
        # only two dates, so the one that is not the date of birth is the expiry
        births = {f.value for f in cands.get("date_of_birth", [])}
        others = [
            r
            for r in fl.find_date_words(rows)
            if r.value not in births and _possible_expiry(r.value, cands, doc_type)
        ]
        if births and len({r.value for r in others}) == 1:
            r = others[0]
            add(_field("date_of_expiry", r.value, r.confidence * 0.6, src, page, r.bbox, raw=r.raw))
    if doc_type == "cccd_front" and "date_of_expiry" not in cands and src == "ocr":
        r = _expiry_below_label(region, rows)
        if r is not None and _possible_expiry(r.value, cands, doc_type):
            add(_field("date_of_expiry", r.value, r.confidence, src, page, r.bbox, raw=r.raw))
    if doc_type in ("cccd_front", "cancuoc_back") and "date_of_expiry" not in cands:
        r = _expiry_with_a_digit_unread(rows, doc_type, cands, impossible)
        if r is not None:
            add(_field("date_of_expiry", r.value, r.confidence, src, page, r.bbox, raw=r.raw))
    if doc_type in ("cccd_front", "cancuoc_back"):
        _expiry_digits_misread(cands, doc_type, conflicts)
    if doc_type in ("cccd_front", "cancuoc_front"):
        _sex_row(rows, cands, page, src, add)
        _citizen_nationality(cands)
        _front_dates(rows, doc_type, cands, page, src, add)
    for key, (text, r) in spilled.items():
        # the residence after its misread label, glued to the place of origin
        value = fl.convert("address", text)
        if key not in cands and value:
            add(_field(key, value, r.confidence * 0.7, src, page, r.bbox, raw=text))
    if doc_type == "cmnd" and "full_name" not in cands:
        name = _cmnd_name_row(rows)
        if name is not None:
            add(dataclasses.replace(name, page=page, source=src))
    if doc_type == "cmnd" and "date_of_birth" not in cands:
        birth = _cmnd_birth_row(rows)
        if birth is not None:
            add(dataclasses.replace(birth, page=page, source=src))
    if doc_type in ("cccd_front", "cancuoc_front", "cmnd"):
        _card_front_by_position(region, rows, doc_type, cands, page, src, add)
    if doc_type == "cancuoc_back":
        # a residence read on into the next label's row, that label misread (even where
        # the places by order found the registration after it)
        for n, f in enumerate(cands.get("place_of_residence", [])):
            if f.source != "ocr":
                continue
            cut = cardtext.cut_at_back_label(f.value, rows, "place_of_residence")
            if cut != f.value:
                cands["place_of_residence"][n] = dataclasses.replace(
                    f, value=cut, raw=f.raw or f.value, confidence=f.confidence * 0.9
                )
    if doc_type == "cancuoc_back" and not all(k in cands for k in cardtext._BACK_LABELS):
        for key, (text, row) in cardtext.back_places(rows).items():
            value = fl.convert("address", text)
            if key not in cands and value:
                conf = sum(w.confidence for w in row.words) / len(row.words) * 0.6
                box = union_bbox(w.bbox for w in row.words)
                add(_field(key, value, conf, src, page, box, raw=text))
    if doc_type in ("cccd_back", "cancuoc_back"):
        _back_dates(rows, doc_type, cands, page, src, add)
    return RegionResult(page, region.index, doc_type, type_conf, cands, conflicts, "", True, extras,
                        unread=tuple(unread_left))  # fmt: skip


def _card_front_by_position(
    region: Region,
    rows: list[Row],
    doc_type: str,
    cands: dict,
    page: int,
    src: str,
    add,  # noqa: ANN001
) -> None:
    """Name, birth date and sex of a card front whose labels OCR misread beyond
    matching, found by their place and form (:mod:`extractors.cardtext`); a birth date
    whose digits were misread is read again from its box."""
    found: list[fl.Reading] = []
    if "full_name" not in cands:
        found.append(cardtext.name_by_position(rows, doc_type))
    if "sex" not in cands and doc_type != "cmnd":
        found.append(cardtext.sex_by_position(rows))
    birth = None if "date_of_birth" in cands else cardtext.birth_by_position(rows, doc_type)
    if birth is not None:
        found.append(birth)
    elif "date_of_birth" not in cands and src == "ocr":
        words = cardtext.birth_date_words(rows, doc_type)
        if words is not None:
            r = reread_digits(region, words, kind="date", force=True)
            if r.value:
                found.append(dataclasses.replace(r, confidence=r.confidence * 0.6))
    if doc_type in ("cmnd", "cccd_front") and not (
        {"place_of_origin", "place_of_residence"} & cands.keys()
    ):
        found.extend(cardtext.places_by_position(rows))
    for r in found:
        if r is not None:
            add(_field(r.key, r.value, r.confidence, src, page, r.bbox, raw=r.raw))


LAST_CCCD_BIRTH = "2010-12-31"
"""The CCCD (2016 to June 2024) was issued from the age of 14: its holders were born
by 2010, and its expiry (at 25, 40 or 60, or none) falls after its issue."""


def _front_dates(rows: list[Row], doc_type: str, cands: dict, page: int, src: str, add) -> None:  # noqa: ANN001
    """Birth (and expiry) dates of a card front whose labels were unreadable ("Ngày ra
    18/08/1981"). A front prints no date but these two, and the birth comes first: of
    two dates the earlier is the birth, the later the expiry; a lone date is the birth
    on a Căn cước front (no expiry printed) or on a row opening with "Ngày"."""
    if "date_of_birth" in cands:
        return
    expiry = {f.value for f in cands.get("date_of_expiry", [])}
    found: dict[str, tuple[fl.Reading, Row]] = {}
    for row in rows:
        for r in fl.find_date_words([row]):
            found.setdefault(r.value, (r, row))
    dates = sorted(v for v in found if v not in expiry)
    birth = None
    if len(dates) == 2 and not expiry and doc_type == "cccd_front":
        birth = dates[0]
        r = found[dates[1]][0]
        add(_field("date_of_expiry", r.value, r.confidence * 0.6, src, page, r.bbox, raw=r.raw))
    elif len(dates) == 1:
        r, row = found[dates[0]]
        opens = fold(row.text).split()[:1] == ["ngay"]
        # a CCCD (2016 to mid-2024) was issued from the age of 14 and expires after its
        # issue: a date of 2010 or before on its front is no expiry
        born = doc_type == "cccd_front" and dates[0] <= LAST_CCCD_BIRTH
        if (
            expiry
            or doc_type == "cancuoc_front"
            or born
            or (opens and "gia tri" not in fold(row.text))
        ):
            birth = dates[0]
    if birth is None or any(e[:1].isdigit() and e <= birth for e in expiry):
        return
    r = found[birth][0]
    add(_field("date_of_birth", r.value, r.confidence * 0.6, src, page, r.bbox, raw=r.raw))


_SEX_WORDS = {"nam": "Nam", "nu": "Nữ"}


def _sex_row(rows: list[Row], cands: dict, page: int, src: str, add) -> None:  # noqa: ANN001
    """Sex and nationality of a card front from their row when their labels did not
    match ("Giớitinh *A Nam — Quốctich Vưexzrn: \\ it Nam": labels glued, English
    halves garbled): the first word after "Giới tính" that is exactly a sex, and the
    nationality when the row goes on with "Quốc tịch" or ends in "Nam"."""
    need_sex, need_nat = "sex" not in cands, "nationality" not in cands
    if not (need_sex or need_nat):
        return
    labelled = [(row, _sex_label_at(list(row.words))) for row in rows]
    labelled = [(row, at) for row, at in labelled if at is not None]
    if not labelled:
        # both labels lost ("(li nh (: Nam Cố ọh: *e=ss Việt Nam"): the row that ends in
        # "Việt Nam" after a word that is exactly a sex, which the national motto's
        # "... CHỦ NGHĨA VIỆT NAM" never has
        labelled = [(row, -1) for row in rows if _sex_then_vietnam(row)][:1]
    for row, start in labelled:
        ws = list(row.words)
        after = ws[start + 1 :]
        sex_at = None
        for k, w in enumerate(after[:4] if start >= 0 else after[:-2]):
            if fold(w.text).startswith(("quoc", "viet", "nationality")):
                break  # the nationality's "Nam" is no sex
            if _sex_word(w.text):
                sex_at = k
                break
        if sex_at is not None and need_sex:
            w = after[sex_at]
            value = _sex_word(w.text)
            add(_field("sex", value, w.confidence * 0.8, src, page, w.bbox, raw=row.text))
        # no word clearly a sex: it is left unread rather than guessed
        rest = after[sex_at + 1 :] if sex_at is not None else after
        rest_f = [re.sub(r"[^a-z]", "", fold(x.text)) for x in rest]
        nat_label = any(t.startswith(("quoc", "nationality")) for t in rest_f)
        ends_vn = rest_f[-2:] == ["viet", "nam"] or (sex_at is not None and rest_f[-1:] == ["nam"])
        if need_nat and rest and (nat_label or ends_vn):
            named = [x for x, t in zip(rest, rest_f, strict=True) if t in ("viet", "nam")]
            ws_n = named[-2:] or rest[-1:]
            conf = sum(x.confidence for x in ws_n) / len(ws_n)
            raw = " ".join(x.text for x in rest)
            box = union_bbox(x.bbox for x in ws_n)
            add(_field("nationality", "Việt Nam", conf * 0.7, src, page, box, raw=raw))
        return


def _sex_then_vietnam(row: Row) -> bool:
    folded = [re.sub(r"[^a-z]", "", fold(w.text)) for w in row.words]
    if folded[-2:] != ["viet", "nam"] or len(folded) < 4:
        return False
    return any(_sex_word(w.text) for w in row.words[:-2])


def _sex_label_at(ws: list) -> int | None:  # noqa: ANN001
    """Index of the (last) word of a "Giới tính" label, read glued or apart; apart, a
    blurred photo may lose a letter of "Giới" and read the t of "tính" as l ("Gii lính")."""
    for i, w in enumerate(ws):
        f = fold(w.text)
        if re.fullmatch(r"gioi\s?t\w{0,2}nh\W*.*|gioit\w{2,4}", f):
            return i
        nxt = fold(ws[i + 1].text) if i + 1 < len(ws) else ""
        if f == "gioi" and re.match(r"t\w{0,2}nh", nxt):
            return i + 1
        if Levenshtein.distance(f, "gioi") <= 1 and re.fullmatch(r"[tl]?\w?nh\W*", nxt):
            return i + 1
    return None


def _sex_word(text: str) -> str | None:
    """``Nam`` / ``Nữ`` for a word that is exactly one of them (tone marks aside)."""
    return _SEX_WORDS.get(re.sub(r"[^a-z]", "", fold(text)))


def _citizen_nationality(cands: dict) -> None:
    """A CCCD or Căn cước is issued to Vietnamese citizens only: a nationality read as
    anything else ("lam": "Việt" lost, "Nam" misread) is "Việt Nam", at a lower
    confidence, with the reading kept as ``raw``."""
    for i, f in enumerate(cands.get("nationality", [])):
        if f.source in ("ocr", "text_layer") and f.value != "Việt Nam":
            cands["nationality"][i] = dataclasses.replace(
                f, value="Việt Nam", raw=f.raw or f.value, confidence=round(f.confidence * 0.6, 3)
            )


def _cmnd_birth_row(rows: list[Row]) -> Field | None:
    """The birth date of a CMND front after a misread "Sinh ngày" ("Sinh sgày
    17-11-1978", "Set ngày 26-08-1966"): the first date among the three words after a
    row's "Sinh", or after a short word and "ngày" (the back's date opens with "Ngày")."""
    from extractors.normalize import normalize_date

    for row in rows:
        ws = list(row.words)
        if not ws:
            continue
        first = fold(ws[0].text).strip(":.,")
        before_ngay = (
            len(ws) > 2 and fold(ws[1].text).strip(":.,") == "ngay"
            and first.isalpha() and len(first) <= 4 and first != "ngay"
        )  # fmt: skip
        if first != "sinh" and not before_ngay:
            continue
        for w in ws[1:4]:
            value = normalize_date(w.text.strip(".,:;"))
            if value is not None:
                return Field("date_of_birth", value, round(w.confidence * 0.7, 3), "ocr", 0,
                             w.bbox, raw=row.text)  # fmt: skip
    return None


def _cmnd_name_row(rows: list[Row]) -> Field | None:
    """The name of a CMND front after a misread "Họ tên" ("Họ ttn PHẠM TUYẾT DUYÊN",
    "Hown SÙNG THỊ SÚA"): a row opening with "Họ", at most two short words, then a
    name in capitals."""
    for row in rows:
        ws = list(row.words)
        if len(ws) < 2 or not re.fullmatch(r"ho\w{0,2}", fold(ws[0].text).strip(":.,")):
            continue  # "Họ", or "Họ tên" read as one word ("Hown")
        if ws[0].text.isupper():
            continue  # "HỒ": the surname of a name in capitals, no label
        for k in (1, 2, 3):
            if k >= len(ws) - 1 or any(len(w.text) > 5 for w in ws[1:k]):
                break
            rest = ws[k:]
            text = " ".join(w.text for w in rest)
            name = fl.convert("name", fl._cut_name(text))
            letters = [c for c in text if c.isalpha()]
            caps = sum(c.isupper() for c in letters) >= 0.9 * max(1, len(letters))
            if name and caps and len(name.split()) >= 2 and fl.name_score(name) >= 0.75:
                conf = sum(w.confidence for w in rest) / len(rest) * 0.8
                return Field("full_name", name, round(conf, 3), "ocr", 0,
                             union_bbox(w.bbox for w in rest), raw=row.text)  # fmt: skip
    return None


def _back_dates(rows: list[Row], doc_type: str, cands: dict, page: int, src: str, add) -> None:  # noqa: ANN001
    """Issue (and expiry) dates of a card back whose labels were unreadable.

    The CCCD back prints one date (issue); the Căn cước back two (issue, then a later
    expiry). Whole ``dd/mm/yyyy`` words decide only when their count fits.
    """
    want = ["date_of_issue"] if doc_type == "cccd_back" else ["date_of_issue", "date_of_expiry"]
    missing = [k for k in want if k not in cands]
    if not missing:
        return
    found: dict[str, fl.Reading] = {}
    for r in fl.find_date_words(rows):
        found.setdefault(r.value, r)
    known = {f.value for k, fs in cands.items() if k.startswith("date_") for f in fs}
    dates = [r for v, r in sorted(found.items()) if v not in known]
    if len(dates) != len(missing):
        return
    for key, r in zip(missing, dates, strict=True):
        add(_field(key, r.value, r.confidence * 0.6, src, page, r.bbox, raw=r.raw))


def _suspect_digits(raw: str) -> bool:
    """A number read with letters in its digit run ("00117528g2gg": a dotted leader
    under the digits, or a font OCR confuses), fixed by letter-for-digit guesses."""
    # only the words that carry digits ("CCCD số 015186445401" is a clean number)
    core = "".join(t for t in raw.split() if any(c.isdigit() for c in t))
    digits = sum(c.isdigit() for c in core)
    # letters among the digits, or a digit count no id number has (one dropped or doubled)
    return digits >= 4 and (any(c.isalpha() for c in core) or digits not in (9, 12))


def reread_digits(
    region: Region, reading: fl.Reading, *, kind: str = "id", force: bool = False
) -> fl.Reading:
    """Read a suspect number again: its box cut from the region image (grey levels,
    not the OCR layer's binarized copy), one line, digits only. The new reading is
    kept only when it is a well-formed value; else the original stays."""
    if not (force or _suspect_digits(reading.raw)) or region.image is None or not reading.words:
        return reading
    boxes = [w.region_bbox for w in reading.words if any(c.isdigit() for c in w.text)]
    if not boxes or any(b is None for b in boxes):
        return reading
    x0 = min(b[0] for b in boxes)  # type: ignore[index]
    y0 = min(b[1] for b in boxes)  # type: ignore[index]
    x1 = max(b[2] for b in boxes)  # type: ignore[index]
    y1 = max(b[3] for b in boxes)  # type: ignore[index]
    h = max(1, y1 - y0)
    img = region.image
    crop = img[max(0, y0 - h // 3) : y1 + h // 3, max(0, x0 - h // 2) : x1 + h // 2]
    if crop.size == 0:
        return reading
    if h < 30:
        crop = cv2.resize(crop, None, fx=40 / h, fy=40 / h, interpolation=cv2.INTER_CUBIC)
    try:
        from ocr import tesseract

        allowed = "0123456789" if kind == "id" else "0123456789/"
        text = tesseract.text(crop, psm=7, whitelist=allowed, lang="eng", timeout=10)
    except Exception as exc:  # noqa: BLE001 - a failed re-read keeps the first reading
        log.info("digit re-read failed: %s", type(exc).__name__)
        return reading
    value = fl.convert(kind, text)
    shape = max((sum(c.isalnum() for c in w.text) for w in reading.words), default=0)
    if value is None or (reading.value and len(value) not in (len(reading.value), shape)):
        return reading
    if value != reading.value:
        log.info("number re-read from its box: %s -> %s", mask(reading.value), mask(value))
    return dataclasses.replace(reading, value=value, raw=reading.raw)


EXPIRY_LABELS = ("co gia tri den", "date of expiry")


EXPIRY_BY_RULE = 0.5
"""Confidence of an expiry completed by the age rule: under the review threshold (its
unread digits are the rule's, not the card's), whatever the OCR's word confidence."""
_DATE_SHAPE = re.compile(r"(?<![\w/])\S\S[/.-]\S\S[/.-]\S{4}(?![\w/])")


def _best(cands: dict, key: str) -> str | None:
    """The surest candidate value of ``key``."""
    return next((f.value for f in sorted(cands.get(key, []), key=lambda f: -f.confidence)), None)


def _possible_expiry(value: str, cands: dict, doc_type: str) -> bool:
    """Whether a card could expire on ``value`` (ISO) given its surest birth and issue
    dates: not on or before its issue, nor before the first renewal age. Unknown dates
    rule nothing out."""
    from extractors import validate as vl

    e = vl.parse_iso(value)
    if e is None:
        return True
    issued = vl.parse_iso(_best(cands, "date_of_issue") or "")
    dob = vl.parse_iso(_best(cands, "date_of_birth") or "")
    ages = vl.CANCUOC_AGES if doc_type.startswith("cancuoc") else vl.CCCD_AGES
    if issued is not None and e <= issued:
        return False
    return dob is None or e >= vl._birthday(dob, ages[0])


def _drop_impossible_expiry(cands: dict, doc_type: str, conflicts: list[Conflict]) -> list[Field]:
    """The card's OCR'd expiry readings that cannot be its expiry (before its issue, or
    before the holder's first renewal age: the date of birth read a second time), taken
    out of ``cands`` so that the other ways of reading the expiry run; each is listed in
    ``conflicts`` for the clerk. Returned for :func:`_expiry_with_a_digit_unread`."""
    if doc_type not in ("cccd_front", "cancuoc_back"):
        return []
    kept, dropped = [], []
    for f in cands.get("date_of_expiry", []):
        impossible = f.source in ("ocr", "text_layer") and not _possible_expiry(
            f.value, cands, doc_type
        )
        (dropped if impossible else kept).append(f)
    for f in dropped:
        log.info("an expiry read before the card could expire: set aside")
        conflicts.append(
            Conflict("date_of_expiry", {f.source: f.value}, reason="read as no possible expiry")
        )
    if dropped:
        if kept:
            cands["date_of_expiry"] = kept
        else:
            del cands["date_of_expiry"]
    return dropped


def _expiry_with_a_digit_unread(
    rows: list[Row], doc_type: str, cands: dict, impossible: Iterable[Field] = ()
) -> fl.Reading | None:
    """An expiry printed with one or two digits read as letters ("23/07/20M0"): the
    card's expiry is set by the age rule (the next renewal birthday after the issue,
    :func:`validate.expected_expiry`), so a date-shaped reading whose every digit agrees
    with that date, and whose other characters are no digits, is that date. So is a
    reading set aside as no possible expiry (``impossible``) that differs from it in one
    digit ("29/12/2017" for 29/12/2037). Taken at :data:`EXPIRY_BY_RULE`, the reading
    kept as raw; any other reading is left unread."""
    from extractors import validate as vl

    d, i = (vl.parse_iso(_best(cands, k) or "") for k in ("date_of_birth", "date_of_issue"))
    if d is None or i is None:
        return None
    ages = vl.CANCUOC_AGES if doc_type.startswith("cancuoc") else vl.CCCD_AGES
    expected = vl.expected_expiry(d, i, ages=ages)
    if expected == vl.NO_EXPIRY:
        return None
    for f in impossible:
        if (
            len(f.value) == len(expected)
            and sum(a != b for a, b in zip(f.value, expected, strict=True)) == 1
        ):
            log.info("expiry completed by the age rule from a reading one digit off")
            raw = f.raw or f.value
            return fl.Reading("date_of_expiry", expected, raw, EXPIRY_BY_RULE, f.bbox)
    printed = f"{expected[8:10]}/{expected[5:7]}/{expected[:4]}"
    for row in rows:
        for w in row.words:
            cut = re.fullmatch(r"(\d\d/\d\d/)(\d{2,3})", w.text.strip(".,:;"))
            if (
                cut is not None
                and printed.startswith(cut.group(1) + cut.group(2))
                and not re.search(r"\b(?:sinh|birth)\b", fold(row.text))
            ):
                # the year cut short where the next column's label crowds it
                # ("Có giá trị đến 20/08/20 thường trú"): what was read is the rule's
                log.info("expiry completed by the age rule from a date cut short")
                return fl.Reading("date_of_expiry", expected, w.text, EXPIRY_BY_RULE, w.bbox)
            m = _DATE_SHAPE.search(w.text)
            if m is None or fl.convert("date", m.group(0)) is not None:
                continue
            got = m.group(0)
            pairs = [(a, b) for a, b in zip(got, printed, strict=True) if b != "/"]
            if all(a == b or not a.isdigit() for a, b in pairs) and (
                sum(a == b for a, b in pairs) >= len(pairs) - 2
            ):
                log.info("expiry completed by the age rule from a partial reading")
                return fl.Reading("date_of_expiry", expected, got, EXPIRY_BY_RULE, w.bbox)
    return None


_DIGIT_LOOKALIKES = frozenset(
    frozenset(p) for p in ("08", "06", "09", "38", "56", "58", "68", "89", "35", "17", "27", "14")
)
"""Digits Tesseract takes for each other in small or blurred print."""


def _expiry_digits_misread(cands: dict, doc_type: str, conflicts: list[Conflict]) -> None:
    """An expiry read with one or two digits wrong ("28/08/2026" for 25/08/2025), each
    one a look-alike of the digit the age rule gives, when the dates the rule starts
    from were decoded (QR or MRZ), not read: the card's expiry is fixed by them
    (:func:`validate.expected_expiry`). The rule's date is taken at
    :data:`EXPIRY_BY_RULE`, the reading kept as raw and listed in ``conflicts``."""
    from extractors import validate as vl

    def decoded(key: str) -> dt.date | None:
        best = sorted(cands.get(key, []), key=lambda f: -f.confidence)[:1]
        return vl.parse_iso(best[0].value) if best and best[0].source in ("qr", "mrz") else None

    dob, issued = decoded("date_of_birth"), decoded("date_of_issue")
    readings = cands.get("date_of_expiry", [])
    if dob is None or issued is None or not readings:
        return
    if any(f.source not in ("ocr", "text_layer") for f in readings):
        return
    ages = vl.CANCUOC_AGES if doc_type.startswith("cancuoc") else vl.CCCD_AGES
    expected = vl.expected_expiry(dob, issued, ages=ages)
    for n, f in enumerate(readings):
        if f.value == expected or len(f.value) != len(expected) or expected == vl.NO_EXPIRY:
            continue
        off = [frozenset((a, b)) for a, b in zip(f.value, expected, strict=True) if a != b]
        if len(off) <= 2 and all(pair in _DIGIT_LOOKALIKES for pair in off):
            log.info("expiry read with %d digit(s) off the age rule: the rule's taken", len(off))
            conflicts.append(
                Conflict("date_of_expiry", {f.source: f.value, "expected_by_age": expected},
                         reason="expiry read with digits the age rule gives otherwise")
            )  # fmt: skip
            readings[n] = dataclasses.replace(
                f, value=expected, raw=f.raw or f.value, confidence=EXPIRY_BY_RULE
            )


def _expiry_below_label(region: Region, rows: list[Row]) -> fl.Reading | None:
    """A CCCD front's expiry printed small under the photo, below its label, that the
    page's OCR did not read at all: the strip under the label read again, enlarged, as
    sparse digits. Kept only when it is a date."""
    if region.image is None:
        return None
    for row in rows:
        spans = [lb.find_label(row, label, cutoff=70.0) for label in EXPIRY_LABELS]
        found = [x for x in spans if x is not None]
        if not found:
            continue
        start, end = min(x[0] for x in found), max(x[1] for x in found)
        words = [w for w, (s, e) in zip(row.words, row.spans, strict=True) if e > start and s < end]
        if any(w.region_bbox is None for w in words) or fl.find_date_words([row]):
            return None  # the date is on the label's own row: read with it, or not there
        x0 = min(w.region_bbox[0] for w in words)  # type: ignore[index]
        x1 = max(w.region_bbox[2] for w in words)  # type: ignore[index]
        y1 = max(w.region_bbox[3] for w in words)  # type: ignore[index]
        h = max(8, int(row.height))
        box = (max(0, x0 - h), max(0, y1 - h // 4), x1 + h, y1 + 3 * h)
        crop = to_gray(region.image[box[1] : box[3], box[0] : box[2]])
        if crop.size == 0:
            return None
        # small print over the card's guilloche: enlarged, and read as sparse text (a
        # one-line read of the strip gives up on the background lines)
        crop = cv2.resize(crop, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
        crop = cv2.copyMakeBorder(crop, 10, 10, 10, 10, cv2.BORDER_REPLICATE)
        try:
            from ocr import tesseract

            text = tesseract.text(crop, psm=11, whitelist="0123456789/", lang="eng", timeout=10)
        except Exception as exc:  # noqa: BLE001 - a failed re-read adds nothing
            log.info("expiry re-read failed: %s", type(exc).__name__)
            return None
        value = fl.convert("date", text.strip())
        if not value:
            return None
        log.info("expiry read again under its label")
        page_box = region.to_page.apply_bbox(box)
        return fl.Reading("date_of_expiry", value, text.strip(), 0.5, page_box)
    return None


def _reread_near_ids(region: Region, rows: list[Row], digits: int) -> list[fl.Reading]:
    """Card numbers OCR'd with a digit too many or too few ("084-1087291302"), read
    again from their box; only readings of exactly ``digits`` digits are kept."""
    out = []
    tries = 0
    for row in rows:
        for w in row.words:
            n = sum(c.isdigit() for c in w.text)
            if abs(n - digits) <= 2 and len(w.text) <= digits + 4 and "/" not in w.text:
                tries += 1
                if tries > 3:
                    return out
                r = fl.Reading("id_number", "", w.text, w.confidence, w.bbox, (w,))
                r2 = reread_digits(region, r, force=True)
                if len(r2.value) == digits:
                    out.append(dataclasses.replace(r2, confidence=w.confidence * 0.8))
        if len(out) >= 1:
            break
    return out


def _read_specials(
    rows: list[Row],
    doc_type: str,
    page: int,
    src: str,
    add,
    region: Region | None = None,  # noqa: ANN001
) -> None:
    """Values that are not after a label: card numbers, issuers, signature-block dates."""
    if doc_type in ("cccd_front", "cancuoc_front", "cmnd"):
        ids = fl.find_id_numbers(rows, 12)
        if doc_type == "cmnd" and not ids:
            ids = fl.find_id_numbers(rows, 9)
        if not ids and src == "ocr" and region is not None:
            ids = _reread_near_ids(region, rows, 9 if doc_type == "cmnd" else 12)
        if ids:
            r = max(ids, key=lambda x: x.confidence)
            if src == "ocr" and region is not None:
                r = reread_digits(region, r)
            add(_field("id_number", r.value, r.confidence, src, page, r.bbox, raw=r.raw))
    if doc_type in ("cccd_back", "cancuoc_back"):
        issuer = fl.read_issuer(rows)
        if issuer is None and doc_type == "cccd_back":
            # the two titles a CCCD back prints; the nearer one when clearly nearer
            issuer = cardtext.issuer_by_margin(rows, fl.ISSUERS[:2])
        if issuer is None and doc_type == "cccd_back":
            issuer = cardtext.issuer_by_generation(rows)
        if issuer is not None:
            add(_field("issuing_authority", issuer.value, issuer.confidence, src, page,
                       issuer.bbox, raw=issuer.raw))  # fmt: skip
    if doc_type in ("cmnd", "cccd_back", "residence_confirmation", "land_use_certificate"):
        dates = fl.find_ngay_thang_nam(rows)
        if not dates and doc_type in ("cmnd", "cccd_back"):
            # the back's one written date, its words misread ("Xưày 24 tháng (2 nấm")
            dates = [
                dataclasses.replace(d, confidence=d.confidence * 0.8)
                for d in cardtext.loose_written_dates(rows, skip="sinh")
            ]
        if dates:
            d = dates[-1] if doc_type == "land_use_certificate" else dates[0]
            add(_field("date_of_issue", d.value, d.confidence * 0.95, src, page, d.bbox, raw=d.raw))
    if doc_type == "residence_confirmation":
        unit = _ct07_authority(rows)
        if unit is not None:
            add(dataclasses.replace(unit, page=page, source=src))
    if doc_type == "land_use_certificate":
        for f in _land_specials(rows):
            add(dataclasses.replace(f, page=page, source=src))


def _of_the_head(rows: list[Row], r: fl.Reading) -> bool:
    """A CT07 number read on the row of the head of household's ("Số định danh cá nhân
    của chủ hộ", its tail misread "có shhàm của chú bộc" past the label matcher): not
    the citizen's own, unless the citizen is the head."""
    first = r.words[0] if r.words else None
    row = next((row for row in rows if first is not None and first in row.words), None)
    if row is None or re.search(r"\bcua ch[uư]\b", fold(row.text)) is None:
        return False
    # ... unless the citizen is the head ("Quan hệ với chủ hộ: Chủ hộ"): the same number
    return not any(
        "quan he" in (f := fold(other.text)) and re.search(r"chu ho\W*$", f) for other in rows
    )


def _ct07_authority(rows: list[Row]) -> Field | None:
    """The police unit in the CT07 header (upper case, above the title), most local last."""
    best = None
    for row in rows[:12]:
        if "xac nhan thong tin" in fold(row.text):
            break
        for seg in segments(row):
            t = " ".join(w.text for w in seg)
            f = fold(t)
            letters = [c for c in t if c.isalpha()]
            upper = sum(c.isupper() for c in letters) >= 0.8 * max(1, len(letters))
            if not f.startswith("cong an") or not upper:
                continue
            if not re.match(r"cong an (tinh|tp|thanh pho)\b", f) or best is None:
                best = (t, seg)
    if (
        best is None
        or sum(any(c.isalpha() for c in w) for w in best[0].split()) <= 2
        or re.search(r"[^\w\s'\-.]", best[0].split(None, 2)[-1])  # "ĐẮK BỦK $0"
    ):
        # the header's unit lost beside the national motto ("CÔNG An " CỘNG HÒA XÃ"):
        # the unit named in the body, "Công an xã Pa Tần xác nhận thông tin về cư trú"
        body = _ct07_body_unit(rows)
        best = body or best
    if best is None:
        return None
    t, seg = best
    conf = sum(w.confidence for w in seg) / len(seg)
    value = " ".join(t.split()).upper()
    # a speck before it ("' CÔNG AN ..."), a mark misread on its first word ("CỔNG AN"):
    # the unit is a police office's, whose name opens "CÔNG AN"
    value = re.sub(r"^[^\w]+", "", value)
    value = re.sub(r"^\S+ \S+", "CÔNG AN", value) if fold(value).startswith("cong an ") else value
    return Field("issuing_authority", value, conf, "ocr", 0, union_bbox(w.bbox for w in seg))


def _ct07_body_unit(rows: list[Row]) -> tuple[str, list] | None:
    """The police unit a CT07's body opens with, before "xác nhận thông tin": "Công an"
    and a unit's type word and name (two words or more after "Công an")."""
    for row in rows:
        words = list(row.words)
        folded = [fold(w.text).strip(",.:") for w in words]
        at = next((i for i in range(len(folded) - 1)
                   if folded[i : i + 2] == ["xac", "nhan"]), None)  # fmt: skip
        if at is None:
            continue
        start = next((i for i in range(at - 1) if folded[i : i + 2] == ["cong", "an"]), None)
        if start is not None and at - start >= 4:
            seg = words[start:at]
            return " ".join(w.text for w in seg), seg
    return None


_HOLDER = re.compile(r"(?:ho )?(?:ong|ba|8a)(?: ?[/(] ?(?:ong|ba)\)?)? ?:")  # B read as 8


_HOLDER_LOOSE = re.compile(r"(?:ho )?(?:ong|ba|8a|da)[.;]?")
"""... its colon lost or read as a dot, B read as Đ: only before a name in capitals."""


def _holder_label(words) -> int:  # noqa: ANN001
    """How many words the holder label at the start of a row takes ("Ông:", "Bà :",
    "Hộ ông:", "Ông (Bà):", "Ông/Bà:"; "Ông", "Đá." before a name in capitals), 0 when
    the row has none."""

    def name_follows(k: int) -> bool:
        return len(words) > k + 1 and all(
            sum(c.isalpha() for c in w.text) >= 2 and w.text.isupper() for w in words[k : k + 2]
        )

    for k in (1, 2, 3):
        head = strip_diacritics(" ".join(w.text for w in words[:k])).lower()
        if len(words) >= k and _HOLDER.fullmatch(head):
            return k
        if _HOLDER_LOOSE.fullmatch(head) and name_follows(k):
            return k
    # "Ôøg:": "Ông" one letter misread, its capital O and colon kept
    first = strip_diacritics(words[0].text).lower() if words else ""
    if (
        re.fullmatch(r"o\S\S:", first)
        and Levenshtein.distance(first[:3], "ong") <= 1
        and name_follows(1)
    ):
        return 1
    return 0


def _name_wraps(row: Row, nxt: Row) -> bool:
    """The row below a holder's name holds only its last word(s): one to three words in
    capitals that read as syllables, level with the label or the name, just below."""
    from extractors.vietnamese import is_syllable

    h = max(row.height, 1)
    ws = nxt.words
    if not 1 <= len(ws) <= 3 or nxt.y - row.y > 2.0 * h:
        return False
    if not all(w.text.isalpha() and w.text.isupper() and is_syllable(w.text) for w in ws):
        return False
    anchors = (gb(row.words[0])[0], gb(row.words[1])[0] if len(row.words) > 1 else None)
    return any(a is not None and abs(gb(ws[0])[0] - a) <= 0.8 * h for a in anchors)


def _capitals_row(row: Row, *, below: Row) -> bool:
    """A row of two to six words in capitals, no digits and no colon, just below the row
    ``below``: a name alone on its line."""
    text = row.text
    letters = [c for c in text if c.isalpha()]
    return (
        row.y - below.y <= 3.0 * max(below.height, 1)  # forms space their lines widely
        and 2 <= len(row.words) <= 6
        and len(letters) >= 4
        and all(c.isupper() for c in letters)
        and not any(c.isdigit() or c == ":" for c in text)
    )


def _land_specials(rows: list[Row]) -> list[Field]:
    out: list[Field] = []
    # holders: "Ông: NAME" / "Bà: NAME"
    names, boxes, confs = [], [], []
    for i, row in enumerate(rows):
        words = row.words
        if len(words) > 2 and len(words[0].text.strip(".,;:|")) <= 1:
            words = words[1:]  # a speck in the margin before "Ông:" ("Ị Ông: CHÂU DUY ẨN")
        if not words:
            continue
        k = _holder_label(words)
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        if k and len(words) == k and nxt is not None and _capitals_row(nxt, below=row):
            words = (*words, *nxt.words)  # "Ông:" alone, the name printed on the line below
        if k and len(words) > k:
            if nxt is not None and nxt.words[0] not in words and _name_wraps(row, nxt):
                words = (*words, *nxt.words)  # "NGUYỄN TRỌNG CÔNG / KHƯƠNG"
            rest = " ".join(w.text for w in words[k:]).lstrip(": ")
            name = fl.convert("name", fl._cut_name(rest))
            if name:
                names.append(name)
                boxes.append(union_bbox(w.bbox for w in words[k:]))
                confs.append(sum(w.confidence for w in words[k:]) / (len(words) - k))
    if names:
        out.append(Field("holder_names", "; ".join(names), min(confs), "ocr", 0,
                         union_bbox(b for b in boxes if b)))  # fmt: skip
    # serial: two capital letters and six digits, near the bottom
    for row in reversed(rows):
        m = re.search(r"\b([A-ZĐ]{2})\s?(\d{6,8})(?![\dA-Za-z])", row.text)  # "BA 119194_-"
        if m and "vao so" not in fold(row.text):  # "Số vào sổ cấp GCN: CS01234", any prefix
            ws = [w for w in row.words if m.group(1) in w.text or m.group(2) in w.text]
            conf = sum(w.confidence for w in ws) / max(1, len(ws))
            value = f"{m.group(1)} {m.group(2)}"
            out.append(Field("certificate_serial", value, conf, "ocr", 0,
                             union_bbox(w.bbox for w in ws)))  # fmt: skip
            break
    return out


# ----------------------------------------------------------------------------- assembly


def _finish(parts: list[RegionResult], quality) -> ExtractedDocument:  # noqa: ANN001
    head = parts[0]
    doc_type = head.document_type
    cands: dict[str, list[Field]] = {}
    conflicts: list[Conflict] = []
    extras: dict = {}
    for p in parts:
        for k, fs in p.candidates.items():
            # on a continuation page, a field already read on an earlier page stays
            if p is not head and k in cands and any(f.source == "ocr" for f in cands[k]):
                continue
            cands.setdefault(k, []).extend(fs)
        conflicts.extend(p.conflicts)
        for k, v in p.extras.items():
            extras.setdefault(k, v)
    fields_, rec_conflicts = reconcile(cands)
    conflicts.extend(rec_conflicts)
    fields_, corr_conflicts = _correct(fields_, doc_type)
    conflicts.extend(corr_conflicts)
    _birth_year_two_against_one(fields_, doc_type, conflicts)
    _expiry_day_from_birth(fields_, doc_type, conflicts)
    fields_, val_conflicts = validate(fields_, document_type=doc_type)
    conflicts.extend(val_conflicts)
    pages = tuple(dict.fromkeys(p.page for p in parts))
    text = "\n\n".join(p.text for p in parts if p.text)
    if "id_number" in fields_:
        log.info("document %s pages %s id %s: %d fields", doc_type, pages,
                 mask(fields_["id_number"].value), len(fields_))  # fmt: skip
    return ExtractedDocument(
        pages=pages,
        document_type=doc_type,
        type_confidence=head.type_confidence,
        fields=fields_,
        conflicts=tuple(conflicts),
        text=text,
        quality=quality,
        extras=extras,
    )


COUNCIL = ("Ủy ban nhân dân", "Uỷ ban nhân dân")
"""The people's committee a registering authority begins with, in both spellings."""


def _authority_head(value: str) -> str:
    """``ỦY bạn nhân dân xã ...`` -> ``Ủy ban nhân dân xã ...``: the fixed words of a
    registering authority misread (a tone mark, the case), spelt as printed, in the case
    of the rest of the value; a reading that is one of its spellings stays."""
    words = value.split()
    head = " ".join(words[:4])
    if len(words) <= 4 or fold(head) != "uy ban nhan dan":
        return value
    if head in COUNCIL or head in (c.upper() for c in COUNCIL):
        return value
    rest = " ".join(words[4:])
    upper = all(c.isupper() for c in rest if c.isalpha())
    return f"{COUNCIL[0].upper() if upper else COUNCIL[0]} {rest}"


_UNIT_WORD = re.compile(r"(?i)(?<!\w)(xã|phường|thị trấn|thị xã|huyện|quận|thành phố|tỉnh)\s+")
_PLACE_START = re.compile(
    r"(?<!\w)(?:(?i:xã|phường|thị trấn|thị xã|huyện|quận|thành phố|tỉnh)\s|(?:X|P|TT|TX|H|Q|TP)\.)"
)
"""Where the units of a birthplace begin (after a facility's name, if any)."""
_UNIT_ABBREV = re.compile(r"(?:X|P|TT|TX|H|Q|TP)\.\s*")


def _authority_places(value: str, addresses: list[str]) -> str:
    """The place names of an authority (``UBND xã A, huyện B, tỉnh C``, ``CÔNG AN XÃ A``)
    spelt as official. Several units are corrected like an address against the
    gazetteer; a single unit, which the gazetteer alone cannot place, takes the spelling
    of the same name (up to diacritics) in the paper's own addresses: the commune whose
    police confirm a residence is the one the residence lies in."""
    from extractors import gazetteer

    m = _UNIT_WORD.search(value)
    if m is None:
        return value
    head, rest = value[: m.start()], value[m.start() :]
    if "," in rest:
        if rest.count(",") == 1:
            fixed = gazetteer.correct_ward_district(rest)  # "xã A, huyện B": no province
        else:
            fixed = gazetteer.correct_place(rest)
        return head + (fixed.upper() if rest.isupper() else fixed)
    name = value[m.end() :].strip()
    for address in addresses:
        for part in address.split(","):
            # the unit's word spelt out or abbreviated ("X. Băng A Drênh")
            unit = _UNIT_WORD.match(part.strip()) or _UNIT_ABBREV.match(part.strip())
            known = part.strip()[unit.end() :] if unit else part.strip()
            if known != name and fold(known) == fold(name) and known:
                return value[: m.end()] + (known.upper() if name.isupper() else known)
    return value


def _correct(fields_: dict[str, Field], doc_type: str) -> tuple[dict[str, Field], list[Conflict]]:
    """Gazetteer / syllable corrections of OCR'd places and names, and 2025 addresses."""
    conflicts: list[Conflict] = []
    out = dict(fields_)
    try:
        from extractors import gazetteer, vietnamese
    except ImportError:  # pragma: no cover - modules optional during development
        return out, conflicts
    for key in NAME_FIELDS:
        f = out.get(key)
        if f is not None and f.source in ("ocr", "text_layer"):
            fixed = vietnamese.correct_name(f.value)
            if fixed != f.value:
                out[key] = dataclasses.replace(f, value=fixed, raw=f.raw or f.value,
                                               confidence=f.confidence * 0.95)  # fmt: skip
    f = out.get("holder_names")
    if f is not None and f.source in ("ocr", "text_layer"):
        fixed = "; ".join(vietnamese.correct_name(n) for n in f.value.split("; "))
        if fixed != f.value:
            out["holder_names"] = dataclasses.replace(f, value=fixed, raw=f.raw or f.value,
                                                      confidence=f.confidence * 0.95)  # fmt: skip
    for key in ADDRESS_FIELDS:
        f = out.get(key)
        if f is None:
            continue
        if f.source in ("ocr", "text_layer"):
            value = f.value
            if key in UNITS_ONLY:
                value = gazetteer.units_only(value)
            fixed = gazetteer.correct_place(value)
            if key in UNITS_ONLY and (again := gazetteer.units_only(fixed)) != fixed:
                # the province found only once corrected ("..., Quỳnh Nhai, Sơn"): the
                # garbled label before the ward is cut now
                fixed = gazetteer.correct_place(again)
            if fixed != f.value:
                f = dataclasses.replace(f, value=fixed, raw=f.raw or f.value,
                                        confidence=f.confidence * 0.95)  # fmt: skip
                out[key] = f
        conv = gazetteer.convert_2025(f.value)
        if conv is None:
            continue
        if conv.certain and conv.address:
            out[f"{key}_2025"] = dataclasses.replace(
                f, key=f"{key}_2025", value=conv.address, checks=("converted_offline",), raw=None
            )
        elif conv.candidates:
            conflicts.append(
                Conflict(
                    f"{key}_2025",
                    {"candidates": "; ".join(conv.candidates)},
                    reason="old ward split between several 2025 wards",
                )  # fmt: skip
            )
    # a birthplace: a facility's name ("Trạm Y tế", "Bệnh viện ...") or none, then the
    # units of an address, which are corrected like one
    f = out.get("place_of_birth")
    if f is not None and f.source not in ("ocr", "text_layer"):
        f = None
    if f is not None:
        # the facility's province too ("Bệnh viện Sản Nhi tính Hòa Bình")
        typed = ", ".join(gazetteer.fix_type_words(p.strip()) for p in f.value.split(","))
        if typed != f.value:
            f = dataclasses.replace(f, value=typed, raw=f.raw or f.value)
            out["place_of_birth"] = f
    m = _PLACE_START.search(f.value) if f is not None else None
    if f is not None and m is not None and f.value.count(",", m.start()) >= 2:
        head, rest = f.value[: m.start()], f.value[m.start() :]
        fixed = gazetteer.correct_place(rest)
        if head and rest[:1].islower():
            fixed = fixed[:1].lower() + fixed[1:]  # "Trạm Y tế phường ..." as printed
        fixed = head + fixed
        if fixed != f.value:
            out["place_of_birth"] = dataclasses.replace(
                f, value=fixed, raw=f.raw or f.value, confidence=f.confidence * 0.95
            )
    # after the addresses: an authority's single unit is spelt as in the corrected ones
    addresses = [out[k].value for k in ADDRESS_FIELDS if k in out]
    for key in ("registration_authority", "issuing_authority"):
        f = out.get(key)
        if f is not None and f.source in ("ocr", "text_layer"):
            fixed = _authority_places(_authority_head(f.value), addresses)
            if fixed != f.value:
                out[key] = dataclasses.replace(
                    f, value=fixed, raw=f.raw or f.value, confidence=f.confidence * 0.95
                )
    return out, conflicts


# ----------------------------------------------------------------------------- dossier


def pair_cards(docs: list[ExtractedDocument]) -> list[tuple[int, int]]:
    """Pair fronts and backs of one card (same id number, else adjacent); marks ``extras``.

    Returns (front index, back index) pairs; each paired document gets
    ``extras["pair"] = {"index": other, "by": "id_number" | "adjacency"}``.
    """
    fronts = {"cccd_front": "cccd_back", "cancuoc_front": "cancuoc_back"}
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for i, d in enumerate(docs):
        back_type = fronts.get(d.document_type)
        if back_type is None:
            continue
        idn = d.fields.get("id_number")
        match = None
        for j, e in enumerate(docs):
            if j in used or e.document_type != back_type:
                continue
            other = e.fields.get("id_number")
            if idn is not None and other is not None and idn.value == other.value:
                match = (j, "id_number")
                break
        if match is None:
            for j in (i + 1, i - 1):
                if 0 <= j < len(docs) and j not in used and docs[j].document_type == back_type:
                    a, b = d.fields.get("id_number"), docs[j].fields.get("id_number")
                    if a is None or b is None or a.value == b.value:
                        match = (j, "adjacency")
                        break
        if match is not None:
            j, by = match
            used |= {i, j}
            pairs.append((i, j))
            d.extras["pair"] = {"index": j, "by": by}
            docs[j].extras["pair"] = {"index": i, "by": by}
    return pairs


APPLICANT_TYPES = ("cccd_front", "cccd_back", "cancuoc_front", "cancuoc_back", "cmnd",
                   "residence_confirmation")  # fmt: skip


def merge_applicant(docs: Iterable[ExtractedDocument]) -> dict[str, Field]:
    """One applicant record from a dossier's identity papers, by source priority.

    Identity cards (both sides) and the CT07 describe the applicant; certificates
    describe other people too and are left out. Disagreements are resolved by
    :func:`extractors.reconcile.choose` (the same priority as within a document).
    """
    cands: dict[str, list[Field]] = {}
    for d in docs:
        if d.document_type not in APPLICANT_TYPES:
            continue
        for k, f in d.fields.items():
            if k == "mrz":
                continue
            if d.document_type == "cmnd" and k in ("id_number", "date_of_issue"):
                k = {"id_number": "old_id_number", "date_of_issue": "old_id_date_of_issue"}[k]
                f = dataclasses.replace(f, key=k)
            cands.setdefault(k, []).append(f)
    out: dict[str, Field] = {}
    for k, fs in cands.items():
        f, _ = choose(k, fs)
        if f is not None:
            out[k] = f
    return out


BIRTH_BY_MAJORITY = 0.5
"""Confidence of a birth year taken from the id number and the expiry against the one
read: under the review threshold."""


def _birth_year_two_against_one(fields: dict[str, Field], doc_type: str, conflicts: list) -> None:
    """A card front's birth year read with one digit wrong ("1980" for 1989), where the
    12-digit number (its year digits) and the expiry (a renewal birthday: the same day
    and month, the year at a renewal age) both give another year one digit off: two
    readings agree against one, so the birth date takes their year, under review, the
    reading kept as raw and listed in ``conflicts``. Decoded dates are not touched."""
    from extractors import idnumber
    from extractors import validate as vl

    dob, number, expiry = (fields.get(k) for k in ("date_of_birth", "id_number", "date_of_expiry"))
    if doc_type not in ("cccd_front", "cancuoc_front") or not (dob and number and expiry):
        return
    info = idnumber.parse_id12(number.value)
    d, e = vl.parse_iso(dob.value), vl.parse_iso(expiry.value)
    if dob.source not in ("ocr", "text_layer") or info is None or d is None or e is None:
        return
    year = info.birth_year
    ages = vl.CANCUOC_AGES if doc_type.startswith("cancuoc") else vl.CCCD_AGES
    off = sum(a != b for a, b in zip(str(d.year), str(year), strict=True))
    if off != 1 or (e.month, e.day) != (d.month, d.day) or e.year - year not in ages:
        return
    log.info("birth year taken from the id number and the expiry, which agree")
    reason = "birth year read against the id number and the expiry"
    value = f"{year}{dob.value[4:]}"
    _take_inferred(fields, dob, value, "id_number_and_expiry", conflicts, reason, BIRTH_BY_MAJORITY)


def _expiry_day_from_birth(fields: dict[str, Field], doc_type: str, conflicts: list) -> None:
    """A card's expiry whose day lost a digit or read one as its look-alike ("1/11/2028"
    for 18/11/2028), its month the birth's and its year a renewal age's: the card
    expires on a birthday, so the day is the birth's, under review, the reading kept as
    raw and listed in ``conflicts``. Decoded expiries are not touched."""
    from extractors import validate as vl

    dob, expiry = fields.get("date_of_birth"), fields.get("date_of_expiry")
    if doc_type not in ("cccd_front", "cancuoc_back") or not (dob and expiry):
        return
    d, e = vl.parse_iso(dob.value), vl.parse_iso(expiry.value)
    if expiry.source not in ("ocr", "text_layer") or d is None or e is None:
        return
    ages = vl.CANCUOC_AGES if doc_type.startswith("cancuoc") else vl.CCCD_AGES
    if e.year - d.year not in ages:
        return
    birthday = vl._birthday(d, e.year - d.year)  # 28 February for a 29th out of leap years
    if e.month != birthday.month or e == birthday:
        return
    read, born = str(e.day), str(birthday.day)
    lost = len(read) + 1 == len(born) and any(born[:k] + born[k + 1 :] == read for k in range(2))
    alike = len(read) == len(born) and sum(a != b for a, b in zip(read, born, strict=True)) == 1
    pair = next((frozenset((a, b)) for a, b in zip(read, born, strict=False) if a != b), None)
    if not (lost or (alike and pair in _DIGIT_LOOKALIKES)):
        return
    log.info("expiry's day taken from the birth date (a renewal birthday)")
    reason = "expiry's day read otherwise than the birth date's"
    value = birthday.isoformat()
    _take_inferred(fields, expiry, value, "birthday", conflicts, reason, EXPIRY_BY_RULE)


def _take_inferred(
    fields: dict[str, Field], f: Field, value: str, by: str, conflicts: list, reason: str,
    ceiling: float,
) -> None:  # fmt: skip
    """``f`` replaced by ``value``, which the document's other fields give (``by``): the
    reading kept as raw and listed in ``conflicts``, the confidence under ``ceiling``."""
    conflicts.append(Conflict(f.key, {f.source: f.value, by: value}, reason=reason))
    fields[f.key] = dataclasses.replace(
        f, value=value, raw=f.raw or f.value, confidence=min(f.confidence, ceiling)
    )


def _mrz_self_disagreement(m: mrzlib.Mrz) -> list[str]:
    """Fields of line 2 (``date_of_birth``, ``sex``) that the zone's own 12-digit id
    contradicts; empty when they agree or the zone holds no such id."""
    birth = m.birth_iso()
    checks = check_against(
        m.id_number or "",
        birth_year=int(birth[:4]) if birth else None,
        sex=m.sex_vi,
    )
    out = []
    if checks.get("id_number_matches_birth_date") is False:
        out.append("date_of_birth")
    if checks.get("id_number_matches_sex") is False:
        out.append("sex")
    return out
