"""Dates the console sends residents are written as the resident's language writes them, in Riga
time: the deadline-extension notice and the Art. 15 export document (HTML and PDF). The export's
JSON keeps ISO 8601 (it is data). Every text the console composed for a resident is scanned for an
ISO date left behind."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pypdf import PdfReader

from helpdesk.core.deadlines import gdpr_deadline
from helpdesk.i18n import dates
from helpdesk.services import Services
from helpdesk.storage.models.requests import IdentityState, RequestKind, SupportRequest
from helpdesk.storage.models.residents import Resident
from helpdesk.storage.repositories import exports, invoices, requests
from tests.console.conftest import NOW, sign_in
from tests.console.test_item import act, outbox_rows

Client = TestClient[web.Request, web.Application]

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The access item was received 3 days before NOW (28 Jan 2026, 12:00 in Riga); two months more on
# its one-month deadline is 28 April.
EXTENDED = {
    "lv": "līdz 28.04.2026 ",
    "ru": "не позднее 28.04.2026 ",
    "en": "by 28 Apr 2026 at the latest",
}
# NOW is 10:00 UTC on 31 January 2026, 12:00 in Riga.
GENERATED = {"lv": "31.01.2026 plkst. 12:00", "ru": "31.01.2026 12:00", "en": "31 Jan 2026 12:00"}
DUE = {"lv": "20.01.2026", "ru": "20.01.2026", "en": "20 Jan 2026"}
PERIOD = {"lv": "12.2025", "ru": "12.2025", "en": "Dec 2025"}
CONSENTED = {"lv": "21.01.2026 plkst. 12:00", "ru": "21.01.2026 12:00", "en": "21 Jan 2026 12:00"}


async def speak(services: Services, language: str, *items: int) -> None:
    """The resident R-1 (and the items they filed) in ``language``."""
    async with services.sessions() as db, db.begin():
        resident = await db.get(Resident, "R-1")
        assert resident is not None
        resident.language = language
        for item_id in items:
            item = await db.get(SupportRequest, item_id)
            assert item is not None
            item.language = language


async def add_december_invoice(services: Services) -> None:
    """R-1's December invoice (54.20 EUR, due 20 Jan 2026), so an export has an amount and dates."""
    async with services.sessions() as db, db.begin():
        await invoices.upsert(
            db,
            invoice_id="INV-R-1-DEC",
            resident_id="R-1",
            period="2025-12",
            amount=Decimal("54.20"),
            currency="EUR",
            due_date=date(2026, 1, 20),
            file_path="unused.pdf",
            sha256="0" * 64,
            size=1,
        )


def squeezed(text: str) -> str:
    """PDF table cells wrap; compare without the whitespace."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
async def test_extension_notice_writes_the_date_in_the_residents_language(
    client: Client, seeded: dict[str, int], services: Services, language: str
) -> None:
    item = seeded["access"]
    await speak(services, language, item)
    await sign_in(client)
    await act(client, item, "claim")
    assert (await act(client, item, "extend", months="2", reason="many archived records"))[1].endswith(
        "done=extended:email"
    )
    (message,) = await outbox_rows(services)
    assert message.channel == "email"
    assert EXTENDED[language] in message.body_text
    assert not ISO_DATE.search(message.body_text) and not ISO_DATE.search(message.body_html or "")


async def test_extension_notice_by_telegram_names_the_riga_day(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    """Received at 00:30 on 31 January in Riga (22:30 UTC the day before): the extended deadline
    is 00:30 on 28 March in Riga, which is still 27 March in UTC. The resident reads the 28th."""
    received = datetime(2026, 1, 30, 22, 30, tzinfo=UTC)
    async with services.sessions() as db, db.begin():
        row = await requests.create(
            db,
            kind=RequestKind.CORRECTION,
            channel="telegram",
            contact="111",
            received_at=received,
            deadline_at=gdpr_deadline(received),
            resident_id="R-1",
            language="ru",
            summary="Исправьте адрес",
            identity=IdentityState.VERIFIED,
            identity_how="telegram: linked chat",
        )
        item = row.id
    await sign_in(client)
    await act(client, item, "claim")
    assert (await act(client, item, "extend", months="1", reason="нужна выписка"))[1].endswith(
        "done=extended:telegram"
    )
    async with services.sessions() as db:
        extended = await requests.get(db, item)
        assert extended is not None and extended.deadline_at.astimezone(UTC).date() == date(2026, 3, 27)
    (message,) = await outbox_rows(services)
    assert (message.channel, message.recipient) == ("telegram", "111")
    assert "не позднее 28.03.2026 " in message.body_text
    assert "27.03.2026" not in message.body_text and not ISO_DATE.search(message.body_text)


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
async def test_no_iso_date_in_what_the_console_sends_a_resident(
    client: Client, seeded: dict[str, int], services: Services, language: str
) -> None:
    """Every resident text actions.py composes (extension, export sent, correction applied and
    refused, an agent's reply with its greeting and signature) and the export's HTML and PDF."""
    access, correction, question = seeded["access"], seeded["correction"], seeded["question"]
    await speak(services, language, access, correction, question)
    await add_december_invoice(services)
    await sign_in(client)
    for item in (access, correction, question):
        await act(client, item, "claim")
    extended = await act(client, access, "extend", months="1", reason="archive")
    assert extended[1].endswith("done=extended:email")
    assert (await act(client, access, "export"))[1].endswith("done=exported")
    async with services.sessions() as db:
        (row,) = await exports.for_request(db, access)
    assert (await act(client, access, "review", export_id=str(row.id)))[1].endswith("done=reviewed")
    assert (await act(client, access, "send", export_id=str(row.id), confirm="1"))[1].endswith("done=sent")
    fields = {
        "name": "Jānis Bērziņš",
        "address": "Brīvības iela 1-6, Rīga",
        "invoice_email": "janis@example.lv",
        "news_email": "",
        "language": language,
    }
    assert (await act(client, correction, "correction", decision="apply", **fields))[1].endswith(
        "done=corrected:telegram"
    )
    assert (await act(client, correction, "correction", decision="refuse", reason="x"))[1].endswith(
        "done=correction_refused:telegram"
    )
    assert (await act(client, question, "reply", text="Paldies, skatām.", nonce="n1"))[1].endswith(
        "done=replied"
    )
    rows = await outbox_rows(services)
    assert len(rows) == 5  # extension, export, correction applied, correction refused, reply
    for message in rows:
        for text in (message.subject or "", message.body_text, message.body_html or ""):
            assert not ISO_DATE.search(text), (message.id, text)

    files = {a["filename"].rsplit(".", 1)[1]: a for a in rows[1].attachments}
    root = services.storage.invoice_dir
    html = (root / files["html"]["path"]).read_text()
    pdf = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO((root / files["pdf"]["path"]).read_bytes())).pages
    )
    document = json.loads((root / files["json"]["path"]).read_text())
    for shown in (html, squeezed(pdf)):
        for expected in (GENERATED, DUE, PERIOD, CONSENTED):
            assert squeezed(expected[language]) in squeezed(shown), (expected[language], shown[:400])
        assert not ISO_DATE.search(shown) and "2025-12" not in shown and "+00:00" not in shown
    # The JSON is data: its moments stay ISO 8601 with their offset, its dates ISO.
    assert document["generated_at"] == NOW.isoformat()
    assert (document["invoices"][0]["period"], document["invoices"][0]["due_date"]) == (
        "2025-12",
        "2026-01-20",
    )
    assert datetime.fromisoformat(document["consent"][0]["created_at"]) == NOW - timedelta(days=10)


def test_one_format_for_handlers_console_pages_and_documents() -> None:
    """The shared patterns: Riga day, 'plkst.' in Latvian text, none in a page's column; naive
    moments are UTC; a period that is not YYYY-MM is shown as it is."""
    late = datetime(2027, 2, 1, 23, 30, tzinfo=UTC)  # 01:30 on 2 February in Riga
    assert [dates.day(late, lang) for lang in ("lv", "ru", "en")] == [
        "02.02.2027",
        "02.02.2027",
        "2 Feb 2027",
    ]
    assert dates.moment(late, "lv") == "02.02.2027 plkst. 01:30"
    assert dates.moment(late, "ru-RU") == "02.02.2027 01:30"
    assert dates.moment(late, "en") == "2 Feb 2027 01:30"
    assert dates.moment(late, "lv", clock_word=False) == "02.02.2027 01:30"
    assert dates.moment(late.replace(tzinfo=None), "lv") == "02.02.2027 plkst. 01:30"
    assert dates.day(date(2027, 2, 2), "xx") == "02.02.2027"  # unknown languages read Latvian
    assert dates.month("2025-12", "en") == "Dec 2025" and dates.month("Q4", "lv") == "Q4"
    assert dates.day_from_iso(None, "lv") == "" and dates.moment_from_iso("", "en") == ""
