"""The worker's Chromium, and the console fixtures again, in the session event loop.

Playwright's objects belong to the event loop that started them, so a browser kept for the whole
session lives in pytest-asyncio's session loop, and the tests that drive it run there too (each
module marks itself ``asyncio(loop_scope="session")``). ``services`` and ``seeded`` are made again
here in that loop: database connections opened in one loop cannot be used from another. They are the
same fixtures as in tests/conftest.py and tests/console/conftest.py, built per test as there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Playwright, async_playwright

from helpdesk.core.matching import IntentMatcher
from helpdesk.services import Services
from helpdesk.settings import Settings
from tests.conftest import start_services
from tests.console.browser import CHROMIUM
from tests.console.conftest import seed


class WorkerChromium:
    """This worker's Chromium, launched when a test first asks for it, and again if it died (so one
    crash fails one test, not every later one)."""

    def __init__(self, playwright: Playwright) -> None:
        self._playwright = playwright
        self._browser: Browser | None = None

    async def browser(self) -> Browser:
        if self._browser is None or not self._browser.is_connected():
            # --no-sandbox: CI and containers run as root, where Chromium's sandbox cannot start.
            self._browser = await self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=["--no-sandbox"]
            )
        return self._browser

    async def close(self) -> None:
        if self._browser is not None and self._browser.is_connected():
            await self._browser.close()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def chromium() -> AsyncIterator[WorkerChromium]:
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium is required at {CHROMIUM} for the browser tests (apt-get install chromium)")
    async with async_playwright() as playwright:
        shared = WorkerChromium(playwright)
        try:
            yield shared
        finally:
            await shared.close()


@pytest_asyncio.fixture(loop_scope="session")
async def browser(chromium: WorkerChromium) -> AsyncIterator[Browser]:
    """The worker's Chromium for one test, which opens its pages in contexts of its own
    (``browser.new_page()`` makes one per page); any it leaves open are closed after it."""
    shared = await chromium.browser()
    assert shared.contexts == [], "a browser test before this one left a context open"
    yield shared
    if shared.is_connected():
        for context in shared.contexts:
            await context.close()


@pytest_asyncio.fixture(loop_scope="session")
async def services(settings: Settings, matcher: IntentMatcher, now: datetime) -> AsyncIterator[Services]:
    built = start_services(settings, matcher, now)
    yield built
    await built.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def seeded(services: Services) -> dict[str, int]:
    return await seed(services)
