"""Service settings: one typed object, read from ``MOTCUA_*`` environment variables.

Read in entry points (CLI, API factory, Celery app) and passed down; nothing else
reads the environment. With no variables set at all, everything runs embedded:
SQLite database, a file-system broker and object store under ``MOTCUA_DATA_DIR``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from ocr.context import OcrContext

DEFAULT_SECRET = "development-only-secret-change-me"
MB = 1024 * 1024


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOTCUA_", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    """``production`` refuses the default secret; ``test`` enables test-only hooks."""
    data_dir: Path = Path("var")
    """Embedded database, broker folders, local objects and temporary uploads live here."""

    database_url: str | None = None
    """SQLAlchemy URL; default ``sqlite:///<data_dir>/motcua.db``.
    PostgreSQL: ``postgresql+psycopg://user:pass@host:5432/motcua``."""
    broker_url: str | None = None
    """Celery broker; default ``filesystem://`` (folders under ``<data_dir>/broker``, no server).
    Production: ``redis://host:6379/0`` or ``amqp://user:pass@host:5672//``."""
    broker_transport_options: dict[str, Any] = Field(default_factory=dict)
    """Extra kombu transport options as JSON, e.g. ``{"visibility_timeout": 7200}``."""
    result_backend: str | None = None
    """Optional; task results are not needed (status lives in the database)."""
    object_store_url: str | None = None
    """Default ``file:<data_dir>/objects``; MinIO/S3: ``s3://KEY:SECRET@host:9000?secure=false``."""
    originals_bucket: str = "motcua-originals"
    derived_bucket: str = "motcua-derived"

    secret_key: str = DEFAULT_SECRET
    max_upload_bytes: int = 25 * MB
    """Per file, enforced while the upload streams in."""
    max_files_per_request: int = 20

    task_soft_time_limit: int = 600
    """Seconds; past it a document fails with a timeout reason."""
    task_time_limit: int = 660
    """Seconds; past it the worker process is killed and the task redelivered."""
    lease_margin_s: int = 60
    """A ``processing`` document is re-taken once ``task_time_limit + margin`` has passed."""
    max_attempts: int = 3
    """A document whose processing died this many times is marked failed."""
    sweep_interval_s: int = 60
    sweep_received_after_s: int = 600
    """Documents left in ``received`` (never enqueued, or enqueued this long ago) are sent
    again; a duplicate delivery is harmless (the worker claims first), only wasted work."""

    ocr_languages: str = "vie"
    ocr_timeout_s: float = 120.0
    ocr_dpi: int = 300
    max_pixels: int = 60_000_000
    max_pages: int = 50

    log_level: str = "INFO"

    test_sleep_after_claim_s: float = 0.0
    """Test-only: the worker sleeps this long after claiming a document (MOTCUA_ENV=test)."""

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.env == "production" and self.secret_key == DEFAULT_SECRET:
            raise ValueError("MOTCUA_SECRET_KEY must be set to a random value in production")
        if self.task_time_limit <= self.task_soft_time_limit:
            raise ValueError("MOTCUA_TASK_TIME_LIMIT must exceed MOTCUA_TASK_SOFT_TIME_LIMIT")
        if self.max_upload_bytes <= 0:
            raise ValueError("MOTCUA_MAX_UPLOAD_BYTES must be positive")
        return self

    # Derived values -------------------------------------------------------

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'motcua.db').resolve()}"

    @property
    def broker(self) -> str:
        return self.broker_url or "filesystem://"

    @property
    def objects_url(self) -> str:
        if self.object_store_url:
            return self.object_store_url
        return f"file://{(self.data_dir / 'objects').resolve()}"

    @property
    def lease_s(self) -> int:
        return self.task_time_limit + self.lease_margin_s

    @property
    def tmp_dir(self) -> Path:
        return self.data_dir / "tmp"

    @property
    def broker_options(self) -> dict[str, Any]:
        opts: dict[str, Any] = {}
        if self.broker.startswith("filesystem"):
            folder = (self.data_dir / "broker").resolve()
            opts = {
                "data_folder_in": str(folder / "queue"),
                "data_folder_out": str(folder / "queue"),
                "control_folder": str(folder / "control"),
                "store_processed": False,
            }
        elif self.broker.startswith(("redis", "rediss", "sqs")):
            # Unacknowledged tasks come back after this long; it must exceed the hard
            # time limit or a long task would be delivered twice while still running.
            opts = {"visibility_timeout": max(3600, self.lease_s * 2)}
        opts.update(self.broker_transport_options)
        return opts

    def ocr_context(self) -> OcrContext:
        return OcrContext(
            languages=self.ocr_languages,
            timeout_s=self.ocr_timeout_s,
            dpi=self.ocr_dpi,
            max_pixels=self.max_pixels,
            max_pages=self.max_pages,
        )

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        if self.broker.startswith("filesystem"):
            for key in ("data_folder_in", "control_folder"):
                Path(self.broker_options[key]).mkdir(parents=True, exist_ok=True)

    def describe(self) -> str:
        """Settings for a start-up log line, with secrets removed."""
        safe = {
            "env": self.env,
            "database": _mask_url(self.db_url),
            "broker": _mask_url(self.broker),
            "objects": _mask_url(self.objects_url),
        }
        return json.dumps(safe)


def _mask_url(url: str) -> str:
    """``scheme://user:pass@host`` -> ``scheme://user:***@host``."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    creds, host = rest.rsplit("@", 1)
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with explicit overrides (CLI flags, tests)."""
    return Settings(**overrides)
