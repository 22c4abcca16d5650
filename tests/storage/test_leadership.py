"""Leadership: two real processes on PostgreSQL (kill -9 the leader, the standby takes over), the
watchdog that stops a leader whose lock connection died, and the single-process note on SQLite."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from helpdesk.storage import leadership
from helpdesk.storage.leadership import LeadershipLost, hold_leadership, lead_forever, try_leadership
from tests.ops.conftest import make_services

ROOT = Path(__file__).resolve().parents[2]


async def _spawn(database_url: str, name: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.storage.leadership_child",
        name,
        cwd=ROOT,
        env={**os.environ, "HELPDESK_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def _line(process: asyncio.subprocess.Process, timeout: float) -> str:
    assert process.stdout is not None
    return (await asyncio.wait_for(process.stdout.readline(), timeout)).decode().strip()


@pytest.fixture
async def pg_url(postgres_database: str) -> AsyncIterator[str]:
    yield postgres_database


async def test_standby_takes_over_when_the_leader_is_killed(pg_url: str) -> None:
    first = await _spawn(pg_url, "takeover-test")
    second: asyncio.subprocess.Process | None = None
    try:
        assert await _line(first, 30) == "waiting"
        assert await _line(first, 30) == f"leading {first.pid}"
        second = await _spawn(pg_url, "takeover-test")
        assert await _line(second, 30) == "waiting"
        # The standby polls every second; in three seconds it must not have taken the lock.
        with pytest.raises(TimeoutError):
            await _line(second, 3)
        first.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        await first.wait()
        assert await _line(second, 10) == f"leading {second.pid}"
        took = time.monotonic() - killed_at
        assert took < 5, f"takeover took {took:.1f} s"
    finally:
        for process in (first, second):
            if process is not None and process.returncode is None:
                process.kill()
                await process.wait()


async def test_a_leader_whose_connection_dies_stops_its_work(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(leadership, "WATCHDOG_SECONDS", 0.2)
    services = make_services(pg_url, tmp_path)
    admin = create_async_engine(pg_url, isolation_level="AUTOCOMMIT")
    started = asyncio.Event()
    try:

        async def lead() -> None:
            async with hold_leadership(services.engine, "watchdog-test"):
                started.set()
                await asyncio.sleep(60)

        task = asyncio.create_task(lead())
        await asyncio.wait_for(started.wait(), 10)
        async with admin.connect() as connection:
            killed = await connection.scalar(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE application_name = 'helpdesk:watchdog-test'"
                )
            )
        assert killed == 1
        with pytest.raises(LeadershipLost):
            await asyncio.wait_for(task, 10)
        # The lock went with the connection: another holder gets it at once.
        async with try_leadership(services.engine, "watchdog-test") as got:
            assert got is True
    finally:
        await admin.dispose()
        await services.aclose()


async def test_lead_forever_stands_by_again_after_a_loss(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(leadership, "WATCHDOG_SECONDS", 0.2)
    monkeypatch.setattr(leadership, "POLL_SECONDS", 0.1)
    services = make_services(pg_url, tmp_path)
    admin = create_async_engine(pg_url, isolation_level="AUTOCOMMIT")
    rounds: list[int] = []
    second_round = asyncio.Event()

    async def work() -> None:
        rounds.append(len(rounds) + 1)
        if len(rounds) == 2:
            second_round.set()
            return
        await asyncio.sleep(60)

    try:
        task = asyncio.create_task(lead_forever(services.engine, "forever-test", work))
        for _ in range(100):
            if rounds:
                break
            await asyncio.sleep(0.05)
        async with admin.connect() as connection:
            await connection.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE application_name = 'helpdesk:forever-test'"
                )
            )
        await asyncio.wait_for(second_round.wait(), 10)
        await asyncio.wait_for(task, 10)
        assert rounds == [1, 2]
    finally:
        await admin.dispose()
        await services.aclose()


async def test_try_leadership_skips_while_another_leads(pg_url: str, tmp_path: Path) -> None:
    services = make_services(pg_url, tmp_path)
    try:
        async with (
            hold_leadership(services.engine, "busy-test"),
            try_leadership(services.engine, "busy-test") as got,
        ):
            assert got is False
        async with try_leadership(services.engine, "busy-test") as got:
            assert got is True
    finally:
        await services.aclose()


async def test_sqlite_is_a_single_process(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    services = make_services(f"sqlite+aiosqlite:///{tmp_path / 'one.db'}", tmp_path)
    caplog.set_level(logging.INFO, logger="helpdesk.storage.leadership")
    try:
        async with hold_leadership(services.engine, "jobs"), try_leadership(services.engine, "jobs") as got:
            assert got is False
        async with try_leadership(services.engine, "jobs") as got:
            assert got is True
    finally:
        await services.aclose()
    notes = [r.getMessage() for r in caplog.records if "single process" in r.getMessage()]
    assert notes == ["leader for 'jobs': single process (SQLite has no cluster-wide lock)"]
