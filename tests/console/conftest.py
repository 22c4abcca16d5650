"""Console fixtures: a seeded database (both backends), the real app behind aiohttp's test client,
and a helper that signs an agent in through the real form (CSRF token included)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from argon2 import profiles

from helpdesk.app import console_config
from helpdesk.console.app import create_app
from helpdesk.console.config import ConsoleConfig
from helpdesk.core.deadlines import gdpr_deadline
from helpdesk.services import Services
from helpdesk.settings import Settings
from helpdesk.storage.models.requests import IdentityState, RequestKind
from helpdesk.storage.repositories import agents, consent, conversations, requests
from tests.conftest import settings_for
from tests.handlers.conftest import FakeMatcher, fake_matcher
from tests.seed import NOW, seed_residents, write_pdf

__all__ = ["NOW"]  # the console tests' clock, as the seed's

PASSWORD = "correct horse battery"
SECRET = "console-test-key-Kc9wR3xT7nQz2LmP6vBd4YhF"
# argon2-cffi's cheapest profile for the seeded agents: a sign-in costs microseconds instead of a
# tenth of a second (verifying follows the cost stored in the hash). test_auth checks that agents
# made without it get the production cost.
TEST_COST = profiles.CHEAPEST

Client = TestClient[web.Request, web.Application]


def make_settings(database_url: str, tmp_path: Path, **extra: object) -> Settings:
    return settings_for(
        database_url, tmp_path, **{"secret_key": SECRET, "telegram_bot_username": "TestBot", **extra}
    )


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The console tests' settings; a module overrides this fixture to change one."""
    return make_settings(database_url, tmp_path)


@pytest.fixture
def config(settings: Settings) -> ConsoleConfig:
    """What the console receives of ``settings`` (as :func:`helpdesk.app.console_config` builds it)."""
    return console_config(settings)


@pytest.fixture
def matcher() -> FakeMatcher:
    return fake_matcher()


async def seed(services: Services) -> dict[str, int]:
    """The shared residents (tests/seed.py, without invoices), R-1's news consent, agents
    anna/bruno/boss and four queue items."""
    ids: dict[str, int] = {}
    async with services.sessions() as db, db.begin():
        await seed_residents(db)
        await consent.record(
            db,
            resident_id="R-1",
            granted=True,
            email="janis.zinas@example.lv",
            channel="telegram",
            evidence="tg:1",
            text_version="news-lv-1",
            now=NOW - timedelta(days=10),
        )
        for username, role in (("anna", "agent"), ("bruno", "agent"), ("boss", "admin")):
            agent = await agents.add(
                db, username=username, password=PASSWORD, role=role, language="en", cost=TEST_COST
            )
            ids[username] = agent.id
        received = NOW - timedelta(days=3)
        conversation = await conversations.open_for(
            db, channel="email", contact="janis@example.lv", resident_id="R-1", language="lv", now=received
        )
        await conversations.add_message(
            db,
            conversation,
            direction="in",
            author="resident",
            text="Lūdzu, atsūtiet manus datus. Mans kods 010180-12345",
            now=received,
        )
        access = await requests.create(
            db,
            kind=RequestKind.ACCESS,
            channel="email",
            contact="janis@example.lv",
            received_at=received,
            deadline_at=gdpr_deadline(received),
            resident_id="R-1",
            conversation_id=conversation.id,
            summary="Lūdzu, atsūtiet manus datus.",
            identity=IdentityState.VERIFIED,
            identity_how="email: address on record",
            external_ref="<access-1@example.lv>",
        )
        ids["access"] = access.id
        correction = await requests.create(
            db,
            kind=RequestKind.CORRECTION,
            channel="telegram",
            contact="111",
            received_at=NOW - timedelta(days=40),
            deadline_at=NOW - timedelta(days=10),
            resident_id="R-1",
            summary="Mana adrese ir Brīvības iela 1-6",
            identity=IdentityState.VERIFIED,
            identity_how="telegram: linked chat",
        )
        ids["correction"] = correction.id
        question = await requests.create(
            db,
            kind=RequestKind.QUESTION,
            channel="telegram",
            contact="111",
            received_at=NOW - timedelta(hours=2),
            deadline_at=NOW + timedelta(days=2),
            resident_id="R-1",
            summary="<script>alert('x')</script><b>bold</b>",
        )
        ids["question"] = question.id
        stranger = await requests.create(
            db,
            kind=RequestKind.ACCESS,
            channel="email",
            contact="someone@elsewhere.example",
            received_at=NOW - timedelta(days=1),
            deadline_at=gdpr_deadline(NOW - timedelta(days=1)),
            summary="Send me everything about R-2",
        )
        ids["unverified"] = stranger.id
    write_pdf(services.storage.invoice_dir, "unused.pdf", b"x")
    return ids


@pytest.fixture
async def seeded(services: Services) -> dict[str, int]:
    return await seed(services)


@pytest.fixture
async def client(services: Services, config: ConsoleConfig) -> AsyncIterator[Client]:
    server = TestServer(create_app(services, config))
    test_client: Client = TestClient(server, headers={"Accept-Language": "en"})
    await test_client.start_server()
    yield test_client
    await test_client.close()


CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def csrf_of(client: Client, path: str) -> str:
    response = await client.get(path)
    match = CSRF.search(await response.text())
    assert match, f"no CSRF token on {path}"
    return match.group(1)


async def sign_in(client: Client, username: str = "anna") -> None:
    token = await csrf_of(client, "/login")
    response = await client.post(
        "/login", data={"csrf": token, "username": username, "password": PASSWORD}, allow_redirects=False
    )
    assert response.status == 303, await response.text()
    assert response.headers["Location"] == "/queue"


async def post_form(
    client: Client,
    path: str,
    data: dict[str, str],
    *,
    page: str | None = None,
) -> tuple[int, str, str]:
    """POST a console form with the CSRF token of ``page`` (default: the form's own item page)."""
    token = await csrf_of(client, page or "/queue")
    response = await client.post(path, data={"csrf": token, **data}, allow_redirects=False)
    return response.status, response.headers.get("Location", ""), await response.text()
