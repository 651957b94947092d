"""``motcua bench ocr``: accuracy and speed of the OCR layer on a generated corpus.

The corpus is made on the spot (nothing downloaded): Vietnamese administrative prose
(:mod:`synth.prose`) rendered at 300 dpi in several fonts (:mod:`synth.render`), then
degraded per condition (:mod:`synth.degrade`):

- ``clean``      flatbed scan, straight;
- ``skewed``     flatbed scan turned 3-6 degrees either way;
- ``phone``      phone photo on a desk: perspective, uneven light, shadow, blur, JPEG;
- ``photocopy``  third-generation photocopy.

For every page it times and scores (a) plain Tesseract on the degraded image as is
(same language and model) and (b) this pipeline (:func:`ocr.pipeline.iter_pages` on
the same file: decoding, quality check, preprocessing, OCR). CER is the Levenshtein
distance over the reference length, on NFC text with whitespace collapsed.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import resource
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np
from rapidfuzz.distance import Levenshtein

from ocr import tesseract
from ocr.context import OcrContext
from ocr.pipeline import iter_pages
from synth import degrade, render

log = logging.getLogger(__name__)

TARGETS_CER: dict[str, float] = {
    "clean": 0.003,
    "skewed": 0.003,
    "phone": 0.005,
    "photocopy": 0.01,
}
TARGET_RATIO = 1.15
SIZES = {"a5": render.A5, "a4": render.A4}


def _skewed(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    angle = float(rng.choice([-1.0, 1.0]) * rng.uniform(3.0, 6.0))
    return degrade.flatbed_scan(img, rng, skew_deg=angle)


CONDITIONS: dict[str, Callable[[np.ndarray, np.random.Generator], np.ndarray]] = {
    "clean": lambda img, rng: degrade.flatbed_scan(img, rng),
    "skewed": _skewed,
    "phone": degrade.phone_photo,
    "photocopy": lambda img, rng: degrade.photocopy(img, rng, generations=3),
}


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def cer(reference: str, hypothesis: str) -> float:
    ref = normalize(reference)
    return Levenshtein.distance(ref, normalize(hypothesis)) / max(1, len(ref))


@dataclass
class PageResult:
    condition: str
    seed: int
    font: str
    chars: int
    cer_raw: float
    cer_pipeline: float
    s_raw: float
    s_pipeline: float
    cpu_raw: float = 0.0
    """CPU seconds (this process and Tesseract): steadier than wall time on a busy machine."""
    cpu_pipeline: float = 0.0
    steps: list[str] = field(default_factory=list)


@dataclass
class ConditionSummary:
    condition: str
    pages: int
    cer_raw: float
    cer_pipeline: float
    s_raw: float
    s_pipeline: float
    ratio: float
    cpu_ratio: float
    target_cer: float | None
    meets_cer: bool


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pages", type=int, default=5, help="pages per condition (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument(
        "--conditions",
        default=",".join(CONDITIONS),
        help=f"comma-separated, from: {', '.join(CONDITIONS)} (default: all)",
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="a5", help="page size (a5)")
    parser.add_argument("--lang", default="vie", help="Tesseract languages (vie)")
    parser.add_argument("--tessdata-dir", default=None, help="Tesseract model directory")
    parser.add_argument("--json", type=Path, default=None, help="write per-page results here")
    parser.add_argument("--keep", type=Path, default=None, help="keep the corpus images here")


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _raw_ocr(path: Path, context: OcrContext) -> str:
    return tesseract.text(
        path,  # type: ignore[arg-type] - the wrapper accepts a path and lets Tesseract read it
        lang=context.languages,
        psm=3,
        timeout=context.timeout_s,
        tessdata_dir=context.tessdata_dir,
    )


def _pipeline_ocr(path: Path, context: OcrContext) -> tuple[str, list[str]]:
    texts, steps = [], []
    for page in iter_pages(path, context=context):
        texts.append(page.text)
        for region in page.regions:
            steps.extend(region.steps)
    return "\n".join(texts), steps


def run_corpus(
    conditions: list[str],
    *,
    pages: int,
    seed: int,
    size: tuple[int, int],
    context: OcrContext,
    workdir: Path,
    progress: Callable[[PageResult], None] | None = None,
) -> list[PageResult]:
    results: list[PageResult] = []
    for ci, cond in enumerate(conditions):
        make = CONDITIONS[cond]
        for i in range(pages):
            page_seed = seed * 1000 + i
            page = render.corpus_page(page_seed, size=size)
            rng = np.random.default_rng([seed, ci, i])
            image = make(page.image, rng)
            # phones upload JPEG; scanners and copiers lossless images
            ext = ".jpg" if cond == "phone" else ".png"
            path = workdir / f"{cond}-{page_seed}{ext}"
            params = [cv2.IMWRITE_JPEG_QUALITY, 95] if ext == ".jpg" else []
            cv2.imwrite(str(path), image, params)
            c0, t0 = _cpu(), time.perf_counter()
            raw = _raw_ocr(path, context)
            c1, t1 = _cpu(), time.perf_counter()
            text, steps = _pipeline_ocr(path, context)
            c2, t2 = _cpu(), time.perf_counter()
            res = PageResult(
                condition=cond,
                seed=page_seed,
                font=page.font,
                chars=len(normalize(page.text)),
                cer_raw=cer(page.text, raw),
                cer_pipeline=cer(page.text, text),
                s_raw=t1 - t0,
                s_pipeline=t2 - t1,
                cpu_raw=c1 - c0,
                cpu_pipeline=c2 - c1,
                steps=steps,
            )
            results.append(res)
            if progress:
                progress(res)
    return results


def summarize(results: list[PageResult]) -> list[ConditionSummary]:
    out = []
    conds = list(dict.fromkeys(r.condition for r in results))
    for cond in [*conds, "total"]:
        rs = results if cond == "total" else [r for r in results if r.condition == cond]
        if not rs:
            continue
        chars = sum(r.chars for r in rs) or 1
        # CER over the condition's characters (errors summed, not page CERs averaged)
        c_raw = sum(r.cer_raw * r.chars for r in rs) / chars
        c_pipe = sum(r.cer_pipeline * r.chars for r in rs) / chars
        s_raw = sum(r.s_raw for r in rs) / len(rs)
        s_pipe = sum(r.s_pipeline for r in rs) / len(rs)
        target = TARGETS_CER.get(cond)
        out.append(
            ConditionSummary(
                condition=cond,
                pages=len(rs),
                cer_raw=c_raw,
                cer_pipeline=c_pipe,
                s_raw=s_raw,
                s_pipeline=s_pipe,
                ratio=s_pipe / s_raw if s_raw else float("nan"),
                cpu_ratio=(
                    sum(r.cpu_pipeline for r in rs) / sum(r.cpu_raw for r in rs)
                    if sum(r.cpu_raw for r in rs)
                    else float("nan")
                ),
                target_cer=target,
                meets_cer=(c_pipe <= target) if target is not None else True,
            )
        )
    return out


def format_table(summary: list[ConditionSummary]) -> str:
    head = (
        f"{'condition':<10} {'pages':>5} {'CER raw':>8} {'CER pipeline':>13} "
        f"{'s/page raw':>10} {'s/page pipeline':>15} {'ratio':>6} {'cpu ratio':>9}  target"
    )
    lines = [head, "-" * len(head)]
    for s in summary:
        target = (
            f"CER<={s.target_cer:.1%} {'ok' if s.meets_cer else 'MISSED'}"
            if s.target_cer is not None
            else f"ratio<={TARGET_RATIO} {'ok' if s.ratio <= TARGET_RATIO else 'MISSED'}"
        )
        lines.append(
            f"{s.condition:<10} {s.pages:>5} {s.cer_raw:>8.2%} {s.cer_pipeline:>13.2%} "
            f"{s.s_raw:>10.2f} {s.s_pipeline:>15.2f} {s.ratio:>6.2f} {s.cpu_ratio:>9.2f}  {target}"
        )
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    conditions = [c.strip() for c in str(args.conditions).split(",") if c.strip()]
    unknown = [c for c in conditions if c not in CONDITIONS]
    if unknown:
        print(f"unknown condition(s): {', '.join(unknown)}; choose from {', '.join(CONDITIONS)}")
        return 2
    context = OcrContext(languages=args.lang, tessdata_dir=args.tessdata_dir)
    tesseract.check_languages(context.languages)
    print(
        f"OCR benchmark: {args.pages} page(s) x {len(conditions)} condition(s), seed {args.seed}, "
        f"{args.size.upper()} 300 dpi, tesseract {tesseract.version()} lang={args.lang}",
        flush=True,
    )

    def progress(r: PageResult) -> None:
        print(
            f"  {r.condition:<10} page {r.seed:<6} {r.font:<22} CER raw {r.cer_raw:7.2%} "
            f"pipeline {r.cer_pipeline:7.2%}  {r.s_raw:5.2f}s / {r.s_pipeline:5.2f}s",
            flush=True,
        )

    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        workdir = Path(args.keep) if args.keep else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        results = run_corpus(
            conditions,
            pages=args.pages,
            seed=args.seed,
            size=SIZES[args.size],
            context=context,
            workdir=workdir,
            progress=progress,
        )
    summary = summarize(results)
    print()
    print(format_table(summary))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "pages": [asdict(r) for r in results],
                    "summary": [asdict(s) for s in summary],
                },
                ensure_ascii=False,
                indent=2,
            ),
            encoding="utf-8",
        )
    return 0
