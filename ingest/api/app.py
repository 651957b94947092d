"""The FastAPI application factory.

``create_app(settings)`` builds the app; at start-up it ensures the buckets exist and
refuses to serve a database whose schema is not at the code's migration head.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

from ingest.api import deps, errors, openapi
from ingest.api.routes import documents, dossiers, health, review
from ingest.review import ReviewSettings
from ingest.runtime import Runtime, build_runtime
from ingest.settings import Settings
from ingest.web import router as web
from ingest.webhooks import WebhookSettings
from storage.db.migrate import check_up_to_date

log = logging.getLogger(__name__)

DESCRIPTION = """
Document ingestion for one-stop administrative offices (bộ phận một cửa).

Create a dossier, upload the citizen's papers to it (PDF, JPEG, PNG, TIFF, WebP, HEIC), and read
it back once processed: each document's fields in the shape of the extraction
contract. Every endpoint needs `Authorization: Bearer <token>` (`motcua token create`).
"""


def create_app(
    settings: Settings,
    *,
    runtime: Runtime | None = None,
    enqueue: Callable[[str], None] | None = None,
) -> FastAPI:
    """The API. ``enqueue`` sends a document id to the workers (default: Celery)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        rt = runtime or build_runtime(settings)
        rt.store.ensure_buckets()
        check_up_to_date(rt.engine)
        app.state.runtime = rt
        if enqueue is None:
            from ingest.celery_app import create_celery, enqueue_document

            celery = create_celery(settings)
            app.state.celery = celery
            app.state.enqueue = lambda doc_id: enqueue_document(celery, doc_id)
        else:
            app.state.celery = None
            app.state.enqueue = enqueue
        log.info("API ready: %s", settings.describe())
        try:
            yield
        finally:
            if runtime is None:
                rt.close()

    app = FastAPI(
        title="motcua",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    # MOTCUA_REVIEW_* and MOTCUA_WEBHOOK_*: refused here, at start-up, if invalid.
    app.state.review_settings = ReviewSettings()
    app.state.webhook_settings = WebhookSettings()
    errors.install(app)
    openapi.install(app)
    app.include_router(health.router)
    once = [Depends(deps.single_valued_query)]
    app.include_router(dossiers.router, prefix="/api/v1", dependencies=once)
    app.include_router(documents.router, prefix="/api/v1", dependencies=once)
    app.include_router(review.router, prefix="/api/v1", dependencies=once)
    app.include_router(web.router)
    app.mount(web.STATIC_PATH, web.static_files(), name="web-static")
    return app
