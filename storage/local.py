"""The embedded object store: one directory per bucket under a root directory.

Writes are atomic and durable: the data goes to a temporary file in the target
directory, is flushed and fsync'ed, then moved into place and the directory is
fsync'ed, so a reader (or a crash) never sees a half-written object.

Originals are immutable: an original key is the SHA-256 of its content, so
putting an existing original again is a no-op when the bytes are identical and
an error otherwise (the existing object is never replaced).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from storage.objects import ObjectNotFound, ObjectStoreError, ObjectStoreUnavailable

log = logging.getLogger(__name__)

_CHUNK = 1024 * 1024
_TMP_PREFIX = ".tmp-"


class LocalObjectStore:
    """An :class:`~storage.objects.ObjectStore` backed by directories on a local disk."""

    def __init__(
        self,
        root: Path | str,
        *,
        originals_bucket: str = "motcua-originals",
        derived_bucket: str = "motcua-derived",
    ) -> None:
        self.root = Path(root).absolute()
        _check_bucket_name(originals_bucket)
        _check_bucket_name(derived_bucket)
        if originals_bucket == derived_bucket:
            raise ValueError("the originals and derived buckets must differ")
        self.originals_bucket = originals_bucket
        self.derived_bucket = derived_bucket

    def __repr__(self) -> str:
        return f"LocalObjectStore(root={str(self.root)!r})"

    # -- lifecycle ---------------------------------------------------------------------------

    def ensure_buckets(self) -> None:
        try:
            for bucket in (self.originals_bucket, self.derived_bucket):
                _makedirs_durable(self.root / bucket)
        except OSError as exc:
            raise ObjectStoreUnavailable(
                f"cannot create the object-store buckets under {self.root}: {exc.strerror or exc}"
            ) from exc

    def ping(self) -> None:
        if not self.root.is_dir():
            raise ObjectStoreUnavailable(f"object-store root {self.root} does not exist")
        try:
            fd, probe = tempfile.mkstemp(prefix=_TMP_PREFIX + "ping-", dir=self.root)
            os.close(fd)
            Path(probe).unlink()
        except OSError as exc:
            raise ObjectStoreUnavailable(
                f"object-store root {self.root} is not writable: {exc.strerror or exc}"
            ) from exc
        for bucket in (self.originals_bucket, self.derived_bucket):
            if not (self.root / bucket).is_dir():
                raise ObjectStoreUnavailable(
                    f"bucket {bucket!r} is missing under {self.root} (ensure_buckets not run?)"
                )

    # -- writes ------------------------------------------------------------------------------

    def put_file(self, bucket: str, key: str, path: Path, *, content_type: str) -> None:
        with Path(path).open("rb") as src:
            self._put_stream(bucket, key, src)

    def put_bytes(self, bucket: str, key: str, data: bytes, *, content_type: str) -> None:
        self._put_stream(bucket, key, _BytesReader(data))

    def delete(self, bucket: str, key: str) -> None:
        target = self._path(bucket, key)
        try:
            target.unlink()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise ObjectStoreError(f"cannot delete {bucket}/{key}: {exc.strerror or exc}") from exc
        _fsync_dir(target.parent)

    # -- reads -------------------------------------------------------------------------------

    def exists(self, bucket: str, key: str) -> bool:
        return self._path(bucket, key).is_file()

    def get_bytes(self, bucket: str, key: str) -> bytes:
        with self.open(bucket, key) as f:
            return f.read()

    def open(self, bucket: str, key: str) -> BinaryIO:
        target = self._path(bucket, key)
        try:
            return target.open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
            raise ObjectNotFound(f"{bucket}/{key}") from exc
        except OSError as exc:
            raise ObjectStoreError(f"cannot read {bucket}/{key}: {exc.strerror or exc}") from exc

    def download(self, bucket: str, key: str, dest: Path) -> None:
        dest = Path(dest)
        with self.open(bucket, key) as src:
            _write_atomically(dest.parent, dest.name, src)

    # -- internals ---------------------------------------------------------------------------

    def _bucket_dir(self, bucket: str) -> Path:
        _check_bucket_name(bucket)
        bucket_dir = self.root / bucket
        if not bucket_dir.is_dir():
            raise ObjectStoreError(
                f"bucket {bucket!r} is missing under {self.root} (ensure_buckets not run?)"
            )
        return bucket_dir

    def _path(self, bucket: str, key: str) -> Path:
        check_key(key)
        bucket_dir = self._bucket_dir(bucket)
        target = bucket_dir.joinpath(*key.split("/"))
        # Defence in depth against symlinks planted inside the bucket.
        resolved_bucket = bucket_dir.resolve()
        if not target.resolve().is_relative_to(resolved_bucket):
            raise ValueError(f"object key escapes its bucket: {key!r}")
        return target

    def _put_stream(self, bucket: str, key: str, src: BinaryIO | _BytesReader) -> None:
        target = self._path(bucket, key)
        immutable = bucket == self.originals_bucket
        if immutable and target.is_file():
            self._check_identical(bucket, key, target, src)
            return
        try:
            _makedirs_durable(target.parent)
            created = _write_atomically(target.parent, target.name, src, no_replace=immutable)
        except OSError as exc:
            raise ObjectStoreError(
                f"cannot write {bucket}/{key} under {self.root}: {exc.strerror or exc}"
            ) from exc
        if not created:  # a concurrent writer stored the same original first
            src.seek(0)
            self._check_identical(bucket, key, target, src)

    def _check_identical(
        self, bucket: str, key: str, target: Path, src: BinaryIO | _BytesReader
    ) -> None:
        with target.open("rb") as existing:
            if not _same_content(existing, src):
                raise ObjectStoreError(
                    f"refusing to overwrite original {bucket}/{key} with different content"
                )
        log.debug("original %s/%s already stored; put is a no-op", bucket, key)


def check_key(key: str) -> None:
    """Raise ValueError unless ``key`` is a safe relative object key.

    Keys are '/'-separated, relative, without empty, '.' or '..' segments, without
    backslashes or control characters, and no segment starts with '.' (temporary
    files of this store start with '.tmp-').
    """
    if not isinstance(key, str) or not key:
        raise ValueError("object key must be a non-empty string")
    if key.startswith("/") or "\\" in key or any(ord(c) < 32 or ord(c) == 127 for c in key):
        raise ValueError(f"invalid object key {key!r}")
    for segment in key.split("/"):
        if not segment or segment in (".", "..") or segment.startswith("."):
            raise ValueError(f"invalid object key {key!r}")
    if len(key.encode()) > 1024:
        raise ValueError("object key longer than 1024 bytes")


def _check_bucket_name(bucket: str) -> None:
    ok = (
        3 <= len(bucket) <= 63
        and all(c.islower() or c.isdigit() or c in ".-" for c in bucket)
        and bucket.isascii()
        and bucket[0].isalnum()
        and bucket[-1].isalnum()
        and ".." not in bucket
    )
    if not ok:
        raise ValueError(f"invalid bucket name {bucket!r}")


class _BytesReader:
    """Minimal readable/seekable view of a bytes object (avoids copying it into BytesIO)."""

    def __init__(self, data: bytes) -> None:
        self._view = memoryview(data)
        self._pos = 0

    def read(self, n: int = -1) -> bytes:
        end = len(self._view) if n < 0 else min(len(self._view), self._pos + n)
        chunk = bytes(self._view[self._pos : end])
        self._pos = end
        return chunk

    def seek(self, pos: int) -> int:
        self._pos = pos
        return pos


def _same_content(a: BinaryIO, b: BinaryIO | _BytesReader) -> bool:
    while True:
        ca, cb = a.read(_CHUNK), b.read(_CHUNK)
        if ca != cb:
            return False
        if not ca:
            return True


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _makedirs_durable(directory: Path) -> None:
    """mkdir -p, fsync'ing each parent whose entries changed so the path survives a crash."""
    missing: list[Path] = []
    current = directory
    while not current.is_dir():
        missing.append(current)
        current = current.parent
    for d in reversed(missing):
        with contextlib.suppress(FileExistsError):
            d.mkdir()
        _fsync_dir(d.parent)


def _write_atomically(
    directory: Path, name: str, src: BinaryIO | _BytesReader, *, no_replace: bool = False
) -> bool:
    """Copy ``src`` to ``directory/name`` via a fsync'ed temporary file.

    With ``no_replace`` an existing target is left alone and False is returned.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=directory)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(src, out, _CHUNK)  # type: ignore[misc]
            out.flush()
            os.fsync(out.fileno())
        tmp.chmod(0o644)
        created = _link_or_replace(tmp, directory / name, no_replace=no_replace)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _fsync_dir(directory)
    return created


def _link_or_replace(tmp: Path, target: Path, *, no_replace: bool) -> bool:
    if not no_replace:
        tmp.replace(target)
        return True
    try:
        os.link(tmp, target)  # atomic "create if absent"
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
    # Filesystem without hard links: fall back to a replace (contents are identical
    # whenever two writers race on a content-addressed key).
    if target.exists():
        return False
    tmp.replace(target)
    return True


def iter_keys(store: LocalObjectStore, bucket: str) -> Iterator[str]:
    """All keys in a bucket (for maintenance tools and tests), temporary files excluded."""
    bucket_dir = store._bucket_dir(bucket)
    for path in sorted(bucket_dir.rglob("*")):
        rel = path.relative_to(bucket_dir)
        if path.is_file() and not any(p.startswith(".") for p in rel.parts):
            yield rel.as_posix()
