"""``helpdesk requests list``: the queue of access/correction requests and escalated questions, as
:mod:`helpdesk.casework.queue` reads it."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser("requests", help="the request queue")
    commands = parser.add_subparsers(dest="requests_command", required=True, metavar="ACTION")
    listing = commands.add_parser("list", help="list queue items, soonest deadline first")
    listing.add_argument("--all", action="store_true", help="include closed items")
    listing.add_argument("--kind", choices=("access", "correction", "question", "mail"))
    listing.add_argument(
        "--status",
        choices=("open", "claimed", "waiting", "closed"),
        help="only items in this status (waiting: an agent asked the resident for something)",
    )
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)


def run_list(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings

    settings = database_settings()
    rows = asyncio.run(_rows(settings, args.all, args.kind, args.status))
    if args.json:
        from helpdesk.commands.common import print_json

        print_json(rows)
        return 0
    if not rows:
        print("the queue is empty")
    for row in rows:
        summary = row["summary"].replace("\n", " ")
        replied = row["resident_replied_at"]
        print(
            f"#{row['id']:<5} {row['kind']:<10} {row['status']:<8} {row['identity']:<10} "
            f"due {_riga_time(row['deadline_at'])}  {row['resident_id'] or '-':<8} {summary[:50]}"
            + (f"  [resident replied {_riga_time(replied)}]" if replied else "")
        )
    return 0


def _riga_time(iso: str) -> str:
    """Deadlines are Riga days (helpdesk.core.deadlines): show them as the residents were told."""
    from datetime import datetime

    from helpdesk.core.deadlines import LOCAL_ZONE

    return datetime.fromisoformat(iso).astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M %Z")


async def _rows(
    settings: Settings, include_closed: bool, kind: str | None, status: str | None = None
) -> list[dict[str, Any]]:
    from helpdesk.casework.queue import queue_rows
    from helpdesk.commands.common import database

    async with database(settings) as sessions, sessions() as session:
        return await queue_rows(session, include_closed=include_closed, kind=kind, status=status)
