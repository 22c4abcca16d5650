"""Double opt-in: a new address (or any address, by e-mail) gets a code through the outbox.

The handler only calls the outbox contract (``helpdesk.storage.repositories.outbox.enqueue``, owned
by the mailbox area); here a recorder stands in for it, so these tests check what the handler asks
to be sent, not how the mailbox sends it.
"""

from __future__ import annotations

import re
import sys
import types
from typing import Any

import pytest

from helpdesk.core.services import Services
from helpdesk.core.types import Action, Channel, Inquiry, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.storage.repositories import consent, residents

from .conftest import action, telegram


@pytest.fixture
def outbox(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def enqueue(session: Any, **fields: Any) -> None:
        assert session is not None
        sent.append(fields)

    module = types.ModuleType("helpdesk.storage.repositories.outbox")
    module.enqueue = enqueue  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "helpdesk.storage.repositories.outbox", module)
    return sent


def _mailed_code(sent: list[dict[str, Any]], recipient: str) -> str:
    (mail,) = [fields for fields in sent if fields["recipient"] == recipient]
    assert mail["channel"] == "email" and mail["subject"] and mail["dedupe_key"].startswith("consent-code:")
    match = re.search(r"\b(\d{6})\b", mail["body_text"])
    assert match is not None
    return match.group(1)


async def test_new_address_is_confirmed_by_code(seeded: Services, outbox: list[dict[str, Any]]) -> None:
    reply = await handle(action(Action.CONSENT_GIVE, email="Janis.News@Example.lv"), seeded)
    assert reply.kind is ReplyKind.QUESTION and reply.extra.get("awaiting") == "consent_code"
    async with seeded.sessions() as session:
        assert not await consent.history(session, "R-1")  # nothing granted before the code
    code = _mailed_code(outbox, "janis.news@example.lv")
    assert code not in reply.text

    done = await handle(telegram(f" {code} "), seeded)  # a bare code in the chat confirms
    assert done.kind is ReplyKind.ANSWER
    async with seeded.sessions() as session:
        (row,) = await consent.history(session, "R-1")
        resident = await residents.get(session, "R-1")
    assert row.granted and row.email == "janis.news@example.lv" and row.channel == "telegram"
    assert resident is not None and resident.news_email == "janis.news@example.lv"

    reused = await handle(action(Action.CONSENT_GIVE_CONFIRM, code=code), seeded)
    assert reused.kind is ReplyKind.REFUSAL


async def test_by_email_even_the_address_on_record_gets_a_code(
    seeded: Services, outbox: list[dict[str, Any]]
) -> None:
    inquiry = Inquiry(
        channel=Channel.EMAIL,
        sender="janis@example.lv",
        resident_id="R-1",
        action=Action.CONSENT_GIVE,
        message_id="<m1@example.lv>",
    )
    reply = await handle(inquiry, seeded)
    assert reply.kind is ReplyKind.QUESTION
    code = _mailed_code(outbox, "janis@example.lv")
    confirm = Inquiry(
        channel=Channel.EMAIL,
        sender="janis@example.lv",
        resident_id="R-1",
        text=code,
        message_id="<m2@example.lv>",
    )
    assert (await handle(confirm, seeded)).kind is ReplyKind.ANSWER
    async with seeded.sessions() as session:
        (row,) = await consent.history(session, "R-1")
    assert row.granted and row.channel == "email" and row.evidence == "<m2@example.lv>"
