"""The demo, worked in a real browser: ``helpdesk demo`` runs as a user would start it, and Chromium
signs in with the printed credentials and works the demo access request from claim to close
(reply, extend, export, review, send, close). Screenshots of each step are saved as artefacts.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from playwright._impl._api_structures import SetCookieParam
from playwright.async_api import Browser, Dialog, Page, expect
from sqlalchemy import select

from helpdesk.app import build_services
from helpdesk.settings import load_settings
from helpdesk.storage.models import OutboxMessage
from helpdesk.storage.repositories import audit, requests
from tests.console.browser import artifacts_dir
from tests.handlers.conftest import fake_matcher

# The worker's Chromium lives in the session event loop (conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="session")]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[dict[str, str]]:
    """``helpdesk demo`` in a clean directory; yields the URL and login it printed."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("HELPDESK_")}
    env["HELPDESK_CONSOLE_PORT"] = str(_free_port())
    process = subprocess.Popen(
        [sys.executable, "-m", "helpdesk", "demo", "--var-dir", "var/demo"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed: dict[str, str] = {}
    lines = []
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if match := re.match(r"console:\s+(\S+)", line):
                printed["url"] = match.group(1)
            if match := re.match(r"agent login:\s+(\S+) / (\S+)", line):
                printed["user"], printed["password"] = match.group(1), match.group(2)
            if line.startswith("running"):
                break
        assert {"url", "user", "password"} <= set(printed), "".join(lines)
        printed["database_url"] = f"sqlite+aiosqlite:///{tmp_path / 'var/demo/helpdesk.db'}"
        printed["invoice_dir"] = str(tmp_path / "var/demo/invoices")
        yield printed
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def _shot(page: Page, name: str) -> None:
    await page.screenshot(path=str(artifacts_dir() / f"demo-{name}.png"), full_page=True)


async def _phone_shot(browser: Browser, page: Page, name: str) -> None:
    """The same page on a phone: one column, no sideways scrolling, the actions above the history."""
    phone = await browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    await phone.context.add_cookies([cast(SetCookieParam, c) for c in await page.context.cookies()])
    await phone.goto(page.url)
    await phone.screenshot(path=str(artifacts_dir() / f"demo-{name}.png"), full_page=True)
    assert await phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    actions = await phone.locator(".actions-card").bounding_box()
    history = await phone.locator(".audit-card").bounding_box()
    assert actions is not None and history is not None and actions["y"] < history["y"]
    await phone.close()


async def _submit(page: Page, button: str) -> None:
    async with page.expect_navigation():
        await page.get_by_role("button", name=button, exact=True).click()


async def _wait_for_server(url: str) -> None:
    host, port = re.match(r"http://([^:/]+):(\d+)", url).groups()  # type: ignore[union-attr]
    for _ in range(200):
        try:
            _reader, writer = await asyncio.open_connection(host, int(port))
            writer.close()
            await writer.wait_closed()
            return
        except OSError:
            await asyncio.sleep(0.05)
    pytest.fail(f"the demo console never answered at {url}")


async def test_demo_access_request_from_claim_to_close(demo: dict[str, str], browser: Browser) -> None:
    await _wait_for_server(demo["url"])
    page = await browser.new_page(viewport={"width": 1280, "height": 900}, locale="lv-LV")
    asked: list[str] = []  # console.js asks before a step that cannot be undone

    async def accept(dialog: Dialog) -> None:
        asked.append(dialog.message)
        await dialog.accept()

    page.on("dialog", accept)
    await page.goto(demo["url"])
    await expect(page).to_have_url(re.compile(r"/login$"))
    await _shot(page, "01-sign-in")
    await page.fill("input[name=username]", demo["user"])
    await page.fill("input[name=password]", demo["password"])
    await _submit(page, "Pieteikties")
    await expect(page).to_have_url(re.compile(r"/queue$"))
    await expect(page.locator("h1")).to_have_text("Rinda")  # the demo agent works in Latvian
    await _shot(page, "02-queue")

    phone = await browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    await phone.context.add_cookies([cast(SetCookieParam, cookie) for cookie in await page.context.cookies()])
    await phone.goto(demo["url"] + "queue")
    await phone.screenshot(path=str(artifacts_dir() / "demo-02b-queue-phone.png"), full_page=True)
    assert await phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    await phone.close()

    row = page.locator("tr", has_text="piekļuves pieprasījums")
    await expect(row).to_have_count(1)
    async with page.expect_navigation():
        await row.locator("a").first.click()
    item_url = page.url
    await expect(page.locator("#resident")).to_contain_text("Līga Kalniņa")
    await expect(page.locator("#resident")).to_contain_text("saglabāts (tikai kā jaucējkods ar atslēgu)")
    await expect(page.locator(".conversation-card")).to_contain_text("atsūtiet visus manus")
    await _shot(page, "03-item")
    await _phone_shot(browser, page, "03b-item-phone")

    await _submit(page, "Ņemt darbā")
    await expect(page.get_by_role("status")).to_have_text("Jūs paņēmāt šo ierakstu darbā.")

    await page.fill("form[action$='/reply'] textarea[name=text]", "Labdien! Jūsu datu kopiju gatavojam.")
    await _submit(page, "Sūtīt atbildi")
    await expect(page.get_by_role("status")).to_have_text("Atbilde ievietota sūtīšanas rindā.")
    await expect(page.locator(".conversation-card")).to_contain_text("Jūsu datu kopiju gatavojam.")

    await page.select_option("select[name=months]", "1")
    await page.fill("form[action$='/extend'] textarea[name=reason]", "jāpārbauda arhīva ieraksti")
    await _submit(page, "Pagarināt termiņu")
    await expect(page.get_by_role("status")).to_have_text(
        "Termiņš pagarināts. Iedzīvotājam paziņots e-pastā."
    )
    await _shot(page, "04-extended")

    await _submit(page, "Sagatavot izrakstu")
    await expect(page.get_by_role("status")).to_contain_text("Izraksts sagatavots.")
    async with page.expect_popup() as popup_info:
        await page.locator("#exports a", has_text="HTML").first.click()
    export_page = await popup_info.value
    await export_page.wait_for_load_state()
    await expect(export_page.locator("h1")).to_have_text("Jūsu dati Klientiem.lv atbalsta dienesta rīcībā")
    await expect(export_page.locator("body")).to_contain_text("Tērbatas iela 14-3")
    await export_page.screenshot(path=str(artifacts_dir() / "demo-05-export.png"), full_page=True)
    await export_page.close()

    await _submit(page, "Atzīmēt izrakstu kā pārskatītu")
    await _submit(page, "Sūtīt iedzīvotājam")
    await expect(page.get_by_role("status")).to_have_text("Izraksts ievietots sūtīšanas rindā iedzīvotājam.")
    await _shot(page, "06-sent")
    await _phone_shot(browser, page, "06b-sent-phone")

    await page.select_option("select[name=outcome]", "answered")
    await _submit(page, "Slēgt")
    await expect(page.get_by_role("status")).to_have_text("Ieraksts slēgts.")
    await expect(page.locator(".actions")).to_contain_text("Šis ieraksts ir slēgts.")
    await _shot(page, "07-closed")
    assert asked == [
        "Nosūtīt izrakstu iedzīvotājam tagad? To vairs nevarēs atsaukt.",
        "Slēgt šo ierakstu? Slēgtu ierakstu vairs nevar atvērt.",
    ]
    await expect(page.locator(".audit-card")).to_contain_text("datu izraksts nosūtīts")
    item_id = int(item_url.rstrip("/").rsplit("/", 1)[1].split("?")[0])

    services = build_services(
        load_settings(database_url=demo["database_url"], invoice_dir=Path(demo["invoice_dir"])),
        matcher=fake_matcher(),
    )
    try:
        async with services.sessions() as db:
            item = await requests.get(db, item_id)
            assert item is not None and item.status == "closed" and item.outcome == "answered"
            assert item.extension_reason == "jāpārbauda arhīva ieraksti"
            actions = [event.action for event in await audit.for_request(db, item_id)]
            outbox = (
                await db.scalars(select(OutboxMessage).where(OutboxMessage.request_id == item_id))
            ).all()
    finally:
        await services.aclose()
    for expected in (
        "claim",
        "reply",
        "extend",
        "export.generated",
        "export.reviewed",
        "export.sent",
        "close",
    ):
        assert expected in actions
    assert [message.channel for message in outbox] == ["email", "email", "email"]
    assert {message.recipient for message in outbox} == {"liga.kalnina@example.lv"}
    assert sorted(a["content_type"] for a in outbox[-1].attachments) == [
        "application/json",
        "application/pdf",
        "text/html",
    ]
