"""The TOTP second step: secrets encrypted at rest, replayed codes refused (also two at once),
rows from before encryption upgraded, and a secret that no longer opens refused politely."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from sqlalchemy import select, text

from helpdesk.app import build_services, console_config
from helpdesk.console.app import create_app
from helpdesk.console.auth import TotpOutcome, check_totp
from helpdesk.console.config import ConsoleConfig
from helpdesk.core import totp
from helpdesk.services import Services
from helpdesk.storage.models.requests import AuditEvent
from helpdesk.storage.repositories import agents
from tests.console.conftest import NOW, PASSWORD, csrf_of, make_settings
from tests.handlers.conftest import fake_matcher

Client = TestClient[web.Request, web.Application]
STEP = timedelta(seconds=30)


async def enrol(services: Services, username: str = "anna") -> str:
    secret = pyotp.random_base32()
    async with services.sessions() as db, db.begin():
        agent = await agents.by_username(db, username)
        assert agent is not None
        await agents.set_totp_secret(db, agent, secret, secret_key=services.security.secret_key_bytes())
    return secret


async def stored_row(services: Services, username: str = "anna") -> tuple[str | None, int | None]:
    async with services.sessions() as db:
        row = (
            await db.execute(
                text("SELECT totp_secret, totp_last_step FROM agents WHERE username = :u"), {"u": username}
            )
        ).one()
    return row[0], row[1]


async def actions(services: Services) -> list[str]:
    async with services.sessions() as db:
        return list((await db.scalars(select(AuditEvent.action).order_by(AuditEvent.id))).all())


async def password_step(client: Client, username: str = "anna") -> str:
    token = await csrf_of(client, "/login")
    response = await client.post(
        "/login", data={"csrf": token, "username": username, "password": PASSWORD}, allow_redirects=False
    )
    assert response.headers["Location"] == "/login/totp"
    return await csrf_of(client, "/login/totp")


async def second_step(client: Client, token: str, code: str) -> tuple[int, str, str]:
    response = await client.post("/login/totp", data={"csrf": token, "code": code}, allow_redirects=False)
    return response.status, response.headers.get("Location", ""), await response.text()


async def signed_in(client: Client) -> bool:
    return (await client.get("/queue", allow_redirects=False)).status == 200


async def sign_out(client: Client) -> None:
    token = await csrf_of(client, "/queue")
    await client.post("/logout", data={"csrf": token}, allow_redirects=False)


async def test_the_stored_value_is_encrypted_not_the_secret(
    services: Services, seeded: dict[str, int]
) -> None:
    secret = await enrol(services)
    stored, last = await stored_row(services)
    assert stored is not None and stored.startswith("v1:") and secret not in stored and last is None
    assert totp.unseal(services.security.secret_key_bytes(), seeded["anna"], stored) == secret
    with pytest.raises(totp.UnreadableSecret):
        totp.unseal(b"a key from another installation", seeded["anna"], stored)


async def test_a_code_signs_in_once_and_is_refused_when_replayed(
    client: Client, services: Services, seeded: dict[str, int]
) -> None:
    secret = await enrol(services)
    code = pyotp.TOTP(secret).at(NOW)
    status, location, _ = await second_step(client, await password_step(client), code)
    assert (status, location) == (303, "/queue") and await signed_in(client)
    assert (await stored_row(services))[1] == pyotp.TOTP(secret).timecode(NOW)

    await sign_out(client)
    token = await password_step(client)
    status, _, page = await second_step(client, token, code)  # seen over a shoulder, used again
    assert status == 401 and "already been used" in page and not await signed_in(client)
    earlier = pyotp.TOTP(secret).at(NOW - STEP)  # still inside the window, but before the used step
    status, _, page = await second_step(client, token, earlier)
    assert status == 401 and "already been used" in page and not await signed_in(client)

    services.clock = lambda: NOW + STEP  # the next code in the app
    status, location, _ = await second_step(client, token, pyotp.TOTP(secret).at(NOW + STEP))
    assert (status, location) == (303, "/queue") and await signed_in(client)
    assert (await actions(services)).count("login.totp_replayed") == 2


async def test_a_row_from_before_encryption_signs_in_and_is_sealed(
    client: Client, services: Services, seeded: dict[str, int]
) -> None:
    secret = pyotp.random_base32()
    async with services.sessions() as db, db.begin():
        await db.execute(text("UPDATE agents SET totp_secret = :s WHERE username = 'anna'"), {"s": secret})
    status, location, _ = await second_step(client, await password_step(client), pyotp.TOTP(secret).at(NOW))
    assert (status, location) == (303, "/queue") and await signed_in(client)
    stored, last = await stored_row(services)
    assert stored is not None and stored.startswith("v1:") and secret not in stored
    assert totp.unseal(services.security.secret_key_bytes(), seeded["anna"], stored) == secret
    assert last == pyotp.TOTP(secret).timecode(NOW)
    async with services.sessions() as db:
        (login,) = (await db.scalars(select(AuditEvent).where(AuditEvent.action == "login"))).all()
    assert login.detail == {"totp": True, "totp_sealed": True}

    # the same app keeps working against the sealed row
    await sign_out(client)
    services.clock = lambda: NOW + STEP
    status, location, _ = await second_step(
        client, await password_step(client), pyotp.TOTP(secret).at(NOW + STEP)
    )
    assert (status, location) == (303, "/queue")


@pytest.fixture
async def other_key_client(database_url: str, tmp_path: Path) -> AsyncIterator[tuple[Services, Client]]:
    """The same database behind a console whose HELPDESK_SECRET_KEY was changed."""
    settings = make_settings(database_url, tmp_path).replace(
        secret_key=SecretStr("a-changed-test-key-Fq7wL2xN9kRz4TpB6vMc3YdH")
    )
    built = build_services(settings, matcher=fake_matcher())
    built.clock = lambda: NOW
    test_client: Client = TestClient(
        TestServer(create_app(built, console_config(settings))), headers={"Accept-Language": "en"}
    )
    await test_client.start_server()
    yield built, test_client
    await test_client.close()
    await built.aclose()


async def test_a_secret_that_no_longer_opens_is_refused_politely(
    services: Services,
    seeded: dict[str, int],
    other_key_client: tuple[Services, Client],
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = await enrol(services)
    changed, client = other_key_client
    code = pyotp.TOTP(secret).at(NOW)
    token = await password_step(client)
    with caplog.at_level(logging.WARNING):
        status, _, page = await second_step(client, token, code)
    assert status == 403 and "ask an administrator" in page and "Traceback" not in page
    assert not await signed_in(client)
    # no way round it: the second step's form now sends the agent back to the password
    response = await client.get("/login/totp", allow_redirects=False)
    assert response.headers["Location"] == "/login"
    assert "login.totp_unreadable" in await actions(changed) and "login" not in await actions(changed)
    logged = caplog.text
    assert "does not open" in logged and code not in logged and secret not in logged and "anna" not in logged
    stored, _ = await stored_row(changed)
    assert stored is not None and stored.startswith("v1:")  # left as it was, for the admin to re-enrol


async def test_wrong_codes_lock_the_account_like_wrong_passwords(
    client: Client, services: Services, seeded: dict[str, int]
) -> None:
    secret = await enrol(services)
    token = await password_step(client)
    right = pyotp.TOTP(secret).at(NOW)
    wrong = next(f"{n:06d}" for n in range(1_000_000) if not totp.matching_steps(secret, f"{n:06d}", now=NOW))
    for _ in range(5):
        status, _, page = await second_step(client, token, wrong)
        assert status == 401 and "not valid" in page
    status, _, page = await second_step(client, token, right)
    assert status == 429 and "locked" in page
    response = await client.get("/login/totp", allow_redirects=False)
    assert response.headers["Location"] == "/login"  # the pending sign-in was dropped with the lock
    assert not await signed_in(client)
    assert (await actions(services)).count("login.totp_failed") == 5


async def test_same_code_submitted_twice_at_once_signs_in_once(
    services: Services, config: ConsoleConfig, seeded: dict[str, int]
) -> None:
    secret = await enrol(services)
    app = create_app(services, config)
    server = TestServer(app)
    clients: list[Client] = [TestClient(server, headers={"Accept-Language": "en"}) for _ in range(2)]
    await clients[0].start_server()
    try:
        tokens = [await password_step(one) for one in clients]
        code = pyotp.TOTP(secret).at(NOW)
        results = await asyncio.gather(
            *(second_step(one, t, code) for one, t in zip(clients, tokens, strict=True))
        )
        assert sorted((status, location) for status, location, _ in results) == [(303, "/queue"), (401, "")]
        assert [await signed_in(one) for one in clients].count(True) == 1
    finally:
        for one in clients:
            await one.close()


@pytest.mark.parametrize("backend", ["postgres"])
async def test_two_sessions_racing_one_code_cannot_both_pass(
    services: Services, seeded: dict[str, int]
) -> None:
    """Both sessions read the row before either writes: the conditional UPDATE decides, not the read."""
    secret = await enrol(services)
    code = pyotp.TOTP(secret).at(NOW)
    first, second = services.sessions(), services.sessions()
    try:
        agent_first = await agents.get(first, seeded["anna"])
        agent_second = await agents.get(second, seeded["anna"])
        assert agent_first is not None and agent_second is not None
        assert agent_first.totp_last_step is None and agent_second.totp_last_step is None
        assert await check_totp(first, services, agent_first, code) is TotpOutcome.OK
        racing = asyncio.create_task(check_totp(second, services, agent_second, code))
        await asyncio.sleep(0.3)
        assert not racing.done()  # its UPDATE waits for the first session's row lock
        await first.commit()
        assert await racing is TotpOutcome.REPLAYED
        await second.commit()
    finally:
        await first.close()
        await second.close()
    found = await actions(services)
    assert found.count("login") == 1 and found.count("login.totp_replayed") == 1
