"""Sessions end when they should: a cookie copied before a sign-out, a new password, a new or
removed second factor, or disabling the agent no longer works (the agent's session generation)."""

from __future__ import annotations

import asyncio
import io
import sys
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from helpdesk.cli import main
from helpdesk.console.session import COOKIE
from helpdesk.services import Services
from helpdesk.storage.repositories import agents, audit
from tests.cli.conftest import cli_env  # noqa: F401 - the fixture
from tests.console.conftest import PASSWORD, csrf_of, post_form, sign_in

Client = TestClient[web.Request, web.Application]


def cookie_of(client: Client) -> str:
    return client.session.cookie_jar.filter_cookies(client.make_url("/"))[COOKIE].value


async def signed_in_with(client: Client, cookie: str) -> bool:
    client.session.cookie_jar.clear()
    client.session.cookie_jar.update_cookies({COOKIE: cookie}, client.make_url("/"))
    return (await client.get("/queue", allow_redirects=False)).status == 200


async def test_a_cookie_copied_before_sign_out_no_longer_works(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client, "anna")
    copied = cookie_of(client)
    assert await signed_in_with(client, copied)
    status, location, _ = await post_form(client, "/logout", {})
    assert (status, location) == (303, "/login")
    assert not await signed_in_with(client, copied)
    await sign_in(client, "anna")  # signing in again gives a cookie that works
    assert (await client.get("/queue")).status == 200
    async with services.sessions() as db:
        anna = await agents.get(db, seeded["anna"])
    assert anna is not None and anna.session_generation == 1


def _cli(args: list[str], stdin: str = "") -> int:
    """``helpdesk`` in a thread (it runs its own event loop), reading ``stdin``."""
    before, sys.stdin = sys.stdin, io.StringIO(stdin)
    try:
        return main(args)
    finally:
        sys.stdin = before


@pytest.mark.parametrize(
    ("command", "stdin"),
    [
        (["agents", "passwd", "anna"], "a brand new password\n"),
        (["agents", "totp", "anna"], ""),
        (["agents", "totp", "anna", "--off"], ""),
        (["agents", "disable", "anna"], ""),
        (["agents", "add", "anna"], "a brand new password\n"),  # add on an existing agent resets
    ],
)
async def test_a_cookie_copied_before_an_account_change_no_longer_works(
    client: Client,
    seeded: dict[str, int],
    cli_env: Path,  # noqa: F811
    command: list[str],
    stdin: str,
) -> None:
    await sign_in(client, "anna")
    copied = cookie_of(client)
    assert await asyncio.to_thread(_cli, command, stdin) == 0
    assert not await signed_in_with(client, copied)
    client.session.cookie_jar.clear()
    await sign_in(client, "bruno")  # nobody else's session ended
    assert (await client.get("/queue")).status == 200


async def test_a_pending_second_step_ends_when_the_password_changes(
    client: Client,
    seeded: dict[str, int],
    services: Services,
    cli_env: Path,  # noqa: F811
) -> None:
    assert await asyncio.to_thread(_cli, ["agents", "totp", "anna"]) == 0
    token = await csrf_of(client, "/login")
    response = await client.post(
        "/login", data={"csrf": token, "username": "anna", "password": PASSWORD}, allow_redirects=False
    )
    assert response.headers["Location"] == "/login/totp"
    assert await asyncio.to_thread(_cli, ["agents", "passwd", "anna"], "a brand new password\n") == 0
    token = await csrf_of(client, "/login/totp")
    response = await client.post("/login/totp", data={"csrf": token, "code": "123456"}, allow_redirects=False)
    assert response.headers["Location"] == "/login"
    async with services.sessions() as db:
        events = [e.action for e in await audit.search(db)]
    assert "login.totp_failed" not in events  # the old password's sign-in was not let try a code


async def test_disable_and_enable(
    client: Client,
    seeded: dict[str, int],
    services: Services,
    cli_env: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert await asyncio.to_thread(_cli, ["agents", "disable", "anna"]) == 0
    assert "disabled" in capsys.readouterr().out
    token = await csrf_of(client, "/login")
    response = await client.post("/login", data={"csrf": token, "username": "anna", "password": PASSWORD})
    assert response.status == 401 and "Wrong user name or password." in await response.text()
    assert await asyncio.to_thread(_cli, ["agents", "list"]) == 0
    assert "disabled" in next(line for line in capsys.readouterr().out.splitlines() if "anna" in line)
    assert await asyncio.to_thread(_cli, ["agents", "enable", "anna"]) == 0
    await sign_in(client, "anna")
    assert await asyncio.to_thread(_cli, ["agents", "disable", "nobody"]) == 2
    assert "no agent named nobody" in capsys.readouterr().err
    async with services.sessions() as db:
        events = [(e.actor, e.action, e.detail) for e in reversed(await audit.search(db))]
    anna = {"agent_id": seeded["anna"]}
    assert [e for e in events if e[0] == "cli"] == [
        ("cli", "agent.disabled", anna),
        ("cli", "agent.enabled", anna),
    ]


async def test_passwd_sets_the_password_and_lifts_a_lock(
    client: Client,
    seeded: dict[str, int],
    cli_env: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = await csrf_of(client, "/login")
    for _ in range(5):
        await client.post("/login", data={"csrf": token, "username": "anna", "password": "wrong password"})
    assert await asyncio.to_thread(_cli, ["agents", "passwd", "anna"], "short\n") == 2
    assert "at least 10 characters" in capsys.readouterr().err
    assert await asyncio.to_thread(_cli, ["agents", "passwd", "anna"], "a brand new password\n") == 0
    response = await client.post(
        "/login",
        data={"csrf": token, "username": "anna", "password": "a brand new password"},
        allow_redirects=False,
    )
    assert response.status == 303 and response.headers["Location"] == "/queue"
    assert await asyncio.to_thread(_cli, ["agents", "passwd", "nobody"], "a brand new password\n") == 2
