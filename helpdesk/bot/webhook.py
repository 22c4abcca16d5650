"""Webhook mode: an aiohttp application that Telegram (through a load balancer) posts updates to.

The secret token is required and checked in constant time by aiogram's ``SimpleRequestHandler``.
Updates are handled *before* answering (``handle_in_background=False``): aiogram's default answers
200 first, so a crash or a deploy would lose the update; answering after handling lets Telegram
redeliver anything that failed (a 500), and every handler finishes far below Telegram's 60 s.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from helpdesk.core.errors import ConfigurationError
from helpdesk.settings import TelegramSettings

DEFAULT_PATH = "/telegram/webhook"
SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,256}")  # what Telegram accepts, and long enough to matter


def webhook_secret(settings: TelegramSettings) -> str:
    if settings.webhook_secret is None:
        raise ConfigurationError(
            "HELPDESK_WEBHOOK_SECRET is not set: webhook mode needs it to reject forged updates"
        )
    secret = settings.webhook_secret.get_secret_value()
    if not SECRET_SHAPE.fullmatch(secret):
        raise ConfigurationError("HELPDESK_WEBHOOK_SECRET: use 16-256 characters of A-Z, a-z, 0-9, _ and -")
    return secret


def webhook_path(settings: TelegramSettings) -> str:
    return urlsplit(settings.webhook_url or "").path or DEFAULT_PATH


def create_webhook_app(dispatcher: Dispatcher, bot: Bot, settings: TelegramSettings) -> web.Application:
    app = web.Application()
    SimpleRequestHandler(
        dispatcher, bot, secret_token=webhook_secret(settings), handle_in_background=False
    ).register(app, path=webhook_path(settings))
    setup_application(app, dispatcher, bot=bot)
    return app
