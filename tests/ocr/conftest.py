"""Fixtures for the OCR tests: real documents from ../shared/data/real, generated pages."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
REAL = REPO.parent / "shared" / "data" / "real"

sys.path.insert(0, str(Path(__file__).resolve().parent))  # pdfmaker


def real_file(relative: str) -> Path:
    path = REAL / relative
    if not path.is_file():
        pytest.skip(f"real test data absent: {path} (see shared/data/real/SOURCES.md)")
    return path


@pytest.fixture(scope="session")
def tesseract_ok() -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed")


@pytest.fixture(scope="session")
def corpus_page():
    """A rendered page of Vietnamese prose (A5, 300 dpi) with its ground truth."""
    from synth import render

    return render.corpus_page(11)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)
