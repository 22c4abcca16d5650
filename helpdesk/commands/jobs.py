"""``helpdesk jobs``: the job scheduler alone (retention purge, expiry, reminders, outbox retry)."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "jobs",
        help="run the scheduled jobs",
        description="Run the scheduled jobs until stopped (SIGTERM or Ctrl-C): retention purge, link token "
        "and confirmation code expiry, deadline reminders, outbox retry. Any number may run: on PostgreSQL "
        "one leads and the others stand by (advisory lock); on SQLite run only one.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings

    settings = database_settings()
    asyncio.run(_main(settings))
    return 0


async def _main(settings: Settings) -> None:
    from helpdesk.app import build_services, run_jobs
    from helpdesk.ops.lifecycle import serve

    services = build_services(settings)
    await serve(services, settings.operations, lambda: run_jobs(settings, services))
