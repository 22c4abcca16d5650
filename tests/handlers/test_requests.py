"""Access/correction requests (one calendar month), escalations, and the deadline arithmetic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from helpdesk.core.deadlines import add_months, gdpr_deadline
from helpdesk.core.types import Action, Channel, Inquiry, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models.requests import IdentityState, RequestKind
from helpdesk.storage.repositories import requests

from .conftest import NOW, action, telegram


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (datetime(2026, 1, 31, tzinfo=UTC), datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2028, 1, 31, tzinfo=UTC), datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2026, 3, 31, tzinfo=UTC), datetime(2026, 4, 30, tzinfo=UTC)),
        (datetime(2026, 12, 15, 9, 30, tzinfo=UTC), datetime(2027, 1, 15, 9, 30, tzinfo=UTC)),
        (datetime(2026, 2, 28, tzinfo=UTC), datetime(2026, 3, 28, tzinfo=UTC)),
    ],
)
def test_gdpr_deadline_is_one_calendar_month(received: datetime, deadline: datetime) -> None:
    assert gdpr_deadline(received) == deadline


def test_add_months_many() -> None:
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 13) == datetime(2027, 2, 28, tzinfo=UTC)


async def test_verified_access_request(seeded: Services) -> None:
    reply = await handle(action(Action.ACCESS_REQUEST), seeded)
    assert reply.request_id is not None
    assert f"#{reply.request_id}" in reply.text and "28.02.2026" in reply.text  # 31 Jan + 1 month
    async with seeded.sessions() as session:
        item = await requests.get(session, reply.request_id)
    assert item is not None
    assert item.kind == RequestKind.ACCESS and item.identity == IdentityState.VERIFIED
    assert item.deadline_at == datetime(2026, 2, 28, 10, 0, tzinfo=UTC)
    again = await handle(telegram("gribu savus datus"), seeded)
    assert again.request_id == reply.request_id  # no duplicate


async def test_unverified_email_correction_request(seeded: Services) -> None:
    inquiry = Inquiry(
        channel=Channel.EMAIL,
        sender="stranger@example.lv",
        action=Action.CORRECTION_REQUEST,
        text="Mans uzvārds ir nepareizs, kods 010180-12345",
        identity_unverified_reason="sender not on record",
    )
    reply = await handle(inquiry, seeded)
    assert reply.request_id is not None
    async with seeded.sessions() as session:
        item = await requests.get(session, reply.request_id)
    assert item is not None
    assert item.identity == IdentityState.UNVERIFIED and item.resident_id is None
    assert "010180-12345" not in item.summary
    assert item.contact == "stranger@example.lv"


async def test_unanswerable_question_escalates_with_deadline(seeded: Services) -> None:
    reply = await handle(telegram("Kāpēc man ir tik liels rēķins par siltumu?"), seeded)
    assert reply.kind is ReplyKind.ESCALATED
    async with seeded.sessions() as session:
        item = await requests.get(session, reply.request_id or 0)
    assert item is not None and item.kind == RequestKind.QUESTION
    assert item.deadline_at == NOW + timedelta(hours=seeded.conversation.question_answer_hours)
    follow_up = await handle(telegram("Un vēl: kad būs pārrēķins?"), seeded)
    assert follow_up.kind is ReplyKind.ESCALATED and follow_up.request_id == reply.request_id


async def test_human_button(seeded: Services) -> None:
    reply = await handle(action(Action.HUMAN, resident=None, user=77), seeded)
    assert reply.kind is ReplyKind.ESCALATED and reply.request_id


async def test_my_data_asks_which_request_before_filing_one(seeded: Services) -> None:
    menu = await handle(action(Action.MENU), seeded)
    my_data = next(button for row in menu.buttons for button in row if button.label == "👤 Mani dati")
    offer = await handle(telegram(action=my_data.action, args=dict(my_data.args)), seeded)
    assert offer.kind is ReplyKind.QUESTION and offer.request_id is None
    assert "viena mēneša laikā" in offer.text
    async with seeded.sessions() as session:
        assert await requests.list_items(session) == []
    copy, correct = offer.buttons[0][0], offer.buttons[1][0]
    assert (copy.args, correct.args) == ({"kind": "access"}, {"kind": "correction"})
    filed = await handle(telegram(action=copy.action, args=dict(copy.args)), seeded)
    assert filed.request_id is not None and "#" in filed.text


async def test_one_word_about_data_asks_before_filing(seeded: Services) -> None:
    """'dati' matches the access intent, but a formal Art. 15 request is filed only when asked for."""
    offer = await handle(telegram("dati"), seeded)
    assert offer.kind is ReplyKind.QUESTION and offer.request_id is None
    assert {button.args.get("kind") for row in offer.buttons for button in row} >= {"access", "correction"}
    async with seeded.sessions() as session:
        assert await requests.list_items(session) == []
    filed = await handle(telegram("gribu savus datus"), seeded)
    assert filed.request_id is not None


async def test_one_word_mail_about_data_is_filed(seeded: Services) -> None:
    """A mail is a written request however short: it is filed (unverified sender) at once."""
    mail = Inquiry(
        channel=Channel.EMAIL,
        sender="someone@example.org",
        language="lv",
        text="dati",
        received_at=NOW,
        message_id="<dati@example.org>",
    )
    filed = await handle(mail, seeded)
    assert filed.request_id is not None
