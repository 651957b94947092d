"""The text-layer reader's own environment and decisions (no Tesseract)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pdfmaker import PdfBuilder

from ocr.pdf_text import PdfTextReader, TextLayer, decide, layer_words
from synth.fonts import font


def test_pdfplumber_imports():
    """passporteye depends on the old ``pdfminer`` package, whose files overwrite
    pdfminer.six's and break pdfplumber (born-digital PDFs would then all be OCR'd).
    ``scripts/uv-overrides.txt`` keeps it out of the environment."""
    from importlib.metadata import PackageNotFoundError, distribution

    import pdfplumber

    with pytest.raises(PackageNotFoundError):
        distribution("pdfminer")
    assert distribution("pdfminer.six") is not None and callable(pdfplumber.open)


def test_text_layer_words_and_lines(tmp_path: Path):
    b = PdfBuilder()
    b.text_page(
        ["Giấy xác nhận thông tin về cư trú", "Số định danh cá nhân"], ttf=font("noto-sans").path
    )
    path = b.save(tmp_path / "ct07.pdf")
    with PdfTextReader(path) as reader:
        layer = reader.layer(0)
    assert layer is not None and decide(layer).source == "text_layer"
    words = layer_words(layer, scale=2.0)
    assert [w.text for w in words][:3] == ["Giấy", "xác", "nhận"]
    assert {w.line for w in words} == {0, 1}
    first = words[0]
    assert abs(first.bbox[0] - 144) <= 2  # 72 pt from the left at 2 px per point


def test_unreadable_pdf_falls_back_to_ocr(tmp_path: Path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.4\nnot a pdf at all")
    with PdfTextReader(path) as reader:
        assert reader.layer(0) is None
    assert decide(None).source == "ocr"


def test_image_page_with_little_text_is_ocrd():
    layer = TextLayer(words=(), width=595, height=842, image_cover=0.95)
    assert decide(layer).source == "ocr"
