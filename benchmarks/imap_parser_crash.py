"""How fast the mailbox gets past a server response that crashes aioimaplib's parser (#118).

A loopback proxy in front of a real Dovecot answers the ``UID FETCH`` of one poisoned UID with
5,000 junk lines, which makes aioimaplib's parser raise RecursionError inside ``data_received``.
Two figures, with the command timeout at its default (30 s, 120 s for a FETCH):

- ``fetch``: from sending that FETCH to the caller's MailboxGone (before the crash guard it was
  the FETCH timeout, 120 s);
- ``poller``: N mails in the inbox, one of them poisoned, the poller running: the time until every
  mail is recorded and filed (the bad one quarantined unread; before the guard this never ended,
  the same chunk was fetched again after every reconnect).

    .venv/bin/python benchmarks/imap_parser_crash.py [--mails 20] [--poisoned 7] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the Dovecot launcher, the proxy and the fixtures live with the tests

import aioimaplib  # noqa: E402

from helpdesk.app import build_services, mail_config  # noqa: E402
from helpdesk.mailbox import imap_client  # noqa: E402
from helpdesk.mailbox.imap_client import ImapConnection, MailboxGone  # noqa: E402
from helpdesk.mailbox.poller import run_mailbox  # noqa: E402
from helpdesk.storage.migrate import upgrade  # noqa: E402
from helpdesk.storage.repositories import mail as mail_repo  # noqa: E402
from tests.mailbox.conftest import MailMatcher, imap_login, mail, mail_settings, seed  # noqa: E402
from tests.mailbox.dovecot import Dovecot, free_port  # noqa: E402
from tests.mailbox.tcp_proxy import SilentProxy  # noqa: E402

GIVE_UP_SECONDS = 150.0  # longer than the FETCH timeout: "before" shows as the timeout, not as a hang


async def _inbox_size(client: aioimaplib.IMAP4, folder: str = "INBOX") -> int:
    await client.select(folder)
    found = await client.uid_search("ALL", charset=None)
    return len([part for line in found.lines[:-1] for part in line.split() if part.isdigit()])


async def time_fetch(server: Dovecot, tmp: Path) -> float:
    user = server.add_user()
    client = await imap_login(server.port, user)
    await client.append(mail(message_id="<poisoned@x>"), mailbox="INBOX")
    await client.logout()
    proxy = SilentProxy(server.port, poison={1})
    await proxy.start()
    settings = mail_settings(
        "sqlite+aiosqlite://", tmp, imap_port=proxy.port, user=user, smtp_port=free_port()
    )
    imap = ImapConnection(settings.mailbox)
    try:
        await imap.open()
        await imap.select("INBOX")
        started = time.monotonic()
        try:
            async with asyncio.timeout(GIVE_UP_SECONDS):
                await imap.fetch([1])
        except MailboxGone:
            return time.monotonic() - started
        raise SystemExit("the poisoned FETCH returned: the proxy did not poison it")
    finally:
        await imap.close()
        await proxy.stop()


async def time_poller(server: Dovecot, tmp: Path, mails: int, poisoned: int) -> float | None:
    url = f"sqlite+aiosqlite:///{tmp / 'helpdesk.db'}"
    await asyncio.to_thread(upgrade, url)
    user = server.add_user()
    proxy = SilentProxy(server.port, poison={poisoned})
    await proxy.start()
    settings = mail_settings(url, tmp, imap_port=proxy.port, user=user, smtp_port=free_port())
    services = build_services(settings, matcher=MailMatcher())
    await seed(services)
    client = await imap_login(server.port, user)
    for index in range(mails):
        message = mail(subject="Parole", body="Labdien, parole?", message_id=f"<m{index}@x>")
        await client.append(message, mailbox="INBOX")
    started = time.monotonic()
    task = asyncio.create_task(run_mailbox(services, mail_config(settings), once=False))
    finished: float | None = None
    try:
        while time.monotonic() - started < GIVE_UP_SECONDS:
            async with services.sessions() as session:
                recorded = len(await mail_repo.outcomes(session, "INBOX"))
            if recorded == mails and await _inbox_size(client) == 0:
                finished = time.monotonic() - started
                break
            await asyncio.sleep(0.02)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await client.logout()
        await proxy.stop()
        await services.aclose()
    return finished


def _summary(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (min {min(values):.2f}, max {max(values):.2f})"


async def main(args: argparse.Namespace) -> None:
    print(f"command timeout {imap_client.COMMAND_TIMEOUT_SECONDS:.0f} s (a FETCH waits 4x that)")
    server = Dovecot()
    await asyncio.to_thread(server.start)
    try:
        fetches: list[float] = []
        pollers: list[float] = []
        for run in range(args.runs):
            with tempfile.TemporaryDirectory() as fetch_dir, tempfile.TemporaryDirectory() as poll_dir:
                fetches.append(await time_fetch(server, Path(fetch_dir)))
                took = await time_poller(server, Path(poll_dir), args.mails, args.poisoned)
            if took is None:
                print(
                    f"run {run + 1}: the poller did NOT file all {args.mails} mails "
                    f"in {GIVE_UP_SECONDS:.0f} s"
                )
                continue
            pollers.append(took)
        print(f"fetch: poisoned FETCH to MailboxGone: {_summary(fetches)} over {len(fetches)} runs")
        if pollers:
            print(
                f"poller: {args.mails} mails, UID {args.poisoned} poisoned, all filed: "
                f"{_summary(pollers)} over {len(pollers)} runs"
            )
    finally:
        await asyncio.to_thread(server.remove)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=20)
    parser.add_argument("--poisoned", type=int, default=7, help="the UID whose FETCH crashes the parser")
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(main(parser.parse_args()))
