"""An agent turns a good answer to an escalated question into a knowledge-base entry.

The console's form does what ``helpdesk kb add-from-request`` does, through the same
:func:`helpdesk.knowledge.authoring.add_from_request`: the entry is written to
``HELPDESK_KB_EXTRA_DIR/<id>.yaml`` in the question's language, and the matcher reads it when the
bot and console start next (the KB is loaded once per process, and ``helpdesk kb check`` should see
the file first).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from helpdesk.casework.context import Context, Refused
from helpdesk.core.errors import InputError
from helpdesk.knowledge.authoring import MAX_TITLE, add_from_request
from helpdesk.storage.models.conversations import Message
from helpdesk.storage.models.requests import RequestKind, RequestStatus
from helpdesk.storage.repositories import conversations

# The authoring module's own rule for ids, checked here too so the agent reads it in their language.
ENTRY_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")
MAX_ANSWER = 4000


def agent_answers(messages: Sequence[Message]) -> list[str]:
    """The agents' replies in a conversation, oldest first (what the form offers as the answer)."""
    return [m.text for m in messages if m.direction == "out" and m.author.startswith("agent")]


async def last_agent_answer(ctx: Context) -> str:
    if ctx.item.conversation_id is None:
        return ""
    answers = agent_answers(await conversations.messages(ctx.session, ctx.item.conversation_id))
    return answers[-1] if answers else ""


async def save_as_entry(ctx: Context) -> str:
    if ctx.item.kind != RequestKind.QUESTION:
        raise Refused("Only answered questions can become knowledge-base entries.", 400)
    if ctx.item.status != RequestStatus.CLOSED:
        await ctx.hold()  # an open item belongs to whoever holds it
    entry_id = ctx.field("entry_id", 64)
    if not ENTRY_ID.fullmatch(entry_id):
        raise Refused(
            "An entry id is 2-63 lower-case letters, digits and '-', e.g. heating-bill-higher.",
            400,
        )
    answer = ctx.field("answer", MAX_ANSWER) or await last_agent_answer(ctx)
    if not answer:
        raise Refused("Answer the resident first: the entry is made from an agent's answer.", 400)
    try:
        path = await add_from_request(
            ctx.rules.kb_extra_dir,
            ctx.services.storage.database_url,
            request_id=ctx.item.id,
            entry_id=entry_id,
            title=ctx.field("title", MAX_TITLE) or None,
            answer=answer,
        )
    except InputError as exc:
        raise Refused("The entry was not saved: {problem}", 409, problem=str(exc)) from None
    await ctx.log("kb.entry_added", entry_id=entry_id, language=ctx.item.language, file=path.name)
    return "kb_added"
