"""`helpdesk mailbox --once` end to end, as an operator runs it: settings from the environment."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from helpdesk.app import build_services
from helpdesk.cli import main
from tests.mailbox.conftest import (
    MailMatcher,
    SmtpSink,
    body,
    command_environment,
    imap_login,
    mail,
    mail_settings,
    seed,
)
from tests.mailbox.dovecot import Dovecot


@pytest.mark.usefixtures("restore_logging")
def test_mailbox_once_reads_answers_and_files(
    database_url: str,
    tmp_path: Path,
    dovecot: Dovecot,
    smtp_sink: tuple[SmtpSink, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sink, smtp_port = smtp_sink
    user = dovecot.add_user()
    settings = mail_settings(database_url, tmp_path, imap_port=dovecot.port, user=user, smtp_port=smtp_port)

    async def prepare() -> None:
        services = build_services(settings, matcher=MailMatcher())
        try:
            await seed(services)
        finally:
            await services.aclose()
        client = await imap_login(dovecot.port, user)
        await client.append(mail(subject="Jautājums", body="Labdien, kad salabos liftu?"), mailbox="INBOX")
        await client.logout()

    asyncio.run(prepare())
    command_environment(monkeypatch, settings)

    assert main(["mailbox", "--once"]) == 0
    assert capsys.readouterr().out.strip() == "mailbox: done, 1 e-mail(s) sent"
    [answer] = sink.messages
    assert answer["To"] == "janis@example.lv" and answer["Subject"] == "Re: Jautājums"
    assert "atbalsta komandai" in body(answer)  # escalated to a person
