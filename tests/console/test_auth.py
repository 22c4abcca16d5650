"""Sign-in, throttling, TOTP, session cookie flags, CSRF, sign-out and the language switch."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from helpdesk.console.throttle import FAILURES_PER_NAME
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


async def test_five_wrong_passwords_lock_the_account_without_saying_so(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    """After five wrong passwords the right one is refused too, with the very page a wrong
    password gets: a "locked" page told a guesser which user names are agents."""
    token = await csrf_of(client, "/login")
    pages = []
    for password in ["nope nope!"] * 5 + [PASSWORD]:
        response = await client.post(
            "/login", data={"csrf": token, "username": "bruno", "password": password}
        )
        pages.append((response.status, await response.text()))
    unknown = await client.post("/login", data={"csrf": token, "username": "nobody", "password": PASSWORD})
    pages.append((unknown.status, await unknown.text()))
    assert {status for status, _ in pages} == {401}
    errors = {re.search(r'role="alert">([^<]+)<', text).group(1) for _, text in pages}  # type: ignore[union-attr]
    assert errors == {
        "Wrong user name or password. After several wrong tries an account is locked for a few minutes."
    }
    assert (await client.get("/queue", allow_redirects=False)).headers["Location"] == "/login"
    async with services.sessions() as db:
        since = services.clock().replace(year=2000)
        actor = f"agent:{seeded['bruno']}"
        assert await audit.count_since(db, actor=actor, action="login.failed", since=since) == 5
        assert await audit.count_since(db, actor=actor, action="login.locked", since=since) == 1
        agent = await agents.by_username(db, "bruno")
        assert agent is not None and agent.locked_until is not None


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
        await agents.set_totp_secret(db, agent, secret, secret_key=services.security.secret_key_bytes())
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


@pytest.mark.parametrize(
    "trick",
    [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\\evil.example",
        "\\/evil.example",
        " //evil.example",
        "/\r\n//x",
    ],
)
async def test_language_switch_normalises_next_before_checking_it(
    client: Client, seeded: dict[str, int], trick: str
) -> None:
    """A browser drops tabs and new lines from a URL and reads "\\" as "/": each of these would
    have led it to //evil.example, another site."""
    await sign_in(client)
    status, location, _ = await post_form(client, "/language", {"language": "en", "next": trick})
    assert (status, location) == (303, "/")


async def test_security_headers(client: Client, seeded: dict[str, int]) -> None:
    response = await client.get("/login")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # plain http: HSTS would mislead


async def test_security_headers_on_every_kind_of_answer(client: Client, seeded: dict[str, int]) -> None:
    """Redirects, refusals and aiohttp's own error pages carry them too, and no Server header names
    the software and its version."""
    token = await csrf_of(client, "/login")
    wrong = {"csrf": token, "username": "anna", "password": "wrong password"}
    answers = [
        await client.get("/queue", allow_redirects=False),  # 303 to the sign-in page
        await client.post("/login", data=wrong),  # 401
        await client.post("/login", data={"username": "anna"}),  # 403, no CSRF token
        await client.get("/no/such/page"),  # 404
        await client.get("/logout"),  # 405, aiohttp's own
        await client.get("/api/v1/consents"),  # 401 from the API, JSON
        await client.get("/static/console.css"),  # a file
    ]
    for _ in range(FAILURES_PER_NAME):
        answers.append(await client.post("/login", data=wrong))
    statuses = [response.status for response in answers]
    assert statuses[:7] == [303, 401, 403, 404, 405, 401, 200] and statuses[-1] == 429
    for response in answers:
        headers = response.headers
        assert headers["X-Content-Type-Options"] == "nosniff", response.url
        assert headers["X-Frame-Options"] == "DENY" and headers["Referrer-Policy"] == "no-referrer"
        assert headers["Server"] == "helpdesk" and "aiohttp" not in str(headers), response.url
    assert all(r.headers["Cache-Control"] == "no-store" for r in answers if "/static/" not in r.url.path)
    assert all("Content-Security-Policy" in r.headers for r in answers if r.content_type == "text/html")


async def test_cookie_is_secure_behind_https(database_url: str, tmp_path: Path) -> None:
    from aiohttp.test_utils import TestServer

    from helpdesk.app import build_services, console_config
    from helpdesk.console.app import create_app
    from tests.console.conftest import make_settings
    from tests.handlers.conftest import fake_matcher

    settings = make_settings(database_url, tmp_path, console_public_url="https://helpdesk.example.lv/")
    services = build_services(settings, matcher=fake_matcher())
    client: Client = TestClient(TestServer(create_app(services, console_config(settings))))
    await client.start_server()
    try:
        response = await client.get("/login")
        cookie = response.headers["Set-Cookie"]
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        for answer in (await client.get("/", allow_redirects=False), await client.get("/api/v1/consents")):
            assert answer.headers["Strict-Transport-Security"] == "max-age=31536000"
    finally:
        await client.close()
        await services.aclose()
