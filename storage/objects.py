"""The object-store interface, object keys, and the factory that picks an adapter.

Originals are stored once, content-addressed by SHA-256, and never modified.
Derived artefacts (page images, OCR words, extraction JSON) live under the
document's id. Keys come from ids and hashes only, never from a user's filename.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import parse_qs, unquote, urlsplit


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


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def store_from_url(
    url: str,
    *,
    originals_bucket: str = "motcua-originals",
    derived_bucket: str = "motcua-derived",
) -> ObjectStore:
    """Build the object store an URL names (adapters are imported only when chosen).

    - ``file:var/objects`` (relative to the working directory) or ``file:///srv/motcua/objects``:
      the embedded :class:`storage.local.LocalObjectStore`;
    - ``s3://ACCESS:SECRET@host:9000?secure=false&region=us-east-1`` (alias ``minio://``):
      :class:`storage.minio_store.MinioObjectStore`. ``secure`` defaults to true, ``region``
      to ``us-east-1``; credentials may be percent-encoded.

    Raises ValueError for a malformed URL; the message never contains the secret.
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "file":
        if parts.netloc not in ("", "localhost") or parts.query:
            raise ValueError(f"file object-store URL must be file:PATH or file:///PATH: {url!r}")
        path = unquote(parts.path)
        if not path:
            raise ValueError("file object-store URL has no path")
        from storage.local import LocalObjectStore

        return LocalObjectStore(
            Path(path), originals_bucket=originals_bucket, derived_bucket=derived_bucket
        )

    if scheme in ("s3", "minio"):
        shown = redacted_url(url)
        if not parts.hostname:
            raise ValueError(f"object-store URL has no host: {shown}")
        if parts.path not in ("", "/"):
            raise ValueError(
                f"object-store URL must not have a path (buckets are set apart): {shown}"
            )
        try:
            port = parts.port
        except ValueError as exc:
            raise ValueError(f"object-store URL has an invalid port: {shown}") from exc
        if (parts.username is None) != (parts.password is None):
            raise ValueError(f"object-store URL needs both access key and secret key: {shown}")
        query = parse_qs(parts.query, keep_blank_values=True, strict_parsing=False)
        unknown = set(query) - {"secure", "region"}
        if unknown:
            raise ValueError(f"unknown object-store URL parameter(s) {sorted(unknown)}: {shown}")
        secure_text = query.get("secure", ["true"])[-1].lower()
        if secure_text not in _TRUE | _FALSE:
            raise ValueError(f"secure= must be true or false: {shown}")
        region = query.get("region", ["us-east-1"])[-1] or None
        host = parts.hostname
        if ":" in host:  # IPv6 literal
            host = f"[{host}]"
        endpoint = host if port is None else f"{host}:{port}"

        from storage.minio_store import MinioObjectStore

        return MinioObjectStore(
            endpoint,
            access_key=unquote(parts.username) if parts.username is not None else None,
            secret_key=unquote(parts.password) if parts.password is not None else None,
            secure=secure_text in _TRUE,
            region=region,
            originals_bucket=originals_bucket,
            derived_bucket=derived_bucket,
        )

    raise ValueError(
        f"unsupported object-store URL scheme {parts.scheme!r} (use file:PATH or s3://...): "
        f"{redacted_url(url)}"
    )


def redacted_url(url: str) -> str:
    """The URL with any password replaced by ``***``, safe for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:***@{netloc}").geturl()
