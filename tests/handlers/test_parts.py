"""How one reply is put together from a message's parts, whatever a reader decides (both backends):
a state-changing action is never taken as a later part, a part in doubt asks with its own buttons,
and documents still go only where the rules allow. The reader here is a stand-in that returns a
given reading: these tests are about the handlers, not about reading."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from helpdesk.core.matching import Answer, Candidate, Decision, Match, MessageKind, Part, Reading
from helpdesk.core.types import Action, ChoiceRef, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models import ConsentEvent
from helpdesk.storage.models.requests import SupportRequest

from .conftest import email, fake_matcher, telegram

LOGIN = "Kā pieslēgties?"
NEWS = "Un atrakstiet mani no jaunumiem."
PASSWORD = "Un parole?"


@dataclass
class StubReader:
    """Reads each known text as the reading given for it (answers as the handlers' fake matcher)."""

    readings: dict[str, Reading] = field(default_factory=dict)

    def read(self, text: str, language: str | None = None) -> Reading:
        return self.readings[text]

    def match(self, text: str, language: str | None = None) -> Match:
        return self.read(text, language).main

    def answer(self, entry: str, language: str) -> Answer | None:
        return fake_matcher().answer(entry, language)

    def detect_language(self, text: str, default: str) -> str:
        return default


def _part(text: str, whole: str, decision: Decision, entry: str | None, *candidates: Candidate) -> Part:
    start = whole.index(text)
    return Part(text, start, start + len(text), decision, entry, 90.0, candidates)


def _reading(whole: str, *parts: tuple[str, Decision, str | None, tuple[Candidate, ...]]) -> Reading:
    return Reading(
        "lv",
        MessageKind.QUESTION,
        tuple(
            _part(text, whole, decision, entry, *candidates) for text, decision, entry, candidates in parts
        ),
    )


async def test_a_state_changing_action_is_never_taken_as_a_later_part(seeded: Services) -> None:
    whole = f"{LOGIN} {NEWS}"
    seeded.matcher = StubReader(
        {
            whole: _reading(
                whole,
                (LOGIN, Decision.ANSWER, "login-eid", ()),
                (NEWS, Decision.ANSWER, "action:consent-withdraw", ()),
            )
        }
    )
    reply = await handle(telegram(whole), seeded)
    assert "Pieslēgšanās ar eID" in reply.text
    assert "Par „Un atrakstiet mani no jaunumiem.”: vai domājāt kādu no šiem?" in reply.text
    labels = [(b.label, b.action) for row in reply.buttons for b in row]
    assert labels[0] == ("Atteikties no jaunumiem", Action.CONSENT_WITHDRAW)  # one tap, if meant
    async with seeded.sessions() as session:
        assert (await session.scalars(select(ConsentEvent))).all() == []  # nothing withdrawn
    await handle(telegram(choice=ChoiceRef(1)), seeded)
    async with seeded.sessions() as session:
        (withdrawn,) = (await session.scalars(select(ConsentEvent))).all()
    assert withdrawn.granted is False


async def test_a_part_in_doubt_asks_with_its_own_candidates(seeded: Services) -> None:
    whole = f"{LOGIN} {PASSWORD}"
    doubt = (Candidate("password-reset", 70.0), Candidate("login-eid", 68.0))
    seeded.matcher = StubReader(
        {
            whole: _reading(
                whole, (LOGIN, Decision.ANSWER, "login-eid", ()), (PASSWORD, Decision.CLARIFY, None, doubt)
            )
        }
    )
    reply = await handle(telegram(whole), seeded)
    assert reply.kind is ReplyKind.QUESTION and reply.request_id is None
    assert reply.text.startswith("Pieslēgšanās ar eID") and "Par „Un parole?”" in reply.text
    labels = [b.label for row in reply.buttons for b in row]
    assert labels == ["Paroles maiņa", "Pieslēgšanās ar eID", "Jautāt darbiniekam"]
    chosen = await handle(telegram(choice=ChoiceRef(1)), seeded)
    assert chosen.text.startswith("Paroles maiņa")


async def test_an_invoice_asked_by_mail_from_another_address_is_refused_beside_the_answer(
    seeded: Services,
) -> None:
    """Two parts by e-mail from an address that is not the invoice address: the question is
    answered, and the invoice is refused as it would be alone (no document in the reply)."""
    whole = f"{LOGIN} Un atsūtiet pēdējo rēķinu."
    seeded.matcher = StubReader(
        {
            whole: _reading(
                whole,
                (LOGIN, Decision.ANSWER, "login-eid", ()),
                ("Un atsūtiet pēdējo rēķinu.", Decision.ANSWER, "action:invoice", ()),
            )
        }
    )
    # R-1 writes from an address that is not the invoice address.
    mail = email(whole, message_id="<two@example.lv>", sender="janis.darbs@example.lv")
    reply = await handle(mail, seeded)
    assert reply.text.startswith("Pieslēgšanās ar eID")
    assert "tikai uz rēķinu e-pasta adresi" in reply.text and reply.documents == ()
    async with seeded.sessions() as session:
        assert (await session.scalars(select(SupportRequest))).all() == []
