"""Happy paths against the real Dovecot and the aiosmtpd sink, in Latvian, Russian and English."""

from __future__ import annotations

from helpdesk.mailbox.poller import run_mailbox
from helpdesk.mailbox.smtp_sender import deliver_due
from helpdesk.storage.repositories import mail as mail_repo
from tests.mailbox.conftest import OUR_ADDRESS, MailWorld, body, mail


async def _run(world: MailWorld) -> int:
    await run_mailbox(world.services, world.mail, once=True)
    return await deliver_due(world.services, world.mail)


async def test_latvian_question_gets_a_latvian_answer_and_the_mail_is_filed(world: MailWorld) -> None:
    await world.append(mail(subject="Parole", body="Labdien, aizmirsu paroli. Ko darīt?\n\nJānis"))
    assert await _run(world) == 1
    [reply] = world.sink.messages
    assert reply["To"] == "janis@example.lv"
    assert reply["Subject"] == "Re: Parole"
    assert reply["In-Reply-To"] == "<m1@example.lv>"
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply["X-Klientiem-Loop"] == "klientiem.test"
    assert reply["Message-ID"].endswith("@klientiem.test>")
    text = body(reply)
    assert "Aizmirsu paroli" in text
    assert reply.get_body(("html",)) is not None
    assert await world.count("INBOX") == 0
    assert await world.count("Processed") == 1
    async with world.services.sessions() as session:
        assert await mail_repo.outcomes(session, "INBOX") == {1: "answered"}


async def test_russian_and_english_writers_get_answers_in_their_language(world: MailWorld) -> None:
    await world.append(
        mail(
            sender="ivan@example.lv",
            subject="Пароль",
            body="Здравствуйте, забыл пароль.",
            message_id="<ru@x>",
        )
    )
    await world.append(
        mail(
            sender="john@example.com",
            subject="Password",
            body="Hello, I forgot my password.",
            message_id="<en@x>",
        )
    )
    assert await _run(world) == 2
    by_recipient = {m["To"]: body(m) for m in world.sink.messages}
    assert "Забыли пароль" in by_recipient["ivan@example.lv"]
    assert "Forgot password" in by_recipient["john@example.com"]


async def test_invoice_goes_to_the_registered_address_as_a_new_message(world: MailWorld) -> None:
    await world.append(mail(subject="Rēķins", body="Lūdzu atsūtiet rēķinu."))
    assert await _run(world) == 2
    reply = next(m for m in world.sink.messages if m["In-Reply-To"])
    documents = next(m for m in world.sink.messages if not m["In-Reply-To"])
    assert documents["To"] == "janis@example.lv"
    assert documents["Auto-Submitted"] == "auto-generated"
    [attachment] = list(documents.iter_attachments())
    assert attachment.get_filename() == "INV-2025-12-R-1.pdf"
    assert list(reply.iter_attachments()) == []
    assert "j***@e***.lv" in body(reply)
    assert documents["From"].addresses[0].addr_spec == OUR_ADDRESS
