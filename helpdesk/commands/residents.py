"""``helpdesk residents import FILE.jsonl``: upsert residents exported by the portal."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser("residents", help="resident records")
    commands = parser.add_subparsers(dest="residents_command", required=True, metavar="ACTION")
    importer = commands.add_parser(
        "import",
        help="upsert residents from a JSON Lines file",
        description='Each line: {"id", "name", "address", "invoice_email", "news_email", '
        '"language", "personal_code"}. Bad lines are reported with their line number and skipped; '
        "the exit status is 1 if there were any.",
    )
    importer.add_argument("file", type=Path, metavar="FILE.jsonl")
    importer.add_argument("--json", action="store_true", help="print the summary as JSON")
    importer.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings

    settings = database_settings()
    return asyncio.run(_import(settings, args.file, args.json))


async def _import(settings: Settings, path: Path, as_json: bool) -> int:
    from helpdesk.casework.importing import store_resident
    from helpdesk.commands.common import database, import_lines
    from helpdesk.core.records import ResidentRecord

    async with database(settings) as sessions, sessions() as session, session.begin():

        async def store(record: ResidentRecord) -> bool:
            return await store_resident(session, record, settings.security)

        done = await import_lines(path, ResidentRecord, store)
    return done.report("residents", path, as_json=as_json)
