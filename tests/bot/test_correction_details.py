"""The handlers' "My data → Correct my data" on Telegram: the request is filed and asks what to
correct, and the next typed message joins it (one queue item with the details, no extra question);
a button or a command in between ends the collection; a request waiting for the resident is
resumed. Through the real webhook, the real handlers and the fake Bot API, on both backends."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from helpdesk.storage.models import Agent, SupportRequest
from helpdesk.storage.models.requests import IdentityState, RequestKind
from helpdesk.storage.repositories import requests
from tests.bot.conftest import LINKED_USER, NOW, BotHarness
from tests.bot.fake_api import callback, message
from tests.bot.test_flows import button

MY_DATA = "a:rq:::"  # the handlers' "My data" button (menu_buttons), which asks which request
CORRECT = "a:rq:kind:correction:"


async def _items(harness: BotHarness) -> list[SupportRequest]:
    async with harness.services.sessions() as session:
        return list(await session.scalars(select(SupportRequest).order_by(SupportRequest.id)))


async def _correct_my_data(harness: BotHarness) -> int:
    await harness.send(callback(LINKED_USER, MY_DATA))
    offer = harness.fake.sent_to(LINKED_USER)[-1]
    await harness.send(callback(LINKED_USER, button(offer, CORRECT)))
    asked = harness.fake.sent_to(LINKED_USER)[-1]
    assert "kas ir nepareizi un kā tam jābūt" in asked.text
    [item] = await _items(harness)
    assert item.kind == RequestKind.CORRECTION and item.summary == ""
    return item.id


async def test_the_next_message_joins_the_correction_request(harness: BotHarness) -> None:
    item_id = await _correct_my_data(harness)
    await harness.send(message(LINKED_USER, "Mans uzvārds ir Bērziņš, nevis Berzins"))
    told = harness.fake.sent_to(LINKED_USER)[-1]
    assert f"pievienoju šo ziņu Jūsu pieprasījumam #{item_id}" in told.text
    [item] = await _items(harness)  # one item with the details, no question
    assert item.summary == "Mans uzvārds ir Bērziņš, nevis Berzins"
    # The collection is over: the next message is a question of its own.
    await harness.send(message(LINKED_USER, "Kāpēc mans skaitītājs rāda nulli?"))
    assert [i.kind for i in await _items(harness)] == ["correction", "question"]
    assert (await _items(harness))[0].summary == "Mans uzvārds ir Bērziņš, nevis Berzins"


async def test_a_button_in_between_ends_the_collection(harness: BotHarness) -> None:
    await _correct_my_data(harness)
    await harness.send(callback(LINKED_USER, button(harness.fake.sent_to(LINKED_USER)[-1], "a:m:")))  # "Menu"
    assert harness.fake.sent_to(LINKED_USER)[-1].buttons()  # the menu
    await harness.send(message(LINKED_USER, "Kāpēc mans skaitītājs rāda nulli?"))
    correction, question = await _items(harness)
    assert correction.summary == "" and question.kind == "question"


async def test_another_button_in_between_ends_the_collection(harness: BotHarness) -> None:
    await _correct_my_data(harness)
    await harness.send(callback(LINKED_USER, "a:i:::"))  # the invoice instead
    assert harness.fake.of("sendDocument", LINKED_USER)
    await harness.send(message(LINKED_USER, "Kāpēc mans skaitītājs rāda nulli?"))
    correction, question = await _items(harness)
    assert correction.summary == "" and question.kind == "question"


async def test_a_command_in_between_is_handled_as_itself(harness: BotHarness) -> None:
    await _correct_my_data(harness)
    await harness.send(message(LINKED_USER, "/invoice"))
    assert harness.fake.of("sendDocument", LINKED_USER)
    await harness.send(message(LINKED_USER, "Kāpēc mans skaitītājs rāda nulli?"))
    assert [i.kind for i in await _items(harness)] == ["correction", "question"]


async def test_a_mistyped_command_ends_the_collection_too(harness: BotHarness) -> None:
    await _correct_my_data(harness)
    await harness.send(message(LINKED_USER, "/rekins"))
    assert "Šādu komandu es nezinu" in harness.fake.sent_to(LINKED_USER)[-1].text
    await harness.send(message(LINKED_USER, "Kāpēc mans skaitītājs rāda nulli?"))
    correction, question = await _items(harness)
    assert correction.summary == "" and question.kind == "question"


async def test_a_mistyped_command_is_not_filed_as_the_correction_text(harness: BotHarness) -> None:
    """ "/request" → "Correct my data" (the one "My data" offer, as the menu's): a command, even a
    mistyped one, is handled as itself, never taken as what to correct."""
    await harness.send(message(LINKED_USER, "/request"))
    await harness.send(callback(LINKED_USER, button(harness.fake.sent_to(LINKED_USER)[-1], CORRECT)))
    await harness.send(message(LINKED_USER, "/rekins"))
    assert "Šādu komandu es nezinu" in harness.fake.sent_to(LINKED_USER)[-1].text
    await harness.send(message(LINKED_USER, "Kāpēc mans skaitītājs rāda nulli?"))
    correction, question = await _items(harness)
    assert (correction.kind, correction.summary, question.kind) == ("correction", "", "question")


async def test_too_long_details_are_refused_and_still_collected(harness: BotHarness) -> None:
    await _correct_my_data(harness)
    limit = harness.services.conversation.max_text_length
    await harness.send(message(LINKED_USER, "x" * (limit + 1)))
    assert str(limit) in harness.fake.sent_to(LINKED_USER)[-1].text
    await harness.send(message(LINKED_USER, "Adrese ir Brīvības iela 3"))
    [item] = await _items(harness)
    assert item.summary == "Adrese ir Brīvības iela 3"


async def test_details_resume_a_correction_waiting_for_the_resident(harness: BotHarness) -> None:
    async with harness.services.sessions() as db, db.begin():
        agent = Agent(username="anna", password_hash="x", role="agent")
        db.add(agent)
        await db.flush()
        item = await requests.create(
            db,
            kind=RequestKind.CORRECTION,
            channel="telegram",
            contact=str(LINKED_USER),
            received_at=NOW - timedelta(days=1),
            deadline_at=NOW + timedelta(days=20),
            resident_id="R-1",
            identity=IdentityState.VERIFIED,
        )
        assert await requests.claim(
            db, request_id=item.id, agent_id=agent.id, now=NOW, lease=timedelta(hours=1)
        )
        assert await requests.wait(db, request_id=item.id, agent_id=agent.id, now=NOW)
        item_id, agent_id = item.id, agent.id
    # "Correct my data" again: the open request, and it asks what to correct (it has no summary).
    await harness.send(callback(LINKED_USER, MY_DATA))
    await harness.send(callback(LINKED_USER, button(harness.fake.sent_to(LINKED_USER)[-1], CORRECT)))
    assert "kas ir nepareizi" in harness.fake.sent_to(LINKED_USER)[-1].text
    async with harness.services.sessions() as db, db.begin():  # the agent parks it again meanwhile
        assert await requests.wait(db, request_id=item_id, agent_id=agent_id, now=NOW)
    await harness.send(message(LINKED_USER, "Pareizā adrese: Brīvības iela 3-5"))
    [item] = await _items(harness)
    assert item.status == "claimed" and item.resident_replied_at == NOW
    assert item.summary == "Pareizā adrese: Brīvības iela 3-5"
