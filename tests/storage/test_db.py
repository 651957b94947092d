"""The database schema: migrations match the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, select
from sqlalchemy.exc import IntegrityError

from storage.db.migrate import (
    SchemaOutOfDate,
    check_up_to_date,
    current_revision,
    downgrade,
    head_revision,
    load_all_models,
    upgrade,
)
from storage.db.models import Document, Dossier
from storage.db.session import make_engine, make_session_factory, session_scope
from storage.db.status import (
    DOCUMENT_TRANSITIONS,
    DOSSIER_TRANSITIONS,
    InvalidTransition,
    Status,
    check_transition,
    sources_of,
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.needs_services)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'db' / 'motcua.db'}"
    else:
        url = request.getfixturevalue("fresh_pg_url")
    eng = make_engine(url)
    yield eng
    eng.dispose()


def test_migrations_create_exactly_the_models(engine: Engine) -> None:
    with pytest.raises(SchemaOutOfDate, match="motcua db upgrade"):
        check_up_to_date(engine)
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    check_up_to_date(engine)
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, load_all_models()) == []


def test_downgrade_to_base_and_back(engine: Engine) -> None:
    upgrade(engine)
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert "documents" in inspect(engine).get_table_names()


def _dossier(s) -> Dossier:  # noqa: ANN001
    d = Dossier(procedure_code="p", office="o", channel="counter")
    s.add(d)
    s.flush()
    return d


def _document(dossier_id: str, sha: str = "a" * 64) -> Document:
    return Document(
        dossier_id=dossier_id,
        original_key=f"sha256/{sha[:2]}/{sha}",
        sha256=sha,
        media_type="image/png",
        size_bytes=1,
    )


def test_same_file_twice_in_a_dossier_is_refused_by_the_database(engine: Engine) -> None:
    upgrade(engine)
    sessions = make_session_factory(engine)
    with session_scope(sessions) as s:
        d = _dossier(s)
        s.add(_document(d.id))
        dossier_id = d.id
    with pytest.raises(IntegrityError), session_scope(sessions) as s:
        s.add(_document(dossier_id))
    with session_scope(sessions) as s:  # another dossier may hold the same file
        s.add(_document(_dossier(s).id))


def test_timestamps_are_utc_aware(engine: Engine) -> None:
    upgrade(engine)
    sessions = make_session_factory(engine)
    due = datetime(2026, 7, 1, 9, 30, tzinfo=timezone(timedelta(hours=7)))
    with session_scope(sessions) as s:
        d = _dossier(s)
        d.due_at = due
    with sessions() as s:
        got = s.scalars(select(Dossier)).one()
        assert got.due_at == due and got.due_at.tzinfo is not None
        assert got.due_at.utcoffset() == timedelta(0)
        assert got.created_at.tzinfo is not None
        assert abs(datetime.now(UTC) - got.created_at) < timedelta(minutes=5)


def test_deleting_a_dossier_deletes_its_documents(engine: Engine) -> None:
    upgrade(engine)
    sessions = make_session_factory(engine)
    with session_scope(sessions) as s:
        d = _dossier(s)
        s.add(_document(d.id))
    with session_scope(sessions) as s:
        s.delete(s.scalars(select(Dossier)).one())
    with sessions() as s:
        assert s.scalars(select(Document)).all() == []


def test_status_flow() -> None:
    happy = [Status.RECEIVED, Status.PROCESSING, Status.AWAITING_REVIEW, Status.VERIFIED]
    for kind in ("document", "dossier"):
        for old, new in zip(happy, happy[1:], strict=False):
            check_transition(kind, old, new)
        check_transition(kind, Status.AWAITING_REVIEW, Status.REJECTED)
        with pytest.raises(InvalidTransition):
            check_transition(kind, Status.VERIFIED, Status.PROCESSING)
        with pytest.raises(InvalidTransition):
            check_transition(kind, Status.RECEIVED, Status.VERIFIED)
    check_transition("document", Status.PROCESSING, Status.FAILED)
    for table in (DOCUMENT_TRANSITIONS, DOSSIER_TRANSITIONS):
        assert set(table) == set(Status.ALL)
        assert all(targets <= set(Status.ALL) for targets in table.values())
        assert not table[Status.VERIFIED] and not table[Status.REJECTED]
    assert sources_of("document", Status.PROCESSING) == {Status.RECEIVED}
