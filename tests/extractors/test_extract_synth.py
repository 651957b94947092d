"""End to end on generated papers (fake people): OCR -> extract, against the ground truth.

Slow (Tesseract on A4 pages); the benchmark measures the same on a larger corpus.
"""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = [pytest.mark.needs_tesseract, pytest.mark.slow]

TYPES = ("cccd_front", "cccd_back", "cancuoc_front", "cancuoc_back", "cmnd",
         "birth_certificate", "marriage_certificate", "residence_confirmation",
         "land_use_certificate")  # fmt: skip


def _specimen(doc_type: str, seed: int, variant: str | None = None):  # noqa: ANN202
    documents = pytest.importorskip("synth.documents")
    return documents.generate(doc_type, np.random.default_rng(seed), variant=variant)


def _extract(image: np.ndarray):  # noqa: ANN202
    """Tesseract straight on the clean specimen, one region = the page.

    This isolates the extractors from the OCR layer's preprocessing and region
    detection (tested in tests/ocr and by the benchmark on degraded scans and photos).
    """
    from extractors.pipeline import extract
    from ocr import tesseract
    from ocr.types import IDENTITY, OcrPage, Region

    words = tesseract.words(image, lang="vie", psm=3)
    h, w = image.shape[:2]
    region = Region(page=1, index=0, image=image, to_page=IDENTITY, words=tuple(words))
    return extract([OcrPage(number=1, width=w, height=h, image=image, regions=(region,))])


def test_every_type_classified_and_read() -> None:
    total = correct = 0
    wrong: list[str] = []
    for i, doc_type in enumerate(TYPES):
        sp = _specimen(doc_type, 4242 + i)
        docs = _extract(sp.image)
        assert docs, doc_type
        doc = max(docs, key=lambda d: len(d.fields))
        assert doc.document_type == doc_type
        for key, value in sp.truth.items():
            total += 1
            got = doc.fields.get(key)
            if got is not None and got.value == value:
                correct += 1
            else:
                wrong.append(f"{doc_type}.{key}")
    assert correct / total >= 0.85, wrong


def test_qr_front_fields_come_from_the_qr() -> None:
    sp = _specimen("cccd_front", 7, "2021")
    [doc] = _extract(sp.image)
    for key in ("id_number", "date_of_birth", "sex", "date_of_issue"):
        assert doc.fields[key].source == "qr"
        assert doc.fields[key].value == sp.truth[key]
    assert doc.fields["full_name"].value == sp.truth["full_name"]


def test_mrz_of_generated_card_backs() -> None:
    read = 0
    for seed in range(4):
        sp = _specimen("cccd_back", 100 + seed, "2021")
        docs = _extract(sp.image)
        fields = docs[0].fields
        if fields.get("mrz") is not None and fields["mrz"].value == sp.truth["mrz"]:
            read += 1
            assert fields["mrz"].source == "mrz"
            assert fields["id_number"].value == sp.truth["id_number"]
            x0, y0, x1, y1 = fields["mrz"].bbox
            assert y0 > sp.image.shape[0] * 0.5  # the zone is at the bottom of the card
    assert read >= 3
