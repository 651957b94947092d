"""Helpers for the hardening tests: an embedded service (SQLite, local objects) in a
temporary directory, with an admin token and the ids it enqueued collected."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient

from ingest.api.app import create_app
from ingest.auth import create_token
from ingest.runtime import Runtime, build_runtime
from ingest.settings import Settings
from storage.db.migrate import upgrade
from storage.db.session import session_scope

API = "/api/v1"


@dataclass
class Svc:
    settings: Settings
    runtime: Runtime
    client: TestClient
    app: object
    admin: str
    enqueued: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.admin}"}

    def token(self, role: str, office: str | None = "ubnd-a") -> str:
        with session_scope(self.runtime.sessions) as s:
            token, _ = create_token(s, name=f"{role}@{office}", role=role, office=office)
        return token

    def new_dossier(self) -> str:
        r = self.client.post(
            f"{API}/dossiers",
            json={"procedure_code": "1.001", "office": "ubnd-a"},
            headers=self.headers,
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])


def make_settings(tmp: Path, **overrides: object) -> Settings:
    return Settings(
        env="test",
        data_dir=tmp / "var",
        _env_file=None,  # type: ignore[call-arg]
        **overrides,  # type: ignore[arg-type]
    )


def start_service(tmp: Path, **overrides: object) -> Svc:
    settings = make_settings(tmp, **overrides)
    rt = build_runtime(settings)
    upgrade(rt.engine)
    enqueued: list[str] = []
    app = create_app(settings, runtime=rt, enqueue=enqueued.append)
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()
    with session_scope(rt.sessions) as s:
        admin, _ = create_token(s, name="hardening-admin", role="admin", office=None)
    return Svc(
        settings=settings, runtime=rt, client=client, app=app, admin=admin, enqueued=enqueued
    )
