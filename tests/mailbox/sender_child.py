"""A mailbox sender that dies like ``kill -9`` (SIGKILL: no finally, no cleanup) right after the SMTP
server accepted a mail and before the outbox row is marked sent: the window of issue 15 point 17.

Run by tests/mailbox/test_outbox_interrupted.py as a separate process; settings come from the
environment (HELPDESK_*), as for `helpdesk mailbox`.
"""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import datetime
from typing import Any

from helpdesk.app import build_services, mail_config
from helpdesk.mailbox.smtp_sender import deliver_due
from helpdesk.settings import load_settings
from helpdesk.storage.repositories import outbox
from tests.mailbox.conftest import MailMatcher


async def _die(*_args: Any, **_kwargs: Any) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def main() -> None:
    settings = load_settings()
    services = build_services(settings, matcher=MailMatcher())
    services.clock = lambda: datetime.fromisoformat(os.environ["SENDER_CHILD_NOW"])
    outbox.mark_sent = _die  # the server said 250; the process dies before recording it
    await deliver_due(services, mail_config(settings), leader=True)
    raise SystemExit("the sender did not reach mark_sent")


if __name__ == "__main__":
    asyncio.run(main())
