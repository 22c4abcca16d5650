"""The mailbox under faults, on PostgreSQL: N mails arrive at a real Dovecot while the `helpdesk
mailbox` process (poller and SMTP sender) is killed with SIGKILL K times at random moments and
restarted, Dovecot is restarted once, and the SMTP server (a local aiosmtpd sink) is down for a
minute. Then it waits until the inbox is empty and the outbox has drained, and counts:

- lost: mails with no outcome (or still in the inbox), and answered mails whose answer never came;
- duplicated: mails answered by two different answers (two outbox rows), apart from the same answer
  sent twice with one Message-ID (a kill between SMTP's 250 and the row being marked sent: the
  documented window, counted on its own);
- error-replied: answers that are the handlers' apology ("Sorry, something went wrong…"), and
  notices that a mail could not be processed automatically;
- latency: from APPEND to the answer reaching the sink (max, p50, p95).
Mix: 300 residents asking in three languages, invoices, strangers, and one address in five forms.

    .venv/bin/python benchmarks/mailbox_faults.py [--n 2000] [--kills 10] [--smtp-down 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the Dovecot launcher and fixtures live with the tests

import aioimaplib  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from helpdesk.app import build_services  # noqa: E402
from helpdesk.handlers.refusals import apology  # noqa: E402
from helpdesk.i18n import gettext_for  # noqa: E402
from helpdesk.storage.migrate import upgrade  # noqa: E402
from helpdesk.storage.models.delivery import InboundMail  # noqa: E402
from tests.mailbox.conftest import AUTHSERV, OUR_ADDRESS, MailMatcher, mail_settings, seed_writers  # noqa: E402
from tests.mailbox.dovecot import PASSWORD, Dovecot, free_port  # noqa: E402

PG_ADMIN = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
#: The shortest span the faults are spread over (see :func:`fault_schedule`); a run whose mails
#: arrive sooner meets its faults while it works through them or after, with the inbox idle.
MIN_FAULT_SPAN = 30.0
RESIDENTS = 300
#: One resident's address as five mail programs write it (one lane, one conversation).
FORMS = (
    "janis@example.lv",
    "Jānis Bērziņš <janis@example.lv>",
    "=?UTF-8?B?QsSTcnppxYbFoSwgSsSBbmlz?= <janis@example.lv>",
    '"Berzins, Janis" <JANIS@example.lv>',
    "J. B. <Janis@Example.LV>",
)
_BODIES = (
    ("Parole", "Labdien, aizmirsu paroli. Ko darīt?"),
    ("Пароль", "Здравствуйте, забыл пароль."),
    ("Password", "Hello, I forgot my password. What should I do?"),
    ("Rēķins", "Labdien, lūdzu atsūtiet rēķinu."),
    ("Вопрос", "Здравствуйте, когда будет перерасчёт за отопление?"),
    ("Question", "Hello, where is the invoice of my neighbour?"),
)


def _sender(index: int) -> str:
    if index % 10 == 0:
        return FORMS[(index // 10) % len(FORMS)]
    if index % 10 == 5:
        return f"stranger{index % 97}@example.org"
    return f"r{index % RESIDENTS}@example.lv"


def _mail(index: int, run: str) -> tuple[str, bytes]:
    subject, body = _BODIES[index % len(_BODIES)]
    message = EmailMessage()
    message["From"] = _sender(index)
    message["To"] = OUR_ADDRESS
    message["Subject"] = subject
    message_id = f"<fault-{run}-{index}@example.lv>"
    message["Message-ID"] = message_id
    message["Authentication-Results"] = f"{AUTHSERV}; spf=pass; dkim=pass header.d=example.lv; dmarc=pass"
    message.set_content(f"{body}\n\n#{index}")
    return message_id, message.as_bytes()


@dataclass
class Sink:
    """The SMTP server: what arrived, when, per In-Reply-To (no controller while it is down)."""

    port: int = field(default_factory=free_port)
    received: dict[str, list[tuple[float, str, str]]] = field(default_factory=lambda: defaultdict(list))
    lock: threading.Lock = field(default_factory=threading.Lock)
    controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        part, key = parsed.get_body(preferencelist=("plain",)), str(parsed["In-Reply-To"] or "(new)")
        got = (time.time(), str(parsed["Message-ID"]), part.get_content() if part else "")
        with self.lock:
            self.received[key].append(got)
        return "250 OK"

    def start(self) -> None:
        for _ in range(50):  # the port may linger for a moment after a stop
            try:
                self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
                self.controller.start()
                return
            except Exception:
                time.sleep(0.2)
        raise RuntimeError("the SMTP sink could not listen again")

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@dataclass
class Poller:
    """The `helpdesk mailbox` process, killed with SIGKILL and started again."""

    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:  # its log, and stderr with it, for a look afterwards
            command = [sys.executable, "-m", "helpdesk", "mailbox"]
            self.process = subprocess.Popen(
                command, env=self.env, cwd=self.log.parent, stdout=out, stderr=out
            )

    def kill(self) -> None:
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGKILL)  # kill -9: no cleanup of any kind
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)


async def _client(port: int, user: str) -> aioimaplib.IMAP4:
    client = aioimaplib.IMAP4(host="127.0.0.1", port=port, timeout=30)
    await client.wait_hello_from_server()
    await client.login(user, PASSWORD)
    return client


@dataclass
class DovecotGate:
    """Closed while Dovecot restarts; ``restarts`` counts the restarts, each of which ended every
    IMAP session. aioimaplib does not notice a dropped session (notes/mail.md): a command on it
    waits out its 30 s timeout, so the appender opens a new session after each restart."""

    open: asyncio.Event = field(default_factory=asyncio.Event)
    restarts: int = 0


async def _append_all(
    dovecot: Dovecot,
    user: str,
    mails: list[tuple[str, bytes]],
    rate: float,
    gate: DovecotGate,
    appended: dict[str, float],
) -> None:
    """Append at ``rate`` mails/s; waits while ``gate`` is closed (Dovecot restarting)."""
    client: aioimaplib.IMAP4 | None = None
    session_of = -1  # the restart count when ``client`` logged in
    started = time.monotonic()
    for index, (message_id, raw) in enumerate(mails):
        await asyncio.sleep(max(0.0, started + index / rate - time.monotonic()))
        while True:
            await gate.open.wait()
            try:
                if client is None or session_of != gate.restarts:
                    session_of = gate.restarts
                    client = await _client(dovecot.port, user)
                response = await client.append(raw, mailbox="INBOX")
                if response.result == "OK":
                    appended[message_id] = time.time()
                    break
            except Exception:
                pass
            client = None  # Dovecot went away under us: a new client, the same mail
            await asyncio.sleep(0.5)
    if client is not None and session_of == gate.restarts:
        await client.logout()


async def _inbox_count(dovecot: Dovecot, user: str) -> int:
    client = await _client(dovecot.port, user)
    response = await client.select("INBOX")
    await client.logout()
    return next(int(line.split()[0]) for line in response.lines if line.endswith(b"EXISTS"))


def fault_span(duration: float) -> float:
    """Seconds the faults are spread over: the arrivals' ``duration``, and at least
    :data:`MIN_FAULT_SPAN`, so that the Dovecot restart and its kill-free margin fit."""
    return max(duration, MIN_FAULT_SPAN)


def fault_schedule(
    rng: random.Random, duration: float, kills: int, smtp_down: float
) -> list[tuple[float, str]]:
    """When each fault strikes (seconds from the start, sorted): ``kills`` kills, one Dovecot
    restart, and SMTP down then up ``smtp_down`` seconds later.

    The restart falls in [10 s, 80 % of the span]; no kill lands in the 10 s before it or the 2 s
    after it, so a running poller meets it. Kills are drawn until they fall outside that margin.
    Over the arrivals alone a small run had no room for them: ``--n 30`` gave a 1.2 s span, every
    kill fell inside the margin and the draw looped for ever in the event loop, so not one mail was
    appended and the run never ended. Over :func:`fault_span` at least 16 s of the kill window's
    28 s or more lies outside the margin. From ``MIN_FAULT_SPAN * rate`` mails up (750 at 25/s)
    the draws, and so a seed's schedule, are the same as they were.
    """
    span = fault_span(duration)
    restart = rng.uniform(10, span * 0.8)
    events = [(restart, "dovecot")]
    while len(events) <= kills:
        at = rng.uniform(2, span)
        if not restart - 10 < at < restart + 2:
            events.append((at, "kill"))
    smtp_at = rng.uniform(5, max(6, span - smtp_down))
    events += [(smtp_at, "smtp-down"), (smtp_at + smtp_down, "smtp-up")]
    return sorted(events)


async def _faults(
    args: argparse.Namespace,
    poller: Poller,
    dovecot: Dovecot,
    sink: Sink,
    gate: DovecotGate,
    duration: float,
    log: list[str],
) -> None:
    """Strike the :func:`fault_schedule`, in order."""
    rng = random.Random(args.seed)
    events = fault_schedule(rng, duration, args.kills, args.smtp_down)
    started = time.monotonic()
    for at, what in events:
        await asyncio.sleep(max(0.0, started + at - time.monotonic()))
        log.append(f"{time.monotonic() - started:6.1f} s {what}")
        if what == "kill":
            poller.kill()
            await asyncio.sleep(rng.uniform(0, 1.5))
            poller.start()
        elif what == "dovecot":
            gate.open.clear()
            await asyncio.to_thread(dovecot.restart_dropping_clients)
            gate.restarts += 1
            gate.open.set()
        elif what == "smtp-down":
            await asyncio.to_thread(sink.stop)
        else:
            await asyncio.to_thread(sink.start)


def _error_texts() -> list[str]:
    """The handlers' apologies and the "a person will look at it" notice, in the three languages."""
    notice = "We received your e-mail but could not process it automatically."
    return [apology(lang, kept).text for lang in ("lv", "ru", "en") for kept in (None, 1)] + [
        gettext_for("helpdesk", lang).gettext(notice)[:40] for lang in ("lv", "ru", "en")
    ]


async def _run(args: argparse.Namespace, url: str) -> None:
    run, dovecot, sink = uuid.uuid4().hex[:6], Dovecot(), Sink()
    dovecot.start()
    sink.start()
    work = Path(tempfile.mkdtemp(prefix="mailbox-faults-"))
    user = dovecot.add_user()
    settings = mail_settings(url, work, imap_port=dovecot.port, user=user, smtp_port=sink.port)
    services = build_services(settings, matcher=MailMatcher())
    await seed_writers(services, RESIDENTS)
    key = settings.security.secret_key.get_secret_value() if settings.security.secret_key else ""
    values = (
        f"DATABASE_URL={url} INVOICE_DIR={work / 'invoices'} SECRET_KEY={key} IMAP_HOST=127.0.0.1 "
        f"IMAP_PORT={dovecot.port} IMAP_USER={user} IMAP_PASSWORD={PASSWORD} IMAP_SECURITY=none "
        f"SMTP_HOST=127.0.0.1 SMTP_PORT={sink.port} SMTP_SECURITY=none MAIL_FROM={OUR_ADDRESS} "
        f"TRUSTED_AUTHSERV_ID={AUTHSERV} MAIL_REPLIES_PER_SENDER_PER_HOUR=1000000"  # the cap has its tests
    )
    env = {name: value for name, value in os.environ.items() if not name.startswith("HELPDESK_")}
    env.update(
        ("HELPDESK_" + name, value) for name, _, value in (pair.partition("=") for pair in values.split())
    )
    poller = Poller(env, work / "mailbox.log")
    mails = [_mail(index, run) for index in range(args.n)]
    appended: dict[str, float] = {}  # Message-ID -> when the APPEND was accepted
    gate = DovecotGate()
    gate.open.set()
    events: list[str] = []
    duration = args.n / args.rate
    print(
        f"{args.n} mails at {args.rate}/s over {duration:.0f} s; {args.kills} kills, a Dovecot restart, "
        f"SMTP down {args.smtp_down} s, over {fault_span(duration):.0f} s; log in {poller.log}",
        flush=True,
    )
    started = time.monotonic()
    poller.start()
    try:
        await asyncio.gather(
            _append_all(dovecot, user, mails, args.rate, gate, appended),
            _faults(args, poller, dovecot, sink, gate, duration, events),
        )
        await _drain(args, services, dovecot, user)
    finally:
        poller.stop()
        sink.stop()
        await services.aclose()
        dovecot.remove()
    print("\n".join(events))
    print(f"appended {len(appended)} of {len(mails)}; {time.monotonic() - started:.0f} s in all", flush=True)
    await _report(url, appended, sink, poller.log)


async def _drain(args: argparse.Namespace, services: Any, dovecot: Dovecot, user: str) -> None:
    """Wait until the inbox is empty and nothing in the outbox is pending (or ``--drain-timeout``)."""
    deadline = time.monotonic() + args.drain_timeout
    while time.monotonic() < deadline:
        async with services.sessions() as session:
            pending = await session.scalar(
                text("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")
            )
        if not pending and not await _inbox_count(dovecot, user):
            return
        await asyncio.sleep(2)
    print(f"not drained after {args.drain_timeout:.0f} s", flush=True)


async def _report(url: str, appended: dict[str, float], sink: Sink, log: Path) -> None:
    """The figures: lost, duplicated, resent in the 250-then-kill window, error-replied, latency."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.execute(select(InboundMail.message_id_hash, InboundMail.outcome))).all()
            failed = await connection.scalar(text("SELECT count(*) FROM outbox WHERE status = 'failed'"))
    finally:
        await engine.dispose()
    by_hash: dict[str, list[str]] = defaultdict(list)
    for digest, outcome in rows:
        by_hash[digest].append(outcome)
    errors = _error_texts()
    outcomes: Counter[str] = Counter()
    lost_mails = lost_answers = duplicated = resent = error_replied = 0
    latencies: list[float] = []
    with sink.lock:
        received = dict(sink.received)
    for message_id, appended_at in appended.items():
        found = by_hash.get(hashlib.sha256(("mid:" + message_id).encode()).hexdigest())
        if not found:
            lost_mails += 1
            continue
        outcomes.update(found)
        got = received.get(message_id, [])
        if "answered" in found and not got:
            lost_answers += 1
        if not got:
            continue
        latencies.append(min(at for at, _mid, _body in got) - appended_at)
        answers = Counter(mid for _at, mid, _body in got)
        duplicated += len(answers) - 1  # two different answers to one mail
        resent += sum(count - 1 for count in answers.values())  # one answer, sent twice
        error_replied += sum(1 for _at, _mid, body in got if any(error in body for error in errors))
    print(
        f"outcomes: {dict(sorted(outcomes.items()))}; outbox rows failed for good: {failed}\n"
        f"lost: {lost_mails} mails without an outcome, {lost_answers} answered mails without an answer\n"
        f"duplicated: {duplicated} (other than the 250-then-kill window); resent with the same Message-ID "
        f"(250-then-kill): {resent}\nerror-replied: {error_replied}"
    )
    if latencies:
        ordered = sorted(latencies)
        print(
            f"latency, append to answer: p50 {statistics.median(ordered):.1f} s, "
            f"p95 {ordered[int(len(ordered) * 0.95)]:.1f} s, max {ordered[-1]:.1f} s ({len(ordered)} answers)"
        )
    print(f"tracebacks in the mailbox process's log: {log.read_text(errors='replace').count('Traceback')}")


async def _pg(statement: str) -> None:
    engine = create_async_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(statement))
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=25.0, help="mails appended per second")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--smtp-down", type=float, default=60.0, help="seconds the SMTP server is down")
    parser.add_argument("--drain-timeout", type=float, default=900.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    name = f"helpdesk_bench_faults_{uuid.uuid4().hex[:8]}"
    asyncio.run(_pg(f'CREATE DATABASE "{name}"'))
    try:
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        upgrade(url)
        asyncio.run(_run(args, url))
    finally:
        asyncio.run(_pg(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
