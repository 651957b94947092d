"""Two clerks at the desk in a real browser: a lease that runs out, conflicts that block
approval, a rejection with its reason. No OCR here: the dossier is written to the
database as a worker leaves it, and the API runs in-process (uvicorn in a thread) on
SQLite, so this runs without any service.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from ingest.review import ReviewSettings
from ingest.webhooks import WebhookSettings
from storage.db.models import AuditEvent, Dossier, Page
from storage.db.status import Status
from storage.db.webhooks import WebhookDelivery

pytestmark = [pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
OFFICE = "ubnd-hop-giang"
LEASE_S = 8
CONFLICT = [{"field": "date_of_birth", "values": {"qr": "1999-01-01", "ocr": "1999-07-01"}}]


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """SQLite only (overrides the SQLite/PostgreSQL pair of conftest.py)."""
    return f"sqlite:///{tmp_path / 'desk.db'}"


def _card_jpeg(width: int, height: int) -> bytes:
    import cv2
    import numpy as np

    from synth.documents import render_cccd_front
    from synth.people import make_person

    rng = np.random.default_rng(3)
    img = render_cccd_front(make_person(rng), rng, "2021").image
    ok, buf = cv2.imencode(".jpg", cv2.resize(img, (width, height)))
    assert ok
    return buf.tobytes()


class Server:
    def __init__(self, app) -> None:  # noqa: ANN001
        import uvicorn

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def desk(engine, db_url: str, tmp_path: Path) -> Iterator[tuple[Server, list[str], object]]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from ingest.api.app import create_app
    from ingest.runtime import build_runtime
    from ingest.settings import Settings

    settings = Settings(env="test", data_dir=tmp_path / "var", database_url=db_url, _env_file=None)  # type: ignore[call-arg]
    rt = build_runtime(settings)
    app = create_app(settings, runtime=rt, enqueue=lambda _doc_id: None)
    app.state.review_settings = ReviewSettings(lease_s=LEASE_S)
    app.state.webhook_settings = WebhookSettings(url="http://127.0.0.1:9/hook", secret="s" * 32)
    sent: list[str] = []
    app.state.enqueue_webhook = sent.append
    with Server(app) as server:
        yield server, sent, rt.store
    rt.close()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _open_as(browser, url: str, token: str):  # noqa: ANN001, ANN202
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="vi-VN")
    page = context.new_page()
    page.goto(url)
    page.get_by_label("Mã truy cập").fill(token)
    page.get_by_role("button", name="Đăng nhập").click()
    return page


def test_lease_takeover_conflicts_and_rejection(
    desk, browser, new_principal, new_dossier, sessions, axe_check
):
    """GIVEN a dossier (card front with a QR/OCR conflict on the birth date, and back)
    WHEN clerk Hoa opens it, clerk Bình finds it busy, Hoa walks away past the lease,
    Bình takes it over, tries to approve, and rejects it with a reason
    THEN Bình sees it read-only while Hoa holds it; once taken over Hoa's page refuses
    her edit; approval is refused until the conflict is resolved; the rejection is
    recorded with its reason and the portal's webhook is queued.
    """
    server, webhooks_sent, store = desk
    hoa_token, hoa = new_principal(name="Lê Thị Hoa", role="clerk", office=OFFICE)
    binh_token, binh = new_principal(name="Phạm Văn Bình", role="clerk", office=OFFICE)
    dossier_id = new_dossier(office=OFFICE, front_conflicts=CONFLICT, external_ref="HS-0042")
    with sessions() as s:
        for page_row in s.scalars(select(Page)):
            store.put_bytes(
                store.derived_bucket,
                page_row.image_key,
                _card_jpeg(page_row.width, page_row.height),
                content_type="image/jpeg",
            )

    # A field agent who opens the desk is sent to the page made for the role.
    agent_token, _ = new_principal(name="Tổ lưu động", role="field_agent", office=OFFICE)
    f = _open_as(browser, server.url + "/desk", agent_token)
    f.wait_for_url("**/field")
    f.get_by_role("button", name="Tạo hồ sơ mới").wait_for()
    f.context.close()

    # Hoa claims from the queue.
    a = _open_as(browser, server.url + "/desk", hoa_token)
    a.get_by_role("button", name="Nhận hồ sơ HS-0042").click()
    a.wait_for_url(f"**/desk/dossiers/{dossier_id}")
    a.get_by_text("Bạn đang giữ hồ sơ này").wait_for()  # the page renewed the claim
    claimed_at = time.monotonic()  # the lease ends before claimed_at + LEASE_S
    first = a.locator(".field-row").first
    assert "Ngày sinh" in first.locator("label").inner_text()
    assert first.get_by_text("Xung đột", exact=True).is_visible()
    assert a.locator(".field-row.flagged").count() == 3  # the conflict, then two below 0.8
    assert a.get_by_text("Đã ghép mặt trước và mặt sau thẻ").is_visible()
    a.wait_for_function("document.getElementById('page-image').naturalWidth > 0")
    # Tab goes from field to field (the confirm buttons are for the mouse).
    fields = a.locator(".field-row input")
    assert fields.nth(0).evaluate("el => el === document.activeElement")
    a.keyboard.press("Tab")
    assert fields.nth(1).evaluate("el => el === document.activeElement")
    a.keyboard.press("Shift+Tab")
    assert fields.nth(0).evaluate("el => el === document.activeElement")

    # Bình: busy in the queue, read-only on the page.
    b = _open_as(browser, server.url + "/desk", binh_token)
    row = b.get_by_role("row", name="HS-0042")
    row.get_by_text("Đang được Lê Thị Hoa kiểm tra").wait_for()
    assert row.get_by_role("button", name="Đang bận HS-0042").is_disabled()
    axe_check(b, "the queue with a busy dossier")
    b.get_by_role("button", name="Nhận hồ sơ tiếp theo").click()
    b.get_by_text("Không còn hồ sơ chờ duyệt.").wait_for()
    b.goto(server.url + f"/desk/dossiers/{dossier_id}")
    b.get_by_text("Hồ sơ đang được Lê Thị Hoa kiểm tra; chỉ xem.").wait_for()
    assert b.locator(".field-row input").first.get_attribute("readonly") is not None
    assert b.get_by_role("button", name="Duyệt hồ sơ").is_disabled()
    axe_check(b, "the read-only verification page")

    # Hoa walks away; the lease runs out; Bình reloads and takes the dossier over.
    assert time.monotonic() - claimed_at < LEASE_S, "too slow: the lease ran out already"
    time.sleep(max(0.0, claimed_at + LEASE_S + 0.5 - time.monotonic()))
    b.reload()
    b.get_by_text("Bạn đang giữ hồ sơ này").wait_for()
    hoa_input = a.locator(".field-row input").first
    hoa_input.focus()
    hoa_input.press("Enter")
    a.get_by_text("Không còn giữ hồ sơ").wait_for()
    assert hoa_input.get_attribute("readonly") is not None

    # Bình: approval (Alt+A) is refused while the conflict is open; the focus goes to it.
    b.keyboard.press("Alt+A")
    b.get_by_text("Còn trường có xung đột chưa được xác nhận").wait_for()
    conflict_input = b.locator(".field-row input").first
    assert conflict_input.evaluate("el => el === document.activeElement")
    b.get_by_role("button", name="Từ chối").click()
    b.get_by_text("Hãy nhập lý do từ chối.").wait_for()
    assert b.get_by_label("Lý do từ chối").evaluate("el => el === document.activeElement")
    b.get_by_label("Lý do từ chối").fill("Ảnh mặt sau CCCD bị mờ, đề nghị bổ sung")
    b.get_by_role("button", name="Từ chối").click()
    b.get_by_text("Đã từ chối hồ sơ.").wait_for()
    b.locator("#history").get_by_text("Ảnh mặt sau CCCD bị mờ, đề nghị bổ sung").wait_for()
    axe_check(b, "the verification page after the decision")

    with sessions() as s:
        d = s.get(Dossier, dossier_id)
        assert (d.status, d.status_reason) == (
            Status.REJECTED,
            "Ảnh mặt sau CCCD bị mờ, đề nghị bổ sung",
        )
        claims = s.scalars(
            select(AuditEvent).where(
                AuditEvent.dossier_id == dossier_id, AuditEvent.action == "review.claim"
            )
        ).all()
        assert [e.actor_id for e in claims] == [hoa.token_id, binh.token_id]
        assert claims[1].detail == {"taken_over_from": hoa.token_id}
        rejected = s.scalars(select(AuditEvent).where(AuditEvent.action == "dossier.reject")).one()
        assert rejected.actor_id == binh.token_id
        delivery = s.scalars(select(WebhookDelivery)).one()
        assert delivery.event == "dossier.rejected" and webhooks_sent == [delivery.id]
