"""The remaining routes: the admin audit log and its downloads, one-click unsubscribe, static files,
the ops routes, and the console catalogs (every text the console shows has a Latvian translation)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from helpdesk.app import build_services, console_config
from helpdesk.casework.actions import ACTIONS
from helpdesk.console.app import STATIC_DIR, create_app
from helpdesk.console.render import TEMPLATE_DIR
from helpdesk.console.views.item import DONE
from helpdesk.console.views.queue import CHANNELS, DUE
from helpdesk.core.unsubscribe import make_unsubscribe_token
from helpdesk.i18n import gettext_for
from helpdesk.services import Services
from helpdesk.storage.repositories import audit, consent
from tests.console.conftest import make_settings, post_form, sign_in
from tests.handlers.conftest import fake_matcher

Client = TestClient[web.Request, web.Application]


async def test_audit_log_is_for_admins(client: Client, seeded: dict[str, int]) -> None:
    await sign_in(client, "anna")
    for path in ("/audit", "/audit.csv", "/audit.json"):
        assert (await client.get(path)).status == 403


async def test_audit_log_page_and_downloads(
    client: Client, seeded: dict[str, int], services: Services
) -> None:
    await sign_in(client, "boss")
    await post_form(client, f"/items/{seeded['question']}/claim", {}, page=f"/items/{seeded['question']}")
    page = await (await client.get("/audit")).text()
    assert "claim" in page and f"/items/{seeded['question']}" in page
    response = await client.get("/audit.csv")
    assert response.headers["Content-Disposition"].startswith('attachment; filename="helpdesk-audit-')
    rows = list(csv.DictReader(io.StringIO(await response.text())))
    assert [row["action"] for row in rows] == ["login", "claim"]
    assert rows[1]["request_id"] == str(seeded["question"])
    events = await (await client.get("/audit.json")).json()
    assert [event["action"] for event in events] == ["login", "claim", "audit.exported"]
    async with services.sessions() as db:
        assert (await audit.search(db, limit=1))[0].action == "audit.exported"


async def test_unsubscribe_one_click(client: Client, seeded: dict[str, int], services: Services) -> None:
    token = make_unsubscribe_token(services.security.secret_key_bytes(), "R-1")
    page = await client.get(f"/unsubscribe/{token}")
    assert page.status == 200 and "Unsubscribe" in await page.text()
    async with services.sessions() as db:
        before = (await consent.history(db, "R-1"))[-1]  # the newest row is the state
        assert before.granted  # GET changed nothing (link scanners)
    # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no cookie and no CSRF token.
    response = await client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status == 200 and "no more news e-mails" in await response.text()
    async with services.sessions() as db:
        after = (await consent.history(db, "R-1"))[-1]
        assert not after.granted
    response = await client.post("/unsubscribe/not-a-token", data={"List-Unsubscribe": "One-Click"})
    assert response.status == 404 and "not valid" in await response.text()
    assert (await client.get("/unsubscribe/" + "x" * 600)).status == 404


async def test_unsubscribe_while_the_database_is_down(tmp_path: Path) -> None:
    # Nothing listens on port 9 of the loopback: the connection is refused at once.
    settings = make_settings("postgresql+asyncpg://postgres@127.0.0.1:9/none", tmp_path)
    down = build_services(settings, matcher=fake_matcher())
    token = make_unsubscribe_token(
        settings.security.secret_key_bytes(), "R-1"
    )  # a genuine link: only the database is missing
    server = TestServer(create_app(down, console_config(settings)))
    client: Client = TestClient(server, headers={"Accept-Language": "en"})
    await client.start_server()
    try:
        response = await client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
        assert response.status == 503 and "not available right now" in await response.text()
    finally:
        await client.close()
        await down.aclose()


async def test_static_files_and_ops_routes(client: Client, seeded: dict[str, int]) -> None:
    response = await client.get("/static/console.css")
    assert response.status == 200 and "@media (max-width: 700px)" in await response.text()
    script = await client.get("/static/console.js")
    assert script.status == 200 and "window.confirm" in await script.text()
    health = await client.get("/healthz")
    assert health.status == 200 and (await health.json())["status"] == "ok"


async def test_an_unexpected_error_is_a_polite_page(
    client: Client, seeded: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    await sign_in(client)

    async def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom 010180-12345")

    monkeypatch.setattr("helpdesk.storage.repositories.notes.for_request", explode)
    response = await client.get(f"/items/{seeded['question']}")
    assert response.status == 500
    text = await response.text()
    assert "Something went wrong" in text and "boom" not in text and "Traceback" not in text


_CALL = re.compile(r'(?:\b_|Refused)\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)[,)]')


_REFUSED = re.compile(r'\bRefused\(\s*((?:"(?:[^"\\]|\\.)*"\s*)+)[,)]')
CASEWORK_DIR = Path(STATIC_DIR).parents[1] / "casework"


def _literals(pattern: re.Pattern[str], path: Path) -> set[str]:
    found = set()
    for match in pattern.finditer(path.read_text(encoding="utf-8")):
        parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
        found.add("".join(parts).replace('\\"', '"'))
    return found


def _console_msgids() -> set[str]:
    """The console's texts, and casework's refusals (the console shows them on its pages);
    casework's own ``_()`` texts are the resident's (the ``helpdesk`` catalog)."""
    found: set[str] = set()
    for path in [*Path(TEMPLATE_DIR).glob("*.html"), *Path(STATIC_DIR).parent.rglob("*.py")]:
        found |= _literals(_CALL, path)
    for path in CASEWORK_DIR.glob("*.py"):
        found |= _literals(_REFUSED, path)
    from helpdesk.casework.corrections import CORRECTABLE
    from helpdesk.casework.lifecycle import OUTCOMES
    from helpdesk.casework.verification import VERIFY_METHODS
    from helpdesk.storage.models.requests import IdentityState, RequestKind, RequestStatus

    found |= {f"kind:{v}" for v in RequestKind} | {f"status:{v}" for v in RequestStatus}
    found |= {f"identity:{v}" for v in IdentityState} | {f"outcome:{v}" for v in OUTCOMES}
    found |= {f"verify:{v}" for v in VERIFY_METHODS} | {f"field:{v}" for v in CORRECTABLE}
    found |= {f"done:{v}" for v in DONE} | {f"channel:{v}" for v in CHANNELS}
    found |= {f"count:{v}" for v in ("open", "overdue", "due_soon")} | {"role:agent", "role:admin"}
    found |= {f"count:kind:{v}" for v in RequestKind} | {f"count:status:{v}" for v in RequestStatus}
    found |= {f"due:{v}" for v in DUE} | {"count:due_today"}
    found |= {f"audit:{v}" for v in CONSOLE_AUDIT_ACTIONS} | {f"language:{v}" for v in ("lv", "ru", "en")}
    return found.difference({"count:status:closed"})


# What the console's actions write to the audit log; every one has a label in each console language
# (and in the residents' catalog: a resident's data export lists what was done with their requests).
CONSOLE_AUDIT_ACTIONS = (
    *(name for name in ACTIONS if name not in ("export", "review", "send", "correction", "kb", "attach")),
    "request.attached",
    "export.generated",
    "export.viewed",
    "export.reviewed",
    "export.sent",
    "correction.applied",
    "correction.refused",
    "kb.entry_added",
    "verify.failed",
    "request.created",
    "resident.replied",  # written by the handlers when a waiting item is answered
)


def test_every_console_text_has_latvian_and_english() -> None:
    msgids = _console_msgids()
    assert len(msgids) > 150
    latvian = gettext_for("console", "lv")
    english = gettext_for("console", "en")
    missing = sorted(m for m in msgids if latvian.gettext(m) == m and m not in ("Telegram", "E-mail"))
    assert missing == []
    untranslated_keys = sorted(m for m in msgids if ":" in m and english.gettext(m) == m and " " not in m)
    assert untranslated_keys == []


async def test_unknown_page_and_admin_page_are_polite(client: Client, seeded: dict[str, int]) -> None:
    await sign_in(client, "anna")
    response = await client.get("/no/such/page")
    assert response.status == 404 and "There is nothing at this address." in await response.text()
    response = await client.get("/audit")
    assert response.status == 403 and "This page is for admins." in await response.text()
