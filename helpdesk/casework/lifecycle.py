"""An item's life in the queue: claim and release, notes, the agent's reply, waiting for the
resident, and closing. Each action checks the lease, works through the repositories, tells the
resident where courtesy or the law requires it, and writes the audit log.
"""

from __future__ import annotations

from helpdesk.casework.context import Context, Refused
from helpdesk.casework.notify import NONE
from helpdesk.casework.texts import reply_title
from helpdesk.i18n import LANGUAGES
from helpdesk.storage.models.conversations import Conversation
from helpdesk.storage.models.requests import RequestKind, RequestStatus
from helpdesk.storage.repositories import audit, conversations, exports, notes, requests

OUTCOMES = ("answered", "refused", "withdrawn", "duplicate", "no_identity")
MAX_NOTE = 5000


async def claim(ctx: Context) -> str:
    if not await requests.claim(
        ctx.session, request_id=ctx.item.id, agent_id=ctx.agent.id, now=ctx.now, lease=ctx.lease
    ):
        raise Refused("Another agent is working on this item.")
    await ctx.log("claim")
    return "claimed"


async def release(ctx: Context) -> str:
    # A closed item keeps its last assignee; releasing it must not reopen it.
    if ctx.item.status == RequestStatus.CLOSED:
        raise Refused("This item is closed.")
    if not await requests.release(ctx.session, request_id=ctx.item.id, agent_id=ctx.agent.id):
        raise Refused("You do not hold this item.")
    await ctx.log("release")
    return "released"


async def note(ctx: Context) -> str:
    text = ctx.field("text", MAX_NOTE)
    if not text:
        raise Refused("Write the note first.", 400)
    row = await notes.add(ctx.session, request_id=ctx.item.id, author=ctx.actor, text=text, now=ctx.now)
    await ctx.log("note", note_id=row.id)
    return "noted"


async def reply(ctx: Context) -> str:
    await ctx.hold()
    text = ctx.field("text", ctx.services.conversation.max_text_length)
    if not text:
        raise Refused("Write the reply first.", 400)
    # The form's nonce makes a double-clicked "Send" one message: the outbox dedupes on the key,
    # and the audit log remembers the nonce so the reply is stored and logged once too.
    events = await audit.for_request(ctx.session, ctx.item.id)
    nonce = ctx.field("nonce", 64)
    if not nonce.isalnum():
        nonce = str(len(events))
    elif any(event.action == "reply" and (event.detail or {}).get("nonce") == nonce for event in events):
        return "replied"
    # The reply's language (the resident's, unless the agent chose another) writes its first line
    # and e-mail subject, which name the item it answers.
    language = ctx.field("language", 2)
    if language not in LANGUAGES:
        language = ctx.item.language
    title = reply_title(ctx.item.kind, ctx.item.id, language)
    channel = await ctx.tell_resident(
        f"{title}\n\n{text}", f"reply:{nonce}", subject=title, language=language
    )
    if channel == NONE:
        raise Refused(
            "This item came from a channel that cannot carry an answer; contact the resident otherwise."
        )
    conversation = await _conversation_of(ctx)
    await conversations.add_message(
        ctx.session,
        conversation,
        direction="out",
        author=ctx.actor,
        text=text,
        now=ctx.now,
        request_id=ctx.item.id,
    )
    await ctx.log("reply", channel=channel, nonce=nonce, language=language)
    # The reply form's "wait for the resident's answer" box (ticked already on a waiting item): most
    # often the agent parks an item together with the question that asks the resident for something.
    if ctx.field("wait", 8):
        await _park(ctx)
        return "replied_waiting"
    if ctx.item.status == RequestStatus.WAITING:
        await _unpark(ctx)
    elif ctx.item.resident_replied_at is not None:
        await requests.seen_reply(ctx.session, request_id=ctx.item.id)
    return "replied"


async def _park(ctx: Context) -> None:
    if not await requests.wait(ctx.session, request_id=ctx.item.id, agent_id=ctx.agent.id, now=ctx.now):
        raise Refused("You do not hold this item.")
    # The deadline is not paused (GDPR Art. 12(3) counts from receipt); the audit row says so, for
    # whoever reads the trail when the month ends.
    await ctx.log("wait", deadline=ctx.item.deadline_at.isoformat())


async def _unpark(ctx: Context) -> None:
    if await requests.stop_waiting(ctx.session, request_id=ctx.item.id, agent_id=ctx.agent.id):
        await ctx.log("resume")


async def wait(ctx: Context) -> str:
    """Park the item until the resident answers (a question asked outside the reply form, e.g. by phone)."""
    await ctx.hold()
    await _park(ctx)
    return "waiting"


async def resume(ctx: Context) -> str:
    """Stop waiting without a message from the resident (the answer came some other way)."""
    await ctx.hold()
    if ctx.item.status != RequestStatus.WAITING:
        raise Refused("This item is not waiting for the resident.")
    await _unpark(ctx)
    return "resumed"


async def _conversation_of(ctx: Context) -> Conversation:
    """The item's stored conversation; one is opened when there is none (purged by retention, or
    an item filed without one), so the agent's reply is on the page and in a later access export."""
    if ctx.item.conversation_id is not None:
        conversation = await conversations.get(ctx.session, ctx.item.conversation_id)
        if conversation is not None:
            return conversation
    conversation = await conversations.open_for(
        ctx.session,
        channel=ctx.item.channel,
        contact=ctx.item.contact,
        resident_id=ctx.item.resident_id,
        language=ctx.item.language,
        now=ctx.now,
    )
    ctx.item.conversation_id = conversation.id  # written by the action's commit
    return conversation


async def close(ctx: Context) -> str:
    await ctx.hold()
    outcome = ctx.field("outcome", 32)
    if outcome not in OUTCOMES:
        raise Refused("Choose an outcome.", 400)
    if ctx.item.kind == RequestKind.ACCESS and outcome == "answered":
        sent = [row for row in await exports.for_request(ctx.session, ctx.item.id) if row.sent_at is not None]
        if not sent:
            raise Refused("Send the reviewed export before closing an access request as answered.")
    await requests.close(ctx.session, request_id=ctx.item.id, outcome=outcome, now=ctx.now)
    await ctx.log("close", outcome=outcome)
    return "closed"
