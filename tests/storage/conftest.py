"""Fixtures for object-store tests: a real S3 server (moto) on loopback, and a dead endpoint.

``moto_s3_url`` is meant for any test that needs the distributed object store
(e.g. the ingest service's upload path): it yields an ``s3://`` URL accepted by
``storage.objects.store_from_url`` for a moto server whose state is reset before
each test. Move it to ``tests/conftest.py`` to share it beyond ``tests/storage``.
"""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Iterator

import pytest

MOTO_ACCESS_KEY = "motcua-test"
MOTO_SECRET_KEY = "motcua-test-secret"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (at the time of the call)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.fixture(scope="session")
def moto_s3_endpoint() -> Iterator[str]:
    """``127.0.0.1:PORT`` of a moto S3 server running in a thread for the whole session."""
    moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed")
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        _wait_for_port(port)
        yield f"127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def moto_s3_url(moto_s3_endpoint: str) -> Iterator[str]:
    """An ``s3://`` object-store URL for the moto server, emptied before the test."""
    request = urllib.request.Request(
        f"http://{moto_s3_endpoint}/moto-api/reset", method="POST", data=b""
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    yield (
        f"s3://{MOTO_ACCESS_KEY}:{MOTO_SECRET_KEY}@{moto_s3_endpoint}?secure=false&region=us-east-1"
    )


@pytest.fixture
def down_s3_url() -> str:
    """An ``s3://`` URL for 127.0.0.1 on a port where nothing listens (a store that is down)."""
    return f"s3://{MOTO_ACCESS_KEY}:{MOTO_SECRET_KEY}@127.0.0.1:{free_port()}?secure=false"
