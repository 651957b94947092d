"""The distributed deployment files (docker-compose.yml, Dockerfile, .ci/run, scripts/).

Docker is not available where the tests run, so the compose file is checked for
structure and for agreement with the code: every MOTCUA_* variable it sets is a
setting the code reads, the URLs it builds are accepted by the code, the commands
exist in the CLI, and the worker can be scaled.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

yaml = pytest.importorskip("yaml", reason="PyYAML is in the dev extra")

from ingest.settings import Settings  # noqa: E402
from storage.minio_store import MinioObjectStore  # noqa: E402
from storage.objects import store_from_url  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
COMPOSE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
APP_SERVICES = ("migrate", "api", "worker")
REQUIRED_SECRETS = ("MOTCUA_SECRET_KEY", "POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD")

_VAR = re.compile(r"\$\{([A-Z0-9_]+)(?:(:?[-?])([^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _interpolate(value: str, env: dict[str, str]) -> str:
    """Compose-style ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?error}`` substitution."""

    def sub(m: re.Match[str]) -> str:
        name, op, arg = m.group(1), m.group(2), m.group(3)
        if name in env and (env[name] or op is None or not op.startswith(":")):
            return env[name]
        if op in (":-", "-"):
            return arg
        if op in (":?", "?"):
            raise KeyError(f"{name}: {arg}")
        return ""

    return _VAR.sub(sub, value)


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {k: str(v) for k, v in env.items()}


def test_compose_has_the_expected_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) >= {"minio", "postgres", "redis", *APP_SERVICES}


def test_images_are_pinned(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert re.fullmatch(
        r"minio/minio:RELEASE\.\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z", services["minio"]["image"]
    ), services["minio"]["image"]
    assert re.fullmatch(r"postgres:16(\.\d+)?(-[a-z]+)?", services["postgres"]["image"])
    assert re.fullmatch(r"redis:7(\.\d+){0,2}(-[a-z]+)?", services["redis"]["image"])
    for name, service in services.items():
        image = service.get("image", "")
        if "build" not in service:
            assert ":" in image, f"{name}: image without a tag"
            assert not image.endswith(":latest"), f"{name}: image pinned to latest"


def test_worker_can_scale(compose: dict[str, Any]) -> None:
    """``docker compose up --scale worker=N`` needs a worker without a fixed name or host port."""
    worker = compose["services"]["worker"]
    assert "container_name" not in worker
    assert "ports" not in worker
    assert "hostname" not in worker


def test_app_services_wait_for_migrations_and_backing_services(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["migrate"].get("restart", "no") == "no"
    for name in ("api", "worker"):
        deps = services[name]["depends_on"]
        assert deps["migrate"]["condition"] == "service_completed_successfully", name
        assert deps["minio"]["condition"] == "service_healthy", name
        assert deps["redis"]["condition"] == "service_healthy", name
    for name in ("minio", "postgres", "redis", "api"):
        assert services[name]["healthcheck"]["test"], f"{name} has no healthcheck"


def test_app_environment_names_are_settings_the_code_reads(compose: dict[str, Any]) -> None:
    known = {f"MOTCUA_{name.upper()}" for name in Settings.model_fields}
    for name in APP_SERVICES:
        env = _environment(compose["services"][name])
        motcua_vars = {k for k in env if k.startswith("MOTCUA_")}
        assert motcua_vars <= known, f"{name}: unknown settings {sorted(motcua_vars - known)}"
        assert {
            "MOTCUA_ENV",
            "MOTCUA_SECRET_KEY",
            "MOTCUA_DATABASE_URL",
            "MOTCUA_BROKER_URL",
            "MOTCUA_OBJECT_STORE_URL",
        } <= motcua_vars
        assert env["MOTCUA_ENV"] == "production"
        assert env.get("OMP_THREAD_LIMIT") == "1"


def test_secrets_have_no_defaults(compose: dict[str, Any]) -> None:
    """A secret is only ever ``${NAME:?message}``: compose refuses to start without it."""
    text = COMPOSE.read_text(encoding="utf-8")
    for m in _VAR.finditer(text):
        if m.group(1) in REQUIRED_SECRETS:
            assert m.group(2) == ":?", f"{m.group(0)} must be required, without a default"
    for name in APP_SERVICES:
        env = _environment(compose["services"][name])
        with pytest.raises(KeyError, match="MOTCUA_SECRET_KEY"):
            _interpolate(env["MOTCUA_SECRET_KEY"], {})


def test_app_environment_builds_valid_settings(compose: dict[str, Any]) -> None:
    """GIVEN the operator's secrets WHEN the compose environment is interpolated
    THEN the code accepts it: production settings, PostgreSQL via psycopg, Redis broker,
    and a plain-HTTP MinIO store at minio:9000."""
    operator_env = {
        "MOTCUA_SECRET_KEY": "0123456789abcdef" * 4,
        "POSTGRES_PASSWORD": "pgpass0123",
        "MINIO_ROOT_PASSWORD": "miniopass0123",
    }
    for name in APP_SERVICES:
        env = {
            k: _interpolate(v, operator_env)
            for k, v in _environment(compose["services"][name]).items()
        }
        fields = {
            k.removeprefix("MOTCUA_").lower(): v for k, v in env.items() if k.startswith("MOTCUA_")
        }
        settings = Settings(**fields)
        assert settings.env == "production"
        assert settings.db_url.startswith("postgresql+psycopg://motcua:pgpass0123@postgres:5432/")
        assert settings.broker == "redis://redis:6379/0"
        store = store_from_url(
            settings.objects_url,
            originals_bucket=settings.originals_bucket,
            derived_bucket=settings.derived_bucket,
        )
        assert isinstance(store, MinioObjectStore)
        assert (store.endpoint, store.secure) == ("minio:9000", False)
        minio_env = _environment(compose["services"]["minio"])
        assert (
            _interpolate(minio_env["MINIO_ROOT_USER"], {})
            == store._client._provider.retrieve().access_key
        )  # type: ignore[union-attr]


def test_dockerfile_installs_ocr_and_runs_unprivileged() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim-bookworm$", text, re.M)
    for pkg in ("tesseract-ocr", "tesseract-ocr-vie", "tesseract-ocr-eng"):
        assert re.search(rf"\s{re.escape(pkg)}(\s|$)", text), pkg
    assert "OMP_THREAD_LIMIT=1" in text
    users = re.findall(r"^USER\s+(\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0")
    for package in ("ingest", "ocr", "extractors", "storage"):
        assert re.search(rf"^COPY {package} ", text, re.M), package


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = set((REPO / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".git", ".venv", "var", ".env"} <= ignored


@pytest.mark.parametrize(
    "script", [".ci/run", "scripts/setup", "scripts/test", "scripts/install-tessdata-best"]
)
def test_shell_scripts_are_strict_and_parse(script: str) -> None:
    path = REPO / script
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert path.stat().st_mode & 0o111, f"{script} is not executable"
    subprocess.run(["bash", "-n", str(path)], check=True)


def test_ci_starts_services_with_the_agreed_commands() -> None:
    text = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start" in text
    assert (
        'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" '
        "--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log"
    ) in text
    assert "rabbitmq-server -detached" in text
    assert "./scripts/test" in text
    for pkg in ("tesseract-ocr-vie", "fonts-noto-core", "fonts-ocr-b", "chromium"):
        assert pkg in text


@pytest.mark.parametrize(
    ("service", "handler"),
    [("migrate", "cmd_db"), ("api", "cmd_serve"), ("worker", "cmd_worker")],
)
def test_compose_commands_exist_in_the_cli(
    compose: dict[str, Any], service: str, handler: str
) -> None:
    """Each app service's command is parsed by the real ``motcua`` argument parser."""
    from ingest import cli

    command = [_interpolate(str(a), {}) for a in compose["services"][service]["command"]]
    assert command[0] == "motcua"
    argv = command[1:]
    args = cli.build_parser(argv).parse_args(argv)
    assert args.func is getattr(cli, handler)
    if service == "migrate":
        assert (args.db_command, args.revision) == ("upgrade", "head")
    if service == "api":
        assert args.no_worker, "workers run in their own service"
        assert (args.host, args.port) == ("0.0.0.0", 8000)
    if service == "worker":
        assert args.concurrency >= 1
        assert args.celery_args == []


def test_dockerfile_default_command_is_the_api() -> None:
    from ingest import cli

    m = re.search(r"^CMD (\[.*\])$", DOCKERFILE.read_text(encoding="utf-8"), re.M)
    assert m
    command = json.loads(m.group(1))
    assert command[0] == "motcua"
    args = cli.build_parser(command[1:]).parse_args(command[1:])
    assert args.func is cli.cmd_serve
    assert args.host == "0.0.0.0"
