"""Handler fixtures: real database (both backends), real files, a small fake matcher."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from helpdesk.app import build_services
from helpdesk.core.matching import Answer, Candidate, Decision, Match
from helpdesk.core.types import Action, Channel, Inquiry
from helpdesk.services import Services
from helpdesk.settings import load_settings
from helpdesk.storage.repositories import invoices, links, residents

NOW = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)


@dataclass
class FakeMatcher:
    """Maps exact texts to decisions; anything else escalates (as the real one does when unsure)."""

    routes: dict[str, Match] = field(default_factory=dict)
    answers: dict[str, Answer] = field(default_factory=dict)
    fail: bool = False

    def match(self, text: str, language: str | None = None) -> Match:
        if self.fail:
            raise RuntimeError("matcher exploded")
        return self.routes.get(text, Match(None, 10.0, Decision.ESCALATE, language or "lv"))

    def answer(self, entry: str, language: str) -> Answer | None:
        return self.answers.get(entry)

    def detect_language(self, text: str, default: str) -> str:
        return default


def fake_matcher() -> FakeMatcher:
    return FakeMatcher(
        routes={
            "rēķins": Match("action:invoice", 95.0, Decision.ANSWER, "lv"),
            "kā pieslēgties": Match("login-eid", 92.0, Decision.ANSWER, "lv"),
            "parole": Match(
                None,
                70.0,
                Decision.CLARIFY,
                "lv",
                (
                    Candidate("login-eid", 70.0),
                    Candidate("password-reset", 68.0),
                    Candidate("action:human", 60.0),
                ),
            ),
            "gribu savus datus": Match("action:access-request", 90.0, Decision.ANSWER, "lv"),
            "dati": Match("action:access-request", 88.5, Decision.ANSWER, "lv"),
        },
        answers={
            "login-eid": Answer(
                "login-eid", "lv", "Pieslēgšanās ar eID", "Atveriet portālu un izvēlieties eID."
            ),
            "password-reset": Answer("password-reset", "lv", "Paroles maiņa", "Spiediet “Aizmirsu paroli”."),
        },
    )


@pytest.fixture
async def services(database_url: str, tmp_path: Path) -> AsyncIterator[Services]:
    settings = load_settings(
        database_url=database_url,
        invoice_dir=tmp_path / "invoices",
        secret_key="handlers-test-key-Ra7uE2wX9cNq4ZkT6mPb3VyG",
        telegram_bot_username="TestBot",
    )
    built = build_services(settings, matcher=fake_matcher())
    built.clock = lambda: NOW
    yield built
    await built.aclose()


def write_pdf(directory: Path, name: str, content: bytes) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(b"%PDF-1.4\n" + content + b"\n%%EOF\n")
    return hashlib.sha256((directory / name).read_bytes()).hexdigest()


@pytest.fixture
async def seeded(services: Services) -> Services:
    """Two residents; R-1 has two invoices and a linked Telegram user 111; R-2 has one invoice."""
    invoice_dir = services.storage.invoice_dir
    async with services.sessions() as session, session.begin():
        await residents.upsert(
            session,
            resident_id="R-1",
            name="Jānis Bērziņš",
            address="Brīvības iela 1-5, Rīga",
            invoice_email="janis@example.lv",
            language="lv",
        )
        await residents.upsert(
            session,
            resident_id="R-2",
            name="Anna Ozola",
            address="Lāčplēša iela 7-2, Rīga",
            invoice_email="anna@example.lv",
        )
        for invoice_id, resident_id, period in (
            ("INV-2025-11-R-1", "R-1", "2025-11"),
            ("INV-2025-12-R-1", "R-1", "2025-12"),
            ("INV-2025-10-R-2", "R-2", "2025-10"),
        ):
            name = f"{invoice_id}.pdf"
            digest = write_pdf(invoice_dir, name, invoice_id.encode())
            await invoices.upsert(
                session,
                invoice_id=invoice_id,
                resident_id=resident_id,
                period=period,
                amount=Decimal("54.20"),
                currency="EUR",
                due_date=date(2026, 1, 20),
                file_path=name,
                sha256=digest,
                size=(invoice_dir / name).stat().st_size,
            )
        await links.bind(
            session, resident_id="R-1", telegram_user_id=111, chat_id=111, language="lv", now=NOW
        )
    return services


def telegram(text: str = "", *, user: int = 111, resident: str | None = "R-1", **kw: object) -> Inquiry:
    args = dict(kw.pop("args", {}) or {})  # type: ignore[call-overload]
    args.setdefault("chat_type", "private")
    return Inquiry(
        channel=Channel.TELEGRAM,
        sender=str(user),
        reply_to=str(user),
        text=text,
        resident_id=resident,
        args=args,
        message_id=f"tg:{user}:{len(text)}",
        **kw,  # type: ignore[arg-type]
    )


def action(act: Action, *, resident: str | None = "R-1", user: int = 111, **args: str) -> Inquiry:
    return telegram(resident=resident, user=user, action=act, args=args)
