"""Hand the inquiry to a person: a ``question`` queue item with a deadline, and an honest reply.

Whenever the bot is not sure, this is where it goes: a late human answer is better than a wrong
machine one. Every queue item a resident's message makes is created here: the questions, and
(:func:`keep_unprocessed`) the messages a channel could not hand to the handlers at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.deadlines import question_deadline
from helpdesk.core.types import Action, Reply, ReplyKind
from helpdesk.handlers import followup
from helpdesk.handlers.context import Context
from helpdesk.settings import ConversationSettings
from helpdesk.storage.models.requests import IdentityState, RequestKind
from helpdesk.storage.repositories import audit, conversations, requests


def _contact(ctx: Context) -> str:
    return ctx.inquiry.reply_to or ctx.inquiry.sender


def _reply_thread(ctx: Context) -> str | None:
    """The thread an e-mail replies in (the first Message-ID of its References), when it is a reply."""
    key = ctx.inquiry.thread_key
    return key if key and key != ctx.inquiry.message_id else None


async def escalate(ctx: Context, *, reason: str = "unanswered") -> Reply:
    """File (or join) an open question for this person and tell them when to expect an answer."""
    _ = ctx._
    existing = await requests.find_open(
        ctx.session,
        kind=RequestKind.QUESTION,
        resident_id=ctx.resident_id,
        contact=_contact(ctx),
        thread_key=_reply_thread(ctx),
    )
    if existing is not None and existing.channel == str(ctx.channel):
        # One open question per person: later messages join it (the conversation holds them); a
        # reply in the thread of another open item joins that item. Either may be the answer an
        # agent is waiting for.
        await followup.resident_wrote(ctx, existing)
        if existing.kind != RequestKind.QUESTION:
            text = followup.joined(ctx, existing)
            return ctx.reply(text, ReplyKind.ESCALATED, intent=Action.HUMAN, request_id=existing.id)
        text = _("I added this to your open question {ref}. A person will answer by {when}.").format(
            ref=f"#{existing.id}", when=ctx.datetime(existing.deadline_at)
        )
        return ctx.reply(text, ReplyKind.ESCALATED, intent=Action.HUMAN, request_id=existing.id)
    received = ctx.inquiry.received_at or ctx.now
    deadline = question_deadline(received, ctx.settings.question_answer_hours)
    summary = ctx.inquiry.text
    if not summary.strip() and ctx.conversation_id is not None:
        # "Ask a person" pressed under an answer: the question is the resident's last message.
        summary = await conversations.last_resident_text(ctx.session, ctx.conversation_id) or ""
    item = await requests.create(
        ctx.session,
        kind=RequestKind.QUESTION,
        channel=str(ctx.channel),
        contact=_contact(ctx),
        received_at=received,
        deadline_at=deadline,
        resident_id=ctx.resident_id,
        conversation_id=ctx.conversation_id,
        language=ctx.language,
        summary=summary[:2000],
        details={"reason": reason, "thread_key": ctx.inquiry.thread_key or ""},
        identity=IdentityState.VERIFIED if ctx.resident_id else IdentityState.UNVERIFIED,
        identity_how=None if ctx.resident_id else ctx.inquiry.identity_unverified_reason,
        external_ref=ctx.inquiry.message_id,
    )
    await audit.record(
        ctx.session,
        actor=ctx.actor,
        action="request.created",
        request_id=item.id,
        detail={"kind": "question"},
    )
    hours = ctx.settings.question_answer_hours
    text = ctx.ngettext(
        "Thank you. I have passed your message to our support team ({ref}). A person will answer "
        "you here within about {hours} hour, by {when}.",
        "Thank you. I have passed your message to our support team ({ref}). A person will answer "
        "you here within about {hours} hours, by {when}.",
        hours,
    ).format(ref=f"#{item.id}", hours=hours, when=ctx.datetime(deadline))
    return ctx.reply(text, ReplyKind.ESCALATED, intent=Action.HUMAN, request_id=item.id)


async def human(ctx: Context) -> Reply:
    return await escalate(ctx, reason="asked for a person")


async def file_problem(ctx: Context, invoice_id: str) -> Reply:
    """The stored PDF is missing or changed: do not send it; a person checks and answers."""
    reply = await escalate(ctx, reason=f"invoice file check failed: {invoice_id}")
    text = ctx._("Sorry, I cannot send this invoice right now.") + "\n" + reply.text
    return ctx.reply(text, ReplyKind.ERROR, intent=Action.INVOICE, request_id=reply.request_id)


#: The audit action of a message kept for a person unprocessed (the console translates it).
KEPT_UNPROCESSED = "mail.quarantined"


async def keep_unprocessed(
    session: AsyncSession,
    settings: ConversationSettings,
    *,
    channel: str,
    contact: str | None,
    reason: str,
    summary: str,
    how: str,
    details: Mapping[str, object],
    actor: str,
    now: datetime,
) -> int:
    """A message its channel could not hand to the handlers (too large, unreadable, or one that made
    a step fail) goes to a person as it is: a ``mail`` queue item with a question's deadline, its
    sender unverified (nobody read it). The channel says what it is and where the person finds it
    (``summary``, ``how``, ``details``); returns the item's id.
    """
    item = await requests.create(
        session,
        kind=RequestKind.MAIL,
        channel=channel,
        contact=contact or "unknown",
        received_at=now,
        deadline_at=question_deadline(now, settings.question_answer_hours),
        summary=summary,
        details={**details, "reason": reason},
        identity=IdentityState.UNVERIFIED,
        identity_how=how,
    )
    await audit.record(
        session, actor=actor, action=KEPT_UNPROCESSED, request_id=item.id, detail={"reason": reason}
    )
    return item.id
