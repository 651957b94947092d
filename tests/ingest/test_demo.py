"""``motcua demo``: the README's first command, on the embedded default with no servers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.needs_tesseract, pytest.mark.slow]


def test_demo_takes_a_sample_through_the_service_and_prints_the_fields(tmp_path: Path) -> None:
    """
    GIVEN an empty directory and no MOTCUA_* server URLs
    WHEN `motcua demo --exit` uploads the bundled CCCD back
    THEN the dossier reaches awaiting_review and the MRZ fields are printed
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env["MOTCUA_DATA_DIR"] = str(tmp_path / "var")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "ingest.cli",
            "demo",
            "--exit",
            "--port",
            "0",
            str(REPO / "samples" / "cccd_back.jpg"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
    )
    assert out.returncode == 0, out.stderr + out.stdout
    assert "awaiting_review" in out.stdout
    assert "cccd_back" in out.stdout
    mrz_lines = [line for line in out.stdout.splitlines() if line.strip().startswith("mrz ")]
    assert mrz_lines and "IDVNM" in mrz_lines[0]
    assert (tmp_path / "var" / "motcua.db").is_file()
    assert (tmp_path / "var" / "demo-serve.log").is_file()
