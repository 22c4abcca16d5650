"""The console views over HTTP: the queue's deadline filter and counts, a refused action that keeps
what the agent typed, the confirmation step of close and send, the audit log's filters and pages."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import UTC, datetime, timedelta

from aiohttp import web
from aiohttp.test_utils import TestClient

from helpdesk.console.texts import end_of_day
from helpdesk.services import Services
from helpdesk.storage.models.requests import RequestKind
from helpdesk.storage.repositories import audit, exports, requests
from tests.console.conftest import NOW, csrf_of, post_form, sign_in

Client = TestClient[web.Request, web.Application]

ROW = re.compile(r'<tr class="[a-z]*">\s*<td data-label="#"><a href="/items/(\d+)">')


async def act(client: Client, item: int, action: str, **data: str) -> tuple[int, str, str]:
    return await post_form(client, f"/items/{item}/{action}", data, page=f"/items/{item}")


async def queue_ids(client: Client, query: str = "") -> tuple[list[int], str]:
    response = await client.get("/queue" + query)
    assert response.status == 200
    body = await response.text()
    return [int(found) for found in ROW.findall(body)], body


async def actions_of(services: Services, item: int) -> list[str]:
    async with services.sessions() as db:
        return [event.action for event in await audit.for_request(db, item)]


async def _question(services: Services, deadline_in: timedelta, summary: str) -> int:
    async with services.sessions() as db, db.begin():
        item = await requests.create(
            db,
            kind=RequestKind.QUESTION,
            channel="email",
            contact="janis@example.lv",
            received_at=NOW - timedelta(hours=1),
            deadline_at=NOW + deadline_in,
            resident_id="R-1",
            summary=summary,
        )
        return item.id


async def test_queue_filters_by_deadline_and_every_count_links(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    # NOW is 12:00 in Riga (UTC+2 in January): the Riga day ends at 22:00 UTC.
    late_today = await _question(services, timedelta(hours=11, minutes=30), "23:30 Riga")
    tomorrow = await _question(services, timedelta(hours=12, minutes=30), "00:30 Riga, tomorrow")
    await sign_in(client)
    assert (await queue_ids(client, "?due=overdue"))[0] == [seeded["correction"]]
    assert (await queue_ids(client, "?due=today"))[0] == [late_today]
    ids, body = await queue_ids(client, "?due=soon")
    assert ids == [late_today, tomorrow, seeded["question"]]
    assert '<a href="/queue?due=soon" aria-current="page">Due within 7 days</a>' in body
    ids, body = await queue_ids(client)
    for due, label, count in (
        ("overdue", "Overdue", 1),
        ("today", "Due today", 1),
        ("soon", "Due within 7 days", 3),
    ):
        assert f'<a href="/queue?due={due}">{label}</a> <strong>{count}</strong>' in body
    # Combined with the other filters; a closed item is never due.
    assert (await queue_ids(client, "?due=soon&channel=telegram"))[0] == [seeded["question"]]
    assert (await queue_ids(client, "?due=overdue&status=closed"))[0] == []
    # A value the queue does not know: the whole queue, and a polite word about the link.
    ids, body = await queue_ids(client, "?due=yesterday&kind=nonsense")
    assert len(ids) == 6 and "a filter the queue does not know (kind, due)" in body
    assert "does not know" not in (await queue_ids(client, "?due=today"))[1]
    # Latvian: the day's count and the filter's words are translated.
    await post_form(client, "/language", {"language": "lv", "next": "/queue"})
    body = (await queue_ids(client))[1]
    assert ">Termiņš šodien</a> <strong>1</strong>" in body and ">termiņš šodien</option>" in body


async def test_a_refused_action_keeps_what_was_typed_and_the_badge(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client)
    access = seeded["access"]
    await act(client, access, "claim")
    status, _, body = await act(client, access, "extend", months="3", reason="Jāpārbauda arhīvs")
    assert status == 400 and "Extend by one or two months." in body
    assert ">Jāpārbauda arhīvs</textarea>" in body
    assert re.search(r'<span class="badge"[^>]*>2</span>', body)  # overdue 1 + due within 7 days 1
    status, _, body = await act(client, access, "close", outcome="answered")
    assert status == 409 and '<option value="answered" selected>' in body

    correction = seeded["correction"]
    await act(client, correction, "claim")
    status, _, body = await act(
        client,
        correction,
        "correction",
        decision="apply",
        name="Jānis Bērziņš",
        address="Brīvības iela 1-6, Rīga",
        invoice_email="not-mail",
        news_email="",
        language="ru",
        reason="",
    )
    assert status == 400 and "Invalid value for invoice_email" in body
    assert 'value="Brīvības iela 1-6, Rīga"' in body and 'value="not-mail"' in body
    assert '<option value="ru" selected>' in body

    # A personal code is a secret: the method is kept, the code is typed again.
    unverified = seeded["correction"]
    async with services.sessions() as db, db.begin():
        row = await requests.get(db, unverified)
        assert row is not None
        row.identity = "unverified"
    await act(client, unverified, "claim")
    status, _, body = await act(
        client, unverified, "verify", method="personal_code", personal_code="010180-12345", detail="tālrunis"
    )
    assert status == 400 and '<option value="personal_code" selected>' in body
    assert "010180" not in body and 'value="tālrunis"' in body

    # The claim ran out while the agent wrote: the reply form is gone, the text is not.
    question = seeded["question"]
    await act(client, question, "claim")
    services.clock = lambda: NOW + timedelta(hours=2)
    status, _, body = await act(client, question, "reply", text="Rēķinu sūtām 5. datumā.")
    assert status == 409 and "Claim this item first" in body
    assert "readonly>Rēķinu sūtām 5. datumā.</textarea>" in html.unescape(body)
    assert await actions_of(services, question) == ["claim"]


async def test_close_asks_first_without_javascript(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["unverified"]
    await sign_in(client)
    await act(client, item, "claim")
    status, _, body = await act(client, item, "close", outcome="withdrawn")
    assert status == 200 and "Close item #" in body and "<strong>withdrawn</strong>" in body
    assert "A closed item cannot be reopened." in body and "Back to the item" in body
    assert re.search(r'<span class="badge"', body)
    async with services.sessions() as db:
        still = await requests.get(db, item)
        assert still is not None and still.status == "claimed"
    assert await actions_of(services, item) == ["claim"]  # the first step logs nothing
    # The confirmation page's own form: its CSRF token, the outcome carried, confirm=1.
    form = re.search(
        r'<form method="post" action="(/items/\d+/close)" class="confirm">(.*?)</form>', body, re.S
    )
    assert form is not None and form.group(1) == f"/items/{item}/close"
    fields = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)">', form.group(2)))
    assert fields["outcome"] == "withdrawn" and fields["confirm"] == "1" and fields["csrf"]
    # Without the token neither step does anything.
    for data in ({"outcome": "withdrawn"}, {"outcome": "withdrawn", "confirm": "1"}):
        response = await client.post(f"/items/{item}/close", data=data, allow_redirects=False)
        assert response.status == 403
    # Bad outcomes are refused at the first step, as the action refuses them.
    assert (await act(client, item, "close", outcome="nonsense"))[0] == 400
    response = await client.post(f"/items/{item}/close", data=fields, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"].endswith("done=closed")
    assert await actions_of(services, item) == ["claim", "close"]


async def test_both_steps_check_the_claim(client: Client, seeded: dict[str, int], services: Services) -> None:
    item = seeded["question"]
    await sign_in(client, "anna")
    await act(client, item, "claim")
    await post_form(client, "/logout", {})
    await sign_in(client, "bruno")
    token = await csrf_of(client, f"/items/{item}")
    for data in ({"outcome": "answered"}, {"outcome": "answered", "confirm": "1"}):
        response = await client.post(f"/items/{item}/close", data={"csrf": token, **data})
        assert response.status == 409 and "Claim this item first" in await response.text()
    assert await actions_of(services, item) == ["claim"]


async def test_sending_an_export_says_where_it_goes_first(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["access"]
    await sign_in(client)
    await act(client, item, "claim")
    await act(client, item, "export")
    async with services.sessions() as db:
        (row,) = await exports.for_request(db, item)
    status, _, body = await act(client, item, "send", export_id=str(row.id))
    assert status == 409 and "Review the export before sending it." in body  # refused at step one
    await act(client, item, "review", export_id=str(row.id))
    status, _, body = await act(client, item, "send", export_id=str(row.id))
    assert status == 200 and "the invoice e-mail address janis@example.lv" in body
    assert f"Export {row.id}" in body and row.sha256[:12] in body and "Yes, send the export" in body
    assert (await act(client, item, "send", export_id="99999"))[0] == 404
    assert await actions_of(services, item) == ["claim", "export.generated", "export.reviewed"]
    assert (await act(client, item, "send", export_id=str(row.id), confirm="1"))[1].endswith("done=sent")
    assert (await actions_of(services, item))[-1] == "export.sent"


async def _events(services: Services, count: int) -> list[int]:
    ids = []
    async with services.sessions() as db, db.begin():
        for number in range(count):
            event = await audit.record(
                db,
                actor="system" if number % 2 else "mailbox",
                action="purge" if number % 3 else "mail.quarantined",
                request_id=7 if number % 5 == 0 else None,
                detail={"n": number},
                now=NOW + timedelta(seconds=number),
            )
            ids.append(event.id)
    return ids


def _shown(body: str) -> list[int]:
    return [int(n) for n in re.findall(r"<dt>n</dt><dd>(\d+)</dd>", body)]


async def test_audit_log_pages_newest_first_and_filters(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client, "boss")  # its login is the oldest event, without an "n"
    await _events(services, 230)
    body = await (await client.get("/audit")).text()
    assert _shown(body) == list(range(229, 129, -1))
    older = re.search(r'<a href="/audit\?before=(\d+)" rel="next">Older</a>', body)
    assert older is not None and "Newer</a>" not in body
    body = await (await client.get(f"/audit?before={older.group(1)}")).text()
    assert _shown(body) == list(range(129, 29, -1))
    newer = re.search(r'<a href="/audit\?after=(\d+)" rel="prev">Newer</a>', body)
    assert newer is not None
    assert _shown(await (await client.get(f"/audit?after={newer.group(1)}")).text()) == list(
        range(229, 129, -1)
    )
    last = re.search(r'<a href="/audit\?before=(\d+)" rel="next">Older</a>', body)
    assert last is not None
    body = await (await client.get(f"/audit?before={last.group(1)}")).text()
    assert _shown(body) == list(range(29, -1, -1)) and "Older</a>" not in body

    # Filters: each narrows, and together they all apply.
    body = await (await client.get("/audit?item=7&actor=mailbox&action=mail.quarantined")).text()
    wanted = [n for n in range(229, -1, -1) if n % 30 == 0]  # item 7, mailbox, quarantined
    assert _shown(body) == wanted
    assert 'href="/audit.csv?item=7&amp;actor=mailbox&amp;action=mail.quarantined"' in body
    assert _shown(await (await client.get("/audit?actor=system")).text()) == list(range(229, 29, -2))[:100]
    # The pages keep the filter.
    purges = [n for n in range(229, -1, -1) if n % 3]
    body = await (await client.get("/audit?action=purge")).text()
    assert _shown(body) == purges[:100]
    older = re.search(r'<a href="/audit\?action=purge&amp;before=(\d+)" rel="next">Older</a>', body)
    assert older is not None
    body = await (await client.get(f"/audit?action=purge&before={older.group(1)}")).text()
    assert _shown(body) == purges[100:] and "Older</a>" not in body
    # The download gives what the filter matches, oldest first, and the log says which filter.
    response = await client.get("/audit.csv?item=7&actor=mailbox&action=mail.quarantined")
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert [json.loads(row["detail"])["n"] for row in rows] == sorted(wanted)
    async with services.sessions() as db:
        (exported,) = await audit.search(db, action="audit.exported")
    assert exported.detail == {
        "format": "csv",
        "filter": {"request_id": 7, "actor": "mailbox", "action": "mail.quarantined"},
    }
    # Values no event can have are dropped with a polite word, never an error.
    response = await client.get("/audit?item=abc&actor=%3Cscript%3E&action=DROP%20TABLE&before=x")
    body = await response.text()
    assert response.status == 200 and "a filter no event can match (item, actor, action)" in body
    assert "Older</a>" in body and "&lt;script&gt;" not in body
    body = await (await client.get("/audit?item=424242")).text()
    assert "No event matches these filters." in body and "<table>" not in body


def test_today_ends_at_midnight_in_riga_also_when_the_clocks_change() -> None:
    assert end_of_day(NOW) == datetime(2026, 1, 31, 22, 0, tzinfo=UTC)  # EET, UTC+2
    # 29 March 2026: Riga moves to EEST (UTC+3) at 03:00; that day has 23 hours.
    spring = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert end_of_day(spring) == datetime(2026, 3, 29, 21, 0, tzinfo=UTC)
    # 23:59 in Riga is still today; midnight starts the next day.
    assert end_of_day(datetime(2026, 1, 31, 21, 59, tzinfo=UTC)) == datetime(2026, 1, 31, 22, 0, tzinfo=UTC)
    assert end_of_day(datetime(2026, 1, 31, 22, 0, tzinfo=UTC)) == datetime(2026, 2, 1, 22, 0, tzinfo=UTC)


async def test_switching_the_language_on_a_confirmation_page_goes_back_to_the_item(
    client: Client, seeded: dict[str, int]
) -> None:
    item = seeded["question"]
    await sign_in(client)
    await act(client, item, "claim")
    status, _, body = await act(client, item, "close", outcome="answered")
    assert status == 200 and f'name="next" value="/items/{item}/close"' in body
    status, location, _ = await post_form(
        client, "/language", {"language": "lv", "next": f"/items/{item}/close"}
    )
    assert (status, location) == (303, f"/items/{item}/close")
    response = await client.get(location)
    assert response.status == 200 and str(response.url).endswith(f"/items/{item}")
    assert "Slēgt" in await response.text()
