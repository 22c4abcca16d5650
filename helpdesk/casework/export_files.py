"""The Art. 15 export's documents: a standalone HTML page, a PDF and the JSON, in the resident's
language.

The export is generated into the database (``request_exports``), reviewed by an agent, and only then
sent, as files attached to a mail to the invoice address on record or as Telegram documents to the
resident's linked chat. The files are written under ``HELPDESK_INVOICE_DIR/_exports`` just before
sending, because the outbox attaches files by path (and checks their SHA-256 at send time).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import jinja2

from helpdesk.casework.export_data import readable
from helpdesk.casework.texts import labeller, resident_gettext
from helpdesk.core.types import Document
from helpdesk.i18n import dates
from helpdesk.storage.files import write_atomically
from helpdesk.storage.models.console import RequestExport

EXPORT_DIR = "_exports"  # under the invoice directory; resident ids cannot start with "_"
TEMPLATE_DIR = Path(__file__).with_name("templates")


@cache
def _environment() -> jinja2.Environment:
    # Everything the resident ever wrote is in the page: autoescape keeps a <script> in it inert.
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def to_html(data: dict[str, Any], language: str) -> str:
    """A standalone page (no external resources) the resident can open in any browser."""
    template = _environment().get_template("export_document.html")
    translate = resident_gettext(language)

    def when(value: str | None) -> str:
        return dates.moment_from_iso(value, language)

    return template.render(
        d=readable(data, language), _=translate, label=labeller(translate), lang=language, when=when
    )


def file_stem(export: RequestExport) -> str:
    return f"{EXPORT_DIR}/request-{export.request_id}/data-export-{export.id}"


def to_pdf(export: RequestExport, language: str) -> bytes:
    from helpdesk.casework.export_pdf import render

    return render(json.loads(export.json_text), language)


def _write(root: Path, relative: str, content: bytes) -> str:
    write_atomically(root / relative, content, mode=0o600)
    return hashlib.sha256(content).hexdigest()


def write_files(invoice_dir: Path, export: RequestExport, caption: str, language: str) -> list[Document]:
    """The files the resident receives (PDF, HTML, JSON), as outbox documents with paths relative to
    the invoice directory."""
    stem = file_stem(export)
    documents = []
    for relative, content, content_type in (
        (f"{stem}.pdf", to_pdf(export, language), "application/pdf"),
        (f"{stem}.html", export.html_text.encode(), "text/html"),
        (f"{stem}.json", export.json_text.encode(), "application/json"),
    ):
        digest = _write(invoice_dir, relative, content)
        documents.append(
            Document(
                path=Path(relative),
                filename=Path(relative).name,
                caption=caption,
                sha256=digest,
                content_type=content_type,
                personal=True,
            )
        )
    return documents
