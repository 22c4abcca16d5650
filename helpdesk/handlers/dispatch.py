"""The one entry point for every channel: ``handle(inquiry, services) -> Reply``.

It reads the conversation (with its state and who the inquiry is from), routes by the chosen
button, the explicit action, what the conversation waits for, or the knowledge matcher, and records
both messages (redacted) and the state the reply leaves. One database transaction covers the
handler's changes and both messages; if the handler fails, the inquiry is still kept (as a queue
item) and the resident gets an apology, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

from helpdesk.core.conversation import ConversationState, offered
from helpdesk.core.matching import Decision, action_for
from helpdesk.core.secrets import is_confirmation_code
from helpdesk.core.types import Action, Awaiting, Channel, Inquiry, Reply
from helpdesk.handlers import consent, escalate, faq, identify, invoices, menu, refusals, requests
from helpdesk.handlers.context import Context
from helpdesk.i18n import LANGUAGES, normalize_language
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
    return await _route_typed(ctx)


ROUTES: dict[Action, Handler] = {
    Action.MENU: menu.menu,
    Action.START: menu.start,
    Action.HELP: menu.help_,
    Action.ASK: menu.ask,
    Action.UNKNOWN_COMMAND: refusals.unknown_command,
    Action.UNREADABLE: refusals.unreadable,
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
    Action.CONSENT_ADDRESS: consent.ask_address,
    Action.ACCESS_REQUEST: requests.access,
    Action.CORRECTION_REQUEST: requests.correction,
    Action.REQUEST_CONFIRM: requests.confirm,
    Action.CORRECTION_DETAILS: _correction_details,
    Action.HUMAN: escalate.human,
    Action.FAQ: faq.answer,
}

#: What a typed line answers while the conversation waits for it: the action it becomes and the
#: argument it fills (None: it stays the inquiry's text).
AWAITED: dict[Awaiting, tuple[Action, str | None]] = {
    Awaiting.NEWS_ADDRESS: (Action.CONSENT_GIVE, "email"),
    Awaiting.NEWS_CODE: (Action.CONSENT_GIVE_CONFIRM, "code"),
    Awaiting.CORRECTION_DETAILS: (Action.CORRECTION_DETAILS, None),
}


async def _awaited(ctx: Context, awaiting: Awaiting) -> Reply:
    """The typed line is the answer the last reply asked for (an address, a code, what to correct).
    An address or a code moves into the arguments, so the stored message does not repeat a code."""
    action, argument = AWAITED[awaiting]
    inquiry = ctx.inquiry
    args = dict(inquiry.args)
    if argument is None:
        args["request"] = str(ctx.state.request_id or "")
        ctx.inquiry = replace(inquiry, action=action, args=args)
    else:
        args[argument] = inquiry.text.strip()
        ctx.inquiry = replace(inquiry, action=action, args=args, text="")
    return await ROUTES[action](ctx)


async def _route_text(ctx: Context) -> Reply:
    """Free text: a pending confirmation code, else whatever the matcher is sure of, else a person."""
    text = ctx.inquiry.text
    code = text.strip()
    if is_confirmation_code(code) and await consent.has_open_code(ctx):
        args = {**ctx.inquiry.args, "code": code}  # not kept as text: no code in the stored messages
        ctx.inquiry = replace(ctx.inquiry, action=Action.CONSENT_GIVE_CONFIRM, args=args, text="")
        return await consent.confirm(ctx)
    match = ctx.services.matcher.match(text, ctx.language)
    if match.language in LANGUAGES and ctx.channel is Channel.EMAIL:
        ctx.language = match.language  # e-mail: answer in the writer's language
    if match.decision is Decision.ANSWER and match.entry:
        if match.entry.startswith("action:"):
            action = action_for(match.entry)
            if action is None:
                return await escalate.escalate(ctx, reason="unknown action")
            return await ROUTES[action](ctx)
        return await faq.answer(ctx, match.entry)
    if match.decision is Decision.CLARIFY and match.candidates:
        return await faq.clarify(ctx, match)
    return await escalate.escalate(ctx)


async def _route(ctx: Context) -> Reply:
    inquiry = ctx.inquiry
    if inquiry.choice is not None:
        chosen = ctx.state.chosen(inquiry.choice)
        if chosen is None:
            return await refusals.stale_choice(ctx)
        inquiry = ctx.inquiry = replace(
            inquiry, action=chosen.action, args={**inquiry.args, **chosen.arguments}
        )
    if inquiry.action is not None:
        return await ROUTES[inquiry.action](ctx)
    if ctx.state.awaiting is not None and inquiry.text.strip():
        return await _awaited(ctx, ctx.state.awaiting)
    return await _route_typed(ctx)


async def _route_typed(ctx: Context) -> Reply:
    """Typed text read as itself (no button, no command, no wait it answers)."""
    inquiry = ctx.inquiry
    if len(inquiry.text) > ctx.settings.max_text_length:
        return await refusals.too_long(ctx)
    if not inquiry.text.strip():
        if inquiry.attachments:
            return await refusals.attachments_only(ctx)
        return await menu.menu(ctx)
    return await _route_text(ctx)


def _next_state(ctx: Context, reply: Reply) -> ConversationState:
    """What the reply leaves for the next inquiry. A mail is read whole, never as "the next line"
    of a question asked by mail (the next mail may be about anything), and its buttons are only
    hints: the e-mail channel keeps no state (and writes none). The language stays the one the
    conversation was read with: a choice of language is kept where the next read finds it (the
    resident's record, the Telegram user's choice)."""
    if ctx.channel is Channel.EMAIL:
        return replace(ctx.state, awaiting=None, request_id=None, choices=())
    return ConversationState(
        awaiting=reply.awaiting,
        request_id=reply.request_id if reply.awaiting is not None else None,
        choices=offered(reply.buttons),
        language=ctx.state.language,
    )


def _inbound_text(inquiry: Inquiry, limit: int) -> str:
    """What goes into the conversation log for the resident's side (redacted by the repository)."""
    parts: list[str] = []
    if inquiry.action is not None:
        safe_args = {k: v for k, v in inquiry.args.items() if k not in ("token", "token_hash", "code")}
        parts.append(f"[{inquiry.action}{' ' + str(safe_args) if safe_args else ''}]")
    if inquiry.text:
        text = inquiry.text
        parts.append(text if len(text) <= limit else text[:limit] + " […]")
    if inquiry.attachments:
        parts.append(
            "[" + ", ".join(f"{a.filename} ({a.content_type}, {a.size} B)" for a in inquiry.attachments) + "]"
        )
    return "\n".join(parts) or "[empty]"


def _telegram_user(inquiry: Inquiry) -> int | None:
    """The Telegram user id an inquiry comes from: who they are is their link, nothing else."""
    if inquiry.channel is Channel.TELEGRAM and inquiry.sender.isdigit():
        return int(inquiry.sender)
    return None


async def handle(inquiry: Inquiry, services: Services) -> Reply:
    language = normalize_language(inquiry.language, services.conversation.default_language)
    now = services.clock()
    contact = inquiry.reply_to or inquiry.sender
    telegram_user = _telegram_user(inquiry)
    try:
        async with services.sessions() as session, write_transaction(session):
            # Core statements built once, on the session's connection: this runs for every inquiry.
            connection = await session.connection()
            conversation = await conversations.continue_or_start(
                connection,
                channel=str(inquiry.channel),
                contact=contact,
                # A Telegram user is the resident their link names (read in this statement); other
                # channels name the resident they proved (a mail's address on record, the terminal).
                resident_id=None if telegram_user is not None else inquiry.resident_id,
                telegram_user_id=telegram_user,
                language=language,
                now=now,
            )
            resident = conversation.resident  # read in the same statement; None: nobody (or a stale link)
            if inquiry.resident_id != (resident.id if resident else None):
                inquiry = replace(inquiry, resident_id=resident.id if resident else None)
            ctx = Context(
                inquiry=inquiry,
                services=services,
                session=session,
                language=normalize_language(conversation.state.language, language),
                now=now,
                conversation_id=conversation.id,
                resident=resident,
                db=connection,
                state=conversation.state,
            )
            reply = await _route(ctx)
            # The messages in one round trip at the end (the inquiry as routed: a chosen button as
            # its action), naming the queue item the exchange opened or joined (the item's page
            # shows it); the state, and a resident the reply just linked, only when they changed.
            await conversations.record_exchange(
                connection,
                conversation,
                inbound=_inbound_text(ctx.inquiry, services.conversation.max_text_length),
                inbound_intent=str(ctx.inquiry.action or ""),
                external_id=inquiry.message_id,
                outbound=reply.text,
                outbound_intent=reply.intent,
                now=now,
                resident_id=reply.resident_id,
                request_id=reply.request_id,
                state=_next_state(ctx, reply),
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
    return refusals.apology(language, request_id, inquiry.resident_id)
