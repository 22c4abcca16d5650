"""Sign-in, throttling, TOTP, session cookie flags, CSRF, sign-out and the language switch."""

from __future__ import annotations

from pathlib import Path

import pyotp
from aiohttp import web
from aiohttp.test_utils import TestClient

from helpdesk.services import Services
from helpdesk.storage.repositories import agents, audit
from tests.console.conftest import PASSWORD, csrf_of, post_form, sign_in

Client = TestClient[web.Request, web.Application]


async def test_queue_needs_sign_in(client: Client, seeded: dict[str, int]) -> None:
    response = await client.get("/queue", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/login"
    response = await client.get("/", allow_redirects=False)
    assert response.headers["Location"] == "/login"


async def test_sign_in_sets_a_strict_http_only_cookie_and_shows_the_queue(
    client: Client, seeded: dict[str, int]
) -> None:
    token = await csrf_of(client, "/login")
    response = await client.post(
        "/login", data={"csrf": token, "username": "anna", "password": PASSWORD}, allow_redirects=False
    )
    assert response.status == 303
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Secure" not in cookie
    page = await (await client.get("/queue")).text()
    assert "anna" in page and f"#{seeded['access']}" in page


async def test_wrong_password_is_refused_without_saying_which_part(
    client: Client, seeded: dict[str, int]
) -> None:
    token = await csrf_of(client, "/login")
    for username in ("anna", "nobody"):
        response = await client.post(
            "/login", data={"csrf": token, "username": username, "password": "wrong one!"}
        )
        assert response.status == 401
        assert "Wrong user name or password." in await response.text()


async def test_five_wrong_passwords_lock_the_account(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    token = await csrf_of(client, "/login")
    for _ in range(5):
        response = await client.post(
            "/login", data={"csrf": token, "username": "bruno", "password": "nope nope!"}
        )
        assert response.status == 401
    response = await client.post("/login", data={"csrf": token, "username": "bruno", "password": PASSWORD})
    assert response.status == 429
    assert "locked" in await response.text()
    async with services.sessions() as db:
        events = await audit.count_since(
            db,
            actor=f"agent:{seeded['bruno']}",
            action="login.failed",
            since=services.clock().replace(year=2000),
        )
    assert events == 5


async def test_per_address_throttle(client: Client, seeded: dict[str, int]) -> None:
    token = await csrf_of(client, "/login")
    statuses = []
    for number in range(22):
        response = await client.post(
            "/login", data={"csrf": token, "username": f"user{number}", "password": "whatever!!"}
        )
        statuses.append(response.status)
    assert statuses[:20] == [401] * 20
    assert statuses[20:] == [429, 429]


async def test_post_without_csrf_token_is_refused(client: Client, seeded: dict[str, int]) -> None:
    await client.get("/login")
    response = await client.post("/login", data={"username": "anna", "password": PASSWORD})
    assert response.status == 403
    assert "expired" in await response.text()
    response = await client.post("/login", data={"csrf": "0" * 64, "username": "anna", "password": PASSWORD})
    assert response.status == 403


async def test_forged_cookie_is_ignored(client: Client, seeded: dict[str, int]) -> None:
    client.session.cookie_jar.update_cookies({"hd_session": "eyJhZ2VudF9pZCI6MX0.deadbeef"})
    response = await client.get("/queue", allow_redirects=False)
    assert response.headers["Location"] == "/login"


async def test_sign_out_ends_the_session(client: Client, seeded: dict[str, int]) -> None:
    await sign_in(client)
    status, location, _ = await post_form(client, "/logout", {})
    assert (status, location) == (303, "/login")
    response = await client.get("/queue", allow_redirects=False)
    assert response.headers["Location"] == "/login"


async def test_totp_second_step(client: Client, seeded: dict[str, int], services: Services) -> None:
    secret = pyotp.random_base32()
    async with services.sessions() as db, db.begin():
        agent = await agents.by_username(db, "anna")
        assert agent is not None
        await agents.set_totp_secret(db, agent, secret, secret_key=services.settings.secret_key_bytes())
    token = await csrf_of(client, "/login")
    response = await client.post(
        "/login", data={"csrf": token, "username": "anna", "password": PASSWORD}, allow_redirects=False
    )
    assert response.headers["Location"] == "/login/totp"
    assert (await client.get("/queue", allow_redirects=False)).status == 303  # not signed in yet
    token = await csrf_of(client, "/login/totp")
    response = await client.post("/login/totp", data={"csrf": token, "code": "000000"})
    assert response.status == 401
    response = await client.post(
        "/login/totp",
        data={"csrf": token, "code": pyotp.TOTP(secret).at(services.clock())},
        allow_redirects=False,
    )
    assert response.headers["Location"] == "/queue"
    assert (await client.get("/queue")).status == 200


async def test_language_switch(client: Client, seeded: dict[str, int]) -> None:
    await sign_in(client)
    status, location, _ = await post_form(client, "/language", {"language": "lv", "next": "/queue"})
    assert (status, location) == (303, "/queue")
    assert "Rinda" in await (await client.get("/queue")).text()
    status, location, _ = await post_form(
        client, "/language", {"language": "en", "next": "https://evil.example/"}
    )
    assert location == "/"
    assert "Queue" in await (await client.get("/queue")).text()


async def test_security_headers(client: Client, seeded: dict[str, int]) -> None:
    response = await client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


async def test_cookie_is_secure_behind_https(database_url: str, tmp_path: Path) -> None:
    from aiohttp.test_utils import TestServer

    from helpdesk.app import build_services
    from helpdesk.console.app import create_app
    from tests.console.conftest import make_settings
    from tests.handlers.conftest import fake_matcher

    services = build_services(
        make_settings(database_url, tmp_path, console_public_url="https://helpdesk.example.lv/"),
        matcher=fake_matcher(),
    )
    client: Client = TestClient(TestServer(create_app(services)))
    await client.start_server()
    try:
        response = await client.get("/login")
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    finally:
        await client.close()
        await services.aclose()
