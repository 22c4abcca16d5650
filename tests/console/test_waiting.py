"""Waiting for the resident, over HTTP on both backends: an agent parks an item (with a reply or on
its own), the queue still orders it by deadline and marks it, and when the resident writes again
(Telegram through the handlers, e-mail through the mailbox's processing) it comes back, audited."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from helpdesk.app import mail_config
from helpdesk.cli import main
from helpdesk.handlers.dispatch import handle
from helpdesk.mailbox.chain.base import Position
from helpdesk.mailbox.processing import handle_mails
from helpdesk.services import Services
from helpdesk.settings import Settings
from helpdesk.storage.models.requests import RESIDENT_REPLIED
from helpdesk.storage.repositories import audit, requests
from tests.cli.conftest import cli_env  # noqa: F401 - the fixture
from tests.console.conftest import NOW, sign_in
from tests.console.test_item import act, actions_of, outbox_rows
from tests.handlers.conftest import telegram

Client = TestClient[web.Request, web.Application]

ROW = re.compile(r'<tr class="[^"]*">\s*<td data-label="#"><a href="/items/(\d+)">')


async def _status(services: Services, item: int) -> str:
    async with services.sessions() as db:
        row = await requests.get(db, item)
        assert row is not None
        return row.status


async def _queue_ids(client: Client, query: str = "") -> list[int]:
    page = await (await client.get(f"/queue{query}")).text()
    return [int(found) for found in ROW.findall(page)]


async def test_reply_and_wait_parks_the_item_and_keeps_the_lease(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    item = seeded["unverified"]
    await act(client, item, "claim")
    status, location, _ = await act(
        client,
        item,
        "reply",
        text="Lūdzu, atsūtiet personu apliecinoša dokumenta kopiju.",
        nonce="w1",
        wait="1",
    )
    assert (status, location) == (303, f"/items/{item}?done=replied_waiting")
    async with services.sessions() as db:
        row = await requests.get(db, item)
        assert row is not None and row.status == "waiting" and row.waiting_since == NOW
        # The lease runs on as the action renewed it: still the asking agent's for a while.
        assert row.assignee_id == seeded["anna"] and row.lease_expires_at == NOW + timedelta(minutes=30)
        events = await audit.for_request(db, item)
    assert [e.action for e in events] == ["claim", "reply", "wait"]
    assert events[-1].actor == f"agent:{seeded['anna']}" and events[-1].created_at == NOW
    assert len(await outbox_rows(services)) == 1  # the question reached the resident
    page = await (await client.get(location)).text()
    assert "The reply is queued for sending; the item waits for the resident" in page
    assert "Waiting for the resident since" in page and "The deadline keeps running" in page
    assert 'name="wait" value="1" checked' in page  # a reminder keeps it waiting
    assert "Stop waiting (the answer came another way)" in page
    # A reminder sent while waiting keeps it waiting, and keeps when it started.
    await act(client, item, "reply", text="Atgādinām par dokumentu.", nonce="w2", wait="1")
    assert await _status(services, item) == "waiting"
    # A reply without the box ticked means the agent is no longer waiting.
    await act(client, item, "reply", text="Paldies, saņēmām pa tālruni.", nonce="w3")
    assert await _status(services, item) == "claimed"
    assert (await actions_of(services, item))[-2:] == ["reply", "resume"]


async def test_wait_and_resume_on_their_own_need_a_claim(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    item = seeded["question"]
    status, _, body = await act(client, item, "wait")
    assert status == 409 and "Claim this item first" in body
    await act(client, item, "claim")
    status, _, body = await act(client, item, "resume")
    assert status == 409 and "This item is not waiting for the resident." in body
    _status_code, location, _ = await act(client, item, "wait")
    assert location.endswith("done=waiting")
    page = await (await client.get(location)).text()
    assert "The item waits for the resident&#39;s answer; the deadline keeps running." in page
    assert (await act(client, item, "resume"))[1].endswith("done=resumed")
    assert await _status(services, item) == "claimed"
    assert await actions_of(services, item) == ["claim", "wait", "resume"]


async def test_claim_and_release_leave_a_waiting_item_waiting(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["question"]
    async with services.sessions() as db, db.begin():
        lease = timedelta(minutes=30)
        earlier = NOW - timedelta(hours=3)
        assert await requests.claim(db, request_id=item, agent_id=seeded["bruno"], now=earlier, lease=lease)
        assert await requests.wait(db, request_id=item, agent_id=seeded["bruno"], now=earlier)
    # Bruno's lease ran out hours ago: a waiting item does not block anyone.
    await sign_in(client, "anna")
    assert (await act(client, item, "claim"))[1].endswith("done=claimed")
    async with services.sessions() as db:
        row = await requests.get(db, item)
        assert row is not None and row.status == "waiting" and row.assignee_id == seeded["anna"]
        assert row.waiting_since == NOW - timedelta(hours=3)
    assert (await act(client, item, "release"))[1].endswith("done=released")
    async with services.sessions() as db:
        row = await requests.get(db, item)
        assert row is not None and row.status == "waiting" and row.assignee_id is None


async def test_the_queue_keeps_a_waiting_item_in_deadline_order_and_marks_it(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    overdue = seeded["correction"]  # the soonest deadline in the seed, ten days past
    before = await _queue_ids(client)
    await act(client, overdue, "claim")
    await act(client, overdue, "wait")
    assert await _queue_ids(client) == before and before[0] == overdue
    page = await (await client.get("/queue")).text()
    first = page[page.index(f'href="/items/{overdue}"') :].split("</tr>", 1)[0]
    assert 'class="tag overdue"' in first and 'class="tag waiting"' in first and "since" in first
    assert re.search(r'status=waiting">Waiting for the resident</a> <strong>1</strong>', page)
    assert await _queue_ids(client, "?status=waiting") == [overdue]
    assert await _queue_ids(client, "?replied=1") == []


async def test_agent_waits_resident_answers_in_telegram_item_comes_back(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    """End to end: the reply form's box, the resident's next Telegram message through the shared
    handlers, the item back with its agent, marked in the queue until the agent answers."""
    await sign_in(client)
    item = seeded["question"]
    await act(client, item, "claim")
    await act(client, item, "reply", text="Kurš ir jūsu klienta numurs?", nonce="t1", wait="1")
    assert await _status(services, item) == "waiting"

    answer = telegram("Klienta numurs ir 55-1234")
    reply = await handle(answer, services)
    assert reply.request_id == item
    assert await _status(services, item) == "claimed"  # anna's lease still lives
    async with services.sessions() as db:
        events = await audit.for_request(db, item)
    assert [e.action for e in events] == ["claim", "reply", "wait", RESIDENT_REPLIED]
    assert events[-1].actor == "resident:R-1" and events[-1].detail["status"] == "claimed"

    assert await _queue_ids(client, "?replied=1") == [item]
    page = await (await client.get("/queue")).text()
    row = page[page.index(f'href="/items/{item}"') :].split("</tr>", 1)[0]
    assert 'class="tag replied"' in row
    page = await (await client.get(f"/items/{item}")).text()
    assert "The resident wrote again on" in page
    assert "Klienta numurs ir 55-1234" in page  # the answer, on the item's page
    audit_card = page[page.index('class="card audit-card"') :]
    assert "the resident wrote again" in audit_card

    await act(client, item, "reply", text="Paldies, atradām.", nonce="t2")
    assert await _queue_ids(client, "?replied=1") == []
    page = await (await client.get(f"/items/{item}")).text()
    assert "The resident wrote again on" not in page


def _reply_mail(item: int) -> bytes:
    return (
        "From: janis@example.lv\r\n"
        "To: info@klientiem.test\r\n"
        f"Subject: Re: Your request #{item}\r\n"
        "Message-ID: <answer-2@example.lv>\r\n"
        "In-Reply-To: <console-reply@klientiem.test>\r\n"
        "References: <access-1@example.lv> <console-reply@klientiem.test>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "Labdien, pielikumā pases kopija.\r\n"
    ).encode()


async def test_agent_waits_resident_answers_by_mail_in_the_thread(
    client: Client, seeded: dict[str, int], services: Services, settings: Settings
) -> None:
    """The access request came by e-mail; the resident's reply in that thread, processed as the
    mailbox processes it, joins the request (no new question) and gives it back."""
    await sign_in(client)
    item = seeded["access"]
    await act(client, item, "claim")
    await act(client, item, "reply", text="Lūdzu, apstipriniet savu identitāti.", nonce="m1", wait="1")
    services.clock = lambda: NOW + timedelta(days=2)  # the answer comes when the lease is long gone
    outcomes = await handle_mails(
        services, mail_config(settings), [(Position("INBOX", 1, 7), _reply_mail(item))]
    )
    assert outcomes[7].outcome == "answered"
    async with services.sessions() as db:
        row = await requests.get(db, item)
        assert row is not None and row.status == "open" and row.resident_replied_at == NOW + timedelta(days=2)
        events = await audit.for_request(db, item)
        items = await requests.list_items(db, kinds=["question"])
    assert [e.action for e in events][-1] == RESIDENT_REPLIED
    assert events[-1].detail["channel"] == "email"
    assert [q.id for q in items] == [seeded["question"]]  # the seeded one only: nothing new filed
    answer = (await outbox_rows(services))[-1]
    assert answer.recipient == "janis@example.lv" and f"#{item}" in answer.body_text


async def test_requests_list_shows_the_status_and_filters_waiting_items(
    cli_env: Path,  # noqa: F811 - the fixture
    client: Client,
    seeded: dict[str, int],
    services: Services,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await sign_in(client)
    item = seeded["question"]
    await act(client, item, "claim")
    await act(client, item, "wait")
    assert await asyncio.to_thread(main, ["requests", "list", "--status", "waiting", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["id"], row["status"], row["resident_replied_at"]) == (item, "waiting", None)
    assert row["waiting_since"] == NOW.isoformat()
    await handle(telegram("Klienta numurs ir 55-1234"), services)
    assert await asyncio.to_thread(main, ["requests", "list"]) == 0
    line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith(f"#{item} "))
    assert " claimed " in line and "[resident replied 2026-01-31 12:00 EET]" in line
