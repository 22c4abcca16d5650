"""The commands as an operator runs them, in real processes: ``helpdesk purge [--dry-run]``,
``helpdesk run`` (skips what is not configured with one line, stops cleanly on SIGTERM, JSON log
lines without personal data), and two ``helpdesk jobs`` and two ``helpdesk mailbox`` processes on
PostgreSQL, the second taking over when the first is killed."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from helpdesk.services import Services
from helpdesk.storage.models import AuditEvent, Message
from helpdesk.storage.repositories import conversations, links, residents
from tests.ops.conftest import NOW, make_services

HELPDESK = str(Path(sys.executable).with_name("helpdesk"))


def _env(database_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}
    env.update(
        HELPDESK_DATABASE_URL=database_url,
        HELPDESK_SECRET_KEY="jobs-test-key-Vq3xT9mZ2kLp7RwN4bYc8HdF",
        HELPDESK_INVOICE_DIR=str(tmp_path / "invoices"),
        **extra,
    )
    return env


async def _helpdesk(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        HELPDESK, *args, env=env, cwd=cwd, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def _old_messages(services: Services, n: int) -> None:
    async with services.sessions.begin() as session:
        conversation = await conversations.open_for(
            session, channel="email", contact="x@example.lv", resident_id=None, language="lv", now=NOW
        )
        for i in range(n):
            await conversations.add_message(
                session, conversation, direction="in", author="resident", text=f"{i}", now=NOW
            )


async def _count(services: Services, model: type) -> int:
    async with services.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_purge_command_dry_run_then_real(services: Services, tmp_path: Path) -> None:
    await _old_messages(services, 3)  # written at NOW, months before the command's real clock
    env = _env(services.storage.database_url, tmp_path, HELPDESK_RETENTION_DAYS="1")
    code, out, err = await _helpdesk("purge", "--dry-run", env=env, cwd=tmp_path)
    assert code == 0, err
    assert "messages older than 1 days would be deleted: 3" in out
    assert "dry run: nothing was changed" in out
    assert await _count(services, Message) == 3
    assert await _count(services, AuditEvent) == 0
    code, out, err = await _helpdesk("purge", "--json", env=env, cwd=tmp_path)
    assert code == 0, err
    counts = json.loads(out)
    assert counts["dry_run"] is False and counts["messages"] == 3 and counts["conversations"] == 1
    assert await _count(services, Message) == 0
    assert await _count(services, AuditEvent) == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _read_until(stream: asyncio.StreamReader, needle: str, timeout: float, seen: list[str]) -> None:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"{needle!r} not seen in {timeout} s; got: {seen}")
        line = (await asyncio.wait_for(stream.readline(), remaining)).decode()
        if not line:
            raise AssertionError(f"process ended before {needle!r}; got: {seen}")
        seen.append(line.rstrip())
        if needle in line:
            return


async def _run_until(env: dict[str, str], cwd: Path, needle: str) -> tuple[int, list[str]]:
    """Start ``helpdesk run``, wait for a stderr line containing ``needle``, stop it with SIGTERM;
    returns the exit status and every stderr line."""
    process = await asyncio.create_subprocess_exec(
        HELPDESK,
        "run",
        env=env,
        cwd=cwd,
        stderr=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.DEVNULL,
    )
    assert process.stderr is not None
    seen: list[str] = []
    try:
        await _read_until(process.stderr, needle, 60, seen)
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 20)
    return code, seen + (await process.stderr.read()).decode().splitlines()


async def test_run_skips_unconfigured_parts_and_stops_on_sigterm(database_url: str, tmp_path: Path) -> None:
    env = _env(database_url, tmp_path, HELPDESK_CONSOLE_PORT=str(_free_port()))
    code, lines = await _run_until(env, tmp_path, "scheduler running")
    assert "helpdesk run: bot: skipped, HELPDESK_TELEGRAM_TOKEN is not set" in lines
    assert "helpdesk run: mailbox: skipped, HELPDESK_IMAP_HOST is not set" in lines
    assert [line for line in lines if "skipped" in line and "bot" in line] == [
        "helpdesk run: bot: skipped, HELPDESK_TELEGRAM_TOKEN is not set"
    ]
    assert any(line.startswith("helpdesk run: starting ") and "jobs" in line for line in lines)
    assert any("SIGTERM received: stopping" in line for line in lines)
    assert code == 0, lines


async def test_run_logs_json_lines_without_personal_data(database_url: str, tmp_path: Path) -> None:
    """With HELPDESK_LOG_FORMAT=json every stderr line of ``helpdesk run`` is one JSON object, the
    startup jobs log that they ran, and the resident's data they touched appears in none of them."""
    services = make_services(database_url, tmp_path)
    try:
        async with services.sessions.begin() as session:
            await residents.upsert(session, resident_id="R-9", name="Jānis Bērziņš")
            conversation = await conversations.open_for(
                session,
                channel="email",
                contact="janis@example.lv",
                resident_id="R-9",
                language="lv",
                now=NOW,
            )
            await conversations.add_message(
                session,
                conversation,
                direction="in",
                author="resident",
                text="Mans kods 010180-12345, rakstiet uz janis@example.lv",
                now=NOW,
            )
            await links.mint(session, resident_id="R-9", ttl_minutes=30, now=NOW)
    finally:
        await services.aclose()
    env = _env(
        database_url,
        tmp_path,
        HELPDESK_CONSOLE_PORT=str(_free_port()),
        HELPDESK_LOG_FORMAT="json",
        HELPDESK_RETENTION_DAYS="1",
        HELPDESK_JOBS_STARTUP_DELAY_SECONDS="1",
    )
    code, lines = await _run_until(env, tmp_path, "job purge done")
    assert code == 0, lines
    records = [json.loads(line) for line in lines]  # every line is JSON
    messages = [record["message"] for record in records]
    assert "helpdesk run: bot: skipped, HELPDESK_TELEGRAM_TOKEN is not set" in messages
    assert any(m.startswith("purge: 1 messages, 1 conversations") for m in messages), messages
    assert any(m.startswith("expired: 1 link tokens") for m in messages), messages
    assert any(m.startswith("job expire-tokens done in") for m in messages), messages
    text = "\n".join(lines)
    for personal in ("Jānis", "Bērziņš", "janis@", "010180", "R-9"):
        assert personal not in text


async def _standby_takes_over(command: str, env: dict[str, str], cwd: Path, leading: str) -> list[str]:
    """Start ``helpdesk COMMAND`` twice; the second stands by until the first is killed, then leads
    within 5 s (``leading`` is the line that shows it leads), and stops cleanly on SIGTERM.
    Returns what the second process logged."""
    start = [HELPDESK, command]
    first = await asyncio.create_subprocess_exec(*start, env=env, cwd=cwd, stderr=asyncio.subprocess.PIPE)
    second: asyncio.subprocess.Process | None = None
    seen_first: list[str] = []
    seen_second: list[str] = []
    try:
        assert first.stderr is not None
        await _read_until(first.stderr, leading, 60, seen_first)
        second = await asyncio.create_subprocess_exec(
            *start, env=env, cwd=cwd, stderr=asyncio.subprocess.PIPE
        )
        assert second.stderr is not None
        await _read_until(second.stderr, f"standing by for '{command}'", 60, seen_second)
        first.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        await _read_until(second.stderr, leading, 15, seen_second)
        assert time.monotonic() - killed < 5
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 20) == 0
        return seen_second
    finally:
        for process in (first, second):
            if process is not None and process.returncode is None:
                process.kill()
                await process.wait()


async def test_second_jobs_process_takes_over(postgres_database: str, tmp_path: Path) -> None:
    env = _env(postgres_database, tmp_path)
    seen = await _standby_takes_over("jobs", env, tmp_path, "scheduler running")
    assert any("leader for 'jobs'" in line for line in seen)


async def test_second_mailbox_process_takes_over(postgres_database: str, tmp_path: Path) -> None:
    """One IMAP poller cluster-wide: a second ``helpdesk mailbox`` waits, and leads once the first
    is killed. (The IMAP server refuses; the leader keeps retrying it, and keeps the lock.)"""
    env = _env(
        postgres_database,
        tmp_path,
        HELPDESK_IMAP_HOST="127.0.0.1",
        HELPDESK_IMAP_PORT=str(_free_port()),
        HELPDESK_IMAP_USER="info",
        HELPDESK_IMAP_PASSWORD="not-used",
        HELPDESK_IMAP_SECURITY="none",
        HELPDESK_SMTP_HOST="127.0.0.1",
        HELPDESK_SMTP_PORT=str(_free_port()),
        HELPDESK_SMTP_SECURITY="none",
    )
    await _standby_takes_over("mailbox", env, tmp_path, "leader for 'mailbox'")
