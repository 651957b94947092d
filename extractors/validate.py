"""Consistency checks on a document's fields: passes become ``checks``, failures conflicts.

Nothing here changes a value: a failed check lowers the field's confidence and adds
a :class:`Conflict` with a reason the clerk can read.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from extractors import gazetteer, idnumber, vietnamese
from extractors.normalize import NO_EXPIRY, parse_iso
from extractors.types import Conflict, Field

# Ages at which the card must be renewed (Luật Căn cước công dân 2014, art. 21;
# Luật Căn cước 2023 adds 14 for the Căn cước card).
CCCD_AGES = (25, 40, 60)
CANCUOC_AGES = (14, 25, 40, 60)


def _birthday(dob: dt.date, age: int) -> dt.date:
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:  # 29 February
        return dob.replace(year=dob.year + age, day=28)


def expected_expiry(dob: dt.date, issued: dt.date, *, ages: tuple[int, ...] = CCCD_AGES) -> str:
    """Printed expiry of a card issued on ``issued``: ISO date or ``Không thời hạn``.

    The card is valid until the holder reaches the next renewal age; a card issued
    within the two years before a renewal age lasts until the following one; after
    the last one it has no end.
    """
    for age in ages:
        limit = _birthday(dob, age)
        if issued < _birthday(dob, age - 2):
            return limit.isoformat()
    return NO_EXPIRY


def plausible_expiry(dob: dt.date, expiry: str, *, ages: tuple[int, ...] = CCCD_AGES) -> bool:
    if expiry == NO_EXPIRY:
        return True
    e = parse_iso(expiry)
    return e is not None and any(_birthday(dob, a) == e for a in ages)


NAME_KEYS = ("full_name", "mother_name", "father_name", "husband_name", "wife_name",
             "head_of_household", "holder_names")  # fmt: skip
REVIEW_CEILING = 0.7
"""Confidence ceiling of a value the clerk should look at (under the review threshold)."""


def check_names(fields: dict[str, Field]) -> tuple[dict[str, Field], list[Conflict]]:
    """Printed names whose syllables may be misread (:func:`vietnamese.doubtful`): the
    value stays, its confidence goes under the review threshold and a conflict names
    the syllables and what they may stand for. QR and MRZ names are not checked."""
    fields = dict(fields)
    conflicts: list[Conflict] = []
    for key in NAME_KEYS:
        f = fields.get(key)
        if f is None or f.source not in ("ocr", "text_layer") or not f.value:
            continue
        names = f.value.split("; ")
        raws = f.raw.split("; ") if f.raw else []
        if len(raws) != len(names):
            raws = [""] * len(names)
        found = [d for n, r in zip(names, raws, strict=True) for d in vietnamese.doubtful(n, r)]
        if not found:
            continue
        fields[key] = dataclasses.replace(f, confidence=min(f.confidence, REVIEW_CEILING))
        values = {"value": f.value}
        values["doubtful"] = "; ".join(
            f"{tok} ({' / '.join(alts)}?)" if alts else tok for tok, alts in found
        )
        conflicts.append(Conflict(key, values, reason="name syllable may be misread"))
    return fields, conflicts


ADDRESS_KEYS = ("place_of_origin", "place_of_residence", "place_of_birth_registration",
                "permanent_residence", "temporary_residence", "current_residence",
                "parcel_address", "place_of_birth")  # fmt: skip


def check_places(fields: dict[str, Field]) -> tuple[dict[str, Field], list[Conflict]]:
    """Printed addresses whose province (or district / ward before it) names no official
    unit, old or 2025 (:func:`gazetteer.unknown_units`): a misreading the gazetteer
    could not correct. The value stays, under the review threshold, with a conflict."""
    fields = dict(fields)
    conflicts: list[Conflict] = []
    for key in ADDRESS_KEYS:
        f = fields.get(key)
        if f is None or f.source not in ("ocr", "text_layer") or not f.value:
            continue
        try:
            unknown = gazetteer.unknown_units(f.value)
        except Exception:  # noqa: BLE001 - no gazetteer data: nothing to check against
            return fields, conflicts
        if not unknown:
            continue
        fields[key] = dataclasses.replace(f, confidence=min(f.confidence, REVIEW_CEILING))
        values = {"value": f.value, "unknown": "; ".join(unknown)}
        conflicts.append(Conflict(key, values, reason="place not found in the gazetteer"))
    return fields, conflicts


def _add_check(fields: dict[str, Field], key: str, name: str) -> None:
    f = fields.get(key)
    if f is not None and name not in f.checks:
        fields[key] = dataclasses.replace(f, checks=(*f.checks, name))


def _lower(fields: dict[str, Field], key: str, factor: float = 0.6) -> None:
    f = fields.get(key)
    if f is not None and f.source not in ("qr",):
        fields[key] = dataclasses.replace(f, confidence=f.confidence * factor)


def validate(
    fields: dict[str, Field], *, document_type: str, today: dt.date | None = None
) -> tuple[dict[str, Field], list[Conflict]]:
    """Run every check that applies; return updated fields and the conflicts found."""
    today = today or dt.date.today()
    fields, conflicts = check_names(fields)
    fields, more = check_places(fields)
    conflicts.extend(more)

    def val(key: str) -> str | None:
        f = fields.get(key)
        return f.value if f else None

    for prefix in ("", "husband_", "wife_"):
        id_key, dob_key = f"{prefix}id_number", f"{prefix}date_of_birth"
        number = val(id_key)
        if not number:
            continue
        if len(number) == 12:
            dob = parse_iso(val(dob_key))
            checks = idnumber.check_against(
                number, birth_year=dob.year if dob else None, sex=val("sex") if not prefix else None
            )
            for name, ok in checks.items():
                if ok:
                    _add_check(fields, id_key, name)
                else:
                    _lower(fields, id_key)
                    info = idnumber.parse_id12(number)
                    detail = {
                        "id_number_province_code": ("province_code", number[:3]),
                        "id_number_matches_birth_date": (
                            "birth_year_from_id",
                            str(info.birth_year) if info else "",
                        ),
                        "id_number_matches_sex": ("sex_from_id", info.sex if info else ""),
                    }[name]
                    values = {id_key: number, detail[0]: detail[1]}
                    if name == "id_number_matches_birth_date":
                        values[dob_key] = val(dob_key) or ""
                    if name == "id_number_matches_sex":
                        values["sex"] = val("sex") or ""
                    conflicts.append(Conflict(id_key, values, reason=f"{name} failed"))
        elif len(number) != 9:
            _lower(fields, id_key, 0.5)

    dob = parse_iso(val("date_of_birth"))
    issued = parse_iso(val("date_of_issue"))
    expiry = val("date_of_expiry")
    if dob and dob > today:
        _lower(fields, "date_of_birth", 0.5)
        conflicts.append(Conflict("date_of_birth", {"value": val("date_of_birth") or ""},
                                  reason="date_of_birth in the future"))  # fmt: skip
    if dob and issued:
        if dob < issued:
            _add_check(fields, "date_of_issue", "issue_after_birth")
        else:
            _lower(fields, "date_of_issue", 0.5)
            conflicts.append(
                Conflict("date_of_issue", {"date_of_birth": dob.isoformat(),
                         "date_of_issue": issued.isoformat()}, reason="issued before birth")
            )  # fmt: skip
    if issued and issued > today:
        _lower(fields, "date_of_issue", 0.5)
        conflicts.append(Conflict("date_of_issue", {"value": issued.isoformat()},
                                  reason="date_of_issue in the future"))  # fmt: skip
    exp = parse_iso(expiry)
    if issued and exp:
        if issued < exp:
            _add_check(fields, "date_of_expiry", "expiry_after_issue")
        else:
            _lower(fields, "date_of_expiry", 0.5)
            values = {"date_of_issue": issued.isoformat(), "date_of_expiry": exp.isoformat()}
            conflicts.append(Conflict("date_of_expiry", values, reason="expires before issue"))
    if (
        document_type in ("cccd_front", "cccd_back", "cancuoc_front", "cancuoc_back")
        and dob
        and expiry
    ):
        ages = CANCUOC_AGES if document_type.startswith("cancuoc") else CCCD_AGES
        if issued is not None:
            expected = expected_expiry(dob, issued, ages=ages)
            if expected == expiry:
                _add_check(fields, "date_of_expiry", "expiry_matches_age_rule")
            else:
                _lower(fields, "date_of_expiry", 0.8)
                values = {"printed": expiry, "expected_by_age": expected}
                reason = "expiry_matches_age_rule failed"
                conflicts.append(Conflict("date_of_expiry", values, reason=reason))
        elif plausible_expiry(dob, expiry, ages=ages):
            _add_check(fields, "date_of_expiry", "expiry_matches_age_rule")
        else:
            _lower(fields, "date_of_expiry", 0.8)
            conflicts.append(Conflict("date_of_expiry", {"printed": expiry},
                             reason="expiry is not a renewal birthday"))  # fmt: skip
    return fields, conflicts
