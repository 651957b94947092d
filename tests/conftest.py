"""Shared fixtures: real PostgreSQL and Redis on this machine, fresh per test session.

PostgreSQL: a database ``motcua_test_<random>`` is created on 127.0.0.1:5432 (user
``postgres``) and dropped at the end; each test that wants a clean schema gets its
own database from :func:`fresh_pg_url`. Redis: a database number reserved per session
and flushed. When a service is down the tests that need it are skipped with a clear
message (CI starts the services first).
"""

from __future__ import annotations

import os
import socket
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

PG_HOST = os.environ.get("MOTCUA_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("MOTCUA_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("MOTCUA_TEST_PG_USER", "postgres")
REDIS_HOST = os.environ.get("MOTCUA_TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("MOTCUA_TEST_REDIS_PORT", "6379"))

REPO = Path(__file__).resolve().parent.parent
REAL_DATA = REPO.parent / "shared" / "data" / "real"

# pytest puts ``tests/`` on sys.path (rootdir conftest); its ``tests/ingest``,
# ``tests/extractors``... folders would then shadow the real packages as namespace
# packages (their ``__init__`` never runs). The repository root goes first.
if str(REPO) not in sys.path[:1]:
    sys.path.insert(0, str(REPO))


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _pg_admin_url() -> str:
    return f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/postgres"


@pytest.fixture(scope="session")
def pg_available() -> None:
    if not _port_open(PG_HOST, PG_PORT):
        pytest.skip(f"PostgreSQL is not running on {PG_HOST}:{PG_PORT} (CI starts it)")


@pytest.fixture(scope="session")
def pg_factory(pg_available: None) -> Iterator[Callable[[], str]]:
    """Creates fresh PostgreSQL databases on demand; drops them all at the end."""
    from sqlalchemy import text

    from storage.db.session import make_engine

    admin = make_engine(_pg_admin_url(), isolation_level="AUTOCOMMIT")
    created: list[str] = []

    def create() -> str:
        name = f"motcua_test_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"

    yield create
    with admin.connect() as conn:
        for name in created:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_pg_url(pg_factory: Callable[[], str]) -> str:
    return pg_factory()


@pytest.fixture(scope="session")
def redis_db() -> Iterator[int]:
    """A Redis database number reserved for this session (flushed before and after).

    Numbers 1..15 are handed out through lock keys in database 0, so concurrent test
    sessions never share (and flush) each other's queues.
    """
    if not _port_open(REDIS_HOST, REDIS_PORT):
        pytest.skip(f"Redis is not running on {REDIS_HOST}:{REDIS_PORT} (CI starts it)")
    import redis

    lock_client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=0)
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
    number = next(
        (
            n
            for n in range(1, 16)
            if lock_client.set(f"motcua-test-db-{n}", owner, nx=True, ex=3600)
        ),
        None,
    )
    if number is None:
        pytest.skip("every Redis test database (1..15) is in use by other test sessions")
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number)
    client.flushdb()
    yield number
    client.flushdb()
    client.close()
    if lock_client.get(f"motcua-test-db-{number}") == owner.encode():
        lock_client.delete(f"motcua-test-db-{number}")
    lock_client.close()


@pytest.fixture
def redis_url(redis_db: int) -> Iterator[str]:
    import redis

    yield f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}"
    redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=redis_db).flushdb()


@pytest.fixture
def real_data() -> Path:
    if not REAL_DATA.is_dir():
        pytest.skip(f"real test data not found at {REAL_DATA}")
    return REAL_DATA
