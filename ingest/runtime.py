"""The live resources a process needs (engine, sessions, object store), built from settings."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ingest.settings import Settings
from storage.db.session import make_engine, make_session_factory
from storage.objects import ObjectStore, store_from_url

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    store: ObjectStore

    def close(self) -> None:
        self.engine.dispose()


def build_runtime(settings: Settings) -> Runtime:
    settings.ensure_dirs()
    # SQL errors would otherwise quote their parameters (names, id numbers) in logs.
    engine = make_engine(settings.db_url, hide_parameters=True)
    store = store_from_url(
        settings.objects_url,
        originals_bucket=settings.originals_bucket,
        derived_bucket=settings.derived_bucket,
    )
    return Runtime(
        settings=settings, engine=engine, sessions=make_session_factory(engine), store=store
    )
