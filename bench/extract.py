"""``motcua bench extract``: exact-match field accuracy on a generated ground-truth corpus.

The corpus is made on the fly from fake people (``synth.documents``) with a fixed seed:
every document type of the spec under each condition

- ``scan``: a flatbed scan with a small skew (one in five at 200-250 dpi; cards alone on
  the A4 bed, cropped with a margin, or cropped tight);
- ``phone``: a phone photo on a desk (perspective, uneven light, blur, JPEG); cards are
  enlarged 1.3-2x first, as a phone sees a card at more than 300 dpi;
- ``glare``: a specular highlight over part of the document, then a phone photo;
- ``no_qr``: cards whose QR is absent (2016 CCCD) or damaged, scanned (QR types only);
- ``flatbed_pair``: front and back of one card on one A4 flatbed scan (card types only);
- ``photocopy`` (not in the default run): 1-3 generations of photocopying, then a scan.

Each specimen is written to a temporary file and goes through the real pipeline
(``ocr.pipeline.iter_pages`` then ``extractors.extract``). The report gives, per
document type and condition: exact-match field accuracy (after NFC; a missing field
counts as wrong), classification accuracy, QR read rate (a field sourced from the QR),
MRZ read rate (the three lines exactly right) and seconds per document. With
PassportEye installed, the MRZ cards are also read by ``passporteye.read_mrz`` and by
our MRZ reader alone (``extractors.mrz.read_image``) on the same files: read rate and
seconds, side by side.

Each case has its own generator, seeded from (seed, type, condition, index), so a
subset (``--types``, ``--conditions``) sees the same documents as the full run.

``--holdout`` makes a held-out corpus instead, with variation the default corpus never
draws (``synth.documents.generate(..., holdout=True)``, ``synth.degrade.holdout_*``):
other font families, label wordings, spacing, positions and inks, people with other
names and addresses, and other faults: ``scan`` is an office scan skewed up to 3 degrees,
at 150-220 dpi, greyscale, JPEG-compressed or streaked; ``phone`` adds at least two of a
strong perspective, a shadow band, motion blur, a finger over the margin, part of the
page out of frame (never its text), low resolution and heavy JPEG. Its seeds are apart
from the default corpus's, which stays byte-for-byte what it was, so numbers before and
after a change remain comparable. Nothing in extraction may be tuned on it.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np

from synth.documents import DOCUMENT_TYPES, HOLDOUT_PARTS, Specimen, generate

log = logging.getLogger(__name__)

CONDITIONS = ("scan", "phone", "glare", "no_qr", "flatbed_pair", "photocopy")
DEFAULT_CONDITIONS = CONDITIONS[:5]
QR_TYPES = ("cccd_front", "cancuoc_back")
PAIRS = (("cccd_front", "cccd_back"), ("cancuoc_front", "cancuoc_back"))
MRZ_TYPES = ("cccd_back", "cancuoc_back")
TARGETS = {"scan": 0.99, "phone": 0.97}
BENCH_HOLDOUT_PARTS = (*HOLDOUT_PARTS, "faults")
"""What ``--holdout-parts`` can switch on: the documents' parts and the images' ``faults``."""


# --------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    document_type: str
    truth: dict[str, str]
    qr_expected: bool
    mrz: str | None
    variant: str = ""
    font: str = ""


@dataclass(frozen=True)
class Case:
    label: str
    """Document type, or ``cccd_front+cccd_back`` for a pair."""
    condition: str
    index: int
    path: str
    expected: tuple[Expected, ...]
    faults: tuple[str, ...] = ()
    """Held-out corpus: the faults the image was made with (``tilt``, ``shadow``...)."""


HOLDOUT_SALT = 0x401D0
"""Mixed into a held-out case's seed: its documents share nothing with the default's."""


def _rng(
    seed: int, label: str, condition: str, index: int, *, holdout: bool = False
) -> np.random.Generator:
    key = [seed, sum(ord(c) * (i + 1) for i, c in enumerate(label)), CONDITIONS.index(condition)]
    if holdout:
        return np.random.default_rng([*key, index, HOLDOUT_SALT])
    return np.random.default_rng([*key, index])


def _degrade():
    """The degradations of ``synth.degrade`` (the OCR helper's module)."""
    from synth import degrade

    return degrade


def _damage_qr(img: np.ndarray, box: tuple[int, int, int, int], rng: np.random.Generator):
    """Scratch and smudge the QR so that it no longer decodes (worn laminate, a sticker)."""
    out = img.copy()
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    bg = tuple(
        int(c) for c in np.median(out[max(0, y0 - 6) : y0 - 2, x0:x1].reshape(-1, 3), axis=0)
    )
    # cover two of the three finder patterns and a band across the middle
    s = int(0.36 * w)
    corners = [(x0, y0), (x1 - s, y0), (x0, y1 - s)]
    for i in rng.choice(3, size=2, replace=False):
        cx, cy = corners[int(i)]
        cv2.rectangle(out, (cx, cy), (cx + s, cy + s), bg, -1)
    yb = y0 + int(rng.uniform(0.35, 0.55) * h)
    cv2.rectangle(out, (x0, yb), (x1, yb + int(0.18 * h)), bg, -1)
    for _ in range(6):
        p = (int(rng.uniform(x0, x1)), int(rng.uniform(y0, y1)))
        q = (int(rng.uniform(x0, x1)), int(rng.uniform(y0, y1)))
        cv2.line(out, p, q, bg, int(rng.integers(3, 8)))
    return out


CARD_TYPES = ("cccd_front", "cccd_back", "cancuoc_front", "cancuoc_back", "cmnd")


def _scan(img: np.ndarray, rng: np.random.Generator, *, card: bool) -> np.ndarray:
    """A flatbed scan; a card is either the whole scan bed (A4, one card), a scan cropped
    with a margin of the lid around the card, or cropped tight to the card's edge.
    One scan in five is made at 200-250 dpi (offices scan to small PDFs), not 300."""
    dg = _degrade()
    if card:
        r = rng.random()
        if r < 0.35 and img.shape[1] < 1500:
            bed, _ = dg.place_on_flatbed([img], rng)
            return _dpi(bed, rng)
        if r < 0.7:
            m = [int(v) for v in rng.integers(30, 160, size=4)]
            lid = int(rng.uniform(225, 250))
            img = cv2.copyMakeBorder(
                img, m[0], m[1], m[2], m[3], cv2.BORDER_CONSTANT, value=(lid,) * 3
            )
    return _dpi(dg.flatbed_scan(img, rng, skew_deg=float(rng.uniform(-1.5, 1.5))), rng)


def _dpi(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if rng.random() >= 0.2:
        return img
    f = float(rng.uniform(200, 250)) / 300
    return cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)


def _scan_holdout(
    img: np.ndarray, rng: np.random.Generator, *, card: bool
) -> tuple[np.ndarray, tuple[str, ...]]:
    """A held-out office scan (``synth.degrade.holdout_scan``); a card lies on the A4 bed,
    or the scan is cropped around it with a margin of the lid."""
    dg = _degrade()
    if card and img.shape[1] < 1500:
        if rng.random() < 0.4:
            img, _ = dg.place_on_flatbed([img], rng, max_rotation_deg=6.0)
        else:
            m = [int(v) for v in rng.integers(20, 220, size=4)]
            lid = int(rng.uniform(200, 250))
            img = cv2.copyMakeBorder(
                img, m[0], m[1], m[2], m[3], cv2.BORDER_CONSTANT, value=(lid,) * 3
            )
    return dg.holdout_scan_with_faults(img, rng)


def _text_box(sp: Specimen) -> tuple[int, int, int, int]:
    """The union of every drawn value's box: what a held-out photo keeps in frame."""
    boxes = list(sp.boxes.values())
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _phone_holdout(
    sp: Specimen, rng: np.random.Generator, *, card: bool, img=None
) -> tuple[np.ndarray, tuple[str, ...]]:
    """A held-out phone photo of ``sp`` (``img``: its image after glare, if any)."""
    dg = _degrade()
    img = sp.image if img is None else img
    f = float(rng.uniform(1.0, 2.2)) if card else 1.0
    if f != 1.0:
        img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)
    keep = tuple(int(round(v * f)) for v in _text_box(sp))
    shot = dg.holdout_phone(img, rng, keep=keep)  # type: ignore[arg-type]
    return shot.image, shot.effects


def _closer(img: np.ndarray, rng: np.random.Generator, *, card: bool) -> np.ndarray:
    """A phone held over a card sees it larger than a 300 dpi scan does (a 12 MP photo of
    a card filling most of the frame is 2000-3000 px wide): enlarge cards 1.3-2x before
    the photo. A4 pages are photographed at about their 300 dpi size already."""
    if not card:
        return img
    f = float(rng.uniform(1.3, 2.0))
    return cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_CUBIC)


def _expected(sp: Specimen, *, qr: bool) -> Expected:
    truth = dict(sp.truth)
    if not qr and sp.qr_payload is not None:
        # values printed nowhere but in the QR cannot be read without it
        qr_box = sp.boxes.get("qr")
        for k in list(truth):
            if sp.boxes.get(k) == qr_box:
                del truth[k]
    return Expected(
        sp.document_type,
        truth,
        qr and sp.qr_payload is not None,
        truth.get("mrz"),
        sp.variant,
        sp.font,
    )


def _write(img: np.ndarray, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = cv2.imwrite(str(path), img, [cv2.IMWRITE_JPEG_QUALITY, 92])
    if not ok:
        raise OSError(f"cannot write {path}")


def make_case(
    label: str,
    condition: str,
    index: int,
    seed: int,
    outdir: Path,
    holdout: bool | tuple[str, ...] = False,
) -> Case | None:
    """Generate, degrade and write one case; ``None`` if the condition does not apply.
    ``holdout``: a case of the held-out corpus (see the module's doc): ``True`` for all
    of :data:`BENCH_HOLDOUT_PARTS`, or a tuple of some of them."""
    if holdout is not False:
        parts = BENCH_HOLDOUT_PARTS if holdout is True else tuple(holdout)
        return _make_holdout_case(label, condition, index, seed, outdir, parts)
    dg = _degrade()
    rng = _rng(seed, label, condition, index)
    path = outdir / f"{label.replace('+', '__')}-{condition}-{index:03d}.jpg"
    if condition == "flatbed_pair":
        front_t, back_t = label.split("+")
        variant = "2021" if front_t == "cccd_front" else "2024"
        if front_t == "cccd_front" and rng.random() < 0.25:
            variant = "2016"
        front = generate(front_t, rng, variant=variant)
        back = generate(back_t, rng, person=front.person, variant=variant)
        order = [front, back] if rng.random() < 0.7 else [back, front]
        scan, _ = dg.place_on_flatbed([s.image for s in order], rng)
        _write(scan, path)
        exp = tuple(_expected(s, qr=True) for s in (front, back))
        return Case(label, condition, index, str(path), exp)
    if condition == "no_qr":
        if label not in QR_TYPES:
            return None
        if label == "cccd_front" and rng.random() < 0.5:
            sp = generate(label, rng, variant="2016")
            img = sp.image
        else:
            sp = generate(label, rng, variant="2021" if label == "cccd_front" else None)
            img = _damage_qr(sp.image, sp.boxes["qr"], rng)
        _write(_scan(img, rng, card=True), path)
        return Case(label, condition, index, str(path), (_expected(sp, qr=False),))
    sp = generate(label, rng)
    if condition == "scan":
        img = _scan(sp.image, rng, card=label in CARD_TYPES)
    elif condition == "phone":
        img = dg.phone_photo(_closer(sp.image, rng, card=label in CARD_TYPES), rng)
    elif condition == "photocopy":
        img = sp.image
        if label in CARD_TYPES and img.shape[1] < 1500:
            img, _ = dg.place_on_flatbed([img], rng)
        img = dg.photocopy(img, rng, generations=int(rng.integers(1, 4)))
        img = dg.flatbed_scan(img, rng, skew_deg=float(rng.uniform(-1.0, 1.0)))
    elif condition == "glare":
        strength = float(rng.uniform(0.55, 0.85))
        img = dg.glare(_closer(sp.image, rng, card=label in CARD_TYPES), rng, strength=strength)
        img = dg.phone_photo(img, rng)
    else:
        raise ValueError(f"unknown condition {condition!r}")
    _write(img, path)
    return Case(label, condition, index, str(path), (_expected(sp, qr=True),))


def _make_holdout_case(
    label: str, condition: str, index: int, seed: int, outdir: Path, parts: tuple[str, ...]
) -> Case | None:
    unknown = set(parts) - set(BENCH_HOLDOUT_PARTS)
    if unknown:
        raise ValueError(f"unknown held-out parts {sorted(unknown)}")
    dg = _degrade()
    rng = _rng(seed, label, condition, index, holdout=True)
    path = outdir / f"holdout-{label.replace('+', '__')}-{condition}-{index:03d}.jpg"
    card = label in CARD_TYPES
    doc_parts = tuple(p for p in parts if p != "faults")
    faulty = "faults" in parts  # else: held-out documents under the default corpus's faults

    def scan_fn(img: np.ndarray, rng: np.random.Generator, *, card: bool):
        return _scan_holdout(img, rng, card=card) if faulty else (_scan(img, rng, card=card), ())

    def phone_fn(sp: Specimen, rng: np.random.Generator, *, card: bool, img=None):
        if faulty:
            return _phone_holdout(sp, rng, card=card, img=img)
        img = sp.image if img is None else img
        return dg.phone_photo(_closer(img, rng, card=card), rng), ()

    if condition == "flatbed_pair":
        front_t, back_t = label.split("+")
        variant = "2021" if front_t == "cccd_front" else "2024"
        if front_t == "cccd_front" and rng.random() < 0.25:
            variant = "2016"
        front = generate(front_t, rng, variant=variant, holdout=doc_parts)
        back = generate(back_t, rng, person=front.person, variant=variant, holdout=doc_parts)
        order = [front, back] if rng.random() < 0.5 else [back, front]
        bed, _ = dg.place_on_flatbed([s.image for s in order], rng, max_rotation_deg=6.0)
        scan, faults = dg.holdout_scan_with_faults(bed, rng) if faulty else (bed, ())
        _write(scan, path)
        exp = tuple(_expected(s, qr=True) for s in (front, back))
        return Case(label, condition, index, str(path), exp, faults)
    if condition == "no_qr":
        if label not in QR_TYPES:
            return None
        if label == "cccd_front" and rng.random() < 0.5:
            sp = generate(label, rng, variant="2016", holdout=doc_parts)
            img = sp.image
        else:
            sp = generate(
                label, rng, variant="2021" if label == "cccd_front" else None, holdout=doc_parts
            )
            img = _damage_qr(sp.image, sp.boxes["qr"], rng)
        scan, faults = scan_fn(img, rng, card=True)
        _write(scan, path)
        return Case(label, condition, index, str(path), (_expected(sp, qr=False),), faults)
    sp = generate(label, rng, holdout=doc_parts)
    if condition == "scan":
        img, faults = scan_fn(sp.image, rng, card=card)
    elif condition == "phone":
        img, faults = phone_fn(sp, rng, card=card)
    elif condition == "glare":
        glared = dg.glare(sp.image, rng, strength=float(rng.uniform(0.5, 0.8)))
        img, faults = phone_fn(sp, rng, card=card, img=glared)
    elif condition == "photocopy":
        img = sp.image
        if card and img.shape[1] < 1500:
            img, _ = dg.place_on_flatbed([img], rng)
        img = dg.photocopy(img, rng, generations=int(rng.integers(1, 4)))
        if faulty:
            img, faults = dg.holdout_scan_with_faults(img, rng)
        else:
            img, faults = dg.flatbed_scan(img, rng, skew_deg=float(rng.uniform(-1.0, 1.0))), ()
    else:
        raise ValueError(f"unknown condition {condition!r}")
    _write(img, path)
    return Case(label, condition, index, str(path), (_expected(sp, qr=True),), faults)


def case_labels(types: Iterable[str], condition: str) -> list[str]:
    types = list(types)
    if condition == "flatbed_pair":
        return [f"{a}+{b}" for a, b in PAIRS if a in types or b in types]
    if condition == "no_qr":
        return [t for t in types if t in QR_TYPES]
    return types


# --------------------------------------------------------------------------------------
# Running the pipeline
# --------------------------------------------------------------------------------------


def nfc(s: str | None) -> str | None:
    return None if s is None else unicodedata.normalize("NFC", s)


@dataclass
class DocResult:
    document_type: str
    condition: str
    classified_as: str | None
    fields: dict[str, dict] = field(default_factory=dict)
    qr_expected: bool = False
    qr_read: bool = False
    mrz_expected: bool = False
    mrz_read: bool = False
    variant: str = ""
    font: str = ""

    @property
    def correct(self) -> int:
        return sum(1 for f in self.fields.values() if f["ok"])


@dataclass
class CaseResult:
    label: str
    condition: str
    index: int
    path: str
    seconds: float
    docs: list[DocResult]
    error: str | None = None
    found_types: list[str] = field(default_factory=list)
    generate_seconds: float = 0.0
    faults: tuple[str, ...] = ()


def _match(expected: Expected, docs: list) -> object | None:
    """The extracted document that best corresponds to ``expected``."""

    def hits(d) -> int:
        return sum(
            1
            for k, v in expected.truth.items()
            if k in d.fields and nfc(d.fields[k].value) == nfc(v)
        )

    same = [d for d in docs if d.document_type == expected.document_type]
    pool = same or docs
    if not pool:
        return None
    return max(pool, key=hits)


def score(case: Case, docs: list, seconds: float, error: str | None = None) -> CaseResult:
    results = []
    remaining = list(docs)
    for exp in case.expected:
        d = _match(exp, remaining)
        if d is not None and len(case.expected) > 1:
            remaining = [x for x in remaining if x is not d] or remaining
        r = DocResult(
            document_type=exp.document_type,
            condition=case.condition,
            classified_as=getattr(d, "document_type", None),
            qr_expected=exp.qr_expected,
            mrz_expected=exp.mrz is not None,
            variant=exp.variant,
            font=exp.font,
        )
        got_fields = d.fields if d is not None else {}
        for k, v in exp.truth.items():
            f = got_fields.get(k)
            got = None if f is None else f.value
            r.fields[k] = {
                "truth": v,
                "got": got,
                "ok": got is not None and nfc(got) == nfc(v),
                "source": None if f is None else f.source,
            }
        if exp.qr_expected:
            r.qr_read = any(f.source == "qr" for f in got_fields.values())
        if exp.mrz is not None:
            m = got_fields.get("mrz")
            r.mrz_read = m is not None and m.value.strip() == exp.mrz
        results.append(r)
    return CaseResult(
        case.label,
        case.condition,
        case.index,
        case.path,
        seconds,
        results,
        error,
        [getattr(d, "document_type", "?") for d in docs],
    )


def make_and_run(
    spec: tuple[str, str, int, int, Path] | tuple[str, str, int, int, Path, bool | tuple[str, ...]],
) -> tuple[Case | None, CaseResult | None]:
    """Generate one case and read it (in a worker process)."""
    t0 = time.perf_counter()
    try:
        case = make_case(*spec)
    except Exception:  # a generator bug must not lose the rest of the run
        log.exception("could not make case %s/%s/%d", spec[0], spec[1], spec[2])
        return None, None
    if case is None:
        return None, None
    made = time.perf_counter() - t0
    result = run_case(case)
    result.generate_seconds = made
    result.faults = case.faults
    return case, result


def run_case(case: Case) -> CaseResult:
    """OCR and extract one file with the real pipeline (in a worker process)."""
    from extractors import extract
    from ocr.context import OcrContext
    from ocr.pipeline import iter_pages

    t0 = time.perf_counter()
    try:
        docs = extract(iter_pages(Path(case.path), context=OcrContext()))
        err = None
    except Exception as exc:  # a crash is a result too: every field of the case is wrong
        log.exception("pipeline failed on %s", case.path)
        docs, err = [], f"{type(exc).__name__}: {exc}"
    return score(case, docs, time.perf_counter() - t0, err)


@dataclass
class MrzCompare:
    engine: str
    n: int = 0
    read: int = 0
    valid: int = 0
    seconds: float = 0.0
    fields_ok: int = 0
    fields_n: int = 0


def _ours_mrz(path: str) -> tuple[str | None, bool]:
    from extractors import mrz as mrzlib

    img = cv2.imread(path, cv2.IMREAD_COLOR)
    reading = mrzlib.read_image(img, card=max(img.shape[:2]) <= 1600)
    if reading is None:
        return None, False
    return reading.mrz.raw, bool(reading.mrz.valid)


def _passporteye_mrz(path: str) -> tuple[str | None, bool]:
    import warnings

    from passporteye import read_mrz

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-image deprecations inside PassportEye
        m = read_mrz(path)
    if m is None:
        return None, False
    text = str(m.aux.get("text", "")).strip()
    return "\n".join(ln.strip() for ln in text.splitlines() if ln.strip()), bool(m.valid)


_READERS = {"motcua": _ours_mrz, "passporteye": _passporteye_mrz}


def _warm_mrz(engines: tuple[str, ...]) -> None:
    """Import the readers in a worker before any clock starts."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    from extractors import mrz  # noqa: F401

    if "passporteye" in engines:
        import passporteye  # noqa: F401


def _read_mrz_job(job: tuple[str, str, str]) -> tuple[str, bool, bool, float]:
    engine, path, truth = job
    t0 = time.perf_counter()
    try:
        raw, valid = _READERS[engine](path)
    except Exception:
        log.exception("%s failed on %s", engine, path)
        raw, valid = None, False
    return engine, raw is not None and raw == truth, valid, time.perf_counter() - t0


def compare_mrz(cases: list[Case], engines: list[str], *, jobs: int = 1) -> dict[str, MrzCompare]:
    """Our MRZ reader alone vs PassportEye on the same files (single card backs)."""
    out = {e: MrzCompare(e) for e in engines}
    todo = [
        (engine, c.path, e.mrz)
        for engine in engines
        for c in cases
        for e in c.expected
        if e.mrz is not None and len(c.expected) == 1
    ]
    if jobs > 1 and len(todo) > 1:
        with ProcessPoolExecutor(jobs, initializer=_warm_mrz, initargs=(tuple(engines),)) as pool:
            results = list(pool.map(_read_mrz_job, todo))
    else:
        _warm_mrz(tuple(engines))
        results = [_read_mrz_job(j) for j in todo]
    for engine, read, valid, seconds in results:
        st = out[engine]
        st.n += 1
        st.read += int(read)
        st.valid += int(valid)
        st.seconds += seconds
    return out


REAL_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real"
_REAL_KEYS = ("mrz_type", "country", "number", "date_of_birth", "expiration_date", "sex",
              "surname", "names")  # fmt: skip


def _ours_fields(path: str) -> dict[str, str] | None:
    from extractors import mrz as mrzlib

    img = cv2.imread(path, cv2.IMREAD_COLOR)
    reading = mrzlib.read_image(img, card=False)
    if reading is None:
        return None
    m = reading.mrz
    return {
        "mrz_type": m.format,
        "country": m.issuing_country,
        "number": m.document_number.replace("<", ""),
        "date_of_birth": m.birth_date,
        "expiration_date": m.expiry_date,
        "sex": m.sex,
        "surname": m.surname.replace("<", " ").strip(),
        "names": m.given_names.replace("<", " ").strip(),
    }


def _passporteye_fields(path: str) -> dict[str, str] | None:
    import warnings

    from passporteye import read_mrz

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = read_mrz(path)
    if m is None:
        return None
    d = m.to_dict()
    return {k: str(d.get(k, "")).replace("<", " ").strip() for k in _REAL_KEYS}


def compare_real_mrz(real_dir: Path, engines: list[str]) -> dict[str, MrzCompare]:
    """Both readers on the real photographed ICAO specimens of ``shared/data/real/passporteye``
    (PassportEye's own test images): a document counts as read when every field of its
    ``truth.json`` matches."""
    folder = real_dir / "passporteye"
    truth_file = folder / "truth.json"
    if not truth_file.is_file():
        return {}
    truth = json.loads(truth_file.read_text("utf-8"))
    readers = {"motcua": _ours_fields, "passporteye": _passporteye_fields}
    out = {}
    _warm_mrz(tuple(engines))
    for engine in engines:
        st = MrzCompare(engine)
        for name, want in truth.items():
            t0 = time.perf_counter()
            try:
                got = readers[engine](str(folder / name))
            except Exception:
                log.exception("%s failed on %s", engine, name)
                got = None
            st.seconds += time.perf_counter() - t0
            st.n += 1
            hits = [
                got is not None
                and " ".join(str(got.get(k, "")).split()) == " ".join(str(v).split())
                for k, v in want.items()
            ]
            st.fields_ok += sum(hits)
            st.fields_n += len(hits)
            st.read += int(all(hits))
            st.valid += int(got is not None)
        out[engine] = st
    return out


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


@dataclass
class Row:
    document_type: str
    condition: str
    n: int = 0
    fields_ok: int = 0
    fields_total: int = 0
    class_ok: int = 0
    qr_n: int = 0
    qr_ok: int = 0
    mrz_n: int = 0
    mrz_ok: int = 0
    seconds: float = 0.0

    def add(self, r: DocResult, seconds: float) -> None:
        self.n += 1
        self.fields_ok += r.correct
        self.fields_total += len(r.fields)
        self.class_ok += int(r.classified_as == r.document_type)
        self.qr_n += int(r.qr_expected)
        self.qr_ok += int(r.qr_expected and r.qr_read)
        self.mrz_n += int(r.mrz_expected)
        self.mrz_ok += int(r.mrz_expected and r.mrz_read)
        self.seconds += seconds

    @property
    def field_acc(self) -> float | None:
        return self.fields_ok / self.fields_total if self.fields_total else None


def aggregate(results: list[CaseResult]) -> tuple[list[Row], dict[str, Row], Row]:
    rows: dict[tuple[str, str], Row] = {}
    per_cond: dict[str, Row] = {}
    total = Row("all", "all")
    for cr in results:
        share = cr.seconds / max(1, len(cr.docs))
        for r in cr.docs:
            for key, bucket in (
                ((r.document_type, cr.condition), rows),
                (cr.condition, per_cond),
            ):
                if key not in bucket:
                    bucket[key] = Row(*(key if isinstance(key, tuple) else ("all", key)))
                bucket[key].add(r, share)
            total.add(r, share)
    order = {t: i for i, t in enumerate(DOCUMENT_TYPES)}
    ordered = sorted(
        rows.values(), key=lambda r: (order.get(r.document_type, 99), CONDITIONS.index(r.condition))
    )
    return ordered, per_cond, total


def _frac(ok: int, n: int) -> str:
    return f"{ok}/{n} {100 * ok / n:5.1f}%" if n else "-"


def format_table(rows: list[Row], per_cond: dict[str, Row], total: Row) -> str:
    head = (
        f"{'document_type':<24}{'condition':<14}{'n':>3}  {'fields exact':<18}"
        f"{'class':<15}{'QR':<15}{'MRZ':<15}{'s/doc':>6}"
    )
    lines = [head, "-" * len(head)]

    def line(r: Row, name: str, cond: str) -> str:
        return (
            f"{name:<24}{cond:<14}{r.n:>3}  {_frac(r.fields_ok, r.fields_total):<18}"
            f"{_frac(r.class_ok, r.n):<15}{_frac(r.qr_ok, r.qr_n):<15}"
            f"{_frac(r.mrz_ok, r.mrz_n):<15}{r.seconds / max(1, r.n):6.1f}"
        )

    for r in rows:
        lines.append(line(r, r.document_type, r.condition))
    lines.append("-" * len(head))
    for cond in CONDITIONS:
        if cond in per_cond:
            r = per_cond[cond]
            target = TARGETS.get(cond)
            acc = r.field_acc
            mark = ""
            if target is not None and acc is not None:
                mark = f"  target >= {target:.0%}: {'MET' if acc >= target else 'NOT MET'}"
            lines.append(line(r, "ALL", cond) + mark)
    lines.append(line(total, "ALL", "all"))
    return "\n".join(lines)


def worst_fields(results: list[CaseResult], limit: int = 12) -> str:
    """The (type, field) pairs most often wrong, with a wrong reading as an example."""
    stats: dict[tuple[str, str], list] = {}
    for cr in results:
        for r in cr.docs:
            for k, f in r.fields.items():
                st = stats.setdefault((r.document_type, k), [0, 0, None])
                st[1] += 1
                if not f["ok"]:
                    st[0] += 1
                    if st[2] is None or (f["got"] is not None and st[2][1] is None):
                        st[2] = (f["truth"], f["got"])
    worst = sorted(
        ((wrong, n, key, ex) for key, (wrong, n, ex) in stats.items() if wrong),
        key=lambda t: (-t[0] / t[1], -t[0]),
    )[:limit]
    if not worst:
        return "no field wrong"
    out = ["fields most often wrong (wrong/n, example truth -> read):"]
    for wrong, n, (t, k), ex in worst:
        truth, got = ex
        name = f"{t}.{k}"
        out.append(f"  {name:<46} {wrong:>3}/{n:<3} {truth!r} -> {got!r}"[:170])
    return "\n".join(out)


def by_font(results: list[CaseResult]) -> str:
    """Exact fields per font family of the specimens (one unreadable font shows here)."""
    acc: dict[str, list[int]] = {}
    for cr in results:
        for r in cr.docs:
            a = acc.setdefault(r.font or "?", [0, 0])
            a[0] += r.correct
            a[1] += len(r.fields)
    parts = [f"{f} {_frac(ok, n)}" for f, (ok, n) in sorted(acc.items()) if n]
    return "fields exact by font: " + "; ".join(parts)


def by_fault(results: list[CaseResult]) -> str:
    """Held-out corpus: exact fields per fault the images were made with (a file with
    several faults counts under each)."""
    acc: dict[str, list[int]] = {}
    for cr in results:
        for fault in cr.faults:
            key = "skew" if fault.startswith("skew") else fault.rstrip("0123456789")
            a = acc.setdefault(f"{cr.condition}:{key}", [0, 0])
            for r in cr.docs:
                a[0] += r.correct
                a[1] += len(r.fields)
    parts = [f"{f} {_frac(ok, n)}" for f, (ok, n) in sorted(acc.items()) if n]
    return "fields exact by fault: " + "; ".join(parts) if parts else ""


def format_mrz(cmp: dict[str, MrzCompare]) -> str:
    out = ["MRZ alone on the same card backs (exact 3 lines; valid = check digits hold):"]
    for st in cmp.values():
        if not st.n:
            continue
        out.append(
            f"  {st.engine:<12} read {_frac(st.read, st.n):<16} valid {_frac(st.valid, st.n):<16}"
            f" {st.seconds / st.n:6.2f} s/image"
            + (f"  fields {_frac(st.fields_ok, st.fields_n)}" if st.fields_n else "")
        )
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--per-type", type=int, default=2, metavar="N",
        help="specimens per document type and condition (default 2)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=2024, help="corpus seed (default 2024)")
    parser.add_argument(
        "--conditions", type=_csv, default=list(DEFAULT_CONDITIONS),
        help=f"comma-separated subset of {','.join(CONDITIONS)}",
    )  # fmt: skip
    parser.add_argument(
        "--types", type=_csv, default=list(DOCUMENT_TYPES),
        help="comma-separated document types (default: all of the spec)",
    )  # fmt: skip
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="write details")
    parser.add_argument(
        "--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)),
        help="worker processes (each runs Tesseract single-threaded; default 2)",
    )  # fmt: skip
    parser.add_argument(
        "--passporteye", choices=("auto", "yes", "no"), default="auto",
        help="also read the MRZ cards with PassportEye (auto: if installed)",
    )  # fmt: skip
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated images here")
    parser.add_argument(
        "--holdout", action="store_true",
        help="the held-out corpus: fonts, wordings, people and faults the default never draws",
    )  # fmt: skip
    parser.add_argument(
        "--holdout-parts", type=_csv, default=list(BENCH_HOLDOUT_PARTS), metavar="PARTS",
        help="with --holdout, vary only these (comma-separated subset of "
        f"{','.join(BENCH_HOLDOUT_PARTS)}; default all): which one costs accuracy",
    )  # fmt: skip
    parser.add_argument(
        "--no-real-mrz", dest="real_mrz", action="store_false",
        help="skip the MRZ comparison on the real specimen photos of shared/data/real",
    )  # fmt: skip


def _passporteye_available() -> bool:
    try:
        import passporteye  # noqa: F401
    except ImportError:
        return False
    return True


def run(args: argparse.Namespace) -> int:
    bad_c = [c for c in args.conditions if c not in CONDITIONS]
    bad_t = [t for t in args.types if t not in DOCUMENT_TYPES]
    if bad_c or bad_t:
        print(f"unknown conditions {bad_c} or types {bad_t}", file=sys.stderr)
        return 2
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        outdir = Path(args.keep) if args.keep else Path(tmp)
        outdir.mkdir(parents=True, exist_ok=True)
        holdout = bool(getattr(args, "holdout", False))
        parts = tuple(getattr(args, "holdout_parts", BENCH_HOLDOUT_PARTS))
        bad_p = [p for p in parts if p not in BENCH_HOLDOUT_PARTS]
        if bad_p:
            print(f"unknown held-out parts {bad_p}", file=sys.stderr)
            return 2
        specs = [
            (label, cond, i, args.seed, outdir, parts if holdout else False)
            for cond in args.conditions
            for label in case_labels(args.types, cond)
            for i in range(args.per_type)
        ]
        corpus = f"held-out corpus: {','.join(parts)}" if holdout else "default corpus"
        print(
            f"{len(specs)} files ({corpus}) to generate and read ({args.jobs} jobs)...", flush=True
        )
        t1 = time.perf_counter()
        if args.jobs > 1 and len(specs) > 1:
            with ProcessPoolExecutor(max_workers=args.jobs) as pool:
                done = list(pool.map(make_and_run, specs))
        else:
            done = [make_and_run(sp) for sp in specs]
        wall = time.perf_counter() - t1
        cases = [c for c, _ in done if c is not None]
        results = [r for _, r in done if r is not None]
        rows, per_cond, total = aggregate(results)
        print(format_table(rows, per_cond, total))
        print(worst_fields(results))
        print(by_font(results))
        if holdout:
            print(by_fault(results))
        errors = [r for r in results if r.error]
        if errors:
            print(f"{len(errors)} files crashed the pipeline, e.g. {errors[0].error}")
        gen_s = sum(r.generate_seconds for r in results)
        print(
            f"wall time {wall:.1f} s for {len(cases)} files ({args.jobs} jobs), of which "
            f"{gen_s:.1f} s (summed over jobs) making the images"
        )
        engines = ["motcua"]
        if args.passporteye == "yes" or (args.passporteye == "auto" and _passporteye_available()):
            engines.append("passporteye")
        elif args.passporteye == "auto":
            print("PassportEye not installed: MRZ comparison with our reader only")
        mrz_cases = [c for c in cases if any(e.mrz for e in c.expected)]
        cmp = compare_mrz(mrz_cases, engines, jobs=args.jobs) if mrz_cases else {}
        if cmp:
            print(format_mrz(cmp))
        real = compare_real_mrz(REAL_DIR, engines) if args.real_mrz else {}
        if real:
            print(
                format_mrz(real).replace(
                    "MRZ alone on the same card backs (exact 3 lines; valid = check digits hold)",
                    f"MRZ on real ICAO specimen photos ({REAL_DIR / 'passporteye'}; "
                    "read = all fields of truth.json; valid = a zone was returned)",
                )
            )
        if args.json:
            payload = {
                "config": {
                    "per_type": args.per_type,
                    "seed": args.seed,
                    "conditions": args.conditions,
                    "types": args.types,
                    "jobs": args.jobs,
                    "holdout": holdout,
                    "holdout_parts": list(parts) if holdout else [],
                },
                "rows": [asdict(r) | {"field_acc": r.field_acc} for r in rows],
                "per_condition": {
                    k: asdict(v) | {"field_acc": v.field_acc} for k, v in per_cond.items()
                },
                "total": asdict(total) | {"field_acc": total.field_acc},
                "mrz_compare": {k: asdict(v) for k, v in cmp.items()},
                "mrz_real_specimens": {k: asdict(v) for k, v in real.items()},
                "cases": [_case_json(r) for r in results],
            }
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=1), "utf-8")
            print(f"details in {args.json}")
    return 0


def _case_json(r: CaseResult) -> dict:
    out = asdict(r)
    out["path"] = Path(r.path).name
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="motcua bench extract", description=__doc__.split("\n")[0]
    )
    add_arguments(parser)
    logging.basicConfig(level=logging.WARNING)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
