"""``helpdesk link RESIDENT_ID``: mint a one-time Telegram deep link for a resident."""

from __future__ import annotations

import argparse
import asyncio
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "link",
        help="mint a one-time Telegram link for a resident",
        description="Prints https://t.me/<bot>?start=<token>. The token is single use and expires after "
        "HELPDESK_LINK_TOKEN_TTL_MINUTES; only its hash is stored.",
    )
    parser.add_argument("resident_id", metavar="RESIDENT_ID")
    parser.add_argument("--json", action="store_true", help='print {"token", "url", "expires_at"}')
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings

    settings = database_settings()
    return asyncio.run(_mint(settings, args.resident_id, args.json))


async def _mint(settings: Settings, resident_id: str, as_json: bool) -> int:
    from datetime import UTC, datetime

    from helpdesk.casework.linking import mint_link
    from helpdesk.commands.common import database, print_json

    async with database(settings) as sessions, sessions() as session, session.begin():
        info = await mint_link(
            session,
            resident_id,
            datetime.now(UTC),
            bot_username=settings.telegram.telegram_bot_username,
            ttl_minutes=settings.conversation.link_token_ttl_minutes,
        )
    if as_json:
        print_json(info.as_json())
    else:
        print(info.url)
        print(f"valid until {info.expires_at.isoformat(timespec='minutes')}, once")
    return 0
