"""MinioObjectStore over real HTTP against an S3 server (moto) on loopback."""

from __future__ import annotations

import hashlib
import http.server
import multiprocessing
import multiprocessing.queues
import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from storage.minio_store import MinioObjectStore
from storage.objects import (
    ObjectNotFound,
    ObjectStoreError,
    ObjectStoreUnavailable,
    derived_key,
    original_key,
    redacted_url,
    store_from_url,
)


def _payload(size: int, seed: int = 11) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.fixture
def s3(moto_s3_url: str) -> MinioObjectStore:
    store = store_from_url(moto_s3_url)
    assert isinstance(store, MinioObjectStore)
    store.ensure_buckets()
    return store


def test_ensure_buckets_creates_both_buckets_idempotently(moto_s3_url: str) -> None:
    store = store_from_url(moto_s3_url, originals_bucket="orig-b", derived_bucket="der-b")
    assert isinstance(store, MinioObjectStore)
    with pytest.raises(ObjectStoreUnavailable, match="'orig-b' does not exist"):
        store.ping()
    store.ensure_buckets()
    store.ensure_buckets()
    store.ping()
    assert store._client.bucket_exists("orig-b")
    assert store._client.bucket_exists("der-b")


def test_multi_megabyte_round_trip(s3: MinioObjectStore, tmp_path: Path) -> None:
    """A 12 MiB original goes up as a multipart upload and comes back byte for byte
    through get_bytes, open and download."""
    data = _payload(12 * 1024 * 1024)
    src = tmp_path / "scan.tiff"
    src.write_bytes(data)
    key = original_key(hashlib.sha256(data).hexdigest())

    assert not s3.exists(s3.originals_bucket, key)
    s3.put_file(s3.originals_bucket, key, src, content_type="image/tiff")
    assert s3.exists(s3.originals_bucket, key)

    stat = s3._client.stat_object(s3.originals_bucket, key)
    assert stat.size == len(data)
    assert stat.content_type == "image/tiff"
    assert "-" in (stat.etag or "")  # multipart ETag: "<md5>-<parts>"

    assert s3.get_bytes(s3.originals_bucket, key) == data
    with s3.open(s3.originals_bucket, key) as stream:
        assert stream.read(4096) == data[:4096]
    dest = tmp_path / "out" / "copy.tiff"
    dest.parent.mkdir()
    s3.download(s3.originals_bucket, key, dest)
    assert dest.read_bytes() == data
    assert [p.name for p in dest.parent.iterdir()] == ["copy.tiff"]


def test_put_bytes_get_delete_derived(s3: MinioObjectStore) -> None:
    key = derived_key("doc-1", "extraction.json")
    s3.put_bytes(s3.derived_bucket, key, b'{"v": 1}', content_type="application/json")
    s3.put_bytes(s3.derived_bucket, key, b'{"v": 2}', content_type="application/json")
    assert s3.get_bytes(s3.derived_bucket, key) == b'{"v": 2}'
    s3.delete(s3.derived_bucket, key)
    assert not s3.exists(s3.derived_bucket, key)


def test_unknown_content_type_is_stored_as_octet_stream(s3: MinioObjectStore) -> None:
    key = derived_key("doc-1", "blob")
    s3.put_bytes(s3.derived_bucket, key, b"\x00\x01", content_type="")
    stat = s3._client.stat_object(s3.derived_bucket, key)
    assert stat.content_type == "application/octet-stream"


def test_missing_key_raises_object_not_found(s3: MinioObjectStore, tmp_path: Path) -> None:
    key = derived_key("doc-missing", "pages/1.png")
    with pytest.raises(ObjectNotFound, match="doc-missing"):
        s3.get_bytes(s3.derived_bucket, key)
    with pytest.raises(ObjectNotFound):
        s3.open(s3.derived_bucket, key)
    dest = tmp_path / "never.png"
    with pytest.raises(ObjectNotFound):
        s3.download(s3.derived_bucket, key, dest)
    assert list(tmp_path.iterdir()) == []


def test_missing_bucket_is_a_clear_configuration_error(s3: MinioObjectStore) -> None:
    with pytest.raises(ObjectStoreError, match="bucket 'not-there' does not exist") as info:
        s3.get_bytes("not-there", "a/b")
    assert not isinstance(info.value, ObjectNotFound)


def test_original_is_not_rewritten(s3: MinioObjectStore) -> None:
    """GIVEN an original already stored WHEN it is put again THEN no second upload
    happens (same last-modified), and different content under its key is refused."""
    data = _payload(100_000, seed=2)
    key = original_key(hashlib.sha256(data).hexdigest())
    s3.put_bytes(s3.originals_bucket, key, data, content_type="image/png")
    first = s3._client.stat_object(s3.originals_bucket, key)
    time.sleep(1.1)  # S3 last-modified has one-second resolution
    s3.put_bytes(s3.originals_bucket, key, data, content_type="image/png")
    again = s3._client.stat_object(s3.originals_bucket, key)
    assert again.last_modified == first.last_modified
    with pytest.raises(ObjectStoreError, match="refusing to overwrite"):
        s3.put_bytes(s3.originals_bucket, key, b"tampered", content_type="image/png")
    assert s3.get_bytes(s3.originals_bucket, key) == data


def test_unsafe_keys_are_rejected_before_any_request(s3: MinioObjectStore) -> None:
    for key in ("../x", "/abs", "a//b", ""):
        with pytest.raises(ValueError):
            s3.put_bytes(s3.derived_bucket, key, b"x", content_type="text/plain")


def test_store_that_is_down_fails_fast_and_clearly(down_s3_url: str, tmp_path: Path) -> None:
    """GIVEN nothing listens on the endpoint WHEN any operation runs
    THEN ObjectStoreUnavailable names the endpoint (not the secret) within seconds."""
    store = store_from_url(down_s3_url)
    assert isinstance(store, MinioObjectStore)
    secret = urlsplit(down_s3_url).password
    assert secret
    src = tmp_path / "a.bin"
    src.write_bytes(b"x" * 1000)
    operations = {
        "ping": store.ping,
        "ensure_buckets": store.ensure_buckets,
        "put_file": lambda: store.put_file(
            store.originals_bucket, "sha256/aa/x", src, content_type="image/png"
        ),
        "get_bytes": lambda: store.get_bytes(store.derived_bucket, "documents/d/x"),
        "exists": lambda: store.exists(store.derived_bucket, "documents/d/x"),
    }
    for name, op in operations.items():
        started = time.monotonic()
        with pytest.raises(ObjectStoreUnavailable) as info:
            op()
        elapsed = time.monotonic() - started
        message = str(info.value)
        assert elapsed < 5, f"{name} took {elapsed:.1f}s"
        assert f"http://{store.endpoint}" in message
        assert "connection refused" in message
        assert secret not in message


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server that accepts connections and never answers (a hung store)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
                accepted.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


def test_hung_store_times_out_instead_of_hanging(silent_server: int) -> None:
    """GIVEN a server that accepts the connection but never replies
    WHEN the store is pinged with a 0.5 s read timeout and 2 retries
    THEN it gives up after about three timeouts with ObjectStoreUnavailable."""
    store = MinioObjectStore(
        f"127.0.0.1:{silent_server}",
        access_key="a",
        secret_key="b",
        secure=False,
        read_timeout=0.5,
    )
    started = time.monotonic()
    with pytest.raises(ObjectStoreUnavailable, match="timed out"):
        store.ping()
    elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 6, elapsed


def test_store_from_url_s3_and_minio_alias() -> None:
    store = store_from_url(
        "s3://AK:p%40ss%2Fword@minio.internal:9000?secure=false&region=eu-west-1"
    )
    assert isinstance(store, MinioObjectStore)
    assert (store.endpoint, store.secure) == ("minio.internal:9000", False)
    assert store._client._provider is not None
    creds = store._client._provider.retrieve()
    assert (creds.access_key, creds.secret_key) == ("AK", "p@ss/word")
    assert store._client._base_url.region == "eu-west-1"
    assert "p@ss" not in repr(store)

    alias = store_from_url("minio://AK:SK@minio:9000", originals_bucket="o-1", derived_bucket="d-1")
    assert isinstance(alias, MinioObjectStore)
    assert alias.secure is True  # https unless told otherwise
    assert (alias.originals_bucket, alias.derived_bucket) == ("o-1", "d-1")


@pytest.mark.parametrize(
    "url",
    [
        "s3://AK:TOPSECRET@?secure=false",
        "s3://AK:TOPSECRET@host:9000/bucket",
        "s3://AK:TOPSECRET@host:9000?secure=maybe",
        "s3://AK:TOPSECRET@host:9000?bucket=x",
        "s3://AK:TOPSECRET@host:notaport",
        "gs://AK:TOPSECRET@host",
    ],
)
def test_bad_s3_urls_are_refused_without_leaking_the_secret(url: str) -> None:
    with pytest.raises(ValueError) as info:
        store_from_url(url)
    assert "TOPSECRET" not in str(info.value)


def test_redacted_url_hides_only_the_password() -> None:
    assert (
        redacted_url("s3://AK:SK@minio:9000?secure=false") == "s3://AK:***@minio:9000?secure=false"
    )
    assert redacted_url("file:var/objects") == "file:var/objects"


class _ScriptedS3Handler(http.server.BaseHTTPRequestHandler):
    """A fake S3 endpoint (named as such) answering every request with one scripted error."""

    status = 403
    body = b""
    requests = 0

    def _answer(self) -> None:
        type(self).requests += 1
        self.send_response(self.status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(self.body)

    do_GET = do_PUT = do_HEAD = do_POST = do_DELETE = _answer

    def log_message(self, format: str, *args: object) -> None:
        pass


def _s3_error(code: str, message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f"<Error><Code>{code}</Code><Message>{message}</Message>"
        "<Resource>/motcua-derived/k</Resource><RequestId>1</RequestId></Error>"
    ).encode()


@pytest.fixture
def scripted_s3() -> Iterator[type[_ScriptedS3Handler]]:
    handler = type("Handler", (_ScriptedS3Handler,), {"requests": 0})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    handler.port = server.server_address[1]  # type: ignore[attr-defined]
    yield handler
    server.shutdown()
    server.server_close()
    thread.join()


def test_refused_credentials_are_reported_as_unavailable(
    scripted_s3: type[_ScriptedS3Handler],
) -> None:
    """GIVEN a server that answers AccessDenied WHEN an object is read
    THEN ObjectStoreUnavailable says the credentials or access were refused."""
    scripted_s3.status = 403
    scripted_s3.body = _s3_error("AccessDenied", "Access Denied.")
    store = MinioObjectStore(
        f"127.0.0.1:{scripted_s3.port}",  # type: ignore[attr-defined]
        access_key="wrong",
        secret_key="very-secret-value",
        secure=False,
    )
    with pytest.raises(ObjectStoreUnavailable, match="refused the credentials") as info:
        store.get_bytes(store.derived_bucket, "documents/d/k")
    assert "AccessDenied" in str(info.value)
    assert "very-secret-value" not in str(info.value)


def test_server_errors_are_retried_twice_then_unavailable(
    scripted_s3: type[_ScriptedS3Handler],
) -> None:
    """GIVEN a server answering 503 to everything WHEN the store is pinged
    THEN the client tries three times in all and reports ObjectStoreUnavailable."""
    scripted_s3.status = 503
    scripted_s3.body = _s3_error("SlowDown", "Please reduce your request rate.")
    store = MinioObjectStore(
        f"127.0.0.1:{scripted_s3.port}",  # type: ignore[attr-defined]
        access_key="a",
        secret_key="b",
        secure=False,
    )
    started = time.monotonic()
    with pytest.raises(
        ObjectStoreUnavailable, match=r"http://127\.0\.0\.1:\d+ is failing: too many 503"
    ):
        store.ping()
    assert time.monotonic() - started < 5
    assert scripted_s3.requests == 3


def _child_pool_state(store: MinioObjectStore, out: multiprocessing.queues.Queue[object]) -> None:
    out.put(len(store._client._http.pools))
    try:
        store.ping()
        out.put("ok")
    except Exception as exc:  # pragma: no cover - reported to the parent
        out.put(repr(exc))


def test_forked_child_starts_with_empty_connection_pool(s3: MinioObjectStore) -> None:
    """GIVEN a store that already holds a pooled connection (as a Celery parent may)
    WHEN the process forks THEN the child's pool is empty and it opens its own connection."""
    s3.ping()
    assert len(s3._client._http.pools) == 1
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=_child_pool_state, args=(s3, out))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert out.get(timeout=5) == 0
    assert out.get(timeout=5) == "ok"
    s3.ping()  # the parent's connection still works
