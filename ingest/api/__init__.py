"""The HTTP API (FastAPI). Build it with :func:`ingest.api.app.create_app`."""
