"""The worker function (``ingest.processing.process_document``) on hostile originals that
reached the object store without the upload's checks (limits changed since, a document
put there by another tool): each ends ``failed`` with a clear reason, in bounded time
and memory. Peak memory is measured in a fresh process (``ru_maxrss``)."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import hostile
import pytest
from hardening_kit import Svc

from ingest.processing import Outcome, process_document
from storage.db.models import Document
from storage.db.session import session_scope
from storage.objects import original_key

REPO = Path(__file__).resolve().parents[2]

CASES: dict[str, tuple[Callable[[], bytes], str, str]] = {
    # name: (maker, media type as the upload would have recorded it, words of the reason)
    "pdf-20000pt-page": (hostile.pdf_huge_page, "application/pdf", "83333 x 83333 pixels"),
    "pdf-10000-pages": (hostile.pdf_many_pages, "application/pdf", "10000 pages"),
    "tiff-1000-frames": (hostile.tiff_many_frames, "image/tiff", "more than 50 pages"),
    "png-bomb": (hostile.png_bomb, "image/png", "12000x12000 pixels"),
    "pdf-flate-bomb": (
        hostile.pdf_flate_bomb_content,
        "application/pdf",
        "expands to more than 100 MB",
    ),
    "jpeg-magic-junk": (hostile.jpeg_magic_then_junk, "image/jpeg", "cannot be decoded"),
    "pdf-then-zip": (hostile.pdf_then_zip, "application/pdf", "cannot be decoded"),
}
WORST = ("pdf-20000pt-page", "pdf-10000-pages", "tiff-1000-frames", "png-bomb", "pdf-flate-bomb")
MAX_RSS_BYTES = 1024**3
"""Ceiling for the worker's peak memory on the worst inputs (measured: about 115 MB)."""


def insert_document(svc: Svc, data: bytes, media_type: str, filename: str) -> str:
    """Store ``data`` as an original and record a ``received`` document, skipping the API."""
    sha = hashlib.sha256(data).hexdigest()
    store = svc.runtime.store
    store.put_bytes(store.originals_bucket, original_key(sha), data, content_type=media_type)
    dossier = svc.new_dossier()
    with session_scope(svc.runtime.sessions) as s:
        doc = Document(
            dossier_id=dossier,
            original_key=original_key(sha),
            sha256=sha,
            media_type=media_type,
            size_bytes=len(data),
            filename=filename,
            status="received",
        )
        s.add(doc)
        s.flush()
        return str(doc.id)


@pytest.mark.parametrize("case", sorted(CASES))
def test_worker_fails_hostile_originals_with_a_reason(svc: Svc, case: str) -> None:
    make, media_type, words = CASES[case]
    doc_id = insert_document(svc, make(), media_type, f"{case}.bin")
    rt = svc.runtime
    result = process_document(rt.sessions, rt.store, doc_id, settings=svc.settings)
    assert result.outcome == Outcome.FAILED, result
    with rt.sessions() as s:
        doc = s.get(Document, doc_id)
        assert doc is not None and doc.status == "failed"
        assert doc.failure_reason is not None and words in doc.failure_reason
    # A redelivery does nothing more.
    again = process_document(rt.sessions, rt.store, doc_id, settings=svc.settings)
    assert again.outcome == Outcome.ALREADY_DONE


WORKER_SCRIPT = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    from ingest.processing import process_document
    from ingest.runtime import build_runtime
    from ingest.settings import Settings

    settings = Settings(env="test", data_dir=Path(sys.argv[1]), _env_file=None)
    rt = build_runtime(settings)
    out = {}
    for doc_id in sys.argv[2:]:
        t = time.monotonic()
        r = process_document(rt.sessions, rt.store, doc_id, settings=settings)
        out[doc_id] = [str(r.outcome), round(time.monotonic() - t, 2)]
    # Linux keeps the forking parent's high-water mark in ru_maxrss across exec (the
    # pytest process's, here), so the process's own peak is read from VmHWM as well.
    hwm = [l for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM")]
    out["maxrss"] = int(hwm[0].split()[1]) * 1024 if hwm else (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    )
    print(json.dumps(out))
    """
)


@pytest.mark.slow
def test_worker_memory_and_time_are_bounded_on_the_worst_inputs(svc: Svc) -> None:
    """GIVEN a 20 000 pt PDF page, 10 000 PDF pages, 1 000 TIFF frames, a PNG of 144 Mpx,
    a PDF whose page content inflates to 160 MB
    WHEN a fresh worker process handles them THEN each fails within seconds and the
    process's peak RSS stays under 1 GB."""
    ids = {case: insert_document(svc, CASES[case][0](), CASES[case][1], case) for case in WORST}
    proc = subprocess.run(
        [sys.executable, "-c", WORKER_SCRIPT, str(svc.settings.data_dir), *ids.values()],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    for case, doc_id in ids.items():
        outcome, seconds = out[doc_id]
        assert outcome == "failed", (case, outcome)
        assert seconds < 30, (case, seconds)
    assert out["maxrss"] < MAX_RSS_BYTES, f"peak RSS {out['maxrss'] / 1024**2:.0f} MB"
    print(f"worker peak RSS on the worst inputs: {out['maxrss'] / 1024**2:.0f} MB; {out}")
