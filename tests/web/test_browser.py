"""The two pages in a real browser (Debian's Chromium driven by Playwright), end to end.

The whole service runs as in production: ``motcua serve --no-worker`` (uvicorn) and
``motcua worker`` as separate processes on PostgreSQL and Redis, documents stored in a
file object store, the real OCR and extraction in the worker. A stand-in for the portal
on 127.0.0.1 receives the webhook and answers 500 once, then 200.

Set ``MOTCUA_SCREENSHOTS_DIR`` to keep screenshots of both pages there
(``scripts/screenshots`` does, for ``docs/screenshots``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from ingest import webhooks
from ingest.auth import Principal
from storage.db import migrate
from storage.db.models import AuditEvent, Document, Dossier, FieldValue
from storage.db.session import make_engine, make_session_factory
from storage.db.status import Status
from storage.db.webhooks import WebhookDelivery

pytestmark = [
    pytest.mark.browser,
    pytest.mark.needs_services,
    pytest.mark.needs_tesseract,
    pytest.mark.slow,
]

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("MOTCUA_CHROMIUM", "/usr/bin/chromium")
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
SECRET = "portal-shared-secret-for-tests-0123"
OFFICE = "ubnd-phuong-hop-giang"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Stack:
    base_url: str
    sessions: sessionmaker[Session]
    tmp: Path
    procs: list[subprocess.Popen] = field(default_factory=list)

    def token(self, *, name: str, role: str, office: str | None) -> tuple[str, Principal]:
        from ingest.auth import create_token

        with self.sessions() as s:
            token, row = create_token(s, name=name, role=role, office=office)
            s.commit()
            return token, Principal(row.id, name, role, office)

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n" + p.read_text(errors="replace")[-3000:]
            for p in sorted(self.tmp.glob("*.log"))
        )


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        cmd,
        env=env,
        cwd=REPO,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@pytest.fixture
def stack(tmp_path, fresh_pg_url, redis_url, webhook_receiver) -> Iterator[Stack]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.update(
        {
            "MOTCUA_ENV": "test",
            "MOTCUA_DATA_DIR": str(tmp_path / "var"),
            "MOTCUA_DATABASE_URL": fresh_pg_url,
            "MOTCUA_BROKER_URL": redis_url,
            "MOTCUA_OBJECT_STORE_URL": f"file://{tmp_path / 'objects'}",
            "MOTCUA_WEBHOOK_URL": webhook_receiver.url,
            "MOTCUA_WEBHOOK_SECRET": SECRET,
            "MOTCUA_WEBHOOK_BACKOFF_BASE_S": "0.5",
            "OMP_THREAD_LIMIT": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    engine = make_engine(fresh_pg_url)
    migrate.upgrade(engine)
    port = _free_port()
    st = Stack(f"http://127.0.0.1:{port}", make_session_factory(engine), tmp_path)
    py = sys.executable
    st.procs.append(
        _start(
            [py, "-m", "ingest.cli", "serve", "--no-worker", "--port", str(port)],
            env,
            tmp_path / "api.log",
        )
    )
    st.procs.append(
        _start(
            [py, "-m", "ingest.cli", "worker", "--pool", "solo", "--loglevel", "INFO"],
            env,
            tmp_path / "worker.log",
        )
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(st.base_url + "/healthz", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline or st.procs[0].poll() is not None:
            pytest.fail("the API did not start:\n" + st.logs())
        time.sleep(0.3)
    try:
        yield st
    finally:
        for p in st.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in st.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        engine.dispose()


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _shots() -> Path | None:
    where = os.environ.get("MOTCUA_SCREENSHOTS_DIR")
    if not where:
        return None
    path = Path(where)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _login(page, token: str) -> None:
    page.get_by_label("Mã truy cập").fill(token)
    page.get_by_role("button", name="Đăng nhập").click()


def _wait_until(predicate, *, timeout: float, what: str, logs=lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}\n{logs()}")
        time.sleep(0.25)


def test_field_upload_then_clerk_verifies_and_portal_is_told(
    stack: Stack, browser, webhook_receiver, make_card_photo, axe_check
):
    """GIVEN the service with a worker, and a portal that answers the first webhook with 500
    WHEN a field agent on a phone-sized page creates a dossier, takes a blurry photo (told to
    retake it), retakes it (the answer to that upload is lost on the network, so the
    page retries with the same Idempotency-Key), and a clerk then claims the dossier,
    sees the prefilled fields with their boxes, corrects one with the keyboard, confirms
    the others and approves with Ctrl+Enter
    THEN the database holds one document per photo, the dossier is verified with the
    corrected value, the history records the correction (old, new, who) and the reads,
    and the portal received the signed webhook after one retry.
    """
    from ocr.quality import assess_file

    shots = _shots()
    webhook_receiver.script[:] = [500]
    blurry = make_card_photo("blurry.jpg", seed=1, blur_sigma=12)
    good = make_card_photo("good.jpg", seed=1)
    blurry_q = assess_file(blurry.path, media_type="image/jpeg")
    good_q = assess_file(good.path, media_type="image/jpeg")
    assert not blurry_q.ok and good_q.ok, (  # preconditions of the scenario
        f"the quality check should refuse the blurry photo and accept the sharp one: "
        f"{blurry_q}, {good_q}"
    )

    agent_token, agent = stack.token(name="Tổ lưu động số 2", role="field_agent", office=OFFICE)
    clerk_token, clerk = stack.token(name="Lê Thị Hoa", role="clerk", office=OFFICE)

    # --- the field agent, on a phone -------------------------------------------------
    phone = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    page = phone.new_page()
    uploads: list[dict[str, str]] = []

    def flaky_network(route, request):
        uploads.append(dict(request.headers))
        if len(uploads) == 2:
            # The server gets the photo and answers, but the answer never reaches the phone.
            route.fetch()
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(r".*/api/v1/dossiers/[^/]+/documents$"), flaky_network)
    page.goto(stack.base_url + "/field")
    _login(page, agent_token)
    page.get_by_label("Thủ tục").select_option("dang-ky-thuong-tru")
    page.get_by_label("Mã hồ sơ / ghi chú (không bắt buộc)").fill("HS-2026-000123")
    page.get_by_role("button", name="Tạo hồ sơ mới").click()
    page.get_by_text("Đang chụp cho hồ sơ HS-2026-000123").wait_for()

    camera = page.locator("#camera")
    assert camera.get_attribute("capture") == "environment"
    assert camera.get_attribute("accept") == "image/*"
    camera.set_input_files(str(blurry.path))
    first = page.locator(".photo").nth(0)
    first.get_by_text("ảnh chưa đạt").wait_for()
    for message in blurry_q.messages:
        assert first.get_by_text(message).is_visible()
    retake = first.get_by_role("button", name="Chụp lại ảnh 1")
    if shots:
        page.screenshot(path=str(shots / "field-retake.png"), full_page=True)
    with page.expect_file_chooser() as chooser:
        retake.click()
    chooser.value.set_files(str(good.path))
    second = page.locator(".photo").nth(1)
    second.get_by_text("Đã tải lên ✓").wait_for(timeout=30_000)
    assert first.get_by_text("Đã thay bằng ảnh 2").is_visible()
    page.get_by_text("Đã xử lý xong 2 ảnh").wait_for(timeout=120_000)
    axe_check(page, "the field page")
    if shots:
        page.screenshot(path=str(shots / "field.png"), full_page=True)

    # Three requests: the blurry photo, the retake (answer lost), its retry with the same key.
    assert len(uploads) == 3
    keys = [h.get("idempotency-key") for h in uploads]
    assert keys[0] and keys[1] and keys[0] != keys[1] and keys[1] == keys[2]
    with stack.sessions() as s:
        dossier_id = s.scalar(select(Dossier.id).where(Dossier.external_ref == "HS-2026-000123"))
        docs = s.scalars(
            select(Document).where(Document.dossier_id == dossier_id).order_by(Document.created_at)
        ).all()
        assert len(docs) == 2  # nothing duplicated, nothing lost
        assert docs[0].upload_quality["ok"] is False and docs[1].upload_quality["ok"] is True
        assert s.get(Dossier, dossier_id).status == Status.AWAITING_REVIEW
        good_doc_id = docs[1].id
        good_fields = {
            f.key: f.value
            for f in s.scalars(select(FieldValue).where(FieldValue.document_id == good_doc_id))
        }
    assert good_fields.get("id_number") == good.truth["id_number"], (
        f"the worker did not read the card's QR (fields: {sorted(good_fields)})"
    )
    phone.close()

    # --- the clerk, at the desk ------------------------------------------------------
    desk = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = desk.new_page()
    page.goto(stack.base_url + "/desk")
    _login(page, clerk_token)
    page.get_by_role("heading", name="Hàng chờ duyệt").wait_for()
    page.get_by_role("cell", name=re.compile("^HS-2026-000123")).wait_for()
    axe_check(page, "the review queue")
    page.get_by_role("button", name="Nhận hồ sơ tiếp theo").click()
    page.wait_for_url(re.compile(r"/desk/dossiers/" + dossier_id))
    page.locator(".field-row input").first.wait_for()
    page.get_by_text("Bạn đang giữ hồ sơ này").wait_for()

    # Prefilled values and their boxes.
    id_row = page.locator(
        ".doc-group", has=page.locator(f'input[value="{good.truth["id_number"]}"]')
    )
    assert id_row.count() >= 1
    inputs = page.locator(".field-row input")
    assert inputs.nth(0).evaluate("el => el === document.activeElement")
    page.wait_for_function("document.querySelectorAll('#overlay rect').length > 0")
    active = page.locator("#overlay rect.active")
    assert active.count() == 1
    assert active.get_attribute("data-field-id") == inputs.nth(0).get_attribute("data-field-id")
    page.wait_for_function("document.getElementById('page-image').naturalWidth > 0")
    if shots:
        page.screenshot(path=str(shots / "desk.png"))
    axe_check(page, "the verification page")

    # The box is drawn in page-image pixels, scaled with the image.
    geometry = active.evaluate(
        """r => {
            const img = document.getElementById('page-image').getBoundingClientRect();
            const b = r.getBoundingClientRect();
            return {rect_w: b.width, img_w: img.width, x: +r.getAttribute('x'),
                    w: +r.getAttribute('width'),
                    page_w: +document.getElementById('overlay').viewBox.baseVal.width};
        }"""
    )
    assert abs(geometry["rect_w"] / geometry["img_w"] - geometry["w"] / geometry["page_w"]) < 0.01
    # Zoom with the buttons and the wheel, pan by dragging.
    level = page.locator("#zoom-level")
    before = int(level.inner_text().rstrip("%"))
    page.get_by_role("button", name="Phóng to").click()
    after_button = int(level.inner_text().rstrip("%"))
    viewer = page.locator("#viewer").bounding_box()
    cx, cy = viewer["x"] + viewer["width"] / 2, viewer["y"] + viewer["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.wheel(0, -400)
    page.wait_for_function(
        f"parseInt(document.getElementById('zoom-level').textContent) > {after_button}"
    )
    transform = page.locator("#stage").evaluate("el => el.style.transform")
    page.mouse.down()
    page.mouse.move(cx + 120, cy + 60, steps=5)
    page.mouse.up()
    assert page.locator("#stage").evaluate("el => el.style.transform") != transform
    assert after_button > before
    page.get_by_role("button", name="Vừa khung").click()
    assert int(level.inner_text().rstrip("%")) == before
    inputs.nth(0).focus()
    # Flagged fields come first in each paper, and are marked in words.
    flagged_rows = page.locator(".field-row.flagged")
    if flagged_rows.count():
        assert re.search("Xung đột|Độ tin cậy thấp", flagged_rows.first.inner_text())

    # Pick the field to correct: one of the retake's fields whose reading differs from the
    # card (OCR noise); the clerk types what the card says.
    rows = page.locator(".field-row:has(input[data-field-id])")
    target_id = target_key = old = new = None
    with stack.sessions() as s:
        fields = s.scalars(select(FieldValue).where(FieldValue.document_id == good_doc_id)).all()
    for f in fields:
        truth = good.truth.get(f.key)
        if truth and truth != f.value:
            target_id, target_key, old, new = f.id, f.key, f.value, truth
            break
    if target_id is None:  # every value read right: correct one anyway, to a new value
        f = next((f for f in fields if f.source == "ocr"), fields[0])
        target_id, target_key, old, new = f.id, f.key, f.value, f.value + " (đã kiểm tra)"
    assert rows.count() == inputs.count()

    # Keyboard only: Enter confirms each field and moves on; the target is corrected.
    count = inputs.count()
    for i in range(count):
        current = inputs.nth(i)
        assert current.evaluate("el => el === document.activeElement"), f"focus lost at {i}"
        field_id = current.get_attribute("data-field-id")
        if field_id == target_id:
            box = page.locator(f'#overlay rect[data-field-id="{target_id}"]')
            assert box.get_attribute("class") and "active" in box.get_attribute("class")
            current.fill(new)
            if shots:
                page.screenshot(path=str(shots / "desk-correction.png"))
        current.press("Enter")
        page.locator(
            f'.field-row[data-field-id="{field_id}"] :is(.badge.done, .badge.corrected)'
        ).wait_for()
    assert page.locator("#approve").evaluate("el => el === document.activeElement")
    history = page.locator("#history")
    history.get_by_text(f"«{old}» → «{new}»").wait_for()
    page.keyboard.press("Control+Enter")
    page.get_by_text("Đã duyệt hồ sơ").wait_for()
    page.get_by_text("Hồ sơ đã được xử lý; chỉ xem.").wait_for()
    assert "Lê Thị Hoa" in history.inner_text()
    desk.close()

    # --- what was recorded -----------------------------------------------------------
    with stack.sessions() as s:
        d = s.get(Dossier, dossier_id)
        assert d.status == Status.VERIFIED
        f = s.get(FieldValue, target_id)
        assert (f.value, f.state, f.source, f.updated_by) == (
            new,
            "corrected",
            "clerk",
            clerk.token_id,
        )
        assert f.extracted_value == old
        events = s.scalars(
            select(AuditEvent).where(AuditEvent.dossier_id == dossier_id).order_by(AuditEvent.id)
        ).all()
        corrections = [e for e in events if e.action == "field.correct"]
        assert [(e.field_key, e.old_value, e.new_value, e.actor_id) for e in corrections] == [
            (target_key, old, new, clerk.token_id)
        ]
        confirmations = [e for e in events if e.action == "field.confirm"]
        assert len(confirmations) == count - 1
        assert any(e.action == "dossier.view" and e.actor_id == clerk.token_id for e in events)
        assert any(e.action == "dossier.approve" for e in events)
        uploads_audited = [e for e in events if e.action == "document.upload"]
        assert {e.actor_id for e in uploads_audited} == {agent.token_id}

    _wait_until(
        lambda: any(r.answered == 200 for r in webhook_receiver.received),
        timeout=60,
        what="the webhook",
        logs=stack.logs,
    )
    assert [r.answered for r in webhook_receiver.received] == [500, 200]
    for r in webhook_receiver.received:
        assert webhooks.verify(SECRET, r.body, r.headers)
    body = json.loads(webhook_receiver.received[-1].body)
    assert body["event"] == "dossier.verified" and body["dossier"]["id"] == dossier_id

    def delivered() -> bool:  # the worker commits just after the portal's answer
        with stack.sessions() as s:
            return s.scalars(select(WebhookDelivery)).one().status == "delivered"

    _wait_until(delivered, timeout=30, what="the delivery to be recorded", logs=stack.logs)
    with stack.sessions() as s:
        delivery = s.scalars(select(WebhookDelivery)).one()
        assert (delivery.status, delivery.attempts) == ("delivered", 2)
        assert [a.status_code for a in delivery.attempt_log] == [500, 200]

    # The portal side of the API: verified fields and the delivery log.
    import httpx

    auth = {"Authorization": f"Bearer {clerk_token}"}
    verified = httpx.get(f"{stack.base_url}/api/v1/dossiers/{dossier_id}/verified", headers=auth)
    assert verified.status_code == 200
    doc_entry = next(e for e in verified.json()["documents"] if e["document_id"] == good_doc_id)
    assert doc_entry["fields"][target_key]["value"] == new
    log = httpx.get(f"{stack.base_url}/api/v1/dossiers/{dossier_id}/webhooks", headers=auth)
    assert [a["status_code"] for a in log.json()["items"][0]["log"]] == [500, 200]
