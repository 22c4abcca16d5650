"""Outbox drain rate: N answers queued in the outbox (rendered text + HTML, as the mailbox queues
them) and sent by ``deliver_due`` over HELPDESK_SMTP_CONCURRENCY connections to a local aiosmtpd
sink in its own process, next to the ceiling measured in the same run: the same sink fed by a bare
aiosmtplib loop at the same concurrency (one connection per worker, a prepared message of the same
size, no database). Prints both rates and their ratio, per backend; target >= 100 mails/s.

    .venv/bin/python benchmarks/outbox_drain.py [--n 2000] [--concurrency 8] [--backends sqlite,postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the fixtures live with the tests

import aiosmtplib  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from helpdesk.app import build_services, mail_config  # noqa: E402
from helpdesk.mailbox.compose import compose  # noqa: E402
from helpdesk.mailbox.outgoing import enqueue_email_reply  # noqa: E402
from helpdesk.mailbox.smtp_sender import deliver_due  # noqa: E402
from helpdesk.services import Services  # noqa: E402
from helpdesk.storage.migrate import upgrade  # noqa: E402
from helpdesk.storage.models.delivery import OutboxMessage  # noqa: E402
from tests.conftest import PG_ADMIN_URL, _pg_admin  # noqa: E402
from tests.mailbox.conftest import MailMatcher, mail_settings  # noqa: E402
from tests.mailbox.dovecot import free_port  # noqa: E402

TARGET = 100.0

# The sink: accepts every mail with 250 and counts them; prints the count when stdin closes.
_SINK = """
import sys
from aiosmtpd.controller import Controller

class Count:
    received = 0
    async def handle_DATA(self, server, session, envelope):
        Count.received += 1
        return "250 OK"

controller = Controller(Count(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
print(Count.received, flush=True)
"""

_ANSWER = (
    "Labdien!\n\nParoli var atjaunot portāla pieslēgšanās lapā: spiediet „Aizmirsu paroli” un "
    "sekojiet norādēm e-pastā. Ja vēstule nepienāk, pārbaudiet mēstuļu mapi.\n"
)


class Sink:
    """aiosmtpd in a process of its own, as a real server would be."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SINK, str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None and self.process.stdout.readline().strip() == "ready"

    def cpu_seconds(self) -> float:
        """CPU the sink process used so far (user + system, from /proc)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> int:
        """Stop the sink; returns how many mails it received."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        received = int(self.process.stdout.read().strip() or 0)
        self.process.wait(timeout=30)
        return received


async def _ceiling(port: int, message: EmailMessage, n: int, concurrency: int) -> tuple[float, float]:
    """A bare aiosmtplib loop: ``concurrency`` connections, each sending the message in turn;
    returns mails/s and this process's CPU milliseconds per mail."""
    left = n

    async def worker() -> None:
        nonlocal left
        client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, use_tls=False, start_tls=False)
        await client.connect()
        while left > 0:
            left -= 1
            await client.send_message(message)
        await client.quit()

    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return n / (time.perf_counter() - started), (time.process_time() - cpu) * 1000 / n


async def _queue(services: Services, n: int) -> None:
    async with services.sessions() as session, session.begin():
        for index in range(n):
            await enqueue_email_reply(
                session,
                to=f"r{index % 300}@example.lv",
                subject="Re: Parole",
                body_text=_ANSWER,
                language="lv",
                in_reply_to=f"<q{index}@example.lv>",
                dedupe_key=f"bench:{index}",
            )


async def _one_backend(name: str, database_url: str, n: int, concurrency: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="outbox-bench-"))
    ceiling_sink = Sink()
    sink = Sink()
    settings = mail_settings(
        database_url, work, imap_port=1, user="u", smtp_port=sink.port, smtp_concurrency=concurrency
    )
    services, mail = build_services(settings, matcher=MailMatcher()), mail_config(settings)
    try:
        await _queue(services, n)
        async with services.sessions() as session:
            sample = await session.scalar(select(OutboxMessage).limit(1))
        assert sample is not None
        prepared = compose(services, mail, sample)
        ceiling, ceiling_cpu = await _ceiling(ceiling_sink.port, prepared, n, concurrency)
        started, cpu, sink_cpu = time.perf_counter(), time.process_time(), sink.cpu_seconds()
        sent = await deliver_due(services, mail)
        seconds = time.perf_counter() - started
        cpu_ms = (time.process_time() - cpu) * 1000 / n
        sink_ms = (sink.cpu_seconds() - sink_cpu) * 1000 / n
        async with services.sessions() as session:
            left = await session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status != "sent")
            )
    finally:
        await services.aclose()
        received, ceiling_received = sink.stop(), ceiling_sink.stop()
    assert sent == n == received and left == 0 and ceiling_received == n, (sent, received, left)
    rate = n / seconds
    verdict = "meets" if rate >= TARGET else "misses"
    print(
        f"{name:8} helpdesk {rate:6.0f} mails/s ({seconds:.2f} s) | bare aiosmtplib (ceiling) "
        f"{ceiling:6.0f} mails/s | ratio {rate / ceiling:.2f} | {verdict} the target of {TARGET:.0f}/s\n"
        f"{'':8} CPU per mail: sender {cpu_ms:.1f} ms (bare loop {ceiling_cpu:.1f} ms), sink {sink_ms:.1f} ms"
        f" -> one free core for the sender alone: {1000 / cpu_ms:.0f} mails/s",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8, help="HELPDESK_SMTP_CONCURRENCY")
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    backends = [name.strip() for name in args.backends.split(",") if name.strip()]
    print(f"{args.n} mails per backend, {args.concurrency} connections", flush=True)
    if "sqlite" in backends:
        path = Path(tempfile.mkdtemp(prefix="outbox-bench-db-")) / "helpdesk.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade(url)
        asyncio.run(_one_backend("sqlite", url, args.n, args.concurrency))
    if "postgres" in backends:
        pg_name = f"helpdesk_bench_outbox_{uuid.uuid4().hex[:8]}"
        _pg_admin(f'CREATE DATABASE "{pg_name}"')
        try:
            url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + pg_name
            upgrade(url)
            asyncio.run(_one_backend("postgres", url, args.n, args.concurrency))
        finally:
            _pg_admin(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
