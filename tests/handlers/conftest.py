"""Handler fixtures: real database (both backends), real files, a small fake matcher."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from helpdesk.core.matching import Answer, Candidate, Decision, IntentMatcher, Match
from helpdesk.core.types import Action, Channel, Inquiry
from helpdesk.knowledge import load_matcher
from helpdesk.services import Services
from helpdesk.settings import load_settings
from tests.seed import NOW, seed, write_pdf

__all__ = ["NOW", "write_pdf"]


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
def matcher() -> FakeMatcher:
    return fake_matcher()


@pytest.fixture
async def seeded(services: Services) -> Services:
    """The shared cast (tests/seed.py): R-1 linked to Telegram user 111, R-2 not; both with invoices."""
    await seed(services)
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


@pytest.fixture(scope="session")
def knowledge() -> IntentMatcher:
    """The shipped knowledge base and its matcher, read once: for tests about reading a message."""
    return load_matcher(load_settings().knowledge, "lv")


@pytest.fixture
def reader(seeded: Services, knowledge: IntentMatcher) -> Services:
    """:func:`seeded` with the real knowledge matcher in place of the fake one."""
    seeded.matcher = knowledge
    return seeded


def email(
    text: str,
    *,
    message_id: str,
    thread_key: str | None = None,
    sender: str = "janis@example.lv",
    resident: str | None = "R-1",
) -> Inquiry:
    """A mail from ``sender`` (R-1's invoice address by default), starting its own thread unless
    ``thread_key`` names the thread it replies in."""
    return Inquiry(
        channel=Channel.EMAIL,
        sender=sender,
        reply_to=sender,
        text=text,
        resident_id=resident,
        message_id=message_id,
        thread_key=thread_key or message_id,
    )
