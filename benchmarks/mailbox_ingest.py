"""Mailbox ingestion rate: N mails APPENDed to a real Dovecot, processed end to end by the poller
(parse, loop rules, identity, dispatch.handle, reply queued in the outbox, exactly-once record,
UID MOVE to Processed), next to a raw aioimaplib fetch of the same mails in the same run (the
ceiling: what the IMAP side alone costs). Prints both rates and their ratio (target >= 0.5), and,
apart from the ratio, how fast the queued answers then leave over SMTP to a local aiosmtpd sink.

The mix: Latvian/Russian/English questions from 300 residents (FAQ answers and escalations),
invoice requests (a reply plus a separate document mail), unknown senders, auto-replies, bounces.

    .venv/bin/python benchmarks/mailbox_ingest.py [--n 2000] [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the Dovecot launcher and fixtures live with the tests

import aioimaplib  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from helpdesk.app import build_services, mail_config  # noqa: E402
from helpdesk.mailbox.imap_client import parse_fetch, uid_set  # noqa: E402
from helpdesk.mailbox.poller import run_mailbox  # noqa: E402
from helpdesk.mailbox.smtp_sender import deliver_due  # noqa: E402
from helpdesk.storage.migrate import upgrade  # noqa: E402
from helpdesk.storage.models.delivery import InboundMail, OutboxMessage  # noqa: E402
from tests.mailbox.conftest import AUTHSERV, MailMatcher, SmtpSink, mail_settings, seed_writers  # noqa: E402
from tests.mailbox.dovecot import PASSWORD, Dovecot, free_port  # noqa: E402

PG_ADMIN = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"

RESIDENTS = 300  # distinct writers, as in a real support mailbox
_BODIES = (
    ("resident", "Parole", "Labdien, aizmirsu paroli. Ko darīt?\n\nAr cieņu, Jānis"),
    ("resident", "Пароль", "Здравствуйте, забыл пароль.\n\nОтправлено с iPhone"),
    ("resident", "Password", "Hello, I forgot my password. What should I do?"),
    ("janis@example.lv", "Rēķins", "Labdien, lūdzu atsūtiet rēķinu."),
    ("resident", "Вопрос", "Здравствуйте, когда будет перерасчёт за отопление?"),
    ("stranger", "Question", "Hello, where is the invoice of my neighbour?"),
    ("resident", "Automatic reply: Password", "I am out of the office."),
    ("MAILER-DAEMON@mx.example.lv", "Undelivered Mail", "Delivery failed."),
)


def _sender(kind: str, index: int) -> str:
    if kind == "resident":
        return f"r{index % RESIDENTS}@example.lv"
    if kind == "stranger":
        return f"stranger{index % 97}@example.org"
    return kind


def _mails(n: int) -> list[bytes]:
    result = []
    for index in range(n):
        kind, subject, body = _BODIES[index % len(_BODIES)]
        sender = _sender(kind, index)
        message = EmailMessage()
        message["From"] = sender
        message["To"] = "info@klientiem.test"
        message["Subject"] = subject
        message["Message-ID"] = f"<bench-{index}-{uuid.uuid4().hex[:8]}@example.lv>"
        message["Authentication-Results"] = f"{AUTHSERV}; spf=pass; dkim=pass; dmarc=pass"
        message.set_content(f"{body}\n\n#{index}")
        result.append(message.as_bytes())
    return result


async def _client(port: int, user: str) -> aioimaplib.IMAP4:
    client = aioimaplib.IMAP4(host="127.0.0.1", port=port, timeout=60)
    await client.wait_hello_from_server()
    await client.login(user, PASSWORD)
    return client


async def _append(port: int, user: str, mails: list[bytes]) -> None:
    client = await _client(port, user)
    for raw in mails:
        await client.append(raw, mailbox="INBOX")
    await client.logout()


async def _raw_fetch(port: int, user: str, chunk: int) -> tuple[int, float]:
    """The ceiling: log in, search, fetch every mail with BODY.PEEK[] in the same chunks."""
    started = time.perf_counter()
    client = await _client(port, user)
    await client.select("INBOX")
    found = await client.uid_search("UID 1:*", charset=None)
    uids = [int(part) for line in found.lines[:-1] for part in line.split() if part.isdigit()]
    fetched = 0
    for start in range(0, len(uids), chunk):
        response = await client.uid("fetch", uid_set(uids[start : start + chunk]), "(UID BODY.PEEK[])")
        fetched += len(parse_fetch(response.lines))
    await client.logout()
    return fetched, time.perf_counter() - started


async def _pg(statement: str) -> None:
    engine = create_async_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _one_backend(
    name: str, database_url: str, dovecot: Dovecot, n: int, concurrency: int
) -> dict[str, float]:
    user = dovecot.add_user()
    sink = SmtpSink()
    smtp_port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    work = Path(tempfile.mkdtemp(prefix="mailbox-bench-"))
    settings = mail_settings(
        database_url,
        work,
        imap_port=dovecot.port,
        user=user,
        smtp_port=smtp_port,
        mail_replies_per_sender_per_hour=1_000_000,
        mail_concurrency=concurrency,
    )
    services = build_services(settings, matcher=MailMatcher())
    mail = mail_config(settings)
    try:
        await seed_writers(services, RESIDENTS)
        await _append(dovecot.port, user, _mails(n))
        fetched, raw_seconds = await _raw_fetch(dovecot.port, user, settings.mailbox.imap_fetch_chunk)
        started = time.perf_counter()
        await run_mailbox(services, mail, once=True)
        e2e_seconds = time.perf_counter() - started
        async with services.sessions() as session:
            processed = int(await session.scalar(select(func.count()).select_from(InboundMail)) or 0)
            queued = int(await session.scalar(select(func.count()).select_from(OutboxMessage)) or 0)
        started = time.perf_counter()
        sent = await deliver_due(services, mail)  # drains the outbox
        smtp_seconds = time.perf_counter() - started
    finally:
        await services.aclose()
        controller.stop()
    assert fetched == n and processed == n, (fetched, processed)
    raw_rate, e2e_rate = fetched / raw_seconds, processed / e2e_seconds
    print(
        f"{name:8} raw fetch {raw_rate:8.0f} mails/s ({raw_seconds:.2f} s) | "
        f"end to end {e2e_rate:7.0f} mails/s "
        f"({e2e_seconds:.2f} s) | ratio {e2e_rate / raw_rate:.2f} | {queued} answers queued, "
        f"{sent} sent over SMTP at {sent / smtp_seconds if smtp_seconds else 0:.0f}/s",
        flush=True,
    )
    return {"raw": raw_rate, "e2e": e2e_rate}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--concurrency", type=int, default=8, help="HELPDESK_MAIL_CONCURRENCY (PostgreSQL)")
    args = parser.parse_args()
    dovecot = Dovecot()
    dovecot.start()
    pg_name = f"helpdesk_bench_mail_{uuid.uuid4().hex[:8]}"
    try:
        print(f"{args.n} mails per backend, Dovecot on 127.0.0.1:{dovecot.port}", flush=True)
        if args.backend in ("sqlite", "both"):
            path = Path(tempfile.mkdtemp(prefix="mailbox-bench-db-")) / "helpdesk.db"
            url = f"sqlite+aiosqlite:///{path}"
            upgrade(url)
            asyncio.run(_one_backend("sqlite", url, dovecot, args.n, args.concurrency))
        if args.backend in ("postgres", "both"):
            asyncio.run(_pg(f'CREATE DATABASE "{pg_name}"'))
            try:
                url = PG_ADMIN.rsplit("/", 1)[0] + "/" + pg_name
                upgrade(url)
                asyncio.run(_one_backend("postgres", url, dovecot, args.n, args.concurrency))
            finally:
                asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)'))
    finally:
        dovecot.remove()


if __name__ == "__main__":
    main()
