"""The ``motcua`` command.

    motcua extract FILE... [--json]     read papers offline, no service needed
    motcua serve                        API + worker + sweeper on the embedded default
    motcua worker                       a Celery worker (production: many of them)
    motcua db upgrade                   apply database migrations
    motcua token create --role clerk --office OFFICE --name NAME
    motcua sweep                        re-enqueue documents a crash left behind
    motcua demo                         the embedded service fed the bundled samples
    motcua bench ocr|extract ...        benchmarks on generated documents

Configuration comes from ``MOTCUA_*`` environment variables (see ``ingest/settings.py``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger("motcua")

EPILOG = """\
Configuration: MOTCUA_* environment variables, e.g. MOTCUA_DATABASE_URL,
MOTCUA_BROKER_URL, MOTCUA_OBJECT_STORE_URL, MOTCUA_DATA_DIR (default ./var).
With none set, everything runs embedded under ./var (SQLite, file broker, local objects).
"""


def _settings(**overrides: object):  # noqa: ANN202 - imported lazily to keep `--help` fast
    from pydantic import ValidationError

    from ingest.settings import load_settings

    try:
        return load_settings(**overrides)
    except ValidationError as exc:
        msgs = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
        raise SystemExit(f"motcua: invalid configuration: {msgs}") from exc


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


# extract ---------------------------------------------------------------------------


def cmd_extract(args: argparse.Namespace) -> int:
    import warnings
    from dataclasses import replace

    from PIL import Image

    from ingest.pipeline import extract_file
    from ingest.uploads import UploadRejected, check_path
    from ocr.exceptions import OcrError

    # Pixel limits are ours (checked first); Pillow's warning would be a second line.
    warnings.simplefilter("ignore", Image.DecompressionBombWarning)

    settings = _settings()
    context = settings.ocr_context()
    if args.lang:
        context = replace(context, languages=args.lang)
    if args.dpi:
        context = replace(context, dpi=args.dpi)
    out: list[dict] = []
    failures = 0
    for name in args.files:
        path = Path(name)
        try:
            if not path.is_file():
                raise FileNotFoundError("is a directory" if path.is_dir() else "no such file")
            # Same limits as an upload (type, pages, pixels, page size), from the headers.
            check_path(
                path,
                filename=path.name,
                max_pixels=context.max_pixels,
                max_pages=context.max_pages,
                dpi=context.dpi,
            )
            docs = extract_file(path, context=context)
        except (UploadRejected, OcrError, OSError, MemoryError) as exc:
            failures += 1
            print(f"motcua: {_shown(name)}: {_one_line(exc, path)}", file=sys.stderr)
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the others
            failures += 1
            log.debug("unexpected error reading %s", name, exc_info=True)
            print(
                f"motcua: {_shown(name)}: internal error while reading the file "
                f"({type(exc).__name__}: {_one_line(exc, path)})",
                file=sys.stderr,
            )
            continue
        entries = [d.to_json(source=name) for d in docs]
        out.extend(entries)
        if not args.json:
            _print_human(entries)
    if args.json:
        json.dump({"documents": out}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return 1 if failures else 0


def _shown(name: str) -> str:
    """A file name for one stderr line: control and bidi characters escaped."""
    if name.isprintable():
        return name
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in name)


def _one_line(exc: BaseException, path: Path) -> str:
    """The reason, on one line, without the file name the caller already prints."""
    if isinstance(exc, OSError) and exc.strerror:
        reason = exc.strerror
    else:
        reason = str(getattr(exc, "detail", "") or exc) or type(exc).__name__
    reason = " ".join(reason.split())
    return reason.removeprefix(f"{path.name}: ")


def _print_human(entries: list[dict]) -> None:
    for e in entries:
        pages = ",".join(str(p) for p in e["pages"])
        print(f"{e['source']} [pages {pages}]: {e['document_type']} ({e['type_confidence']:.2f})")
        if not e["quality"]["ok"]:
            print(f"  quality: {'; '.join(e['quality']['messages'])}")
        for key, f in e["fields"].items():
            print(f"  {key}: {f['value']}  ({f['source']}, {f['confidence']:.2f})")
        for c in e["conflicts"]:
            print(f"  conflict {c['field']}: {c['values']}")
        if not e["fields"]:
            text = " ".join(e["text"].split())
            print(f"  text: {text[:200]}{'...' if len(text) > 200 else ''}")


# database and tokens -------------------------------------------------------------------


def cmd_db(args: argparse.Namespace) -> int:
    from storage.db.migrate import current_revision, downgrade, head_revision, upgrade
    from storage.db.session import make_engine

    settings = _settings()
    settings.ensure_dirs()
    engine = make_engine(settings.db_url, hide_parameters=True)
    try:
        if args.db_command == "upgrade":
            upgrade(engine, args.revision)
            print(f"database at {current_revision(engine)} (head {head_revision()})")
        elif args.db_command == "downgrade":
            downgrade(engine, args.revision)
            print(f"database at {current_revision(engine)}")
        else:
            print(f"current {current_revision(engine) or 'none'}, head {head_revision()}")
    finally:
        engine.dispose()
    return 0


def _engine_ready(settings):  # noqa: ANN001, ANN202
    """The engine; the embedded SQLite database is migrated on first use."""
    from storage.db.migrate import SchemaOutOfDate, check_up_to_date, upgrade
    from storage.db.session import make_engine

    engine = make_engine(settings.db_url, hide_parameters=True)
    if settings.db_url.startswith("sqlite") and settings.database_url is None:
        upgrade(engine)
    try:
        check_up_to_date(engine)
    except SchemaOutOfDate as exc:
        engine.dispose()
        raise SystemExit(f"motcua: {exc}") from exc
    return engine


def cmd_token(args: argparse.Namespace) -> int:
    from ingest.auth import create_token, list_tokens, revoke_token
    from storage.db.session import make_session_factory, session_scope

    settings = _settings()
    settings.ensure_dirs()
    engine = _engine_ready(settings)
    try:
        with session_scope(make_session_factory(engine)) as s:
            if args.token_command == "create":
                try:
                    token, row = create_token(s, name=args.name, role=args.role, office=args.office)
                except ValueError as exc:
                    raise SystemExit(f"motcua: {exc}") from exc
                print(token)
                print(
                    f"token {row.id} for {args.name!r} (role {args.role}, office "
                    f"{args.office or '-'}); it is shown only once",
                    file=sys.stderr,
                )
            elif args.token_command == "list":
                for t in list_tokens(s):
                    state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                    used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
                    print(
                        f"{t.id}  {t.role:<11} {t.office or '-':<20} {state:<18} "
                        f"last used {used:<16}  {t.name}"
                    )
            elif not revoke_token(s, args.token_id):
                raise SystemExit(f"motcua: no active token with id {args.token_id}")
    finally:
        engine.dispose()
    return 0


# worker, sweeper, serve --------------------------------------------------------------


def cmd_worker(args: argparse.Namespace) -> int:
    os.environ["OMP_THREAD_LIMIT"] = "1"  # before anything loads Tesseract
    settings = _settings()
    _setup_logging(args.loglevel or settings.log_level)
    settings.ensure_dirs()
    from ingest.celery_app import QUEUE, create_celery

    app = create_celery(settings)
    import ingest.tasks  # noqa: F401 - registers the task on this app

    argv = [
        "worker",
        f"--loglevel={(args.loglevel or settings.log_level).upper()}",
        f"--pool={args.pool}",
        f"--queues={QUEUE}",
        f"--hostname=motcua-{os.getpid()}@%h",
        "--without-gossip",
        "--without-mingle",
    ]
    if args.concurrency:
        argv.append(f"--concurrency={args.concurrency}")
    argv += [a for a in args.celery_args if a != "--"]
    log.info("worker starting: %s", settings.describe())
    sweeper = None
    if args.sweep:
        from ingest.sweeper import SweeperThread
        from storage.db.session import make_session_factory

        engine = _engine_ready(settings)
        # Pool children must not reuse the parent's connections.
        os.register_at_fork(after_in_child=lambda: engine.dispose(close=False))
        sessions = make_session_factory(engine)
        sweeper = SweeperThread(
            sessions,
            _celery_enqueue(settings),
            interval_s=settings.sweep_interval_s,
            received_after_s=settings.sweep_received_after_s,
            also=_webhook_sweep(settings, sessions),
        )
        sweeper.start()
    try:
        app.worker_main(argv)
    finally:
        if sweeper is not None:
            sweeper.stop()
    return 0


def _celery_enqueue(settings):  # noqa: ANN001, ANN202
    from ingest.celery_app import create_celery, enqueue_document

    app = create_celery(settings)
    return lambda doc_id: enqueue_document(app, doc_id)


def _webhook_sweep(settings, sessions):  # noqa: ANN001, ANN202
    """Re-enqueue webhook deliveries left pending (see ingest.webhook_tasks.sweep)."""
    from ingest.celery_app import create_celery
    from ingest.webhook_tasks import enqueue_delivery, sweep

    app = create_celery(settings)
    return lambda: sweep(sessions, lambda delivery_id: enqueue_delivery(app, delivery_id))


def cmd_sweep(args: argparse.Namespace) -> int:
    from ingest.sweeper import sweep
    from storage.db.session import make_session_factory

    settings = _settings()
    _setup_logging(settings.log_level)
    engine = _engine_ready(settings)
    try:
        report = sweep(
            make_session_factory(engine),
            _celery_enqueue(settings),
            received_after_s=args.older_than
            if args.older_than is not None
            else settings.sweep_received_after_s,
        )
        _webhook_sweep(settings, make_session_factory(engine))()
    finally:
        engine.dispose()
    print(f"re-enqueued {report.requeued}, could not enqueue {report.failed_to_enqueue}")
    return 1 if report.failed_to_enqueue else 0


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ingest.api.app import create_app
    from ingest.runtime import build_runtime
    from ingest.sweeper import SweeperThread
    from storage.db.migrate import upgrade

    settings = _settings()
    _setup_logging(settings.log_level)
    settings.ensure_dirs()
    rt = build_runtime(settings)
    upgrade(rt.engine)
    rt.store.ensure_buckets()
    worker: subprocess.Popen[bytes] | None = None
    if not args.no_worker:
        cmd = [sys.executable, "-m", "ingest.cli", "worker", "--concurrency", str(args.workers)]
        env = {**os.environ, "MOTCUA_DATA_DIR": str(settings.data_dir.resolve())}
        worker = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            cmd, env=env, preexec_fn=_die_with_parent
        )
        log.info("worker started (pid %d)", worker.pid)
    sweeper = SweeperThread(
        rt.sessions,
        _celery_enqueue(settings),
        interval_s=settings.sweep_interval_s,
        received_after_s=settings.sweep_received_after_s,
        also=_webhook_sweep(settings, rt.sessions),
    )
    sweeper.start()
    app = create_app(settings, runtime=rt)
    # uvicorn re-raises the signal that stopped it once it has shut down; make SIGTERM
    # an exception (as SIGINT already is) so the worker is stopped below.
    signal.signal(signal.SIGTERM, _raise_exit)
    log.info("API on http://%s:%d (docs at /docs): %s", args.host, args.port, settings.describe())
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level=settings.log_level.lower())
    finally:
        sweeper.stop()
        if worker is not None and worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        rt.close()
    return 0


def _raise_exit(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the worker gets SIGTERM if ``serve`` dies (even by SIGKILL)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# bench ---------------------------------------------------------------------------------

BENCHES = {"ocr": "bench.ocr", "extract": "bench.extract"}


def _add_bench(sub: argparse._SubParsersAction, load: bool) -> None:
    bench = sub.add_parser(
        "bench", help="benchmarks on generated documents", description="Benchmarks."
    )
    bsub = bench.add_subparsers(dest="bench_command", required=True, metavar="{ocr,extract}")
    for name, module in BENCHES.items():
        p = bsub.add_parser(name, help=f"run the {name} benchmark ({module})")
        p.set_defaults(bench_module=module)
        if not load:
            p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
            continue
        try:
            mod = importlib.import_module(module)
        except ImportError as exc:
            p.set_defaults(bench_missing=f"{module} is not available ({exc})")
            p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
            continue
        mod.add_arguments(p)


def cmd_bench(args: argparse.Namespace) -> int:
    missing = getattr(args, "bench_missing", None)
    if missing:
        print(f"motcua: bench {args.bench_command}: {missing}", file=sys.stderr)
        return 2
    mod = importlib.import_module(args.bench_module)
    return int(mod.run(args) or 0)


# parser --------------------------------------------------------------------------------


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="motcua",
        description="Document ingestion for one-stop administrative offices.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "extract",
        help="read documents from files, offline (no service needed)",
        description="OCR the files and print the fields found. Unreadable files are reported "
        "on stderr (one line each) and make the exit status 1; the others are still read.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="PDF, JPEG, PNG or TIFF files")
    p.add_argument("--json", action="store_true", help='print {"documents": [...]} as JSON')
    p.add_argument("--lang", help="Tesseract languages (default vie, or MOTCUA_OCR_LANGUAGES)")
    p.add_argument("--dpi", type=int, help="PDF rasterization resolution (default 300)")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser(
        "serve",
        help="run the API, a worker and the sweeper (embedded default: no servers needed)",
        description="Runs database migrations, then the API (uvicorn), one worker process "
        "and the sweeper. With no MOTCUA_* variables everything lives under ./var.",
    )
    p.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="listen port (default 8000)")
    p.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    p.add_argument("--no-worker", action="store_true", help="API and sweeper only")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser(
        "worker",
        help="run a Celery worker that processes uploaded documents",
        description="A Celery worker on MOTCUA_BROKER_URL. Arguments after -- go to Celery.",
    )
    p.add_argument("--concurrency", type=int, help="processes (default: number of CPUs)")
    p.add_argument("--pool", default="prefork", choices=["prefork", "solo", "threads"])
    p.add_argument("--loglevel", help="log level (default MOTCUA_LOG_LEVEL or INFO)")
    p.add_argument(
        "--sweep",
        action="store_true",
        help="also run the sweeper in this worker (enable on one worker of a deployment)",
    )
    p.add_argument("celery_args", nargs=argparse.REMAINDER, help="extra Celery worker options")
    p.set_defaults(func=cmd_worker)

    p = sub.add_parser("db", help="database migrations")
    dsub = p.add_subparsers(dest="db_command", required=True, metavar="{upgrade,current}")
    up = dsub.add_parser("upgrade", help="apply migrations (creates the schema if empty)")
    up.add_argument("revision", nargs="?", default="head")
    dsub.add_parser("current", help="show the current and the latest revision")
    down = dsub.add_parser("downgrade", help="revert to a revision (careful)")
    down.add_argument("revision")
    p.set_defaults(func=cmd_db)

    p = sub.add_parser("token", help="API tokens")
    tsub = p.add_subparsers(dest="token_command", required=True, metavar="{create,list,revoke}")
    c = tsub.add_parser(
        "create",
        help="create a token and print it (once)",
        description="Roles: portal (the public-service portal), clerk (sees its office's "
        "dossiers), field_agent (sees the dossiers it created), admin (everything).",
    )
    c.add_argument("--role", required=True, choices=["portal", "clerk", "field_agent", "admin"])
    c.add_argument("--office", help="office code (required for clerk and field_agent)")
    c.add_argument("--name", required=True, help="who or what uses the token")
    tsub.add_parser("list", help="list tokens (ids, roles, offices; never the secrets)")
    r = tsub.add_parser("revoke", help="revoke a token by its id")
    r.add_argument("token_id")
    p.set_defaults(func=cmd_token)

    p = sub.add_parser("sweep", help="re-enqueue documents left in received / stuck in processing")
    p.add_argument(
        "--older-than", type=float, help="seconds (default MOTCUA_SWEEP_RECEIVED_AFTER_S)"
    )
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser(
        "demo",
        help="run the service on the embedded default, upload the samples, show the result",
        description=(
            "Starts `motcua serve` (no servers needed), uploads sample papers over the API as "
            "a field agent, waits for the worker and prints what was read; then keeps serving "
            "so the clerk's desk can be opened (--exit to stop instead)."
        ),
    )
    from ingest import demo

    demo.add_arguments(p)
    p.set_defaults(func=demo.run)

    _add_bench(sub, load=bool(argv) and argv[0] == "bench")
    for action in sub.choices.values():
        if action.get_default("func") is None:
            action.set_defaults(func=cmd_bench)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.command in ("extract", "db", "token", "bench"):
        _setup_logging("DEBUG" if args.verbose else "WARNING")
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
