"""The deadline badge agents see in the console: every page's header shows how many open items are
overdue or due within 7 days, the same figure the reminder job counts."""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from helpdesk.app import build_services, console_config
from helpdesk.console.app import create_app
from helpdesk.core.deadlines import DUE_SOON
from helpdesk.storage.repositories import requests, stats
from tests.console.conftest import NOW, make_settings, seed, sign_in
from tests.handlers.conftest import fake_matcher

BADGE = re.compile(r'<span class="badge"[^>]*>(\d+)</span>')


async def test_the_console_shows_the_deadline_badge(database_url: str, tmp_path: Path) -> None:
    settings = make_settings(database_url, tmp_path)
    services = build_services(settings, matcher=fake_matcher())
    services.clock = lambda: NOW
    ids = await seed(services)
    client: TestClient[web.Request, web.Application] = TestClient(
        TestServer(create_app(services, console_config(settings))), headers={"Accept-Language": "en"}
    )
    await client.start_server()
    try:
        async with services.sessions() as session:
            overdue, due_soon = await stats.deadline_counts(session, now=NOW, within=DUE_SOON)
        # The seed: a correction 10 days overdue and a question due in 2 days; the access requests
        # have a month.
        assert (overdue, due_soon) == (1, 1)
        await sign_in(client)
        page = await (await client.get("/queue")).text()
        assert BADGE.findall(page) == [str(overdue + due_soon)]
        async with services.sessions.begin() as session:
            await requests.close(session, request_id=ids["correction"], outcome="answered", now=NOW)
        page = await (await client.get("/queue")).text()
        assert BADGE.findall(page) == ["1"]
    finally:
        await client.close()
        await services.aclose()
