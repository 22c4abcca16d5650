"""The OpenAPI 3.1 description of the portal API, built from the same pydantic models that
validate the requests (so the document cannot drift from what the server accepts)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from helpdesk.console.api.schemas import (
    ConsentList,
    Error,
    InvoiceResponse,
    LinkTokenRequest,
    LinkTokenResponse,
    ResidentBody,
    ResidentResponse,
)
from helpdesk.core.records import InvoiceRecord

_MODELS: tuple[type[BaseModel], ...] = (
    ResidentBody,
    ResidentResponse,
    InvoiceResponse,
    LinkTokenRequest,
    LinkTokenResponse,
    ConsentList,
    Error,
)


def _schemas() -> dict[str, Any]:
    schemas: dict[str, Any] = {}
    for model in _MODELS:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    invoice = InvoiceRecord.model_json_schema(ref_template="#/components/schemas/{model}")
    invoice["properties"].pop("file", None)
    invoice["properties"]["file"] = {"type": "string", "contentMediaType": "application/pdf"}
    invoice["properties"]["sha256"] = {
        "type": "string",
        "pattern": "^[0-9a-f]{64}$",
        "description": "optional: the PDF's SHA-256, checked on arrival",
    }
    invoice["required"] = [*invoice.get("required", []), "file"]
    invoice["title"] = "InvoiceUpload"
    schemas["InvoiceUpload"] = invoice
    return schemas


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def _errors(*statuses: int) -> dict[str, Any]:
    texts = {
        400: "bad request",
        401: "missing or invalid API key",
        404: "not found",
        409: "conflict with stored data",
        413: "upload too large",
        415: "wrong content type (or not a PDF)",
        422: "validation failed; details name the fields",
    }
    return {str(status): _json("Error", texts[status]) for status in statuses}


def document(max_upload_bytes: int) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Klientiem helpdesk portal API",
            "version": "1.0.0",
            "description": "The portal pushes residents and invoices to the helpdesk, mints Telegram "
            "link tokens and reads news consents. Every call needs 'Authorization: Bearer <key>' "
            "(keys: `helpdesk apikeys add NAME`). Upserts are idempotent.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"apiKey": []}],
        "paths": {
            "/residents/{resident_id}": {
                "put": {
                    "operationId": "putResident",
                    "summary": "Create or update a resident (idempotent)",
                    "parameters": [
                        {
                            "name": "resident_id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("ResidentBody")}},
                    },
                    "responses": {
                        "200": _json("ResidentResponse", "updated"),
                        "201": _json("ResidentResponse", "created"),
                        **_errors(400, 401, 415, 422),
                    },
                }
            },
            "/invoices": {
                "post": {
                    "operationId": "postInvoice",
                    "summary": "Store an invoice PDF with its manifest fields (idempotent by id)",
                    "description": f"Multipart form: the manifest fields and the PDF as 'file', at most "
                    f"{max_upload_bytes} bytes.",
                    "requestBody": {
                        "required": True,
                        "content": {"multipart/form-data": {"schema": _ref("InvoiceUpload")}},
                    },
                    "responses": {
                        "200": _json("InvoiceResponse", "updated (or unchanged)"),
                        "201": _json("InvoiceResponse", "created"),
                        **_errors(400, 401, 404, 409, 413, 415, 422),
                    },
                }
            },
            "/link-tokens": {
                "post": {
                    "operationId": "postLinkToken",
                    "summary": "Mint a one-time Telegram deep link for a resident",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": _ref("LinkTokenRequest")}},
                    },
                    "responses": {
                        "201": _json("LinkTokenResponse", "the token, shown once"),
                        **_errors(400, 401, 404, 415, 422),
                    },
                }
            },
            "/consents": {
                "get": {
                    "operationId": "getConsents",
                    "summary": "The current news consent of every resident who has a ledger entry",
                    "parameters": [
                        {"name": "purpose", "in": "query", "required": False, "schema": {"enum": ["news"]}}
                    ],
                    "responses": {"200": _json("ConsentList", "current consents"), **_errors(400, 401)},
                }
            },
        },
        "components": {
            "schemas": _schemas(),
            "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer"}},
        },
    }
