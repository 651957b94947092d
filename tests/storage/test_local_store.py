"""LocalObjectStore: the embedded default object store (directories on disk)."""

from __future__ import annotations

import hashlib
import os
import random
import stat
import threading
from pathlib import Path

import pytest

from storage.local import LocalObjectStore, iter_keys
from storage.objects import (
    ObjectNotFound,
    ObjectStoreError,
    ObjectStoreUnavailable,
    derived_key,
    original_key,
    store_from_url,
)


def _payload(size: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(size)


def _okey(data: bytes) -> str:
    return original_key(hashlib.sha256(data).hexdigest())


@pytest.fixture
def store(tmp_path: Path) -> LocalObjectStore:
    s = LocalObjectStore(tmp_path / "objects")
    s.ensure_buckets()
    return s


def _all_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_ensure_buckets_creates_bucket_directories_idempotently(tmp_path: Path) -> None:
    root = tmp_path / "deep" / "objects"
    s = LocalObjectStore(root, originals_bucket="orig", derived_bucket="der")
    s.ensure_buckets()
    s.ensure_buckets()
    assert (root / "orig").is_dir()
    assert (root / "der").is_dir()
    s.ping()


def test_round_trip_bytes_file_open_and_download(store: LocalObjectStore, tmp_path: Path) -> None:
    data = _payload(3 * 1024 * 1024 + 17)
    src = tmp_path / "upload.bin"
    src.write_bytes(data)
    key = _okey(data)

    store.put_file(store.originals_bucket, key, src, content_type="image/jpeg")
    store.put_bytes(
        store.derived_bucket,
        derived_key("doc-1", "ocr/words.json"),
        b"{}",
        content_type="application/json",
    )

    assert store.exists(store.originals_bucket, key)
    assert store.get_bytes(store.originals_bucket, key) == data
    with store.open(store.originals_bucket, key) as f:
        assert f.read(10) == data[:10]
    dest = tmp_path / "out" / "copy.bin"
    dest.parent.mkdir()
    store.download(store.originals_bucket, key, dest)
    assert dest.read_bytes() == data
    assert store.get_bytes(store.derived_bucket, "documents/doc-1/ocr/words.json") == b"{}"
    assert list(iter_keys(store, store.derived_bucket)) == ["documents/doc-1/ocr/words.json"]
    # No temporary file is left anywhere in the store or next to the download.
    assert not [p for p in _all_files(store.root) if "/." in "/" + p]
    assert sorted(p.name for p in dest.parent.iterdir()) == ["copy.bin"]


def test_missing_object_raises_object_not_found(store: LocalObjectStore, tmp_path: Path) -> None:
    key = derived_key("doc-x", "pages/1.png")
    assert not store.exists(store.derived_bucket, key)
    with pytest.raises(ObjectNotFound):
        store.get_bytes(store.derived_bucket, key)
    with pytest.raises(ObjectNotFound):
        store.open(store.derived_bucket, key)
    dest = tmp_path / "never.bin"
    with pytest.raises(ObjectNotFound):
        store.download(store.derived_bucket, key, dest)
    assert not dest.exists()


def test_putting_same_original_again_is_a_noop(store: LocalObjectStore) -> None:
    """GIVEN an original already stored WHEN it is put again with identical bytes
    THEN nothing is rewritten (same inode and mtime)."""
    data = _payload(50_000)
    key = _okey(data)
    store.put_bytes(store.originals_bucket, key, data, content_type="image/png")
    path = store.root / store.originals_bucket / key
    before = path.stat()
    store.put_bytes(store.originals_bucket, key, data, content_type="image/png")
    after = path.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)
    assert store.get_bytes(store.originals_bucket, key) == data


def test_original_is_never_overwritten_with_different_content(store: LocalObjectStore) -> None:
    data = _payload(1000)
    key = _okey(data)
    store.put_bytes(store.originals_bucket, key, data, content_type="image/png")
    with pytest.raises(ObjectStoreError, match="refusing to overwrite"):
        store.put_bytes(store.originals_bucket, key, b"something else", content_type="image/png")
    assert store.get_bytes(store.originals_bucket, key) == data


def test_derived_objects_can_be_replaced(store: LocalObjectStore) -> None:
    key = derived_key("doc-2", "extraction.json")
    store.put_bytes(store.derived_bucket, key, b"v1", content_type="application/json")
    store.put_bytes(store.derived_bucket, key, b"v2", content_type="application/json")
    assert store.get_bytes(store.derived_bucket, key) == b"v2"
    store.delete(store.derived_bucket, key)
    assert not store.exists(store.derived_bucket, key)
    store.delete(store.derived_bucket, key)  # deleting a missing object is not an error


def test_concurrent_puts_of_one_original_store_it_once(store: LocalObjectStore) -> None:
    data = _payload(2 * 1024 * 1024, seed=3)
    key = _okey(data)
    errors: list[BaseException] = []

    def put() -> None:
        try:
            store.put_bytes(store.originals_bucket, key, data, content_type="image/jpeg")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=put) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert _all_files(store.root / store.originals_bucket) == [key]
    assert store.get_bytes(store.originals_bucket, key) == data


@pytest.mark.parametrize(
    "key",
    [
        "",
        "../outside",
        "a/../../outside",
        "/etc/passwd",
        "a//b",
        "a/./b",
        ".tmp-123",
        "a/.hidden",
        "a\\b",
        "a/b\x00c",
        "documents/x/\n",
    ],
)
def test_unsafe_keys_are_rejected(store: LocalObjectStore, key: str) -> None:
    with pytest.raises(ValueError):
        store.put_bytes(store.derived_bucket, key, b"x", content_type="text/plain")
    with pytest.raises(ValueError):
        store.get_bytes(store.derived_bucket, key)
    assert _all_files(store.root.parent) == []


def test_key_through_a_symlink_cannot_escape_the_bucket(
    store: LocalObjectStore, tmp_path: Path
) -> None:
    """GIVEN a symlink planted inside a bucket pointing outside it
    WHEN a key goes through it THEN the store refuses, and nothing is written outside."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (store.root / store.derived_bucket / "documents").symlink_to(outside)
    with pytest.raises(ValueError, match="escapes"):
        store.put_bytes(store.derived_bucket, "documents/x", b"x", content_type="text/plain")
    assert list(outside.iterdir()) == []


def test_bucket_names_are_validated(store: LocalObjectStore) -> None:
    with pytest.raises(ValueError):
        store.get_bytes("../objects", "a")
    with pytest.raises(ValueError):
        LocalObjectStore(store.root, originals_bucket="Bad_Name")
    with pytest.raises(ObjectStoreError, match="missing"):
        store.get_bytes("not-created", "a")


def test_failed_write_leaves_nothing_behind(
    store: LocalObjectStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN the disk fails while the object is being made durable (fsync raises)
    WHEN an original is put THEN the put fails, the key does not exist and no
    temporary file is left in the bucket."""
    data = _payload(10_000)
    key = _okey(data)

    real_fsync = os.fsync
    failed: list[int] = []

    def failing_fsync(fd: int) -> None:
        if stat.S_ISREG(os.fstat(fd).st_mode):  # the data file, after it was fully written
            failed.append(os.fstat(fd).st_size)
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(ObjectStoreError, match="cannot write"):
        store.put_bytes(store.originals_bucket, key, data, content_type="image/png")
    monkeypatch.undo()
    assert failed == [len(data)]
    assert not store.exists(store.originals_bucket, key)
    assert _all_files(store.root / store.originals_bucket) == []


def test_put_fsyncs_file_and_directory(
    store: LocalObjectStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The object's data and its directory entry are both flushed to disk before put returns."""
    synced: list[str] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(str(Path(f"/proc/self/fd/{fd}").readlink()))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    key = derived_key("doc-3", "pages/1.png")
    store.put_bytes(store.derived_bucket, key, b"png", content_type="image/png")
    target_dir = str(store.root / store.derived_bucket / "documents" / "doc-3" / "pages")
    assert any(Path(p).name.startswith(".tmp-") for p in synced), synced
    assert target_dir in synced
    assert synced.index(target_dir) > max(
        i for i, p in enumerate(synced) if Path(p).name.startswith(".tmp-")
    )


def test_ping_reports_missing_root_and_missing_buckets(tmp_path: Path) -> None:
    s = LocalObjectStore(tmp_path / "nope")
    with pytest.raises(ObjectStoreUnavailable, match="does not exist"):
        s.ping()
    (tmp_path / "nope").mkdir()
    with pytest.raises(ObjectStoreUnavailable, match="missing"):
        s.ping()
    s.ensure_buckets()
    s.ping()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to read-only directories")
def test_ping_reports_unwritable_root(tmp_path: Path) -> None:
    s = LocalObjectStore(tmp_path / "objects")
    s.ensure_buckets()
    (tmp_path / "objects").chmod(0o500)
    try:
        with pytest.raises(ObjectStoreUnavailable, match="not writable"):
            s.ping()
    finally:
        (tmp_path / "objects").chmod(0o700)


def test_ensure_buckets_fails_clearly_when_root_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    s = LocalObjectStore(blocker / "objects")
    with pytest.raises(ObjectStoreUnavailable, match="cannot create"):
        s.ensure_buckets()


def test_store_from_url_file_schemes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    rel = store_from_url("file:var/objects")
    assert isinstance(rel, LocalObjectStore)
    assert rel.root == tmp_path / "var" / "objects"
    assert (rel.originals_bucket, rel.derived_bucket) == ("motcua-originals", "motcua-derived")

    absolute = store_from_url(
        f"file://{tmp_path}/abs", originals_bucket="o-bucket", derived_bucket="d-bucket"
    )
    assert isinstance(absolute, LocalObjectStore)
    assert absolute.root == tmp_path / "abs"
    assert (absolute.originals_bucket, absolute.derived_bucket) == ("o-bucket", "d-bucket")
    absolute.ensure_buckets()
    absolute.put_bytes("d-bucket", "k", b"v", content_type="text/plain")
    assert (tmp_path / "abs" / "d-bucket" / "k").read_bytes() == b"v"


@pytest.mark.parametrize("url", ["file://otherhost/x", "file:", "ftp://x/y", "objects"])
def test_store_from_url_rejects_bad_urls(url: str) -> None:
    with pytest.raises(ValueError):
        store_from_url(url)
