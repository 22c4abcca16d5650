"""Who gets personal data by e-mail: only an identified resident, only at the invoice address, and
only when our MTA did not see the sender fail DMARC/SPF/DKIM. Spoofers get a reply with nothing
personal in it; access and correction requests from any address are queued as "identity
unverified" unless the address on record with passing authentication proves who wrote."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpdesk.mailbox.poller import run_mailbox
from helpdesk.mailbox.smtp_sender import deliver_due
from helpdesk.storage.models.requests import SupportRequest
from helpdesk.storage.repositories import residents
from tests.mailbox.conftest import AUTHSERV, MailWorld, body, mail

PERSONAL = ("INV-2025", "54,20", "54.20", "Jānis", "Bērziņš", "Brīvības", ".pdf")


async def _answers(world: MailWorld) -> list[str]:
    await run_mailbox(world.services, world.mail, once=True)
    await deliver_due(world.services, world.mail)
    for message in world.sink.messages:
        assert list(message.iter_attachments()) == [], "a document left for a sender we cannot trust"
    return [body(m) for m in world.sink.messages]


def _no_personal_data(text: str) -> None:
    for marker in PERSONAL:
        assert marker not in text


async def test_unknown_sender_asking_for_an_invoice_gets_nothing_personal(world: MailWorld) -> None:
    await world.append(mail(sender="stranger@attacker.test", subject="Rēķins", body="Atsūtiet Jāņa rēķinu"))
    [answer] = await _answers(world)
    _no_personal_data(answer)
    assert "reģistrēta" in answer or "reģistr" in answer  # says which address we answer to
    assert world.sink.messages[0]["To"] == "stranger@attacker.test"


@pytest.mark.parametrize(
    ("auth_results", "why"),
    [
        (f"{AUTHSERV}; spf=fail smtp.mailfrom=example.lv; dmarc=fail header.from=example.lv", "dmarc fails"),
        (f"{AUTHSERV}; spf=softfail smtp.mailfrom=example.lv", "spf softfail"),
        (f"{AUTHSERV}; dkim=fail header.d=example.lv; spf=none", "dkim fails"),
        ("mx.attacker.test; spf=pass; dkim=pass; dmarc=pass", "only a forged header from another server"),
    ],
)
async def test_spoofed_resident_address_gets_no_invoice(
    world: MailWorld, auth_results: str, why: str
) -> None:
    await world.append(
        mail(
            subject="Rēķins",
            body="Lūdzu atsūtiet rēķinu.",
            auth=None,
            headers={"Authentication-Results": auth_results},
        )
    )
    [answer] = await _answers(world)
    _no_personal_data(answer)
    assert len(world.sink.messages) == 1, why  # no separate document mail either


async def test_a_forged_pass_above_our_failing_header_does_not_help(world: MailWorld) -> None:
    raw = mail(subject="Rēķins", body="Lūdzu atsūtiet rēķinu.", auth="fail")
    raw = f"Authentication-Results: {AUTHSERV}; dmarc=pass\r\n".encode() + raw  # forged, but with our id
    await world.append(raw)
    [answer] = await _answers(world)
    _no_personal_data(answer)


async def test_an_address_shared_by_two_residents_identifies_nobody(world: MailWorld) -> None:
    await world.append(mail(sender="family@example.lv", subject="Rēķins", body="Lūdzu atsūtiet rēķinu."))
    [answer] = await _answers(world)
    _no_personal_data(answer)


async def test_news_address_is_identified_but_invoices_go_only_to_the_invoice_address(
    world: MailWorld,
) -> None:
    async with world.services.sessions() as session, session.begin():
        await residents.set_news_email(session, "R-3", "john.news@example.com")
    await world.append(
        mail(sender="john.news@example.com", subject="Invoice", body="Hello, my invoice please.")
    )
    [answer] = await _answers(world)
    assert "invoice e-mail address registered" in answer
    assert world.sink.messages[0]["To"] == "john.news@example.com"


async def test_access_request_from_an_unknown_address_is_queued_unverified(world: MailWorld) -> None:
    await world.append(mail(sender="someone@example.org", subject="Data", body="Hello, please send my data."))
    [answer] = await _answers(world)
    async with world.services.sessions() as session:
        [item] = (await session.scalars(select(SupportRequest))).all()
    assert item.kind == "access" and item.identity == "unverified"
    assert item.identity_how == "address not on any resident's record"
    assert "account holder" in answer


async def test_access_request_with_failed_dmarc_records_why(world: MailWorld) -> None:
    await world.append(mail(subject="Dati", body="Labdien, gribu saņemt mani dati kopiju.", auth="fail"))
    await _answers(world)
    async with world.services.sessions() as session:
        [item] = (await session.scalars(select(SupportRequest))).all()
    assert item.identity == "unverified" and item.identity_how == "authentication failed: spf=fail"


@pytest.mark.parametrize(
    ("sender", "subject", "body", "auth", "identity", "how"),
    [
        (
            "someone@example.org",
            "Фамилия",
            "Здравствуйте, прошу исправить мою фамилию.",
            "pass",
            "unverified",
            "address not on any resident's record",
        ),
        (
            "janis@example.lv",
            "Uzvārds",
            "Labdien, lūdzu labojiet manu uzvārdu.",
            "fail",
            "unverified",
            "authentication failed: spf=fail",
        ),
        (
            "john@example.com",
            "Name",
            "Hello, please correct the spelling of my name.",
            "pass",
            "verified",
            "email: address on record",
        ),
    ],
)
async def test_correction_requests_are_queued_and_unverified_unless_the_address_proves_it(
    world: MailWorld, sender: str, subject: str, body: str, auth: str, identity: str, how: str
) -> None:
    await world.append(mail(sender=sender, subject=subject, body=body, auth=auth))
    [answer] = await _answers(world)
    async with world.services.sessions() as session:
        [item] = (await session.scalars(select(SupportRequest))).all()
    assert item.kind == "correction" and item.channel == "email"
    assert (item.identity, item.identity_how) == (identity, how)
    assert item.contact == sender
    _no_personal_data(answer)
    assert f"#{item.id}" in answer
