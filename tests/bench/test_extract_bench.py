"""``motcua bench extract``: corpus making, scoring, and the timing of one card."""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np
import pytest

from bench import extract as bench
from extractors.types import ExtractedDocument, Field
from synth.documents import generate


def _doc(doc_type: str, values: dict[str, str], source: str = "ocr") -> ExtractedDocument:
    fields = {k: Field(key=k, value=v, confidence=0.9, source=source) for k, v in values.items()}
    return ExtractedDocument(pages=(1,), document_type=doc_type, type_confidence=0.9, fields=fields)


def test_case_labels_per_condition():
    types = ["cccd_front", "cccd_back", "birth_certificate"]
    assert bench.case_labels(types, "scan") == types
    assert bench.case_labels(types, "no_qr") == ["cccd_front"]
    assert bench.case_labels(types, "flatbed_pair") == ["cccd_front+cccd_back"]


@pytest.mark.parametrize("condition", bench.CONDITIONS)
def test_make_case_writes_a_readable_image(tmp_path, condition):
    label = "cccd_front+cccd_back" if condition == "flatbed_pair" else "cccd_front"
    case = bench.make_case(label, condition, 0, 1, tmp_path)
    assert case is not None
    img = cv2.imread(case.path)
    assert img is not None and img.shape[0] > 400
    assert len(case.expected) == (2 if condition == "flatbed_pair" else 1)
    again = bench.make_case(label, condition, 0, 1, tmp_path / "again")
    assert again is None or again.expected == case.expected  # same seed, same truth


def test_no_qr_case_drops_qr_only_fields_and_damages_the_qr(tmp_path):
    import zxingcpp

    for i in range(4):
        case = bench.make_case("cccd_front", "no_qr", i, 5, tmp_path)
        exp = case.expected[0]
        assert not exp.qr_expected
        assert "date_of_issue" not in exp.truth and "old_id_number" not in exp.truth
        img = cv2.imread(case.path)
        assert zxingcpp.read_barcodes(img[:, :, ::-1].copy()) == []


def test_score_exact_match_missing_and_wrong():
    """GIVEN a truth of 4 fields WHEN one is right, one wrong, one decomposed-NFD-equal,
    one missing THEN 2 count as exact and classification is judged on the matched doc."""
    truth = {
        "id_number": "001099012345",
        "full_name": "TRẦN THỊ THU HÀ",
        "sex": "Nữ",
        "nationality": "Việt Nam",
    }
    case = bench.Case(
        "cccd_front", "scan", 0, "x.jpg", (bench.Expected("cccd_front", truth, True, None),)
    )
    import unicodedata

    got = _doc(
        "cccd_front",
        {
            "id_number": "001099012345",
            "full_name": unicodedata.normalize("NFD", "TRẦN THỊ THU HÀ"),
            "sex": "Nam",
        },
        source="qr",
    )
    res = bench.score(case, [got], 1.5)
    r = res.docs[0]
    assert r.correct == 2 and len(r.fields) == 4
    assert r.classified_as == "cccd_front" and r.qr_read
    rows, per_cond, total = bench.aggregate([res])
    assert rows[0].fields_ok == 2 and rows[0].fields_total == 4
    assert per_cond["scan"].field_acc == 0.5
    assert total.class_ok == 1
    table = bench.format_table(rows, per_cond, total)
    assert "2/4" in table and "NOT MET" in table


def test_score_pair_matches_each_side_and_counts_mrz_lines():
    front = generate("cccd_front", np.random.default_rng(3), variant="2021")
    back = generate("cccd_back", np.random.default_rng(4), person=front.person, variant="2021")
    case = bench.Case(
        "cccd_front+cccd_back",
        "flatbed_pair",
        0,
        "x.jpg",
        (bench._expected(front, qr=True), bench._expected(back, qr=True)),
    )
    docs = [_doc("cccd_back", back.truth, "mrz"), _doc("cccd_front", front.truth, "qr")]
    res = bench.score(case, docs, 4.0)
    assert [r.correct for r in res.docs] == [len(front.truth), len(back.truth)]
    assert res.docs[1].mrz_expected and res.docs[1].mrz_read
    lost = bench.score(case, [docs[0]], 4.0)
    assert lost.docs[0].classified_as == "cccd_back"  # front missed: judged wrong
    assert lost.docs[0].correct < len(front.truth)


def test_unknown_condition_is_refused(capsys):
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    args = parser.parse_args(["--conditions", "scan,moonlight"])
    assert bench.run(args) == 2
    assert "moonlight" in capsys.readouterr().err


@pytest.mark.slow
@pytest.mark.needs_tesseract
def test_benchmark_one_card(benchmark, tmp_path: Path):
    """Time the real pipeline on one scanned CCCD front (fixed seed)."""
    case = bench.make_case("cccd_front", "scan", 0, 2024, tmp_path)
    result = benchmark.pedantic(bench.run_case, args=(case,), rounds=1, iterations=1)
    assert result.error is None and result.seconds > 0
    (doc,) = result.docs
    assert set(doc.fields) == set(case.expected[0].truth)  # every field judged


@pytest.mark.parametrize("condition", bench.CONDITIONS)
def test_holdout_case_is_reproducible_and_apart_from_the_default(tmp_path, condition):
    """GIVEN one seed WHEN a held-out case is made twice and a default case once THEN the
    held-out files are identical, in held-out fonts, and share no document with the default."""
    from synth.documents import holdout_families

    label = "cccd_front+cccd_back" if condition == "flatbed_pair" else "cccd_front"
    a = bench.make_case(label, condition, 0, 1, tmp_path / "a", holdout=True)
    b = bench.make_case(label, condition, 0, 1, tmp_path / "b", holdout=True)
    d = bench.make_case(label, condition, 0, 1, tmp_path / "d")
    assert a is not None and b is not None and d is not None
    assert a.expected == b.expected
    assert Path(a.path).read_bytes() == Path(b.path).read_bytes()
    assert cv2.imread(a.path) is not None
    held_out = {f.name for f in holdout_families()}
    assert all(e.font in held_out for e in a.expected)
    assert all(e.truth != f.truth for e, f in zip(a.expected, d.expected, strict=True))


def test_holdout_flag_is_parsed():
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    assert parser.parse_args(["--holdout"]).holdout
    assert not parser.parse_args([]).holdout


def test_holdout_parts_are_checked(capsys):
    parser = argparse.ArgumentParser()
    bench.add_arguments(parser)
    args = parser.parse_args(["--holdout", "--holdout-parts", "fonts,moonlight"])
    assert bench.run(args) == 2
    assert "moonlight" in capsys.readouterr().err


def test_holdout_faults_alone_keep_default_looking_documents(tmp_path):
    from synth.documents import families

    case = bench.make_case("cmnd", "phone", 0, 3, tmp_path, holdout=("faults",))
    assert case is not None and case.faults
    assert case.expected[0].font in {f.name for f in families()}
