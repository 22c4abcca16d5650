"""Rows the storage and handler tests need in many places, built one way."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.repositories import invoices


async def add_placeholder_invoice(
    session: AsyncSession, invoice_id: str, resident_id: str, period: str, amount: str = "1.00"
) -> None:
    """An invoice row whose file is never read (a zero checksum, ``<invoice id>.pdf``): for tests of
    which invoice is chosen, not of what is sent."""
    await invoices.upsert(
        session,
        invoice_id=invoice_id,
        resident_id=resident_id,
        period=period,
        amount=Decimal(amount),
        currency="EUR",
        due_date=None,
        file_path=f"{invoice_id}.pdf",
        sha256="0" * 64,
        size=1,
    )
