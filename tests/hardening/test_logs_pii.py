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
