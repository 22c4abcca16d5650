"""The resident writes again on a queue item that was waiting for them (an agent asked for identity
proof, or for a missing detail): the item goes back to the agents, and the audit log says so.

Called only by the handlers that already read the item (joining an open question, a repeated
access or correction request, a reply in an item's e-mail thread), so it costs the other inquiries
nothing; and only an item that is ``waiting`` is written to.
"""

from __future__ import annotations

from helpdesk.handlers.context import Context
from helpdesk.storage.models.requests import RESIDENT_REPLIED, RequestStatus, SupportRequest
from helpdesk.storage.repositories import audit, requests


async def resident_wrote(ctx: Context, item: SupportRequest) -> bool:
    """If ``item`` waits for the resident, this inquiry answers it: back to ``claimed`` while its
    agent's lease lives, else ``open`` (any agent may take it). Returns whether it was waiting."""
    if item.status != RequestStatus.WAITING:
        return False
    connection = await ctx.connection()
    status = await requests.resident_wrote(
        connection, request_id=item.id, now=ctx.now, conversation_id=ctx.conversation_id
    )
    if status is None:  # another message resumed it a moment ago
        return False
    await audit.append(
        connection,
        actor=ctx.actor,
        action=RESIDENT_REPLIED,
        now=ctx.now,
        request_id=item.id,
        # Ids only: the item's page shows the answer from the conversation it is in.
        detail={"status": status, "channel": str(ctx.channel), "conversation_id": ctx.conversation_id},
    )
    return True


def joined(ctx: Context, item: SupportRequest, quoted: str | None = None) -> str:
    """What the resident is told when a message (or, ``quoted``, the part of it a person must
    answer) joined ``item``, not a question of its own."""
    if quoted is not None:
        return ctx._(
            "Thank you, I added {quote} to your request {ref}; the person handling it will see it. "
            "We will answer by {date} at the latest."
        ).format(quote=quoted, ref=f"#{item.id}", date=ctx.date(item.deadline_at))
    return ctx._(
        "Thank you, I added this to your request {ref}; the person handling it will see it. "
        "We will answer by {date} at the latest."
    ).format(ref=f"#{item.id}", date=ctx.date(item.deadline_at))
