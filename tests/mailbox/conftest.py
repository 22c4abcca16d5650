"""Mailbox fixtures: one real Dovecot per test session (fresh user per test), an aiosmtpd sink, a
seeded database on both backends, and a small fake knowledge matcher.

A missing Dovecot fails the tests (never skips): in CI a missing service is a broken build.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aioimaplib
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from helpdesk.app import build_services, mail_config
from helpdesk.core.matching import Answer, Decision, Match
from helpdesk.mailbox.config import MailConfig
from helpdesk.services import Services
from helpdesk.settings import Settings, load_settings
from helpdesk.storage.repositories import consent, residents
from helpdesk.storage.repositories import mail as mail_repo
from tests.mailbox.dovecot import Dovecot, available, free_port
from tests.seed import add_invoice

OUR_ADDRESS = "info@klientiem.test"
#: Five senders, each asking one answerable question in :func:`append_questions`.
SENDERS = ("janis@example.lv", "ivan@example.lv", "john@example.com", "a@example.org", "b@example.org")
AUTHSERV = "mx.klientiem.test"
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATVIAN = re.compile(r"[āčēģīķļņšūž]|\b(labdien|sveiki|rēķin|paldies|lūdzu)", re.IGNORECASE)


@dataclass
class MailMatcher:
    """Keyword routes in three languages; anything else escalates, like the real one when unsure."""

    routes: dict[str, str] = field(
        default_factory=lambda: {
            "rēķin": "action:invoice",
            "invoice": "action:invoice",
            "счёт": "action:invoice",
            "счет": "action:invoice",
            "parol": "password-reset",
            "password": "password-reset",
            "пароль": "password-reset",
            "labojiet": "action:correction-request",
            "исправ": "action:correction-request",
            "correct": "action:correction-request",
            "mani dati": "action:access-request",
            "my data": "action:access-request",
            "jaunum": "action:consent-give",
        }
    )

    def detect_language(self, text: str, default: str) -> str:
        if _CYRILLIC.search(text):
            return "ru"
        if _LATVIAN.search(text):
            return "lv"
        if re.search(r"\b(hello|please|the|my|where)\b", text, re.IGNORECASE):
            return "en"
        return default

    def match(self, text: str, language: str | None = None) -> Match:
        lowered = text.lower()
        detected = self.detect_language(text, language or "lv")
        for key, entry in self.routes.items():
            if key in lowered:
                return Match(entry, 95.0, Decision.ANSWER, detected)
        return Match(None, 10.0, Decision.ESCALATE, detected)

    def answer(self, entry: str, language: str) -> Answer | None:
        bodies = {
            "lv": "Spiediet “Aizmirsu paroli” portāla pieslēgšanās lapā.",
            "ru": "Нажмите «Забыли пароль» на странице входа портала.",
            "en": "Press “Forgot password” on the portal's login page.",
        }
        if entry != "password-reset":
            return None
        return Answer(entry, language, "Password", bodies.get(language, bodies["lv"]))


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    if not available():
        pytest.fail("Dovecot (dovecot-imapd) is required for the mailbox tests: /usr/sbin/dovecot is missing")
    server = Dovecot()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def restore_logging(capsys: pytest.CaptureFixture[str]) -> Iterator[None]:
    """Put the root logger back as it was, for tests that run the ``helpdesk`` command.

    The command installs its root handler on the ``sys.stderr`` of that moment, which is capsys's
    stream; pytest closes it after the test, and every later record (aiosmtpd's thread saying
    "connection lost", the next test's poller) would be written to a closed file. Asking for
    ``capsys`` makes this teardown run before capsys closes its stream.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)


@dataclass
class SmtpSink:
    """aiosmtpd handler that keeps what it receives; ``refuse`` makes it answer 451 (an outage)."""

    messages: list[EmailMessage] = field(default_factory=list)
    refuse: bool = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 4.3.0 try again later"
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"


@contextlib.contextmanager
def _serve(handler: Any) -> Iterator[int]:
    """An aiosmtpd server on a free loopback port for the test's length: yields its port."""
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def smtp_sink() -> Iterator[tuple[SmtpSink, int]]:
    sink = SmtpSink()
    with _serve(sink) as port:
        yield sink, port


@dataclass
class CountingSink:
    """Keeps each mail's Message-ID and the most mails it was receiving at one moment."""

    delay: float = 0.0
    message_ids: list[str] = field(default_factory=list)
    receiving: int = 0
    most_at_once: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.receiving += 1
        self.most_at_once = max(self.most_at_once, self.receiving)
        try:
            await asyncio.sleep(self.delay)
            parsed = message_from_bytes(envelope.content, policy=policy.default)
            self.message_ids.append(str(parsed["Message-ID"]))
            return "250 OK"
        finally:
            self.receiving -= 1


@pytest.fixture
def counting_sink() -> Iterator[tuple[CountingSink, int]]:
    handler = CountingSink()
    with _serve(handler) as port:
        yield handler, port


@dataclass
class Sender:
    """An outbox and its SMTP sink (no IMAP): what the outbox's tests need."""

    services: Services
    mail: MailConfig  # tests change values on it (e.g. mail.outbound.smtp_concurrency)
    sink: CountingSink
    settings: Settings


@pytest.fixture
async def sender(
    database_url: str, tmp_path: Path, counting_sink: tuple[CountingSink, int]
) -> AsyncIterator[Sender]:
    settings = mail_settings(database_url, tmp_path, imap_port=1, user="u", smtp_port=counting_sink[1])
    built = build_services(settings, matcher=MailMatcher())
    await seed(built)
    yield Sender(built, mail_config(settings), counting_sink[0], settings)
    await built.aclose()


def mail_settings(
    database_url: str, tmp_path: Path, *, imap_port: int, user: str, smtp_port: int, **extra: Any
) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "invoice_dir": tmp_path / "invoices",
        "secret_key": "mailbox-test-key-Hs5dK8pL2xWq9NbR4tZv7CmJ",
        "imap_host": "127.0.0.1",
        "imap_port": imap_port,
        "imap_user": user,
        "imap_password": "secret",
        "imap_security": "none",
        "imap_poll_seconds": 5,
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp_port,
        "smtp_security": "none",
        "mail_from": f"Klientiem.lv atbalsts <{OUR_ADDRESS}>",
        "trusted_authserv_id": AUTHSERV,
        "console_public_url": "https://helpdesk.klientiem.test",
    }
    values.update(extra)
    return load_settings(**values)


def command_environment(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> None:
    """What an operator sets for `helpdesk mailbox`, from ``settings``, and the fake matcher."""
    flat = {name: value for group in settings.groups().values() for name, value in group}
    for name in (
        "database_url",
        "imap_host",
        "imap_port",
        "imap_user",
        "imap_security",
        "smtp_host",
        "smtp_port",
        "smtp_security",
        "mail_from",
        "invoice_dir",
    ):
        monkeypatch.setenv(f"HELPDESK_{name.upper()}", str(flat[name]))
    monkeypatch.setenv("HELPDESK_IMAP_PASSWORD", "secret")
    monkeypatch.setenv("HELPDESK_SECRET_KEY", "mailbox-test-key-Hs5dK8pL2xWq9NbR4tZv7CmJ")
    monkeypatch.setattr("helpdesk.app.load_matcher", lambda _settings: MailMatcher())


async def seed(services: Services) -> None:
    """R-1 Latvian (two invoices), R-2 Russian, R-3 English; R-4 and R-5 share one address."""
    invoice_dir = services.storage.invoice_dir
    async with services.sessions() as session, session.begin():
        for resident_id, name, address, language in (
            ("R-1", "Jānis Bērziņš", "janis@example.lv", "lv"),
            ("R-2", "Иван Петров", "ivan@example.lv", "ru"),
            ("R-3", "John Smith", "john@example.com", "en"),
            ("R-4", "Anna Ozola", "family@example.lv", "lv"),
            ("R-5", "Pēteris Ozols", "family@example.lv", "lv"),
        ):
            await residents.upsert(
                session, resident_id=resident_id, name=name, invoice_email=address, language=language
            )
        for invoice_id, resident_id, period in (
            ("INV-2025-12-R-1", "R-1", "2025-12"),
            ("INV-2025-11-R-1", "R-1", "2025-11"),
            ("INV-2025-12-R-2", "R-2", "2025-12"),
            ("INV-2025-12-R-3", "R-3", "2025-12"),
        ):
            await add_invoice(session, invoice_dir, invoice_id, resident_id, period)


async def seed_writers(services: Services, count: int) -> None:
    """:func:`seed`, and ``count`` more residents B-0… writing from r0@example.lv…, in lv/ru/en in
    turn: the many distinct senders of the mailbox benchmarks."""
    await seed(services)
    async with services.sessions() as session, session.begin():
        for number in range(count):
            await residents.upsert(
                session,
                resident_id=f"B-{number}",
                name=f"Iedzīvotājs {number}",
                invoice_email=f"r{number}@example.lv",
                language=("lv", "ru", "en")[number % 3],
            )


@dataclass
class MailWorld:
    """Everything one test needs: the services, the IMAP user, the SMTP sink and a client."""

    services: Services
    dovecot: Dovecot
    user: str
    sink: SmtpSink
    client: aioimaplib.IMAP4
    mail: MailConfig  # the mailbox's settings: tests change a value on it (e.g. mail.inbound)

    async def append(self, raw: bytes | str, folder: str = "INBOX") -> None:
        data = raw.encode() if isinstance(raw, str) else raw
        response = await self.client.append(data, mailbox=folder)
        assert response.result == "OK", response

    async def uids(self, folder: str) -> list[int]:
        response = await self.client.select(folder)
        assert response.result == "OK", response
        found = await self.client.uid_search("ALL", charset=None)
        return [int(part) for line in found.lines[:-1] for part in line.split() if part.isdigit()]

    async def count(self, folder: str) -> int:
        return len(await self.uids(folder))

    async def outcomes(self, folder: str = "INBOX") -> dict[int, str]:
        """UID -> recorded outcome, from the database."""
        async with self.services.sessions() as session:
            return await mail_repo.outcomes(session, folder)

    async def seen_flags(self, folder: str) -> list[bytes]:
        await self.client.select(folder)
        response = await self.client.uid("fetch", "1:*", "(FLAGS)")
        return [line for line in response.lines if isinstance(line, bytes) and b"FLAGS" in line]


async def imap_login(port: int, user: str) -> aioimaplib.IMAP4:
    client = aioimaplib.IMAP4(host="127.0.0.1", port=port, timeout=10)
    await client.wait_hello_from_server()
    response = await client.login(user, "secret")
    assert response.result == "OK", response
    return client


@pytest.fixture
async def world(
    database_url: str, tmp_path: Path, dovecot: Dovecot, smtp_sink: tuple[SmtpSink, int]
) -> AsyncIterator[MailWorld]:
    sink, smtp_port = smtp_sink
    user = dovecot.add_user()
    settings = mail_settings(database_url, tmp_path, imap_port=dovecot.port, user=user, smtp_port=smtp_port)
    services = build_services(settings, matcher=MailMatcher())
    await seed(services)
    client = await imap_login(dovecot.port, user)
    yield MailWorld(services, dovecot, user, sink, client, mail_config(settings))
    with contextlib.suppress(Exception):  # the server may have been restarted by the test
        await asyncio.wait_for(client.logout(), 5)
    await services.aclose()


def body(message: EmailMessage, kind: str = "plain") -> str:
    """The decoded ``text/<kind>`` body of a received mail; fails the test when the part is missing."""
    part = message.get_body(preferencelist=(kind,))
    assert part is not None, f"no text/{kind} part"
    content = part.get_content()
    assert isinstance(content, str)
    return content


async def grant_news(world: MailWorld, resident_id: str, address: str) -> None:
    """The resident gave news consent for ``address`` (in Telegram, before the test's mail)."""
    async with world.services.sessions() as session, session.begin():
        await consent.record(
            session,
            resident_id=resident_id,
            granted=True,
            email=address,
            channel="telegram",
            evidence="test",
            text_version="news-2026-11-lv",
            now=world.services.clock(),
        )


async def append_questions(world: MailWorld) -> None:
    """One password question from each of :data:`SENDERS`, in order (UIDs 1 to 5)."""
    for index, sender in enumerate(SENDERS):
        await world.append(
            mail(sender=sender, subject="Parole", body="Labdien, parole?", message_id=f"<q{index}@x>")
        )


def mail(
    *,
    sender: str = "janis@example.lv",
    subject: str = "Jautājums",
    body: str = "Labdien!",
    message_id: str | None = "<m1@example.lv>",
    headers: dict[str, str] | None = None,
    auth: str | None = "pass",
) -> bytes:
    """A simple text/plain mail; ``auth`` adds our MTA's Authentication-Results (pass or fail)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = OUR_ADDRESS
    message["Subject"] = subject
    if message_id:
        message["Message-ID"] = message_id
    if auth:
        message["Authentication-Results"] = f"{AUTHSERV}; spf={auth} smtp.mailfrom=x; dmarc={auth}"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


async def cross_lock(blocker: Any, ours: Any) -> None:
    """A real deadlock (PostgreSQL 40P01): ``blocker`` holds R-4; ``ours`` takes R-5 and waits for
    R-4 while the blocker, a moment later, waits for R-5. We wait first, so our deadlock check
    (deadlock_timeout, 1 s) fires first: we lose."""
    await ours.execute(text("UPDATE residents SET name = name WHERE id = 'R-5'"))

    async def later() -> None:
        await asyncio.sleep(0.2)
        await blocker.execute(text("UPDATE residents SET name = name WHERE id = 'R-5'"))

    crossing = asyncio.create_task(later())
    try:
        await ours.execute(text("UPDATE residents SET name = name WHERE id = 'R-4'"))
    finally:
        await crossing
