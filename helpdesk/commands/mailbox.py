"""``helpdesk mailbox [--once]``: read the support mailbox over IMAP and answer over SMTP."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from helpdesk.core.errors import ConfigurationError

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "mailbox",
        help="run the support mailbox (IMAP in, SMTP out)",
        description="Read new mail from HELPDESK_IMAP_FOLDER, answer through the shared handlers and "
        "send the answers over SMTP. Handled mail moves to HELPDESK_IMAP_PROCESSED_FOLDER, mail that "
        "could not be handled to HELPDESK_IMAP_QUARANTINE_FOLDER (and the agents' queue). Needs "
        "HELPDESK_IMAP_HOST, HELPDESK_IMAP_USER, HELPDESK_IMAP_PASSWORD and HELPDESK_SMTP_HOST.",
    )
    parser.add_argument(
        "--once", action="store_true", help="process what is in the mailbox now, send the answers, and exit"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import cli_settings, require_schema

    settings = cli_settings()
    if (
        not settings.mailbox.imap_host
        or not settings.mailbox.imap_user
        or settings.mailbox.imap_password is None
    ):
        raise ConfigurationError(
            "HELPDESK_IMAP_HOST, HELPDESK_IMAP_USER and HELPDESK_IMAP_PASSWORD must be set for the mailbox"
        )
    if not settings.smtp.smtp_host:
        raise ConfigurationError("HELPDESK_SMTP_HOST is not set: the mailbox needs it to send answers")
    require_schema(settings)
    return asyncio.run(_main(settings, once=bool(args.once)))


async def _main(settings: Settings, *, once: bool) -> int:
    from helpdesk.app import build_services, mail_config, run_mailbox
    from helpdesk.mailbox.imap_client import MailboxGone
    from helpdesk.mailbox.service import run_once
    from helpdesk.ops.counters import flush
    from helpdesk.ops.lifecycle import serve
    from helpdesk.ops.logging import configure_logging

    services = build_services(settings)
    if not once:
        # Redacted logging, the counters flushed for the console's /metrics, SIGTERM stops cleanly.
        await serve(services, settings.operations, lambda: run_mailbox(settings, services))
        return 0
    configure_logging(settings.operations)
    try:
        try:
            sent = await run_once(services, mail_config(settings))
        except MailboxGone as exc:
            where = f"{settings.mailbox.imap_host}:{settings.mailbox.imap_port}"
            raise ConfigurationError(f"the IMAP server at {where} could not be used ({exc})") from None
        print(f"mailbox: done, {sent} e-mail(s) sent")
        return 0
    finally:
        with contextlib.suppress(Exception):  # a database that is away must not hide the real error
            await flush(services)
        await services.aclose()
