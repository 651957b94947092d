"""The object-store interface, object keys, and the factory that picks an adapter.

Originals are stored once, content-addressed by SHA-256, and never modified.
Derived artefacts (page images, OCR words, extraction JSON) live under the
document's id. Keys come from ids and hashes only, never from a user's filename.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Protocol


class ObjectStoreError(Exception):
    """Root of object-store errors."""


class ObjectStoreUnavailable(ObjectStoreError):
    """The store cannot be reached (server down, credentials refused...)."""


class ObjectNotFound(ObjectStoreError):
    pass


class ObjectStore(Protocol):
    originals_bucket: str
    derived_bucket: str

    def ensure_buckets(self) -> None:
        """Create both buckets if missing (called at start-up)."""

    def ping(self) -> None:
        """Raise ObjectStoreUnavailable unless the store answers (for /readyz)."""

    def put_file(self, bucket: str, key: str, path: Path, *, content_type: str) -> None:
        """Store a file; the object becomes visible only once complete and durable."""

    def put_bytes(self, bucket: str, key: str, data: bytes, *, content_type: str) -> None: ...

    def exists(self, bucket: str, key: str) -> bool: ...

    def get_bytes(self, bucket: str, key: str) -> bytes: ...

    def download(self, bucket: str, key: str, dest: Path) -> None:
        """Stream an object to a local file (no whole-object buffering)."""

    def open(self, bucket: str, key: str) -> BinaryIO:
        """A readable stream of the object (the caller closes it)."""

    def delete(self, bucket: str, key: str) -> None: ...


def original_key(sha256: str) -> str:
    """Content address of an original upload."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError("not a lowercase hex SHA-256")
    return f"sha256/{sha256[:2]}/{sha256}"


def derived_key(document_id: str, name: str) -> str:
    """Key of a derived artefact, e.g. ``derived_key(doc.id, "pages/1.png")``."""
    if ".." in name.split("/") or name.startswith("/"):
        raise ValueError("derived artefact names are relative, without '..'")
    return f"documents/{document_id}/{name}"
