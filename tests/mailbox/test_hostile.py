"""Malformed and hostile mails through the real Dovecot: each gets the right outcome, none blocks
the next, nothing reaches an address it should not, and no answer goes to automatic mail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from helpdesk.mailbox import processing
from helpdesk.mailbox.parsing import ParsedMail, parse
from helpdesk.mailbox.poller import run_mailbox
from helpdesk.mailbox.smtp_sender import deliver_due
from helpdesk.storage.models.requests import SupportRequest
from helpdesk.storage.repositories import mail as mail_repo
from tests.mailbox.conftest import MailWorld, body, mail
from tests.mailbox.corpus import CASES


async def test_every_hostile_case_gets_its_outcome_and_the_last_mail_is_still_answered(
    world: MailWorld,
) -> None:
    world.mail.inbound.mail_replies_per_sender_per_hour = 1000  # the cap has its own test
    for case in CASES:
        await world.append(case.raw)
    await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<last@example.lv>"))
    await run_mailbox(world.services, world.mail, once=True)
    async with world.services.sessions() as session:
        outcomes = await mail_repo.outcomes(session, "INBOX")
    expected = {index + 1: case.outcome for index, case in enumerate(CASES)}
    expected[len(CASES) + 1] = "answered"
    mismatched = {
        CASES[uid - 1].name if uid <= len(CASES) else "last": (outcomes.get(uid), want)
        for uid, want in expected.items()
        if outcomes.get(uid) != want
    }
    assert mismatched == {}
    assert await world.count("INBOX") == 0
    quarantined = sum(1 for case in CASES if case.outcome == "skipped:no-sender")
    assert await world.count("Quarantine") == quarantined
    assert await world.count("Processed") == len(CASES) + 1 - quarantined

    await deliver_due(world.services, world.mail)
    answers = world.sink.messages
    assert len(answers) == sum(1 for case in CASES if case.reply) + 1
    for answer in answers:
        # Only the writer gets an answer; nothing goes to the addresses hostile mails tried to add.
        assert answer["To"] in ("janis@example.lv", "ivan@example.lv")
        assert "Bcc" not in answer and "\n" not in answer["Subject"] and "\r" not in answer["Subject"]
        assert len(answer["Subject"]) <= 260
        text = body(answer)
        assert "alert(" not in text and "<script" not in body(answer, "html")
    # BODY.PEEK: we never set \Seen on a mail a person may still want to read as new.
    assert all(b"\\Seen" not in line for line in await world.seen_flags("Processed"))


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers-too"])
async def test_a_mail_that_breaks_processing_is_quarantined_and_queued_and_the_next_one_answered(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch, headers_too: bool
) -> None:
    """The writer is told a person will look at it, unless not even the headers can be read: then
    there is nobody to tell, and the mail is still held (it never stops the round)."""

    def exploding(raw: bytes, *, max_bytes: int) -> ParsedMail:
        if b"POISON" in raw and (max_bytes or headers_too):
            raise RecursionError("a parser bug")
        return parse(raw, max_bytes=max_bytes)

    monkeypatch.setattr(processing, "parse", exploding)
    await world.append(mail(subject="POISON", body="Labdien, parole?", message_id="<p@example.lv>"))
    await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<ok@example.lv>"))
    await run_mailbox(world.services, world.mail, once=True)
    async with world.services.sessions() as session:
        assert await mail_repo.outcomes(session, "INBOX") == {1: "quarantined", 2: "answered"}
        [item] = (await session.scalars(select(SupportRequest).where(SupportRequest.kind == "mail"))).all()
    assert item.details["uid"] == 1 and item.details["reason"] == "RecursionError"
    assert item.contact == ("unknown" if headers_too else "janis@example.lv")
    assert await world.count("Quarantine") == 1 and await world.count("Processed") == 1
    await deliver_due(world.services, world.mail)
    texts = {m["In-Reply-To"]: body(m) for m in world.sink.messages}
    # The real answer, and (when there is someone to tell) the polite "a person will look at it".
    assert sorted(texts) == (["<ok@example.lv>"] if headers_too else ["<ok@example.lv>", "<p@example.lv>"])
    assert headers_too or "automātiski apstrādāt" in texts["<p@example.lv>"]


async def test_a_too_large_mail_gets_a_polite_answer_and_goes_to_a_person(world: MailWorld) -> None:
    world.mail.inbound.mail_max_bytes = 20_000
    big = mail(subject="Parole", body="Labdien! " + "x" * 30_000, message_id="<big@example.lv>")
    await world.append(big)
    await run_mailbox(world.services, world.mail, once=True)
    await deliver_due(world.services, world.mail)
    [answer] = world.sink.messages
    assert "0 MB" not in body(answer)
    assert "MB" in body(answer)
    assert await world.count("Quarantine") == 1
    async with world.services.sessions() as session:
        assert await mail_repo.outcomes(session, "INBOX") == {1: "too-large"}
        kinds = (await session.scalars(select(SupportRequest.kind))).all()
    assert kinds == ["mail"]
