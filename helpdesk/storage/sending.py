"""One run of an outbox sender: what it claimed, what it is sending, and what it gives back.

The e-mail and Telegram senders both drain the outbox through a :class:`SenderRun`: it claims due
messages in small batches (each claim its own short write transaction, see
:func:`~helpdesk.storage.repositories.outbox.claim`), records each outcome at once, and on the
way out gives back the messages it holds. A message the run had begun to send when it stopped
(cancelled, or the server vanished) is counted as interrupted: it may have arrived.

A run named ``lead:<channel>:…`` is one its channel's leadership protects (the mailbox service,
the bot); it may take back, when it starts, every message that an earlier leader left ``sending``,
since that leader is gone. Any other run (``helpdesk mailbox --once``, the jobs' retry) leaves those
to the lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from helpdesk.storage.engine import write_transaction
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.repositories import outbox

log = logging.getLogger(__name__)


def run_name(channel: str, *, leader: bool) -> str:
    """``claimed_by`` of one run: ``lead:email:3f2a…`` or ``run:email:…`` (at most 40 characters)."""
    return f"{'lead' if leader else 'run'}:{channel}:{uuid.uuid4().hex[:12]}"


@dataclass
class SenderRun:
    sessions: async_sessionmaker[AsyncSession]
    channel: str
    clock: Callable[[], datetime]
    leader: bool = False
    name: str = ""
    sent: int = 0
    in_flight: set[int] = field(default_factory=set)
    _to_mark: list[tuple[int, asyncio.Future[None]]] = field(default_factory=list)
    _marking: asyncio.Task[None] | None = None

    def __post_init__(self) -> None:
        self.name = self.name or run_name(self.channel, leader=self.leader)

    async def start(self) -> None:
        """A leader takes back what earlier leaders left mid-send (they may have sent it)."""
        if not self.leader:
            return
        async with self.sessions() as session, write_transaction(session):
            found = await outbox.recover(
                session, channel=self.channel, now=self.clock(), claimed_by_prefix=f"lead:{self.channel}:"
            )
        if found:
            log.warning("%d %s message(s) were mid-send when a sender stopped", found, self.channel)

    async def claim(self, limit: int) -> list[OutboxMessage]:
        async with self.sessions() as session, write_transaction(session):
            return await outbox.claim(
                session, channel=self.channel, now=self.clock(), limit=limit, claimed_by=self.name
            )

    @contextlib.contextmanager
    def sending(self, message_id: int) -> Iterator[None]:
        """Around handing a message to the server *and* :meth:`mark_sent`: if the run stops inside
        (cancelled, the database gone), the message's fate is unknown and :meth:`close` counts it
        as interrupted. An error the caller records with :meth:`mark_failed` clears it."""
        self.in_flight.add(message_id)
        yield
        self.in_flight.discard(message_id)

    async def mark_sent(self, message_id: int) -> None:
        """Record a message the server accepted. Nothing is awaited before it: the shorter the time
        between the server's acceptance and the commit, the smaller the window in which a crash
        sends a message twice. Messages that other connections finish while a commit is on its way
        go together in the next one (a group commit: one transaction for several, no added wait)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._to_mark.append((message_id, done))
        if self._marking is None or self._marking.done():
            self._marking = asyncio.create_task(self._mark(), name=f"{self.channel}-outbox-mark")
        await done
        self.sent += 1

    async def _mark(self) -> None:
        while self._to_mark:
            batch, self._to_mark = self._to_mark, []
            try:
                async with self.sessions() as session, write_transaction(session):
                    ids = [message_id for message_id, _ in batch]
                    await outbox.mark_sent(session, ids, self.clock(), relaxed_commit=True)
            except Exception as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                raise
            for _, done in batch:
                if not done.done():
                    done.set_result(None)

    async def mark_failed(self, message_id: int, error: str, *, unknown: bool = False) -> None:
        async with self.sessions() as session, write_transaction(session):
            await outbox.mark_failed(session, message_id, error, self.clock(), unknown=unknown)
        self.in_flight.discard(message_id)

    async def close(self) -> None:
        """Give back every message this run still holds (best effort: a database that is away
        leaves them to the next leader or the lease)."""
        if self._marking is not None:  # what was accepted is recorded as sent, not as interrupted
            with contextlib.suppress(Exception):
                await self._marking
        try:
            async with self.sessions() as session, write_transaction(session):
                await outbox.release(session, claimed_by=self.name, unknown=self.in_flight, now=self.clock())
        except Exception as exc:
            log.warning("%s sender could not give back its messages (%s)", self.channel, type(exc).__name__)
