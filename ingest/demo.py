"""``motcua demo``: the whole service on the embedded default, fed the bundled samples.

It starts ``motcua serve`` (API + Celery worker on the file broker + sweeper, SQLite,
local object directory: no servers), makes a clerk token and a field-agent token,
creates a dossier as the field agent, uploads sample papers over HTTP, waits for the
worker to take the dossier to ``awaiting_review`` and prints what was read. Then it
keeps serving so the clerk's desk can be opened in a browser (``--exit`` stops instead).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx

DEFAULT_SAMPLES = ("cccd_front.jpg", "cccd_back.jpg", "ct07_phone.jpg")
OFFICE = "ubnd-phuong-demo"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "files",
        nargs="*",
        type=Path,
        help=f"papers to upload (default: {', '.join(DEFAULT_SAMPLES)} from samples/)",
    )
    p.add_argument("--port", type=int, default=8000, help="API port (default 8000; 0 = any)")
    p.add_argument("--timeout", type=float, default=600, help="seconds to wait for processing")
    p.add_argument("--exit", action="store_true", help="stop the service once the result is shown")
    p.add_argument("--json", action="store_true", help="print the dossier's documents as JSON")


def run(args: argparse.Namespace) -> int:
    files = args.files or [_samples_dir() / name for name in DEFAULT_SAMPLES]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        print(f"motcua demo: no such file: {', '.join(missing)}", file=sys.stderr)
        return 2
    port = args.port or _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cli = [sys.executable, "-m", "ingest.cli"]
    data_dir = Path(os.environ.get("MOTCUA_DATA_DIR", "var"))
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "demo-serve.log"
    _say(f"starting the service on {base} (data in {data_dir}/, its log in {log_path})")
    with log_path.open("ab") as log_file:
        serve = subprocess.Popen(  # noqa: S603
            [*cli, "serve", "--port", str(port)], env=env, stdout=log_file, stderr=log_file
        )
    try:
        _wait_healthy(base, serve, timeout=120)
        clerk = _token(cli, env, role="clerk", name="Cán bộ một cửa (demo)")
        agent = _token(cli, env, role="field_agent", name="Tổ hỗ trợ tại nhà (demo)")
        with httpx.Client(base_url=f"{base}/api/v1", timeout=60) as http:
            dossier = _post(
                http,
                "/dossiers",
                agent,
                json={"procedure_code": "demo.thuong-tru", "office": OFFICE, "channel": "home"},
            )
            _say(f"dossier {dossier['id']}: uploading {len(files)} file(s)")
            for path in files:
                with path.open("rb") as fh:
                    up = _post(
                        http,
                        f"/dossiers/{dossier['id']}/documents",
                        agent,
                        files={"files": (path.name, fh)},
                        headers={"Idempotency-Key": str(uuid.uuid4())},
                    )
                for doc in up.get("documents", []):
                    quality = doc.get("quality") or {}
                    note = "; ".join(quality.get("messages") or []) or "chất lượng ảnh tốt"
                    _say(f"  stored {path.name} ({doc.get('media_type')}): {note}")
            final = _wait_processed(http, dossier["id"], clerk, timeout=args.timeout)
        if args.json:
            print(json.dumps({"documents": final["documents"]}, ensure_ascii=False, indent=2))
        else:
            _print_dossier(final)
        if final["status"] != "awaiting_review":
            return 1
        if args.exit:
            return 0
        print(
            f"\nClerk's desk: {base}/desk   (token: {clerk})\n"
            f"Field page:   {base}/field  (token: {agent})\n"
            f"API docs:     {base}/docs\n"
            "Ctrl+C stops the service.",
            flush=True,
        )
        serve.wait()
        return 0
    except KeyboardInterrupt:
        return 0
    except (DemoError, httpx.HTTPError) as exc:
        print(f"motcua demo: {exc}", file=sys.stderr)
        return 1
    finally:
        if serve.poll() is None:
            serve.send_signal(signal.SIGTERM)
            try:
                serve.wait(timeout=40)
            except subprocess.TimeoutExpired:
                serve.kill()


class DemoError(Exception):
    pass


def _samples_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "samples"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _say(msg: str) -> None:
    print(msg, flush=True)


def _wait_healthy(base: str, serve: subprocess.Popen[bytes], *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if serve.poll() is not None:
            raise DemoError(f"the service stopped (exit status {serve.returncode}); see its log")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise DemoError(f"the service did not answer on {base} within {timeout:g} s")


def _token(cli: list[str], env: dict[str, str], *, role: str, name: str) -> str:
    out = subprocess.run(  # noqa: S603
        [*cli, "token", "create", "--role", role, "--office", OFFICE, "--name", name],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def _post(http: httpx.Client, url: str, token: str, **kw: object) -> dict:
    headers = {"Authorization": f"Bearer {token}", **kw.pop("headers", {})}  # type: ignore[dict-item]
    r = http.post(url, headers=headers, **kw)  # type: ignore[arg-type]
    if r.status_code >= 400:
        raise DemoError(f"POST {url}: {r.status_code} {r.text[:300]}")
    return r.json()


def _wait_processed(http: httpx.Client, dossier_id: str, token: str, *, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    last = None
    while True:
        r = http.get(f"/dossiers/{dossier_id}", headers={"Authorization": f"Bearer {token}"})
        r.raise_for_status()
        d = r.json()
        progress = d.get("progress", {})
        line = f"  {d['status_label_vi']} ({d['status']}): {progress}"
        if line != last:
            _say(line)
            last = line
        if d["status"] not in ("received", "processing"):
            return d
        if time.monotonic() > deadline:
            raise DemoError(f"dossier still {d['status']} after {timeout:g} s")
        time.sleep(1)


def _print_dossier(d: dict) -> None:
    print(f"\nDossier {d['id']}: {d['status_label_vi']} ({d['status']})")
    for doc in d["documents"]:
        head = f"{doc.get('filename')} -> {doc.get('document_type')}"
        if doc.get("type_confidence") is not None:
            head += f" ({doc['type_confidence']:.2f})"
        print(f"\n  {head}  [{doc['status']}]")
        if doc.get("failure_reason"):
            print(f"    failed: {doc['failure_reason']}")
        for key, f in doc.get("fields", {}).items():
            value = f["value"].replace("\n", " | ")
            print(f"    {key:<28} {value:<50} {f['source']:<10} {f['confidence']:.2f}")
        for c in doc.get("conflicts", []):
            print(f"    conflict {c['field']}: {c['values']}")
