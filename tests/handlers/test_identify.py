"""Link tokens: two-step redemption, single use, expiry, forgery, private chats only, rate limit."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from helpdesk.core.types import Action, Channel, Inquiry, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.handlers.identify import AddressIdentity, by_address
from helpdesk.services import Services
from helpdesk.storage.models.residents import Resident
from helpdesk.storage.repositories import links, residents

from .conftest import NOW, action


async def resident_for_telegram(services: Services, telegram_user_id: int) -> str | None:
    """The resident this Telegram user is linked to (the link row the dispatcher reads)."""
    async with services.sessions() as session:
        link = await links.for_user(session, telegram_user_id)
        return link.resident_id if link else None


async def _mint(services: Services, resident_id: str = "R-2", *, ttl: int = 30) -> str:
    async with services.sessions() as session, session.begin():
        token, _row = await links.mint(session, resident_id=resident_id, ttl_minutes=ttl, now=NOW)
    return token


async def test_redeem_shows_masked_account_and_binds_only_after_confirm(seeded: Services) -> None:
    token = await _mint(seeded)
    shown = await handle(action(Action.LINK_REDEEM, resident=None, user=222, token=token), seeded)
    assert shown.kind is ReplyKind.QUESTION
    assert "Anna O., Lāčplēša iela 7-…" in shown.text
    assert "Ozola" not in shown.text
    assert await resident_for_telegram(seeded, 222) is None  # not bound yet
    assert shown.buttons[0][0].action is Action.LINK_CONFIRM

    done = await handle(action(Action.LINK_CONFIRM, resident=None, user=222, token=token), seeded)
    assert done.kind is ReplyKind.ANSWER and done.resident_id == "R-2"
    assert await resident_for_telegram(seeded, 222) == "R-2"


async def test_reused_token_is_refused(seeded: Services) -> None:
    token = await _mint(seeded)
    await handle(action(Action.LINK_CONFIRM, resident=None, user=222, token=token), seeded)
    again = await handle(action(Action.LINK_CONFIRM, resident=None, user=333, token=token), seeded)
    assert again.kind is ReplyKind.REFUSAL
    assert await resident_for_telegram(seeded, 333) is None
    redeem = await handle(action(Action.LINK_REDEEM, resident=None, user=333, token=token), seeded)
    assert redeem.kind is ReplyKind.REFUSAL


async def test_expired_token_is_refused(seeded: Services) -> None:
    token = await _mint(seeded, ttl=30)
    seeded.clock = lambda: NOW + timedelta(minutes=31)
    reply = await handle(action(Action.LINK_CONFIRM, resident=None, user=222, token=token), seeded)
    assert reply.kind is ReplyKind.REFUSAL
    assert await resident_for_telegram(seeded, 222) is None


async def test_forged_and_missing_tokens_are_refused(seeded: Services) -> None:
    for args in ({"token": "A" * 43}, {"token": "not a token!"}, {}):
        reply = await handle(action(Action.LINK_REDEEM, resident=None, user=222, **args), seeded)
        assert reply.kind is ReplyKind.REFUSAL
    assert await resident_for_telegram(seeded, 222) is None


async def test_token_refused_outside_private_telegram_chat(seeded: Services) -> None:
    token = await _mint(seeded)
    group = Inquiry(
        channel=Channel.TELEGRAM,
        sender="222",
        action=Action.LINK_CONFIRM,
        args={"token": token, "chat_type": "group"},
    )
    assert (await handle(group, seeded)).kind is ReplyKind.REFUSAL
    mail = Inquiry(
        channel=Channel.EMAIL, sender="x@example.lv", action=Action.LINK_CONFIRM, args={"token": token}
    )
    assert (await handle(mail, seeded)).kind is ReplyKind.REFUSAL
    assert await resident_for_telegram(seeded, 222) is None
    # the token is still good for its owner in a private chat
    ok = await handle(action(Action.LINK_CONFIRM, resident=None, user=222, token=token), seeded)
    assert ok.resident_id == "R-2"


async def test_failed_attempts_are_rate_limited(seeded: Services) -> None:
    for _ in range(seeded.conversation.link_failures_per_hour):
        await handle(action(Action.LINK_REDEEM, resident=None, user=444, token="B" * 43), seeded)
    token = await _mint(seeded)
    reply = await handle(action(Action.LINK_CONFIRM, resident=None, user=444, token=token), seeded)
    assert reply.kind is ReplyKind.REFUSAL
    assert await resident_for_telegram(seeded, 444) is None


async def test_concurrent_confirmations_bind_once(seeded: Services) -> None:
    token = await _mint(seeded)
    replies = await asyncio.gather(
        *(
            handle(action(Action.LINK_CONFIRM, resident=None, user=500 + n, token=token), seeded)
            for n in range(4)
        )
    )
    bound = [reply for reply in replies if reply.kind is ReplyKind.ANSWER]
    assert len(bound) == 1
    linked = [await resident_for_telegram(seeded, 500 + n) for n in range(4)]
    assert linked.count("R-2") == 1


async def test_unlink(seeded: Services) -> None:
    question = await handle(action(Action.UNLINK), seeded)
    assert question.kind is ReplyKind.QUESTION
    await handle(action(Action.UNLINK_CONFIRM), seeded)
    assert await resident_for_telegram(seeded, 111) is None


async def test_an_address_identifies_the_one_resident_whose_record_holds_it(seeded: Services) -> None:
    """The rule of :func:`by_address`, on the look-up the mailbox makes for its batches."""
    async with seeded.sessions() as session:
        found = await residents.by_emails(session, ["JANIS@example.lv ", "stranger@example.lv"])
    assert by_address(found.get("janis@example.lv", ()), None) == AddressIdentity(
        "R-1", None, language="lv", invoice_email="janis@example.lv"
    )
    assert by_address(found.get("stranger@example.lv", ()), None) == AddressIdentity(
        None, "address not on any resident's record"
    )


def test_an_address_on_two_records_or_with_a_failed_proof_identifies_nobody() -> None:
    anna = Resident(id="R-4", language="ru", invoice_email="family@example.lv")
    peteris = Resident(id="R-5", language="lv", invoice_email="family@example.lv")
    assert by_address([anna, peteris], None) == AddressIdentity(None, "address on several residents' records")
    # The language is kept for the answer; nothing personal goes to an unproven sender.
    assert by_address([anna], "dmarc=fail") == AddressIdentity(
        None, "authentication failed: dmarc=fail", language="ru"
    )
