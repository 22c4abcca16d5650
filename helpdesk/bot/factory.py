"""Build the Bot and the Dispatcher. Nothing is built at import time, so tests and the benchmark
can run many independent bots in one process.
"""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage

from helpdesk.bot.context import ContextMiddleware, HandleFn, default_handle
from helpdesk.bot.isolation import ChatIsolation, NoStateStorage, RedisChatIsolation
from helpdesk.bot.retry import RetryMiddleware
from helpdesk.bot.routers import all_routers
from helpdesk.core.errors import ConfigurationError
from helpdesk.services import Services
from helpdesk.settings import TelegramSettings

# aiogram parses every answer as ``Response[<method's return type>]``; pydantic keeps such generic
# classes in a weak cache, so they were garbage-collected and rebuilt (about 10 ms each) every dozen
# calls. Holding them here keeps the cache warm: measured +40 % updates/s in the benchmark.
_RESPONSE_TYPES: list[type] = []


def pin_response_types() -> None:
    if _RESPONSE_TYPES:
        return
    from aiogram import methods
    from aiogram.methods.base import Response, TelegramMethod

    for name in methods.__all__:
        method = getattr(methods, name)
        if isinstance(method, type) and issubclass(method, TelegramMethod) and method is not TelegramMethod:
            returning = getattr(method, "__returning__", None)
            if returning is not None:
                _RESPONSE_TYPES.append(Response[returning])  # type: ignore[valid-type]


def build_bot(
    settings: TelegramSettings, *, token: str | None = None, retry: RetryMiddleware | None = None
) -> Bot:
    """A Bot talking to ``HELPDESK_TELEGRAM_API_BASE`` (the public Bot API, a local Bot API server,
    or the fake one in the tests), with flood-control retries on every call."""
    if token is None:
        if settings.telegram_token is None:
            raise ConfigurationError(
                "HELPDESK_TELEGRAM_TOKEN is not set: the bot needs the token from @BotFather"
            )
        token = settings.telegram_token.get_secret_value()
    pin_response_types()
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base.rstrip("/")))
    session.middleware(retry or RetryMiddleware(max_wait=settings.telegram_retry_max_wait))
    # Plain text: replies come from catalogs and handlers, and must never be parsed as markup.
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=None))


async def build_storage(settings: TelegramSettings) -> tuple[BaseStorage, BaseEventIsolation]:
    """Per-chat locks in Redis when ``HELPDESK_REDIS_URL`` is set (several webhook instances behind
    a load balancer), else in-process. The FSM storage is never used (the conversation state lives
    with the conversation, in the database every instance shares), so no instance reads Redis for it
    on every update."""
    if settings.redis_url:
        from aiogram.fsm.storage.base import DefaultKeyBuilder

        isolation = RedisChatIsolation.from_url(
            settings.redis_url, key_builder=DefaultKeyBuilder(prefix="helpdesk-fsm", with_bot_id=True)
        )
        return NoStateStorage(), isolation
    return NoStateStorage(), ChatIsolation()


def build_dispatcher(
    services: Services,
    *,
    storage: BaseStorage | None = None,
    isolation: BaseEventIsolation | None = None,
    handle: HandleFn = default_handle,
    agents_chat: int | None = None,
) -> Dispatcher:
    """The dispatcher with every router. ``handle`` defaults to the shared handlers' entry point;
    ``agents_chat`` is the agents' own group (``HELPDESK_AGENTS_TELEGRAM_CHAT``), where the bot
    posts notices of new items and refuses nobody."""
    dispatcher = Dispatcher(
        storage=storage or NoStateStorage(),
        events_isolation=isolation or ChatIsolation(),
        name="helpdesk",
    )
    dispatcher["services"] = services
    dispatcher["agents_chat"] = agents_chat
    dispatcher.update.outer_middleware(ContextMiddleware(services, handle))
    dispatcher.include_routers(*all_routers())
    return dispatcher
