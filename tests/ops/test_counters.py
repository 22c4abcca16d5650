"""Event counters reach the console's /metrics from other processes: each process adds what it
counted to the database, the console shows the cluster-wide sums; warnings and errors logged
anywhere are counted as failures; the bot counts every update it receives."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from pathlib import Path

import pytest
from aiogram.types import Update
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from helpdesk.app import build_services
from helpdesk.bot.factory import build_bot, build_dispatcher
from helpdesk.ops import counters, metrics
from helpdesk.ops.http import add_ops_routes
from helpdesk.ops.logging import configure_logging
from helpdesk.services import Services
from helpdesk.settings import load_settings
from helpdesk.storage.repositories import conversations
from tests.bot.conftest import bot_settings, fake_matcher
from tests.bot.conftest import seed as seed_bot
from tests.bot.fake_api import FakeTelegram, message
from tests.ops.conftest import NOW, OPS_SECRET, make_services

ROOT = Path(__file__).resolve().parents[2]


async def _scrape(services: Services) -> list[str]:
    app = web.Application()
    add_ops_routes(app, services)
    client: TestClient[web.Request, web.Application] = TestClient(TestServer(app))
    await client.start_server()
    try:
        response = await client.get("/metrics")
        assert response.status == 200
        return (await response.text()).splitlines()
    finally:
        await client.close()


async def test_sums_over_processes(database_url: str, tmp_path: Path) -> None:
    """Two processes' registries flushed into one database; a third process serves the sums."""
    first, second = metrics.Registry(), metrics.Registry()
    first.inc("telegram_updates", 2, kind="message")
    second.inc("telegram_updates", 3, kind="message")
    second.inc("telegram_updates", kind="callback_query")
    writer = make_services(database_url, tmp_path)
    console = make_services(database_url, tmp_path)
    try:
        assert await counters.flush(writer, first) == 1
        assert await counters.flush(writer, second) == 2
        assert await counters.flush(writer, second) == 0  # nothing new since
        first.inc("telegram_updates", kind="message")
        await counters.flush(writer, first)
        lines = await _scrape(console)
    finally:
        await writer.aclose()
        await console.aclose()
    assert 'helpdesk_telegram_updates_total{kind="message"} 6' in lines
    assert 'helpdesk_telegram_updates_total{kind="callback_query"} 1' in lines
    assert lines.count("# TYPE helpdesk_telegram_updates_total counter") == 1


async def test_a_failed_flush_keeps_its_counts(database_url: str, tmp_path: Path) -> None:
    registry = metrics.Registry()
    registry.inc("job_runs", job="purge")
    down = make_services("postgresql+asyncpg://postgres@127.0.0.1:9/none", tmp_path)
    up = make_services(database_url, tmp_path)
    try:
        with pytest.raises(OSError):
            await counters.flush(down, registry)
        registry.inc("job_runs", job="purge")
        assert await counters.flush(up, registry) == 1
        assert await counters.cluster_samples(up) == [
            metrics.Sample("helpdesk_job_runs_total", (("job", "purge"),), 2.0)
        ]
    finally:
        await down.aclose()
        await up.aclose()


def test_warnings_and_errors_are_counted_as_failures(restore_root: None) -> None:
    configure_logging(load_settings(log_format="json").operations, stream=open(os.devnull, "w"))  # noqa: SIM115
    logging.getLogger("helpdesk.mailbox.poller").warning("mailbox: reconnecting")
    logging.getLogger("helpdesk.mailbox.smtp_sender").error("SMTP refused")
    logging.getLogger("aiogram.dispatcher").error("Failed to fetch updates")
    logging.getLogger("helpdesk.jobs.scheduler").info("scheduler running")
    assert metrics.REGISTRY.value("failures", component="mailbox", level="warning") == 1
    assert metrics.REGISTRY.value("failures", component="mailbox", level="error") == 1
    assert metrics.REGISTRY.value("failures", component="aiogram", level="error") == 1
    assert metrics.REGISTRY.value("failures", component="jobs", level="info") == 0


async def test_the_bot_counts_its_updates(database_url: str, tmp_path: Path) -> None:
    fake = FakeTelegram()
    await fake.start()
    settings = bot_settings(database_url, tmp_path, fake)
    services = build_services(settings, matcher=fake_matcher())
    await seed_bot(services)
    bot = build_bot(settings.telegram)
    dispatcher = build_dispatcher(services)
    try:
        for update in (
            message(7001, "Sveiki!"),
            message(7001, "/help"),
            {"channel_post": {"message_id": 1, "date": 0, "chat": {"id": -5, "type": "channel"}}},
        ):
            await dispatcher.feed_update(
                bot, Update.model_validate({"update_id": fake.next_update_id(), **update})
            )
        assert metrics.REGISTRY.value("telegram_updates", kind="message") == 2
        assert metrics.REGISTRY.value("telegram_updates", kind="channel_post") == 1
    finally:
        await bot.session.close()
        await services.aclose()
        await fake.stop()


async def test_a_separate_process_shows_up_in_the_consoles_metrics(database_url: str, tmp_path: Path) -> None:
    """``helpdesk purge`` in a process of its own counts the rows it deleted; this process's
    /metrics shows them, read from the database."""
    writer = make_services(database_url, tmp_path)
    try:
        async with writer.sessions.begin() as session:
            conversation = await conversations.open_for(
                session, channel="email", contact="x@example.lv", resident_id=None, language="lv", now=NOW
            )
            for i in range(3):
                await conversations.add_message(
                    session, conversation, direction="in", author="resident", text=f"{i}", now=NOW
                )
    finally:
        await writer.aclose()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}
    env.update(
        HELPDESK_DATABASE_URL=database_url,
        HELPDESK_SECRET_KEY=OPS_SECRET,
        HELPDESK_RETENTION_DAYS="1",  # NOW is months before the command's real clock
    )
    process = await asyncio.create_subprocess_exec(
        str(Path(sys.executable).with_name("helpdesk")),
        "purge",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    metrics.REGISTRY.clear()  # nothing of it was counted here
    console = make_services(database_url, tmp_path)
    try:
        lines = await _scrape(console)
    finally:
        await console.aclose()
    assert 'helpdesk_purged_rows_total{what="messages"} 3' in lines
    assert 'helpdesk_purged_rows_total{what="conversations"} 1' in lines
