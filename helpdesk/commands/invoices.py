"""``helpdesk invoices import MANIFEST.jsonl``: copy invoice PDFs in and record them."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser("invoices", help="invoice PDFs")
    commands = parser.add_subparsers(dest="invoices_command", required=True, metavar="ACTION")
    importer = commands.add_parser(
        "import",
        help="import the PDFs named in a JSON Lines manifest",
        description='Each line: {"id", "resident_id", "period" (YYYY-MM), "amount", "currency", '
        '"due_date", "file"}; "file" is relative to the manifest. PDFs are copied into '
        "HELPDESK_INVOICE_DIR. Running it again changes nothing. Bad lines are reported and skipped.",
    )
    importer.add_argument("manifest", type=Path, metavar="MANIFEST.jsonl")
    importer.add_argument("--json", action="store_true", help="print the summary as JSON")
    importer.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings

    settings = database_settings()
    return asyncio.run(_import(settings, args.manifest, args.manifest.resolve().parent, args.json))


def _read_pdf(base: Path, name: str) -> bytes:
    from helpdesk.core.errors import InputError

    relative = Path(name)
    if relative.is_absolute():
        raise InputError("file: must be relative to the manifest")
    try:
        return (base / relative).read_bytes()
    except OSError as exc:
        raise InputError(f"file: cannot read {name} ({exc.strerror})") from None


async def _import(settings: Settings, manifest: Path, base: Path, as_json: bool) -> int:
    from helpdesk.casework.importing import store_invoice
    from helpdesk.commands.common import database, import_lines
    from helpdesk.core.errors import InputError
    from helpdesk.core.records import InvoiceRecord

    async with database(settings) as sessions:

        async def store(record: InvoiceRecord) -> bool:
            if not record.file:
                raise InputError("file: missing")
            content = _read_pdf(base, record.file)
            async with sessions() as session, session.begin():  # one line's PDF and row together
                return await store_invoice(
                    session,
                    record,
                    content,
                    settings.storage,
                    max_bytes=settings.console.api_max_upload_bytes,
                )

        done = await import_lines(manifest, InvoiceRecord, store)
    return done.report("invoices", manifest, as_json=as_json)
