"""Invoice metadata. Every read is scoped to one resident: there is no "get any invoice" for handlers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import cast

from sqlalchemy import Integer, Table, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from helpdesk.storage.models.invoices import Invoice


@dataclass(frozen=True, slots=True)
class InvoiceFile:
    """What sending an invoice needs: the facts for the caption and the file with its checksum."""

    id: str
    period: str
    amount: Decimal
    currency: str
    due_date: date | None
    file_path: str
    sha256: str

    @classmethod
    def of(cls, invoice: Invoice) -> InvoiceFile:
        return cls(
            id=invoice.id,
            period=invoice.period,
            amount=invoice.amount,
            currency=invoice.currency,
            due_date=invoice.due_date,
            file_path=invoice.file_path,
            sha256=invoice.sha256,
        )


_I = cast(Table, Invoice.__table__).c
# Built once: "latest invoice" is a third of the bot's load.
_RECENT = (
    select(_I.id, _I.period, _I.amount, _I.currency, _I.due_date, _I.file_path, _I.sha256)
    .where(_I.resident_id == bindparam("p_resident_id", type_=_I.resident_id.type))
    .order_by(_I.period.desc(), _I.created_at.desc())
    .limit(bindparam("p_limit", type_=Integer()))
)


async def recent_for(connection: AsyncConnection, resident_id: str, *, limit: int) -> list[InvoiceFile]:
    """The resident's newest invoices, newest first (the first is the latest), and the first of a
    period is :func:`for_period` for that period (when the period is among them)."""
    rows = await connection.execute(_RECENT, {"p_resident_id": resident_id, "p_limit": limit})
    return [InvoiceFile(*row) for row in rows]


async def upsert(
    session: AsyncSession,
    *,
    invoice_id: str,
    resident_id: str,
    period: str,
    amount: Decimal,
    currency: str,
    due_date: date | None,
    file_path: str,
    sha256: str,
    size: int,
) -> bool:
    """Insert or update by id; returns True when new."""
    invoice = await session.get(Invoice, invoice_id)
    created = invoice is None
    if invoice is None:
        invoice = Invoice(id=invoice_id)
        session.add(invoice)
    invoice.resident_id = resident_id
    invoice.period = period
    invoice.amount = amount
    invoice.currency = currency
    invoice.due_date = due_date
    invoice.file_path = file_path
    invoice.sha256 = sha256
    invoice.size = size
    await session.flush()
    return created


async def get_any(session: AsyncSession, invoice_id: str) -> Invoice | None:
    """For imports and the console only; resident-facing code uses :func:`get_for_resident`."""
    return await session.get(Invoice, invoice_id)


async def get_for_resident(session: AsyncSession, resident_id: str, invoice_id: str) -> Invoice | None:
    return (
        await session.scalars(
            select(Invoice).where(Invoice.id == invoice_id, Invoice.resident_id == resident_id)
        )
    ).first()


async def for_period(session: AsyncSession, resident_id: str, period: str) -> Invoice | None:
    return (
        await session.scalars(
            select(Invoice)
            .where(Invoice.resident_id == resident_id, Invoice.period == period)
            .order_by(Invoice.created_at.desc())
            .limit(1)
        )
    ).first()


async def list_for(session: AsyncSession, resident_id: str, *, limit: int = 12) -> Sequence[Invoice]:
    rows = await session.scalars(
        select(Invoice).where(Invoice.resident_id == resident_id).order_by(Invoice.period.desc()).limit(limit)
    )
    return rows.all()
