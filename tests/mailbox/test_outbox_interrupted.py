"""A sender that dies between the SMTP server's 250 and its own record (issue 15 point 17): the
mail is sent again with the same Message-ID, and the row says its outcome had been unknown. A
sender that is stopped mid-send gives back what it held. Real aiosmtpd, both backends."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from helpdesk.mailbox.smtp_sender import deliver_due
from helpdesk.services import Services
from helpdesk.storage.models.delivery import OutboxMessage
from helpdesk.storage.repositories import outbox
from tests.mailbox.conftest import Sender

ROOT = Path(__file__).resolve().parents[2]


async def _queue(services: Services, n: int = 1) -> list[int]:
    async with services.sessions.begin() as session:
        rows = [
            await outbox.enqueue(
                session, channel="email", recipient="janis@example.lv", body_text=f"Atbilde {index}"
            )
            for index in range(n)
        ]
    return [row.id for row in rows]


async def _row(services: Services, row_id: int) -> OutboxMessage:
    async with services.sessions() as session:
        row = await session.get(OutboxMessage, row_id)
    assert row is not None
    return row


def _kill_after_250(sender: Sender) -> None:
    env = os.environ | {f"HELPDESK_{name.upper()}": str(value) for name, value in _flat(sender).items()}
    env |= {"HELPDESK_SECRET_KEY": "mailbox-test-key-Hs5dK8pL2xWq9NbR4tZv7CmJ"}
    env |= {"SENDER_CHILD_NOW": sender.services.clock().isoformat()}
    command = [sys.executable, "-m", "tests.mailbox.sender_child"]
    child = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=60, check=False)
    assert child.returncode == -9, child.stderr.decode()[-2000:]


def _flat(sender: Sender) -> dict[str, object]:
    flat = {name: value for group in sender.settings.groups().values() for name, value in group}
    names = ("database_url", "invoice_dir", "smtp_host", "smtp_port", "smtp_security", "mail_from")
    return {name: flat[name] for name in names}


async def test_a_kill_after_250_resends_with_the_same_message_id(sender: Sender) -> None:
    services, mail = sender.services, sender.mail
    [row_id] = await _queue(services)
    await asyncio.to_thread(_kill_after_250, sender)
    assert len(sender.sink.message_ids) == 1  # delivered, but the process died before recording it
    row = await _row(services, row_id)
    assert row.status == "sending" and (row.claimed_by or "").startswith("lead:email:")

    # `mailbox --once` or the jobs' retry cannot know that the sender is dead: they leave it alone.
    assert await deliver_due(services, mail) == 0
    assert (await _row(services, row_id)).status == "sending"

    # The restarted mailbox holds the leadership, so the earlier holder is gone: it sends it again.
    assert await deliver_due(services, mail, leader=True) == 1
    first, second = sender.sink.message_ids
    assert first == second  # the recipient's MUA or MTA can drop the copy
    row = await _row(services, row_id)
    assert (row.status, row.interrupted, row.attempts) == ("sent", 1, 1)


async def test_without_the_leadership_the_lease_brings_it_back(sender: Sender) -> None:
    services = sender.services
    [row_id] = await _queue(services)
    await asyncio.to_thread(_kill_after_250, sender)
    later = services.clock() + outbox.CLAIM_LEASE + timedelta(seconds=1)
    services.clock = lambda: later
    assert await deliver_due(services, sender.mail) == 1
    row = await _row(services, row_id)
    assert (row.status, row.interrupted) == ("sent", 1)
    assert len(set(sender.sink.message_ids)) == 1


async def test_a_stop_mid_send_gives_back_what_the_sender_held(sender: Sender) -> None:
    services = sender.services
    sender.sink.delay = 5.0  # every mail is on its way when the stop comes
    sender.mail.outbound.smtp_concurrency = 2
    ids = await _queue(services, 6)
    task = asyncio.create_task(deliver_due(services, sender.mail))
    async with asyncio.timeout(10):
        while sender.sink.receiving < 2:
            await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    rows = [await _row(services, row_id) for row_id in ids]
    assert {row.status for row in rows} == {"pending"}
    # the two mid-send may have arrived: counted; the four never begun: untouched
    assert sorted((row.interrupted, row.attempts) for row in rows) == [(0, 0)] * 4 + [(1, 1)] * 2
    async with services.sessions() as session:
        held = await session.scalars(select(OutboxMessage).where(OutboxMessage.claimed_by.is_not(None)))
        assert not held.all()
