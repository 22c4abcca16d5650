"""The one entry point for every channel: ``handle(inquiry, services) -> Reply``.

It validates the inquiry, records the conversation (redacted), enforces who may get what, routes
by the explicit action or by the knowledge matcher, and records the reply. One database transaction
covers the handler's changes and both messages; if the handler fails, the inquiry is still kept
(as a queue item) and the resident gets an apology, never a traceback.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace

from helpdesk.core.matching import Decision
from helpdesk.core.types import Action, Channel, Inquiry, Reply, ReplyKind
from helpdesk.handlers import consent, escalate, faq, identify, invoices, menu, requests
from helpdesk.handlers.context import Context
from helpdesk.i18n import LANGUAGES, gettext_for, normalize_language
from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import conversations

log = logging.getLogger(__name__)

Handler = Callable[[Context], Awaitable[Reply]]


async def _correction_details(ctx: Context) -> Reply:
    """The answer to "what should be corrected?"; if that request is gone, the message as typed."""
    reply = await requests.add_details(ctx)
    if reply is not None:
        return reply
    args = {k: v for k, v in ctx.inquiry.args.items() if k != "request"}
    ctx.inquiry = replace(ctx.inquiry, action=None, args=args)
    return await _route(ctx)


ROUTES: dict[Action, Handler] = {
    Action.MENU: menu.menu,
    Action.HELP: menu.help_,
    Action.LANGUAGE: menu.language,
    Action.LINK_REDEEM: identify.redeem,
    Action.LINK_CONFIRM: identify.confirm,
    Action.LINK_CANCEL: identify.cancel,
    Action.UNLINK: identify.unlink,
    Action.UNLINK_CONFIRM: identify.unlink_confirm,
    Action.INVOICE: invoices.latest,
    Action.INVOICE_PERIOD: invoices.by_period,
    Action.INVOICE_LIST: invoices.listing,
    Action.CONSENT_STATUS: consent.status,
    Action.CONSENT_WITHDRAW: consent.withdraw,
    Action.CONSENT_GIVE: consent.give,
    Action.CONSENT_GIVE_CONFIRM: consent.confirm,
    Action.ACCESS_REQUEST: requests.access,
    Action.CORRECTION_REQUEST: requests.correction,
    Action.REQUEST_CONFIRM: requests.confirm,
    Action.CORRECTION_DETAILS: _correction_details,
    Action.HUMAN: escalate.human,
    Action.FAQ: faq.answer,
}

_BARE_CODE = re.compile(r"\s*(\d{6})\s*")


async def _route_text(ctx: Context) -> Reply:
    """Free text: a pending confirmation code, else whatever the matcher is sure of, else a person."""
    text = ctx.inquiry.text
    code = _BARE_CODE.fullmatch(text)
    if code and await consent.has_open_code(ctx):
        ctx.inquiry = replace(ctx.inquiry, args={**ctx.inquiry.args, "code": code.group(1)})
        return await consent.confirm(ctx)
    match = ctx.services.matcher.match(text, ctx.language)
    if match.language in LANGUAGES and ctx.channel is Channel.EMAIL:
        ctx.language = match.language  # e-mail: answer in the writer's language
    if match.decision is Decision.ANSWER and match.entry:
        if match.entry.startswith("action:"):
            try:
                action = Action(match.entry)
            except ValueError:
                return await escalate.escalate(ctx, reason="unknown action")
            return await ROUTES[action](ctx)
        return await faq.answer(ctx, match.entry)
    if match.decision is Decision.CLARIFY and match.candidates:
        return await faq.clarify(ctx, match)
    return await escalate.escalate(ctx)


async def _route(ctx: Context) -> Reply:
    inquiry = ctx.inquiry
    if inquiry.action is not None:
        return await ROUTES[inquiry.action](ctx)
    if len(inquiry.text) > ctx.settings.max_text_length:
        return await menu.too_long(ctx)
    if not inquiry.text.strip():
        if inquiry.attachments:
            return await menu.attachments_only(ctx)
        return await menu.menu(ctx)
    return await _route_text(ctx)


def _inbound_text(inquiry: Inquiry, limit: int) -> str:
    """What goes into the conversation log for the resident's side (redacted by the repository)."""
    parts: list[str] = []
    if inquiry.action is not None:
        safe_args = {k: v for k, v in inquiry.args.items() if k not in ("token", "code")}
        parts.append(f"[{inquiry.action}{' ' + str(safe_args) if safe_args else ''}]")
    if inquiry.text:
        text = inquiry.text
        parts.append(text if len(text) <= limit else text[:limit] + " […]")
    if inquiry.attachments:
        parts.append(
            "[" + ", ".join(f"{a.filename} ({a.content_type}, {a.size} B)" for a in inquiry.attachments) + "]"
        )
    return "\n".join(parts) or "[empty]"


async def handle(inquiry: Inquiry, services: Services) -> Reply:
    language = normalize_language(inquiry.language, services.settings.default_language)
    now = services.clock()
    contact = inquiry.reply_to or inquiry.sender
    try:
        async with services.sessions() as session, write_transaction(session):
            # Core statements built once, on the session's connection: this runs for every inquiry.
            connection = await session.connection()
            conversation = await conversations.continue_or_start(
                connection,
                channel=str(inquiry.channel),
                contact=contact,
                resident_id=inquiry.resident_id,
                language=language,
                now=now,
            )
            resident = conversation.resident  # read in the same statement
            if inquiry.resident_id is not None and resident is None:
                # Trust resident_id only if that resident exists (a stale link after deletion is nobody).
                inquiry = replace(inquiry, resident_id=None)
            ctx = Context(
                inquiry=inquiry,
                services=services,
                session=session,
                language=language,
                now=now,
                conversation_id=conversation.id,
                resident=resident,
                db=connection,
            )
            reply = await _route(ctx)
            # Both messages in one round trip at the end; the reply may have just linked a resident,
            # and names the queue item the exchange opened or joined (the item's page shows it).
            await conversations.record_exchange(
                connection,
                conversation,
                inbound=_inbound_text(inquiry, services.settings.max_text_length),
                inbound_intent=str(inquiry.action or ""),
                external_id=inquiry.message_id,
                outbound=reply.text,
                outbound_intent=reply.intent,
                now=now,
                resident_id=reply.resident_id,
                request_id=reply.request_id,
            )
            log.info(
                "inquiry handled channel=%s conversation=%s intent=%s kind=%s",
                inquiry.channel,
                conversation.id,
                reply.intent,
                reply.kind,
            )
            return reply
    except Exception:
        log.exception("handler failed channel=%s action=%s", inquiry.channel, inquiry.action)
        return await _keep_after_failure(inquiry, services, language)


async def _keep_after_failure(inquiry: Inquiry, services: Services, language: str) -> Reply:
    """The handler failed and its transaction rolled back: keep the inquiry as a queue item.

    If even that fails (the database is away or locked), the resident is told the message was not
    saved and asked to send it again: nothing is lost without the resident knowing.
    """
    _ = gettext_for("helpdesk", language).gettext
    request_id: int | None = None
    try:
        async with services.sessions() as session, write_transaction(session):
            ctx = Context(
                inquiry=inquiry, services=services, session=session, language=language, now=services.clock()
            )
            kept = await escalate.escalate(ctx, reason="handler error")
            request_id = kept.request_id
    except Exception:
        log.exception("could not keep the failed inquiry channel=%s", inquiry.channel)
    if request_id is None:
        text = _(
            "Sorry, something went wrong on our side and your message could not be saved. "
            "Please send it again in a few minutes."
        )
    else:
        text = _(
            "Sorry, something went wrong on our side. Your message is saved and a person will look at it."
        )
    return Reply(
        text=text,
        kind=ReplyKind.ERROR,
        intent="error",
        language=language,
        request_id=request_id,
        resident_id=inquiry.resident_id,
    )
