"""The console as an agent uses it, in a real browser: what is due first stands out (overdue, then
due today, with the date in Riga time as the agent's language writes it), the queue fits a phone,
every field has a label, the focus is visible and the keyboard alone claims an item, and the
irreversible close asks for an outcome even without JavaScript."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest
from playwright.async_api import Browser, BrowserContext, Dialog, expect

from helpdesk.console.config import ConsoleConfig
from helpdesk.services import Services
from helpdesk.storage.models.requests import RequestKind
from helpdesk.storage.repositories import audit, requests
from tests.console.browser import artifacts_dir, console_on_a_free_port, submit
from tests.console.conftest import NOW, PASSWORD

# The worker's Chromium lives in the session event loop (conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

# Every form control a person fills in (hidden inputs are the CSRF token and the like), with the
# text its label gives it; an empty name means a field nobody can tell apart by ear.
UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
  .filter((el) => {
    const named = [...(el.labels || [])].some((label) => label.textContent.trim())
      || (el.getAttribute('aria-label') || '').trim();
    return !named;
  })
  .map((el) => el.outerHTML.slice(0, 100))"""

# The focused element's ring: Chromium's default is a 1px auto outline that is easy to miss.
FOCUS_RING = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  return {tag: el.tagName, text: (el.textContent || el.name || '').trim().slice(0, 40),
          style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""

# A phone card's rows: each keeps the height of its label, and no row runs into the next.
CARD_ROWS = """(row) => [...row.querySelectorAll('td')].map((td) => {
  const box = td.getBoundingClientRect();
  return {label: td.dataset.label, top: box.top, bottom: box.bottom,
          line: parseFloat(getComputedStyle(td, '::before').lineHeight)};
})"""


async def _signed_in(browser: Browser, base: str, user: str = "anna", **options: object) -> BrowserContext:
    context = await browser.new_context(**options)  # type: ignore[arg-type]
    page = await context.new_page()
    await page.goto(base + "/login")
    assert await page.evaluate(UNLABELLED) == []
    await page.fill("input[name=username]", user)
    await page.fill("input[name=password]", PASSWORD)
    async with page.expect_navigation():
        await page.get_by_role("button", name="Sign in", exact=True).click()
    await page.close()
    return context


async def _due_today(services: Services) -> int:
    """An open question due at 17:00 Riga time on the test's day (NOW is 12:00 in Riga)."""
    async with services.sessions() as db, db.begin():
        item = await requests.create(
            db,
            kind=RequestKind.QUESTION,
            channel="email",
            contact="janis@example.lv",
            received_at=NOW - timedelta(hours=43),
            deadline_at=NOW + timedelta(hours=5),
            resident_id="R-1",
            summary="Kā nomainīt rēķina adresi?",
        )
        return item.id


async def test_queue_puts_overdue_and_due_today_first_and_fits_a_phone(
    services: Services, config: ConsoleConfig, seeded: dict[str, int], backend: str, browser: Browser
) -> None:
    today = await _due_today(services)
    async with console_on_a_free_port(services, config) as base:
        context = await _signed_in(browser, base, viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        await page.goto(base + "/queue")
        rows = page.locator("table.queue tbody tr")
        first, second = rows.nth(0), rows.nth(1)
        await expect(first).to_have_class("overdue")
        await expect(first.locator("a").first).to_have_text(f"#{seeded['correction']}")
        await expect(first.locator(".tag.overdue")).to_have_text("overdue")
        await expect(first.locator(".due")).to_have_text("10 days ago")
        await expect(second).to_have_class("today")
        await expect(second.locator("a").first).to_have_text(f"#{today}")
        await expect(second.locator(".tag.today")).to_have_text("due today")
        # 15:00 UTC is 17:00 in Riga (EET, UTC+2, in January).
        await expect(second.locator("td.when")).to_contain_text("31 Jan 2026 17:00")
        await expect(second.locator(".due")).to_have_text("in 5 hours")
        await expect(rows.nth(2).locator(".tag.soon")).to_have_text("this week")
        # The rows stand out by more than a thin edge: their background is tinted.
        tints = [await rows.nth(n).evaluate("(r) => getComputedStyle(r).backgroundColor") for n in (0, 1, 2)]
        assert tints[0] != tints[2] and tints[1] != tints[2] and tints[0] != tints[1]
        assert await page.evaluate(UNLABELLED) == []
        await page.screenshot(path=str(artifacts_dir() / f"usability-queue-{backend}.png"), full_page=True)

        # Each count is a link to its items.
        async with page.expect_navigation():
            await page.locator(".counts").get_by_role("link", name="Correction requests").click()
        await expect(rows).to_have_count(1)
        await expect(page.locator(".counts a[aria-current=page]")).to_have_text("Correction requests")
        async with page.expect_navigation():
            await page.locator(".counts").get_by_role("link", name="Not closed").click()
        await expect(rows).to_have_count(5)
        async with page.expect_navigation():
            await page.get_by_role("button", name="LV", exact=True).click()
        await expect(second.locator(".tag.today")).to_have_text("šodien")
        await expect(second.locator("td.when")).to_contain_text("31.01.2026 17:00")
        await expect(second.locator(".due")).to_have_text("pēc 5 stundām")
        await expect(first.locator(".due")).to_have_text("pirms 10 dienām")
        await context.close()

        phone = await _signed_in(browser, base, viewport={"width": 390, "height": 844}, is_mobile=True)
        page = await phone.new_page()
        await page.goto(base + "/queue")
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        # What is due first is on the first screen, not under the filters.
        card = page.locator("table.queue tbody tr").first
        box = await card.bounding_box()
        assert box is not None and box["y"] < 844
        for row in range(await page.locator("table.queue tbody tr").count()):
            cells = await page.locator("table.queue tbody tr").nth(row).evaluate(CARD_ROWS)
            for cell in cells:
                assert cell["bottom"] - cell["top"] >= cell["line"], cell
            for above, below in pairwise(cells):
                assert below["top"] >= above["bottom"] - 0.5, (above, below)
        # The filters fold away on the page and open with one tap; they keep working as a form.
        await expect(page.locator("select[name=kind]")).to_be_hidden()
        await page.locator("details.filter-box > summary").click()
        await page.select_option("select[name=kind]", "correction")
        async with page.expect_navigation():
            await page.locator("form.filters button[type=submit]").click()
        await expect(page.locator("table.queue tbody tr")).to_have_count(1)
        await expect(page.locator("details.filter-box")).to_have_attribute("open", "")
        await page.screenshot(
            path=str(artifacts_dir() / f"usability-queue-phone-{backend}.png"), full_page=True
        )
        await phone.close()


async def test_keyboard_claims_an_item_the_focus_shows_and_every_field_has_a_label(
    services: Services, config: ConsoleConfig, seeded: dict[str, int], backend: str, browser: Browser
) -> None:
    async with services.sessions() as db, db.begin():
        await audit.record(db, actor="system", action="purge", detail={"conversations": 3})
    async with console_on_a_free_port(services, config) as base:
        context = await _signed_in(browser, base, viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        await page.goto(f"{base}/items/{seeded['access']}")
        await page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to the content")
        await expect(skip).to_be_focused()
        skip_box = await skip.bounding_box()
        assert skip_box is not None and skip_box["y"] >= 0  # shown once it has the focus
        rings = []
        for _ in range(30):
            ring = await page.evaluate(FOCUS_RING)
            rings.append(ring)
            if ring["tag"] == "BUTTON" and ring["text"] == "Claim":
                break
            await page.keyboard.press("Tab")
        assert rings[-1]["text"] == "Claim", rings
        assert all(ring["style"] != "none" and ring["width"] >= 2 for ring in rings), rings
        async with page.expect_navigation():
            await page.keyboard.press("Enter")
        await expect(page.get_by_role("status")).to_have_text("You claimed this item.")

        # The claimed item's forms: each field named, the reply says where it goes.
        assert await page.evaluate(UNLABELLED) == []
        await expect(page.get_by_label("Reply to the resident")).to_be_visible()
        await expect(page.locator("#reply-where")).to_have_text(
            "Goes by e-mail to janis@example.lv, in the thread of their message."
        )
        await page.screenshot(path=str(artifacts_dir() / f"usability-item-{backend}.png"), full_page=True)
        for item in (seeded["correction"], seeded["question"]):
            await page.goto(f"{base}/items/{item}")
            await submit(page, "Claim")
            assert await page.evaluate(UNLABELLED) == []
        await page.fill("form[action$='/reply'] textarea[name=text]", "Rēķinu sūtām katra mēneša 5. datumā.")
        await submit(page, "Send reply")
        await expect(page.locator("#kb")).to_be_visible()  # the knowledge-base form is there too
        assert await page.evaluate(UNLABELLED) == []
        await expect(page.locator("#kb-id-hint")).to_contain_text("Small letters, digits and hyphens")
        await context.close()

        admin = await _signed_in(browser, base, user="boss")
        page = await admin.new_page()
        await page.goto(base + "/audit")
        purge = page.locator("tr", has_text="purge")
        await expect(purge.locator("td").nth(1)).to_contain_text("the system")
        await expect(purge.locator("dl.details")).to_contain_text("conversations")
        await expect(page.locator("main")).not_to_contain_text("{}")
        await admin.close()


async def test_without_javascript_verify_and_close_ask_first_and_still_work(
    services: Services, config: ConsoleConfig, seeded: dict[str, int], backend: str, browser: Browser
) -> None:
    item = seeded["unverified"]
    async with console_on_a_free_port(services, config) as base:
        context = await _signed_in(browser, base, java_script_enabled=False)
        page = await context.new_page()
        await page.goto(f"{base}/items/{item}")
        await submit(page, "Claim")
        # No preselected answer: pressing the button without choosing sends nothing.
        await page.get_by_role("button", name="Mark identity verified", exact=True).click()
        await page.get_by_role("button", name="Close", exact=True).click()
        await expect(page.locator("h1 .meta")).to_have_text("claimed")
        assert not await page.locator("select[name=method]").evaluate("(s) => s.validity.valid")
        assert not await page.locator("select[name=outcome]").evaluate("(s) => s.validity.valid")

        await page.select_option("select[name=method]", "other")
        await page.fill("input[name=detail]", "called the number on record")
        await submit(page, "Mark identity verified")
        await expect(page.locator(".facts-card")).to_contain_text(
            "checked by an agent · another way · called the number on record"
        )
        await page.select_option("select[name=outcome]", "no_identity")
        await submit(page, "Close")
        # Without JavaScript the server asks: a page that says what will happen, Confirm or Back.
        await expect(page.get_by_role("heading", level=1)).to_have_text(f"Close item #{item}?")
        await expect(page.locator(".confirm-card")).to_contain_text("identity not confirmed")
        await expect(page.locator(".confirm-card")).to_contain_text("A closed item cannot be reopened.")
        await expect(page.locator("header .badge")).to_be_visible()
        await page.screenshot(
            path=str(artifacts_dir() / f"usability-nojs-confirm-{backend}.png"), full_page=True
        )
        async with page.expect_navigation():
            await page.get_by_role("link", name="Back to the item").click()
        await expect(page.locator("h1 .meta")).to_have_text("claimed")
        await page.select_option("select[name=outcome]", "no_identity")
        await submit(page, "Close")
        await submit(page, "Yes, close the item")
        await expect(page.get_by_role("status")).to_have_text("The item is closed.")
        await page.screenshot(path=str(artifacts_dir() / f"usability-nojs-{backend}.png"), full_page=True)
        await context.close()
    async with services.sessions() as db:
        closed = await requests.get(db, item)
        actions = [event.action for event in await audit.for_request(db, item)]
    assert closed is not None and closed.status == "closed" and closed.outcome == "no_identity"
    assert actions == ["claim", "verify", "close"]


async def test_sending_an_export_without_javascript_shows_where_it_goes_and_with_it_asks_in_the_page(
    services: Services, config: ConsoleConfig, seeded: dict[str, int], backend: str, browser: Browser
) -> None:
    item = seeded["access"]
    async with console_on_a_free_port(services, config) as base:
        context = await _signed_in(browser, base, java_script_enabled=False)
        page = await context.new_page()
        await page.goto(f"{base}/items/{item}")
        await submit(page, "Claim")
        await submit(page, "Generate export")
        await submit(page, "I have reviewed this export")
        await submit(page, "Send to the resident")
        card = page.locator(".confirm-card")
        await expect(card).to_contain_text("the invoice e-mail address janis@example.lv")
        await expect(card).to_contain_text("A sent export cannot be called back.")
        assert await page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        async with services.sessions() as db:
            assert "export.sent" not in [e.action for e in await audit.for_request(db, item)]
        await submit(page, "Yes, send the export")
        await expect(page.get_by_role("status")).to_have_text(
            "The export is queued for sending to the resident."
        )
        await context.close()

        # With JavaScript the question is asked in the page and the form goes confirmed: one page.
        context = await _signed_in(browser, base, viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        asked: list[str] = []

        async def answer(dialog: Dialog) -> None:
            asked.append(dialog.message)
            await (dialog.dismiss() if len(asked) == 1 else dialog.accept())

        page.on("dialog", answer)
        await page.goto(f"{base}/items/{item}")
        await page.select_option("select[name=outcome]", "answered")
        await page.get_by_role("button", name="Close", exact=True).click()  # dismissed: nothing sent
        await expect(page.locator("h1 .meta")).to_have_text("claimed")
        await submit(page, "Close")
        await expect(page.get_by_role("status")).to_have_text("The item is closed.")
        assert asked == ["Close this item? A closed item cannot be reopened."] * 2
        await context.close()
    async with services.sessions() as db:
        actions = [event.action for event in await audit.for_request(db, item)]
    assert actions == ["claim", "export.generated", "export.reviewed", "export.sent", "close"]


async def test_the_deadline_counts_are_links_and_the_audit_log_filters_without_javascript(
    services: Services, config: ConsoleConfig, seeded: dict[str, int], backend: str, browser: Browser
) -> None:
    today = await _due_today(services)
    async with console_on_a_free_port(services, config) as base:
        context = await _signed_in(browser, base, user="boss", java_script_enabled=False)
        page = await context.new_page()
        await page.goto(base + "/queue")
        rows = page.locator("table.queue tbody tr")
        counts = page.locator(".counts")
        for name, expected in (("Overdue", seeded["correction"]), ("Due today", today)):
            async with page.expect_navigation():
                await counts.get_by_role("link", name=name, exact=True).click()
            await expect(rows).to_have_count(1)
            await expect(rows.first.locator("a").first).to_have_text(f"#{expected}")
            await expect(page.locator(".counts a[aria-current=page]")).to_have_text(name)
        async with page.expect_navigation():
            await counts.get_by_role("link", name="Due within 7 days", exact=True).click()
        await expect(rows).to_have_count(2)
        await expect(page.locator("select[name=due]")).to_have_value("soon")
        await page.goto(f"{base}/items/{today}")
        await submit(page, "Claim")
        await page.goto(f"{base}/items/{seeded['question']}")
        await submit(page, "Claim")

        await page.goto(base + "/audit")
        await expect(page.locator("details.filter-box")).not_to_have_attribute("open", "")
        await page.locator("details.filter-box > summary").click()
        await page.fill("input[name=item]", f"#{today}")
        async with page.expect_navigation():
            await page.locator("form.filters button[type=submit]").click()
        audit_rows = page.locator(".table-scroll tbody tr")
        await expect(audit_rows).to_have_count(1)
        await expect(audit_rows.first).to_contain_text(f"#{today}")
        await expect(page.locator("input[name=item]")).to_have_value(str(today))
        assert await page.evaluate(UNLABELLED) == []
        async with page.expect_navigation():
            await audit_rows.first.locator("a.code").nth(1).click()  # "only this action": claim
        await expect(audit_rows).to_have_count(2)
        await expect(page.locator("input[name=action]")).to_have_value("claim")
        await page.screenshot(
            path=str(artifacts_dir() / f"usability-audit-filter-{backend}.png"), full_page=True
        )
        await context.close()
