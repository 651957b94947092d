"""No personal data in log lines while a generated CCCD is uploaded, processed and read:
no full name, no full id number (a masked one is fine), no address, no birth date."""

from __future__ import annotations

import io
import logging

import numpy as np
import pytest
from hardening_kit import API, Svc

from ingest.processing import Outcome, process_document

pytestmark = pytest.mark.needs_tesseract


def _secrets(spec) -> dict[str, str]:  # noqa: ANN001 - synth Specimen
    person = spec.person
    out = {"full_name": person.full_name, "id_number": person.id_number}
    for key in ("place_of_residence", "place_of_origin"):
        if spec.truth.get(key):
            out[key] = spec.truth[key]
    if person.old_id_number:
        out["old_id_number"] = person.old_id_number
    out["date_of_birth"] = person.date_of_birth.strftime("%d/%m/%Y")
    return out


def test_processing_a_cccd_logs_no_personal_data(
    svc: Svc, caplog: pytest.LogCaptureFixture
) -> None:
    from PIL import Image

    from synth.documents import generate

    spec = generate("cccd_front", np.random.default_rng(7))
    buf = io.BytesIO()
    Image.fromarray(spec.image[:, :, ::-1]).save(buf, format="PNG")
    secrets = _secrets(spec)

    with caplog.at_level(logging.DEBUG):
        dossier = svc.new_dossier()
        r = svc.client.post(
            f"{API}/dossiers/{dossier}/documents",
            files=[("files", (f"{secrets['full_name']}.png", buf.getvalue(), "image/png"))],
            headers=svc.headers,
        )
        assert r.status_code == 201, r.text
        doc_id = r.json()["documents"][0]["id"]
        rt = svc.runtime
        result = process_document(rt.sessions, rt.store, doc_id, settings=svc.settings)
        assert result.outcome == Outcome.DONE
        body = svc.client.get(f"{API}/documents/{doc_id}", headers=svc.headers).json()
        svc.client.get(f"{API}/dossiers/{dossier}", headers=svc.headers)

    # The run did read the card (otherwise the test proves nothing).
    values = {k: f["value"] for d in body["documents"] for k, f in d["fields"].items()}
    assert values.get("id_number") == secrets["id_number"], values
    names = {r.name.split(".")[0] for r in caplog.records}
    assert {"ingest", "ocr"} <= names, names  # the OCR and service loggers were captured
    logged = "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
    ).casefold()
    for what, value in secrets.items():
        assert value.casefold() not in logged, f"{what} appears in the logs"
    # Parts long enough to identify someone: the name without its surname, the id's tail.
    given = " ".join(secrets["full_name"].split()[1:])
    assert given.casefold() not in logged
    assert secrets["id_number"][4:] not in logged


NAME = "NGUYỄN THỊ MINH KHAI"
ID_NUMBER = "001199012345"


def test_unexpected_errors_are_logged_without_their_messages(
    svc: Svc, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GIVEN a reader bug whose message quotes a citizen's name and id number
    WHEN the worker hits it THEN the document fails, and the log has the exception type
    and stack but neither the name nor the number."""
    import ingest.processing

    def crash(*_a: object, **_k: object) -> None:
        raise ValueError(f"cannot parse {NAME} {ID_NUMBER}")

    monkeypatch.setattr(ingest.processing, "extract_file", crash)
    dossier = svc.new_dossier()
    r = svc.client.post(
        f"{API}/dossiers/{dossier}/documents",
        files=[("files", ("card.png", _png(), "image/png"))],
        headers=svc.headers,
    )
    doc_id = r.json()["documents"][0]["id"]
    with caplog.at_level(logging.DEBUG):
        rt = svc.runtime
        result = process_document(rt.sessions, rt.store, doc_id, settings=svc.settings)
    assert result.outcome == Outcome.FAILED
    logged = _logged(caplog)
    assert "valueerror" in logged and "crash" in logged  # type and stack are kept
    assert NAME.casefold() not in logged and ID_NUMBER not in logged


def test_api_internal_errors_are_logged_without_their_messages(
    svc: Svc, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ingest.api.routes.dossiers as routes

    def crash(*_a: object, **_k: object) -> None:
        raise RuntimeError(f"applicant {NAME} {ID_NUMBER}")

    monkeypatch.setattr(routes, "create_dossier", crash)
    with caplog.at_level(logging.DEBUG):
        r = svc.client.post(
            f"{API}/dossiers",
            json={"procedure_code": "1.001", "office": "ubnd-a", "applicant_name": NAME},
            headers=svc.headers,
        )
    assert r.status_code == 500 and r.json()["code"] == "internal_error"
    assert NAME not in r.text
    logged = _logged(caplog)
    assert "runtimeerror" in logged
    assert NAME.casefold() not in logged and ID_NUMBER not in logged


def _png() -> bytes:
    import hostile

    return hostile.png_alpha()


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(
        f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
    ).casefold()
