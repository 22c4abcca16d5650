"""Where a personal document goes when Telegram is not to carry it (``HELPDESK_TELEGRAM_DOCUMENTS``).

The portal's privacy policy promises processing in the EU/EEA, and Telegram's company is outside
it (docs/telegram.md, "Telegram and personal data"), so an operator may keep PDFs out of Telegram.
With ``email`` the PDF goes in a new e-mail to the invoice address on the resident's record (the
rule the mailbox keeps for documents: a new message to the address on record, never to whoever
asked) and the chat says where, the address masked; with ``off``, or with no invoice address on
record, the chat points to the portal. The e-mail is queued through core's outbox port in the
inquiry's transaction, so it exists exactly when the reply does, and once per inquiry.
"""

from __future__ import annotations

from helpdesk.core.addresses import normalize_address
from helpdesk.core.ports import OutboundMessage
from helpdesk.core.redaction import mask_email
from helpdesk.core.types import Button, Channel, Document, Reply
from helpdesk.handlers.context import Context
from helpdesk.settings import TelegramDocuments


def kept_from_chat(ctx: Context) -> bool:
    """Whether this inquiry's documents stay out of its chat: a Telegram one, unless documents are sent."""
    return ctx.channel is Channel.TELEGRAM and ctx.settings.telegram_documents is not TelegramDocuments.SEND


async def elsewhere(
    ctx: Context,
    document: Document,
    title: str,
    *,
    intent: str,
    buttons: tuple[tuple[Button, ...], ...],
) -> Reply:
    """Mail ``document`` to the invoice address (``email``) or point to the portal (``off``); the
    reply starts with ``title`` (which invoice) and carries no file."""
    _ = ctx._
    by_email = ctx.settings.telegram_documents is TelegramDocuments.EMAIL
    target = await _invoice_address(ctx) if by_email else None
    if target is None:
        where = _(
            "Invoices are not sent in this chat. You can download this one in the portal: log in to "
            "Klientiem.lv or MansDzib.lv."
        )
        return ctx.reply(title + "\n" + where, intent=intent, buttons=buttons)
    message_id = ctx.inquiry.message_id
    await ctx.services.outbox.queue(
        ctx.session,
        OutboundMessage(
            channel=Channel.EMAIL,
            recipient=target,
            subject=_("Your documents from Klientiem.lv"),
            text=document.caption or _("The documents you asked for are attached."),
            language=ctx.language,
            documents=(document,),
            resident_id=ctx.resident_id,
            # A redelivered update (webhook) is the same inquiry: one e-mail.
            dedupe_key=f"{message_id}:documents" if message_id else None,
        ),
    )
    where = _(
        "We sent the document in a separate e-mail to the invoice address registered on your account "
        "({address})."
    ).format(address=mask_email(target))
    return ctx.reply(title + "\n" + where, intent=intent, buttons=buttons, personal_data=True)


async def _invoice_address(ctx: Context) -> str | None:
    resident = await ctx.known_resident()
    if resident is None or not resident.invoice_email:
        return None
    return normalize_address(resident.invoice_email)
