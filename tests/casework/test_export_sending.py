"""HELPDESK_TELEGRAM_DOCUMENTS on the casework path: an Art. 15 export asked for in a linked
Telegram chat goes there as documents (``send``), or by e-mail to the invoice address while the
chat is told where, the address masked (``email``, ``off``). What reaches Telegram is checked
through the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiogram import Bot
from sqlalchemy import select

from helpdesk.app import build_services
from helpdesk.bot.delivery import deliver_due
from helpdesk.bot.factory import build_bot
from helpdesk.casework import actions
from helpdesk.casework.context import CaseRules, Refused
from helpdesk.core.deadlines import gdpr_deadline
from helpdesk.services import Services
from helpdesk.settings import Settings, TelegramDocuments
from helpdesk.storage.models import Agent, OutboxMessage
from helpdesk.storage.models.requests import IdentityState, RequestKind
from helpdesk.storage.repositories import agents, exports, requests, residents
from tests.bot.conftest import fake_api
from tests.bot.fake_api import FakeTelegram
from tests.console.conftest import NOW, make_settings, seed
from tests.handlers.conftest import fake_matcher

__all__ = ["fake_api"]

CHAT = 111  # R-1's linked chat in the console's seed
TOLD = (
    "Jūsu datu kopiju (pieprasījums #{item}) nosūtījām atsevišķā e-pastā uz Jūsu kontā reģistrēto "
    "rēķinu adresi (j***@e***.lv)."
)


@pytest.fixture
def settings(database_url: str, tmp_path: Path, fake_api: FakeTelegram) -> Settings:
    return make_settings(
        database_url, tmp_path, telegram_token=fake_api.token, telegram_api_base=fake_api.base_url
    )


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    built = build_services(settings, matcher=fake_matcher())
    built.clock = lambda: NOW
    await seed(built)
    yield built
    await built.aclose()


@pytest.fixture
async def bot(services: Services, settings: Settings) -> AsyncIterator[Bot]:
    built = build_bot(settings.telegram)
    yield built
    await built.session.close()


async def _access_from_telegram(services: Services) -> int:
    """R-1 asked for a copy of their data in their linked chat (so the identity is verified)."""
    received = NOW - timedelta(days=2)
    async with services.sessions.begin() as db:
        item = await requests.create(
            db,
            kind=RequestKind.ACCESS,
            channel="telegram",
            contact=str(CHAT),
            received_at=received,
            deadline_at=gdpr_deadline(received),
            resident_id="R-1",
            identity=IdentityState.VERIFIED,
            identity_how="telegram: linked chat",
        )
    return item.id


async def _anna(services: Services) -> Agent:
    async with services.sessions() as db:
        agent = await agents.by_username(db, "anna")
    assert agent is not None
    return agent


async def _reviewed_export(services: Services, rules: CaseRules, agent: Agent, item: int) -> int:
    assert await actions.perform(services, rules, agent, item, "claim", {}) == "claimed"
    assert await actions.perform(services, rules, agent, item, "export", {}) == "exported"
    async with services.sessions() as db:
        (row,) = await exports.for_request(db, item)
    assert (
        await actions.perform(services, rules, agent, item, "review", {"export_id": str(row.id)})
        == "reviewed"
    )
    return row.id


async def _outbox(services: Services) -> list[OutboxMessage]:
    async with services.sessions() as db:
        return list(await db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def _deliver_telegram(services: Services, bot: Bot) -> int:
    services.clock = lambda: datetime.now(UTC)  # the outbox stamps rows with the real time
    return await deliver_due(services, bot)


def _mode(services: Services, mode: TelegramDocuments) -> None:
    services.conversation = services.conversation.model_copy(update={"telegram_documents": mode})


async def test_send_puts_the_export_in_the_linked_chat(
    services: Services, rules: CaseRules, bot: Bot, fake_api: FakeTelegram
) -> None:
    anna, item = await _anna(services), await _access_from_telegram(services)
    export_id = await _reviewed_export(services, rules, anna, item)
    planned = await actions.preview_send(services, rules, anna, item, {"export_id": str(export_id)})
    assert (planned.via, planned.to) == ("telegram", str(CHAT))
    assert await actions.perform(services, rules, anna, item, "send", {"export_id": str(export_id)}) == "sent"
    (row,) = await _outbox(services)
    assert (row.channel, row.recipient, len(row.attachments)) == ("telegram", str(CHAT), 3)
    assert await _deliver_telegram(services, bot) == 1
    documents = fake_api.of("sendDocument", CHAT)
    assert sorted(name for call in documents for name, _content in call.files.values()) == [
        f"data-export-{export_id}.{ext}" for ext in ("html", "json", "pdf")
    ]


@pytest.mark.parametrize("mode", [TelegramDocuments.EMAIL, TelegramDocuments.OFF])
async def test_kept_out_of_telegram_the_export_is_mailed_and_the_chat_told(
    services: Services, rules: CaseRules, bot: Bot, fake_api: FakeTelegram, mode: TelegramDocuments
) -> None:
    _mode(services, mode)
    anna, item = await _anna(services), await _access_from_telegram(services)
    export_id = await _reviewed_export(services, rules, anna, item)
    planned = await actions.preview_send(services, rules, anna, item, {"export_id": str(export_id)})
    assert (planned.via, planned.to, planned.tell_chat) == ("email", "janis@example.lv", True)
    assert await actions.perform(services, rules, anna, item, "send", {"export_id": str(export_id)}) == "sent"
    mail, note = await _outbox(services)
    assert (mail.channel, mail.recipient) == ("email", "janis@example.lv")
    assert sorted(a["filename"] for a in mail.attachments) == [
        f"data-export-{export_id}.{ext}" for ext in ("html", "json", "pdf")
    ]
    assert (note.channel, note.recipient, note.attachments) == ("telegram", str(CHAT), [])
    assert await _deliver_telegram(services, bot) == 1
    assert fake_api.of("sendDocument") == []
    (told,) = fake_api.sent_to(CHAT)
    assert told.method == "sendMessage" and told.text == TOLD.format(item=item)
    assert "janis@example.lv" not in told.text


async def test_an_export_from_an_email_request_tells_no_chat(services: Services, rules: CaseRules) -> None:
    _mode(services, TelegramDocuments.EMAIL)
    anna = await _anna(services)
    async with services.sessions() as db:
        item = next(r.id for r in await requests.list_items(db) if r.channel == "email" and r.resident_id)
    export_id = await _reviewed_export(services, rules, anna, item)
    assert await actions.perform(services, rules, anna, item, "send", {"export_id": str(export_id)}) == "sent"
    (mail,) = await _outbox(services)
    assert (mail.channel, mail.recipient) == ("email", "janis@example.lv")


async def test_kept_out_of_telegram_without_an_invoice_address_is_refused(
    services: Services, rules: CaseRules
) -> None:
    _mode(services, TelegramDocuments.OFF)
    async with services.sessions.begin() as db:
        await residents.upsert(db, resident_id="R-1", name="Jānis Bērziņš", invoice_email=None)
    anna, item = await _anna(services), await _access_from_telegram(services)
    export_id = await _reviewed_export(services, rules, anna, item)
    with pytest.raises(Refused) as refused:
        await actions.perform(services, rules, anna, item, "send", {"export_id": str(export_id)})
    assert "HELPDESK_TELEGRAM_DOCUMENTS" in refused.value.message
    assert await _outbox(services) == []
