"""News consent: status, one-step withdrawal, confirmed giving; every change a ledger row."""

from __future__ import annotations

from datetime import timedelta

import pytest

from helpdesk.core.matching import Decision, Match
from helpdesk.core.types import Action, ReplyKind
from helpdesk.core.unsubscribe import make_unsubscribe_token
from helpdesk.handlers.consent import withdraw_by_token
from helpdesk.handlers.consent_text import version_for
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.repositories import audit, consent

from .conftest import NOW, FakeMatcher, action, telegram


async def test_give_with_address_on_record_then_withdraw(seeded: Services) -> None:
    status = await handle(action(Action.CONSENT_STATUS), seeded)
    assert status.buttons[0][0].action is Action.CONSENT_GIVE

    question = await handle(action(Action.CONSENT_GIVE), seeded)
    assert question.kind is ReplyKind.QUESTION
    assert "j***@e***.lv" in question.text and "janis@example.lv" not in question.text
    confirm = question.buttons[0][0]
    granted = await handle(telegram(resident="R-1", action=confirm.action, args=confirm.args), seeded)
    assert granted.kind is ReplyKind.ANSWER

    status = await handle(action(Action.CONSENT_STATUS), seeded)
    assert "j***@e***.lv" in status.text and status.buttons[0][0].action is Action.CONSENT_WITHDRAW

    withdrawn = await handle(action(Action.CONSENT_WITHDRAW), seeded)
    assert withdrawn.kind is ReplyKind.ANSWER
    async with seeded.sessions() as session:
        rows = await consent.history(session, "R-1")
    assert [row.granted for row in rows] == [True, False]
    for row in rows:
        assert row.channel == "telegram"
        assert row.evidence.startswith("tg:111")
        assert row.text_version == version_for("lv")
    assert rows[0].email == "janis@example.lv"


async def test_consent_needs_identified_resident(seeded: Services) -> None:
    for act in (
        Action.CONSENT_STATUS,
        Action.CONSENT_WITHDRAW,
        Action.CONSENT_GIVE,
        Action.CONSENT_GIVE_CONFIRM,
    ):
        reply = await handle(action(act, resident=None, user=999), seeded)
        assert reply.kind is ReplyKind.REFUSAL
    async with seeded.sessions() as session:
        assert not await consent.history(session, "R-1")


async def test_confirm_with_address_not_on_record_does_not_grant(seeded: Services) -> None:
    await handle(action(Action.CONSENT_GIVE_CONFIRM, email="someone-else@example.lv"), seeded)
    async with seeded.sessions() as session:
        assert not await consent.history(session, "R-1")


async def test_wrong_code_is_refused(seeded: Services) -> None:
    reply = await handle(action(Action.CONSENT_GIVE_CONFIRM, code="123456"), seeded)
    assert reply.kind is ReplyKind.REFUSAL
    reply = await handle(action(Action.CONSENT_GIVE_CONFIRM, code="12x"), seeded)
    assert reply.kind is ReplyKind.REFUSAL
    async with seeded.sessions() as session:
        assert not await consent.history(session, "R-1")


def _route(services: Services, text: str, entry: str) -> None:
    matcher = services.matcher
    assert isinstance(matcher, FakeMatcher)
    matcher.routes[text] = Match(entry, 90.0, Decision.ANSWER, "lv")


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("vai man ir piekrišana jaunumiem?", "action:consent-withdraw"),
        ("vai es saņemu jaunumus", "action:consent-give"),
        ("am I subscribed to news?", "action:consent-give"),
        ("подписан ли я на новости", "action:consent-withdraw"),
    ],
)
async def test_a_question_about_consent_shows_the_state_and_changes_nothing(
    seeded: Services, text: str, entry: str
) -> None:
    _route(seeded, text, entry)
    reply = await handle(telegram(text), seeded)
    assert reply.intent == Action.CONSENT_STATUS
    assert "nesaņemat" in reply.text  # "You do not receive our news e-mails."
    assert reply.buttons[0][0].action is Action.CONSENT_GIVE
    async with seeded.sessions() as session:
        assert not await consent.history(session, "R-1")


@pytest.mark.parametrize(
    "text", ["atrakstiet mani no jaunumiem", "vai varat mani atrakstīt?", "could you unsubscribe me?"]
)
async def test_a_request_to_withdraw_withdraws_in_one_step(seeded: Services, text: str) -> None:
    _route(seeded, text, "action:consent-withdraw")
    reply = await handle(telegram(text), seeded)
    assert reply.intent == Action.CONSENT_WITHDRAW and reply.kind is ReplyKind.ANSWER
    async with seeded.sessions() as session:
        assert [row.granted for row in await consent.history(session, "R-1")] == [False]


async def test_the_withdraw_button_always_acts(seeded: Services) -> None:
    reply = await handle(telegram("vai?", action=Action.CONSENT_WITHDRAW), seeded)
    assert reply.intent == Action.CONSENT_WITHDRAW
    async with seeded.sessions() as session:
        assert len(await consent.history(session, "R-1")) == 1


async def test_the_one_click_link_withdraws_once_and_keeps_the_address(seeded: Services) -> None:
    """The news e-mail's link (RFC 8058) withdraws through the same ledger writer as a message."""
    granted = await handle(action(Action.CONSENT_GIVE_CONFIRM, email="record"), seeded)
    assert granted.kind is ReplyKind.ANSWER
    key = seeded.security.secret_key_bytes()
    token = make_unsubscribe_token(key, "R-1")
    assert await withdraw_by_token(seeded, "garbage") is False
    assert await withdraw_by_token(seeded, make_unsubscribe_token(b"another key", "R-1")) is False
    assert await withdraw_by_token(seeded, make_unsubscribe_token(key, "R-404")) is False
    assert await withdraw_by_token(seeded, token) is True
    assert await withdraw_by_token(seeded, token) is True  # a second click records nothing new
    async with seeded.sessions() as session:
        rows = await consent.history(session, "R-1")
        audited = await audit.count_since(
            session, actor="resident:R-1", action="consent.withdrawn", since=NOW - timedelta(days=1)
        )
    assert [(row.granted, row.channel, row.evidence) for row in rows] == [
        (True, "telegram", rows[0].evidence),
        (False, "email", "list-unsubscribe"),
    ]
    assert rows[1].email == "janis@example.lv" and rows[1].text_version == version_for("lv")
    assert audited == 1
