"""Every route the console serves, walked from its router: each POST without the session's CSRF
token is refused and changes nothing, each page needs a signed-in agent, admin pages need an admin.

A new route makes the lists here fail until someone decides which wall it stands behind.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient

from helpdesk.casework.actions import ACTIONS
from helpdesk.services import Services
from helpdesk.storage.repositories import audit, requests
from tests.console.conftest import sign_in

Client = TestClient[web.Request, web.Application]

# Forms of the signed session (CSRF token required).
SESSION_POSTS = {"/login", "/login/totp", "/logout", "/language", "/items/{item_id}/{action}"}
# RFC 8058 one-click unsubscribe: a mail client's POST, the token in the URL is the proof.
TOKEN_POSTS = {"/unsubscribe/{token}"}
ADMIN_PAGES = {"/audit", "/audit.csv", "/audit.json"}
FORMATS = ("html", "json", "pdf")
_EXPORT = "/items/{item_id}/exports/{export_id}.{fmt}"


def _routes(app: web.Application, method: str) -> set[str]:
    found = set()
    for route in app.router.routes():
        if route.method == method and route.resource is not None:
            canonical = route.resource.canonical
            if not canonical.startswith(("/api/", "/static")):
                found.add(canonical)
    return found


async def test_every_post_route_needs_the_csrf_token(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    app = client.app
    assert app is not None
    assert _routes(app, "POST") == SESSION_POSTS | TOKEN_POSTS
    await sign_in(client)
    async with services.sessions() as db:
        before = len(await audit.search(db, limit=10_000))
    item = seeded["question"]
    paths = [p.replace("{item_id}/{action}", f"{item}/{a}") for p in SESSION_POSTS for a in ACTIONS]
    for path in sorted(set(paths)):
        for data in ({}, {"csrf": "0" * 64}):
            response = await client.post(path, data=data | {"text": "x", "outcome": "answered"})
            assert response.status == 403, path
            assert "The form has expired" in await response.text()
    async with services.sessions() as db:
        assert len(await audit.search(db, limit=10_000)) == before
        row = await requests.get(db, item)
    assert row is not None and row.assignee_id is None and row.status == "open"
    # Still signed in: the refused sign-out did not end the session.
    assert (await client.get("/queue", allow_redirects=False)).status == 200


async def test_every_page_needs_an_agent_and_admin_pages_an_admin(
    client: Client, seeded: dict[str, int]
) -> None:
    app = client.app
    assert app is not None
    item = seeded["access"]
    expand = {
        "/items/{item_id}": [f"/items/{item}"],
        "/items/{item_id}/exports/{export_id}.{fmt}": [f"/items/{item}/exports/1.{f}" for f in FORMATS],
        "/audit.{fmt}": ["/audit.csv", "/audit.json"],
        # An action's address opened with GET goes back to the item's page (after a language switch).
        "/items/{item_id}/{action}": [f"/items/{item}/close"],
    }
    public = {"/", "/login", "/login/totp", "/healthz", "/metrics", "/unsubscribe/{token}"}
    pages = {page for path in _routes(app, "GET") - public for page in expand.get(path, [path])}
    assert pages == {"/queue", f"/items/{item}", f"/items/{item}/close", *expand[_EXPORT], *ADMIN_PAGES}
    for path in sorted(pages):
        response = await client.get(path, allow_redirects=False)
        assert (response.status, response.headers.get("Location")) == (303, "/login"), path
    await sign_in(client, "anna")  # an agent
    for path in sorted(ADMIN_PAGES):
        assert (await client.get(path)).status == 403, path
    for path in ("/queue", f"/items/{item}"):
        assert (await client.get(path)).status == 200, path
    response = await client.get(f"/items/{item}/close", allow_redirects=False)
    assert (response.status, response.headers.get("Location")) == (303, f"/items/{item}")
    for path in expand[_EXPORT]:
        assert (await client.get(path)).status == 404  # none generated yet
