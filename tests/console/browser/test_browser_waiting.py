"""Waiting for the resident in a real browser: the agent ticks "then wait" under a reply, the queue
marks the item, the resident answers in Telegram (through the shared handlers), and the queue and
the item page show that the resident wrote again. Screenshots are saved as artefacts."""

from __future__ import annotations

import pytest
from playwright.async_api import Browser, Page, expect

from helpdesk.console.config import ConsoleConfig
from helpdesk.console.server import bound_port, start_console
from helpdesk.handlers.dispatch import handle
from helpdesk.services import Services
from helpdesk.storage.repositories import audit, requests
from tests.console.browser import artifacts_dir
from tests.console.conftest import PASSWORD
from tests.handlers.conftest import telegram

# The worker's Chromium lives in the session event loop (conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


async def _submit(page: Page, button: str) -> None:
    async with page.expect_navigation():
        await page.get_by_role("button", name=button, exact=True).click()


async def test_agent_waits_and_sees_the_resident_answer(
    services: Services, config: ConsoleConfig, seeded: dict[str, int], backend: str, browser: Browser
) -> None:
    item = seeded["question"]
    runner = await start_console(services, config, host="127.0.0.1", port=0)
    base = f"http://127.0.0.1:{bound_port(runner)}"
    try:
        page = await browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        await page.goto(base + "/login")
        await page.fill("input[name=username]", "anna")
        await page.fill("input[name=password]", PASSWORD)
        await _submit(page, "Sign in")
        await page.goto(f"{base}/items/{item}")
        await _submit(page, "Claim")
        await page.fill("form[action$='/reply'] textarea[name=text]", "Kurš ir jūsu klienta numurs?")
        await page.get_by_label("Then wait for the resident's answer (the deadline keeps running)").check()
        await _submit(page, "Send reply")
        await expect(page.get_by_role("status")).to_contain_text("the item waits for the resident")
        await expect(page.locator("h1 .meta")).to_have_text("waiting for resident")
        await expect(
            page.get_by_role("button", name="Stop waiting (the answer came another way)")
        ).to_be_visible()
        await page.screenshot(path=str(artifacts_dir() / f"waiting-1-parked-{backend}.png"), full_page=True)

        await page.goto(base + "/queue")
        row = page.locator("tr", has=page.locator(f'a[href="/items/{item}"]'))
        await expect(row.locator(".tag.waiting")).to_be_visible()
        await expect(row.locator(".tag.replied")).to_have_count(0)

        answer = telegram("Klienta numurs ir 55-1234")
        assert (await handle(answer, services)).request_id == item

        await page.reload()
        await expect(row.locator(".tag.replied")).to_be_visible()
        await expect(row.locator(".tag.waiting")).to_have_count(0)
        await expect(row).to_contain_text("claimed")
        await page.screenshot(path=str(artifacts_dir() / f"waiting-2-queue-{backend}.png"), full_page=True)
        async with page.expect_navigation():
            await row.locator("a").first.click()
        await expect(page.locator(".notice.replied")).to_contain_text("The resident wrote again on")
        await expect(page.locator(".conversation-card")).to_contain_text("Klienta numurs ir 55-1234")
        await expect(page.locator(".audit-card")).to_contain_text("the resident wrote again")
        await page.screenshot(path=str(artifacts_dir() / f"waiting-3-item-{backend}.png"), full_page=True)
    finally:
        await runner.cleanup()
    async with services.sessions() as db:
        row_item = await requests.get(db, item)
        actions = [event.action for event in await audit.for_request(db, item)]
    assert row_item is not None and row_item.status == "claimed"
    assert actions == ["claim", "reply", "wait", "resident.replied"]
