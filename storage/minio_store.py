"""The MinIO / S3 object store (the distributed deployment). The only module importing ``minio``.

The HTTP client has short, explicit timeouts and at most two retries, so a store
that is down fails in seconds with :class:`ObjectStoreUnavailable` naming the
endpoint (never the secret key), instead of hanging a request or a worker.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import tempfile
import weakref
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import BinaryIO, NoReturn, TypeVar

import certifi
import urllib3
from minio import Minio
from minio.error import InvalidResponseError, MinioException, S3Error, ServerError
from urllib3.exceptions import HTTPError as Urllib3HTTPError
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util import Retry, Timeout

from storage.local import check_key
from storage.objects import ObjectNotFound, ObjectStoreError, ObjectStoreUnavailable

log = logging.getLogger(__name__)

T = TypeVar("T")

_CHUNK = 1024 * 1024
_NOT_FOUND = {"NoSuchKey", "NoSuchObject", "NoSuchVersion"}
_REFUSED = {
    "AccessDenied",
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "InvalidToken",
    "AllAccessDisabled",
}


class MinioObjectStore:
    """An :class:`~storage.objects.ObjectStore` on MinIO or any S3-compatible server."""

    def __init__(
        self,
        endpoint: str,
        *,
        access_key: str | None,
        secret_key: str | None,
        secure: bool = True,
        region: str | None = "us-east-1",
        originals_bucket: str = "motcua-originals",
        derived_bucket: str = "motcua-derived",
        connect_timeout: float = 3.0,
        read_timeout: float = 15.0,
        retries: int = 2,
    ) -> None:
        if originals_bucket == derived_bucket:
            raise ValueError("the originals and derived buckets must differ")
        self.endpoint = endpoint
        self.secure = secure
        self.originals_bucket = originals_bucket
        self.derived_bucket = derived_bucket
        self._where = f"{'https' if secure else 'http'}://{endpoint}"
        http = urllib3.PoolManager(
            timeout=Timeout(connect=connect_timeout, read=read_timeout),
            maxsize=10,
            cert_reqs="CERT_REQUIRED",
            ca_certs=os.environ.get("SSL_CERT_FILE") or certifi.where(),
            retries=Retry(
                total=retries,
                connect=retries,
                read=retries,
                backoff_factor=0.2,
                backoff_max=2.0,
                status_forcelist=[500, 502, 503, 504],
            ),
        )
        # Celery's prefork pool forks after start-up: a child must not reuse the parent's
        # open sockets, so each child starts with an empty connection pool.
        http_ref = weakref.ref(http)
        os.register_at_fork(after_in_child=lambda: _clear_pool(http_ref))
        self._client = Minio(
            endpoint,
            access_key=access_key,
            secret_key=secret_key,
            secure=secure,
            region=region,
            http_client=http,
        )

    def __repr__(self) -> str:
        return f"MinioObjectStore(endpoint={self._where!r})"

    # -- lifecycle ---------------------------------------------------------------------------

    def ensure_buckets(self) -> None:
        for bucket in (self.originals_bucket, self.derived_bucket):
            if self._bucket_exists(bucket):
                continue
            try:
                self._call(partial(self._client.make_bucket, bucket), bucket=bucket)
                log.info("created bucket %s at %s", bucket, self._where)
            except ObjectStoreError as exc:
                cause = exc.__cause__
                if isinstance(cause, S3Error) and cause.code in (
                    "BucketAlreadyOwnedByYou",
                    "BucketAlreadyExists",
                ):
                    continue  # another process created it meanwhile
                raise

    def ping(self) -> None:
        for bucket in (self.originals_bucket, self.derived_bucket):
            if not self._bucket_exists(bucket):
                raise ObjectStoreUnavailable(
                    f"object store at {self._where}: bucket {bucket!r} does not exist "
                    "(ensure_buckets not run?)"
                )

    # -- writes ------------------------------------------------------------------------------

    def put_file(self, bucket: str, key: str, path: Path, *, content_type: str) -> None:
        check_key(key)
        path = Path(path)
        size = path.stat().st_size
        if bucket == self.originals_bucket and self._already_stored(bucket, key, size):
            return
        # fput_object streams from disk (multipart above 5 MiB); the object becomes
        # visible only when the single PUT or the CompleteMultipartUpload succeeds.
        self._call(
            lambda: self._client.fput_object(
                bucket, key, str(path), content_type=content_type or "application/octet-stream"
            ),
            bucket=bucket,
            key=key,
        )

    def put_bytes(self, bucket: str, key: str, data: bytes, *, content_type: str) -> None:
        check_key(key)
        if bucket == self.originals_bucket and self._already_stored(bucket, key, len(data)):
            return
        self._call(
            lambda: self._client.put_object(
                bucket,
                key,
                io.BytesIO(data),
                len(data),
                content_type=content_type or "application/octet-stream",
            ),
            bucket=bucket,
            key=key,
        )

    def delete(self, bucket: str, key: str) -> None:
        check_key(key)
        self._call(lambda: self._client.remove_object(bucket, key), bucket=bucket, key=key)

    # -- reads -------------------------------------------------------------------------------

    def exists(self, bucket: str, key: str) -> bool:
        check_key(key)
        try:
            self._call(lambda: self._client.stat_object(bucket, key), bucket=bucket, key=key)
        except ObjectNotFound:
            return False
        return True

    def get_bytes(self, bucket: str, key: str) -> bytes:
        with self.open(bucket, key) as stream:
            return self._call(stream.read, bucket=bucket, key=key)

    def open(self, bucket: str, key: str) -> BinaryIO:
        check_key(key)
        response = self._call(lambda: self._client.get_object(bucket, key), bucket=bucket, key=key)
        return _ResponseStream(response, self, bucket, key)  # type: ignore[return-value]

    def download(self, bucket: str, key: str, dest: Path) -> None:
        dest = Path(dest)
        with self.open(bucket, key) as stream:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
            tmp = Path(tmp_name)
            try:
                with os.fdopen(fd, "wb") as out:
                    while chunk := stream.read(_CHUNK):
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                tmp.replace(dest)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()

    # -- internals ---------------------------------------------------------------------------

    def _bucket_exists(self, bucket: str) -> bool:
        return self._call(partial(self._client.bucket_exists, bucket), bucket=bucket)

    def _already_stored(self, bucket: str, key: str, size: int) -> bool:
        """True if the immutable original is already there (same key => same content)."""
        try:
            stat = self._call(lambda: self._client.stat_object(bucket, key), bucket=bucket, key=key)
        except ObjectNotFound:
            return False
        if stat.size != size:
            raise ObjectStoreError(
                f"refusing to overwrite original {bucket}/{key} at {self._where}: "
                f"stored size {stat.size} differs from {size}"
            )
        log.debug("original %s/%s already stored; put is a no-op", bucket, key)
        return True

    def _call(self, fn: Callable[[], T], *, bucket: str, key: str | None = None) -> T:
        try:
            return fn()
        except S3Error as exc:
            self._raise_s3(exc, bucket, key)
        except (ServerError, InvalidResponseError) as exc:
            raise ObjectStoreUnavailable(
                f"object store at {self._where} answered with an error: {exc}"
            ) from exc
        except MaxRetryError as exc:
            if isinstance(exc.reason, ResponseError):  # retried 5xx answers
                raise ObjectStoreUnavailable(
                    f"object store at {self._where} is failing: {exc.reason}"
                ) from exc
            raise ObjectStoreUnavailable(
                f"object store at {self._where} is unreachable: {_reason(exc)}"
            ) from exc
        except (Urllib3HTTPError, OSError) as exc:
            raise ObjectStoreUnavailable(
                f"object store at {self._where} is unreachable: {_reason(exc)}"
            ) from exc
        except MinioException as exc:
            raise ObjectStoreError(f"object store at {self._where}: {exc}") from exc

    def _raise_s3(self, exc: S3Error, bucket: str, key: str | None) -> NoReturn:
        what = f"{bucket}/{key}" if key else f"bucket {bucket!r}"
        if exc.code in _NOT_FOUND:
            raise ObjectNotFound(f"{what} (at {self._where})") from exc
        if exc.code == "NoSuchBucket":
            raise ObjectStoreError(
                f"object store at {self._where}: bucket {bucket!r} does not exist "
                "(ensure_buckets not run?)"
            ) from exc
        if exc.code in _REFUSED:
            raise ObjectStoreUnavailable(
                f"object store at {self._where} refused the credentials or access to {what} "
                f"({exc.code})"
            ) from exc
        raise ObjectStoreError(
            f"object store at {self._where} failed on {what}: {exc.code}: {exc.message}"
        ) from exc


def _clear_pool(ref: weakref.ref[urllib3.PoolManager]) -> None:
    pool = ref()
    if pool is not None:
        pool.clear()


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)
    inner = reason if isinstance(reason, BaseException) else exc
    text = str(inner)
    # urllib3 messages embed the object's URL; keep the operator-facing part.
    if "Connection refused" in text or isinstance(inner, ConnectionRefusedError):
        return "connection refused"
    if "timed out" in text.lower():
        return "connection timed out"
    if "Name or service not known" in text or "nodename nor servname" in text:
        return "host name not found"
    return type(inner).__name__ + (f": {text}" if text else "")


class _ResponseStream:
    """A readable stream over an HTTP response; close() also returns the connection."""

    def __init__(
        self, response: urllib3.BaseHTTPResponse, store: MinioObjectStore, bucket: str, key: str
    ) -> None:
        self._response = response
        self._store = store
        self._bucket = bucket
        self._key = key

    def read(self, n: int = -1) -> bytes:
        amt = None if n is None or n < 0 else n
        return self._store._call(
            lambda: self._response.read(amt), bucket=self._bucket, key=self._key
        )

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self._response.close()
        self._response.release_conn()

    def __enter__(self) -> _ResponseStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
