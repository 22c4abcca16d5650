"""Double opt-in: a new address (or any address, by e-mail) gets a code through the outbox.

These tests read what the handler queued in the real outbox table; how the mailbox sends it is the
mailbox tests' business.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from helpdesk.core.secrets import confirmation_code_hmac, sha256_hex
from helpdesk.core.types import Action, Awaiting, Channel, Inquiry, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.models.consent import ConfirmationCode
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.repositories import consent, residents

from .conftest import action, telegram


async def _mailed_code(services: Services, recipient: str) -> str:
    """The code in the one confirmation mail queued for ``recipient`` (read from the real outbox)."""
    async with services.sessions() as session:
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient))
        ).all()
    (mail,) = rows
    assert mail.channel == "email" and mail.subject and (mail.dedupe_key or "").startswith("consent-code:")
    match = re.search(r"\b(\d{6})\b", mail.body_text)
    assert match is not None
    return match.group(1)


async def test_new_address_is_confirmed_by_code(seeded: Services) -> None:
    reply = await handle(action(Action.CONSENT_GIVE, email="Janis.News@Example.lv"), seeded)
    assert reply.kind is ReplyKind.QUESTION and reply.awaiting is Awaiting.NEWS_CODE
    async with seeded.sessions() as session:
        assert not await consent.history(session, "R-1")  # nothing granted before the code
    code = await _mailed_code(seeded, "janis.news@example.lv")
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


async def test_by_email_even_the_address_on_record_gets_a_code(seeded: Services) -> None:
    inquiry = Inquiry(
        channel=Channel.EMAIL,
        sender="janis@example.lv",
        resident_id="R-1",
        action=Action.CONSENT_GIVE,
        message_id="<m1@example.lv>",
    )
    reply = await handle(inquiry, seeded)
    assert reply.kind is ReplyKind.QUESTION
    code = await _mailed_code(seeded, "janis@example.lv")
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


async def test_the_code_is_kept_only_as_a_keyed_hash_and_in_the_unsent_mail(seeded: Services) -> None:
    """An unkeyed SHA-256 of ``resident:code`` gave the code back in under a second (a million
    guesses); the stored hash is an HMAC under a key derived from HELPDESK_SECRET_KEY."""
    await handle(action(Action.CONSENT_GIVE, email="janis.news@example.lv"), seeded)
    code = await _mailed_code(seeded, "janis.news@example.lv")
    async with seeded.sessions() as session:
        (stored,) = (await session.scalars(select(ConfirmationCode))).all()
        (mail,) = (await session.scalars(select(OutboxMessage))).all()
    key = seeded.security.secret_key_bytes()
    assert stored.code_hash == confirmation_code_hmac(key, "R-1", code)
    assert stored.code_hash != sha256_hex(f"R-1:{code}")
    assert stored.code_hash != confirmation_code_hmac(b"another-key-" + key, "R-1", code)
    assert mail.secret == code  # the pending mail needs it; the sender masks it once sent
