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
from typing import TYPE_CHECKING, Any

from helpdesk.core.errors import HelpdeskError

if TYPE_CHECKING:
    from helpdesk.settings import Settings


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
    group: str | None  # the settings group and the setting that must be set for it to run
    setting: str | None  # (None: always runs)
    attribute: str  # its runner in helpdesk.app, which hands it its own settings

    def runner(self) -> Runner:
        function: Runner = getattr(importlib.import_module("helpdesk.app"), self.attribute)
        return function

    def missing(self, settings: Settings) -> str | None:
        if self.group is None or self.setting is None:
            return None
        return None if getattr(getattr(settings, self.group), self.setting) else self.setting


Runner = Callable[["Settings", Any], Coroutine[Any, Any, None]]

COMPONENTS = (
    Component("console", None, None, "run_console"),
    Component("jobs", None, None, "run_jobs"),
    Component("bot", "telegram", "telegram_token", "run_bot"),
    Component("mailbox", "mailbox", "imap_host", "run_mailbox"),
)


def plan(settings: Settings) -> tuple[list[tuple[str, Runner]], list[str]]:
    """``(components to run, one line per skipped component)``."""
    chosen: list[tuple[str, Runner]] = []
    skipped: list[str] = []
    for component in COMPONENTS:
        missing = component.missing(settings)
        if missing is not None:
            skipped.append(f"{component.name}: skipped, HELPDESK_{missing.upper()} is not set")
            continue
        chosen.append((component.name, component.runner()))
    return chosen, skipped


def run(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings

    settings = database_settings()
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


def _say(settings: Settings, line: str) -> None:
    """One line on stderr: plain, or a JSON log record when HELPDESK_LOG_FORMAT=json, so that a log
    collector reading JSON lines gets nothing else."""
    if settings.operations.log_format == "json":
        from helpdesk.ops.logging import configure_logging

        configure_logging(settings.operations)
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


async def _main(settings: Settings, chosen: list[tuple[str, Runner]]) -> None:
    from helpdesk.app import build_services
    from helpdesk.ops.lifecycle import serve

    services = build_services(settings)

    async def all_components() -> None:
        async with asyncio.TaskGroup() as group:
            for name, runner in chosen:
                group.create_task(runner(settings, services), name=name)

    await serve(services, settings.operations, all_components)
