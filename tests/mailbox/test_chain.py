"""The mail chain itself: its table (every unit named once, in order), which unit decided each mail
(recorded as ``decided_by`` and deciding the folder), that the first unit in the table wins, and that
a new rule is a unit plus its name in the table. On SQLite and PostgreSQL, through the real Dovecot
where the folder matters."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import select

from helpdesk.mailbox import chain, processing
from helpdesk.mailbox.chain import loop_rules, size_limit
from helpdesk.mailbox.chain.base import Decision, Incoming, Position
from helpdesk.mailbox.poller import run_mailbox
from helpdesk.storage.models.conversations import Conversation, Message
from helpdesk.storage.models.delivery import InboundMail
from tests.mailbox.conftest import MailWorld, mail

MAILBOX = Path(__file__).parents[2] / "helpdesk" / "mailbox"


def test_the_table_names_every_unit_once_in_its_order() -> None:
    assert chain.CHAIN == (
        "duplicate",
        "loop-header",
        "own-address",
        "auto-submitted",
        "bounce",
        "mailing-list",
        "digest",
        "bulk",
        "auto-reply",
        "no-sender",
        "hidden-recipients",
        "identity",
        "rate-limit",
        "size-limit",
        "dispatch",
        "documents",
        "answer",
    )
    assert chain.HOLD == ("quarantine",)
    units = chain.units()
    assert sorted(units) == sorted((*chain.CHAIN, *chain.HOLD))  # nothing registered and left out
    for name, unit in units.items():
        assert unit.name == name
        assert unit.description and "\n" not in unit.description and len(unit.description) <= 100
    assert {rule.name for rule in loop_rules.RULES} <= set(chain.CHAIN)


def test_the_outcomes_held_after_a_crash_are_those_the_units_hold() -> None:
    held_rules = {f"skipped:{rule.name}" for rule in loop_rules.RULES if rule.hold}
    assert held_rules == {"skipped:no-sender", "skipped:hidden-recipients"}
    assert {*held_rules, size_limit.TOO_LARGE, chain.QUARANTINED} == chain.HELD_OUTCOMES


async def _decided(world: MailWorld) -> dict[int, tuple[str, str]]:
    async with world.services.sessions() as session:
        rows = await session.execute(select(InboundMail.uid, InboundMail.outcome, InboundMail.decided_by))
    return {int(uid): (str(outcome), str(by)) for uid, outcome, by in rows}


async def test_each_mail_records_the_unit_that_decided_and_goes_to_its_folder(world: MailWorld) -> None:
    inbound = world.mail.inbound
    inbound.mail_concurrency = 1
    inbound.mail_replies_per_sender_per_hour = 1
    inbound.mail_max_bytes = 20_000
    parole, question = "Parole", "Labdien, parole?"
    for raw in (
        mail(subject=parole, body=question, message_id="<first@x>"),
        mail(subject=parole, body=question, message_id="<first@x>"),  # the same mail again
        mail(sender="ivan@example.lv", headers={"Auto-Submitted": "auto-replied"}, message_id="<a@x>"),
        mail(sender="a@example.org, b@example.org", message_id="<two@x>"),
        mail(sender="ivan@example.lv", body="x" * 30_000, message_id="<big@x>"),
        mail(sender="john@example.com", subject=parole, body=question, message_id="<j1@x>"),
        mail(
            sender="john@example.com", subject=parole, body=question, message_id="<j2@x>"
        ),  # over the cap of 1
    ):
        await world.append(raw)
    await run_mailbox(world.services, world.mail, once=True)
    assert await _decided(world) == {
        1: ("answered", "answer"),
        2: ("skipped:duplicate", "duplicate"),
        3: ("skipped:auto-submitted", "auto-submitted"),
        4: ("skipped:no-sender", "no-sender"),
        5: ("too-large", "size-limit"),
        6: ("answered", "answer"),
        7: ("skipped:rate-limit", "rate-limit"),
    }
    # The held ones (no-sender, too large) are the quarantine's: its folder, and a queue item each.
    assert await world.uids("Quarantine") == [1, 2]
    assert await world.count("Processed") == 5 and await world.count("INBOX") == 0
    # Over the cap the handlers still ran: john's second mail is in the conversation, unanswered.
    async with world.services.sessions() as session:
        received = (
            await session.scalars(
                select(Message.external_id)
                .join(Conversation, Message.conversation_id == Conversation.id)
                .where(Conversation.contact == "john@example.com", Message.direction == "in")
                .order_by(Message.id)
            )
        ).all()
    assert received == ["<j1@x>", "<j2@x>"]


async def _run_one(world: MailWorld, raw: bytes, uid: int = 1) -> Decision:
    world.mail.inbound.mail_concurrency = 1
    decisions = await processing.handle_mails(world.services, world.mail, [(Position("INBOX", 1, uid), raw)])
    return decisions[uid]


async def test_the_first_unit_in_the_table_decides(world: MailWorld) -> None:
    # Both a mailing list and auto-submitted: auto-submitted comes first.
    both = mail(headers={"Auto-Submitted": "auto-generated", "List-Id": "<news.example.lv>"})
    assert await _run_one(world, both) == Decision("skipped:auto-submitted", "auto-submitted")
    # Now a copy of a recorded mail, automatic or not: the duplicate unit is the first of all.
    assert await _run_one(world, both, uid=2) == Decision("skipped:duplicate", "duplicate")
    # An out-of-office reply from an address we cannot use: the loop rule, and nobody is held.
    away = mail(sender="a@example.org, b@example.org", subject="Automatic reply: Parole", message_id="<oo@x>")
    assert await _run_one(world, away, uid=3) == Decision("skipped:auto-reply", "auto-reply")


class Embargo:
    """A rule a deployment might add: mail about an embargoed matter is filed, not answered."""

    name = "embargo"
    description = "the subject names the embargo: filed without an answer"

    async def act(self, incoming: Incoming) -> Decision | None:
        if "embargo" in incoming.mail.subject.lower():
            return Decision(f"skipped:{self.name}", self.name)
        return None


class QuietSender:
    """A rule that notes instead of deciding: the handlers still run, no answer goes out."""

    name = "quiet-sender"
    description = "this sender asked for no automatic answers"

    async def act(self, incoming: Incoming) -> Decision | None:
        if incoming.sender == "ivan@example.lv":
            incoming.silenced_by = self.name
        return None


def _add(
    monkeypatch: pytest.MonkeyPatch, unit: Embargo | QuietSender, before: str, *, listed: bool = True
) -> None:
    registry = {**chain.units(), unit.name: unit}
    monkeypatch.setattr(chain, "units", lambda: registry)
    if listed:
        at = chain.CHAIN.index(before)
        monkeypatch.setattr(chain, "CHAIN", (*chain.CHAIN[:at], unit.name, *chain.CHAIN[at:]))


async def test_a_new_rule_is_a_unit_and_its_name_in_the_table(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    embargoed = mail(subject="Embargo: rēķins", body="Lūdzu atsūtiet rēķinu.", message_id="<e1@x>")
    _add(monkeypatch, Embargo(), "dispatch", listed=False)
    assert await _run_one(world, embargoed) == Decision("answered", "answer")  # registered, not listed
    monkeypatch.undo()
    _add(monkeypatch, Embargo(), "dispatch")
    again = mail(subject="Embargo: rēķins", body="Lūdzu atsūtiet rēķinu.", message_id="<e2@x>")
    assert await _run_one(world, again, uid=2) == Decision("skipped:embargo", "embargo")


async def test_a_rule_that_notes_lets_the_handlers_run_and_rules_out_the_answer(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(monkeypatch, QuietSender(), "dispatch")
    raw = mail(sender="ivan@example.lv", subject="Пароль", body="Здравствуйте, забыл пароль.")
    assert await _run_one(world, raw) == Decision("skipped:quiet-sender", "quiet-sender")
    async with world.services.sessions() as session:
        contacts = (await session.scalars(select(Conversation.contact))).all()
    assert contacts == ["ivan@example.lv"]


def _imported(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_mailbox_files_no_queue_item_and_changes_no_consent_itself() -> None:
    """Queue items come from handlers/escalate, consent changes from handlers/consent."""
    forbidden = {"helpdesk.storage.repositories.requests", "helpdesk.storage.repositories.consent"}
    reaching = {
        str(path.relative_to(MAILBOX)): name
        for path in MAILBOX.rglob("*.py")
        for name in _imported(path)
        if any(name == module or name.startswith(f"{module}.") for module in forbidden)
    }
    assert reaching == {}
