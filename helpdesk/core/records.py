"""Validated shapes of what the portal sends us: resident records and invoice manifest lines.

Shared by ``helpdesk residents import`` / ``helpdesk invoices import`` and the portal API, so one
set of rules decides what is acceptable at every edge.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from helpdesk.core.addresses import normalize_address
from helpdesk.core.secrets import normalize_personal_code

Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
InvoiceIdentifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]


def _email(value: str | None) -> str | None:
    if value is None or value.strip() == "":
        return None
    address = normalize_address(value)
    if address is None:
        raise ValueError("not an e-mail address")
    return address


class ResidentRecord(BaseModel):
    """``{"id": "R-1001", "name": ..., "address": ..., "invoice_email": ..., "news_email": null,
    "language": "lv", "personal_code": "010180-12345"}``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Identifier
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    address: Annotated[str, StringConstraints(max_length=300)] = ""
    invoice_email: str | None = None
    news_email: str | None = None
    language: Literal["lv", "ru", "en"] = "lv"
    personal_code: str | None = None

    _check_emails = field_validator("invoice_email", "news_email")(_email)

    @field_validator("personal_code")
    @classmethod
    def _code(cls, value: str | None) -> str | None:
        return normalize_personal_code(value) if value else None


class InvoiceRecord(BaseModel):
    """``{"id": "INV-2026-10-R-1001", "resident_id": "R-1001", "period": "2026-10", "amount": "54.20",
    "currency": "EUR", "due_date": "2026-11-20", "file": "INV-2026-10-R-1001.pdf"}``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: InvoiceIdentifier
    resident_id: Identifier
    period: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
    amount: Annotated[Decimal, Field(ge=0, le=Decimal("9999999999.99"), decimal_places=2)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "EUR"
    due_date: date | None = None
    file: Annotated[str, StringConstraints(min_length=1, max_length=500)] = ""
