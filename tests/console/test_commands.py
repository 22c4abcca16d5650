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

from helpdesk.app import build_services
from helpdesk.cli import main
from helpdesk.console.app import create_app
from helpdesk.console.server import run_console
from helpdesk.settings import load_settings
from helpdesk.storage.repositories import agents
from tests.cli.conftest import cli_env  # noqa: F401 - the fixture
from tests.handlers.conftest import fake_matcher


def test_apikeys_add_list_revoke(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    assert main(["apikeys", "add", "portal-prod"]) == 0
    captured = capsys.readouterr()
    key = captured.out.strip()
    assert key.startswith("hdk_") and len(key) > 40 and "shown only now" in captured.err

    async def call() -> int:
        services = build_services(load_settings(), matcher=fake_matcher())
        client: TestClient[web.Request, web.Application] = TestClient(TestServer(create_app(services)))
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


def test_agents_add_with_totp(
    cli_env: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert main(["db", "upgrade"]) == 0
    assert main(["agents", "add", "tina", "--totp"]) == 0
    out = capsys.readouterr().out
    uri = next(line for line in out.splitlines() if line.startswith("otpauth://"))
    secret = pyotp.parse_uri(uri).secret

    async def stored() -> str | None:
        services = build_services(load_settings(), matcher=fake_matcher())
        try:
            async with services.sessions() as db:
                agent = await agents.by_username(db, "tina")
                return agent.totp_secret if agent else None
        finally:
            await services.aclose()

    assert asyncio.run(stored()) == secret


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
    services = build_services(
        make_settings(database_url, tmp_path, console_port=port), matcher=fake_matcher()
    )
    task = asyncio.create_task(run_console(services))
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
