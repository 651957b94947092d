"""The database schema (SQLAlchemy 2, typed). PostgreSQL in production, SQLite embedded.

Ids are UUID strings; timestamps are timezone-aware UTC. Statuses are plain strings
checked by :mod:`storage.db.status` (the one place that knows the allowed transitions).
Every schema change goes through an Alembic migration in ``storage/db/migrations``.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way in and out (SQLite stores naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSONType,
        list[Any]: JSONType,
    }


class Role:
    PORTAL = "portal"
    CLERK = "clerk"
    FIELD_AGENT = "field_agent"
    ADMIN = "admin"
    ALL = (PORTAL, CLERK, FIELD_AGENT, ADMIN)


class Channel:
    COUNTER = "counter"
    HOME = "home"
    PORTAL = "portal"
    ALL = (COUNTER, HOME, PORTAL)


class FieldState:
    EXTRACTED = "extracted"
    CORRECTED = "corrected"
    CONFIRMED = "confirmed"
    ALL = (EXTRACTED, CORRECTED, CONFIRMED)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    """Only the hash is stored; the token itself is shown once, at creation."""
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    office: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)


class Dossier(Base):
    """A citizen's application: one procedure, several documents."""

    __tablename__ = "dossiers"
    __table_args__ = (Index("ix_dossiers_office_status", "office", "status"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    procedure_code: Mapped[str] = mapped_column(String(100))
    office: Mapped[str] = mapped_column(String(100))
    channel: Mapped[str] = mapped_column(String(20))
    applicant_name: Mapped[str | None] = mapped_column(String(300))
    applicant_id_number: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    created_by: Mapped[str | None] = mapped_column(
        ForeignKey("api_tokens.id", ondelete="SET NULL"), index=True
    )
    external_ref: Mapped[str | None] = mapped_column(String(200))
    """The portal's own reference for the application, if any."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    documents: Mapped[list[Document]] = relationship(
        back_populates="dossier", order_by="Document.created_at", cascade="all, delete-orphan"
    )
    review_task: Mapped[ReviewTask | None] = relationship(
        back_populates="dossier", cascade="all, delete-orphan"
    )


class Document(Base):
    """One uploaded file. Its extraction may hold several papers (see :class:`DocumentPart`)."""

    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("dossier_id", "sha256", name="uq_documents_dossier_sha256"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dossier_id: Mapped[str] = mapped_column(ForeignKey("dossiers.id", ondelete="CASCADE"))
    original_key: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str | None] = mapped_column(String(300))
    """As sent by the client, for display only (never used in object keys)."""
    page_count: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)
    failure_reason: Mapped[str | None] = mapped_column(Text)
    document_type: Mapped[str | None] = mapped_column(String(50))
    """Type of the first paper found (see ``parts`` for files holding several)."""
    type_confidence: Mapped[float | None] = mapped_column(Float)
    upload_quality: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    """The fast quality check done at upload, for the person who took the photo."""
    result_key: Mapped[str | None] = mapped_column(String(200))
    """Derived object holding the extraction JSON."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claim_token: Mapped[str | None] = mapped_column(String(36))
    lease_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    enqueued_at: Mapped[datetime | None] = mapped_column(default=None)
    uploaded_by: Mapped[str | None] = mapped_column(
        ForeignKey("api_tokens.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(default=None)

    dossier: Mapped[Dossier] = relationship(back_populates="documents")
    parts: Mapped[list[DocumentPart]] = relationship(
        back_populates="document", order_by="DocumentPart.index", cascade="all, delete-orphan"
    )
    pages: Mapped[list[Page]] = relationship(
        back_populates="document", order_by="Page.number", cascade="all, delete-orphan"
    )
    fields: Mapped[list[FieldValue]] = relationship(
        back_populates="document",
        order_by="[FieldValue.part, FieldValue.position]",
        cascade="all, delete-orphan",
    )


class DocumentPart(Base):
    """One paper found in an uploaded file (a dossier PDF holds several)."""

    __tablename__ = "document_parts"
    __table_args__ = (UniqueConstraint("document_id", "index", name="uq_document_parts_doc_index"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    index: Mapped[int] = mapped_column(Integer)
    pages: Mapped[list[Any]] = mapped_column(default=list)
    document_type: Mapped[str] = mapped_column(String(50))
    type_confidence: Mapped[float] = mapped_column(Float)
    quality: Mapped[dict[str, Any]] = mapped_column(default=dict)
    conflicts: Mapped[list[Any]] = mapped_column(default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    extras: Mapped[dict[str, Any]] = mapped_column(default=dict)

    document: Mapped[Document] = relationship(back_populates="parts")


class Page(Base):
    __tablename__ = "pages"
    __table_args__ = (UniqueConstraint("document_id", "number", name="uq_pages_doc_number"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    image_key: Mapped[str] = mapped_column(String(200))
    image_media_type: Mapped[str] = mapped_column(String(50), default="image/jpeg")
    words_key: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20), default="ocr")
    """``ocr`` or ``text_layer``."""
    quality: Mapped[dict[str, Any] | None] = mapped_column(default=None)

    document: Mapped[Document] = relationship(back_populates="pages")


class FieldValue(Base):
    """One field read from a paper; the clerk corrects or confirms it."""

    __tablename__ = "fields"
    __table_args__ = (
        UniqueConstraint("document_id", "part", "key", name="uq_fields_doc_part_key"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    part: Mapped[int] = mapped_column(Integer, default=0)
    """Index of the :class:`DocumentPart` the field belongs to."""
    position: Mapped[int] = mapped_column(Integer, default=0)
    """Order of the field as the extractor gave it."""
    key: Mapped[str] = mapped_column(String(100))
    value: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(20))
    page: Mapped[int | None] = mapped_column(Integer)
    bbox: Mapped[list[Any] | None] = mapped_column(default=None)
    checks: Mapped[list[Any]] = mapped_column(default=list)
    raw: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default=FieldState.EXTRACTED)
    extracted_value: Mapped[str | None] = mapped_column(Text)
    """The machine's reading, kept when a clerk corrects ``value``."""
    updated_by: Mapped[str | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    document: Mapped[Document] = relationship(back_populates="fields")


class ReviewTask(Base):
    """A dossier waiting for a clerk. One per dossier; claimed with a lease."""

    __tablename__ = "review_tasks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    dossier_id: Mapped[str] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), unique=True
    )
    office: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    """``open``, ``claimed``, ``done``."""
    claimed_by: Mapped[str | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"))
    lease_expires_at: Mapped[datetime | None] = mapped_column(default=None)
    due_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    dossier: Mapped[Dossier] = relationship(back_populates="review_task")


class AuditEvent(Base):
    """Who did what, when. Values may hold personal data: never log them elsewhere."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_dossier_at", "dossier_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"))
    """None for the system (worker, sweeper)."""
    action: Mapped[str] = mapped_column(String(50))
    dossier_id: Mapped[str | None] = mapped_column(String(36))
    document_id: Mapped[str | None] = mapped_column(String(36), index=True)
    field_key: Mapped[str | None] = mapped_column(String(100))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)


class IdempotencyKey(Base):
    """The first response to a request carrying an ``Idempotency-Key`` header."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("token_id", "key", name="uq_idempotency_keys_token_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_id: Mapped[str] = mapped_column(ForeignKey("api_tokens.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the request (target, file hashes): the same key with other files is refused."""
    status_code: Mapped[int] = mapped_column(Integer)
    response: Mapped[dict[str, Any]] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
