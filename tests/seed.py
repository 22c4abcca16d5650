"""The one cast of residents the handler, bot, console and casework tests share.

R-1 Jānis Bērziņš (Latvian, linked to Telegram user 111, a personal code on record, invoices for
2025-11 and 2025-12) and R-2 Anna Ozola (not linked, invoices for 2025-10 and 2025-12). Each test
directory adds only what its tests are about (agents and queue items in the console's seed); the
mailbox tests keep their own five senders, who exist to write in three languages.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.services import Services
from helpdesk.storage.repositories import invoices, links, residents

NOW = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)
LINKED_USER = 111  # Telegram user linked to R-1
#: (invoice id, resident, period) of the seeded invoices; each PDF is under the invoice directory.
INVOICES = (
    ("INV-2025-11-R-1", "R-1", "2025-11"),
    ("INV-2025-12-R-1", "R-1", "2025-12"),
    ("INV-2025-10-R-2", "R-2", "2025-10"),
    ("INV-2025-12-R-2", "R-2", "2025-12"),
)


def write_pdf(directory: Path, name: str, content: bytes) -> bytes:
    """A small valid-looking PDF at ``directory/name``; returns its bytes."""
    directory.mkdir(parents=True, exist_ok=True)
    data = b"%PDF-1.4\n" + content + b"\n%%EOF\n"
    (directory / name).write_bytes(data)
    return data


async def add_invoice(
    session: AsyncSession, invoice_dir: Path, invoice_id: str, resident_id: str, period: str
) -> None:
    """The invoice row and its PDF (content derived from the id, so each file differs)."""
    name = f"{invoice_id}.pdf"
    data = write_pdf(invoice_dir, name, invoice_id.encode() * 50)
    await invoices.upsert(
        session,
        invoice_id=invoice_id,
        resident_id=resident_id,
        period=period,
        amount=Decimal("54.20"),
        currency="EUR",
        due_date=date(2026, 1, 20),
        file_path=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


async def seed_residents(session: AsyncSession) -> None:
    """R-1 and R-2, and R-1's Telegram link, without invoices."""
    await residents.upsert(
        session,
        resident_id="R-1",
        name="Jānis Bērziņš",
        address="Brīvības iela 1-5, Rīga",
        invoice_email="janis@example.lv",
        language="lv",
        personal_code_hmac="ab" * 32,
    )
    await residents.upsert(
        session,
        resident_id="R-2",
        name="Anna Ozola",
        address="Lāčplēša iela 7-2, Rīga",
        invoice_email="anna@example.lv",
    )
    await links.bind(
        session,
        resident_id="R-1",
        telegram_user_id=LINKED_USER,
        chat_id=LINKED_USER,
        language="lv",
        now=NOW,
    )


async def seed(services: Services) -> None:
    """The shared cast with their invoices (see the module docstring)."""
    async with services.sessions() as session, session.begin():
        await seed_residents(session)
        for invoice_id, resident_id, period in INVOICES:
            await add_invoice(session, services.storage.invoice_dir, invoice_id, resident_id, period)
