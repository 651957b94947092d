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


def test_qr_field_bbox_points_at_the_printed_value_even_when_ocr_disagrees() -> None:
    """GIVEN a QR id number and an OCR reading of the printed number with one digit wrong
    WHEN the field is chosen
    THEN the QR value wins, the disagreement is listed, and the box is the printed line's."""
    f, conflicts = choose(
        "id_number",
        [
            F("id_number", "001099012345", "qr", 0.99, bbox=(800, 40, 1000, 240)),
            F("id_number", "001099012346", "ocr", 0.8, bbox=(412, 230, 688, 262)),
        ],
    )
    assert f is not None and (f.value, f.source) == ("001099012345", "qr")
    assert f.bbox == (412, 230, 688, 262)
    assert [c.values for c in conflicts] == [{"qr": "001099012345", "ocr": "001099012346"}]


def test_qr_field_keeps_the_zone_box_when_nothing_printed_was_found() -> None:
    f, _ = choose("date_of_issue", [F("date_of_issue", "2021-04-01", "qr", bbox=(8, 8, 90, 90))])
    assert f is not None and f.bbox == (8, 8, 90, 90)


def test_implausible_ocr_reading_is_no_conflict_but_a_plausible_one_is() -> None:
    """GIVEN the QR name and an OCR scrap ("SC") read where the name is printed
    THEN no conflict; a near-miss reading ("NGUYỄN VĂN AM") and a well-formed but
    different date are still listed."""
    qr_name = F("full_name", "NGUYỄN VĂN AN", "qr", 0.99)
    _, c1 = choose("full_name", [qr_name, F("full_name", "SC", "ocr", 0.4, bbox=(1, 1, 9, 9))])
    assert c1 == []
    _, c2 = choose("full_name", [qr_name, F("full_name", "NGUYỄN VĂN AM", "ocr", 0.8)])
    assert [c.values for c in c2] == [{"qr": "NGUYỄN VĂN AN", "ocr": "NGUYỄN VĂN AM"}]
    _, c3 = choose(
        "date_of_birth",
        [F("date_of_birth", "1999-01-01", "qr"), F("date_of_birth", "2011-12-30", "ocr")],
    )
    assert len(c3) == 1
