"""Error responses: JSON ``{"detail", "code", "message_vi"}`` with a clear English detail
and a Vietnamese message for clerks, field agents and the portal's users."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ingest.redact import safe_traceback
from ingest.uploads import UploadRejected
from storage.objects import ObjectStoreError

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(
        self,
        status_code: int,
        code: str,
        detail: str,
        message_vi: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.code = code
        self.detail = detail
        self.message_vi = message_vi
        self.headers = headers

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"detail": self.detail, "code": self.code}
        if self.message_vi:
            out["message_vi"] = self.message_vi
        return out


def not_found(what: str = "dossier") -> ApiError:
    labels = {"dossier": "hồ sơ", "document": "tài liệu", "page": "trang"}
    return ApiError(
        404, "not_found", f"{what} not found", f"Không tìm thấy {labels.get(what, what)}"
    )


UNAUTHORIZED = ApiError(
    401,
    "unauthorized",
    "a valid bearer token is required",
    "Cần mã truy cập hợp lệ",
    headers={"WWW-Authenticate": "Bearer"},
)

_GENERIC_VI = {
    400: "Yêu cầu không hợp lệ",
    401: "Cần mã truy cập hợp lệ",
    403: "Bạn không có quyền thực hiện thao tác này",
    404: "Không tìm thấy",
    405: "Phương thức không được hỗ trợ",
    409: "Xung đột trạng thái",
    413: "Dữ liệu gửi lên quá lớn",
    415: "Định dạng không được hỗ trợ",
    422: "Dữ liệu không hợp lệ",
    503: "Dịch vụ tạm thời không sẵn sàng",
}


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app accepts on the request's path."""
    from starlette.routing import Match

    methods: set[str] = set()
    scope = {**request.scope, "method": "\x00"}  # matches no method: partial matches only
    for route in request.app.router.routes:
        match, _ = route.matches(scope)
        if match != Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    return sorted(methods)


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.to_json(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(UploadRejected)
    async def _upload_rejected(_: Request, exc: UploadRejected) -> JSONResponse:
        return JSONResponse(exc.to_json(), status_code=exc.status_code)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {
            "detail": exc.detail,
            "code": f"http_{exc.status_code}",
            "message_vi": _GENERIC_VI.get(exc.status_code, "Lỗi"),
        }
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the first route that matched the path; list them all.
            headers["Allow"] = ", ".join(allowed_methods(request))
        return JSONResponse(body, status_code=exc.status_code, headers=headers or None)

    @app.exception_handler(ObjectStoreError)
    async def _store(_: Request, exc: ObjectStoreError) -> JSONResponse:
        log.error("object store error: %s\n%s", type(exc).__name__, safe_traceback(exc))
        body = {
            "detail": "document storage is unavailable; nothing was saved, try again later",
            "code": "storage_unavailable",
            "message_vi": "Kho lưu trữ tạm thời không sẵn sàng, chưa lưu gì; hãy thử lại sau",
        }
        return JSONResponse(body, status_code=503, headers={"Retry-After": "30"})

    @app.exception_handler(OperationalError)
    async def _db(_: Request, exc: OperationalError) -> JSONResponse:
        log.error("database error: %s", type(exc.orig).__name__ if exc.orig else "unknown")
        body = {
            "detail": "the database is unavailable; try again later",
            "code": "database_unavailable",
            "message_vi": "Cơ sở dữ liệu tạm thời không sẵn sàng, hãy thử lại sau",
        }
        return JSONResponse(body, status_code=503, headers={"Retry-After": "30"})

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        log.error("unhandled error: %s\n%s", type(exc).__name__, safe_traceback(exc))
        body = {
            "detail": "internal error",
            "code": "internal_error",
            "message_vi": "Lỗi hệ thống, hãy thử lại sau",
        }
        return JSONResponse(body, status_code=500)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(x) for x in first["loc"] if x != "body")
        body = {
            "detail": f"invalid request: {where}: {first['msg']}" if where else first["msg"],
            "code": "invalid_request",
            "message_vi": "Dữ liệu gửi lên không hợp lệ",
            "errors": errors,
        }
        return JSONResponse(body, status_code=422)
