"""Shapes of API bodies. Residents and invoices reuse the import records, so the API and the
``helpdesk residents/invoices import`` commands accept exactly the same data."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from helpdesk.core.records import Identifier, ResidentRecord


class ResidentBody(ResidentRecord):
    """The resident record; ``id`` comes from the URL (and must match if the body repeats it)."""

    id: Identifier | None = None  # type: ignore[assignment]


class LinkTokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    resident_id: Identifier


class LinkTokenResponse(BaseModel):
    token: str
    url: str
    expires_at: str


class ResidentResponse(BaseModel):
    id: str
    created: bool
    name: str
    address: str
    invoice_email: str | None
    news_email: str | None
    language: str
    personal_code_on_file: bool


class InvoiceResponse(BaseModel):
    id: str
    resident_id: str
    created: bool
    sha256: str
    size: int


class ConsentItem(BaseModel):
    resident_id: str
    granted: bool
    email: str | None
    channel: str
    text_version: str
    changed_at: str


class ConsentList(BaseModel):
    purpose: Literal["news"]
    consents: list[ConsentItem]


class Error(BaseModel):
    error: str
    message: str
    details: list[dict[str, str]] | None = None
