"""Hand the inquiry to a person: a ``question`` queue item with a deadline, and an honest reply.

Whenever the bot is not sure, this is where it goes: a late human answer is better than a wrong
machine one. Every queue item a resident's message makes is created here: the questions, and
(:func:`keep_unprocessed`) the messages a channel could not hand to the handlers at all.

A message joins an open item only when it is about that item (:mod:`helpdesk.handlers.joining`);
otherwise it is a question of its own. When one reply answers some parts of a message and a person
must answer the rest, the item holds those parts and the reply quotes them (:func:`quote`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.core.deadlines import question_deadline
from helpdesk.core.types import Action, Awaiting, Button, Channel, Reply, ReplyKind
from helpdesk.handlers import followup, joining
from helpdesk.handlers.context import Context
from helpdesk.knowledge.personwish import only_wants_a_person
from helpdesk.settings import ConversationSettings
from helpdesk.storage.models.requests import IdentityState, RequestKind, SupportRequest
from helpdesk.storage.repositories import audit, conversations, requests

#: How much of the resident's words a reply quotes back ("a person will answer „…”").
QUOTE_LENGTH = 60


def _contact(ctx: Context) -> str:
    return ctx.inquiry.reply_to or ctx.inquiry.sender


def quote(ctx: Context, texts: Sequence[str]) -> str:
    """The resident's words, briefly, in the language's own quotation marks („…”, «…», “…”)."""
    quoted = []
    for text in texts:
        words = " ".join(text.split())
        if len(words) > QUOTE_LENGTH:
            words = words[:QUOTE_LENGTH].rsplit(" ", 1)[0].rstrip(" ,;:-") + "…"
        quoted.append(ctx._("“{text}”").format(text=words))
    return ", ".join(quoted)


async def escalate(
    ctx: Context, *, reason: str = "unanswered", parts: Sequence[str] = (), follow: bool = True
) -> Reply:
    """File a question for a person, or join the open item this message is about, and say when to
    expect an answer. ``parts``: the resident's words a person must answer when the reply answers
    the rest of the message (the item holds them, the reply quotes them); empty: the whole message.
    ``follow``: whether the item the last reply handed over may take it as more of the same."""
    summary = "\n".join(parts) if parts else ctx.inquiry.text
    existing = await joining.item_for(ctx, summary, follow=follow) if summary.strip() else None
    if existing is not None:
        return await _join(ctx, existing, parts)
    item = await _file(ctx, summary=summary, reason=reason)
    return _passed(ctx, item, parts)


def _passed(ctx: Context, item: SupportRequest, parts: Sequence[str]) -> Reply:
    """What the resident is told about a new item: its number and by when a person answers, and,
    when the reply answers the rest of the message, which part the person will answer."""
    hours = ctx.settings.question_answer_hours
    if parts:
        text = ctx.ngettext(
            "I have passed your question {quote} to our support team ({ref}). A person will answer "
            "you here within about {hours} hour, by {when}.",
            "I have passed your question {quote} to our support team ({ref}). A person will answer "
            "you here within about {hours} hours, by {when}.",
            hours,
        )
    else:
        text = ctx.ngettext(
            "Thank you. I have passed your message to our support team ({ref}). A person will answer "
            "you here within about {hours} hour, by {when}.",
            "Thank you. I have passed your message to our support team ({ref}). A person will answer "
            "you here within about {hours} hours, by {when}.",
            hours,
        )
    text = text.format(
        ref=f"#{item.id}", hours=hours, when=ctx.datetime(item.deadline_at), quote=quote(ctx, parts)
    )
    return ctx.reply(text, ReplyKind.ESCALATED, intent=Action.HUMAN, request_id=item.id)


async def _join(ctx: Context, item: SupportRequest, parts: Sequence[str]) -> Reply:
    """The message is about ``item`` (it waits for the resident, the mail is in its thread, or the
    same question is asked again): it joins it, and an item that waited goes back to the agents."""
    await followup.resident_wrote(ctx, item)
    if item.kind != RequestKind.QUESTION:
        text = followup.joined(ctx, item, quote(ctx, parts) if parts else None)
    elif parts:
        text = ctx._(
            "I added your question {quote} to your open question {ref}. A person will answer by {when}."
        )
    else:
        text = ctx._("I added this to your open question {ref}. A person will answer by {when}.")
    text = text.format(ref=f"#{item.id}", when=ctx.datetime(item.deadline_at), quote=quote(ctx, parts))
    return ctx.reply(text, ReplyKind.ESCALATED, intent=Action.HUMAN, request_id=item.id)


async def _file(ctx: Context, *, summary: str, reason: str) -> SupportRequest:
    """A new ``question`` item for this person, and its audit entry."""
    received = ctx.inquiry.received_at or ctx.now
    unverified = not ctx.resident_id or ctx.inquiry.identity_unverified_reason is not None
    item = await requests.create(
        ctx.session,
        kind=RequestKind.QUESTION,
        channel=str(ctx.channel),
        contact=_contact(ctx),
        received_at=received,
        deadline_at=question_deadline(received, ctx.settings.question_answer_hours),
        resident_id=ctx.resident_id,
        conversation_id=ctx.conversation_id,
        language=ctx.language,
        summary=summary[:2000],
        details={"reason": reason, "thread_key": ctx.inquiry.thread_key or ""},
        # A resident named by an address nothing proved (identify.UNPROVEN) is not verified either.
        identity=IdentityState.UNVERIFIED if unverified else IdentityState.VERIFIED,
        identity_how=ctx.inquiry.identity_unverified_reason if unverified else None,
        external_ref=ctx.inquiry.message_id,
    )
    await audit.record(
        ctx.session,
        actor=ctx.actor,
        action="request.created",
        request_id=item.id,
        detail={"kind": "question"},
    )
    return item


def bare_ask(text: str) -> bool:
    """Whether typed text asking for a person says nothing else ("Gribu runāt ar cilvēku", "ok. can
    I talk to a real person please"): there is nothing in it for a person to answer, however many
    fillers and courtesies it takes (:mod:`helpdesk.knowledge.personwish`)."""
    return only_wants_a_person(text)


async def human(ctx: Context) -> Reply:
    """ "Ask a person". Typed words of their own go to a person as a message of their own (joining
    an open item only when they are about it). With nothing typed (a button, /human) or only "I want
    to talk to a person", the message the machine just answered is passed on (the answer did not
    help); when there is none, the resident is asked what to pass on, and the next line is it.
    A mail is passed on as it is: it is read whole, and has no next line."""
    text = ctx.inquiry.text.strip()
    answers_what = ctx.state.awaiting is Awaiting.HUMAN_QUESTION and bool(text)  # "what to pass on?"
    if ctx.channel is Channel.EMAIL or answers_what or (text and not bare_ask(text)):
        # Asked for a person in so many words: a path of its own, not more of the last question.
        return await escalate(ctx, reason="asked for a person", follow=False)
    if ctx.state.pass_on and ctx.conversation_id is not None:
        last = await conversations.last_resident_text(ctx.session, ctx.conversation_id)
        if last:
            return await _pass_on(ctx, last)
    return ctx.reply(
        ctx._("What should I pass on to a person? Please write it in one message."),
        ReplyKind.QUESTION,
        intent=Action.HUMAN,
        awaiting=Awaiting.HUMAN_QUESTION,
        buttons=((Button(ctx._("Cancel"), Action.MENU),),),
    )


async def _pass_on(ctx: Context, question: str) -> Reply:
    """The resident's last message, which the machine answered, as a question of its own."""
    return _passed(ctx, await _file(ctx, summary=question, reason="asked for a person"), ())


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
