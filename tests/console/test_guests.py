"""Guest requests over HTTP: an access request from an unidentified sender is verified, attached
to a resident found by a masked search, and then exported to that resident's own address; actions
that cannot apply are not offered, and every search and attach is audited with ids only."""

from __future__ import annotations

import re

from aiohttp import web
from aiohttp.test_utils import TestClient

from helpdesk.core.secrets import personal_code_hmac
from helpdesk.services import Services
from helpdesk.storage.repositories import audit, exports, requests, residents
from tests.console.conftest import SECRET, sign_in
from tests.console.test_item import act, outbox_rows

Client = TestClient[web.Request, web.Application]


async def page_of(client: Client, item: int, query: str = "") -> tuple[int, str]:
    response = await client.get(f"/items/{item}{query}")
    return response.status, await response.text()


async def trail(services: Services, item: int) -> list[tuple[str, dict[str, object]]]:
    async with services.sessions() as db:
        return [(event.action, event.detail or {}) for event in await audit.for_request(db, item)]


def verify_options(page: str) -> list[str]:
    form = page.split('id="verify"', 1)[1].split("</form>", 1)[0]
    return re.findall(r'<option value="([a-z_]+)"', form)


async def test_a_guest_access_request_is_verified_attached_and_exported(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["unverified"]  # from someone@elsewhere.example, on no resident's record
    await sign_in(client)
    _status, page = await page_of(client, item)
    assert "Claim the item to find the resident" in page and 'name="find"' not in page
    await act(client, item, "claim")
    _status, page = await page_of(client, item)
    assert "The sender is not linked to a resident." in page and 'name="find"' in page
    # Nothing that cannot apply: no personal code without a record to check it against, no export.
    assert verify_options(page) == ["in_person", "other"]
    assert 'name="personal_code"' not in page.split('id="verify"', 1)[1].split("</form>", 1)[0]
    assert "Generate export" not in page and "once the item is attached to a resident" in page
    status, _, body = await act(client, item, "export")
    assert status == 409 and "Attach the item to a resident first" in body
    status, _, body = await act(client, item, "verify", method="personal_code", personal_code="01018012345")
    assert status == 400 and "No personal code is on file" in body
    verified = await act(client, item, "verify", method="in_person", detail="ID card at the office")
    assert verified[1].endswith("done=verified")

    status, page = await page_of(client, item, "?find=an")
    assert status == 400 and "Type at least 3 letters" in page
    status, page = await page_of(client, item, "?find=ozola")
    assert status == 200
    results = page.split('id="attach"', 1)[1].split("</form>", 1)[0]
    # Masked: enough to tell residents apart, not their record.
    assert "Anna O., Lāčplēša iela 7-…" in results and "R-2" in results
    assert re.sub(r"<[^>]+>", "", results).count("a…@example.lv") == 1
    assert "anna@example.lv" not in page and "Anna Ozola" not in page
    assert "R-1" not in results
    # Verified already: attaching asks first and writes nothing until confirmed.
    status, _, body = await act(client, item, "attach", resident_id="R-2")
    assert status == 200 and f"Attach item #{item} to a resident?" in body and "Yes, attach the item" in body
    assert "Anna O., Lāčplēša iela 7-…" in body
    async with services.sessions() as db:
        assert (await requests.get(db, item)).resident_id is None  # type: ignore[union-attr]
    assert (await act(client, item, "attach", resident_id="R-2", confirm="1"))[1].endswith("done=attached")
    status, _, body = await act(client, item, "attach", resident_id="R-1", confirm="1")
    assert status == 409 and "already belongs to a resident" in body

    _status, page = await page_of(client, item, "?done=attached")
    assert "The item is attached to the resident." in page
    assert "Anna Ozola (R-2)" in page and 'name="find"' not in page
    assert (await act(client, item, "export"))[1].endswith("done=exported")
    async with services.sessions() as db:
        (row,) = await exports.for_request(db, item)
    await act(client, item, "review", export_id=str(row.id))
    status, _, body = await act(client, item, "send", export_id=str(row.id))
    assert status == 200 and "anna@example.lv" in body and "someone@elsewhere.example" not in body
    assert (await act(client, item, "send", export_id=str(row.id), confirm="1"))[1].endswith("done=sent")
    (message,) = await outbox_rows(services)
    assert (message.channel, message.recipient) == ("email", "anna@example.lv")  # never the sender

    events = await trail(services, item)
    searched = [detail for action, detail in events if action == "resident.searched"]
    assert searched == [{"found": 1, "more": False}]  # a count, never the words searched for
    assert ("request.attached", {"resident_id": "R-2"}) in events
    assert [action for action, _ in events if action in ("verify", "request.attached", "export.sent")] == [
        "verify",
        "request.attached",
        "export.sent",
    ]
    _status, page = await page_of(client, item)
    trail_table = page.split('id="trail"', 1)[1].split("</table>", 1)[0]
    assert "attached to a resident" in trail_table and "residents searched" in trail_table


async def test_a_guest_is_attached_by_the_personal_code_they_gave(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["unverified"]
    async with services.sessions() as db, db.begin():
        resident = await residents.get(db, "R-2")
        assert resident is not None
        resident.personal_code_hmac = personal_code_hmac(SECRET.encode(), "010180-12345")
    await sign_in(client)
    await act(client, item, "claim")
    _status, page = await page_of(client, item, "?find=lacplesa")  # without diacritics
    results = page.split('id="attach"', 1)[1].split("</form>", 1)[0]
    assert "personal code on file" in results and 'name="personal_code"' in results
    assert "Check the code and attach" in results
    status, _, body = await act(client, item, "attach", resident_id="R-2", personal_code="010180-99999")
    assert status == 400 and "does not match" in body and "010180" not in body
    async with services.sessions() as db:
        row = await requests.get(db, item)
        assert row is not None and (row.resident_id, row.identity) == (None, "unverified")
    # The code is the confirmation: no second step, and it never travels through a page.
    status, location, _ = await act(client, item, "attach", resident_id="R-2", personal_code="01018012345")
    assert (status, location) == (303, f"/items/{item}?done=attached")
    async with services.sessions() as db:
        row = await requests.get(db, item)
        assert row is not None and row.resident_id == "R-2"
        assert (row.identity, row.identity_how) == ("verified", "agent: personal_code")
    assert [action for action, _ in await trail(services, item)] == [
        "claim",
        "resident.searched",
        "verify.failed",
        "verify",
        "request.attached",
    ]


async def test_attaching_without_verifying_or_a_code_is_refused(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["unverified"]
    await sign_in(client)
    await act(client, item, "claim")
    status, _, body = await act(client, item, "attach", resident_id="R-2", confirm="1")
    assert status == 409 and "Verify the sender&#39;s identity first" in body
    status, _, body = await act(client, item, "attach", resident_id="R-404", confirm="1")
    assert status == 400 and "Choose the resident from the search results." in body
    assert [action for action, _ in await trail(services, item)] == ["claim"]


async def test_only_the_claim_holder_searches_and_only_a_guest_item(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    status, page = await page_of(client, seeded["unverified"], "?find=ozola")
    assert status == 409 and "Claim this item first" in page and "Anna O." not in page
    await act(client, seeded["access"], "claim")
    status, page = await page_of(client, seeded["access"], "?find=ozola")
    assert status == 409 and "already belongs to a resident" in page and "Anna O." not in page
    assert await trail(services, seeded["unverified"]) == []
    status, page = await page_of(client, seeded["question"])
    assert 'name="find"' not in page  # a known resident's item has nothing to attach
