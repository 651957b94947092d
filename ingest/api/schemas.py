"""Request and response models of the API (pydantic, at the edge only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class ErrorOut(BaseModel):
    detail: str
    code: str
    message_vi: str | None = None


class DossierCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    procedure_code: str = Field(min_length=1, max_length=100, examples=["1.001234"])
    """Code of the administrative procedure (thủ tục hành chính)."""
    office: str | None = Field(default=None, max_length=100, examples=["ubnd-phuong-hop-giang"])
    """Required for portal and admin tokens; clerks and field agents use their own office."""
    channel: Literal["counter", "home", "portal"] | None = None
    """Default from the token's role: clerk -> counter, field_agent -> home, portal -> portal."""
    applicant_name: str | None = Field(default=None, max_length=300)
    applicant_id_number: str | None = Field(default=None, max_length=20, pattern=r"^[0-9]{9,12}$")
    due_at: datetime | None = None
    external_ref: str | None = Field(default=None, max_length=200)

    @field_validator("due_at", mode="before")
    @classmethod
    def _due_at_is_text(cls, value: object) -> object:
        # The schema says an ISO 8601 string; pydantic would also take a number as a
        # Unix time (0 -> 1970), which is never what a client meant.
        if value is not None and not isinstance(value, str | datetime):
            raise ValueError("due_at must be an ISO 8601 date-time string")
        return value


class FieldOut(BaseModel):
    value: str
    confidence: float
    source: str
    page: int | None
    bbox: list[int] | None
    checks: list[str] | None = None
    raw: str | None = None
    state: Literal["extracted", "corrected", "confirmed"]
    extracted_value: str | None = None


class DocumentEntryOut(BaseModel):
    """One paper found in an uploaded file: the spec's entry plus the service's keys."""

    source: str
    pages: list[int]
    document_type: str | None
    type_confidence: float | None
    quality: dict[str, Any]
    fields: dict[str, FieldOut]
    conflicts: list[dict[str, Any]]
    text: str
    part: int
    id: str
    dossier_id: str
    status: str
    status_label_vi: str
    failure_reason: str | None
    filename: str | None
    media_type: str
    sha256: str
    size_bytes: int
    page_count: int | None
    created_at: str | None
    processed_at: str | None
    links: dict[str, Any]


class DocumentOut(BaseModel):
    id: str
    dossier_id: str
    status: str
    failure_reason: str | None
    documents: list[DocumentEntryOut]


class DossierSummaryOut(BaseModel):
    id: str
    procedure_code: str
    office: str
    channel: str
    status: str
    status_label_vi: str
    status_reason: str | None
    due_at: str | None
    external_ref: str | None
    created_at: str | None
    updated_at: str | None
    links: dict[str, Any]


class DossierOut(DossierSummaryOut):
    applicant: dict[str, str | None]
    review_task: dict[str, Any] | None
    progress: dict[str, int]
    """``documents``, ``processed`` (no longer waiting for a worker), ``failed``."""
    documents: list[DocumentEntryOut]


class DossierListOut(BaseModel):
    items: list[DossierSummaryOut]
    total: int
    limit: int
    offset: int


class UploadedOut(BaseModel):
    id: str
    filename: str | None
    sha256: str
    media_type: str
    size_bytes: int
    page_count: int | None
    status: str
    duplicate: bool
    """True if this dossier already held the same file (no second copy was made)."""
    quality: dict[str, Any] | None
    """Fast image-quality check; ``messages`` are in Vietnamese for the photographer."""
    links: dict[str, Any]


class UploadOut(BaseModel):
    dossier_id: str
    documents: list[UploadedOut]


class HealthOut(BaseModel):
    status: str
    checks: dict[str, str] = {}
