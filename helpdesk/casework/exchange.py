"""An item's own exchange, apart from the rest of the conversations it is in.

A conversation runs on while the resident keeps writing: menus, invoices, other questions. What an
agent needs first are the messages that opened the item and joined it (the resident's question, the
bot's "passed to our support team (#12)", a later "here is the document you asked for") and the
agents' replies. Those carry the item's number (``messages.request_id``); the rest is history, shown
folded. Messages stored before they carried the number are told apart by time: the item's own
conversation from when the item was received.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from helpdesk.storage.models.conversations import Message
from helpdesk.storage.models.requests import RESIDENT_REPLIED, AuditEvent, SupportRequest
from helpdesk.storage.repositories import conversations


@dataclass(frozen=True, slots=True)
class Exchange:
    own: list[Message]  # opened or joined the item, and the agents' replies, oldest first
    history: list[Message]  # the rest of the conversations the item's messages are in, oldest first


def _in_order(messages: Sequence[Message]) -> list[Message]:
    return sorted(messages, key=lambda message: (message.created_at, message.id))


def _answer_conversations(item: SupportRequest, events: Sequence[AuditEvent]) -> list[int]:
    """The conversations in which the resident answered the waiting item, when not its own (a
    conversation ends after a day of silence, so the answer to last week's question starts one)."""
    found: list[int] = []
    for event in events:
        if event.action != RESIDENT_REPLIED:
            continue
        conversation_id = (event.detail or {}).get("conversation_id")
        if isinstance(conversation_id, int) and conversation_id not in (item.conversation_id, *found):
            found.append(conversation_id)
    return found


async def of_item(session: AsyncSession, item: SupportRequest, events: Sequence[AuditEvent]) -> Exchange:
    """The item's own messages and the rest; ``events`` is the item's audit trail (it names the
    conversations the resident answered in)."""
    tagged = list(await conversations.messages_of_request(session, item.id))
    conversation_ids = [item.conversation_id] if item.conversation_id is not None else []
    conversation_ids += _answer_conversations(item, events)
    conversation_ids += [m.conversation_id for m in tagged]
    everything: list[Message] = []
    for conversation_id in dict.fromkeys(conversation_ids):  # each once, in this order
        everything.extend(await conversations.messages(session, conversation_id))
    if tagged:
        own_ids = {message.id for message in tagged}
    else:
        own_ids = {
            message.id
            for message in everything
            if message.conversation_id != item.conversation_id or message.created_at >= item.received_at
        }
    return Exchange(
        own=_in_order([m for m in everything if m.id in own_ids]),
        history=_in_order([m for m in everything if m.id not in own_ids]),
    )
