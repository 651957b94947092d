"""Error responses: JSON ``{"detail", "code", "message_vi"}`` with a clear English detail
and a Vietnamese message for clerks, field agents and the portal's users."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ingest.uploads import UploadRejected


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


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.to_json(), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(UploadRejected)
    async def _upload_rejected(_: Request, exc: UploadRejected) -> JSONResponse:
        return JSONResponse(exc.to_json(), status_code=exc.status_code)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {
            "detail": exc.detail,
            "code": f"http_{exc.status_code}",
            "message_vi": _GENERIC_VI.get(exc.status_code, "Lỗi"),
        }
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

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
