"""Sign-in under parallel requests, on SQLite and PostgreSQL: the account lock, the per-address
limiter, the bound on password checks at once, and which address the limits are kept for."""

from __future__ import annotations

import asyncio
import secrets
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from helpdesk.app import build_services, console_config
from helpdesk.console import auth as console_auth
from helpdesk.console import keys
from helpdesk.console.app import create_app
from helpdesk.console.config import ConsoleConfig
from helpdesk.console.throttle import FAILURES_PER_NAME, PasswordGate
from helpdesk.core.passwords import hash_password
from helpdesk.services import Services
from helpdesk.storage.repositories import agents, audit, notes
from tests.console.conftest import NOW, PASSWORD, TEST_COST, csrf_of, make_settings, seed, sign_in
from tests.handlers.conftest import fake_matcher

Client = TestClient[web.Request, web.Application]
Attempt = Callable[..., Awaitable[tuple[int, str]]]
WRONG = "Wrong user name or password."


@pytest.fixture
def cheap_decoy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Names that do not exist are checked against a decoy hash of the cheapest cost, for the tests
    that count failures, not time them: each decoy check at the production cost took 0.2 s of CPU.
    The burst test keeps the production cost, which is its point."""
    decoy = hash_password(secrets.token_urlsafe(24), cost=TEST_COST)
    monkeypatch.setattr(console_auth, "decoy_hash", lambda: decoy)


@pytest.fixture
async def behind_proxy(database_url: str, tmp_path: Path) -> AsyncIterator[tuple[Services, Client]]:
    """A seeded console whose trusted reverse proxy is the test client's address, with room in the
    password gate's queue for 64 sign-ins (so that parallel ones all reach the database)."""
    settings = make_settings(database_url, tmp_path, trusted_proxies="127.0.0.1, 10.0.0.0/8")
    services = build_services(settings, matcher=fake_matcher())
    services.clock = lambda: NOW
    await seed(services)
    app = create_app(services, console_config(settings))
    app[keys.GATE] = PasswordGate(waiting=64)
    client: Client = TestClient(TestServer(app), headers={"Accept-Language": "en"})
    await client.start_server()
    yield services, client
    await client.close()
    await services.aclose()


async def attempts(client: Client) -> Attempt:
    token = await csrf_of(client, "/login")

    async def attempt(username: str, password: str, forwarded_for: str | None = None) -> tuple[int, str]:
        headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        response = await client.post(
            "/login",
            data={"csrf": token, "username": username, "password": password},
            headers=headers,
            allow_redirects=False,
        )
        return response.status, await response.text()

    return attempt


async def checked(services: Services, agent_id: int) -> int:
    """Passwords checked for the agent: every check that did not sign in is in the audit log."""
    async with services.sessions() as db:
        since = NOW.replace(year=2000)
        actor = f"agent:{agent_id}"
        return sum(
            [
                await audit.count_since(db, actor=actor, action=action, since=since)
                for action in ("login.failed", "login.locked")
            ]
        )


async def test_parallel_wrong_passwords_lock_the_account(behind_proxy: tuple[Services, Client]) -> None:
    """33 wrong passwords at once, from 33 addresses (so no address limit stops them first): the
    failures are counted in one UPDATE each, the account locks, and the right password is then
    refused. Counting on a row read without a lock lost most of them on PostgreSQL."""
    services, client = behind_proxy
    attempt = await attempts(client)
    results = await asyncio.gather(
        *(attempt("bruno", "wrong password!", f"198.51.100.{n}") for n in range(33))
    )
    assert {status for status, _ in results} == {401}
    async with services.sessions() as db:
        bruno = await agents.by_username(db, "bruno")
    assert bruno is not None and bruno.locked_until is not None and bruno.locked_until > NOW
    status, page = await attempt("bruno", PASSWORD, "198.51.100.200")
    assert status == 401 and WRONG in page
    assert (await client.get("/queue", allow_redirects=False)).status == 303
    assert await checked(services, bruno.id) == 33 + 1  # every one checked, none lost


async def test_the_counter_itself_loses_no_failure(services: Services, seeded: dict[str, int]) -> None:
    """Eight sessions count a failure at the same moment: the stored count is eight."""

    async def fail() -> bool:
        async with services.sessions() as db, db.begin():
            return await agents.note_failed_login(
                db, seeded["anna"], now=NOW, lock_after=100, lock_for=timedelta(minutes=15)
            )

    assert await asyncio.gather(*(fail() for _ in range(8))) == [False] * 8
    async with services.sessions() as db:
        anna = await agents.get(db, seeded["anna"])
    assert anna is not None and anna.failed_logins == 8


async def test_sixty_parallel_attempts_check_no_more_passwords_than_the_limit(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    """A slot is reserved before the check, so a burst cannot check more than the limit allows,
    and nothing in it fails with 500 (argon2 ran on the event loop inside a write transaction)."""
    attempt = await attempts(client)
    results = await asyncio.gather(*(attempt("anna", f"wrong password {n}") for n in range(60)))
    statuses = [status for status, _ in results]
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) == FAILURES_PER_NAME
    assert await checked(services, seeded["anna"]) == FAILURES_PER_NAME
    assert all("Too many sign-in attempts" in page for status, page in results if status == 429)


async def test_another_agents_note_succeeds_during_a_burst_of_failed_sign_ins(
    client: Client, seeded: dict[str, int], services: Services, config: ConsoleConfig
) -> None:
    """Sixty sign-ins with names that do not exist (each checked against the decoy hash, at the
    production cost) while a signed-in agent adds a note: the note is saved, no sign-in fails."""
    other: Client = TestClient(TestServer(create_app(services, config)), headers={"Accept-Language": "en"})
    await other.start_server()
    try:
        await sign_in(other, "bruno")
        token = await csrf_of(other, f"/items/{seeded['question']}")
        attempt = await attempts(client)

        async def note() -> int:
            await asyncio.sleep(0.05)  # the burst is under way
            response = await other.post(
                f"/items/{seeded['question']}/note",
                data={"csrf": token, "text": "Called the resident back"},
                allow_redirects=False,
            )
            return response.status

        noting = asyncio.create_task(note())
        results = await asyncio.gather(*(attempt(f"nobody{n}", "wrong password!") for n in range(60)))
        noted = await noting
    finally:
        await other.close()
    assert noted == 303
    assert {status for status, _ in results} <= {401, 429}
    async with services.sessions() as db:
        saved = await notes.for_request(db, seeded["question"])
    assert [row.text for row in saved] == ["Called the resident back"]


async def test_failures_behind_a_shared_proxy_do_not_block_another_agent(
    client: Client, seeded: dict[str, int], cheap_decoy: None
) -> None:
    """Every agent behind one proxy has its address: 20 bad tries from it (ten on one account, ten
    on names that do not exist) leave a colleague's right password working."""
    attempt = await attempts(client)
    for n in range(10):
        assert (await attempt("anna", "wrong password!"))[0] == 401
        assert (await attempt(f"nobody{n}", "wrong password!"))[0] == 401
    await sign_in(client, "bruno")
    assert (await client.get("/queue")).status == 200


async def test_the_limit_per_name_ignores_an_untrusted_forwarded_header(
    client: Client, seeded: dict[str, int]
) -> None:
    """With no trusted proxy configured, X-Forwarded-For is the client's own words: a new address
    in it for every try does not buy more tries."""
    attempt = await attempts(client)
    for n in range(FAILURES_PER_NAME):
        assert (await attempt("anna", "wrong password!", f"203.0.113.{n}"))[0] == 401
    status, page = await attempt("anna", "wrong password!", "203.0.113.99")
    assert status == 429 and "Too many sign-in attempts from this address" in page


async def test_a_trusted_proxy_gives_each_client_its_own_limit(
    behind_proxy: tuple[Services, Client], cheap_decoy: None
) -> None:
    """Behind a trusted proxy the limit is kept for the address the proxy saw (the right-most one
    that is not a proxy): what the client wrote to the left of it changes nothing."""
    _services, client = behind_proxy
    attempt = await attempts(client)
    for n in range(FAILURES_PER_NAME):
        status, _ = await attempt("nobody", "wrong password!", f"192.0.2.{n}, 203.0.113.5, 10.1.2.3")
        assert status == 401
    assert (await attempt("nobody", "wrong password!", "203.0.113.5"))[0] == 429
    assert (await attempt("nobody", "wrong password!", "203.0.113.6"))[0] == 401


async def test_a_full_password_gate_answers_busy_politely(
    services: Services, config: ConsoleConfig, seeded: dict[str, int]
) -> None:
    """One check at a time and no queue, and a check in progress: sign-ins are told to try again
    (429), are not counted as failures, and none fails with 500."""
    app = create_app(services, config)
    gate = app[keys.GATE] = PasswordGate(at_once=1, waiting=0)
    client: Client = TestClient(TestServer(app), headers={"Accept-Language": "en"})
    await client.start_server()
    release = threading.Event()
    in_progress = asyncio.create_task(gate.run(release.wait, 30))
    try:
        attempt = await attempts(client)
        results = await asyncio.gather(*(attempt("anna", PASSWORD) for _ in range(8)))
        assert {status for status, _ in results} == {429}
        assert all("The console is busy checking other sign-ins" in page for _, page in results)
        release.set()
        assert await in_progress
        for _ in range(FAILURES_PER_NAME):  # none of the eight used up the address's tries
            assert (await attempt("anna", "wrong password!"))[0] == 401
    finally:
        release.set()
        await client.close()
