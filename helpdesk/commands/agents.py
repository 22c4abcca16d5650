"""``helpdesk agents add NAME``: create a support agent (password read from stdin)."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from typing import Any


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser("agents", help="support agents")
    commands = parser.add_subparsers(dest="agents_command", required=True, metavar="ACTION")
    add = commands.add_parser(
        "add",
        help="add an agent or reset an agent's password",
        description="Reads the password from stdin (first line), or asks for it on a terminal.",
    )
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=("agent", "admin"), default="agent")
    add.add_argument("--display-name", default="")
    add.add_argument(
        "--totp",
        action="store_true",
        help="require a TOTP code at console sign-in; prints the otpauth:// URI for the app once",
    )
    add.set_defaults(func=run_add)
    listing = commands.add_parser("list", help="list agents")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\r\n")


def run_add(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import cli_settings
    from helpdesk.core.errors import InputError

    settings = cli_settings()
    password = _read_password()
    try:
        from helpdesk.core.passwords import hash_password

        hash_password(password)  # validates length before touching the database
    except ValueError as exc:
        raise InputError(str(exc)) from None
    import pyotp

    totp_secret = None
    if args.totp:
        totp_secret = pyotp.random_base32()
    asyncio.run(_add(settings, args.name, password, args.role, args.display_name, totp_secret))
    print(f"agent {args.name} ({args.role}) saved")
    if totp_secret is not None:
        print("add this to the agent's authenticator app (shown once):")
        print(pyotp.TOTP(totp_secret).provisioning_uri(name=args.name, issuer_name="Klientiem helpdesk"))
    return 0


async def _add(
    settings: Any, name: str, password: str, role: str, display_name: str, totp_secret: str | None = None
) -> None:
    from helpdesk.storage.engine import create_engine, create_session_factory
    from helpdesk.storage.repositories import agents

    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            agent = await agents.add(
                session, username=name, password=password, role=role, display_name=display_name
            )
            if totp_secret is not None:
                await agents.set_totp_secret(session, agent, totp_secret)
    finally:
        await engine.dispose()


def run_list(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import cli_settings

    settings = cli_settings()
    rows = asyncio.run(_list(settings))
    if args.json:
        from helpdesk.commands.common import print_json

        print_json(rows)
    else:
        for row in rows:
            print(f"{row['username']:<20} {row['role']:<6} {'active' if row['active'] else 'disabled'}")
    return 0


async def _list(settings: Any) -> list[dict[str, Any]]:
    from helpdesk.storage.engine import create_engine, create_session_factory
    from helpdesk.storage.repositories import agents

    engine = create_engine(settings.database_url)
    try:
        async with create_session_factory(engine)() as session:
            return [
                {"username": a.username, "role": a.role, "active": a.active, "display_name": a.display_name}
                for a in await agents.list_all(session)
            ]
    finally:
        await engine.dispose()
