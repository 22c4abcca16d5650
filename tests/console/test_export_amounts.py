"""The access-request export writes amounts and the resident's language as the document's language
does (``54,20 €`` / ``€54.20``, ``Latviešu`` / ``Латышский`` / ``Latvian``); the JSON keeps data."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from helpdesk.services import Services
from helpdesk.storage.repositories import exports
from tests.console.conftest import sign_in
from tests.console.test_item import act, outbox_rows
from tests.console.test_resident_dates import Client, add_december_invoice, speak, squeezed

AMOUNT = {"lv": "54,20\xa0€", "ru": "54,20\xa0€", "en": "€54.20"}
LANGUAGE = {"lv": "Latviešu", "ru": "Русский", "en": "English"}


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
async def test_the_export_writes_amounts_and_the_language_for_reading(
    client: Client, seeded: dict[str, int], services: Services, language: str
) -> None:
    access = seeded["access"]
    await speak(services, language, access)
    await add_december_invoice(services)
    await sign_in(client)
    await act(client, access, "claim")
    assert (await act(client, access, "export"))[1].endswith("done=exported")
    async with services.sessions() as db:
        (row,) = await exports.for_request(db, access)
    assert (await act(client, access, "review", export_id=str(row.id)))[1].endswith("done=reviewed")
    assert (await act(client, access, "send", export_id=str(row.id), confirm="1"))[1].endswith("done=sent")
    (message,) = await outbox_rows(services)
    files = {a["filename"].rsplit(".", 1)[1]: a for a in message.attachments}
    root = services.storage.invoice_dir
    html = (root / files["html"]["path"]).read_text()
    pdf = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO((root / files["pdf"]["path"]).read_bytes())).pages
    )
    for shown in (html, pdf):
        assert squeezed(AMOUNT[language]) in squeezed(shown.replace("&nbsp;", "\xa0"))
        assert "54.20 EUR" not in shown and "54.20EUR" not in squeezed(shown)
        assert squeezed(LANGUAGE[language]) in squeezed(shown)
    # The JSON stays machine-readable: the amount a decimal string, the currency and language codes.
    document = json.loads((root / files["json"]["path"]).read_text())
    invoice = document["invoices"][0]
    assert (invoice["amount"], invoice["currency"], document["resident"]["language"]) == (
        "54.20",
        "EUR",
        language,
    )
