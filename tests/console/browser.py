"""Starting Debian's Chromium for the browser tests, and where their screenshots go.

Never skipped: without /usr/bin/chromium the browser tests fail with one clear line (CI installs it).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

from helpdesk.console.config import ConsoleConfig
from helpdesk.console.server import bound_port, start_console
from helpdesk.services import Services

CHROMIUM = Path(os.environ.get("HELPDESK_TEST_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]


def artifacts_dir() -> Path:
    """$ARTIFACTS_DIR/console, else test-artifacts/console in the checkout (git-ignored)."""
    base = Path(os.environ["ARTIFACTS_DIR"]) if os.environ.get("ARTIFACTS_DIR") else ROOT / "test-artifacts"
    path = base / "console"
    path.mkdir(parents=True, exist_ok=True)
    return path


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium is required at {CHROMIUM} for the browser tests (apt-get install chromium)")
    async with async_playwright() as playwright:
        # --no-sandbox: CI and containers run as root, where Chromium's sandbox cannot start.
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield browser
        finally:
            await browser.close()


@asynccontextmanager
async def console_in_chromium(
    services: Services, config: ConsoleConfig
) -> AsyncIterator[tuple[str, Browser]]:
    """The console on a free port and a Chromium to drive it: yields its base URL and the browser."""
    runner = await start_console(services, config, host="127.0.0.1", port=0)
    try:
        async with chromium() as browser:
            yield f"http://127.0.0.1:{bound_port(runner)}", browser
    finally:
        await runner.cleanup()


async def submit(page: Page, button: str) -> None:
    """Press the form button named ``button`` and wait for the page the server answers with."""
    async with page.expect_navigation():
        await page.get_by_role("button", name=button, exact=True).click()
