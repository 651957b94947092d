"""Immutable results of extraction, and their JSON form (``shared/spec/documents.md``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ocr.types import BBox, Quality

FieldSource = Literal["qr", "mrz", "text_layer", "ocr", "clerk"]

DOCUMENT_TYPES = (
    "cccd_front",
    "cccd_back",
    "cancuoc_front",
    "cancuoc_back",
    "cmnd",
    "birth_certificate",
    "marriage_certificate",
    "residence_confirmation",
    "land_use_certificate",
    "unknown",
)


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    value: str
    confidence: float
    source: FieldSource
    page: int | None = None
    bbox: BBox | None = None
    checks: tuple[str, ...] = ()
    """Validations that passed, e.g. ``id_number_matches_birth_date``."""
    raw: str | None = None
    """The reading before any correction (gazetteer, syllables), kept for the clerk."""

    def to_json(self) -> dict:
        out: dict = {
            "value": self.value,
            "confidence": round(float(self.confidence), 3),
            "source": self.source,
            "page": self.page,
            "bbox": list(self.bbox) if self.bbox else None,
        }
        if self.checks:
            out["checks"] = list(self.checks)
        if self.raw is not None and self.raw != self.value:
            out["raw"] = self.raw
        return out


@dataclass(frozen=True, slots=True)
class Conflict:
    field: str
    values: dict[str, str]
    """source (or a label such as ``candidates``) -> value."""
    reason: str | None = None

    def to_json(self) -> dict:
        out: dict = {"field": self.field, "values": dict(self.values)}
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass(frozen=True, slots=True)
class ExtractedDocument:
    pages: tuple[int, ...]
    document_type: str
    type_confidence: float
    fields: dict[str, Field] = field(default_factory=dict)
    conflicts: tuple[Conflict, ...] = ()
    text: str = ""
    quality: Quality = Quality()
    extras: dict = field(default_factory=dict)
    """Anything else worth keeping (raw QR extra fields, region index...)."""

    def to_json(self, *, source: str) -> dict:
        out = {
            "source": source,
            "pages": list(self.pages),
            "document_type": self.document_type,
            "type_confidence": round(float(self.type_confidence), 3),
            "quality": self.quality.to_json(),
            "fields": {k: f.to_json() for k, f in self.fields.items()},
            "conflicts": [c.to_json() for c in self.conflicts],
            "text": self.text,
        }
        if self.extras:
            out["extras"] = self.extras
        return out
