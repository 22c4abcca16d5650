"""``helpdesk db upgrade``: apply the Alembic migrations to HELPDESK_DATABASE_URL."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser("db", help="database migrations")
    commands = parser.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    upgrade = commands.add_parser("upgrade", help="apply all migrations (safe to run again)")
    upgrade.add_argument("--revision", default="head", help="target revision (default: head)")
    upgrade.set_defaults(func=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import cli_settings
    from helpdesk.storage.migrate import upgrade

    settings = cli_settings()
    upgrade(settings.storage.database_url, args.revision)
    print("database is up to date")
    return 0
