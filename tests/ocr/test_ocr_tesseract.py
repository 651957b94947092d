"""The Tesseract wrapper: what each failure of the program means, with test doubles."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytesseract
import pytest

from ocr import tesseract
from ocr.exceptions import MissingDependencyError, OcrError, OcrTimeoutError
from ocr.types import Transform

IMG = np.full((60, 200), 255, np.uint8)


@pytest.fixture
def fresh_caches():
    tesseract.version.cache_clear()
    tesseract.languages.cache_clear()
    yield
    tesseract.version.cache_clear()
    tesseract.languages.cache_clear()


def _double(tmp_path: Path, body: str) -> str:
    """A fake ``tesseract`` executable: answers --version/--list-langs, then runs ``body``."""
    script = tmp_path / "tesseract"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--version" ]; then echo "tesseract 5.3.0"; exit 0; fi\n'
        'for a in "$@"; do if [ "$a" = "--list-langs" ]; then '
        'echo "List of available languages (2):"; echo eng; echo vie; exit 0; fi; done\n'
        + body
        + "\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_missing_binary(monkeypatch, fresh_caches):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/bin/tesseract")
    with pytest.raises(MissingDependencyError) as info:
        tesseract.words(IMG)
    assert "apt-get install tesseract-ocr" in str(info.value)


def test_timeout(monkeypatch, fresh_caches, tmp_path: Path):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", _double(tmp_path, "sleep 20"))
    with pytest.raises(OcrTimeoutError, match="longer than 1 s"):
        tesseract.words(IMG, timeout=1)


def test_crash_is_an_ocr_error(monkeypatch, fresh_caches, tmp_path: Path):
    body = 'echo "Error in pixReadStream: corrupt image" >&2; exit 1'
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", _double(tmp_path, body))
    with pytest.raises(OcrError, match="Tesseract failed") as info:
        tesseract.text(IMG)
    assert not isinstance(info.value, MissingDependencyError | OcrTimeoutError)


def test_missing_language(monkeypatch, fresh_caches, tmp_path: Path):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", _double(tmp_path, "exit 0"))
    with pytest.raises(MissingDependencyError, match="tesseract-ocr-xyz"):
        tesseract.words(IMG, lang="vie+xyz")


def test_tessdata_dir_falls_back_to_system_models(tmp_path: Path):
    assert tesseract.resolve_tessdata(str(tmp_path), "vie") is None  # empty dir: system data
    (tmp_path / "vie.traineddata").write_bytes(b"x")
    assert tesseract.resolve_tessdata(str(tmp_path), "vie") == str(tmp_path)
    assert tesseract.resolve_tessdata(str(tmp_path), "vie+eng") is None
    assert tesseract.resolve_tessdata(None, "vie") is None


def test_parse_tsv_maps_boxes_and_skips_junk():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "1\t1\t0\t0\t0\t0\t0\t0\t200\t100\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t10\t20\t30\t10\t96.5\tXin\n"
        "5\t1\t1\t1\t1\t2\t50\t20\t40\t10\t90\tchào\n"
        "5\t1\t1\t1\t2\t1\t10\t40\t30\t10\t-1\t  \n"
        "garbage line\n"
        "5\t1\t2\t1\t1\t1\t10\t60\t30\t10\t80\tbạn\n"
    )
    shift = Transform.from_array(np.array([[2, 0, 100], [0, 2, 50], [0, 0, 1]], float))
    words = tesseract.parse_tsv(tsv, to_page=shift)
    assert [w.text for w in words] == ["Xin", "chào", "bạn"]
    assert words[0].bbox == (120, 90, 180, 110) and words[0].region_bbox == (10, 20, 40, 30)
    assert words[0].confidence == pytest.approx(0.965)
    assert words[0].line == words[1].line != words[2].line
    assert words[2].block == 2


@pytest.mark.needs_tesseract
def test_real_tesseract_reads_vietnamese(tesseract_ok, corpus_page):
    crop = corpus_page.image[: corpus_page.image.shape[0] // 4]
    words = tesseract.words(crop, lang="vie")
    text = " ".join(w.text for w in words)
    first = corpus_page.lines[0].split()[0]
    assert first in text
    assert all(0 <= w.confidence <= 1 for w in words)


@pytest.mark.needs_tesseract
def test_empty_image_gives_no_words(tesseract_ok):
    assert tesseract.words(IMG) == []
    assert os.environ.get("OMP_THREAD_LIMIT") == "1"
