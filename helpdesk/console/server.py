"""Running the console: an aiohttp AppRunner on HELPDESK_CONSOLE_HOST:HELPDESK_CONSOLE_PORT."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from helpdesk.console.app import create_app
from helpdesk.console.config import ConsoleConfig
from helpdesk.services import Services

log = logging.getLogger(__name__)


async def start_console(
    services: Services, config: ConsoleConfig, *, host: str | None = None, port: int | None = None
) -> web.AppRunner:
    """Start serving and return the runner (the caller cleans it up); port 0 picks a free port."""
    settings = config.settings
    runner = web.AppRunner(create_app(services, config), access_log=None)
    await runner.setup()
    site = web.TCPSite(
        runner,
        settings.console_host if host is None else host,
        settings.console_port if port is None else port,
    )
    await site.start()
    return runner


def bound_port(runner: web.AppRunner) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple):
            return int(address[1])
    raise RuntimeError("the console is not listening on a TCP port")


async def run_console(services: Services, config: ConsoleConfig) -> None:
    """Serve until cancelled (Ctrl-C in ``helpdesk console``/``demo``/``run``)."""
    runner = await start_console(services, config)
    log.info("console listening on %s:%s", config.settings.console_host, bound_port(runner))
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
