"""The per-sender cap: at most ``HELPDESK_MAIL_REPLIES_PER_SENDER_PER_HOUR`` e-mails to one address an
hour (a loop our other rules miss ends here). Over it, the mail is still handled and kept (a
withdrawal still withdraws, a question still reaches a person), only no automatic answer goes out.

The counts are read once per batch (:func:`read_counts`) and then kept current by counting every
e-mail the batch's transaction inserts (:func:`counting`): the ones the handlers queue (a consent
code, say) as well as our answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Connection, event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Mapper

from helpdesk.mailbox.chain.base import Batch, Decision, Incoming
from helpdesk.mailbox.outgoing import CHANNEL
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.repositories import outbox

#: ``Connection.info`` key under which a batch's counts are found while it runs.
_QUEUED = "helpdesk.mailbox.queued"
_WINDOW = timedelta(hours=1)


@event.listens_for(OutboxMessage, "after_insert")
def _count_queued(_mapper: Mapper[OutboxMessage], connection: Connection, target: OutboxMessage) -> None:
    queued = connection.info.get(_QUEUED)
    if isinstance(queued, Counter) and target.channel == CHANNEL:
        queued[target.recipient] += 1


@contextmanager
def counting(connection: AsyncConnection, batch: Batch) -> Iterator[None]:
    """Count every e-mail inserted on ``connection`` toward its recipient's cap while the block runs."""
    connection.info[_QUEUED] = batch.queued
    try:
        yield
    finally:
        connection.info.pop(_QUEUED, None)  # the pooled connection outlives the batch


async def read_counts(session: AsyncSession, batch: Batch, senders: Collection[str], now: datetime) -> None:
    """The e-mails queued to each of ``senders`` in the last hour, with one query for the batch."""
    batch.queued.update(
        await outbox.sent_to_many_since(session, channel=CHANNEL, recipients=senders, since=now - _WINDOW)
    )
    batch.counted.update(senders)


async def reached(incoming: Incoming) -> bool:
    """Whether the writer has had their hour's e-mails (read now for a sender the batch did not read)."""
    sender, batch = incoming.sender, incoming.batch
    if sender not in batch.counted:
        await read_counts(incoming.session, batch, (sender,), incoming.services.clock())
    return batch.queued[sender] >= incoming.config.inbound.mail_replies_per_sender_per_hour


class RateLimit:
    name = "rate-limit"
    description = "the sender had HELPDESK_MAIL_REPLIES_PER_SENDER_PER_HOUR e-mails this hour: no answer"

    async def act(self, incoming: Incoming) -> Decision | None:
        if await reached(incoming):
            incoming.silenced_by = self.name
        return None


UNITS = (RateLimit(),)
