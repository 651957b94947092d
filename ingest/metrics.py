"""Prometheus metrics (per process; the API serves its own at ``/metrics``)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

UPLOADS = Counter("motcua_uploads_total", "Files received by the API, by outcome", ["result"])
DOCUMENTS_PROCESSED = Counter(
    "motcua_documents_processed_total", "Documents that finished processing, by status", ["status"]
)
PROCESSING_SECONDS = Histogram(
    "motcua_processing_seconds",
    "Time to process one document (decode, OCR, extraction, storage)",
    buckets=(1, 2, 5, 10, 20, 30, 60, 120, 300, 600),
)
PAGES_PROCESSED = Counter("motcua_pages_processed_total", "Pages OCR'd by workers")
ENQUEUE_FAILURES = Counter(
    "motcua_enqueue_failures_total", "Documents that could not be enqueued (the sweeper retries)"
)
SWEEPER_REQUEUED = Counter(
    "motcua_sweeper_requeued_total", "Documents re-enqueued by the sweeper", ["status"]
)
