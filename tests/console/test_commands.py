"""``helpdesk apikeys``, ``helpdesk agents add --totp`` and ``helpdesk console`` / run_console."""

from __future__ import annotations

import asyncio
import io
import json
import socket
from pathlib import Path

import aiohttp
import pyotp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from helpdesk.app import build_services, console_config
from helpdesk.cli import main
from helpdesk.console.app import create_app
from helpdesk.console.server import run_console
from helpdesk.core import totp
from helpdesk.settings import load_settings
from helpdesk.storage.repositories import agents, audit
from tests.cli.conftest import CLI_SECRET, cli_env  # noqa: F401 - the fixture
from tests.handlers.conftest import fake_matcher


def test_apikeys_add_list_revoke(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    assert main(["apikeys", "add", "portal-prod"]) == 0
    captured = capsys.readouterr()
    key = captured.out.strip()
    assert key.startswith("hdk_") and len(key) > 40 and "shown only now" in captured.err

    async def call() -> int:
        settings = load_settings()
        services = build_services(settings, matcher=fake_matcher())
        app = create_app(services, console_config(settings))
        client: TestClient[web.Request, web.Application] = TestClient(TestServer(app))
        await client.start_server()
        try:
            response = await client.get("/api/v1/consents", headers={"Authorization": f"Bearer {key}"})
            return response.status
        finally:
            await client.close()
            await services.aclose()

    assert asyncio.run(call()) == 200
    assert main(["apikeys", "list", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["name"] == "portal-prod" and row["last_used_at"] and key not in json.dumps(row)
    assert main(["apikeys", "list"]) == 0
    assert "portal-prod" in capsys.readouterr().out
    assert main(["apikeys", "revoke", str(row["id"])]) == 0
    assert asyncio.run(call()) == 401
    assert main(["apikeys", "revoke", str(row["id"])]) == 2
    assert "no active key" in capsys.readouterr().err
    assert main(["apikeys", "add", " "]) == 2


def _stored_totp(name: str) -> tuple[int, str | None]:
    async def read() -> tuple[int, str | None]:
        services = build_services(load_settings(), matcher=fake_matcher())
        try:
            async with services.sessions() as db:
                agent = await agents.by_username(db, name)
                assert agent is not None
                return agent.id, agent.totp_secret
        finally:
            await services.aclose()

    return asyncio.run(read())


def _uri_secret(out: str) -> str:
    uri = next(line for line in out.splitlines() if line.startswith("otpauth://"))
    return str(pyotp.parse_uri(uri).secret)


@pytest.fixture
def tina_secret(
    cli_env: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    """``agents add tina --totp`` on a fresh database; the secret from the URI it printed."""
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["db", "upgrade"]) == 0
    assert main(["agents", "add", "tina", "--totp"]) == 0
    return _uri_secret(capsys.readouterr().out)


def test_agents_add_with_totp_stores_the_secret_encrypted(
    tina_secret: str, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tina_secret
    agent_id, stored = _stored_totp("tina")
    assert stored is not None and stored.startswith("v1:") and secret not in stored
    assert totp.unseal(CLI_SECRET.encode(), agent_id, stored) == secret
    assert main(["agents", "list", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["totp"] == "encrypted" and secret not in json.dumps(row)


def test_agents_totp_re_enrols_an_agent_whose_secret_no_longer_opens(
    tina_secret: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old_secret = tina_secret
    changed_key = "the-key-was-changed-Mx5qR8wK2nZt9LpV4bYc7H"
    monkeypatch.setenv("HELPDESK_SECRET_KEY", changed_key)
    assert main(["agents", "list"]) == 0
    assert "totp:unreadable" in capsys.readouterr().out

    assert main(["agents", "totp", "tina"]) == 0
    out = capsys.readouterr().out
    new_secret = _uri_secret(out)
    assert new_secret != old_secret and "no longer works" in out
    agent_id, stored = _stored_totp("tina")
    assert stored is not None and totp.unseal(changed_key.encode(), agent_id, stored) == new_secret
    assert main(["agents", "list"]) == 0
    assert "totp:encrypted" in capsys.readouterr().out

    assert main(["agents", "totp", "tina", "--off"]) == 0
    assert "removed" in capsys.readouterr().out
    assert _stored_totp("tina")[1] is None
    assert main(["agents", "totp", "nobody"]) == 2
    assert "no agent named nobody" in capsys.readouterr().err

    async def audited() -> list[tuple[str, str, dict[str, object]]]:
        services = build_services(load_settings(), matcher=fake_matcher())
        try:
            async with services.sessions() as db:
                return [(e.actor, e.action, e.detail) for e in reversed(await audit.search(db))]
        finally:
            await services.aclose()

    assert asyncio.run(audited()) == [
        ("cli", "agent.totp_enrolled", {"agent_id": agent_id}),
        ("cli", "agent.totp_enrolled", {"agent_id": agent_id}),
        ("cli", "agent.totp_removed", {"agent_id": agent_id}),
    ]


def test_agents_totp_help_says_what_it_is_for(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["agents", "totp", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "no longer opens" in out and "HELPDESK_SECRET_KEY" in out and "--off" in out


def test_console_needs_a_secret_key(
    cli_env: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HELPDESK_SECRET_KEY")
    assert main(["console"]) == 2
    assert "HELPDESK_SECRET_KEY" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_run_console_serves_until_cancelled(database_url: str, tmp_path: Path) -> None:
    from tests.console.conftest import make_settings

    port = _free_port()
    settings = make_settings(database_url, tmp_path, console_port=port)
    services = build_services(settings, matcher=fake_matcher())
    task = asyncio.create_task(run_console(services, console_config(settings)))
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(100):
                try:
                    async with http.get(f"http://127.0.0.1:{port}/login") as response:
                        assert response.status == 200
                        assert "Sign in" in await response.text() or "Pieteikties" in await response.text()
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            else:
                pytest.fail("the console did not start")
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await services.aclose()
