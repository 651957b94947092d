"""Benchmarks of the OCR layer (pytest-benchmark; slow): preprocessing of one page,
the quality check of a 12 MP photo, and a one-page run of ``motcua bench ocr``."""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np
import pytest

from bench import ocr as bench_ocr
from ocr.preprocess import prepare_page
from ocr.quality import assess_file
from synth import degrade
from synth.render import A4, corpus_page

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def photo() -> np.ndarray:
    return degrade.phone_photo(corpus_page(2, size=A4).image, np.random.default_rng(2))


def test_preprocess_one_phone_photo(benchmark, photo: np.ndarray):
    regions = benchmark(prepare_page, photo)
    assert len(regions) == 1 and "rectify" in regions[0].steps


def test_quality_check_12mp_under_300ms(benchmark, photo: np.ndarray, tmp_path: Path):
    path = tmp_path / "photo.jpg"
    cv2.imwrite(str(path), cv2.resize(photo, (3024, 4032)), [cv2.IMWRITE_JPEG_QUALITY, 90])
    q = benchmark(assess_file, path, media_type="image/jpeg")
    assert q.ok
    if benchmark.stats is not None:  # --benchmark-disable (the default) runs it once only
        assert benchmark.stats.stats.median < 0.3


@pytest.mark.needs_tesseract
def test_bench_ocr_command_runs(tmp_path: Path, capsys):
    parser = argparse.ArgumentParser()
    bench_ocr.add_arguments(parser)
    out = tmp_path / "r.json"
    args = parser.parse_args(["--pages", "1", "--conditions", "phone", "--json", str(out)])
    assert bench_ocr.run(args) == 0
    text = capsys.readouterr().out
    assert "CER raw" in text and "phone" in text and "total" in text
    import json

    data = json.loads(out.read_text(encoding="utf-8"))
    (page,) = data["pages"]
    assert page["cer_pipeline"] <= page["cer_raw"] + 0.01
    assert page["s_raw"] > 0 and page["s_pipeline"] > 0


def test_cer_definition():
    assert bench_ocr.cer("Cộng  hòa\nxã", "Cộng hòa xã") == 0.0
    # NFD input is normalized to NFC before comparing
    import unicodedata

    assert bench_ocr.cer("Việt", unicodedata.normalize("NFD", "Việt")) == 0.0
    assert bench_ocr.cer("abcd", "abxd") == pytest.approx(0.25)
