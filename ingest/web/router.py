"""The two human faces of the service: the clerk's desk and the field team's phone page.

Server-rendered shells (Jinja2, Vietnamese) with a little plain JavaScript; no build
step. The pages hold no personal data themselves: the scripts fetch it from the API
with the bearer token kept in ``sessionStorage`` and sent as an ``Authorization``
header, so no cookie is involved and cross-site requests carry no credentials.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from ingest.web.labels import PROCEDURES, all_labels, field_label

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
STATIC_PATH = "/static/web"
ASSET_VERSION = "9"

templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals["static_url"] = lambda name: f"{STATIC_PATH}/{name}?v={ASSET_VERSION}"

router = APIRouter(include_in_schema=False)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' blob: data:; script-src 'self'; "
        "style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def static_files() -> StaticFiles:
    """Mount at :data:`STATIC_PATH` with the name ``web-static``."""
    return StaticFiles(directory=str(STATIC_DIR))


def _page(request: Request, template: str, config: dict[str, Any]) -> HTMLResponse:
    base = {
        "api": "/api/v1",
        "whoami": "/me",
        "labels": all_labels(),
        "procedures": [{"code": c, "label": label} for c, label in PROCEDURES],
    }
    response = templates.TemplateResponse(
        request, template, {"config": {**base, **config}}, headers=SECURITY_HEADERS
    )
    return response


@router.get("/", response_class=RedirectResponse)
def root() -> RedirectResponse:
    return RedirectResponse("/desk", status_code=307)


@router.get("/desk", response_class=HTMLResponse, name="desk_queue")
def desk_queue(request: Request) -> HTMLResponse:
    return _page(request, "desk_queue.html", {"roles": ["clerk", "admin"], "page": "queue"})


@router.get("/desk/dossiers/{dossier_id}", response_class=HTMLResponse, name="desk_dossier")
def desk_dossier(request: Request, dossier_id: str) -> HTMLResponse:
    return _page(
        request,
        "desk_dossier.html",
        {
            "roles": ["clerk", "admin"],
            "page": "verify",
            "dossier_id": dossier_id,
            "field_labels_2025_suffix": field_label("x_2025").removeprefix("x"),
        },
    )


@router.get("/field", response_class=HTMLResponse, name="field_page")
def field_page(request: Request) -> HTMLResponse:
    return _page(
        request,
        "field.html",
        {
            "roles": ["field_agent", "clerk", "admin"],
            "page": "field",
        },
    )
