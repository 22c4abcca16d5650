"""The console in Debian's Chromium, and where the screenshots go.

One Chromium per test worker (``conftest.py``): starting Playwright's driver and Chromium cost each
test about 1.3 s of CPU and as much waiting. So the tests here run in the worker's session event
loop, which the browser lives in, and so do the ``services`` and ``seeded`` they use. Each test still
has a browser of its own in every way that matters: its pages are in browser contexts it makes
(fresh cookies, storage and cache), and whatever it leaves open is closed after it.

Never skipped: without /usr/bin/chromium the browser tests fail with one clear line (CI installs it).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import Page

from helpdesk.console.config import ConsoleConfig
from helpdesk.console.server import bound_port, start_console
from helpdesk.services import Services

CHROMIUM = Path(os.environ.get("HELPDESK_TEST_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[3]


def artifacts_dir() -> Path:
    """$ARTIFACTS_DIR/console, else test-artifacts/console in the checkout (git-ignored)."""
    base = Path(os.environ["ARTIFACTS_DIR"]) if os.environ.get("ARTIFACTS_DIR") else ROOT / "test-artifacts"
    path = base / "console"
    path.mkdir(parents=True, exist_ok=True)
    return path


@asynccontextmanager
async def console_on_a_free_port(services: Services, config: ConsoleConfig) -> AsyncIterator[str]:
    """The console served on a free port for the browser: yields its base URL."""
    runner = await start_console(services, config, host="127.0.0.1", port=0)
    try:
        yield f"http://127.0.0.1:{bound_port(runner)}"
    finally:
        await runner.cleanup()


async def submit(page: Page, button: str) -> None:
    """Press the form button named ``button`` and wait for the page the server answers with."""
    async with page.expect_navigation():
        await page.get_by_role("button", name=button, exact=True).click()
