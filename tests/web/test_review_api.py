"""The desk's HTTP API and the pages' shells, through the real app (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from ingest.api.app import create_app
from ingest.runtime import build_runtime
from ingest.settings import Settings
from ingest.webhooks import WebhookSettings
from storage.db.models import AuditEvent, Document, FieldValue

API = "/api/v1"
OFFICE = "ubnd-hop-giang"


class App:
    def __init__(self, client: TestClient, webhooks_sent: list[str]) -> None:
        self.client = client
        self.webhooks_sent = webhooks_sent

    def get(self, path: str, token: str, **kw):
        return self.client.get(API + path, headers={"Authorization": f"Bearer {token}"}, **kw)

    def post(self, path: str, token: str, **kw):
        return self.client.post(API + path, headers={"Authorization": f"Bearer {token}"}, **kw)

    def patch(self, path: str, token: str, **kw):
        return self.client.patch(API + path, headers={"Authorization": f"Bearer {token}"}, **kw)


@pytest.fixture
def app(engine, db_url: str, tmp_path: Path) -> Iterator[App]:
    settings = Settings(
        env="test",
        data_dir=tmp_path / "var",
        database_url=db_url,
        _env_file=None,  # type: ignore[call-arg]
    )
    rt = build_runtime(settings)
    api = create_app(settings, runtime=rt, enqueue=lambda _doc_id: None)
    sent: list[str] = []
    api.state.webhook_settings = WebhookSettings(url="http://127.0.0.1:9/hook", secret="x" * 32)
    api.state.enqueue_webhook = sent.append
    with TestClient(api) as client:
        yield App(client, sent)
    rt.close()


@pytest.fixture
def people(new_principal):
    clerk, _ = new_principal(name="Lê Thị Hoa", role="clerk", office=OFFICE)
    clerk2, _ = new_principal(name="Phạm Văn Bình", role="clerk", office=OFFICE)
    other_office, _ = new_principal(name="Cán bộ xã khác", role="clerk", office="ubnd-khac")
    agent, agent_p = new_principal(name="Tổ lưu động", role="field_agent", office=OFFICE)
    portal, portal_p = new_principal(name="Cổng DVC", role="portal", office=None)
    return {
        "clerk": clerk,
        "clerk2": clerk2,
        "other_office": other_office,
        "agent": agent,
        "agent_id": agent_p.token_id,
        "portal": portal,
        "portal_id": portal_p.token_id,
    }


def _fields(sessions, dossier_id: str) -> dict[str, str]:
    with sessions() as s:
        rows = s.execute(
            select(FieldValue.key, FieldValue.id)
            .join(Document, Document.id == FieldValue.document_id)
            .where(Document.dossier_id == dossier_id, Document.document_type == "cccd_front")
        ).all()
    return dict(rows)


def test_pages_are_served_in_vietnamese_with_a_strict_csp(app):
    for path, heading in [
        ("/desk", "Hàng chờ duyệt"),
        ("/desk/dossiers/x", "Duyệt hồ sơ"),
        ("/field", "Chụp ảnh"),
    ]:
        r = app.client.get(path)
        assert r.status_code == 200
        assert '<html lang="vi">' in r.text and heading in r.text
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert r.headers["cache-control"] == "no-store"
    field = app.client.get("/field").text
    assert 'capture="environment"' in field and 'accept="image/*"' in field
    assert app.client.get("/static/web/verify.js").status_code == 200


def test_me_tells_the_page_who_is_logged_in(app, people):
    r = app.get("/me", people["clerk"])
    assert r.json() == {"name": "Lê Thị Hoa", "role": "clerk", "office": OFFICE}
    assert app.client.get(API + "/me").status_code == 401


def test_desk_endpoints_are_for_clerks_of_the_office(app, people, new_dossier):
    dossier_id = new_dossier(office=OFFICE)
    assert app.get("/review/queue", people["agent"]).status_code == 403
    assert app.get("/review/queue", people["portal"]).status_code == 403
    assert app.get("/review/queue", people["other_office"]).json() == {"items": []}
    r = app.post(f"/review/dossiers/{dossier_id}/claim", people["other_office"])
    assert r.status_code == 404  # another office's dossier does not exist for this clerk
    assert app.get(f"/review/dossiers/{dossier_id}", people["other_office"]).status_code == 404


def test_claim_correct_approve_over_http(app, people, new_dossier, sessions):
    dossier_id = new_dossier(office=OFFICE, created_by=people["portal_id"], external_ref="P-1")
    clerk, clerk2 = people["clerk"], people["clerk2"]

    queue = app.get("/review/queue", clerk).json()["items"]
    assert [i["dossier_id"] for i in queue] == [dossier_id]
    claimed = app.post("/review/claim", clerk)
    assert claimed.status_code == 200 and claimed.json()["dossier_id"] == dossier_id
    taken = app.post(f"/review/dossiers/{dossier_id}/claim", clerk2)
    assert taken.status_code == 409 and taken.json()["code"] == "claimed_by_other"
    assert "cán bộ khác" in taken.json()["message_vi"]
    assert app.post("/review/claim", clerk2).json()["code"] == "queue_empty"

    view = app.get(f"/review/dossiers/{dossier_id}", clerk).json()
    assert view["review"]["claimed_by_me"] is True
    front = view["documents"][0]
    assert front["pages"][0]["image_url"] == f"{API}/documents/{front['id']}/pages/1/image"
    assert view["applicant"]["values"]["id_number"]["value"] == "001099012345"

    ids = _fields(sessions, dossier_id)
    r = app.patch(
        f"/review/dossiers/{dossier_id}/fields/{ids['full_name']}",
        clerk2,
        json={"action": "correct", "value": "X"},
    )
    assert r.status_code == 409 and r.json()["code"] == "not_claimed"
    r = app.patch(
        f"/review/dossiers/{dossier_id}/fields/{ids['full_name']}",
        clerk,
        json={"action": "correct", "value": "NGUYỄN VĂN ANH"},
    )
    assert r.status_code == 200
    body = r.json()
    assert body["field"]["value"] == "NGUYỄN VĂN ANH" and body["field"]["state"] == "corrected"
    assert body["event"]["old_value"] == "NGUYỄN VĂN AN"
    assert body["event"]["actor_name"] == "Lê Thị Hoa"
    assert body["applicant"]["values"]["full_name"]["value"] == "NGUYỄN VĂN ANH"
    assert body["lease_expires_at"]
    bad = app.patch(
        f"/review/dossiers/{dossier_id}/fields/{ids['sex']}", clerk, json={"action": "erase"}
    )
    assert bad.status_code == 422
    assert (
        app.patch(
            f"/review/dossiers/{dossier_id}/fields/nope", clerk, json={"action": "confirm"}
        ).status_code
        == 404
    )

    # The portal cannot read fields before the decision.
    assert app.get(f"/dossiers/{dossier_id}/verified", people["portal"]).status_code == 409
    r = app.post(f"/review/dossiers/{dossier_id}/approve", clerk)
    assert r.status_code == 200 and r.json()["status"] == "verified"
    assert app.webhooks_sent == [r.json()["webhook_delivery"]]

    verified = app.get(f"/dossiers/{dossier_id}/verified", people["portal"]).json()
    assert verified["external_ref"] == "P-1"
    assert verified["applicant"]["full_name"] == "NGUYỄN VĂN ANH"
    log = app.get(f"/dossiers/{dossier_id}/webhooks", people["portal"]).json()["items"]
    assert [(d["event"], d["status"], d["attempts"]) for d in log] == [
        ("dossier.verified", "pending", 0)
    ]
    history = app.get(f"/dossiers/{dossier_id}/history", clerk).json()["items"]
    actions = [h["action"] for h in history]
    assert actions.index("review.claim") < actions.index("field.correct")
    assert actions.index("field.correct") < actions.index("dossier.approve")
    assert app.get(f"/dossiers/{dossier_id}/history", people["portal"]).status_code == 403


def test_reject_needs_a_reason_over_http(app, people, new_dossier):
    dossier_id = new_dossier(office=OFFICE)
    clerk = people["clerk"]
    app.post(f"/review/dossiers/{dossier_id}/claim", clerk)
    assert (
        app.post(f"/review/dossiers/{dossier_id}/reject", clerk, json={"reason": ""}).status_code
        == 422
    )
    assert (
        app.post(f"/review/dossiers/{dossier_id}/reject", clerk, json={"reason": "   "}).status_code
        == 422
    )
    # a no-break space alone is refused by the request's schema, as it says
    r = app.post(f"/review/dossiers/{dossier_id}/reject", clerk, json={"reason": "\u00a0"})
    assert r.status_code == 422 and r.json()["code"] == "invalid_request"
    r = app.post(
        f"/review/dossiers/{dossier_id}/reject", clerk, json={"reason": "Thiếu mặt sau CCCD"}
    )
    assert r.status_code == 200 and r.json()["reason"] == "Thiếu mặt sau CCCD"
    again = app.post(f"/review/dossiers/{dossier_id}/approve", clerk)
    assert again.status_code == 409


def test_progress_shows_statuses_without_reading_personal_data(app, people, new_dossier, sessions):
    dossier_id = new_dossier(office=OFFICE, created_by=people["agent_id"])
    with sessions() as s:
        before = s.scalar(select(func.count()).select_from(AuditEvent))
    r = app.get(f"/dossiers/{dossier_id}/progress", people["agent"])
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "awaiting_review" and body["status_label_vi"] == "Chờ kiểm tra"
    assert [d["status"] for d in body["documents"]] == ["awaiting_review", "awaiting_review"]
    assert "fields" not in str(body)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == before
    # The portal did not create this dossier: it does not exist for it.
    assert app.get(f"/dossiers/{dossier_id}/progress", people["portal"]).status_code == 404


def test_reading_a_page_image_is_audited(app, people, new_dossier, sessions):
    """A page image shows the citizen's papers: fetching it is an audit event."""
    dossier_id = new_dossier(office=OFFICE, created_by=people["portal_id"])
    view = app.get(f"/review/dossiers/{dossier_id}", people["clerk"]).json()
    doc_id = view["documents"][0]["id"]
    app.get(f"/documents/{doc_id}/pages/1/image", people["clerk"])
    with sessions() as s:
        events = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "document.page_image", AuditEvent.document_id == doc_id
            )
        ).all()
    assert [(e.dossier_id, e.detail) for e in events] == [(dossier_id, {"page": 1})]
    assert app.get(f"/documents/{doc_id}/pages/99/image", people["clerk"]).status_code == 404
