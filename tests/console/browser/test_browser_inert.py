"""Resident text that contains HTML or JavaScript is shown as text in a real browser, never run:
autoescaping in the templates, and a Content-Security-Policy without inline scripts behind it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.async_api import Browser, expect

from helpdesk.console.config import ConsoleConfig
from helpdesk.console.server import bound_port, start_console
from helpdesk.services import Services
from helpdesk.storage.models.requests import RequestKind
from helpdesk.storage.repositories import conversations, requests
from tests.console.browser import artifacts_dir
from tests.console.conftest import NOW, PASSWORD

# The worker's Chromium lives in the session event loop (conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

PAYLOADS = (
    "<script>window.pwned = 1; alert('x')</script>",
    '<img src=x onerror="window.pwned = 2">',
    '<a href="javascript:window.pwned=3">click</a>',
    '"><svg onload="window.pwned=4">',
)


async def test_resident_html_is_inert_in_the_browser(
    services: Services, config: ConsoleConfig, seeded: dict[str, int], backend: str, browser: Browser
) -> None:
    text = " ".join(PAYLOADS)
    async with services.sessions() as db, db.begin():
        conversation = await conversations.open_for(
            db, channel="telegram", contact="111", resident_id="R-1", language="lv", now=NOW
        )
        await conversations.add_message(
            db, conversation, direction="in", author="resident", text=text, now=NOW
        )
        item = await requests.create(
            db,
            kind=RequestKind.QUESTION,
            channel="telegram",
            contact="111",
            received_at=NOW,
            deadline_at=NOW + timedelta(days=1),
            resident_id="R-1",
            conversation_id=conversation.id,
            summary=text,
        )
        item_id = item.id
    runner = await start_console(services, config, host="127.0.0.1", port=0)
    base = f"http://127.0.0.1:{bound_port(runner)}"
    dialogs: list[str] = []
    try:
        page = await browser.new_page(locale="en-GB")
        page.on("dialog", lambda dialog: dialogs.append(dialog.message))
        await page.goto(base + "/login")
        await page.fill("input[name=username]", "anna")
        await page.fill("input[name=password]", PASSWORD)
        async with page.expect_navigation():
            await page.get_by_role("button", name="Sign in", exact=True).click()
        for path in ("/queue", f"/items/{item_id}"):
            await page.goto(base + path)
            await page.wait_for_load_state("load")
            assert await page.evaluate("window.pwned === undefined")
            # The only script is the console's own (progressive enhancement), none from a resident.
            assert await page.locator("script").count() == 1
            assert await page.locator('head > script[src="/static/console.js"]').count() == 1
            assert await page.locator("main img, main svg").count() == 0
        await expect(page.locator("#summary")).to_contain_text("<script>window.pwned = 1;")
        await expect(page.locator(".messages li.in")).to_contain_text(
            '<img src=x onerror="window.pwned = 2">'
        )
        await page.screenshot(path=str(artifacts_dir() / f"inert-{backend}.png"), full_page=True)
    finally:
        await runner.cleanup()
    assert dialogs == []
