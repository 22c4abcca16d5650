"""Telegram bot throughput, end to end, against the fake Bot API server.

    .venv/bin/python benchmarks/telegram_throughput.py [--updates 3000] [--users 200]
        [--backends sqlite,postgres] [--redis URL] [--instances N] [--concurrency 64] [--timeout 120]
        [--profile] [--profile-dump PREFIX] [--stub-matcher]

The fake Bot API (tests/bot/fake_api.py) runs in its own process, as Telegram would be remote.
For each backend the script seeds residents, linked Telegram users and invoice PDFs, queues a mixed
load in the fake server (40 % FAQ questions in LV/RU/EN through the real knowledge matcher, 30 %
"/invoice" → text + PDF document, 30 % consent: one-tap withdrawal buttons and "/news" status) and
lets the real bot (real handlers, real database) drain it by long polling (getUpdates batches of
100). The clock stops when the fake server has received every reply the load implies; every wait is
bounded (``--timeout``) and a run that does not complete says which replies are missing instead of
waiting forever. A run in which the bot logged an error or a resident got an apology is reported as
failed, not as a figure. A bare aiogram echo bot drains the same number of text updates from the
same server in the same run, and so does a bare aiogram bot that makes exactly the helpdesk's Bot
API calls for this load and nothing else: the ceiling for any aiogram bot here, from which the
script prints how many milliseconds per update the targets leave for the helpdesk's own work.
``--instances N`` measures the several-instances shape instead of the backends: N webhook processes
on PostgreSQL with FSM state and per-chat locks in Redis, the script posting each update to the
next one as Telegram and a load balancer would. It also times the shared handlers alone (no
Telegram) and the CPU the bot process spent per update, so the report says where the time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import hashlib
import logging
import multiprocessing
import os
import pstats
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import Command
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from helpdesk.app import build_services
from helpdesk.bot.factory import build_bot, build_dispatcher, build_storage, pin_response_types
from helpdesk.core.matching import Answer, Decision, Match
from helpdesk.core.types import Action, Channel, Inquiry
from helpdesk.handlers.dispatch import handle
from helpdesk.ops.lifecycle import freeze_startup_heap
from helpdesk.services import Services
from helpdesk.settings import load_settings
from helpdesk.storage.migrate import upgrade
from helpdesk.storage.repositories import invoices, links, residents
from tests.bot.fake_api import FakeTelegram, callback, message

TOKEN = "4242:BENCH-token-for-the-fake-bot-api-0000"
PG_ADMIN = os.environ.get("HELPDESK_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
CONCURRENCY = 64
USER_BASE = 10_000_000
TIMEOUT = 120.0
ECHO_CPU_MS = [0.0]
LAST_CPU = [0.0]  # CPU seconds this process spent in the last drain (the bot's side, not the fake's)
LAST_OTHER: dict[str, float] = {}  # CPU seconds PostgreSQL and the fake server spent in the last drain


class Incomplete(Exception):
    """The bot did not produce every expected reply within the timeout."""


class Problems(logging.Handler):
    """Counts warnings and errors the bot and the handlers log during a run (an apology is logged)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: dict[str, int] = {}

    def emit(self, record: logging.LogRecord) -> None:
        kind = f"{record.name}: {record.getMessage()[:90]}"
        if record.exc_info and record.exc_info[1] is not None:
            kind += f" [{type(record.exc_info[1]).__name__}: {str(record.exc_info[1])[:80]}]"
        self.seen[kind] = self.seen.get(kind, 0) + 1


#: Real residents' questions the shipped knowledge base answers (LV, RU, EN), so the FAQ part of the
#: load runs the real matcher and an answer, not an escalation.
FAQ_QUESTIONS = (
    "kā pieslēgties",
    "Kā es varu pieslēgties portālam ar eID?",
    "kā samaksāt rēķinu internetā",
    "kā nodot skaitītāja rādījumus",
    "как оплатить счёт онлайн",
    "как подать показания счётчика",
    "how do I pay my invoice online",
    "how do I submit meter readings",
    "kā reģistrēties portālā",
)


class BenchMatcher:
    """``--stub-matcher``: a stand-in with a fixed cost, to see the bot and storage without the
    knowledge base (which has its own benchmark). The default is the real matcher."""

    def match(self, text: str, language: str | None = None) -> Match:
        if text in FAQ_QUESTIONS:
            return Match("login-eid", 92.0, Decision.ANSWER, "lv")
        return Match(None, 10.0, Decision.ESCALATE, language or "lv")

    def answer(self, entry: str, language: str) -> Answer | None:
        return Answer("login-eid", "lv", "Pieslēgšanās ar eID", "Atveriet portālu un izvēlieties eID.")

    def detect_language(self, text: str, default: str) -> str:
        return default


# ---------------------------------------------------------------- the fake server, in its own process
def _serve(queue: Any) -> None:
    async def main() -> None:
        fake = FakeTelegram(TOKEN)
        fake.record = False
        queue.put(await fake.start())
        await asyncio.Event().wait()

    asyncio.run(main())


WEBHOOK_SECRET = "bench-webhook-secret-000000"
BENCH_SECRET = "bench-key-Wq4xN8tR2kZp7LmB3vYc9HdF"  # HELPDESK_SECRET_KEY must look random


def _instance(database_url: str, redis_url: str, api_base: str, invoice_dir: str, queue: Any) -> None:
    """One webhook instance, as ``helpdesk bot`` runs behind a load balancer: the real dispatcher,
    FSM state and per-chat lock in Redis, the shared database; it reports its port, then serves."""

    async def main() -> None:
        from aiohttp import web

        from helpdesk.bot.webhook import create_webhook_app

        settings = load_settings(
            database_url=database_url,
            invoice_dir=Path(invoice_dir),
            secret_key=BENCH_SECRET,
            telegram_token=TOKEN,
            telegram_api_base=api_base,
            redis_url=redis_url,
            webhook_url="https://bench.invalid/telegram/webhook",
            webhook_secret=WEBHOOK_SECRET,
        )
        services = build_services(settings)
        bot = build_bot(settings.telegram)
        storage, isolation = await build_storage(settings.telegram)
        dispatcher = build_dispatcher(services, storage=storage, isolation=isolation)
        freeze_startup_heap()
        runner = web.AppRunner(create_webhook_app(dispatcher, bot, settings.telegram), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        queue.put(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


class Instances:
    """``--instances N``: N webhook processes; this process plays Telegram and the load balancer,
    posting each update to the next instance in turn, at most ``CONCURRENCY`` at a time (Telegram
    keeps up to 40 connections per bot by default), and waiting for the answer as Telegram does."""

    def __init__(
        self, count: int, database_url: str, redis_url: str, api_base: str, invoice_dir: Path
    ) -> None:
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        where = (database_url, redis_url, api_base, str(invoice_dir), queue)
        self.processes = [context.Process(target=_instance, args=where, daemon=True) for _ in range(count)]
        for process in self.processes:
            process.start()
        self.urls = [f"http://127.0.0.1:{queue.get(timeout=120)}/telegram/webhook" for _ in self.processes]

    def cpu_seconds(self) -> float:
        total = 0.0
        for process in self.processes:
            with contextlib.suppress(OSError):
                total += _proc_cpu_seconds(Path(f"/proc/{process.pid}/stat").read_text())
        return total

    async def deliver(self, updates: list[dict[str, Any]], first_id: int) -> None:
        semaphore = asyncio.Semaphore(CONCURRENCY)
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        async with aiohttp.ClientSession() as client:

            async def post(number: int, update: dict[str, Any]) -> None:
                async with semaphore:
                    body = {"update_id": first_id + number, **update}
                    url = self.urls[number % len(self.urls)]
                    async with client.post(url, json=body, headers=headers) as response:
                        await response.read()
                        if response.status != 200:
                            raise Incomplete(f"an instance answered {response.status} to an update")

            await asyncio.gather(*(post(n, u) for n, u in enumerate(updates)))

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.join(5)


class FakeServer:
    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        self.process = context.Process(target=_serve, args=(queue,), daemon=True)
        self.process.start()
        self.url: str = queue.get(timeout=60)

    async def push(self, client: aiohttp.ClientSession, updates: list[dict[str, Any]]) -> None:
        for start in range(0, len(updates), 1000):
            async with client.post(
                f"{self.url}/control/push", json=updates[start : start + 1000]
            ) as response:
                response.raise_for_status()

    async def stats(self, client: aiohttp.ClientSession) -> dict[str, int]:
        async with client.get(f"{self.url}/control/stats") as response:
            return dict(await response.json())

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(5)


def _proc_cpu_seconds(stat: str) -> float:
    """utime + stime from a /proc/<pid>/stat line (the command name may contain spaces)."""
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def other_cpu(server: FakeServer) -> dict[str, float]:
    """CPU seconds so far of the local PostgreSQL server's processes and of the fake Bot API, read
    from /proc (Linux), so the report can say what one update costs the whole machine."""
    totals = {"postgres": 0.0, "fake": 0.0}
    process = getattr(server, "process", None)  # None: a fake in this process (the harness tests)
    fake_pid = process.pid if process is not None else None
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        if int(entry.name) == fake_pid:
            totals["fake"] += _proc_cpu_seconds(stat)
        elif stat.split("(", 1)[1].rsplit(")", 1)[0] == "postgres":
            totals["postgres"] += _proc_cpu_seconds(stat)
    return totals


# ---------------------------------------------------------------- load
def mixed_load(count: int, users: int) -> tuple[list[dict[str, Any]], dict[str, int]]:
    updates: list[dict[str, Any]] = []
    expected = {"sendMessage": 0, "sendDocument": 0}
    for i in range(count):
        user = USER_BASE + i % users
        kind = i % 10
        if kind < 4:
            updates.append(message(user, FAQ_QUESTIONS[i % len(FAQ_QUESTIONS)]))
        elif kind < 7:
            updates.append(message(user, "/invoice"))
            expected["sendDocument"] += 1  # the PDF, captioned with the reply, with its buttons
            continue
        elif kind < 9:
            updates.append(callback(user, "a:cw:::"))
        else:
            updates.append(message(user, "/news"))
        expected["sendMessage"] += 1
    return updates, expected


async def until_replied(
    server: FakeServer,
    client: aiohttp.ClientSession,
    before: dict[str, int],
    expected: dict[str, int],
    started: float,
    count: int,
    polling: asyncio.Task[None] | None = None,
) -> None:
    """Return once the fake has received every reply ``expected`` since ``before``. Raises
    :class:`Incomplete`, naming what is missing, ``TIMEOUT`` s after ``started``, or at once when the
    bot's ``polling`` task stopped early."""
    while True:
        now = await server.stats(client)
        got = {m: now.get(m, 0) - before.get(m, 0) for m in expected}
        if all(got[m] >= n for m, n in expected.items()):
            return
        if polling is not None and polling.done():
            polling.result()
            raise Incomplete("polling stopped early")
        if time.perf_counter() - started > TIMEOUT:
            missing = ", ".join(
                f"{m} {got[m]}/{n} ({n - got[m]} missing)" for m, n in expected.items() if got[m] < n
            )
            raise Incomplete(
                f"after {TIMEOUT:.0f} s of {count} updates: {missing}; "
                f"{now.get('pending', 0)} updates not yet fetched by the bot"
            )
        await asyncio.sleep(0.01)


async def drain(
    server: FakeServer,
    bot: Bot,
    dispatcher: Dispatcher,
    updates: list[dict[str, Any]],
    expected: dict[str, int],
) -> float:
    """Queue the updates, poll them with the bot, return seconds until every expected reply arrived.

    Raises :class:`Incomplete` (naming what is missing) when they have not all arrived in ``TIMEOUT``.
    """
    async with aiohttp.ClientSession() as client:
        before = await server.stats(client)
        await server.push(client, updates)
        started = time.perf_counter()
        cpu_started = time.process_time()
        other_started = other_cpu(server)
        task = asyncio.create_task(
            dispatcher.start_polling(
                bot,
                handle_signals=False,
                close_bot_session=False,
                polling_timeout=1,
                tasks_concurrency_limit=CONCURRENCY,
            )
        )
        try:
            await until_replied(server, client, before, expected, started, len(updates), task)
            elapsed = time.perf_counter() - started
            LAST_CPU[0] = time.process_time() - cpu_started
            other = other_cpu(server)
            LAST_OTHER.update({k: other[k] - other_started[k] for k in other})
        finally:
            if not task.done():
                await dispatcher.stop_polling()
            await asyncio.wait_for(task, 30)
    return elapsed


# ---------------------------------------------------------------- where the time goes
PACKAGES = (
    "sqlalchemy",
    "asyncpg",
    "aiosqlite",
    "aiogram",
    "aiohttp",
    "pydantic",
    "asyncio",
    "helpdesk",
    "babel",
)


def print_breakdown(name: str, stats: pstats.Stats) -> None:
    """CPU time (tottime) of the bot run grouped by the package the code lives in."""
    totals: dict[str, float] = {}
    for (filename, _line, _function), row in stats.stats.items():  # type: ignore[attr-defined]
        package = next((p for p in PACKAGES if f"/{p}/" in filename), "other (stdlib, C, sockets)")
        totals[package] = totals.get(package, 0.0) + row[2]
    whole = sum(totals.values())
    print(f"--- CPU time by package, bot run on {name} ({whole:.1f} s under cProfile)")
    for package, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"    {package:<28} {seconds / whole:6.1%}")


# ---------------------------------------------------------------- database
async def seed(services: Services, users: int, invoice_dir: Path) -> None:
    invoice_dir.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    async with services.sessions() as session, session.begin():
        for n in range(users):
            rid = f"R-{n:05d}"
            await residents.upsert(
                session,
                resident_id=rid,
                name="Jānis Bērziņš",
                address="Brīvības iela 1-5, Rīga",
                invoice_email=f"r{n}@example.lv",
                language="lv",
            )
            data = b"%PDF-1.4\n" + rid.encode() * 200 + b"\n%%EOF\n"
            (invoice_dir / f"{rid}.pdf").write_bytes(data)
            await invoices.upsert(
                session,
                invoice_id=f"INV-{rid}",
                resident_id=rid,
                period="2026-10",
                amount=Decimal("54.20"),
                currency="EUR",
                due_date=date(2026, 11, 20),
                file_path=f"{rid}.pdf",
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
            )
            await links.bind(
                session,
                resident_id=rid,
                telegram_user_id=USER_BASE + n,
                chat_id=USER_BASE + n,
                language="lv",
                now=now,
            )


async def forget_storage(storage: BaseStorage, bot_id: int) -> None:
    """Drop the benchmark bot's FSM keys from Redis (its own bot id: nobody else's keys)."""
    if isinstance(storage, RedisStorage):
        keys = [key async for key in storage.redis.scan_iter(f"helpdesk-fsm:{bot_id}:*")]
        if keys:
            await storage.redis.delete(*keys)
    await storage.close()


async def pg_admin(statement: str) -> None:
    engine = create_async_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


@contextlib.asynccontextmanager
async def bench_database(backend: str, workdir: Path) -> AsyncIterator[str]:
    """A migrated database of its own for one run: a SQLite file in ``workdir``, or a PostgreSQL
    database that is dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        yield url
        return
    dbname = f"helpdesk_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    await pg_admin(f'CREATE DATABASE "{dbname}"')
    try:
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + dbname
        await asyncio.to_thread(upgrade, url)
        yield url
    finally:
        await pg_admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


async def handlers_alone(services: Services, updates: int, users: int) -> float:
    """The shared handlers without Telegram: same mix, same concurrency."""
    semaphore = asyncio.Semaphore(CONCURRENCY)

    async def one(i: int) -> None:
        user = USER_BASE + i % users
        kind = i % 10
        action = (
            None
            if kind < 4
            else Action.INVOICE
            if kind < 7
            else Action.CONSENT_WITHDRAW
            if kind < 9
            else Action.CONSENT_STATUS
        )
        inquiry = Inquiry(
            channel=Channel.TELEGRAM,
            sender=str(user),
            reply_to=str(user),
            text=FAQ_QUESTIONS[i % len(FAQ_QUESTIONS)],
            resident_id=f"R-{i % users:05d}",
            action=action,
            args={"chat_type": "private"},
            message_id=f"tg:{user}:{i}",
        )
        async with semaphore:
            await handle(inquiry, services)

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(updates)))
    return time.perf_counter() - started


async def run_backend(
    name: str, server: FakeServer, args: argparse.Namespace, workdir: Path
) -> dict[str, float]:
    async with bench_database(name, workdir) as url:
        settings = load_settings(
            database_url=url,
            invoice_dir=workdir / f"invoices-{name}",
            secret_key=BENCH_SECRET,
            telegram_token=TOKEN,
            telegram_api_base=server.url,
            redis_url=args.redis,
        )
        services = build_services(settings, matcher=BenchMatcher() if args.stub_matcher else None)
        bot = build_bot(settings.telegram)
        # --redis: the several-instances shape (FSM state and the per-chat lock in Redis)
        storage, isolation = await build_storage(settings.telegram)
        try:
            await seed(services, args.users, settings.storage.invoice_dir)
            dispatcher = build_dispatcher(services, storage=storage, isolation=isolation)
            freeze_startup_heap()  # as helpdesk bot does once it is built
            warm, warm_expected = mixed_load(min(500, args.updates), args.users)
            await drain(server, bot, dispatcher, warm, warm_expected)  # uploads each PDF once, warms pools
            updates, expected = mixed_load(args.updates, args.users)
            profiler = cProfile.Profile() if args.profile else None
            if profiler:
                profiler.enable()
            elapsed = await drain(server, bot, dispatcher, updates, expected)
            cpu = LAST_CPU[0]
            machine = dict(LAST_OTHER)
            if profiler:
                profiler.disable()
                stats = pstats.Stats(profiler)
                print_breakdown(name, stats)
                if args.profile_dump:
                    stats.dump_stats(f"{args.profile_dump}.{name}")
            cpu_started = time.process_time()
            alone = await asyncio.wait_for(handlers_alone(services, args.updates, args.users), TIMEOUT)
            alone_cpu = time.process_time() - cpu_started
        finally:
            await bot.session.close()
            await services.aclose()
            await forget_storage(storage, bot.id)
        return {
            "bot": args.updates / elapsed,
            "handlers": args.updates / alone,
            "cpu_ms": cpu * 1000 / args.updates,
            "handlers_cpu_ms": alone_cpu * 1000 / args.updates,
            "postgres_cpu_ms": machine["postgres"] * 1000 / args.updates,
            "fake_cpu_ms": machine["fake"] * 1000 / args.updates,
        }


async def run_instances(server: FakeServer, args: argparse.Namespace, workdir: Path) -> dict[str, float]:
    """The several-instances shape on PostgreSQL and Redis: seed, start ``--instances`` webhook
    processes, deliver a warm-up and then the measured load through them."""
    redis_url = args.redis or "redis://127.0.0.1:6379/0"
    instances: Instances | None = None
    async with bench_database("postgres", workdir) as url:
        try:
            invoice_dir = workdir / "invoices-instances"
            settings = load_settings(
                database_url=url, invoice_dir=invoice_dir, secret_key=BENCH_SECRET, telegram_token=TOKEN
            )
            services = build_services(settings, matcher=BenchMatcher())
            try:
                await seed(services, args.users, invoice_dir)
            finally:
                await services.aclose()
            instances = Instances(args.instances, url, redis_url, server.url, invoice_dir)
            next_id = 1
            rates: dict[str, float] = {}
            for count in (min(500, args.updates), args.updates):  # a warm-up, then the measured load
                updates, expected = mixed_load(count, args.users)
                async with aiohttp.ClientSession() as client:
                    before = await server.stats(client)
                    started = time.perf_counter()
                    cpu = (time.process_time(), instances.cpu_seconds(), other_cpu(server))
                    await asyncio.wait_for(instances.deliver(updates, next_id), TIMEOUT)
                    next_id += count
                    # The last replies may still be on their way to the fake.
                    await until_replied(server, client, before, expected, started, count)
                    elapsed = time.perf_counter() - started
                    other = other_cpu(server)
                rates = {
                    "bot": count / elapsed,
                    "cpu_ms": (instances.cpu_seconds() - cpu[1]) * 1000 / count,
                    "sender_cpu_ms": (time.process_time() - cpu[0]) * 1000 / count,
                    "postgres_cpu_ms": (other["postgres"] - cpu[2]["postgres"]) * 1000 / count,
                    "fake_cpu_ms": (other["fake"] - cpu[2]["fake"]) * 1000 / count,
                }
            return rates
        finally:
            if instances is not None:
                instances.stop()
            await forget_storage(RedisStorage.from_url(redis_url), int(TOKEN.split(":")[0]))


async def echo_rate(server: FakeServer, count: int) -> float:
    router = Router()

    @router.message()
    async def echo(message: Message, bot: Bot) -> None:
        await bot.send_message(message.chat.id, message.text or "")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    freeze_startup_heap()  # the same start-up treatment as the helpdesk bot
    pin_response_types()  # the helpdesk bot's fix for pydantic's weak generic cache: the echo gets it too
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(server.url)))
    updates = [message(USER_BASE + i % 200, f"echo {i}") for i in range(count)]
    warm = updates[:500]
    await drain(server, bot, dispatcher, warm, {"sendMessage": len(warm)})
    elapsed = await drain(server, bot, dispatcher, updates, {"sendMessage": count})
    await bot.session.close()
    ECHO_CPU_MS[0] = LAST_CPU[0] * 1000 / count
    return count / elapsed


async def floor_rate(server: FakeServer, count: int, users: int) -> tuple[float, float]:
    """A bare aiogram bot that makes the helpdesk's Bot API calls for the same load and nothing else
    (no database, no handlers): a captioned PDF by file_id with two buttons for "/invoice", the
    answer to a button plus a message, a message with two buttons for the rest. No bot built on
    aiogram can answer this load faster on this machine, so it bounds what the targets can mean.
    Returns (updates/s, bot process CPU ms per update)."""
    router = Router()
    file_ids: dict[int, str] = {}
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [
                InlineKeyboardButton(text="Visi rēķini", callback_data="a:il:::"),
                InlineKeyboardButton(text="Izvēlne", callback_data="a:m:::"),
            ]
        ]
    )

    @router.message(Command("invoice"))  # a Filter, as in the helpdesk: a magic F filter runs in a thread
    async def invoice(message: Message, bot: Bot) -> None:
        chat = message.chat.id
        caption = "Lūdzu, jūsu rēķins.\nRēķins par 2026-10: 54,20 €, apmaksāt līdz 20.11.2026."
        known = file_ids.get(chat)
        if known:
            await bot.send_document(chat, known, caption=caption, reply_markup=markup)
            return
        upload = BufferedInputFile(b"%PDF-1.4\n" + str(chat).encode() * 200 + b"\n%%EOF\n", "r.pdf")
        sent = await bot.send_document(chat, upload, caption=caption, reply_markup=markup)
        if sent.document is not None:
            file_ids[chat] = sent.document.file_id

    @router.message()
    async def answer(message: Message, bot: Bot) -> None:
        await bot.send_message(message.chat.id, "Atbilde uz jautājumu.", reply_markup=markup)

    @router.callback_query()
    async def button(query: CallbackQuery, bot: Bot) -> None:
        await query.answer()
        await bot.send_message(query.from_user.id, "Jūs vairs nesaņemsiet jaunumus.", reply_markup=markup)

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    freeze_startup_heap()  # the same start-up treatment as the helpdesk bot
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(server.url)))
    warm, warm_expected = mixed_load(min(500, count), users)
    await drain(server, bot, dispatcher, warm, warm_expected)
    updates, expected = mixed_load(count, users)
    elapsed = await drain(server, bot, dispatcher, updates, expected)
    await bot.session.close()
    return count / elapsed, LAST_CPU[0] * 1000 / count


def budget_ms(target: float, floor: float) -> float:
    """Milliseconds per update left for the helpdesk's own work at ``target`` updates/s, when the
    bare bot needs ``1/floor`` s per update (one event loop, CPU-bound: time adds up)."""
    return (1 / target - 1 / floor) * 1000


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument(
        "--instances",
        type=int,
        default=0,
        metavar="N",
        help="N webhook instances on PostgreSQL and Redis, updates posted to them in turn (not --backends)",
    )
    parser.add_argument(
        "--redis", metavar="URL", help="FSM storage and per-chat lock in Redis, as with several instances"
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the bot runs")
    parser.add_argument("--profile-dump", metavar="PREFIX", help="with --profile: write pstats files")
    parser.add_argument(
        "--stub-matcher", action="store_true", help="a fixed-cost stand-in for the knowledge matcher"
    )
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY, help="updates handled at once")
    parser.add_argument(
        "--timeout", type=float, default=TIMEOUT, help="seconds one run may take before it is reported"
    )
    args = parser.parse_args()
    globals()["CONCURRENCY"] = args.concurrency
    globals()["TIMEOUT"] = args.timeout
    problems = Problems()
    logging.getLogger().addHandler(problems)
    failed = False
    server = FakeServer()
    try:
        echo = await echo_rate(server, args.updates)
        print(
            f"echo bot (bare aiogram):        {echo:8.0f} updates/s  "
            f"(bot process CPU {ECHO_CPU_MS[0]:.2f} ms/update)"
        )
        floor, floor_cpu = await floor_rate(server, args.updates, args.users)
        print(
            f"bare bot, the helpdesk's calls: {floor:8.0f} updates/s  ({floor / echo:.2f} x echo)   "
            f"(bot process CPU {floor_cpu:.2f} ms/update; no database, no handlers)"
        )
        print(
            f"    left per update for the helpdesk's own work: at 1,000/s {budget_ms(1000, floor):+.2f} ms, "
            f"at 0.5 x echo ({echo / 2:.0f}/s) {budget_ms(echo / 2, floor):+.2f} ms"
        )
        with tempfile.TemporaryDirectory() as tmp:
            if args.instances:
                try:
                    rates = await run_instances(server, args, Path(tmp))
                except Incomplete as exc:
                    print(f"helpdesk bot, {args.instances} webhook instances: INCOMPLETE: {exc}")
                    failed = True
                else:
                    print(
                        f"helpdesk bot, {args.instances} webhook instance(s), PostgreSQL + Redis: "
                        f"{rates['bot']:8.0f} updates/s  ({rates['bot'] / echo:.2f} x echo)"
                    )
                    print(
                        f"    machine CPU per update: instances {rates['cpu_ms']:.2f} ms + PostgreSQL "
                        f"{rates['postgres_cpu_ms']:.2f} ms + fake Bot API {rates['fake_cpu_ms']:.2f} ms "
                        f"+ this process posting the updates {rates['sender_cpu_ms']:.2f} ms"
                    )
            for backend in args.backends.split(",") if not args.instances else ():
                problems.seen.clear()
                try:
                    rates = await run_backend(backend, server, args, Path(tmp))
                except Incomplete as exc:
                    print(f"helpdesk bot, {backend:<9}: INCOMPLETE: {exc}")
                    failed = True
                else:
                    print(
                        f"helpdesk bot, {backend:<9}:        {rates['bot']:8.0f} updates/s  "
                        f"({rates['bot'] / echo:.2f} x echo)   "
                        f"handlers alone: {rates['handlers']:8.0f} inquiries/s   "
                        f"(CPU per update: bot {rates['cpu_ms']:.2f} ms, "
                        f"handlers alone {rates['handlers_cpu_ms']:.2f} ms)"
                    )
                    whole = rates["cpu_ms"] + rates["postgres_cpu_ms"] + rates["fake_cpu_ms"]
                    print(
                        f"    machine CPU per update: bot {rates['cpu_ms']:.2f} ms + PostgreSQL "
                        f"{rates['postgres_cpu_ms']:.2f} ms + fake Bot API {rates['fake_cpu_ms']:.2f} ms "
                        f"= {whole:.2f} ms: 1,000 updates/s needs {whole:.1f} cores of this machine "
                        f"(it has {os.cpu_count()}), bot processes alone {rates['cpu_ms']:.1f}"
                    )
                if problems.seen:
                    failed = True
                    print(f"    FAILED: the bot logged {sum(problems.seen.values())} warning(s)/error(s):")
                    for kind, count in sorted(problems.seen.items(), key=lambda item: -item[1])[:8]:
                        print(f"    {count:6d} x {kind}")
    finally:
        server.stop()
    print(
        f"mixed load: {args.updates} updates, {args.users} linked users, concurrency {CONCURRENCY}, "
        f"{'stub' if args.stub_matcher else 'real knowledge'} matcher, "
        f"fake Bot API in a separate process, "
        + (
            f"{args.instances} webhook instance(s) with FSM state and locks in Redis"
            if args.instances
            else f"long polling (getUpdates batches of 100), FSM {'in Redis' if args.redis else 'in memory'}"
        )
    )
    if failed:
        raise SystemExit(1)


if __name__ == "__main__":
    asyncio.run(main())
