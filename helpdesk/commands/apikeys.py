"""``helpdesk apikeys add NAME | list | revoke ID``: keys for the portal API.

A new key is printed once; only its HMAC (keyed by HELPDESK_SECRET_KEY) is stored.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser("apikeys", help="portal API keys")
    commands = parser.add_subparsers(dest="apikeys_command", required=True, metavar="ACTION")
    add = commands.add_parser("add", help="create a key and print it once")
    add.add_argument("name", metavar="NAME", help="who uses the key, e.g. portal-prod")
    add.set_defaults(func=run_add)
    listing = commands.add_parser("list", help="list keys (never the keys themselves)")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)
    revoke = commands.add_parser("revoke", help="revoke a key by its id")
    revoke.add_argument("key_id", metavar="ID", type=int)
    revoke.set_defaults(func=run_revoke)


async def _with_session(settings: Settings, work: Any) -> Any:
    from helpdesk.commands.common import database

    async with database(settings) as sessions, sessions() as session, session.begin():
        return await work(session)


def _now() -> Any:
    from helpdesk.storage.models.base import utcnow

    return utcnow()


def run_add(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings
    from helpdesk.core.errors import InputError
    from helpdesk.storage.repositories import apikeys

    name = args.name.strip()
    if not name or len(name) > 100:
        raise InputError("NAME must be 1 to 100 characters")
    settings = database_settings()
    secret = settings.security.secret_key_bytes()

    async def work(session: Any) -> tuple[str, int]:
        key, row = await apikeys.add(session, name=name, secret_key=secret, now=_now())
        return key, row.id

    key, key_id = asyncio.run(_with_session(settings, work))
    print(key)
    print(
        f"key {key_id} ({name}) created; it is shown only now: store it in the portal's secrets",
        file=sys.stderr,
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings, print_json
    from helpdesk.storage.repositories import apikeys

    async def work(session: Any) -> list[dict[str, Any]]:
        return [
            {
                "id": row.id,
                "name": row.name,
                "prefix": row.prefix,
                "created_at": row.created_at.isoformat(),
                "last_used_at": row.last_used_at.isoformat() if row.last_used_at else None,
                "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
            }
            for row in await apikeys.list_all(session)
        ]

    rows = asyncio.run(_with_session(database_settings(), work))
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        state = f"revoked {row['revoked_at'][:10]}" if row["revoked_at"] else "active"
        used = row["last_used_at"][:16] if row["last_used_at"] else "never used"
        print(f"{row['id']:>4}  {row['name']:<24} {row['prefix']}…  {state:<18} {used}")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings
    from helpdesk.core.errors import InputError
    from helpdesk.storage.repositories import apikeys

    async def work(session: Any) -> bool:
        return bool(await apikeys.revoke(session, key_id=args.key_id, now=_now()))

    if not asyncio.run(_with_session(database_settings(), work)):
        raise InputError(f"no active key with id {args.key_id}")
    print(f"key {args.key_id} revoked")
    return 0
