"""How many inquiries per second ``dispatch.handle`` serves, on SQLite and on PostgreSQL.

Each inquiry is a full unit of work: conversation look-up, two redacted messages, the handler's
queries (an invoice with its SHA-256 check, a consent status, a KB answer, or an escalation).
The matcher is a constant stub, so the figures are the foundation's cost, not the knowledge base's.

    .venv/bin/python benchmarks/dispatch_throughput.py [--n 600] [--concurrency 8]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import statistics
import tempfile
import time
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from helpdesk.app import build_services
from helpdesk.core.matching import Answer, Decision, Match
from helpdesk.core.types import Action, Channel, Inquiry
from helpdesk.handlers.dispatch import handle
from helpdesk.settings import Settings, load_settings
from helpdesk.storage.migrate import upgrade
from helpdesk.storage.repositories import invoices, links, residents

PG_ADMIN = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
RESIDENTS = 200


class StubMatcher:
    def match(self, text: str, language: str | None = None) -> Match:
        if text.startswith("?"):
            return Match(None, 20.0, Decision.ESCALATE, "lv")
        return Match("login-eid", 95.0, Decision.ANSWER, "lv")

    def answer(self, entry: str, language: str) -> Answer | None:
        return Answer(entry, language, "Pieslēgšanās", "Atveriet portālu un izvēlieties eID.")

    def detect_language(self, text: str, default: str) -> str:
        return default


def _inquiries(n: int) -> list[Inquiry]:
    result = []
    for i in range(n):
        user = 1000 + i % RESIDENTS
        resident = f"R-{i % RESIDENTS}"
        kind = i % 4
        base = {
            "channel": Channel.TELEGRAM,
            "sender": str(user),
            "resident_id": resident,
            "args": {"chat_type": "private"},
        }
        if kind == 0:
            result.append(Inquiry(**base, action=Action.INVOICE))  # type: ignore[arg-type]
        elif kind == 1:
            result.append(Inquiry(**base, action=Action.CONSENT_STATUS))  # type: ignore[arg-type]
        elif kind == 2:
            result.append(Inquiry(**base, text="kā pieslēgties ar eID? mans kods 010180-12345"))  # type: ignore[arg-type]
        else:
            result.append(Inquiry(**base, text="? kāpēc rēķins ir tik liels"))  # type: ignore[arg-type]
    return result


async def _seed(settings: Settings) -> None:
    services = build_services(settings, matcher=StubMatcher())
    settings.storage.invoice_dir.mkdir(parents=True, exist_ok=True)
    content = b"%PDF-1.4\n" + b"x" * 60_000 + b"\n%%EOF\n"
    digest = hashlib.sha256(content).hexdigest()
    (settings.storage.invoice_dir / "inv.pdf").write_bytes(content)
    async with services.sessions() as session, session.begin():
        for i in range(RESIDENTS):
            await residents.upsert(
                session, resident_id=f"R-{i}", name=f"Vārds Uzvārds{i}", address=f"Iela {i}-1"
            )
            await invoices.upsert(
                session,
                invoice_id=f"INV-{i}",
                resident_id=f"R-{i}",
                period="2026-10",
                amount=Decimal("54.20"),
                currency="EUR",
                due_date=date(2026, 11, 20),
                file_path="inv.pdf",
                sha256=digest,
                size=len(content),
            )
            await links.bind(
                session,
                resident_id=f"R-{i}",
                telegram_user_id=1000 + i,
                chat_id=1000 + i,
                language="lv",
                now=services.clock(),
            )
    await services.aclose()


async def _run(settings: Settings, n: int, concurrency: int) -> tuple[float, list[float]]:
    services = build_services(settings, matcher=StubMatcher())
    queue = _inquiries(n)
    latencies: list[float] = []
    semaphore = asyncio.Semaphore(concurrency)

    async def one(inquiry: Inquiry) -> None:
        async with semaphore:
            started = time.perf_counter()
            await handle(inquiry, services)
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one(inquiry) for inquiry in queue))
    elapsed = time.perf_counter() - started
    await services.aclose()
    return elapsed, latencies


async def _pg(statement: str) -> None:
    engine = create_async_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(statement))
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pg_name = f"helpdesk_bench_{uuid.uuid4().hex[:8]}"
        asyncio.run(_pg(f'CREATE DATABASE "{pg_name}"'))
        try:
            for label, url in (
                ("sqlite", f"sqlite+aiosqlite:///{tmp}/bench.db"),
                ("postgres", PG_ADMIN.rsplit("/", 1)[0] + "/" + pg_name),
            ):
                settings = load_settings(database_url=url, invoice_dir=Path(tmp) / "invoices")
                upgrade(settings.storage.database_url)
                asyncio.run(_seed(settings))
                elapsed, latencies = asyncio.run(_run(settings, args.n, args.concurrency))
                quantiles = statistics.quantiles(latencies, n=20)
                print(
                    f"{label:<9} {args.n} inquiries, concurrency {args.concurrency}: "
                    f"{args.n / elapsed:7.1f}/s, "
                    f"p50 {statistics.median(latencies) * 1000:6.1f} ms, p95 {quantiles[18] * 1000:6.1f} ms"
                )
        finally:
            asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
