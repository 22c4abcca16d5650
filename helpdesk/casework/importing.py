"""Storing what the portal sends: residents (personal code only as a keyed HMAC) and invoice PDFs.

PDFs are checked by their magic bytes, copied under HELPDESK_INVOICE_DIR with a name we choose
(never the sender's), written atomically, and recorded with their SHA-256 so the handlers can
verify the file before sending it.
"""

from __future__ import annotations

import hashlib

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.errors import InputError
from helpdesk.core.records import InvoiceRecord, ResidentRecord
from helpdesk.core.secrets import personal_code_hmac
from helpdesk.settings import SecuritySettings, StorageSettings
from helpdesk.storage.files import write_atomically
from helpdesk.storage.repositories import invoices, residents

PDF_MAGIC = b"%PDF-"


async def store_resident(session: AsyncSession, record: ResidentRecord, security: SecuritySettings) -> bool:
    """Upsert; returns True when new. A personal code needs HELPDESK_SECRET_KEY (it keys the HMAC)."""
    digest = (
        personal_code_hmac(security.secret_key_bytes(), record.personal_code)
        if record.personal_code
        else None
    )
    return await residents.upsert(
        session,
        resident_id=record.id,
        name=record.name,
        address=record.address,
        invoice_email=record.invoice_email,
        news_email=record.news_email,
        language=record.language,
        personal_code_hmac=digest,
    )


def check_pdf(content: bytes, max_bytes: int) -> None:
    if len(content) > max_bytes:
        raise InputError(f"the file is larger than {max_bytes} bytes")
    if not content.startswith(PDF_MAGIC):
        raise InputError("the file is not a PDF (it does not start with %PDF-)")


async def store_invoice(
    session: AsyncSession, record: InvoiceRecord, content: bytes, storage: StorageSettings, *, max_bytes: int
) -> bool:
    """Copy the PDF into the invoice directory and upsert its metadata; returns True when new.
    ``max_bytes`` is ``HELPDESK_API_MAX_UPLOAD_BYTES`` (the console's group), which binds the portal
    API and ``helpdesk invoices import`` alike.

    Idempotent: importing the same manifest twice rewrites nothing when the bytes are unchanged.
    """
    check_pdf(content, max_bytes)
    if await residents.get(session, record.resident_id) is None:
        raise InputError(f"resident {record.resident_id} does not exist (import residents first)")
    existing = await invoices.get_any(session, record.id)
    if existing is not None and existing.resident_id != record.resident_id:
        raise InputError(f"invoice {record.id} already belongs to another resident")
    relative = f"{record.resident_id}/{record.id}.pdf"
    target = storage.invoice_dir / relative
    digest = hashlib.sha256(content).hexdigest()
    if not (target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == digest):
        write_atomically(target, content, mode=0o600)  # names a resident and what they owe
    return await invoices.upsert(
        session,
        invoice_id=record.id,
        resident_id=record.resident_id,
        period=record.period,
        amount=record.amount,
        currency=record.currency,
        due_date=record.due_date,
        file_path=relative,
        sha256=digest,
        size=len(content),
    )
