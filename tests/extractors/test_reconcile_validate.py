"""Source priority with conflicts; validation checks that never correct silently."""

from __future__ import annotations

import datetime as dt

from extractors.reconcile import choose, reconcile
from extractors.types import Field
from extractors.validate import expected_expiry, validate


def F(key: str, value: str, source: str, conf: float = 0.9, **kw) -> Field:  # noqa: N802, ANN003
    return Field(key=key, value=value, confidence=conf, source=source, page=1, **kw)  # type: ignore[arg-type]


def test_qr_beats_mrz_beats_ocr_and_disagreements_are_listed() -> None:
    fields, conflicts = reconcile(
        {
            "date_of_birth": [
                F("date_of_birth", "1999-07-01", "ocr", bbox=(1, 2, 3, 4)),
                F("date_of_birth", "1999-01-01", "qr"),
                F("date_of_birth", "1999-01-01", "mrz"),
            ]
        }
    )
    f = fields["date_of_birth"]
    assert (f.value, f.source) == ("1999-01-01", "qr")
    assert f.bbox is None or f.bbox == (1, 2, 3, 4)
    assert [c.to_json() for c in conflicts] == [
        {"field": "date_of_birth", "values": {"qr": "1999-01-01", "ocr": "1999-07-01"},
         "reason": "qr preferred"}
    ]  # fmt: skip


def test_agreement_raises_confidence_and_keeps_printed_position() -> None:
    f, conflicts = choose(
        "full_name",
        [F("full_name", "NGUYỄN VĂN AN", "qr", 0.99), F("full_name", "NGUYEN VAN AN", "ocr", 0.7,
                                                         bbox=(10, 10, 90, 30))],
    )  # fmt: skip
    assert conflicts == []
    assert f is not None and f.value == "NGUYỄN VĂN AN" and f.source == "qr"
    assert f.bbox == (10, 10, 90, 30)
    assert f.confidence >= 0.99


def test_text_layer_beats_ocr() -> None:
    f, c = choose("sex", [F("sex", "Nữ", "ocr"), F("sex", "Nam", "text_layer")])
    assert f is not None and f.value == "Nam" and c[0].values == {"text_layer": "Nam", "ocr": "Nữ"}


def test_id_number_against_birth_date_and_sex() -> None:
    fields = {
        "id_number": F("id_number", "001099012345", "ocr"),
        "date_of_birth": F("date_of_birth", "1998-01-01", "ocr"),
        "sex": F("sex", "Nam", "ocr"),
    }
    out, conflicts = validate(fields, document_type="cccd_front", today=dt.date(2025, 1, 1))
    assert out["id_number"].value == "001099012345"  # never corrected
    assert out["id_number"].confidence < 0.9
    assert "id_number_matches_sex" in out["id_number"].checks
    assert any(c.reason == "id_number_matches_birth_date failed" for c in conflicts)


def test_dates_must_be_plausible() -> None:
    fields = {
        "date_of_birth": F("date_of_birth", "2000-05-01", "ocr"),
        "date_of_issue": F("date_of_issue", "1999-01-01", "ocr"),
        "date_of_expiry": F("date_of_expiry", "1998-01-01", "ocr"),
    }
    out, conflicts = validate(fields, document_type="cmnd", today=dt.date(2025, 1, 1))
    reasons = {c.reason for c in conflicts}
    assert {"issued before birth", "expires before issue"} <= reasons
    assert out["date_of_issue"].value == "1999-01-01"


def test_cccd_expiry_by_age() -> None:
    dob = dt.date(1990, 6, 21)
    assert expected_expiry(dob, dt.date(2010, 1, 1)) == "2015-06-21"  # until 25
    assert expected_expiry(dob, dt.date(2014, 1, 1)) == "2030-06-21"  # within 2 years of 25
    assert expected_expiry(dob, dt.date(2021, 3, 1)) == "2030-06-21"  # until 40
    assert expected_expiry(dob, dt.date(2029, 1, 1)) == "2050-06-21"  # within 2 years of 40
    assert expected_expiry(dob, dt.date(2049, 1, 1)) == "Không thời hạn"


def test_expiry_rule_check_and_conflict() -> None:
    base = {
        "date_of_birth": F("date_of_birth", "1990-06-21", "ocr"),
        "date_of_issue": F("date_of_issue", "2021-03-01", "qr"),
    }
    good = {**base, "date_of_expiry": F("date_of_expiry", "2030-06-21", "ocr")}
    out, conflicts = validate(good, document_type="cccd_front", today=dt.date(2025, 1, 1))
    assert "expiry_matches_age_rule" in out["date_of_expiry"].checks
    assert conflicts == []
    bad = {**base, "date_of_expiry": F("date_of_expiry", "2031-06-21", "ocr")}
    out, conflicts = validate(bad, document_type="cccd_front", today=dt.date(2025, 1, 1))
    assert out["date_of_expiry"].value == "2031-06-21"
    assert [c.values for c in conflicts] == [
        {"printed": "2031-06-21", "expected_by_age": "2030-06-21"}
    ]
