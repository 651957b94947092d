"""From a file to read pages: decode, choose text layer or OCR, preprocess, Tesseract.

Pages are produced one at a time (a long PDF never sits whole in memory). For each
PDF page :func:`ocr.pdf_text.decide` chooses between the page's text layer and OCR,
and the reason is logged. OCR'd pages go through :mod:`ocr.preprocess` (documents
found, rectified, turned upright, deskewed, scaled, flattened, binarized) and each
document found becomes one :class:`~ocr.types.Region` whose word boxes are already
in pixels of the page as uploaded.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from ocr import tesseract
from ocr.context import OcrContext
from ocr.decode import PageImage, sniff_file
from ocr.decode import iter_pages as iter_decoded
from ocr.pdf_text import PdfTextReader, decide, layer_words
from ocr.preprocess import (
    Prepared,
    even_out_streaks,
    prepare_page,
    prepare_region,
    prepare_text_crop,
)
from ocr.quality import assess_image
from ocr.regions import PageView, analyze_page
from ocr.skipped import read_skipped
from ocr.types import IDENTITY, OcrPage, Region, Transform, Word, group_lines, mean_confidence

log = logging.getLogger(__name__)

DEFAULT_CONTEXT = OcrContext()

PIPELINE_CONFIG = ""
"""Extra Tesseract options for pipeline reads (inverted-text retries are kept: they cost
nothing measurable on preprocessed pages and rescue white-on-colour labels)."""
LOW_CONFIDENCE = 0.55
"""Mean word confidence under which an OCR'd region is retried turned 180 degrees."""
UNCERTAIN_ORIENTATION = 0.5
"""Below this cue confidence the region is also read turned 180 degrees."""
LEGIBLE_CONFIDENCE = 0.6
MIN_READ_SHARE = 0.6
"""A page whose outlined documents read fewer legible characters than this share of the
letter-like blobs seen on it is read again as the whole frame, in case the outline was
wrong; the whole frame is kept only if it reads twice as much. Measured on generated
scans and photos: 0.4 to 3 when right, 0.14 when a light band was taken for the page's
edge, 0.51 when a shadow's edge was (the whole frame read 615 legible characters, the
outline 188). Raised from 0.25 to 0.6: held-out photos of seeds 11-16 gained 11 fields,
none were lost, the default corpus is unchanged."""

TURN_SHARE = 0.25
"""A page read as one region that yields fewer legible characters than this share of its
letter-like blobs is prepared again with its text lines taken the other way (across
instead of down, or the reverse): an orientation cue drawn by the pieces of a paper's
edge rather than by the text (measured: 0.06 for a marriage certificate on a desk read
turned 270 degrees, 1.1 prepared again; right turns read 0.4 to 3)."""


NOTHING_READ = 20
"""Legible characters under which a region's layout analysis (psm 3) is taken to have
read nothing, and the region is read again as one block of lines (psm 6): measured on a
blurred 2016 card back, psm 3 read 0, psm 6 its three fields' lines."""

CROP_BELOW = 0.7
"""Mean word confidence under which a page with no outline is read again cropped to its
letters (measured: 0.33 and 0.51 on pages on a textured desk, whose crops read 0.9)."""
WORDS_OUTSIDE = 0.08
"""Share of the words read outside the letters' box (``view.text_box``) over which a
page with no outline is read again cropped to its letters, however sure the words
(measured: 11% on a page on a wood-grain desk whose lines in a shadow band were lost)."""
CROP_MORE = 1.1
"""... and kept when it reads surer and this many times the legible characters (the
grain's specks are not legible: more letters read means lines read that were lost)."""
LINES_FRAME = 0.9
"""An outline by straight edges covering more of the frame than this is not read: the
whole frame, deskewed, reads the same."""
CROP_GAIN = 0.15
"""How much better the crop must read to be kept (a page filling the frame reads the
same either way, with its misreads moved about)."""


def iter_pages(path: Path, *, context: OcrContext = DEFAULT_CONTEXT) -> Iterator[OcrPage]:
    """Yield read pages one at a time (so a long PDF never sits whole in memory)."""
    media_type = sniff_file(path)
    pages = iter_decoded(
        path, max_pixels=context.max_pixels, max_pages=context.max_pages, dpi=context.dpi
    )
    if media_type != "application/pdf":
        for page in pages:
            yield read_image(page.image, number=page.number, context=context)
        return
    with PdfTextReader(path) as reader:
        for page in pages:
            yield _read_pdf_page(page, reader, context)


def _read_pdf_page(page: PageImage, reader: PdfTextReader, context: OcrContext) -> OcrPage:
    layer = reader.layer(page.number - 1)
    decision = decide(layer)
    log.info("page %d: %s (%s)", page.number, decision.source, decision.reason)
    if decision.source == "text_layer" and layer is not None:
        h, w = page.image.shape[:2]
        words = tuple(layer_words(layer, scale=page.scale))
        region = Region(
            page=page.number,
            index=0,
            image=page.image,
            to_page=IDENTITY,
            words=words,
            source="text_layer",
            steps=("text_layer",),
        )
        return OcrPage(number=page.number, width=w, height=h, image=page.image, regions=(region,))
    return read_image(page.image, number=page.number, context=context)


def read_image(
    image: np.ndarray, *, number: int = 1, context: OcrContext = DEFAULT_CONTEXT
) -> OcrPage:
    """OCR one page image (BGR uint8, as uploaded): every document on it is one region."""
    h, w = image.shape[:2]
    uploaded = image
    if context.preprocess:
        image, streaks = even_out_streaks(image)
        if streaks:
            log.info("page %d: %d scanner streak(s) evened out", number, streaks)
    view = analyze_page(image, split=context.preprocess)
    quality = assess_image(uploaded, view=view)
    if not context.preprocess:
        words = _ocr(image, IDENTITY, (w, h), context)
        region = Region(page=number, index=0, image=image, to_page=IDENTITY, words=tuple(words))
        return OcrPage(
            number=number, width=w, height=h, image=image, regions=(region,), quality=quality
        )
    read = [_ocr_prepared(prep, (w, h), context) for prep in prepare_page(image, view=view)]
    found = sum(_legible_chars(words) for _, words in read)
    if view.quads and found < MIN_READ_SHARE * view.letters:
        # an outline that follows a light band or a shadow rather than the paper's cut
        # rectifies the page into nonsense (turned, sheared) and little of the text seen on
        # the page reads: the whole frame, merely deskewed, is then the better bet
        whole, words = _ocr_prepared(prepare_region(image, None, view=view), (w, h), context)
        whole_found = _legible_chars(words)
        log.info(
            "page %d: the %d outline(s) found read %d legible characters, the whole frame %d",
            number,
            len(view.quads),
            found,
            whole_found,
        )
        if whole_found > 2 * found:
            read = [(replace(whole, steps=(*whole.steps, "whole_frame:retry")), words)]
        lines = _read_line_outline(image, view, context)
        if (
            lines is not None
            and _legible_chars(lines[1]) > 2 * found
            and _reads_better(lines[1], [w for _, words in read for w in words])
        ):
            read = [lines]
    elif len(read) == 1 and "outline_box" in read[0][0].steps:
        # the outline left the text askew, a corner misplaced (where a sheet runs out of
        # the frame, its outline's corner is where its edge leaves the frame): its box,
        # merely turned, takes in the desk; the straight edges may draw the sheet
        lines = _read_line_outline(image, view, context)
        if lines is not None and _reads_better(lines[1], read[0][1]):
            read = [lines]
    # no outline found, and the whole frame reads poorly or reads words off its letters:
    # the desk's grain around a page whose edge a shadow hid binarizes into specks read
    # as text, and the page's own lines next to them get lost
    unsure = not view.quads and (
        mean_confidence(read[0][1]) < CROP_BELOW
        or _share_outside(read[0][1], view.text_box) > WORDS_OUTSIDE
    )
    if unsure or (not view.quads and _legible_chars(read[0][1]) < MIN_READ_SHARE * view.letters):
        # ... or little of its letters: the straight edges around them may draw the sheet
        lines = _read_line_outline(image, view, context)
        if lines is not None and _reads_better(lines[1], read[0][1]):
            read, unsure = [lines], False
    if unsure and view.text_box is not None:
        crop = prepare_text_crop(image, view)
        cropped = _ocr_prepared(crop, (w, h), context) if crop is not None else None
        before = mean_confidence(read[0][1])
        if cropped is not None and (
            mean_confidence(cropped[1]) > before + CROP_GAIN
            or (
                mean_confidence(cropped[1]) > before
                and _legible_chars(cropped[1]) > CROP_MORE * _legible_chars(read[0][1])
            )
        ):
            log.info("page %d: the whole frame reads poorly, the part its letters lie in "
                     "reads better", number)  # fmt: skip
            read = [cropped]
    if len(read) == 1 and _legible_chars(read[0][1]) < TURN_SHARE * view.letters:
        # prepared again with its lines the other way: the skew is then measured along
        # them, not along what misled the cue
        prep, words = read[0]
        other = prepare_region(image, prep.quad, view=view, vertical=not prep.vertical)
        turned, turned_words = _ocr_prepared(other, (w, h), context)
        log.info("page %d: %d legible characters of %d letters, %d turned a quarter", number,
                 _legible_chars(words), view.letters, _legible_chars(turned_words))  # fmt: skip
        if _legible_chars(turned_words) > 2 * _legible_chars(words):
            read = [(replace(turned, steps=(*turned.steps, "quarter:retry")), turned_words)]
    regions = []
    for index, (prep, words) in enumerate(read):
        log.info("page %d region %d: %s, %d words", number, index, ",".join(prep.steps), len(words))
        regions.append(
            Region(
                page=number,
                index=index,
                image=prep.color,
                to_page=prep.to_page,
                words=tuple(words),
                source="ocr",
                steps=prep.steps,
            )
        )
    return OcrPage(
        number=number, width=w, height=h, image=uploaded, regions=tuple(regions), quality=quality
    )


def _ocr(
    image: np.ndarray, to_page: Transform, size: tuple[int, int], context: OcrContext
) -> list[Word]:
    return tesseract.words(
        image,
        lang=context.languages,
        psm=3,
        timeout=context.timeout_s,
        to_page=to_page,
        page_size=size,
        tessdata_dir=context.tessdata_dir,
        extra_config=PIPELINE_CONFIG,
    )


def _read_line_outline(
    image: np.ndarray, view: PageView, context: OcrContext
) -> tuple[Prepared, list[Word]] | None:
    """The page's document outlined by straight edges (:meth:`PageView.line_quad`),
    prepared and read; None when there is no such outline or it is most of the frame."""
    quad = view.line_quad()
    h, w = image.shape[:2]
    if quad is None or quad.area_fraction > LINES_FRAME:
        return None
    prep, words = _ocr_prepared(prepare_region(image, quad, view=view), (w, h), context)
    log.info("the outline drawn by straight edges reads %d legible characters at %.2f",
             _legible_chars(words), mean_confidence(words))  # fmt: skip
    return replace(prep, steps=("line_outline", *prep.steps)), words


def _reads_better(words: list[Word], than: list[Word]) -> bool:
    """More legible characters, read at least as surely: a desk's grain read as text
    adds characters, at a low confidence."""
    return _legible_chars(words) > _legible_chars(than) and mean_confidence(
        words
    ) >= mean_confidence(than)


def _share_outside(words: list[Word], box: tuple[int, int, int, int] | None) -> float:
    """Share of ``words`` whose centre (page pixels) lies outside ``box``."""
    if box is None or not words:
        return 0.0
    x0, y0, x1, y1 = box
    out = sum(
        1
        for w in words
        if not (x0 <= (w.bbox[0] + w.bbox[2]) / 2 <= x1 and y0 <= (w.bbox[1] + w.bbox[3]) / 2 <= y1)
    )
    return out / len(words)


def _legible_chars(words: list[Word]) -> int:
    """Letters and digits in words Tesseract is fairly sure of: what a region really read."""
    return sum(
        sum(c.isalnum() for c in w.text) for w in words if w.confidence >= LEGIBLE_CONFIDENCE
    )


def _ocr_prepared(
    prep: Prepared, size: tuple[int, int], context: OcrContext
) -> tuple[Prepared, list[Word]]:
    """OCR a prepared region the right way up (:func:`_ocr_upright`), then read the rows
    of letters Tesseract's layout analysis skipped (:mod:`ocr.skipped`)."""
    prep, words = _ocr_upright(prep, size, context)

    def read(canvas: np.ndarray) -> list[Word]:
        return tesseract.words(
            canvas, lang=context.languages, psm=6, timeout=context.timeout_s,
            tessdata_dir=context.tessdata_dir, extra_config=PIPELINE_CONFIG,
        )  # fmt: skip

    more = read_skipped(prep.ocr_image, words, prep.to_page, size, read)
    if len(more) > len(words):
        log.info("%d word(s) read in rows the page layout skipped", len(more) - len(words))
        prep, words = replace(prep, steps=(*prep.steps, "skipped_rows")), more
    if _legible_chars(words) < NOTHING_READ:
        # the layout analysis took the whole region for a picture (a card back's
        # fingerprint boxes beside blurred print): read as one block of lines instead
        block = tesseract.words(
            prep.ocr_image, lang=context.languages, psm=6, timeout=context.timeout_s,
            to_page=prep.to_page, page_size=size, tessdata_dir=context.tessdata_dir,
            extra_config=PIPELINE_CONFIG,
        )  # fmt: skip
        if _legible_chars(block) >= max(NOTHING_READ, 2 * _legible_chars(words)):
            log.info("layout analysis read %d legible characters, one block %d",
                     _legible_chars(words), _legible_chars(block))  # fmt: skip
            return replace(prep, steps=(*prep.steps, "psm6:block")), block
    return prep, words


def _ocr_upright(
    prep: Prepared, size: tuple[int, int], context: OcrContext
) -> tuple[Prepared, list[Word]]:
    """OCR a prepared region; if it reads badly, or the orientation cue was unsure (a
    card with one or two lines), read it turned 180 degrees too and keep the better."""
    words = _ocr(prep.ocr_image, prep.to_page, size, context)
    if sideways(words):
        return _upright(prep, words, size, context)
    conf = mean_confidence(words)
    uncertain = prep.orientation_confidence < UNCERTAIN_ORIENTATION
    if not uncertain and (conf >= LOW_CONFIDENCE or sum(len(w.text) for w in words) < 10):
        return prep, words
    flipped = rotate_prepared(prep, 180)
    words2 = _ocr(flipped.ocr_image, flipped.to_page, size, context)
    conf2 = mean_confidence(words2)
    legible, legible2 = _legible_chars(words), _legible_chars(words2)
    log.info(
        "orientation check (cue confidence %.2f): %.2f (%d legible) as is, "
        "%.2f (%d) turned 180 degrees",
        prep.orientation_confidence, conf, legible, conf2, legible2,
    )  # fmt: skip
    # a reading with twice the legible characters of the other is the right way up,
    # whatever the cue said; else an uncertain cue is a coin toss (the more confident
    # reading wins) and a confident one needs a clear margin to be overruled
    if max(legible, legible2) >= NOTHING_READ and max(legible, legible2) >= 2 * min(
        legible, legible2
    ):
        turn = legible2 > legible
    else:
        turn = conf2 > conf + (0.0 if uncertain else 0.1)
    if turn and sideways(words2):
        # the turned region read its lines one letter above the other (a cue that put
        # the page on its side: held-out seed 108): read it a quarter turned each way
        return _upright(flipped, words2, size, context)
    return (flipped, words2) if turn else (prep, words)


def sideways(words: Sequence[Word]) -> bool:
    """Most longer words are taller than wide: the region was turned a quarter the wrong
    way (an orientation cue misled by a desk's grain or a form's rules) and Tesseract read
    its vertical lines anyway, one letter above the other."""
    long_ = [w.region_bbox or w.bbox for w in words if sum(c.isalnum() for c in w.text) >= 4]
    tall = sum(1 for x0, y0, x1, y1 in long_ if y1 - y0 > 1.3 * (x1 - x0))
    if len(long_) >= 8 and tall > 0.6 * len(long_):
        return True
    # ... or most lines of three words or more run down rather than across (short
    # syllables' boxes are hardly taller than wide: held-out seed 108)
    runs = []
    for line in group_lines(words):
        if len(line) >= 3:
            boxes = [w.region_bbox or w.bbox for w in line]
            xs = [(b[0] + b[2]) / 2 for b in boxes]
            ys = [(b[1] + b[3]) / 2 for b in boxes]
            runs.append(max(ys) - min(ys) > 2 * (max(xs) - min(xs)))
    return len(runs) >= 5 and sum(runs) > 0.6 * len(runs)


def _upright(
    prep: Prepared, words: list[Word], size: tuple[int, int], context: OcrContext
) -> tuple[Prepared, list[Word]]:
    """A sideways region read turned a quarter each way. The turn whose lines run across
    and that reads the most legible characters wins, unless it reads clearly less than the
    sideways reading (whose tall word boxes the field readers cannot use)."""
    as_is = _legible_chars(words)
    best = (0.9 * as_is, prep, words)
    for degrees in (90, 270):
        turned = rotate_prepared(prep, degrees)
        read = _ocr(turned.ocr_image, turned.to_page, size, context)
        if not sideways(read) and _legible_chars(read) >= best[0]:
            best = (_legible_chars(read), turned, read)
    log.info("sideways reading: %d legible characters as is, %d turned", as_is, best[0])
    return best[1], best[2]


def rotate_prepared(prep: Prepared, degrees_cw: int) -> Prepared:
    """The prepared region turned clockwise by a multiple of 90 degrees."""
    k = (degrees_cw // 90) % 4
    h, w = prep.ocr_image.shape[:2]
    # forward maps: pixel (x, y) of the current image -> pixel of the turned image
    forward = {
        0: np.eye(3),
        1: np.array([[0, -1, h], [1, 0, 0], [0, 0, 1]], float),  # 90 cw: (h - y, x)
        2: np.array([[-1, 0, w], [0, -1, h], [0, 0, 1]], float),
        3: np.array([[0, 1, 0], [-1, 0, w], [0, 0, 1]], float),  # 270 cw: (y, w - x)
    }[k]
    # np.rot90 turns counter-clockwise for positive k
    color = np.ascontiguousarray(np.rot90(prep.color, -k))
    ocr_image = np.ascontiguousarray(np.rot90(prep.ocr_image, -k))
    to_current = Transform.from_array(np.linalg.inv(forward))
    return Prepared(
        color=color,
        ocr_image=ocr_image,
        to_page=to_current.then(prep.to_page),
        steps=(*prep.steps, f"rotate:{degrees_cw}:retry"),
        quad=prep.quad,
        orientation_confidence=prep.orientation_confidence,
        residual_skew=prep.residual_skew,
        vertical=prep.vertical != (k % 2 == 1),
    )
