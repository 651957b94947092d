"""Fixtures for the desk and field pages: databases, tokens, dossiers awaiting review, a
stand-in for the portal's webhook endpoint.

Every database test runs on a SQLite file and on a fresh PostgreSQL database (from
``fresh_pg_url`` in ``tests/conftest.py``; marked ``needs_services``, skipped when the
server is not running).
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ingest.auth import Principal, create_token
from storage.db import migrate
from storage.db.models import (
    Document,
    DocumentPart,
    Dossier,
    FieldValue,
    Page,
    ReviewTask,
)
from storage.db.session import make_engine, make_session_factory
from storage.db.status import Status


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.needs_services),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'review.db'}"
    return str(request.getfixturevalue("fresh_pg_url"))  # tests/conftest.py


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    migrate.upgrade(eng)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


def make_principal(
    sessions: sessionmaker[Session], *, name: str, role: str, office: str | None
) -> tuple[str, Principal]:
    with sessions() as s:
        token, row = create_token(s, name=name, role=role, office=office)
        s.commit()
        return token, Principal(token_id=row.id, name=name, role=role, office=office)


CARD_FRONT_FIELDS = [
    # key, value, confidence, source, bbox
    ("id_number", "001099012345", 0.99, "qr", (412, 230, 688, 262)),
    ("full_name", "NGUYỄN VĂN AN", 0.93, "ocr", (300, 320, 640, 352)),
    ("date_of_birth", "1999-01-01", 0.99, "qr", (420, 380, 600, 410)),
    ("sex", "Nam", 0.62, "ocr", (300, 420, 380, 450)),
    (
        "place_of_residence",
        "Số 12 Lê Lợi, Phường Hợp Giang, Thành phố Cao Bằng, Cao Bằng",
        0.71,
        "ocr",
        (300, 500, 900, 560),
    ),
]
CARD_BACK_FIELDS = [
    ("id_number", "001099012345", 0.98, "mrz", (40, 520, 900, 560)),
    ("date_of_birth", "1999-01-01", 0.98, "mrz", (40, 560, 900, 600)),
    ("date_of_issue", "2021-04-10", 0.9, "ocr", (100, 120, 380, 150)),
    (
        "issuing_authority",
        "CỤC TRƯỞNG CỤC CẢNH SÁT QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI",
        0.88,
        "ocr",
        (100, 160, 900, 200),
    ),
]


def make_awaiting_dossier(
    sessions: sessionmaker[Session],
    *,
    office: str,
    created_by: str | None = None,
    due_in_h: float | None = 24.0,
    front: list | None = None,
    back: list | None = None,
    front_conflicts: list | None = None,
    external_ref: str | None = None,
) -> str:
    """A dossier as the worker leaves it: a card's front and back read, awaiting review.

    Rows are written directly (the processing pipeline has its own tests); values are
    the spec's example card.
    """
    now = datetime.now(UTC)
    with sessions() as s:
        dossier = Dossier(
            procedure_code="1.001",
            office=office,
            channel="counter",
            status=Status.AWAITING_REVIEW,
            due_at=now + timedelta(hours=due_in_h) if due_in_h is not None else None,
            created_by=created_by,
            external_ref=external_ref,
        )
        s.add(dossier)
        s.flush()
        for n, (doc_type, rows, conflicts) in enumerate(
            [
                ("cccd_front", CARD_FRONT_FIELDS if front is None else front, front_conflicts),
                ("cccd_back", CARD_BACK_FIELDS if back is None else back, None),
            ]
        ):
            doc = Document(
                dossier_id=dossier.id,
                original_key=f"sha256/00/{uuid.uuid4().hex}",
                sha256=uuid.uuid4().hex + uuid.uuid4().hex,
                media_type="image/jpeg",
                size_bytes=1000,
                filename=f"{doc_type}.jpg",
                page_count=1,
                status=Status.AWAITING_REVIEW,
                document_type=doc_type,
                type_confidence=0.95,
                created_at=now + timedelta(seconds=n),
            )
            s.add(doc)
            s.flush()
            s.add(
                Page(
                    document_id=doc.id,
                    number=1,
                    width=1000,
                    height=630,
                    image_key=f"documents/{doc.id}/pages/1.jpg",
                )
            )
            s.add(
                DocumentPart(
                    document_id=doc.id,
                    index=0,
                    pages=[1],
                    document_type=doc_type,
                    type_confidence=0.95,
                    quality={"ok": True, "issues": [], "messages": []},
                    conflicts=conflicts or [],
                )
            )
            for pos, (key, value, conf, source, bbox) in enumerate(rows):
                s.add(
                    FieldValue(
                        document_id=doc.id,
                        part=0,
                        position=pos,
                        key=key,
                        value=value,
                        confidence=conf,
                        source=source,
                        page=1,
                        bbox=list(bbox),
                    )
                )
        s.add(ReviewTask(dossier_id=dossier.id, office=office, due_at=dossier.due_at))
        s.commit()
        return dossier.id


@pytest.fixture
def new_principal(sessions: sessionmaker[Session]):
    """``new_principal(name=, role=, office=) -> (token, Principal)``"""

    def make(**kw):
        return make_principal(sessions, **kw)

    return make


@pytest.fixture
def new_dossier(sessions: sessionmaker[Session]):
    """``new_dossier(office=, ...) -> dossier id`` (see :func:`make_awaiting_dossier`)."""

    def make(**kw):
        return make_awaiting_dossier(sessions, **kw)

    return make


# A portal stand-in --------------------------------------------------------------
# A tiny HTTP server on 127.0.0.1 that records every request (headers and the raw
# body) and answers from a script of status codes, e.g. ``[500, 500, 200]``; after the
# script it answers 200.


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int


@dataclass
class WebhookReceiver:
    script: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    hold: threading.Event | None = None
    """If set, each request waits (at most 15 s) for this event before answering."""
    arrived: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/motcua-hook"

    def start(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                with receiver._lock:
                    code = receiver.script.pop(0) if receiver.script else 200
                    receiver.received.append(
                        Received(self.path, dict(self.headers.items()), body, code)
                    )
                receiver.arrived.set()
                if receiver.hold is not None:
                    receiver.hold.wait(15)
                self.send_response(code)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    r = WebhookReceiver().start()
    try:
        yield r
    finally:
        r.stop()


# Phone photos of a card ---------------------------------------------------------


@dataclass(frozen=True)
class CardPhoto:
    path: Path
    truth: dict[str, str]


def card_photo(
    dest: Path, *, seed: int = 1, blur_sigma: float = 0.0, light: float = 1.0
) -> CardPhoto:
    """A 2021 CCCD front (synthetic person), photographed flat on a desk, as a JPEG.

    ``blur_sigma`` > 0 gives an out-of-focus shot, ``light`` < 1 a shot in a dim room:
    photos a field agent must take again.
    """
    import cv2
    import numpy as np

    from synth.degrade import desk_texture
    from synth.documents import render_cccd_front
    from synth.people import make_person

    rng = np.random.default_rng(seed)
    spec = render_cccd_front(make_person(rng), rng, "2021")
    card = cv2.resize(spec.image, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)
    card = (card.astype(np.float32) * 0.9).astype(np.uint8)  # no blown-out white
    h, w = card.shape[:2]
    margin = 100
    photo = desk_texture(np.random.default_rng(100 + seed), (h + 2 * margin, w + 2 * margin))
    photo[margin : margin + h, margin : margin + w] = card
    if blur_sigma > 0:
        photo = cv2.GaussianBlur(photo, (0, 0), blur_sigma)
    if light != 1.0:
        photo = np.clip(photo.astype(np.float32) * light, 0, 255).astype(np.uint8)
    dest.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(dest), photo, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return CardPhoto(dest, dict(spec.truth))


@pytest.fixture
def make_card_photo(tmp_path: Path):
    """``make_card_photo(name, seed=, blur_sigma=) -> CardPhoto`` under ``tmp_path``."""

    def make(name: str, **kw) -> CardPhoto:
        return card_photo(tmp_path / "photos" / name, **kw)

    return make


# Accessibility --------------------------------------------------------------------


def assert_accessible(page, where: str) -> None:
    """No WCAG 2.1 A/AA violation that axe-core can detect (labels, contrast, names...)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
        "resultTypes": ["violations"],
    }
    results = Axe().run(page, options=options)
    violations = results.response["violations"]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        for v in violations
    ]
    assert not violations, f"accessibility violations on {where}:\n" + "\n".join(details)


@pytest.fixture
def axe_check():
    """``axe_check(page, where)``: fails on any WCAG 2.1 A/AA violation axe-core finds."""
    return assert_accessible
