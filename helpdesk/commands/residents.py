"""``helpdesk residents import FILE.jsonl``: upsert residents exported by the portal."""

from __future__ import annotations

import argparse
import asyncio
import sys
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
    from helpdesk.commands.common import cli_settings

    settings = cli_settings()
    return asyncio.run(_import(settings, args.file, args.json))


async def _import(settings: Settings, path: Path, as_json: bool) -> int:
    from pydantic import ValidationError

    from helpdesk.casework.importing import store_resident
    from helpdesk.commands.common import print_json, read_jsonl, validation_message
    from helpdesk.core.records import ResidentRecord
    from helpdesk.storage.engine import create_engine, create_session_factory

    engine = create_engine(settings.storage.database_url)
    created = updated = 0
    bad: list[str] = []
    try:
        sessions = create_session_factory(engine)
        async with sessions() as session, session.begin():
            for number, value in read_jsonl(path):
                if isinstance(value, str):
                    bad.append(f"line {number}: {value}")
                    continue
                try:
                    record = ResidentRecord.model_validate(value)
                except ValidationError as exc:
                    bad.append(f"line {number}: {validation_message(exc)}")
                    continue
                if await store_resident(session, record, settings.security):
                    created += 1
                else:
                    updated += 1
    finally:
        await engine.dispose()
    for line in bad:
        print(f"{path}: {line}", file=sys.stderr)
    if as_json:
        print_json({"created": created, "updated": updated, "bad_lines": len(bad)})
    else:
        print(f"residents: {created} created, {updated} updated, {len(bad)} bad lines")
    return 1 if bad else 0
