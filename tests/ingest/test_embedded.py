"""The embedded mode: ``motcua serve`` with no configuration and no servers at all.

SQLite database, file-system broker and local object store under ``./var``; the API,
a prefork worker and the sweeper all started by the one command.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from ingest_kit import png_bytes

pytestmark = [pytest.mark.needs_tesseract, pytest.mark.slow]


def _motcua() -> list[str]:
    script = Path(sys.executable).parent / "motcua"
    return [str(script)] if script.exists() else [sys.executable, "-m", "ingest.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("PPid:") and int(line.split()[1]) == pid:
                out.append(int(status.parent.name))
    return out


def test_serve_with_no_configuration_takes_an_upload_to_review(tmp_path: Path) -> None:
    """GIVEN an empty directory and no MOTCUA_* variables WHEN `motcua token create` and
    `motcua serve` run there THEN an uploaded scan reaches awaiting_review, everything is
    stored under ./var, and stopping serve stops its worker too."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env["PYTHONUNBUFFERED"] = "1"
    token = subprocess.run(
        [*_motcua(), "token", "create", "--role", "clerk", "--office", "ubnd-a", "--name", "t"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert token.startswith("mct_")

    port = _free_port()
    log = (tmp_path / "serve.log").open("wb")
    serve = subprocess.Popen(  # noqa: S603
        [*_motcua(), "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with httpx.Client(base_url=base, timeout=10) as client:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline or serve.poll() is not None:
                    pytest.fail("serve did not start:\n" + (tmp_path / "serve.log").read_text())
                time.sleep(0.3)
            r = client.post("/api/v1/dossiers", json={"procedure_code": "p"}, headers=headers)
            assert r.status_code == 201, r.text
            dossier_id = r.json()["id"]
            scan = png_bytes(size=(900, 200), text="GIẤY KHAI SINH")
            r = client.post(
                f"/api/v1/dossiers/{dossier_id}/documents",
                files=[("files", ("khai-sinh.png", scan, "image/png"))],
                headers=headers,
            )
            assert r.status_code == 201, r.text
            deadline = time.monotonic() + 120
            body: dict = {}
            while time.monotonic() < deadline:
                body = client.get(f"/api/v1/dossiers/{dossier_id}", headers=headers).json()
                if body["status"] == "awaiting_review":
                    break
                time.sleep(0.5)
            else:
                pytest.fail(
                    f"dossier stuck in {body.get('status')}:\n"
                    + (tmp_path / "serve.log").read_text()[-5000:]
                )
            entry = body["documents"][0]
            assert entry["status"] == "awaiting_review", entry["failure_reason"]
            assert "KHAI" in entry["text"] or "SINH" in entry["text"]
        var = tmp_path / "var"
        assert (var / "motcua.db").is_file()
        assert any((var / "objects").rglob("*.jpg"))  # the derived page image
        children = _children(serve.pid)
        assert children, "serve should run its worker as a child process"
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
    time.sleep(0.5)
    for pid in children:
        assert (
            not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        ), f"worker {pid} outlived serve"
