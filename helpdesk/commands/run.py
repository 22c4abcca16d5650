"""``helpdesk run``: every configured component in one process.

The console and the jobs always run; the bot when ``HELPDESK_TELEGRAM_TOKEN`` is set, the mailbox
when ``HELPDESK_IMAP_HOST`` is set. A component that is not configured is
skipped with one line saying why. The components share one event loop and one database pool; if
one of them fails, the others are stopped too and the command exits, so a supervisor restarts a
whole, consistent process. For several machines run the components as separate processes
(``helpdesk bot``, ``mailbox``, ``console``, ``jobs``; see docker-compose.yml).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import logging
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from helpdesk.core.errors import HelpdeskError


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "run",
        help="run every configured component in one process",
        description="Run the console and the scheduled jobs, plus the Telegram bot when "
        "HELPDESK_TELEGRAM_TOKEN is set and the mailbox when HELPDESK_IMAP_HOST is set, until stopped "
        "(SIGTERM or Ctrl-C). An unconfigured component is skipped with a one-line reason.",
    )
    parser.set_defaults(func=run)


@dataclass(frozen=True)
class Component:
    name: str
    setting: str | None  # the setting that must be set for it to run (None: always runs)
    module: str  # imported only when the component runs: a process without the bot loads no aiogram
    attribute: str

    def runner(self) -> Runner:
        function: Runner = getattr(importlib.import_module(self.module), self.attribute)
        return function


Runner = Callable[[Any], Coroutine[Any, Any, None]]

COMPONENTS = (
    Component("console", None, "helpdesk.console.server", "run_console"),
    Component("jobs", None, "helpdesk.jobs.scheduler", "run_jobs"),
    Component("bot", "telegram_token", "helpdesk.bot.runner", "run_bot"),
    Component("mailbox", "imap_host", "helpdesk.mailbox.service", "run_service"),
)


def plan(settings: Any) -> tuple[list[tuple[str, Runner]], list[str]]:
    """``(components to run, one line per skipped component)``."""
    chosen: list[tuple[str, Runner]] = []
    skipped: list[str] = []
    for component in COMPONENTS:
        if component.setting is not None and not getattr(settings, component.setting):
            skipped.append(f"{component.name}: skipped, HELPDESK_{component.setting.upper()} is not set")
            continue
        chosen.append((component.name, component.runner()))
    return chosen, skipped


def run(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import cli_settings, require_schema

    settings = cli_settings()
    require_schema(settings)
    chosen, skipped = plan(settings)
    for line in skipped:
        _say(settings, line)
    _say(settings, f"starting {', '.join(name for name, _ in chosen)}")
    try:
        asyncio.run(_main(settings, chosen))
    except ExceptionGroup as group:
        # One component's configuration error (e.g. a webhook without its secret) stops the run
        # with its one-line message, as when the component runs alone.
        helpdesk_error = _first_helpdesk_error(group)
        if helpdesk_error is None:
            raise
        raise helpdesk_error from None
    return 0


def _say(settings: Any, line: str) -> None:
    """One line on stderr: plain, or a JSON log record when HELPDESK_LOG_FORMAT=json, so that a log
    collector reading JSON lines gets nothing else."""
    if settings.log_format == "json":
        from helpdesk.ops.logging import configure_logging

        configure_logging(settings)
        logging.getLogger("helpdesk.run").info("helpdesk run: %s", line)
    else:
        print(f"helpdesk run: {line}", file=sys.stderr)


def _first_helpdesk_error(group: BaseExceptionGroup[BaseException]) -> HelpdeskError | None:
    for exc in group.exceptions:
        if isinstance(exc, HelpdeskError):
            return exc
        if isinstance(exc, BaseExceptionGroup):
            found = _first_helpdesk_error(exc)
            if found is not None:
                return found
    return None


async def _main(settings: Any, chosen: list[tuple[str, Runner]]) -> None:
    from helpdesk.app import build_services
    from helpdesk.ops.lifecycle import serve

    services = build_services(settings)

    async def all_components() -> None:
        async with asyncio.TaskGroup() as group:
            for name, runner in chosen:
                group.create_task(runner(services), name=name)

    await serve(services, all_components)
