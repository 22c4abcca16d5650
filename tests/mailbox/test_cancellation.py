"""A stop must stop the mailbox: a cancellation that lands in the same loop tick as the awaited call
finishes is not lost. Python 3.11's ``asyncio.wait_for`` loses it (CPython #86296); the poller then
went on polling and ``helpdesk run`` (and a CI run, once) never ended. ruff's TID251 bans
``wait_for`` in the package; these tests hold the two loops that used it to the rule."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from helpdesk.mailbox import service
from helpdesk.mailbox.config import MailConfig
from helpdesk.mailbox.imap_client import ImapConnection
from helpdesk.services import Services
from helpdesk.settings import MailboxSettings, SmtpSettings
from tests.mailbox.conftest import mail_settings


class AnsweringClient:
    """Stands for aioimaplib's client: every NOOP waits on ``answer``, which the test resolves."""

    def __init__(self, answer: asyncio.Future[Any]) -> None:
        self.answer = answer

    def noop(self) -> asyncio.Future[Any]:
        return self.answer


async def _until_waiting(task: asyncio.Task[Any]) -> None:
    for _ in range(5):
        await asyncio.sleep(0)
    assert not task.done()


async def test_a_stop_as_an_imap_command_finishes_is_not_lost(tmp_path: Path) -> None:
    settings = mail_settings("sqlite+aiosqlite://", tmp_path, imap_port=1, user="u", smtp_port=1)
    connection = ImapConnection(settings.mailbox)
    answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    connection._client = cast(Any, AnsweringClient(answer))
    task = asyncio.create_task(connection.noop())
    await _until_waiting(task)
    answer.set_result(SimpleNamespace(result="OK", lines=[b"NOOP completed"]))
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_stop_as_the_sender_is_woken_is_not_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    async def nothing_due(_services: Services, _config: MailConfig, *, leader: bool = False) -> int:
        return 0

    monkeypatch.setattr(service, "deliver_due", nothing_due)
    services = cast(Services, SimpleNamespace())
    config = MailConfig(MailboxSettings(), SmtpSettings(mail_outbox_poll_seconds=60))
    wake = asyncio.Event()
    task = asyncio.create_task(service.send_forever(services, config, wake))
    await _until_waiting(task)
    wake.set()  # new answers are queued just as the helpdesk is told to stop
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 5)
