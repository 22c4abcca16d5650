"""Every API failure is JSON: ``{"error": code, "message": text, "details": [...]}``."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from pydantic import ValidationError

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
}


class ApiError(web.HTTPException):
    """An HTTP error whose body is the API's JSON error shape."""

    def __init__(self, status: int, message: str, *, code: str | None = None, details: Any = None) -> None:
        self.status_code = status
        body: dict[str, Any] = {"error": code or _CODES.get(status, "error"), "message": message}
        if details is not None:
            body["details"] = details
        super().__init__(text=json.dumps(body, ensure_ascii=False), content_type="application/json")
        if status == 401:
            self.headers["WWW-Authenticate"] = 'Bearer realm="helpdesk"'


def validation_error(exc: ValidationError) -> ApiError:
    """Pydantic's errors as ``[{"field": "a.b", "problem": "..."}]``, without echoing the input."""
    details = [
        {"field": ".".join(str(part) for part in error["loc"]) or "body", "problem": error["msg"]}
        for error in exc.errors()
    ]
    return ApiError(422, "the request body is not valid", details=details)
