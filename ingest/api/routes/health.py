"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from ingest.api.deps import require_roles
from ingest.api.schemas import HealthOut
from ingest.auth import Principal
from storage.db.migrate import check_up_to_date
from storage.db.models import Role

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthOut, summary="Liveness (the process answers)")
def healthz() -> dict:
    return {"status": "ok", "checks": {}}


@router.get(
    "/readyz",
    response_model=HealthOut,
    summary="Readiness: database, object store and broker reachable",
    responses={503: {"model": HealthOut}},
)
async def readyz(request: Request) -> JSONResponse:
    checks = await run_in_threadpool(_checks, request)
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse(
        {"status": "ready" if ok else "not_ready", "checks": checks}, status_code=200 if ok else 503
    )


def _checks(request: Request) -> dict[str, str]:
    rt = request.app.state.runtime
    checks: dict[str, str] = {}
    try:
        with rt.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        check_up_to_date(rt.engine)
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - report, never raise
        checks["database"] = f"error: {type(exc).__name__}"
    try:
        rt.store.ping()
        checks["object_store"] = "ok"
    except Exception as exc:  # noqa: BLE001
        checks["object_store"] = f"error: {type(exc).__name__}"
    celery = request.app.state.celery
    if celery is None:
        checks["broker"] = "ok"
    else:
        try:
            with celery.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {type(exc).__name__}"
    return checks


@router.get("/metrics", summary="Prometheus metrics (admin token)", response_class=Response)
def metrics(_: Annotated[Principal, Depends(require_roles(Role.ADMIN))]) -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
