"""Flood control and transient failures for every Bot API call except getUpdates.

Telegram answers 429 with ``retry_after`` when we send too fast (about 1 message/s per chat,
30/s overall); aiogram raises :class:`TelegramRetryAfter` and retries nothing itself. This request
middleware waits as told (up to a cap) and retries; network and 5xx errors get exponential
backoff. What still fails is raised, and the caller puts the message in the outbox.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType

if TYPE_CHECKING:
    from aiogram import Bot

log = logging.getLogger(__name__)


class RetryMiddleware(BaseRequestMiddleware):
    def __init__(self, *, attempts: int = 4, max_wait: float = 30.0, backoff: float = 0.5) -> None:
        self.attempts = attempts
        self.max_wait = max_wait
        self.backoff = backoff

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if method.__api_method__ == GetUpdates.__api_method__:  # polling has its own backoff
            return await make_request(bot, method)
        name = type(method).__name__
        for attempt in range(1, self.attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self.attempts or exc.retry_after > self.max_wait:
                    raise
                log.warning("%s: flood control, waiting %s s (attempt %d)", name, exc.retry_after, attempt)
                await asyncio.sleep(exc.retry_after)
            except (TelegramNetworkError, TelegramServerError) as exc:
                if attempt == self.attempts:
                    raise
                delay = self.backoff * 2 ** (attempt - 1)
                log.warning("%s: %s, retrying in %.1f s", name, type(exc).__name__, delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover
