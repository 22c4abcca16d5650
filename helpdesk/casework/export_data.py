"""GDPR Art. 15: everything the helpdesk holds about one resident, as plain JSON values, and the
same data written for reading (amounts, periods and the language as the document's language writes
them). :mod:`.export_files` makes the documents the resident receives from it.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.i18n import dates, normalize_language
from helpdesk.storage.models.residents import Resident
from helpdesk.storage.repositories import audit, consent, conversations, invoices, links, requests

FORMAT_VERSION = 1


def _when(moment: datetime | None) -> str | None:
    # The JSON is data: ISO 8601 with its UTC offset, for any program to read. The HTML and PDF
    # made from it write the moments as the resident's language does (helpdesk.i18n.dates).
    return moment.isoformat() if moment is not None else None


async def collect(
    session: AsyncSession, resident: Resident, *, now: datetime, request_id: int
) -> dict[str, Any]:
    """The data, as plain JSON values. The personal code is held only as a keyed hash: the export
    says that one is on file, never the hash (useless to the resident, and a guessing aid)."""
    consent_rows = await consent.history(session, resident.id)
    conversation_rows = []
    for conversation in await conversations.for_resident(session, resident.id):
        conversation_rows.append(
            {
                "id": conversation.id,
                "channel": conversation.channel,
                "contact": conversation.contact,
                "language": conversation.language,
                "started_at": _when(conversation.started_at),
                "messages": [
                    {
                        "direction": message.direction,
                        "author": message.author,
                        "text": message.text,
                        "created_at": _when(message.created_at),
                    }
                    for message in await conversations.messages(session, conversation.id)
                ],
            }
        )
    request_rows = await requests.list_items(session, resident_id=resident.id, limit=10_000)
    audit_rows = []
    for item in request_rows:
        for event in await audit.for_request(session, item.id):
            audit_rows.append(
                {
                    "request_id": item.id,
                    "actor": event.actor,
                    "action": event.action,
                    "created_at": _when(event.created_at),
                }
            )
    return {
        "format": FORMAT_VERSION,
        "generated_at": _when(now),
        "request_id": request_id,
        "resident": {
            "id": resident.id,
            "name": resident.name,
            "address": resident.address,
            "invoice_email": resident.invoice_email,
            "news_email": resident.news_email,
            "language": resident.language,
            "personal_code_on_file": resident.personal_code_hmac is not None,
            "created_at": _when(resident.created_at),
            "updated_at": _when(resident.updated_at),
        },
        "telegram_links": [
            {
                "telegram_user_id": link.telegram_user_id,
                "chat_id": link.chat_id,
                "language": link.language,
                "linked_at": _when(link.linked_at),
            }
            for link in await links.links_of(session, resident.id)
        ],
        "consent": [
            {
                "purpose": row.purpose,
                "granted": row.granted,
                "email": row.email,
                "channel": row.channel,
                "evidence": row.evidence,
                "text_version": row.text_version,
                "actor": row.actor,
                "created_at": _when(row.created_at),
            }
            for row in consent_rows
        ],
        "invoices": [
            {
                "id": invoice.id,
                "period": invoice.period,
                "amount": str(invoice.amount),
                "currency": invoice.currency,
                "due_date": invoice.due_date.isoformat() if invoice.due_date else None,
                "sha256": invoice.sha256,
            }
            for invoice in await invoices.list_for(session, resident.id, limit=10_000)
        ],
        "conversations": conversation_rows,
        "requests": [
            {
                "id": item.id,
                "kind": item.kind,
                "status": item.status,
                "channel": item.channel,
                "received_at": _when(item.received_at),
                "deadline_at": _when(item.deadline_at),
                "summary": item.summary,
                "identity": item.identity,
                "identity_how": item.identity_how,
                "extension_reason": item.extension_reason,
                "outcome": item.outcome,
                "closed_at": _when(item.closed_at),
            }
            for item in request_rows
        ],
        "audit": audit_rows,
    }


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)


def readable(data: dict[str, Any], language: str) -> dict[str, Any]:
    """The data as the documents show it: the invoices' due dates, periods and amounts written as the
    document's language writes them (``54,20 €``, ``€54.20``), the resident's language by its name
    (moments go through the ``when`` the documents are given). The JSON keeps codes and decimals."""
    language = normalize_language(language)
    invoices_shown = [
        invoice
        | {
            "period": dates.month(invoice["period"], language),
            "due_date": dates.day_from_iso(invoice["due_date"], language),
            "amount": money(invoice["amount"], invoice["currency"], language),
        }
        for invoice in data["invoices"]
    ]
    resident = data["resident"] | {"language": language_name(data["resident"]["language"], language)}
    return data | {"invoices": invoices_shown, "resident": resident}


def money(amount: str, currency: str, language: str) -> str:
    """``54,20 €`` (lv, ru), ``€54.20`` (en); an amount that is no number is shown as stored."""
    try:
        return str(format_currency(Decimal(amount), currency, locale=normalize_language(language)))
    except (ArithmeticError, ValueError):
        return f"{amount} {currency}"


def language_name(code: str | None, language: str) -> str:
    """``lv`` as ``Latviešu`` / ``Латышский`` / ``Latvian``: named in the document's language."""
    if not code:
        return "—"
    try:
        name = Locale.parse(code).get_language_name(normalize_language(language))
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:] if name else code
