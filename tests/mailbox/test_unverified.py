"""Without HELPDESK_TRUSTED_AUTHSERV_ID nothing verifies From: (issue 15 point 10). The operator is
told once at start-up; the address on record still gets what goes only to the resident's own
addresses, but a mail cannot withdraw news consent on its word: the answer carries the one-click
link, which only the address on record receives. Access requests are queued unverified."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from helpdesk.core.unsubscribe import verify_unsubscribe_token
from helpdesk.handlers.consent import withdraw_by_token
from helpdesk.mailbox.chain.identity import UNVERIFIED_WARNING
from helpdesk.mailbox.service import run_once
from helpdesk.storage.models.consent import ConsentEvent
from helpdesk.storage.models.requests import SupportRequest
from tests.mailbox.conftest import SENDERS, MailWorld, body, grant_news, mail


@pytest.fixture
def unverified(world: MailWorld) -> MailWorld:
    world.mail.inbound.trusted_authserv_id = None
    return world


async def _withdrawals(world: MailWorld) -> list[ConsentEvent]:
    async with world.services.sessions() as session:
        rows = await session.scalars(select(ConsentEvent).where(ConsentEvent.granted.is_(False)))
        return list(rows.all())


async def test_an_unverified_from_cannot_withdraw_but_gets_the_one_click_link(unverified: MailWorld) -> None:
    world = unverified
    await grant_news(world, "R-1", "janis@example.lv")
    # Forged or not, nothing tells: the mail names the resident's address and says the word.
    await world.append(mail(subject="Re: Jaunumi", body="Atrakstīties", auth=None, message_id="<f1@x>"))
    await run_once(world.services, world.mail)

    assert await _withdrawals(world) == []
    [answer] = world.sink.messages
    assert answer["To"] == "janis@example.lv"  # the address on record: a forger never sees the link
    text = body(answer)
    assert "nevaram pārbaudīt" in text and "abonements nav mainīts" in text
    [token] = re.findall(r"https://helpdesk\.klientiem\.test/unsubscribe/(\S+)", text)
    assert verify_unsubscribe_token(world.services.security.secret_key_bytes(), token) == "R-1"

    assert await withdraw_by_token(world.services, token)  # one click by the address's owner
    [withdrawal] = await _withdrawals(world)
    assert withdrawal.resident_id == "R-1"


async def test_an_unverified_from_still_gets_documents_at_the_address_on_record_only(
    unverified: MailWorld,
) -> None:
    world = unverified
    await world.append(mail(subject="Rēķins", body="Lūdzu atsūtiet rēķinu.", auth=None))
    await run_once(world.services, world.mail)
    assert {message["To"] for message in world.sink.messages} == {"janis@example.lv"}
    attached = [a.get_filename() for m in world.sink.messages for a in m.iter_attachments()]
    assert attached == ["INV-2025-12-R-1.pdf"]


async def test_an_access_request_from_an_unverified_from_is_queued_unverified(unverified: MailWorld) -> None:
    world = unverified
    await world.append(mail(subject="Dati", body="Labdien, gribu saņemt mani dati kopiju.", auth=None))
    await run_once(world.services, world.mail)
    async with world.services.sessions() as session:
        [item] = (await session.scalars(select(SupportRequest))).all()
    assert (item.kind, item.identity, item.identity_how) == (
        "access",
        "unverified",
        "sender address not verified",
    )


async def test_the_operator_is_warned_once_at_start_up_without_personal_data(
    unverified: MailWorld, caplog: pytest.LogCaptureFixture
) -> None:
    world = unverified
    for index, sender in enumerate(SENDERS):
        await world.append(
            mail(sender=sender, subject="Parole", body="Labdien, parole?", message_id=f"<p{index}@x>")
        )
    with caplog.at_level(logging.WARNING):
        await run_once(world.services, world.mail)
    warnings = [
        record.getMessage() for record in caplog.records if "TRUSTED_AUTHSERV_ID" in record.getMessage()
    ]
    assert warnings == [UNVERIFIED_WARNING]
    assert "@" not in warnings[0]


async def test_no_warning_when_our_mta_is_trusted(world: MailWorld, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        await run_once(world.services, world.mail)
    assert not [record for record in caplog.records if "TRUSTED_AUTHSERV_ID" in record.getMessage()]
