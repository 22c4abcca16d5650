"""How long the retention purge takes for 1,000,000 old messages, and what it does to the residents.

For each backend (PostgreSQL and SQLite) the script creates a fresh database, seeds the residents
the handlers need (as benchmarks/dispatch_throughput.py does), bulk-loads old conversations and
messages (COPY through asyncpg on PostgreSQL, executemany on SQLite), then:

1. measures handler latency (``dispatch.handle`` with a stub matcher, ``--concurrency`` at once)
   with no purge running: the idle p99;
2. starts :func:`helpdesk.jobs.purge.purge` and keeps the same handler load going until the purge
   is done: the p99 during the purge. On PostgreSQL the purge runs in a separate process (as the
   jobs container runs it); on SQLite, which is run as one process (``helpdesk run``), it runs in
   the handlers' process and engine, its batches queuing for the write lock in turn with theirs.

Targets: the purge under 30 s on PostgreSQL; p99 during the purge at most twice the idle p99.
The purge runs with ``HELPDESK_PURGE_BATCH_SIZE`` and ``HELPDESK_PURGE_PAUSE_MS`` (their defaults,
or ``--batch-size``/``--pause-ms``), as the jobs process would.

On SQLite the handlers' ``--concurrency`` transactions queue for the one write lock. Before the
writers of a process took turns on an asyncio lock (storage.engine.write_transaction), each
waiter polled SQLite's busy handler (sleeps of up to 100 ms) and an unlucky call waited several
rounds while others took the lock: the idle p99 was about 335 ms against a p50 of 5 ms.

    .venv/bin/python benchmarks/purge.py [--messages 1000000] [--concurrency 8] [--backends postgres,sqlite]
        [--batch-size N] [--pause-ms MS] [--repeat N]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parent))
import dispatch_throughput as dispatch

from helpdesk.app import build_services
from helpdesk.core.types import Inquiry
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.settings import Settings, load_settings
from helpdesk.storage.migrate import upgrade

PG_ADMIN = dispatch.PG_ADMIN
PER_CONVERSATION = 10  # messages per old conversation
OLD = datetime.now(UTC) - timedelta(days=200)
IDLE_INQUIRIES = 3000
LOADS: list[float] = []  # the machine's load average at each phase boundary, for reading the figures


def _rows(messages: int) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """(conversation row, its message rows), ids from 1; every conversation silent for 200 days."""
    conversations = (messages + PER_CONVERSATION - 1) // PER_CONVERSATION
    message_id = 0
    for cid in range(1, conversations + 1):
        last = OLD - timedelta(minutes=cid)
        count = min(PER_CONVERSATION, messages - message_id)
        conversation = (
            cid,
            "telegram",
            str(900_000 + cid),
            None,
            "lv",
            last - timedelta(minutes=count),
            last,
        )
        batch = []
        for i in range(count):
            message_id += 1
            batch.append(
                (
                    message_id,
                    cid,
                    "in" if i % 2 == 0 else "out",
                    "resident",
                    f"vecs teksts {message_id}",
                    "",
                    None,
                    last - timedelta(minutes=count - i),
                )
            )
        yield conversation, batch


CONVERSATION_COLUMNS = [
    "id",
    "channel",
    "contact",
    "resident_id",
    "language",
    "started_at",
    "last_message_at",
]
MESSAGE_COLUMNS = [
    "id",
    "conversation_id",
    "direction",
    "author",
    "text",
    "intent",
    "external_id",
    "created_at",
]


async def _load_postgres(url: str, messages: int) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            raw = (await connection.get_raw_connection()).driver_connection
            assert raw is not None
            conversations: list[tuple[Any, ...]] = []
            rows: list[tuple[Any, ...]] = []
            for conversation, batch in _rows(messages):
                conversations.append(conversation)
                rows.extend(batch)
                if len(rows) >= 200_000:
                    await raw.copy_records_to_table(
                        "conversations", records=conversations, columns=CONVERSATION_COLUMNS
                    )
                    await raw.copy_records_to_table("messages", records=rows, columns=MESSAGE_COLUMNS)
                    conversations, rows = [], []
            if rows:
                await raw.copy_records_to_table(
                    "conversations", records=conversations, columns=CONVERSATION_COLUMNS
                )
                await raw.copy_records_to_table("messages", records=rows, columns=MESSAGE_COLUMNS)
            for table in ("conversations", "messages"):
                await raw.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            await raw.execute("ANALYZE")
    finally:
        await engine.dispose()


def _sqlite_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # SQLAlchemy's SQLite format


def _load_sqlite(path: str, messages: int) -> None:
    with sqlite3.connect(path) as db:
        conversations: list[tuple[Any, ...]] = []
        rows: list[tuple[Any, ...]] = []

        def flush() -> None:
            db.executemany(
                f"INSERT INTO conversations ({', '.join(CONVERSATION_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(*c[:5], _sqlite_time(c[5]), _sqlite_time(c[6])) for c in conversations],
            )
            db.executemany(
                f"INSERT INTO messages ({', '.join(MESSAGE_COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(*m[:7], _sqlite_time(m[7])) for m in rows],
            )

        for conversation, batch in _rows(messages):
            conversations.append(conversation)
            rows.extend(batch)
            if len(rows) >= 200_000:
                flush()
                conversations, rows = [], []
        if rows:
            flush()
        db.execute("ANALYZE")


def _purge_process(url: str, invoice_dir: str, tuning: dict[str, int], results: Any) -> None:
    """The purge in its own process, as the jobs container runs it."""

    async def run() -> None:
        settings = load_settings(database_url=url, invoice_dir=Path(invoice_dir), **tuning)
        services = build_services(settings, matcher=dispatch.StubMatcher())
        from helpdesk.jobs.purge import purge

        try:
            started = time.perf_counter()
            report = await purge(services, settings.jobs, dry_run=False)
            results.put((time.perf_counter() - started, report.counts()))
        finally:
            await services.aclose()

    asyncio.run(run())


async def _load(
    services: Services, concurrency: int, inquiries: list[Inquiry], stop: Any = None
) -> list[float]:
    """Handle inquiries ``concurrency`` at a time: all of them, or round and round until ``stop()``."""
    latencies: list[float] = []
    position = 0

    async def worker() -> None:
        nonlocal position
        while True:
            if stop is None and position >= len(inquiries):
                return
            if stop is not None and stop():
                return
            inquiry = inquiries[position % len(inquiries)]
            position += 1
            started = time.perf_counter()
            await handle(inquiry, services)
            latencies.append(time.perf_counter() - started)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


def _p(latencies: list[float], q: int) -> float:
    return statistics.quantiles(latencies, n=100)[q - 1] * 1000


async def _checkpoints(settings: Settings) -> int:
    """PostgreSQL checkpoints so far (server-wide): one during a phase explains a p99 outlier, as the
    other engineers' test databases and the purge's own WAL both cause them."""
    if settings.storage.is_sqlite:
        return 0
    engine = create_async_engine(PG_ADMIN)
    try:
        async with engine.connect() as connection:
            value = await connection.scalar(
                text("SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter")
            )
            return int(value or 0)
    finally:
        await engine.dispose()


async def _measure(
    settings: Settings, concurrency: int, tuning: dict[str, int]
) -> tuple[list[float], list[float], float, dict[str, int], tuple[int, int]]:
    inquiries = dispatch._inquiries(IDLE_INQUIRIES)
    services = build_services(settings, matcher=dispatch.StubMatcher())
    try:
        await _load(services, concurrency, inquiries[:200])  # warm up: connections, caches
        before = await _checkpoints(settings)
        LOADS.append(os.getloadavg()[0])
        idle = await _load(services, concurrency, inquiries)
        between = await _checkpoints(settings)
        LOADS.append(os.getloadavg()[0])
        if settings.storage.is_sqlite:
            seconds, counts, during = await _purge_beside(services, settings, tuning, concurrency, inquiries)
        else:
            seconds, counts, during = await _purge_apart(settings, tuning, services, concurrency, inquiries)
        after = await _checkpoints(settings)
        LOADS.append(os.getloadavg()[0])
    finally:
        await services.aclose()
    return idle, during, seconds, counts, (between - before, after - between)


async def _purge_apart(
    settings: Settings, tuning: dict[str, int], services: Services, concurrency: int, inquiries: list[Inquiry]
) -> tuple[float, dict[str, int], list[float]]:
    """PostgreSQL: the purge in a process of its own, as the jobs container runs it."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(
        target=_purge_process,
        args=(settings.storage.database_url, str(settings.storage.invoice_dir), tuning, results),
    )
    process.start()
    during = await _load(services, concurrency, inquiries, stop=lambda: not process.is_alive())
    process.join()
    seconds, counts = results.get(timeout=5)
    return seconds, counts, during


async def _purge_beside(
    services: Services, settings: Settings, tuning: dict[str, int], concurrency: int, inquiries: list[Inquiry]
) -> tuple[float, dict[str, int], list[float]]:
    """SQLite: the purge in the handlers' own process and engine, as ``helpdesk run`` runs it there
    (one process only); its batches queue for the write lock in turn with the handlers' writes."""
    from helpdesk.jobs.purge import purge

    started = time.perf_counter()
    task = asyncio.create_task(purge(services, settings.replace(**tuning).jobs, dry_run=False))
    during = await _load(services, concurrency, inquiries, stop=task.done)
    report = await task
    return time.perf_counter() - started, report.counts(), during


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000, help="old messages to purge")
    parser.add_argument("--concurrency", type=int, default=8, help="handler calls at once")
    parser.add_argument("--backends", default="postgres,sqlite", help="comma-separated: postgres, sqlite")
    parser.add_argument(
        "--batch-size", type=int, help="rows per purge transaction (HELPDESK_PURGE_BATCH_SIZE)"
    )
    parser.add_argument("--pause-ms", type=int, help="pause between purge batches (HELPDESK_PURGE_PAUSE_MS)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per backend, each on a fresh database")
    args = parser.parse_args()
    tuning = {
        key: value
        for key, value in (("purge_batch_size", args.batch_size), ("purge_pause_ms", args.pause_ms))
        if value is not None
    }
    defaults = load_settings(**tuning)
    print(
        f"purge batches of {defaults.jobs.purge_batch_size} rows, {defaults.jobs.purge_pause_ms} ms pause; "
        f"handler concurrency {args.concurrency}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for backend in [b for b in args.backends.split(",") for _ in range(args.repeat)]:
            pg_name = f"helpdesk_bench_purge_{uuid.uuid4().hex[:8]}"
            if backend == "postgres":
                asyncio.run(dispatch._pg(f'CREATE DATABASE "{pg_name}"'))
                url = PG_ADMIN.rsplit("/", 1)[0] + "/" + pg_name
            else:
                sqlite_path = f"{tmp}/{pg_name}.db"
                url = f"sqlite+aiosqlite:///{sqlite_path}"
            try:
                settings = load_settings(database_url=url, invoice_dir=Path(tmp) / "invoices")
                upgrade(settings.storage.database_url)
                asyncio.run(dispatch._seed(settings))
                started = time.perf_counter()
                if backend == "postgres":
                    asyncio.run(_load_postgres(url, args.messages))
                else:
                    _load_sqlite(sqlite_path, args.messages)
                loaded = time.perf_counter() - started
                idle, during, seconds, counts, checkpoints = asyncio.run(
                    _measure(settings, args.concurrency, tuning)
                )
                rate = counts["messages"] / seconds
                print(
                    f"{backend:<9} loaded {args.messages:,} old messages in {loaded:.1f} s; purge deleted "
                    f"{counts['messages']:,} messages + {counts['conversations']:,} conversations in "
                    f"{seconds:.1f} s ({counts['batches']} batches, {rate:,.0f} messages/s)"
                )
                ratio = _p(during, 99) / _p(idle, 99)
                print(
                    f"{'':<9} handler latency, concurrency {args.concurrency}: "
                    f"idle p50 {_p(idle, 50):.1f} ms p99 {_p(idle, 99):.1f} ms ({len(idle)} calls); "
                    f"during purge p50 {_p(during, 50):.1f} ms p99 {_p(during, 99):.1f} ms "
                    f"({len(during)} calls); p99 ratio {ratio:.2f}"
                )
                print(
                    f"{'':<9} machine load (1-min average) at the start of the idle phase, of the purge "
                    f"and at its end: {', '.join(f'{load:.1f}' for load in LOADS[-3:])} "
                    f"({os.cpu_count()} CPUs; more than the CPUs means other work shared the machine)"
                )
                if backend == "postgres":
                    print(
                        f"{'':<9} server checkpoints: {checkpoints[0]} while idle, "
                        f"{checkpoints[1]} during the purge"
                    )
            finally:
                if backend == "postgres":
                    asyncio.run(dispatch._pg(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
