"""``helpdesk chat`` collects a new news address and the code mailed to it as the Telegram bot does:
News e-mails → Use another e-mail address → the address → the code from the outbox mail → a ledger row
(demo database, real handlers, both backends)."""

from __future__ import annotations

import asyncio
import io
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from helpdesk.cli import main
from helpdesk.storage.models import ConsentEvent, OutboxMessage

# The menu's [2] is "News e-mails"; R-1004 has no consent, so the status offers [1] Subscribe,
# [2] Menu and [3] "Use another e-mail address".
NEWS, ANOTHER = "2", "3"
CODE = "482913"
ADDRESS = "anna.jauna@example.lv"


def _chat(lines: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    assert main(["demo", "--no-serve"]) == 0
    capsys.readouterr()
    monkeypatch.setattr("helpdesk.handlers.consent.new_confirmation_code", lambda: CODE)
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join([*lines, "/quit"]) + "\n"))
    assert main(["chat", "--resident", "R-1004", "--lang", "en"]) == 0
    return capsys.readouterr().out


def _stored(database_url: str) -> tuple[list[ConsentEvent], list[OutboxMessage]]:
    from sqlalchemy.ext.asyncio import create_async_engine

    async def read() -> tuple[list[ConsentEvent], list[OutboxMessage]]:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                events = await connection.execute(
                    select(ConsentEvent).where(ConsentEvent.resident_id == "R-1004")
                )
                mails = await connection.execute(
                    select(OutboxMessage).where(OutboxMessage.recipient == ADDRESS)
                )
                return list(events.all()), list(mails.all())  # type: ignore[arg-type]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_a_new_address_and_its_code_give_consent(
    cli_env: Path, database_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _chat([NEWS, ANOTHER, "not-an-address", ADDRESS, "123", CODE], capsys, monkeypatch)
    assert "Please write the e-mail address for news" in out
    assert "This does not look like an e-mail address" in out  # refused, and the wait goes on
    assert "I sent a six-digit code to a***@e***.lv" in out
    assert "the code waits in the outbox as an e-mail to it" in out  # not the demo's own database
    assert "The code has six digits" in out  # a mistyped code keeps the wait too
    assert "Thank you: we will send news to a***@e***.lv" in out
    events, mails = _stored(database_url)
    [granted] = [event for event in events if event.granted]
    assert granted.email == ADDRESS and granted.channel == "chat"
    [mail] = mails
    assert mail.channel == "email" and f"Your confirmation code: {CODE}" in mail.body_text


@pytest.mark.parametrize("in_between", [["/menu"], ["/nonsense"], ["2"]])
def test_a_button_or_a_command_ends_the_wait_for_the_address(
    in_between: list[str],
    cli_env: Path,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = _chat([NEWS, ANOTHER, *in_between, ADDRESS], capsys, monkeypatch)
    assert "I sent a six-digit code" not in out
    events, mails = _stored(database_url)
    assert mails == [] and not any(event.granted for event in events)


def test_on_the_demo_database_the_chat_shows_the_code_mail(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HELPDESK_DATABASE_URL")  # the demo's own var/demo/helpdesk.db
    monkeypatch.delenv("HELPDESK_INVOICE_DIR")
    monkeypatch.delenv("HELPDESK_SECRET_KEY")
    out = _chat([NEWS, ANOTHER, ADDRESS, CODE], capsys, monkeypatch)
    assert "(demo) no mail leaves the demo; the e-mail queued in the outbox" in out
    assert f"| Your confirmation code: {CODE}" in out
    assert "Thank you: we will send news to a***@e***.lv" in out
