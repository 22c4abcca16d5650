"""The one entry point for every channel: ``handle(inquiry, services) -> Reply``.

It reads the conversation (with its state and who the inquiry is from), routes by the chosen
button, the explicit action, what the conversation waits for, or the knowledge matcher, and records
both messages (redacted) and the state the reply leaves. One database transaction covers the
handler's changes and both messages; if the handler fails, the inquiry is still kept (its text in
the conversation, named by a queue item) and the resident gets an apology, never a traceback.

A transaction that lost to another one (a deadlock, a serialisation failure) is nobody's fault and
no reason to apologise: it is tried again, here, or, when the caller's transaction encloses ours
(the mailbox's batch, ``enclosed=True``), by the caller, since only a rollback of the whole of it
releases the locks the other transaction waits for.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from helpdesk.core.conversation import ConversationState, offered
from helpdesk.core.matching import MessageKind
from helpdesk.core.secrets import is_confirmation_code
from helpdesk.core.types import Action, Awaiting, Channel, Inquiry, Reply, ReplyKind
from helpdesk.handlers import (
    consent,
    escalate,
    faq,
    identify,
    invoices,
    joining,
    menu,
    reading,
    refusals,
    requests,
    smalltalk,
)
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
#: argument it fills (None: it stays the inquiry's text, read first: "thanks, bye" ends the wait).
AWAITED: dict[Awaiting, tuple[Action, str | None]] = {
    Awaiting.NEWS_ADDRESS: (Action.CONSENT_GIVE, "email"),
    Awaiting.NEWS_CODE: (Action.CONSENT_GIVE_CONFIRM, "code"),
    Awaiting.CORRECTION_DETAILS: (Action.CORRECTION_DETAILS, None),
    Awaiting.HUMAN_QUESTION: (Action.HUMAN, None),
}


async def _awaited(ctx: Context, awaiting: Awaiting) -> Reply:
    """The typed line is the answer the last reply asked for (an address, a code, what to correct,
    what to pass on to a person). An address or a code moves into the arguments, so the stored
    message does not repeat a code; words are read first, so "thanks, bye" is not taken for them."""
    action, argument = AWAITED[awaiting]
    inquiry = ctx.inquiry
    args = dict(inquiry.args)
    if argument is None:
        if reading.peek(ctx).kind is MessageKind.CLOSING:
            reading.read(ctx)  # a goodbye is answered in its own words' language
            return smalltalk.closing(ctx)
        if ctx.state.request_id is not None:
            args["request"] = str(ctx.state.request_id)
        ctx.inquiry = replace(inquiry, action=action, args=args)
    else:
        args[argument] = inquiry.text.strip()
        ctx.inquiry = replace(inquiry, action=action, args=args, text="")
    return await ROUTES[action](ctx)


async def _run(ctx: Context, action: Action) -> Reply:
    return await ROUTES[action](ctx)


async def _route_text(ctx: Context) -> Reply:
    """Free text: a pending confirmation code, else the message read whole and answered."""
    code = ctx.inquiry.text.strip()
    if is_confirmation_code(code) and await consent.has_open_code(ctx):
        args = {**ctx.inquiry.args, "code": code}  # not kept as text: no code in the stored messages
        ctx.inquiry = replace(ctx.inquiry, action=Action.CONSENT_GIVE_CONFIRM, args=args, text="")
        return await consent.confirm(ctx)
    return await reading.answer(ctx, _run)


def _in_reply_language(ctx: Context) -> None:
    """A button of the last reply, or the line it waits for, is answered in that reply's language
    (a command that does what one of its buttons does counts as that button)."""
    if ctx.state.reply_language in LANGUAGES:
        ctx.language = str(ctx.state.reply_language)


async def _route(ctx: Context) -> Reply:
    inquiry = ctx.inquiry
    if inquiry.choice is not None:
        chosen = ctx.state.chosen(inquiry.choice)
        if chosen is None:
            return await refusals.stale_choice(ctx)
        inquiry = ctx.inquiry = replace(
            inquiry, action=chosen.action, args={**inquiry.args, **chosen.arguments}
        )
        _in_reply_language(ctx)
    elif inquiry.action is not None and ctx.state.offers(inquiry.action, inquiry.args):
        _in_reply_language(ctx)  # a button of the last reply, sent as its action
    if inquiry.action is not None:
        return await ROUTES[inquiry.action](ctx)
    if ctx.state.awaiting is not None and inquiry.text.strip():
        _in_reply_language(ctx)
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


def _next_state(ctx: Context, reply: Reply, home: str) -> ConversationState:
    """What the reply leaves for the next inquiry. A mail is read whole, never as "the next line"
    of a question asked by mail (the next mail may be about anything), and its buttons are only
    hints: the e-mail channel keeps no state (and writes none). The language stays the one the
    conversation was read with (``home``): a choice of language is kept where the next read finds
    it (the resident's record, the Telegram user's choice); a reply in another language (the
    question's own words chose it) leaves that language for its buttons and awaited line. A reply
    that handed an item to a person leaves it for the rest of what the resident types about it."""
    if ctx.channel is Channel.EMAIL:
        return ConversationState(language=ctx.state.language)
    follows = reply.request_id if reply.kind is ReplyKind.ESCALATED else None
    until = ctx.now + joining.FOLLOW_UP if follows is not None else None
    earlier = ctx.state.follows_until
    if follows is not None and follows == ctx.state.follows and earlier is not None and ctx.now < earlier:
        until = earlier  # counted from the handover: a burst, not a sliding window
    return ConversationState(
        awaiting=reply.awaiting,
        request_id=reply.request_id if reply.awaiting is not None else None,
        choices=offered(reply.buttons),
        language=ctx.state.language,
        pass_on=ctx.pass_on,
        reply_language=reply.language if reply.language != home else None,
        follows=follows,
        follows_until=until,
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


#: SQLSTATEs of a transaction that lost to another one: serialisation failure, deadlock. Nothing is
#: wrong with the inquiry, and the same unit of work succeeds when tried again.
_LOST_TO_ANOTHER = frozenset({"40001", "40P01"})
#: Tries of one inquiry's transaction when it keeps losing (a fourth would only add to the contention).
_ATTEMPTS = 3


def lost_to_another_transaction(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) is a deadlock or serialisation failure (PostgreSQL; asyncpg
    reports them as a plain ``DBAPIError`` whose driver error carries the SQLSTATE)."""
    seen: BaseException | None = exc
    for _ in range(10):  # a cause chain is short; a cycle must not hang us
        if seen is None:
            return False
        sqlstate = getattr(getattr(seen, "orig", None), "sqlstate", None) or getattr(seen, "sqlstate", None)
        if sqlstate in _LOST_TO_ANOTHER:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def handle(inquiry: Inquiry, services: Services, *, enclosed: bool = False) -> Reply:
    """Answer ``inquiry`` in one transaction. ``enclosed``: the caller's transaction encloses ours
    and tries itself again when ours loses to another one (the error is raised to it)."""
    language = normalize_language(inquiry.language, services.conversation.default_language)
    now = services.clock()
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return await _handle(inquiry, services, language, now)
        except Exception as exc:
            if lost_to_another_transaction(exc):
                if enclosed:
                    raise
                if attempt < _ATTEMPTS:
                    log.warning("inquiry lost to another transaction (%s); trying again", type(exc).__name__)
                    await asyncio.sleep(random.uniform(0.02, 0.1) * attempt)
                    continue
            log.exception("handler failed channel=%s action=%s", inquiry.channel, inquiry.action)
            return await _keep_after_failure(inquiry, services, language, now, enclosed=enclosed)
    raise AssertionError("unreachable: the last attempt returns")


async def _open(
    connection: AsyncConnection, inquiry: Inquiry, language: str, now: datetime
) -> conversations.OpenConversation:
    telegram_user = _telegram_user(inquiry)
    return await conversations.continue_or_start(
        connection,
        channel=str(inquiry.channel),
        contact=inquiry.reply_to or inquiry.sender,
        # A Telegram user is the resident their link names (read in this statement); other
        # channels name the resident they proved (a mail's address on record, the terminal).
        resident_id=None if telegram_user is not None else inquiry.resident_id,
        telegram_user_id=telegram_user,
        language=language,
        now=now,
    )


async def _handle(inquiry: Inquiry, services: Services, language: str, now: datetime) -> Reply:
    async with services.sessions() as session, write_transaction(session):
        # Core statements built once, on the session's connection: this runs for every inquiry.
        connection = await session.connection()
        conversation = await _open(connection, inquiry, language, now)
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
        home = ctx.language
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
            state=_next_state(ctx, reply, home),
        )
        log.info(
            "inquiry handled channel=%s conversation=%s intent=%s kind=%s",
            inquiry.channel,
            conversation.id,
            reply.intent,
            reply.kind,
        )
        return reply


async def _keep_after_failure(
    inquiry: Inquiry, services: Services, language: str, now: datetime, *, enclosed: bool
) -> Reply:
    """The handler failed and its transaction rolled back: keep the inquiry for a person.

    Its text goes into the conversation with the apology, naming the queue item it opened or
    joined: a message that joins an open question is on that question's page, not lost with the
    handler's rollback. If even that fails (the database is away), the resident is told the message
    was not saved and asked to send it again: nothing is lost without the resident knowing.
    """
    try:
        async with services.sessions() as session, write_transaction(session):
            connection = await session.connection()
            conversation = await _open(connection, inquiry, language, now)
            ctx = Context(
                inquiry=inquiry,
                services=services,
                session=session,
                language=language,
                now=now,
                conversation_id=conversation.id,
                db=connection,
            )
            kept = await escalate.escalate(ctx, reason="handler error")
            reply = refusals.apology(language, kept.request_id, inquiry.resident_id)
            await conversations.record_exchange(
                connection,
                conversation,
                inbound=_inbound_text(inquiry, services.conversation.max_text_length),
                inbound_intent=str(inquiry.action or ""),
                external_id=inquiry.message_id,
                outbound=reply.text,
                outbound_intent=reply.intent,
                now=now,
                request_id=kept.request_id,
            )
            return reply
    except Exception as exc:
        if enclosed and lost_to_another_transaction(exc):
            raise  # the caller tries the whole of it again, this inquiry with it
        log.exception("could not keep the failed inquiry channel=%s", inquiry.channel)
    return refusals.apology(language, None, inquiry.resident_id)
