"""``helpdesk bot``: run the Telegram bot (polling, or webhook when HELPDESK_WEBHOOK_URL is set)."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

from helpdesk.core.errors import ConfigurationError

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "bot",
        help="run the Telegram bot",
        description="Run the residents' Telegram bot until interrupted. Long polling by default; "
        "webhook mode when HELPDESK_WEBHOOK_URL is set (needs HELPDESK_WEBHOOK_SECRET); per-chat "
        "locks in Redis when HELPDESK_REDIS_URL is set. Needs HELPDESK_TELEGRAM_TOKEN.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import cli_settings, require_schema

    settings = cli_settings()
    if settings.telegram.telegram_token is None:
        raise ConfigurationError(
            "HELPDESK_TELEGRAM_TOKEN is not set: the bot needs the token from @BotFather"
        )
    require_schema(settings)
    asyncio.run(_main(settings))
    return 0


async def _main(settings: Settings) -> None:
    from helpdesk.app import build_services, run_bot
    from helpdesk.ops.lifecycle import serve

    # serve(): redacted logging (JSON lines with HELPDESK_LOG_FORMAT=json), the counters flushed
    # for the console's /metrics, and a graceful stop on SIGTERM.
    services = build_services(settings)
    await serve(services, settings.operations, lambda: run_bot(settings, services))
