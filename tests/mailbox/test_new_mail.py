"""Mail that arrives during a round starts the next round at once (issue 15 point 15).

Dovecot announces new mail (``* N EXISTS``) with the response of whatever command is running when
it notices: here the UID FETCH of the next chunk, or the UID MOVE at the end of the round.
aioimaplib drops the first ("ignored untagged response") and hands the second to MOVE's response;
the IDLE after the round then heard nothing, and the mail waited for the poll (60 s here)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

import pytest

from helpdesk.mailbox import poller
from helpdesk.mailbox.imap_client import ImapConnection
from helpdesk.mailbox.poller import run_mailbox
from tests.mailbox.conftest import MailWorld, mail


async def _outcome(world: MailWorld, uid: int, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = (await world.outcomes()).get(uid)
        if found is not None:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"uid {uid} waited more than {seconds} s")


@pytest.mark.parametrize("during", ["fetch", "move"])
async def test_mail_announced_during_a_round_is_handled_at_once(
    world: MailWorld, monkeypatch: pytest.MonkeyPatch, during: str
) -> None:
    # An hour between polls: mail that waited for the next poll would outlast the two minutes below.
    world.mail.inbound.imap_poll_seconds = 3600
    world.mail.inbound.imap_fetch_chunk = 1  # two chunks: a second FETCH runs during the round
    appended = asyncio.Event()
    real_handle = poller._handle_chunk
    real_move = ImapConnection.move

    async def handle_chunk(*args: Any, **kwargs: Any) -> Any:
        if during == "fetch" and not appended.is_set():
            await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<new@x>"))
            appended.set()
            await asyncio.sleep(0.3)  # the next chunk's FETCH is in flight: its answer brings the EXISTS
        return await real_handle(*args, **kwargs)

    async def move(self: ImapConnection, uids: Any, folder: str) -> None:
        if during == "move" and not appended.is_set():
            await world.append(mail(subject="Parole", body="Labdien, parole?", message_id="<new@x>"))
            appended.set()
            await asyncio.sleep(0.3)
        await real_move(self, uids, folder)

    monkeypatch.setattr(poller, "_handle_chunk", handle_chunk)
    monkeypatch.setattr(ImapConnection, "move", move)
    for index in range(2):
        await world.append(mail(subject="Parole", body="Labdien, parole?", message_id=f"<old{index}@x>"))
    task = asyncio.create_task(run_mailbox(world.services, world.mail, once=False))
    try:
        assert await _outcome(world, 2, seconds=120) == "answered"
        assert await _outcome(world, 3, seconds=120) == "answered"
        while await world.count("INBOX"):  # recorded before it is moved: wait for the move
            await asyncio.sleep(0.05)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert await world.count("INBOX") == 0
