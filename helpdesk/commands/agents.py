"""``helpdesk agents add NAME`` (password read from stdin), ``agents passwd NAME`` (a new password,
from stdin), ``agents disable NAME`` / ``enable NAME``, ``agents totp NAME`` (enrol or re-enrol the
second factor, or turn it off) and ``agents list``.

A new password, a new or removed second factor and disabling each end every console session of
the agent at its next request (the session generation, see :mod:`helpdesk.console.session`).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.settings import Settings


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
    enrol = commands.add_parser(
        "totp",
        help="enrol or re-enrol an agent's authenticator app (TOTP), or turn it off",
        description="Gives the agent a new TOTP secret, stored encrypted under a key derived from "
        "HELPDESK_SECRET_KEY, and prints its otpauth:// URI once: the old app entry stops working. "
        "This is the way back for an agent whose stored secret no longer opens (HELPDESK_SECRET_KEY "
        "changed) or whose phone is lost. The change is written to the audit log.",
    )
    enrol.add_argument("name", metavar="NAME")
    enrol.add_argument(
        "--off", action="store_true", help="remove the second factor instead: password only at sign-in"
    )
    enrol.set_defaults(func=run_totp)
    passwd = commands.add_parser(
        "passwd",
        help="set a new password for an agent",
        description="Reads the new password from stdin (first line), or asks for it on a terminal. "
        "Every console session of the agent ends, and a lock after wrong passwords is lifted. The "
        "change is written to the audit log.",
    )
    passwd.add_argument("name", metavar="NAME")
    passwd.set_defaults(func=run_passwd)
    for action, text in (
        ("disable", "disable an agent: no sign-in, and every console session ends at its next request"),
        ("enable", "enable a disabled agent again (with the password they had)"),
    ):
        toggle = commands.add_parser(
            action, help=text, description=text[0].upper() + text[1:] + ". Written to the audit log."
        )
        toggle.add_argument("name", metavar="NAME")
        toggle.set_defaults(func=run_toggle, active=action == "enable")
    listing = commands.add_parser(
        "list",
        help="list agents",
        description="TOTP column: none, encrypted, plaintext (stored before encryption; encrypted at "
        "the agent's next sign-in) or unreadable (does not open with this HELPDESK_SECRET_KEY: "
        "re-enrol with `helpdesk agents totp NAME`; told only when HELPDESK_SECRET_KEY is set).",
    )
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_list)


def _read_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("password: ")
    return sys.stdin.readline().rstrip("\r\n")


def _read_valid_password() -> str:
    from helpdesk.core.errors import InputError
    from helpdesk.core.passwords import check_password_length

    password = _read_password()
    try:
        check_password_length(password)  # before touching the database
    except ValueError as exc:
        raise InputError(str(exc)) from None
    return password


def run_add(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings

    settings = database_settings()
    password = _read_valid_password()
    from helpdesk.core import totp

    totp_secret = None
    if args.totp:
        settings.security.secret_key_bytes()  # the secret is stored encrypted: no key, one clear line now
        totp_secret = totp.new_secret()
    asyncio.run(_add(settings, args.name, password, args.role, args.display_name, totp_secret))
    print(f"agent {args.name} ({args.role}) saved")
    if totp_secret is not None:
        _print_uri(totp_secret, args.name)
    return 0


def _print_uri(secret: str, name: str) -> None:
    from helpdesk.core import totp

    print("add this to the agent's authenticator app (shown once):")
    print(totp.provisioning_uri(secret, name))


async def _add(
    settings: Settings, name: str, password: str, role: str, display_name: str, totp_secret: str | None = None
) -> None:
    from helpdesk.commands.common import database
    from helpdesk.storage.repositories import agents

    async with database(settings) as sessions, sessions() as session, session.begin():
        agent = await agents.add(
            session, username=name, password=password, role=role, display_name=display_name
        )
        if totp_secret is not None:
            await _enrol(session, settings, agent, totp_secret)


async def _enrol(session: Any, settings: Settings, agent: Any, secret: str | None) -> None:
    from helpdesk.storage.repositories import agents, audit

    await agents.set_totp_secret(session, agent, secret, secret_key=settings.security.secret_key_bytes())
    action = "agent.totp_enrolled" if secret is not None else "agent.totp_removed"
    await audit.record(session, actor="cli", action=action, detail={"agent_id": agent.id})


def run_totp(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings
    from helpdesk.core import totp

    settings = database_settings()
    settings.security.secret_key_bytes()
    secret = None if args.off else totp.new_secret()
    asyncio.run(_set_totp(settings, args.name, secret))
    if secret is None:
        print(f"agent {args.name}: second factor removed (password only)")
    else:
        print(f"agent {args.name}: new second factor enrolled; the previous one no longer works")
        _print_uri(secret, args.name)
    return 0


async def _set_totp(settings: Settings, name: str, secret: str | None) -> None:
    async def enrol(session: Any, agent: Any) -> None:
        await _enrol(session, settings, agent, secret)

    await _with_agent(settings, name, enrol)


def run_passwd(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings

    settings = database_settings()
    password = _read_valid_password()

    async def change(session: Any, agent: Any) -> None:
        from helpdesk.storage.repositories import agents, audit

        await agents.set_password(session, agent, password)
        await audit.record(session, actor="cli", action="agent.password_set", detail={"agent_id": agent.id})

    asyncio.run(_with_agent(settings, args.name, change))
    print(f"agent {args.name}: new password set; every session signed in before has ended")
    return 0


def run_toggle(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings

    settings = database_settings()

    async def toggle(session: Any, agent: Any) -> None:
        from helpdesk.storage.repositories import agents, audit

        await agents.set_active(session, agent, args.active)
        action = "agent.enabled" if args.active else "agent.disabled"
        await audit.record(session, actor="cli", action=action, detail={"agent_id": agent.id})

    asyncio.run(_with_agent(settings, args.name, toggle))
    if args.active:
        print(f"agent {args.name}: enabled; they can sign in again")
    else:
        print(f"agent {args.name}: disabled; their console sessions have ended")
    return 0


async def _with_agent(settings: Settings, name: str, change: Callable[[Any, Any], Awaitable[None]]) -> None:
    """Run ``change(session, agent)`` for the agent called ``name``, in one transaction."""
    from helpdesk.commands.common import database
    from helpdesk.core.errors import InputError
    from helpdesk.storage.repositories import agents

    async with database(settings) as sessions, sessions() as session, session.begin():
        agent = await agents.by_username(session, name)
        if agent is None:
            raise InputError(f"no agent named {name} (see helpdesk agents list)")
        await change(session, agent)


def run_list(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import database_settings

    settings = database_settings()
    rows = asyncio.run(_list(settings))
    if args.json:
        from helpdesk.commands.common import print_json

        print_json(rows)
    else:
        for row in rows:
            state = "active" if row["active"] else "disabled"
            print(f"{row['username']:<20} {row['role']:<6} {state:<8} totp:{row['totp']}")
    return 0


async def _list(settings: Settings) -> list[dict[str, Any]]:
    from helpdesk.commands.common import database
    from helpdesk.core import totp
    from helpdesk.storage.repositories import agents

    key = settings.security.secret_key_bytes() if settings.security.secret_key is not None else None
    async with database(settings) as sessions, sessions() as session:
        return [
            {
                "username": a.username,
                "role": a.role,
                "active": a.active,
                "display_name": a.display_name,
                "totp": str(totp.storage_of(key, a.id, a.totp_secret)),
            }
            for a in await agents.list_all(session)
        ]
