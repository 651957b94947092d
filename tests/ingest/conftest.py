"""Fixtures for the service: settings in a temporary directory, tokens, an API client."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from ingest_kit import Service, make_settings

from ingest.api.app import create_app
from ingest.runtime import build_runtime
from storage.db.migrate import upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str | None:
    if request.param == "sqlite":
        return None  # the embedded default
    return request.getfixturevalue("fresh_pg_url")


@pytest.fixture
def service_factory(tmp_path: Path) -> Iterator[Callable[..., Service]]:
    made: list[Service] = []

    def make(
        database_url: str | None = None,
        *,
        enqueue: Callable[[str], None] | str | None = None,
        **overrides: object,
    ) -> Service:
        settings = make_settings(tmp_path, database_url, **overrides)
        rt = build_runtime(settings)
        upgrade(rt.engine)
        enqueued: list[str] = []
        if enqueue == "celery":  # the real Celery producer on settings.broker
            app = create_app(settings, runtime=rt)
        else:
            app = create_app(settings, runtime=rt, enqueue=enqueue or enqueued.append)
        client = TestClient(app)
        client.__enter__()
        svc = Service(settings=settings, runtime=rt, client=client, enqueued=enqueued)
        made.append(svc)
        return svc

    yield make
    for svc in made:
        svc.client.__exit__(None, None, None)
        svc.runtime.close()


@pytest.fixture
def service(service_factory: Callable[..., Service], db_url: str | None) -> Service:
    return service_factory(db_url)
