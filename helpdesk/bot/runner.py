"""``helpdesk bot``: long polling by default, webhook mode when ``HELPDESK_WEBHOOK_URL`` is set.

Polling cannot scale out (a second poller gets a conflict from Telegram); several instances run in
webhook mode behind a load balancer with ``HELPDESK_REDIS_URL`` for the shared per-chat locks (the
conversation state is in the database they share). The outbox (agents' answers) is delivered by a
loop here as well, once cluster-wide.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from helpdesk.bot.outgoing import SENDER_LOCK
from helpdesk.services import Services
from helpdesk.settings import TelegramSettings
from helpdesk.storage.leadership import hold_leadership

log = logging.getLogger(__name__)


async def _deliver_forever(services: Services, bot: object, interval: float) -> None:
    from aiogram import Bot

    from helpdesk.bot.delivery import deliver_due

    assert isinstance(bot, Bot)
    # One replica delivers agents' answers cluster-wide; the others stand by.
    async with hold_leadership(services.engine, SENDER_LOCK):
        while True:
            try:
                await deliver_due(services, bot, leader=True)  # drains until nothing is due
            except Exception as exc:  # keep delivering; the next round retries
                log.error("outbox delivery round failed: %s", type(exc).__name__)
            await asyncio.sleep(interval)


async def run_bot(services: Services, settings: TelegramSettings, *, agents_chat: int | None = None) -> None:
    """Run until cancelled. ``settings`` is the Telegram group (the shared groups come with
    ``services``); ``agents_chat`` is the agents' group the jobs post notices to (a jobs setting)."""
    from aiohttp import web

    from helpdesk.bot import logfilter
    from helpdesk.bot.factory import build_bot, build_dispatcher, build_storage
    from helpdesk.bot.menu_commands import register_commands
    from helpdesk.bot.webhook import create_webhook_app, webhook_secret
    from helpdesk.ops.http import add_ops_routes
    from helpdesk.ops.lifecycle import freeze_startup_heap

    logfilter.install()
    bot = build_bot(settings)  # raises ConfigurationError with one line when the token is missing
    if settings.webhook_url:
        webhook_secret(settings)  # fail before starting anything
    storage, isolation = await build_storage(settings)
    dispatcher = build_dispatcher(services, storage=storage, isolation=isolation, agents_chat=agents_chat)
    freeze_startup_heap()  # the routers and aiogram's types, built just now, live as long as the bot
    delivery = asyncio.create_task(
        _deliver_forever(services, bot, settings.telegram_outbox_poll_seconds), name="telegram-outbox"
    )
    try:
        me = await bot.get_me()
        log.info(
            "bot @%s (id %s) starting in %s mode",
            me.username,
            me.id,
            "webhook" if settings.webhook_url else "polling",
        )
        await register_commands(bot)
        if settings.webhook_url:
            app = create_webhook_app(dispatcher, bot, settings)
            add_ops_routes(app, services, metrics_route=False)  # the load balancer's health check
            runner = web.AppRunner(app)
            await runner.setup()
            site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
            await site.start()
            await bot.set_webhook(
                settings.webhook_url,
                secret_token=webhook_secret(settings),
                allowed_updates=dispatcher.resolve_used_update_types(),
            )
            try:
                await asyncio.Event().wait()
            finally:
                await runner.cleanup()
        else:
            await bot.delete_webhook(drop_pending_updates=False)
            await dispatcher.start_polling(
                bot,
                handle_signals=False,
                close_bot_session=False,
                allowed_updates=dispatcher.resolve_used_update_types(),
                tasks_concurrency_limit=settings.telegram_max_concurrent_updates,
            )
    finally:
        delivery.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await delivery
        await dispatcher.storage.close()
        await dispatcher.fsm.events_isolation.close()
        await bot.session.close()
