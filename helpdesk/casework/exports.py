"""GDPR Art. 15 exports as casework: generate, review, and send to the identified resident only.

Personal data go only to the linked chat the request came from, else the invoice address on
record, and only after the identity is verified and an agent reviewed the export. When
``HELPDESK_TELEGRAM_DOCUMENTS`` keeps documents out of Telegram (``email``, ``off``), the export goes
to the invoice address and the linked chat is told where, the address masked.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpdesk.casework import export_data, export_files
from helpdesk.casework.context import Context, Refused
from helpdesk.casework.texts import resident_gettext
from helpdesk.core.ids import row_id
from helpdesk.core.ports import OutboundMessage
from helpdesk.core.redaction import mask_email
from helpdesk.services import Services
from helpdesk.settings import TelegramDocuments
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.models.agents import Agent
from helpdesk.storage.models.console import RequestExport
from helpdesk.storage.models.requests import IdentityState, RequestKind
from helpdesk.storage.models.residents import Resident
from helpdesk.storage.repositories import audit, exports, links, residents


async def generate_export(ctx: Context) -> str:
    await ctx.hold()
    if ctx.item.kind != RequestKind.ACCESS:
        raise Refused("Exports are made for access requests.", 400)
    if ctx.item.resident_id is None:
        raise Refused("Attach the item to a resident first: the sender is not identified.")
    if ctx.item.identity != IdentityState.VERIFIED:
        raise Refused("Verify the resident's identity before making an export of their data.")
    resident = await residents.get(ctx.session, ctx.item.resident_id)
    if resident is None:
        raise Refused("The resident record no longer exists.", 400)
    data = await export_data.collect(ctx.session, resident, now=ctx.now, request_id=ctx.item.id)
    row = await exports.add(
        ctx.session,
        request_id=ctx.item.id,
        resident_id=resident.id,
        created_by=ctx.actor,
        json_text=export_data.to_json(data),
        html_text=export_files.to_html(data, resident.language),
        now=ctx.now,
    )
    await ctx.log("export.generated", export_id=row.id, sha256=row.sha256)
    return "exported"


async def _export_row(ctx: Context) -> RequestExport:
    raw = ctx.field("export_id", 12)
    export_id = row_id(raw)
    row = await exports.get(ctx.session, ctx.item.id, export_id) if export_id is not None else None
    if row is None:
        raise Refused("That export does not exist.", 404)
    return row


async def review_export(ctx: Context) -> str:
    await ctx.hold()
    row = await _export_row(ctx)
    if not await exports.mark_reviewed(ctx.session, export_id=row.id, by=ctx.actor, now=ctx.now):
        raise Refused("This export has already been reviewed.")
    await ctx.log("export.reviewed", export_id=row.id)
    return "reviewed"


ALREADY_SENT = "This export has already been sent."


@dataclass(frozen=True, slots=True)
class Sending:
    """Where an export would go: the linked chat the request came from, else the invoice address."""

    export: RequestExport
    resident: Resident
    via: str  # the channel: "telegram" or "email"
    to: str  # the chat id or the e-mail address, as the confirmation page names it
    #: The export goes by e-mail although the request came from the resident's linked chat
    #: (HELPDESK_TELEGRAM_DOCUMENTS is not "send"): that chat is told where it went.
    tell_chat: bool = False


async def plan_send(ctx: Context) -> Sending:
    """:func:`send_export`'s checks after the claim, by reading only (the confirmation step shows
    what it returns without writing the files): which export goes where, or :class:`Refused`."""
    row = await _export_row(ctx)
    if ctx.item.identity != IdentityState.VERIFIED:
        raise Refused("Verify the resident's identity before sending personal data.")
    if row.reviewed_at is None:
        raise Refused("Review the export before sending it.")
    resident = await residents.get(ctx.session, row.resident_id)
    if resident is None:
        raise Refused("The resident record no longer exists.", 400)
    if row.sent_at is not None:
        raise Refused(ALREADY_SENT)
    linked_chat = ctx.item.channel == "telegram" and any(
        str(link.chat_id) == ctx.item.contact for link in await links.links_of(ctx.session, resident.id)
    )
    documents_in_chat = ctx.services.conversation.telegram_documents is TelegramDocuments.SEND
    if linked_chat and documents_in_chat:
        return Sending(row, resident, "telegram", ctx.item.contact)
    if resident.invoice_email:
        return Sending(row, resident, "email", resident.invoice_email, tell_chat=linked_chat)
    if linked_chat:
        raise Refused(
            "Documents are not sent through Telegram here (HELPDESK_TELEGRAM_DOCUMENTS), and the "
            "resident has no invoice address to send the export to."
        )
    raise Refused("The resident has no linked chat and no invoice address to send to.")


async def send_export(ctx: Context) -> str:
    """Personal data go only to an identified resident: the linked chat or the invoice address."""
    await ctx.hold()
    planned = await plan_send(ctx)
    row, resident = planned.export, planned.resident
    # The plan read sent_at; marking it is the atomic check (two sends at once: one wins).
    if not await exports.mark_sent(ctx.session, export_id=row.id, via="pending", now=ctx.now):
        raise Refused(ALREADY_SENT)
    _ = resident_gettext(resident.language)
    caption = _("A copy of your data (request {ref})").format(ref=ctx.ref())
    text = _(
        "Here is a copy of the data we hold about you, as you asked in request {ref}: as a PDF, as a web "
        "page (HTML) and in a machine-readable form (JSON)."
    ).format(ref=ctx.ref())
    documents = export_files.write_files(ctx.services.storage.invoice_dir, row, caption, resident.language)
    await ctx.services.outbox.queue(
        ctx.session,
        OutboundMessage(
            channel=planned.via,
            recipient=planned.to,
            text=text,
            language=resident.language,
            subject=caption,
            documents=documents,
            request_id=ctx.item.id,
            resident_id=resident.id,
            dedupe_key=f"console:{ctx.item.id}:export:{row.id}",
        ),
    )
    if planned.tell_chat:
        where = _(
            "We sent a copy of your data (request {ref}) in a separate e-mail to the invoice address "
            "registered on your account ({address})."
        ).format(ref=ctx.ref(), address=mask_email(planned.to))
        await ctx.tell_resident(where, f"export:{row.id}:by-email", language=resident.language)
    await exports.set_sent_via(ctx.session, export_id=row.id, via=planned.via)
    await ctx.log("export.sent", export_id=row.id, via=planned.via, sha256=row.sha256)
    return "sent"


async def read_export(
    services: Services, agent: Agent, item_id: int, export_id: int, fmt: str
) -> str | bytes:
    """The export as the agent reviews it before sending: the stored HTML or JSON, or the PDF drawn
    now in the resident's language. Every view is in the audit log (personal data were read)."""
    async with services.sessions() as db, write_transaction(db):
        row = await exports.get(db, item_id, export_id)
        if row is None:
            raise LookupError(export_id)
        await audit.record(
            db,
            actor=f"agent:{agent.id}",
            action="export.viewed",
            request_id=item_id,
            detail={"export_id": export_id, "format": fmt},
            now=services.clock(),
        )
        if fmt == "pdf":
            resident = await residents.get(db, row.resident_id)
            return export_files.to_pdf(row, resident.language if resident else "lv")
        return row.html_text if fmt == "html" else row.json_text
