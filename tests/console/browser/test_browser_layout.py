"""The console's layout in Chromium with the longest things residents bring: a long name, a long
e-mail address, a message with a long unbroken word and link. On a 390 px phone no page scrolls
sideways and no text runs out of its box (the queue, an item, a guest item with search results, the
export, the send confirmation and the audit log); at 1280 px an e-mail address in the resident card
wraps only before its "@" or a dot, never inside a word."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.async_api import Browser, BrowserContext, Page

from helpdesk.console.config import ConsoleConfig
from helpdesk.core.deadlines import gdpr_deadline
from helpdesk.services import Services
from helpdesk.storage.models.requests import IdentityState, RequestKind
from helpdesk.storage.repositories import audit, conversations, requests, residents
from tests.console.browser import artifacts_dir, console_on_a_free_port, submit
from tests.console.conftest import NOW, PASSWORD

# The worker's Chromium lives in the session event loop (conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]

LONG_EMAIL = "aleksandrs.konstantins.vanagas-berzins@namu-apsaimniekosanas-birojs.example.lv"
LONG_NEWS = "aleksandrs.konstantins.jaunumi@informativie-izdevumi.example.lv"
LONG_NAME = "Aleksandrs Konstantīns Vanagas-Bērziņš-Dombrovskis"
LONG_WORD = "Pretpulkstenrādītājvirzienā" * 6
LONG_LINK = "https://mansdzivoklis.example.lv/portals/rekini/2026/09/" + "a1b2c3d4" * 12

# What sticks out sideways: beyond the viewport (even inside a box that would scroll: on a phone
# nothing should need it), or text wider than its own box, running over its neighbours.
STICKING_OUT = """() => {
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().replace(/\\s+/g, '.') : '');
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (!box.width || getComputedStyle(el).position === 'absolute') continue;
    if (box.right > window.innerWidth + 1 || box.left < -1)
      out.push(name(el) + ' right=' + Math.round(box.right));
    else if (el.clientWidth && el.tagName !== 'TABLE' && el.scrollWidth > el.clientWidth + 1)
      out.push(name(el) + ' spills ' + el.scrollWidth + '>' + el.clientWidth);
  }
  return out;
}"""

# Where each e-mail address in the resident card wraps: the index of every character that starts a
# new line.
EMAIL_BREAKS = """(card) => [...card.querySelectorAll('.email')].map((el) => {
  const breaks = []; let top = null, index = 0;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++, index++) {
      const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getClientRects()[0];
      if (!box) continue;
      if (top !== null && box.top > top + 2) breaks.push(index);
      top = box.top;
    }
  }
  return {text: el.textContent, breaks};
})"""


async def _long_things(services: Services) -> dict[str, int]:
    """A resident with a long name and addresses, their access request with a long unbroken word and
    link in the conversation, and a guest's request whose sender address is long too."""
    async with services.sessions() as db, db.begin():
        await residents.upsert(
            db,
            resident_id="R-1000000042",
            name=LONG_NAME,
            address="Krišjāņa Valdemāra iela 123-45, Rīga, LV-1010",
            invoice_email=LONG_EMAIL,
            news_email=LONG_NEWS,
            language="lv",
        )
        received = NOW - timedelta(days=2)
        mail = await conversations.open_for(
            db, channel="email", contact=LONG_EMAIL, resident_id="R-1000000042", language="lv", now=received
        )
        text = f"Labdien! Lūdzu, atsūtiet visus manus datus.\n{LONG_WORD}\nSkat. {LONG_LINK}"
        access = await requests.create(
            db,
            kind=RequestKind.ACCESS,
            channel="email",
            contact=LONG_EMAIL,
            received_at=received,
            deadline_at=gdpr_deadline(received),
            resident_id="R-1000000042",
            conversation_id=mail.id,
            summary=f"{LONG_WORD} {LONG_LINK}",
            identity=IdentityState.VERIFIED,
            identity_how="email: address on record",
        )
        await conversations.add_message(
            db, mail, direction="in", author="resident", text=text, now=received, request_id=access.id
        )
        await conversations.add_message(
            db, mail, direction="in", author="resident", text=f"Vēl: {LONG_WORD}", now=received
        )
        guest_address = "nezinams.sutitajs.ar.loti.garu.adresi@bezmaksas-pasta-pakalpojumi.example.com"
        guest = await requests.create(
            db,
            kind=RequestKind.ACCESS,
            channel="email",
            contact=guest_address,
            received_at=received,
            deadline_at=gdpr_deadline(received),
            summary=LONG_WORD,
            identity=IdentityState.VERIFIED,
            identity_how="agent: in_person",
        )
        # A code without words yet (a newer part of the helpdesk wrote it) is shown as it is.
        await audit.record(
            db,
            actor="system",
            action="portal.records_reconciled_after_address_register_update",
            request_id=access.id,
            now=received,
        )
        await audit.record(
            db,
            actor=f"email:{guest_address}"[:64],
            action="request.created",
            request_id=guest.id,
            detail={"kind": "access", "note": LONG_LINK},
            now=received,
        )
    return {"access": access.id, "guest": guest.id}


async def _signed_in(
    browser: Browser, base: str, user: str, **options: object
) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(**options)  # type: ignore[arg-type]
    page = await context.new_page()
    await page.goto(base + "/login")
    await page.fill("input[name=username]", user)
    await page.fill("input[name=password]", PASSWORD)
    await submit(page, "Sign in")
    return context, page


async def _fits(page: Page, name: str) -> None:
    await page.screenshot(path=str(artifacts_dir() / f"layout-390-{name}.png"), full_page=True)
    width = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], (name, width)
    assert await page.evaluate(STICKING_OUT) == [], name


async def test_no_page_scrolls_sideways_on_a_phone_and_addresses_wrap_between_words(
    services: Services, config: ConsoleConfig, seeded: dict[str, int], backend: str, browser: Browser
) -> None:
    items = await _long_things(services)
    async with console_on_a_free_port(services, config) as base:
        # A phone, without JavaScript: the confirmation steps are the server's own pages.
        phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "java_script_enabled": False}
        context, page = await _signed_in(browser, base, "anna", **phone)
        await page.goto(base + "/queue")
        await _fits(page, f"queue-{backend}")
        for name in ("access", "guest"):
            await page.goto(f"{base}/items/{items[name]}")
            await submit(page, "Claim")
        await page.goto(f"{base}/items/{items['access']}")
        await page.locator("#history > summary").click()
        await _fits(page, f"item-{backend}")
        await submit(page, "Generate export")
        await submit(page, "I have reviewed this export")
        await submit(page, "Send to the resident")
        await _fits(page, f"send-confirmation-{backend}")
        export = page.locator("a", has_text="HTML").first
        await page.goto(base + (await export.get_attribute("href") or ""))
        await _fits(page, f"export-{backend}")
        await page.goto(f"{base}/items/{items['guest']}?find=vanagas")
        assert await page.locator("#attach input[name=resident_id]").count() == 1
        await _fits(page, f"guest-item-{backend}")
        await page.locator("#attach input[name=resident_id]").check()
        await submit(page, "Attach to the chosen resident")
        await _fits(page, f"attach-confirmation-{backend}")
        await context.close()
        context, page = await _signed_in(browser, base, "boss", **phone)
        await page.goto(base + "/audit")
        await _fits(page, f"audit-{backend}")
        await page.goto(f"{base}/items/{items['guest']}")
        await _fits(page, f"item-as-admin-{backend}")
        await context.close()

        context, page = await _signed_in(browser, base, "anna", viewport={"width": 1280, "height": 900})
        await page.goto(f"{base}/items/{items['access']}")
        await page.screenshot(path=str(artifacts_dir() / f"layout-1280-item-{backend}.png"), full_page=True)
        addresses = await page.locator("#resident dl.facts").evaluate(EMAIL_BREAKS)
        assert {entry["text"] for entry in addresses} == {LONG_EMAIL, LONG_NEWS}
        for entry in addresses:
            text, breaks = entry["text"], entry["breaks"]
            assert breaks, f"{text} is wider than the card: it wraps"
            mid_word = [
                text[:at] + "|" + text[at:] for at in breaks if text[at] not in "@." and text[at - 1] != "-"
            ]
            assert mid_word == [], mid_word
        await page.goto(f"{base}/items/{seeded['access']}")
        (short,) = await page.locator("#resident dl.facts").evaluate(EMAIL_BREAKS)
        assert short == {"text": "janis@example.lv", "breaks": []}
        await context.close()
