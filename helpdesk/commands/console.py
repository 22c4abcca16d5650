"""``helpdesk console``: the agents' console and the portal API in one aiohttp server."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "console",
        help="run the agents' console and the portal API",
        description="Serves the console and /api/v1 on HELPDESK_CONSOLE_HOST:HELPDESK_CONSOLE_PORT "
        "until stopped (SIGTERM or Ctrl-C). Needs HELPDESK_SECRET_KEY (it signs the session cookies).",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import cli_settings, require_schema

    settings = cli_settings()
    settings.security.secret_key_bytes()  # one clear line now rather than a traceback at the first request
    require_schema(settings)
    asyncio.run(_serve(settings))
    return 0


async def _serve(settings: Settings) -> None:
    from helpdesk.app import build_services, run_console
    from helpdesk.ops.lifecycle import serve

    services = build_services(settings)
    url = (
        settings.console.console_public_url
        or f"http://{settings.console.console_host}:{settings.console.console_port}/"
    )
    print(f"console: {url}")
    # Redacted logging, the counters flushed for /metrics, and a graceful stop on SIGTERM.
    await serve(services, settings.operations, lambda: run_console(settings, services))
