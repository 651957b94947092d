"""JSON views of dossiers and documents, in the shape of ``shared/spec/documents.md``.

Each uploaded file gives one entry per paper found in it (``part``), with the spec's
keys (source, pages, document_type, type_confidence, quality, fields, conflicts, text)
plus the service's own (id, status, filename...). A file not yet processed, or that
failed, gives one entry with no fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.db.models import Document, DocumentPart, Dossier, FieldState, FieldValue
from storage.db.status import STATUS_LABELS_VI, Status

API = "/api/v1"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def field_json(f: FieldValue) -> dict[str, Any]:
    out: dict[str, Any] = {
        "value": f.value,
        "confidence": round(float(f.confidence), 3),
        "source": f.source,
        "page": f.page,
        "bbox": list(f.bbox) if f.bbox else None,
    }
    if f.checks:
        out["checks"] = list(f.checks)
    if f.raw is not None and f.raw != f.value:
        out["raw"] = f.raw
    out["state"] = f.state
    if f.state == FieldState.CORRECTED and f.extracted_value is not None:
        out["extracted_value"] = f.extracted_value
    return out


def document_entries(doc: Document) -> list[dict[str, Any]]:
    """The spec entries of one uploaded file (one per paper found in it)."""
    common = {
        "id": doc.id,
        "dossier_id": doc.dossier_id,
        "status": doc.status,
        "status_label_vi": STATUS_LABELS_VI.get(doc.status, doc.status),
        "failure_reason": doc.failure_reason,
        "filename": doc.filename,
        "media_type": doc.media_type,
        "sha256": doc.sha256,
        "size_bytes": doc.size_bytes,
        "page_count": doc.page_count,
        "created_at": _iso(doc.created_at),
        "processed_at": _iso(doc.processed_at),
        "links": {
            "self": f"{API}/documents/{doc.id}",
            "original": f"{API}/documents/{doc.id}/original",
            "pages": [f"{API}/documents/{doc.id}/pages/{p.number}/image" for p in doc.pages],
        },
    }
    source = doc.filename or doc.sha256
    parts: list[DocumentPart] = list(doc.parts)
    if not parts:
        entry: dict[str, Any] = {
            "source": source,
            "pages": [],
            "document_type": doc.document_type,
            "type_confidence": doc.type_confidence,
            "quality": doc.upload_quality or {"ok": True, "issues": [], "messages": []},
            "fields": {},
            "conflicts": [],
            "text": "",
            "part": 0,
        }
        return [{**entry, **common}]
    by_part: dict[int, list[FieldValue]] = {}
    for f in doc.fields:
        by_part.setdefault(f.part, []).append(f)
    entries = []
    for part in parts:
        fields = sorted(by_part.get(part.index, []), key=lambda f: f.position)
        entry = {
            "source": source,
            "pages": list(part.pages),
            "document_type": part.document_type,
            "type_confidence": round(float(part.type_confidence), 3),
            "quality": part.quality,
            "fields": {f.key: field_json(f) for f in fields},
            "conflicts": list(part.conflicts),
            "text": part.text,
            "part": part.index,
        }
        if part.extras:
            entry["extras"] = part.extras
        entries.append({**entry, **common})
    return entries


def document_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "dossier_id": doc.dossier_id,
        "status": doc.status,
        "failure_reason": doc.failure_reason,
        "documents": document_entries(doc),
    }


def dossier_summary(d: Dossier) -> dict[str, Any]:
    return {
        "id": d.id,
        "procedure_code": d.procedure_code,
        "office": d.office,
        "channel": d.channel,
        "status": d.status,
        "status_label_vi": STATUS_LABELS_VI.get(d.status, d.status),
        "status_reason": d.status_reason,
        "due_at": _iso(d.due_at),
        "external_ref": d.external_ref,
        "created_at": _iso(d.created_at),
        "updated_at": _iso(d.updated_at),
        "links": {
            "self": f"{API}/dossiers/{d.id}",
            "documents": f"{API}/dossiers/{d.id}/documents",
        },
    }


def dossier_json(d: Dossier) -> dict[str, Any]:
    out = dossier_summary(d)
    out["applicant"] = {"name": d.applicant_name, "id_number": d.applicant_id_number}
    task = d.review_task
    out["review_task"] = (
        {"status": task.status, "due_at": _iso(task.due_at), "claimed_by": task.claimed_by}
        if task
        else None
    )
    out["progress"] = progress(d)
    out["documents"] = [e for doc in d.documents for e in document_entries(doc)]
    return out


def progress(d: Dossier) -> dict[str, int]:
    """How far the dossier's files are: for a progress bar in the portal or the field app."""
    docs = list(d.documents)
    return {
        "documents": len(docs),
        "processed": sum(doc.status in Status.DONE_PROCESSING for doc in docs),
        "failed": sum(doc.status == Status.FAILED for doc in docs),
    }
