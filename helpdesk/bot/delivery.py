"""Send the Telegram messages that are due in the outbox: agents' answers from the queue, and bot
replies that Telegram refused earlier.

:func:`deliver_due` drains the outbox within Telegram's limits for bots: about 30 messages a second
across chats (:data:`MESSAGES_PER_SECOND` keeps under it) and about one a second in one chat
(:data:`CHAT_SECONDS`). Messages to one chat go in order, one after another; up to
:data:`CHATS_AT_ONCE` chats are served at once, so a chat with a long backlog does not hold up the
others. Messages are claimed a batch at a time (:class:`~helpdesk.storage.sending.SenderRun`), so
two senders never send one message.

Each message is marked sent only after Telegram accepted it (at least once delivery); a failure is
recorded with :func:`outbox.mark_failed`, which schedules the next attempt with a capped exponential
backoff and gives up after a number of attempts (status "failed", visible to agents). A 429 that
outlasts the retry middleware ends the drain: the rest waits, unattempted, for the next one.
aiogram is imported inside the functions, so the jobs process can import this module cheaply.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiolimiter import AsyncLimiter

from helpdesk.bot.outgoing import CHANNEL
from helpdesk.core.types import Document
from helpdesk.services import Services
from helpdesk.settings import TelegramSettings
from helpdesk.storage.sending import SenderRun

if TYPE_CHECKING:
    from aiogram import Bot

    from helpdesk.storage.models.delivery import OutboxMessage

log = logging.getLogger(__name__)
#: Bot API calls a second across all chats (Telegram allows about 30).
MESSAGES_PER_SECOND = 25
#: Seconds between two outbox messages to one chat (Telegram allows about one a second).
CHAT_SECONDS = 1.0
CHATS_AT_ONCE = 8
CLAIM = 50  # messages claimed at a time; another claim when fewer than half are left


def attachment_to_document(item: dict[str, Any]) -> Document:
    return Document(
        path=Path(str(item["path"])),
        filename=str(item.get("filename") or Path(str(item["path"])).name),
        caption=str(item.get("caption") or ""),
        sha256=str(item.get("sha256") or ""),
        content_type=str(item.get("content_type") or "application/pdf"),
        invoice_id=item.get("invoice_id"),
        personal=bool(item.get("personal", True)),
    )


async def _send(bot: Bot, services: Services, message: OutboxMessage, limiter: AsyncLimiter) -> None:
    from helpdesk.bot.documents import send_document
    from helpdesk.bot.render import split_text

    chat_id = int(message.recipient)
    if message.body_text.strip():
        for chunk in split_text(message.body_text):
            await limiter.acquire()
            await bot.send_message(chat_id, chunk)
    for item in message.attachments or []:
        await limiter.acquire()
        await send_document(bot, services, chat_id, attachment_to_document(item))


@dataclass
class _Drain:
    services: Services
    bot: Bot
    run: SenderRun
    # evenly spaced, no burst: a full bucket of 25 and its refill would make ~50 in the first second
    limiter: AsyncLimiter = field(default_factory=lambda: AsyncLimiter(1, 1 / MESSAGES_PER_SECOND))
    slots: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(CHATS_AT_ONCE))
    lanes: dict[str, deque[OutboxMessage]] = field(default_factory=dict)  # chat -> its messages in order
    running: dict[str, asyncio.Task[None]] = field(default_factory=dict)  # chat -> the task sending them
    last_sent: dict[str, float] = field(default_factory=dict)  # chat -> when its last message was done
    stopped: bool = False  # Telegram said to wait

    async def lane(self, chat: str) -> None:
        async with self.slots:
            queue = self.lanes[chat]
            while queue and not self.stopped:
                wait = self.last_sent.get(chat, -CHAT_SECONDS) + CHAT_SECONDS - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                await self.send(queue.popleft())
                self.last_sent[chat] = time.monotonic()

    async def send(self, message: OutboxMessage) -> None:
        from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramRetryAfter

        try:
            with self.run.sending(message.id):
                await _send(self.bot, self.services, message, self.limiter)
                await self.run.mark_sent(message.id)
        except (TelegramAPIError, OSError, ValueError) as exc:
            error = f"{type(exc).__name__}"
            if isinstance(exc, TelegramRetryAfter):
                error += f" retry_after={exc.retry_after}"
                self.stopped = True  # no hammering while Telegram says wait
            log.warning("outbox message %s to telegram failed: %s", message.id, error)
            # A request lost on the way back may have been delivered: count it as interrupted.
            unknown = isinstance(exc, TelegramNetworkError | OSError)
            await self.run.mark_failed(message.id, error, unknown=unknown)

    def add(self, claimed: list[OutboxMessage]) -> None:
        for message in claimed:
            self.lanes.setdefault(message.recipient, deque()).append(message)

    async def drain(self) -> None:
        exhausted = False
        try:
            while True:
                waiting = sum(len(queue) for queue in self.lanes.values())
                if not (exhausted or self.stopped) and waiting < CLAIM // 2:
                    claimed = await self.run.claim(CLAIM)
                    exhausted = not claimed
                    self.add(claimed)
                for chat, queue in self.lanes.items():
                    if queue and chat not in self.running and not self.stopped:
                        self.running[chat] = asyncio.create_task(self.lane(chat), name="telegram-outbox")
                if not self.running:
                    if exhausted or self.stopped:
                        return
                    continue
                done, _ = await asyncio.wait(self.running.values(), return_when=asyncio.FIRST_COMPLETED)
                for chat in [chat for chat, task in self.running.items() if task in done]:
                    self.running.pop(chat).result()  # a database error ends the drain
        finally:
            for task in self.running.values():
                task.cancel()
            await asyncio.gather(*self.running.values(), return_exceptions=True)


async def deliver_due(services: Services, bot: Bot | TelegramSettings, *, leader: bool = False) -> int:
    """Send everything that is due; returns how many messages were sent. ``bot`` is the running bot,
    or the Telegram settings to build one from (the outbox-retry job has no bot). ``leader``: the
    caller holds the Telegram outbox's leadership (see :class:`~helpdesk.storage.sending.SenderRun`)."""
    run = SenderRun(services.sessions, CHANNEL, services.clock, leader=leader)
    own_bot = isinstance(bot, TelegramSettings)
    try:
        await run.start()
        first = await run.claim(CLAIM)
        if not first:
            return 0  # nothing due: no bot built, aiogram not even imported
        if isinstance(bot, TelegramSettings):
            from helpdesk.bot.factory import build_bot

            bot = build_bot(bot)
        drain = _Drain(services, bot, run)
        drain.add(first)
        try:
            await drain.drain()
        finally:
            if own_bot:
                await bot.session.close()
    finally:
        await run.close()
    if run.sent:
        log.info("delivered %d telegram message(s) from the outbox", run.sent)
    return run.sent
