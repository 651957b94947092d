"""The review queue, claims with a lease, corrections and decisions, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from ingest import review
from ingest.records import Conflict, Forbidden
from ingest.webhooks import WebhookSettings
from storage.db.models import AuditEvent, Document, Dossier, FieldState, FieldValue, ReviewTask
from storage.db.status import Status
from storage.db.webhooks import WebhookDelivery

LEASE = 600
HOOKS = WebhookSettings(url="http://127.0.0.1:9/hook", secret="s" * 32)
NO_HOOKS = WebhookSettings()


def page_url(doc_id: str, n: int) -> str:
    return f"/api/v1/documents/{doc_id}/pages/{n}/image"


@pytest.fixture
def office_a(new_principal):
    _, clerk1 = new_principal(name="Lê Thị Hoa", role="clerk", office="ubnd-hop-giang")
    _, clerk2 = new_principal(name="Phạm Văn Bình", role="clerk", office="ubnd-hop-giang")
    return clerk1, clerk2


def _field(s: Session, dossier_id: str, doc_type: str, key: str) -> FieldValue:
    return s.execute(
        select(FieldValue)
        .join(Document, Document.id == FieldValue.document_id)
        .where(
            Document.dossier_id == dossier_id,
            Document.document_type == doc_type,
            FieldValue.key == key,
        )
    ).scalar_one()


def test_queue_is_per_office_and_ordered_by_due_time(
    sessions, office_a, new_dossier, new_principal
):
    clerk, _ = office_a
    late = new_dossier(office="ubnd-hop-giang", due_in_h=48)
    soon = new_dossier(office="ubnd-hop-giang", due_in_h=2)
    no_due = new_dossier(office="ubnd-hop-giang", due_in_h=None)
    new_dossier(office="ubnd-other", due_in_h=1)
    with sessions() as s:
        items = review.queue(s, clerk)
    assert [i["dossier_id"] for i in items] == [soon, late, no_due]
    assert all(i["documents"] == 2 for i in items)
    assert not any(i["claimed"] for i in items)


def test_field_agent_cannot_use_the_desk(sessions, new_dossier, new_principal):
    _, agent = new_principal(name="Tổ lưu động", role="field_agent", office="x")
    new_dossier(office="x")
    with sessions() as s, pytest.raises(Forbidden):
        review.claim_next(s, agent, lease_s=LEASE)


def test_claim_next_takes_most_urgent_and_returns_the_held_one_again(
    sessions, office_a, new_dossier, new_principal
):
    clerk, other = office_a
    new_dossier(office="ubnd-hop-giang", due_in_h=10)
    urgent = new_dossier(office="ubnd-hop-giang", due_in_h=1)
    with sessions() as s:
        first = review.claim_next(s, clerk, lease_s=LEASE)
        s.commit()
    with sessions() as s:
        again = review.claim_next(s, clerk, lease_s=LEASE)
        s.commit()
        second = review.claim_next(s, other, lease_s=LEASE)
        s.commit()
    assert first is not None and first.dossier_id == urgent
    assert again is not None and again.dossier_id == urgent
    assert second is not None and second.dossier_id != urgent
    with sessions() as s:
        q = {i["dossier_id"]: i for i in review.queue(s, clerk)}
    assert q[urgent]["claimed_by_me"] and q[urgent]["claimed_by_name"] == "Lê Thị Hoa"
    assert not q[second.dossier_id]["claimed_by_me"]


def test_concurrent_clerks_never_get_the_same_dossier(sessions, db_url, new_dossier, new_principal):
    """GIVEN 3 dossiers and 8 clerks of one office
    WHEN all clerks claim the next dossier at the same moment, each on its own connection
    THEN exactly 3 claims succeed, on 3 different dossiers, and 5 clerks get nothing.
    """
    dossiers = {new_dossier(office="o1", due_in_h=h) for h in (1, 2, 3)}
    clerks = [new_principal(name=f"c{i}", role="clerk", office="o1")[1] for i in range(8)]
    barrier = threading.Barrier(len(clerks))
    results: list[str | None] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work(p):
        try:
            with sessions() as s:
                barrier.wait(timeout=10)
                got = review.claim_next(s, p, lease_s=LEASE)
                s.commit()
            with lock:
                results.append(got.dossier_id if got else None)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(c,)) for c in clerks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    claimed = [r for r in results if r]
    assert len(results) == 8
    assert sorted(claimed) == sorted(dossiers)
    with sessions() as s:
        tasks = s.scalars(select(ReviewTask)).all()
        assert {t.claimed_by for t in tasks} <= {c.token_id for c in clerks}
        assert len({t.claimed_by for t in tasks}) == 3


def test_lease_expires_when_the_clerk_walks_away(sessions, office_a, new_dossier, new_principal):
    clerk, other = office_a
    dossier_id = new_dossier(office="ubnd-hop-giang")
    t0 = datetime.now(UTC)
    with sessions() as s:
        assert review.claim_next(s, clerk, lease_s=LEASE, now=t0).dossier_id == dossier_id
        s.commit()
    with sessions() as s:
        assert review.claim_next(s, other, lease_s=LEASE, now=t0 + timedelta(minutes=5)) is None
        with pytest.raises(review.ClaimTaken):
            review.claim(s, other, dossier_id, lease_s=LEASE, now=t0 + timedelta(minutes=5))
        s.rollback()
    later = t0 + timedelta(seconds=LEASE + 1)
    with sessions() as s:
        taken = review.claim_next(s, other, lease_s=LEASE, now=later)
        s.commit()
    assert taken is not None and taken.dossier_id == dossier_id
    with sessions() as s:
        f = _field(s, dossier_id, "cccd_front", "sex")
        with pytest.raises(review.NotClaimed):
            review.correct_field(s, clerk, dossier_id, f.id, "Nữ", lease_s=LEASE, now=later)
        s.rollback()
        events = s.scalars(
            select(AuditEvent).where(
                AuditEvent.dossier_id == dossier_id, AuditEvent.action == "review.claim"
            )
        ).all()
    assert [e.actor_id for e in events] == [clerk.token_id, other.token_id]
    assert events[1].detail == {"taken_over_from": clerk.token_id}


def test_an_active_clerk_keeps_the_claim_alive(sessions, office_a, new_dossier, new_principal):
    clerk, other = office_a
    dossier_id = new_dossier(office="ubnd-hop-giang")
    t0 = datetime.now(UTC)
    with sessions() as s:
        review.claim(s, clerk, dossier_id, lease_s=LEASE, now=t0)
        s.commit()
    t1 = t0 + timedelta(seconds=LEASE - 10)
    with sessions() as s:
        f = _field(s, dossier_id, "cccd_front", "full_name")
        review.confirm_field(s, clerk, dossier_id, f.id, lease_s=LEASE, now=t1)
        s.commit()
    with sessions() as s:
        # Past the first lease, but the confirmation renewed it.
        assert (
            review.claim_next(s, other, lease_s=LEASE, now=t0 + timedelta(seconds=LEASE + 5))
            is None
        )


def test_release_gives_the_dossier_back(sessions, office_a, new_dossier, new_principal):
    clerk, other = office_a
    dossier_id = new_dossier(office="ubnd-hop-giang")
    with sessions() as s:
        review.claim(s, clerk, dossier_id, lease_s=LEASE)
        s.commit()
        assert not review.release(s, other, dossier_id)
        assert review.release(s, clerk, dossier_id)
        s.commit()
        assert review.claim_next(s, other, lease_s=LEASE).dossier_id == dossier_id


def test_corrections_are_recorded_with_old_new_who_when_which(
    sessions, office_a, new_dossier, new_principal
):
    clerk, _ = office_a
    dossier_id = new_dossier(office="ubnd-hop-giang")
    at = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
    with sessions() as s:
        review.claim(s, clerk, dossier_id, lease_s=LEASE, now=at)
        f = _field(s, dossier_id, "cccd_front", "full_name")
        field, event = review.correct_field(
            s, clerk, dossier_id, f.id, "  NGUYỄN  VĂN ANH ", lease_s=LEASE, now=at
        )
        s.commit()
        field_id = field.id
    with sessions() as s:
        f = s.get(FieldValue, field_id)
        assert f.value == "NGUYỄN VĂN ANH"
        assert f.state == FieldState.CORRECTED and f.source == "clerk"
        assert f.extracted_value == "NGUYỄN VĂN AN"
        assert f.updated_by == clerk.token_id
        history = review.history(s, clerk, dossier_id)
        s.commit()
    corrections = [h for h in history if h["action"] == "field.correct"]
    assert len(corrections) == 1
    c = corrections[0]
    assert (c["field_key"], c["old_value"], c["new_value"]) == (
        "full_name",
        "NGUYỄN VĂN AN",
        "NGUYỄN VĂN ANH",
    )
    assert c["actor_name"] == "Lê Thị Hoa" and c["actor_role"] == "clerk"
    assert c["at"] == at.isoformat()
    assert c["detail"]["previous_source"] == "ocr" and c["detail"]["field_id"] == field_id
    # Reading the history is itself recorded.
    assert history[-1]["action"] == "dossier.view" and history[-1]["detail"]["what"] == "history"


def test_entering_the_shown_value_is_a_confirmation(sessions, office_a, new_dossier, new_principal):
    clerk, _ = office_a
    dossier_id = new_dossier(office="ubnd-hop-giang")
    with sessions() as s:
        review.claim(s, clerk, dossier_id, lease_s=LEASE)
        f = _field(s, dossier_id, "cccd_front", "sex")
        field, event = review.correct_field(s, clerk, dossier_id, f.id, "Nam", lease_s=LEASE)
        s.commit()
        assert event.action == "field.confirm"
        assert field.state == FieldState.CONFIRMED and field.source == "ocr"
        with pytest.raises(ValueError):
            review.correct_field(s, clerk, dossier_id, f.id, "   ", lease_s=LEASE)


def test_reading_the_dossier_is_audited_and_flags_come_first(
    sessions, office_a, new_dossier, new_principal
):
    clerk, _ = office_a
    dossier_id = new_dossier(
        office="ubnd-hop-giang",
        front_conflicts=[
            {"field": "date_of_birth", "values": {"qr": "1999-01-01", "ocr": "1999-07-01"}}
        ],
    )
    with sessions() as s:
        view = review.dossier_view(s, clerk, dossier_id, page_url=page_url)
        s.commit()
        views = s.scalars(
            select(AuditEvent).where(
                AuditEvent.dossier_id == dossier_id, AuditEvent.action == "dossier.view"
            )
        ).all()
    assert len(views) == 1 and views[0].actor_id == clerk.token_id
    front = view["documents"][0]["parts"][0]
    assert front["document_type"] == "cccd_front"
    keys = [f["key"] for f in front["fields"]]
    # conflict first, then the two fields below 0.8 in extractor order, then the rest
    assert keys[:3] == ["date_of_birth", "sex", "place_of_residence"]
    assert front["fields"][0]["flags"] == ["conflict"]
    assert front["fields"][1]["flags"] == ["low_confidence"]
    assert front["fields"][0]["bbox"] == [420, 380, 600, 410]
    page = view["documents"][0]["pages"][0]
    assert page["image_url"].endswith("/pages/1/image") and page["width"] == 1000


def test_applicant_record_pairs_front_and_back_and_follows_source_priority(
    sessions, office_a, new_dossier, new_principal
):
    """GIVEN a card front (QR id, OCR name) and back (MRZ id disagreeing with the QR)
    THEN the record takes the QR id, lists the disagreement, and pairs front with back;
    once the clerk corrects the back's id, the clerk's value wins.
    """
    clerk, _ = office_a
    back = [("id_number", "001099012346", 0.98, "mrz", (40, 520, 900, 560))]
    dossier_id = new_dossier(office="ubnd-hop-giang", back=back)
    with sessions() as s:
        rec = review.applicant_record(s, dossier_id)
    assert rec["values"]["id_number"]["value"] == "001099012345"
    assert rec["values"]["id_number"]["source"] == "qr"
    assert rec["values"]["full_name"]["value"] == "NGUYỄN VĂN AN"
    assert [c["field"] for c in rec["conflicts"]] == ["id_number"]
    assert len(rec["cards"]) == 1 and rec["cards"][0]["paired_by"] == "only_pair"
    assert rec["cards"][0]["back"] is not None

    with sessions() as s:
        review.claim(s, clerk, dossier_id, lease_s=LEASE)
        f = _field(s, dossier_id, "cccd_back", "id_number")
        review.correct_field(s, clerk, dossier_id, f.id, "001099012347", lease_s=LEASE)
        s.commit()
        rec = review.applicant_record(s, dossier_id)
    assert rec["values"]["id_number"]["value"] == "001099012347"
    assert rec["values"]["id_number"]["source"] == "clerk"


def test_pairing_by_id_number_with_two_cards(sessions, new_dossier, new_principal):
    from storage.db.models import DocumentPart

    a = new_dossier(office="o")
    b = new_dossier(
        office="o",
        front=[("id_number", "079199000111", 0.99, "qr", (1, 1, 2, 2))],
        back=[("id_number", "079199000111", 0.99, "mrz", (1, 1, 2, 2))],
    )
    # Move b's documents into a: one dossier with two cards.
    with sessions() as s:
        for doc in s.scalars(select(Document).where(Document.dossier_id == b)):
            doc.dossier_id = a
        s.commit()
        rec = review.applicant_record(s, a)
        parts = {(p.document_id, p.index): p for p in s.scalars(select(DocumentPart))}
    assert len(rec["cards"]) == 2
    for card in rec["cards"]:
        assert card["paired_by"] == "id_number"
        front = parts[(card["front"]["document_id"], 0)]
        back = parts[(card["back"]["document_id"], 0)]
        assert front.document_type == "cccd_front" and back.document_type == "cccd_back"
        ids = {
            f.value
            for f in s.scalars(
                select(FieldValue).where(
                    FieldValue.document_id.in_([front.document_id, back.document_id]),
                    FieldValue.key == "id_number",
                )
            )
        }
        assert len(ids) == 1


def test_approve_needs_conflicts_resolved_then_verifies_and_queues_a_webhook(
    sessions, office_a, new_dossier, new_principal
):
    clerk, _ = office_a
    dossier_id = new_dossier(
        office="ubnd-hop-giang",
        front_conflicts=[
            {"field": "date_of_birth", "values": {"qr": "1999-01-01", "ocr": "1999-07-01"}}
        ],
    )
    with sessions() as s:
        review.claim(s, clerk, dossier_id, lease_s=LEASE)
        s.commit()
        with pytest.raises(Conflict, match="date_of_birth"):
            review.approve(s, clerk, dossier_id, lease_s=LEASE, webhooks=HOOKS)
        s.rollback()
        dob = _field(s, dossier_id, "cccd_front", "date_of_birth")
        review.confirm_field(s, clerk, dossier_id, dob.id, lease_s=LEASE)
        name = _field(s, dossier_id, "cccd_front", "full_name")
        review.correct_field(s, clerk, dossier_id, name.id, "NGUYỄN VĂN ANH", lease_s=LEASE)
        dossier, delivery = review.approve(s, clerk, dossier_id, lease_s=LEASE, webhooks=HOOKS)
        s.commit()
    with sessions() as s:
        d = s.get(Dossier, dossier_id)
        assert d.status == Status.VERIFIED
        assert d.applicant_name == "NGUYỄN VĂN ANH" and d.applicant_id_number == "001099012345"
        assert {
            doc.status
            for doc in s.scalars(select(Document).where(Document.dossier_id == dossier_id))
        } == {Status.VERIFIED}
        assert (
            s.scalar(select(ReviewTask.status).where(ReviewTask.dossier_id == dossier_id)) == "done"
        )
        states = {f.state for f in s.scalars(select(FieldValue))}
        assert FieldState.EXTRACTED not in states
        rows = s.scalars(select(WebhookDelivery)).all()
        assert len(rows) == 1 and rows[0].id == delivery.id
        assert rows[0].event == "dossier.verified" and rows[0].status == "pending"
        assert "NGUYỄN" not in rows[0].body  # no personal data in the webhook body
        out = review.verified_fields(s, clerk, dossier_id)
        s.commit()
        # Once decided, nothing changes any more.
        with pytest.raises(review.NotClaimed):
            review.confirm_field(s, clerk, dossier_id, name.id, lease_s=LEASE)
    assert out["applicant"]["full_name"] == "NGUYỄN VĂN ANH"
    front = next(d for d in out["documents"] if d["document_type"] == "cccd_front")
    assert front["fields"]["full_name"] == {
        "value": "NGUYỄN VĂN ANH",
        "source": "clerk",
        "state": "corrected",
        "confidence": 1.0,
        "page": 1,
        "bbox": [300, 320, 640, 352],
        "extracted_value": "NGUYỄN VĂN AN",
    }
    assert out["verified_by"] == clerk.token_id


def test_reject_needs_a_reason(sessions, office_a, new_dossier, new_principal):
    clerk, _ = office_a
    dossier_id = new_dossier(office="ubnd-hop-giang")
    with sessions() as s:
        review.claim(s, clerk, dossier_id, lease_s=LEASE)
        with pytest.raises(ValueError):
            review.reject(s, clerk, dossier_id, "  ", lease_s=LEASE, webhooks=NO_HOOKS)
        dossier, delivery = review.reject(
            s, clerk, dossier_id, "Ảnh CCCD mặt sau bị mờ", lease_s=LEASE, webhooks=NO_HOOKS
        )
        s.commit()
        assert delivery is None
        assert dossier.status == Status.REJECTED
        assert dossier.status_reason == "Ảnh CCCD mặt sau bị mờ"
        with pytest.raises(Conflict):
            review.verified_fields(s, clerk, dossier_id)


def test_verified_dossiers_leave_the_queue(sessions, office_a, new_dossier, new_principal):
    clerk, _ = office_a
    dossier_id = new_dossier(office="ubnd-hop-giang")
    with sessions() as s:
        review.claim(s, clerk, dossier_id, lease_s=LEASE)
        review.approve(s, clerk, dossier_id, lease_s=LEASE, webhooks=NO_HOOKS)
        s.commit()
        assert review.queue(s, clerk) == []
        assert review.claim_next(s, clerk, lease_s=LEASE) is None
