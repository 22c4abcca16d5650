"""Casework without the web layer: what the console's views, the portal API and the CLI call.

An action runs in one unit of work, tells the resident through the outbox port on the item's
channel, and writes the audit log; a refusal writes nothing, except the one worth remembering.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpdesk.casework import actions
from helpdesk.casework.context import CLAIM_FIRST, CaseRules, Refused
from helpdesk.services import Services
from helpdesk.storage.models import Agent, OutboxMessage
from helpdesk.storage.models.requests import RequestKind
from helpdesk.storage.repositories import agents, audit, requests
from tests.console.conftest import NOW


async def _agent(services: Services, username: str = "anna") -> Agent:
    async with services.sessions() as db:
        agent = await agents.by_username(db, username)
    assert agent is not None
    return agent


async def _outbox(services: Services) -> list[OutboxMessage]:
    async with services.sessions() as db:
        return list((await db.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def _trail(services: Services, item: int) -> list[str]:
    async with services.sessions() as db:
        return [event.action for event in await audit.for_request(db, item)]


async def test_an_extension_reaches_the_resident_by_mail_in_their_language(
    services: Services, rules: CaseRules, seeded: dict[str, int]
) -> None:
    anna, item = await _agent(services), seeded["access"]
    assert await actions.perform(services, rules, anna, item, "claim", {}) == "claimed"
    form = {"months": "1", "reason": "dati jāsavāc no arhīva"}
    assert await actions.perform(services, rules, anna, item, "extend", form) == "extended:email"
    (notice,) = await _outbox(services)
    assert (notice.channel, notice.recipient) == ("email", "janis@example.lv")
    assert notice.subject == f"Jūsu pieprasījums #{item}"
    assert "dati jāsavāc no arhīva" in notice.body_text and "VDAR 12. panta 3. punkts" in notice.body_text
    assert notice.headers["In-Reply-To"] == "<access-1@example.lv>"  # threaded under the request
    assert await _trail(services, item) == ["claim", "extend"]


async def test_a_reply_on_telegram_goes_to_the_linked_chat_once(
    services: Services, rules: CaseRules, seeded: dict[str, int]
) -> None:
    anna, item = await _agent(services), seeded["question"]
    await actions.perform(services, rules, anna, item, "claim", {})
    form = {"text": "Rēķins ir nosūtīts uz Jūsu e-pastu.", "nonce": "abc123"}
    assert await actions.perform(services, rules, anna, item, "reply", form) == "replied"
    assert await actions.perform(services, rules, anna, item, "reply", form) == "replied"  # a double click
    (message,) = await _outbox(services)
    assert (message.channel, message.recipient) == ("telegram", "111")
    assert message.body_text == f"Atbilde uz Jūsu jautājumu #{item}\n\n{form['text']}"
    assert await _trail(services, item) == ["claim", "reply"]


async def test_a_refused_action_writes_nothing_and_a_wrong_code_is_remembered(
    services: Services, rules: CaseRules, seeded: dict[str, int]
) -> None:
    anna, item = await _agent(services), seeded["correction"]
    with pytest.raises(Refused) as refused:
        await actions.perform(services, rules, anna, item, "verify", {"method": "in_person"})
    assert refused.value.message == CLAIM_FIRST
    await actions.perform(services, rules, anna, item, "claim", {})
    with pytest.raises(Refused) as wrong:
        await actions.perform(
            services,
            rules,
            anna,
            item,
            "verify",
            {"method": "personal_code", "personal_code": "010180-12345"},
        )
    assert wrong.value.audit_action == "verify.failed"
    assert await _trail(services, item) == ["claim", "verify.failed"]
    assert await _outbox(services) == []


async def test_an_item_from_the_terminal_chat_has_no_channel_to_answer_on(
    services: Services, rules: CaseRules, seeded: dict[str, int]
) -> None:
    anna = await _agent(services)
    async with services.sessions() as db, db.begin():
        item = await requests.create(
            db,
            kind=RequestKind.QUESTION,
            channel="chat",
            contact="terminal",
            received_at=NOW,
            deadline_at=NOW,
        )
    await actions.perform(services, rules, anna, item.id, "claim", {})
    with pytest.raises(Refused, match="cannot carry an answer"):
        await actions.perform(services, rules, anna, item.id, "reply", {"text": "Labdien!"})
    assert await _outbox(services) == []
    assert await _trail(services, item.id) == ["claim"]


async def test_the_confirmation_step_reads_and_rolls_back(
    services: Services, rules: CaseRules, seeded: dict[str, int]
) -> None:
    anna, bruno, item = await _agent(services), await _agent(services, "bruno"), seeded["access"]
    with pytest.raises(Refused) as unclaimed:
        await actions.preview_send(services, rules, anna, item, {"export_id": "1"})
    assert unclaimed.value.message == CLAIM_FIRST
    await actions.perform(services, rules, anna, item, "claim", {})
    with pytest.raises(Refused, match="Send the reviewed export"):
        await actions.rehearse(services, rules, anna, item, "close", {"outcome": "answered"})
    await actions.rehearse(services, rules, anna, item, "close", {"outcome": "refused"})  # would succeed
    with pytest.raises(Refused, match="Another agent"):
        await actions.perform(services, rules, bruno, item, "claim", {})
    async with services.sessions() as db:
        row = await requests.get(db, item)
    assert row is not None and row.status == "claimed"  # the rehearsal closed nothing
    assert await _trail(services, item) == ["claim"]
    with pytest.raises(actions.NoSuchItem):
        await actions.perform(services, rules, anna, 999_999, "claim", {})
