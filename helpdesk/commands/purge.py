"""``helpdesk purge [--dry-run]``: the retention purge now, or what it would delete (counts only)."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "purge",
        help="run the retention purge now",
        description="Delete conversations and messages older than HELPDESK_RETENTION_DAYS (except those "
        "attached to an open request), sent outbox copies as old, and requests closed more than "
        "HELPDESK_CLOSED_REQUEST_RETENTION_DAYS ago. Prints counts, never contents; the counts also go "
        "to the audit log. The scheduler does this daily.",
    )
    parser.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    parser.add_argument("--json", action="store_true", help="print the counts as one JSON object")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings, print_json, quiet_logging

    quiet_logging()
    settings = database_settings()
    report = asyncio.run(_purge(settings, dry_run=args.dry_run))
    if args.json:
        print_json({"dry_run": report.dry_run, **report.counts()})
        return 0
    verb = "would be deleted" if report.dry_run else "deleted"
    print(f"messages older than {settings.jobs.retention_days} days {verb}: {report.messages}")
    print(f"conversations silent for {settings.jobs.retention_days} days {verb}: {report.conversations}")
    print(f"sent outbox messages older than {settings.jobs.retention_days} days {verb}: {report.outbox_sent}")
    print(
        f"requests closed more than {settings.jobs.closed_request_retention_days} days ago {verb}: "
        f"{report.closed_requests}"
    )
    print(f"conversations kept by legal hold (an open request): {report.held_conversations}")
    if report.dry_run:
        print("dry run: nothing was changed")
    else:
        print(f"done in {report.seconds:.1f} s ({report.batches} batches); the counts are in the audit log")
    return 0


async def _purge(settings: Settings, *, dry_run: bool) -> Any:
    from helpdesk.app import build_services
    from helpdesk.jobs.purge import purge
    from helpdesk.ops.counters import flush

    services = build_services(settings)
    try:
        report = await purge(services, settings.jobs, dry_run=dry_run)
        await flush(services)  # helpdesk_purged_rows_total in /metrics counts this run too
        return report
    finally:
        await services.aclose()
