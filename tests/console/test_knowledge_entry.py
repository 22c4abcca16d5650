"""An agent turns an answered escalated question into a knowledge-base entry from the item page,
through the same authoring code as ``helpdesk kb add-from-request``; and what an answered item
shows on the way (the reply in the conversation, a closed item that stays closed)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from aiohttp import web
from aiohttp.test_utils import TestClient

from helpdesk.knowledge import load_matcher
from helpdesk.services import Services
from helpdesk.settings import Settings
from helpdesk.storage.repositories import audit, conversations, requests
from tests.console.conftest import csrf_of, make_settings, post_form, sign_in

Client = TestClient[web.Request, web.Application]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The console's settings with the operator's KB directory inside the test's tmp_path."""
    return make_settings(database_url, tmp_path, kb_extra_dir=tmp_path / "kb")


async def act(client: Client, item: int, action: str, **data: str) -> tuple[int, str, str]:
    return await post_form(client, f"/items/{item}/{action}", data, page=f"/items/{item}")


async def answered(client: Client, item: int) -> None:
    await sign_in(client)
    assert (await act(client, item, "claim"))[1].endswith("done=claimed")
    reply = "Apkures rēķins pieaug, kad ziemā ir aukstāks. Skatiet sadaļu Rēķini portālā."
    assert (await act(client, item, "reply", text=reply, nonce="n1"))[1].endswith("done=replied")


async def test_answered_question_becomes_a_kb_entry(
    settings: Settings, client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["question"]
    page = await (await client.get(f"/items/{item}")).text()
    assert 'action="/items/' not in page  # not signed in: nothing to see
    await sign_in(client)
    await act(client, item, "claim")
    page = await (await client.get(f"/items/{item}")).text()
    assert f'action="/items/{item}/kb"' not in page  # no answer yet, no form
    reply = "Apkures rēķins pieaug, kad ziemā ir aukstāks. Skatiet sadaļu Rēķini portālā."
    await act(client, item, "reply", text=reply, nonce="n1")
    page = await (await client.get(f"/items/{item}")).text()
    assert "Save answer as a knowledge-base entry" in page and f'action="/items/{item}/kb"' in page
    assert reply in page  # the reply is in the conversation and offered as the entry's answer

    status, location, _ = await act(client, item, "kb", entry_id="heating-colder-winter", title="")
    assert status == 303 and location.endswith("done=kb_added")
    page = await (await client.get(location)).text()
    assert "Saved as a knowledge-base entry. It is used after the next restart." in page
    assert "Saved as knowledge-base entry heating-colder-winter." in page
    assert f'action="/items/{item}/kb"' not in page  # saved once; a second save is not offered

    path = settings.knowledge.kb_extra_dir / "heating-colder-winter.yaml"
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert entries[0]["id"] == "heating-colder-winter"
    assert entries[0]["lv"]["body"] == reply
    assert entries[0]["lv"]["phrasings"] == ["<script>alert('x')</script><b>bold</b>"]
    async with services.sessions() as db:
        events = await audit.for_request(db, item)
    assert events[-1].action == "kb.entry_added" and events[-1].actor.startswith("agent:")
    assert events[-1].detail == {
        "entry_id": "heating-colder-winter",
        "language": "lv",
        "file": "heating-colder-winter.yaml",
    }
    # The file is a valid KB entry: the matcher of the next start loads it.
    assert any(
        e.id == "heating-colder-winter"
        for e in load_matcher(settings.knowledge, settings.conversation.default_language).knowledge.entries
    )


async def test_a_closed_question_can_be_saved_without_a_claim(
    settings: Settings, client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["question"]
    await answered(client, item)
    await act(client, item, "close", outcome="answered", confirm="1")
    await client.post("/logout", data={"csrf": await csrf_of(client, "/queue")})
    await sign_in(client, "bruno")  # another agent, later
    page = await (await client.get(f"/items/{item}")).text()
    assert "This item is closed." in page and f'action="/items/{item}/kb"' in page
    status, _, _ = await act(client, item, "kb", entry_id="heating-bill", answer="Edited answer.")
    assert status == 303
    entries = yaml.safe_load((settings.knowledge.kb_extra_dir / "heating-bill.yaml").read_text("utf-8"))
    assert entries[0]["lv"]["body"] == "Edited answer."


async def test_kb_entry_refusals(
    settings: Settings, client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["question"]
    await answered(client, item)
    status, _, page = await act(client, item, "kb", entry_id="Bad Id!")
    assert status == 400 and "An entry id is 2-63 lower-case letters" in page
    status, _, page = await act(client, item, "kb", entry_id="register")  # a shipped entry
    assert status == 409 and "The entry was not saved" in page and "already has an entry" in page
    status, _, page = await act(client, seeded["access"], "kb", entry_id="access-entry")
    assert status == 400 and "Only answered questions can become knowledge-base entries." in page
    # Someone else's open item: the holder decides.
    await act(client, item, "release")
    await client.post("/logout", data={"csrf": await csrf_of(client, "/queue")})
    await sign_in(client, "bruno")
    await act(client, item, "claim")
    await client.post("/logout", data={"csrf": await csrf_of(client, "/queue")})
    await sign_in(client, "anna")
    status, _, page = await act(client, item, "kb", entry_id="heating-bill")
    assert status == 409 and "Claim this item first" in page
    # Without the form's CSRF token nothing happens.
    response = await client.post(f"/items/{item}/kb", data={"entry_id": "heating-bill"})
    assert response.status == 403
    assert not settings.knowledge.kb_extra_dir.exists() or not list(settings.knowledge.kb_extra_dir.iterdir())
    async with services.sessions() as db:
        assert "kb.entry_added" not in [e.action for e in await audit.for_request(db, item)]


async def test_reply_without_a_stored_conversation_is_kept_once(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["question"]  # filed without a conversation (or its conversation was purged)
    await answered(client, item)
    assert (await act(client, item, "reply", text="A second click.", nonce="n1"))[0] == 303
    async with services.sessions() as db:
        row = await requests.get(db, item)
        assert row is not None and row.conversation_id is not None
        texts = [m.text for m in await conversations.messages(db, row.conversation_id)]
        replies = [e for e in await audit.for_request(db, item) if e.action == "reply"]
    assert texts == ["Apkures rēķins pieaug, kad ziemā ir aukstāks. Skatiet sadaļu Rēķini portālā."]
    assert len(replies) == 1


async def test_releasing_a_closed_item_keeps_it_closed(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    item = seeded["question"]
    await answered(client, item)
    await act(client, item, "close", outcome="answered", confirm="1")
    status, _, page = await act(client, item, "release")
    assert status == 409 and "This item is closed." in page
    async with services.sessions() as db:
        row = await requests.get(db, item)
    assert row is not None and row.status == "closed" and row.outcome == "answered"
