"""The ``helpdesk`` command.

Each subcommand lives in its own module under ``helpdesk.commands`` and exposes
``register(subparsers)``; this file only assembles them. Heavy imports (aiogram takes seconds)
happen inside the command functions, so ``helpdesk --help`` and ``helpdesk kb match`` stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from helpdesk.core.errors import HelpdeskError

COMMAND_MODULES = (
    "db",
    "demo",
    "run",
    "bot",
    "mailbox",
    "console",
    "jobs",
    "chat",
    "residents",
    "invoices",
    "link",
    "kb",
    "agents",
    "apikeys",
    "requests",
    "purge",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="helpdesk",
        description="Resident helpdesk for Klientiem.lv / MansDzib.lv: Telegram bot, support mailbox, "
        "agents' console.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"helpdesk.commands.{name}").register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result = args.func(args)
    except HelpdeskError as exc:
        print(f"helpdesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        # A database that is not there or not migrated is a setting to fix, not a bug: one line.
        from helpdesk.storage.problems import describe

        problem = describe(exc)
        if problem is None:
            raise
        print(f"helpdesk: {problem}", file=sys.stderr)
        return 2
    return int(result or 0)


if __name__ == "__main__":
    raise SystemExit(main())
