"""The OpenAPI document, completed with the error answers every operation can give.

FastAPI documents a 422 with its own ``HTTPValidationError`` body (``detail`` a list),
but :mod:`ingest.api.errors` answers every error as ``{"detail": str, "code", ...}``;
and an operation behind the bearer token can always answer 401/403, one that reads a
body 400 (a body that is not JSON). Clients generated from the schema rely on this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}

VALIDATION_ERROR: dict[str, Any] = {
    "title": "ValidationErrorOut",
    "type": "object",
    "required": ["detail", "code"],
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "code": {"type": "string", "title": "Code"},
        "message_vi": {"type": "string", "title": "Message Vi"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}

ERROR_OUT: dict[str, Any] = {
    "title": "ErrorOut",
    "type": "object",
    "required": ["detail", "code"],
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "code": {"type": "string", "title": "Code"},
        "message_vi": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Message Vi"},
    },
}

_DESCRIPTIONS = {
    "400": "Malformed request body",
    "401": "Missing or invalid bearer token",
    "403": "The token's role or office does not allow this",
}


def _error(code: str) -> dict[str, Any]:
    return {
        "description": _DESCRIPTIONS[code],
        "content": {"application/json": {"schema": ERROR_REF}},
    }


def complete(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers to ``schema`` (in place) and return it."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorOut", ERROR_OUT)
    components["HTTPValidationError"] = VALIDATION_ERROR
    for ops in schema.get("paths", {}).values():
        for method, op in ops.items():
            if method not in ("get", "put", "post", "patch", "delete") or not isinstance(op, dict):
                continue
            responses = op.setdefault("responses", {})
            if op.get("security"):
                for code in ("401", "403"):
                    responses.setdefault(code, _error(code))
            if op.get("requestBody"):
                responses.setdefault("400", _error("400"))
    return schema


def install(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the completed document (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = complete(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    setter: Callable[[], dict[str, Any]] = openapi
    app.openapi = setter  # type: ignore[method-assign]
