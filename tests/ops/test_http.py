"""/healthz and /metrics, served by a real aiohttp server on both database backends."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from helpdesk.ops import metrics
from helpdesk.ops.http import add_ops_routes
from helpdesk.services import Services
from helpdesk.storage.models import InboundMail, RequestKind
from helpdesk.storage.repositories import outbox, requests
from tests.ops.conftest import NOW, make_services

# One sample line of the text exposition format: name, optional labels, a number.
SAMPLE = re.compile(
    r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})? -?[0-9.e+]+$'
)


async def _client(services: Services) -> TestClient[web.Request, web.Application]:
    app = web.Application()
    add_ops_routes(app, services)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


async def _seed(services: Services) -> None:
    async with services.sessions.begin() as session:
        for days, kind in ((-2, RequestKind.ACCESS), (3, RequestKind.QUESTION), (30, RequestKind.QUESTION)):
            await requests.create(
                session,
                kind=kind,
                channel="email",
                contact="someone@example.lv",
                received_at=NOW - timedelta(days=20),
                deadline_at=NOW + timedelta(days=days),
            )
        closed = await requests.create(
            session,
            kind=RequestKind.CORRECTION,
            channel="telegram",
            contact="111",
            received_at=NOW - timedelta(days=40),
            deadline_at=NOW - timedelta(days=10),
        )
        await requests.close(session, request_id=closed.id, outcome="done", now=NOW)
        await outbox.enqueue(session, channel="email", recipient="a@example.lv", body_text="x")
        sent = await outbox.enqueue(session, channel="telegram", recipient="111", body_text="y")
        await outbox.mark_sent(session, sent.id, NOW)
        session.add(
            InboundMail(mailbox="INBOX", uidvalidity=1, uid=1, message_id_hash="a" * 64, outcome="answered")
        )
        session.add(
            InboundMail(
                mailbox="INBOX", uidvalidity=1, uid=2, message_id_hash="b" * 64, outcome="skipped:auto-reply"
            )
        )


async def test_healthz_ok(services: Services) -> None:
    client = await _client(services)
    try:
        response = await client.get("/healthz")
        assert response.status == 200
        assert await response.json() == {"status": "ok", "database": "ok"}
    finally:
        await client.close()


async def test_healthz_unavailable_when_the_database_is_down(tmp_path: Path) -> None:
    # Nothing listens on port 9 of the loopback: the connection is refused at once.
    down = make_services("postgresql+asyncpg://postgres@127.0.0.1:9/none", tmp_path)
    client = await _client(down)
    try:
        response = await client.get("/healthz")
        assert response.status == 503
        assert (await response.json())["status"] == "unavailable"
        scraped = await client.get("/metrics")
        assert scraped.status == 200
        assert "helpdesk_database_up 0" in await scraped.text()
    finally:
        await client.close()
        await down.aclose()


async def test_metrics_exposition(services: Services) -> None:
    await _seed(services)
    metrics.inc("telegram_updates", kind="message")
    metrics.inc("telegram_updates", kind="message")
    metrics.inc("failures", component="mailbox", error='Bad "quote"\\')
    client = await _client(services)
    try:
        response = await client.get("/metrics")
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        body = await response.text()
    finally:
        await client.close()

    lines = body.splitlines()
    typed: set[str] = set()
    for line in lines:
        if line.startswith("# TYPE "):
            typed.add(line.split()[2])
        elif not line.startswith("# HELP "):
            assert SAMPLE.match(line), line
            assert line.split("{")[0].split(" ")[0] in typed, f"sample before its TYPE: {line}"
    assert 'helpdesk_queue_items{kind="access",status="open"} 1' in lines
    assert 'helpdesk_queue_items{kind="question",status="open"} 2' in lines
    assert 'helpdesk_queue_items{kind="correction",status="closed"} 1' in lines
    assert "helpdesk_queue_overdue 1" in lines  # the closed one is past its deadline but not counted
    assert "helpdesk_queue_due_soon 1" in lines
    assert 'helpdesk_outbox_messages{channel="email",status="pending"} 1' in lines
    assert 'helpdesk_outbox_messages{channel="telegram",status="sent"} 1' in lines
    assert 'helpdesk_mails_processed{outcome="answered"} 1' in lines
    assert 'helpdesk_mails_processed{outcome="skipped:auto-reply"} 1' in lines
    assert "helpdesk_database_up 1" in lines
    assert 'helpdesk_telegram_updates_total{kind="message"} 2' in lines
    assert 'helpdesk_failures_total{component="mailbox",error="Bad \\"quote\\"\\\\"} 1' in lines
    assert "example.lv" not in body and "111" not in body


@pytest.mark.parametrize(
    ("name", "value", "labels"),
    [("Bad-Name", 1.0, {}), ("ok", -1.0, {}), ("ok", 1.0, {"x-y": "1"})],
)
def test_counter_rejects_invalid_names_and_decrements(
    name: str, value: float, labels: dict[str, str]
) -> None:
    registry = metrics.Registry()
    with pytest.raises(ValueError):
        registry.inc(name, value, **labels)
    assert registry.counters() == []


def test_counter_adds_up() -> None:
    registry = metrics.Registry()
    registry.inc("mails", 2, outcome="answered")
    registry.inc("mails", outcome="answered")
    assert registry.value("mails", outcome="answered") == 3
