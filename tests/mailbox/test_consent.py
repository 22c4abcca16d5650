"""Consent by e-mail: one word withdraws at once; giving is confirmed by a code sent to the
address; news-related mail carries a working RFC 8058 one-click unsubscribe link."""

from __future__ import annotations

import re

from sqlalchemy import select

from helpdesk.core.unsubscribe import verify_unsubscribe_token
from helpdesk.handlers.consent import withdraw_by_token
from helpdesk.mailbox.poller import run_mailbox
from helpdesk.mailbox.smtp_sender import deliver_due
from helpdesk.storage.models.consent import ConsentEvent
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.repositories import consent
from tests.mailbox.conftest import MailWorld, body, mail


async def _grant(world: MailWorld, resident_id: str, address: str) -> None:
    async with world.services.sessions() as session, session.begin():
        await consent.record(
            session,
            resident_id=resident_id,
            granted=True,
            email=address,
            channel="telegram",
            evidence="test",
            text_version="news-2026-11-lv",
            now=world.services.clock(),
        )


async def _ledger(world: MailWorld) -> list[ConsentEvent]:
    async with world.services.sessions() as session:
        return list((await session.scalars(select(ConsentEvent).order_by(ConsentEvent.id))).all())


async def test_one_word_withdraws_at_once_in_three_languages(world: MailWorld) -> None:
    await _grant(world, "R-1", "janis@example.lv")
    await _grant(world, "R-2", "ivan@example.lv")
    await _grant(world, "R-3", "john@example.com")
    await world.append(mail(subject="Re: Jaunumi", body="Atrakstīties\n\nJānis", message_id="<w1@x>"))
    await world.append(
        mail(sender="ivan@example.lv", subject="Re: новости", body="отписаться", message_id="<w2@x>")
    )
    await world.append(mail(sender="john@example.com", subject="unsubscribe", body="", message_id="<w3@x>"))
    await run_mailbox(world.services, world.mail, once=True)
    withdrawals = [row for row in await _ledger(world) if not row.granted]
    assert sorted(row.resident_id for row in withdrawals) == ["R-1", "R-2", "R-3"]
    assert {row.channel for row in withdrawals} == {"email"}
    assert {row.evidence for row in withdrawals} == {"<w1@x>", "<w2@x>", "<w3@x>"}
    await deliver_due(world.services, world.mail)
    texts = {m["To"]: body(m) for m in world.sink.messages}
    assert "vairs nesaņemsiet" in texts["janis@example.lv"] or "nesaņem" in texts["janis@example.lv"]
    assert "will not receive our news" in texts["john@example.com"]


async def test_giving_consent_by_mail_is_confirmed_by_a_code_and_news_mail_can_be_left_in_one_click(
    world: MailWorld,
) -> None:
    await world.append(mail(subject="Jaunumi", body="Labdien, gribu saņemt jaunumus.", message_id="<g1@x>"))
    await run_mailbox(world.services, world.mail, once=True)
    await deliver_due(world.services, world.mail)
    assert [row for row in await _ledger(world) if row.granted] == []  # not before the code
    code_mail = next(m for m in world.sink.messages if "Re:" not in m["Subject"])
    assert code_mail["To"] == "janis@example.lv"
    code = re.search(r"\b(\d{6})\b", body(code_mail))
    assert code is not None
    async with world.services.sessions() as session:  # sent: no readable code is kept (issue 15 point 8)
        stored = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == code_mail["To"]))
        ).all()
    [kept] = [row for row in stored if (row.dedupe_key or "").startswith("consent-code:")]
    assert kept.status == "sent" and kept.secret is None
    assert code.group(1) not in kept.body_text and "[code]" in kept.body_text

    await world.append(mail(subject="Re: kods", body=code.group(1), message_id="<g2@x>"))
    await run_mailbox(world.services, world.mail, once=True)
    await deliver_due(world.services, world.mail)
    [granted] = [row for row in await _ledger(world) if row.granted]
    assert granted.resident_id == "R-1" and granted.channel == "email"

    confirmation = world.sink.messages[-1]
    assert confirmation["In-Reply-To"] == "<g2@x>"
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.search(r"<(https://[^>]+)>", confirmation["List-Unsubscribe"])
    assert link is not None and "mailto:info@klientiem.test" in confirmation["List-Unsubscribe"]
    token = link.group(1).rsplit("/", 1)[1]
    assert verify_unsubscribe_token(world.services.security.secret_key_bytes(), token) == "R-1"
    assert await withdraw_by_token(world.services, token) is True
    last = (await _ledger(world))[-1]
    assert (last.granted, last.channel, last.evidence) == (False, "email", "list-unsubscribe")
