"""The ``motcua`` command: extract offline, tokens, database, help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ingest_kit import png_bytes

from ingest.cli import main


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    return subprocess.run(
        [sys.executable, "-m", "ingest.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.needs_tesseract
def test_extract_json_reports_bad_files_and_reads_the_others(tmp_path: Path) -> None:
    """GIVEN a readable scan, a text file and a missing path WHEN `motcua extract --json`
    THEN stdout holds the spec's JSON for the scan, stderr one line per bad file, exit 1."""
    scan = tmp_path / "scan.png"
    scan.write_bytes(png_bytes(size=(900, 200), text="GIẤY CHỨNG NHẬN KẾT HÔN"))
    notes = tmp_path / "notes.jpg"
    notes.write_text("not an image")
    proc = _run(["extract", "--json", "scan.png", "notes.jpg", "missing.pdf"], tmp_path)
    assert proc.returncode == 1
    errors = proc.stderr.strip().splitlines()
    assert len(errors) == 2, proc.stderr
    assert errors[0].startswith("motcua: notes.jpg: ")
    assert errors[1].startswith("motcua: missing.pdf: ")
    out = json.loads(proc.stdout)
    (doc,) = out["documents"]
    assert doc["source"] == "scan.png" and doc["pages"] == [1]
    assert set(doc) >= {
        "source",
        "pages",
        "document_type",
        "type_confidence",
        "quality",
        "fields",
        "conflicts",
        "text",
    }
    assert "KẾT" in doc["text"] or "HÔN" in doc["text"]


@pytest.mark.needs_tesseract
def test_extract_all_good_exits_zero_with_a_human_summary(tmp_path: Path) -> None:
    scan = tmp_path / "a.png"
    scan.write_bytes(png_bytes(size=(900, 200), text="CĂN CƯỚC"))
    proc = _run(["extract", "a.png"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("a.png [pages 1]: ")


def test_token_create_and_db_commands_on_the_embedded_database(tmp_path: Path) -> None:
    proc = _run(["token", "create", "--role", "clerk", "--name", "x"], tmp_path)
    assert proc.returncode != 0 and "needs an office" in proc.stderr
    proc = _run(["token", "create", "--role", "clerk", "--office", "o", "--name", "x"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().startswith("mct_") and "shown only once" in proc.stderr
    assert (tmp_path / "var" / "motcua.db").is_file()
    proc = _run(["token", "list"], tmp_path)
    assert proc.returncode == 0 and "clerk" in proc.stdout and "never" in proc.stdout
    token_id = proc.stdout.split()[0]
    assert _run(["token", "revoke", token_id], tmp_path).returncode == 0
    assert "revoked" in _run(["token", "list"], tmp_path).stdout
    assert _run(["token", "revoke", token_id], tmp_path).returncode != 0
    proc = _run(["sweep", "--older-than", "0"], tmp_path)
    assert proc.returncode == 0 and "re-enqueued 0" in proc.stdout
    proc = _run(["db", "upgrade"], tmp_path)
    assert proc.returncode == 0 and "database at" in proc.stdout
    proc = _run(["db", "current"], tmp_path)
    assert proc.stdout.startswith("current 0"), proc.stdout
    current, head = (part.split()[-1] for part in proc.stdout.strip().split(","))
    assert current == head


def test_production_refuses_the_default_secret(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env["MOTCUA_ENV"] = "production"
    proc = subprocess.run(
        [sys.executable, "-m", "ingest.cli", "db", "current"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode != 0
    assert "MOTCUA_SECRET_KEY" in proc.stderr


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("extract", "serve", "worker", "db", "token", "sweep", "bench"):
        assert command in out
