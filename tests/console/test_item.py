"""An item from claim to close over HTTP: every action, its refusals, and what reaches the outbox."""

from __future__ import annotations

import io
import json
from datetime import timedelta

from aiohttp import web
from aiohttp.test_utils import TestClient
from pypdf import PdfReader
from sqlalchemy import select

from helpdesk.core.deadlines import LOCAL_ZONE
from helpdesk.core.secrets import personal_code_hmac
from helpdesk.services import Services
from helpdesk.storage.models import OutboxMessage
from helpdesk.storage.repositories import audit, exports, requests, residents
from tests.console.conftest import NOW, SECRET, post_form, sign_in

Client = TestClient[web.Request, web.Application]


async def act(client: Client, item: int, action: str, **data: str) -> tuple[int, str, str]:
    return await post_form(client, f"/items/{item}/{action}", data, page=f"/items/{item}")


async def outbox_rows(services: Services) -> list[OutboxMessage]:
    async with services.sessions() as db:
        return list((await db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def actions_of(services: Services, item: int) -> list[str]:
    async with services.sessions() as db:
        return [event.action for event in await audit.for_request(db, item)]


async def test_item_page_shows_resident_without_personal_code(client: Client, seeded: dict[str, int]) -> None:
    await sign_in(client)
    page = await (await client.get(f"/items/{seeded['access']}")).text()
    assert "Jānis Bērziņš" in page and "Brīvības iela 1-5" in page
    assert "linked chat 111" in page and "news-lv-1" in page
    assert "on file (kept only as a keyed hash)" in page
    assert "010180-12345" not in page and "[personal-code]" in page  # the stored message is redacted
    assert "ab" * 32 not in page


async def test_unknown_item_and_action(client: Client, seeded: dict[str, int]) -> None:
    await sign_in(client)
    assert (await client.get("/items/999999")).status == 404
    assert (await client.get("/items/abc")).status == 404
    status, _, _ = await act(client, seeded["access"], "explode")
    assert status == 404


async def test_two_agents_cannot_hold_one_item(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["question"]
    async with services.sessions() as db, db.begin():
        assert await requests.claim(
            db, request_id=item, agent_id=seeded["bruno"], now=NOW, lease=timedelta(minutes=30)
        )
    await sign_in(client, "anna")
    page = await (await client.get(f"/items/{item}")).text()
    assert "Another agent is working on this item." in page
    status, _, body = await act(client, item, "claim")
    assert status == 409 and "Another agent is working on this item." in body
    status, _, body = await act(client, item, "reply", text="hello", nonce="n1")
    assert status == 409 and "Claim this item first" in body
    assert await outbox_rows(services) == []


async def test_expired_lease_can_be_taken_over(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["question"]
    async with services.sessions() as db, db.begin():
        await requests.claim(
            db,
            request_id=item,
            agent_id=seeded["bruno"],
            now=NOW - timedelta(hours=2),
            lease=timedelta(minutes=30),
        )
    await sign_in(client)
    status, location, _ = await act(client, item, "claim")
    assert (status, location) == (303, f"/items/{item}?done=claimed")


async def test_claim_release_note(client: Client, seeded: dict[str, int], services: Services) -> None:
    await sign_in(client)
    item = seeded["question"]
    assert (await act(client, item, "claim"))[1].endswith("done=claimed")
    page = await (await client.get(f"/items/{item}?done=claimed")).text()
    assert "You claimed this item." in page and "Send reply" in page
    _status, location, _ = await act(
        client, item, "note", text="Called the resident, IBAN LV80BANK0000435195001"
    )
    assert location.endswith("done=noted")
    page = await (await client.get(f"/items/{item}")).text()
    assert "Called the resident" in page and "LV80BANK" not in page and "[iban]" in page
    assert (await act(client, item, "note", text="   "))[0] == 400
    assert (await act(client, item, "release"))[1].endswith("done=released")
    assert (await act(client, item, "release"))[0] == 409
    assert await actions_of(services, item) == ["claim", "note", "release"]


async def test_reply_goes_back_through_telegram(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    item = seeded["question"]
    await act(client, item, "claim")
    assert (await act(client, item, "reply", text="Labdien! Rēķins ir portālā.", nonce="abc1"))[1].endswith(
        "done=replied"
    )
    assert (await act(client, item, "reply", text="Labdien! Rēķins ir portālā.", nonce="abc1"))[0] == 303
    rows = await outbox_rows(services)
    assert len(rows) == 1  # a double-clicked Send is one message
    assert (rows[0].channel, rows[0].recipient, rows[0].request_id) == ("telegram", "111", item)
    # The first line names the item, in the resident's language (the item's, Latvian here).
    assert rows[0].body_text == f"Atbilde uz Jūsu jautājumu #{item}\n\nLabdien! Rēķins ir portālā."
    assert (await act(client, item, "reply", text=""))[0] == 400


async def test_reply_goes_back_by_email_in_the_thread(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    item = seeded["access"]
    await act(client, item, "claim")
    await act(client, item, "reply", text="Mēs gatavojam jūsu datu kopiju.", nonce="e1")
    (row,) = await outbox_rows(services)
    assert (row.channel, row.recipient) == ("email", "janis@example.lv")
    assert row.headers.get("In-Reply-To") == "<access-1@example.lv>"
    title = f"Atbilde uz Jūsu datu kopijas pieprasījumu #{item}"
    assert row.subject == title and f"{title}\n\nMēs gatavojam jūsu datu kopiju." in row.body_text
    page = await (await client.get(f"/items/{item}")).text()
    assert "Mēs gatavojam jūsu datu kopiju." in page  # stored in the conversation


async def test_verify_identity_by_personal_code(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["correction"]
    async with services.sessions() as db, db.begin():
        resident = await residents.get(db, "R-1")
        assert resident is not None
        resident.personal_code_hmac = personal_code_hmac(SECRET.encode(), "010180-12345")
        await requests.mark_verified(db, request_id=item, how="")
        (await requests.get(db, item)).identity = "unverified"  # type: ignore[union-attr]
    await sign_in(client)
    await act(client, item, "claim")
    status, _, body = await act(client, item, "verify", method="personal_code", personal_code="010180-99999")
    assert status == 400 and "does not match" in body
    assert (await act(client, item, "verify", method="personal_code", personal_code="12"))[0] == 400
    assert (await act(client, item, "verify", method="other", detail=""))[0] == 400
    status, location, _ = await act(
        client, item, "verify", method="personal_code", personal_code="01018012345"
    )
    assert location.endswith("done=verified")
    async with services.sessions() as db:
        row = await requests.get(db, item)
        assert row is not None and row.identity == "verified" and row.identity_how == "agent: personal_code"
    assert "verify.failed" in await actions_of(services, item)


async def test_extend_deadline_tells_the_resident(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    item = seeded["access"]
    await act(client, item, "claim")
    assert (await act(client, item, "extend", months="3", reason="x"))[0] == 400
    assert (await act(client, item, "extend", months="2", reason=""))[0] == 400
    assert (await act(client, item, "extend", months="2", reason="many archived records"))[1].endswith(
        "done=extended:email"
    )
    async with services.sessions() as db:
        row = await requests.get(db, item)
        assert row is not None and row.extension_reason == "many archived records"
        # received + 3 months, counted in Riga days (the same Riga wall-clock time, so across the
        # change to summer time the UTC hour moves by one)
        assert row.deadline_at.astimezone(LOCAL_ZONE) == (NOW - timedelta(days=3)).astimezone(
            LOCAL_ZONE
        ).replace(month=4)
    (message,) = await outbox_rows(services)
    assert message.channel == "email" and "many archived records" in message.body_text
    assert "līdz 28.04.2026 " in message.body_text  # the Riga day, as Latvian writes it
    status, _, body = await act(client, item, "extend", months="1", reason="again")
    assert status == 409 and "already been extended" in body


async def test_an_overdue_request_cannot_be_extended(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    item = seeded["correction"]  # deadline ten days ago
    await act(client, item, "claim")
    status, _, body = await act(client, item, "extend", months="1", reason="late")
    assert status == 409 and "The deadline has passed" in body
    assert await outbox_rows(services) == []


async def test_questions_have_no_deadline_to_extend(client: Client, seeded: dict[str, int]) -> None:
    await sign_in(client)
    await act(client, seeded["question"], "claim")
    assert (await act(client, seeded["question"], "extend", months="1", reason="x"))[0] == 400


async def test_access_request_export_review_send_close(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    item = seeded["access"]
    await act(client, item, "claim")
    status, _, body = await act(client, item, "close", outcome="answered")
    assert status == 409 and "Send the reviewed export" in body
    assert (await act(client, item, "export"))[1].endswith("done=exported")
    async with services.sessions() as db:
        (row,) = await exports.for_request(db, item)
    data = json.loads(await (await client.get(f"/items/{item}/exports/{row.id}.json")).text())
    assert data["resident"]["name"] == "Jānis Bērziņš" and data["resident"]["personal_code_on_file"] is True
    assert data["consent"][0]["text_version"] == "news-lv-1"
    assert data["telegram_links"][0]["chat_id"] == 111
    assert "[personal-code]" in data["conversations"][0]["messages"][0]["text"]
    assert {r["id"] for r in data["requests"]} == {seeded["access"], seeded["correction"], seeded["question"]}
    pdf_response = await client.get(f"/items/{item}/exports/{row.id}.pdf")
    assert pdf_response.content_type == "application/pdf"
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(await pdf_response.read())).pages)
    assert "Jānis Bērziņš" in pdf_text and "news-lv-1" in pdf_text and "010180" not in pdf_text
    html_response = await client.get(f"/items/{item}/exports/{row.id}.html")
    assert "sandbox" in html_response.headers["Content-Security-Policy"]
    assert "Jānis Bērziņš" in await html_response.text()
    status, _, body = await act(client, item, "send", export_id=str(row.id))
    assert status == 409 and "Review the export" in body
    assert (await act(client, item, "review", export_id=str(row.id)))[1].endswith("done=reviewed")
    assert (await act(client, item, "review", export_id="999"))[0] == 404
    # Sending asks first (a page that says where it goes) and sends nothing until confirmed.
    status, _, body = await act(client, item, "send", export_id=str(row.id))
    assert status == 200 and "Yes, send the export" in body and "janis@example.lv" in body
    assert await outbox_rows(services) == []
    assert (await act(client, item, "send", export_id=str(row.id), confirm="1"))[1].endswith("done=sent")
    assert (await act(client, item, "send", export_id=str(row.id)))[0] == 409  # once only
    assert (await act(client, item, "send", export_id=str(row.id), confirm="1"))[0] == 409
    (message,) = await outbox_rows(services)
    assert (message.channel, message.recipient) == ("email", "janis@example.lv")
    names = sorted(a["filename"] for a in message.attachments)
    assert names == [f"data-export-{row.id}.{ext}" for ext in ("html", "json", "pdf")]
    exported = services.storage.invoice_dir / message.attachments[0]["path"]
    assert exported.is_file()
    assert (await act(client, item, "close", outcome="nonsense"))[0] == 400
    status, _, body = await act(client, item, "close", outcome="answered")
    assert status == 200 and "Yes, close the item" in body
    assert (await act(client, item, "close", outcome="answered", confirm="1"))[1].endswith("done=closed")
    page = await (await client.get(f"/items/{item}")).text()
    assert "This item is closed." in page
    assert await actions_of(services, item) == [
        "claim",
        "export.generated",
        "export.viewed",
        "export.viewed",
        "export.viewed",
        "export.reviewed",
        "export.sent",
        "close",
    ]


async def test_export_is_never_sent_to_an_unverified_sender(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    item = seeded["unverified"]
    await act(client, item, "claim")
    status, _, body = await act(client, item, "export")
    assert status == 409 and "Attach the item to a resident first" in body
    assert await outbox_rows(services) == []


async def test_correction_applied_and_refused(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    item = seeded["correction"]
    await act(client, item, "claim")
    fields = {
        "name": "Jānis Bērziņš",
        "address": "Brīvības iela 1-6, Rīga",
        "invoice_email": "janis@example.lv",
        "news_email": "",
        "language": "lv",
    }
    assert (
        await act(
            client, item, "correction", decision="apply", **{**fields, "address": "Brīvības iela 1-5, Rīga"}
        )
    )[0] == 400
    assert (
        await act(client, item, "correction", decision="apply", **{**fields, "invoice_email": "not-mail"})
    )[0] == 400
    assert (await act(client, item, "correction", decision="apply", **fields))[1].endswith(
        "done=corrected:telegram"
    )
    async with services.sessions() as db:
        resident = await residents.get(db, "R-1")
        assert resident is not None and resident.address == "Brīvības iela 1-6, Rīga"
        assert resident.personal_code_hmac == "ab" * 32  # untouched
    (message,) = await outbox_rows(services)
    assert message.channel == "telegram" and "adrese" in message.body_text
    assert (await act(client, item, "correction", decision="refuse", reason=""))[0] == 400
    assert (
        await act(client, item, "correction", decision="refuse", reason="Adrese neatbilst zemesgrāmatai")
    )[1].endswith("done=correction_refused:telegram")
    assert "Adrese neatbilst zemesgrāmatai" in (await outbox_rows(services))[-1].body_text
    assert await actions_of(services, item) == ["claim", "correction.applied", "correction.refused"]


async def test_resident_html_is_shown_inert(client: Client, seeded: dict[str, int]) -> None:
    await sign_in(client)
    queue = await (await client.get("/queue")).text()
    item = await (await client.get(f"/items/{seeded['question']}")).text()
    for page in (queue, item):
        assert "<script>alert" not in page and "<b>bold</b>" not in page
        assert "&lt;script&gt;alert(" in page


async def test_closed_item_cannot_be_claimed(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    async with services.sessions() as db, db.begin():
        await requests.close(db, request_id=seeded["question"], outcome="answered", now=NOW)
    await sign_in(client)
    assert (await act(client, seeded["question"], "claim"))[0] == 409


async def test_item_page_lists_what_the_resident_added_to_the_request(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    """A correction's details the resident sent after filing it (handlers.requests: details.from_resident)."""
    item_id = seeded["correction"]
    async with services.sessions() as db, db.begin():
        item = await requests.get(db, item_id)
        assert item is not None
        added = {"at": "2026-01-31T15:00:00+00:00", "text": "Uzvārds tagad ir Kalniņa"}
        item.details = {**item.details, "from_resident": [added]}
    await sign_in(client)
    page = await (await client.get(f"/items/{item_id}")).text()
    section = page.split('id="added-by-resident"', 1)[1].split("</ul>", 1)[0]
    assert "Uzvārds tagad ir Kalniņa" in section
    assert "31 Jan 2026 17:00" in section  # Riga time, as the agent's language (en) writes it
    assert "Added by the resident" in page
