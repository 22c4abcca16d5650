"""A process that leads ``sys.argv[1]`` through hold_leadership and says so on stdout.

Run by tests/storage/test_leadership.py as a real separate process (two of them compete for the lock).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys

from helpdesk.app import build_services
from helpdesk.settings import load_settings
from helpdesk.storage.leadership import hold_leadership
from tests.conftest import IdleMatcher


async def main(name: str) -> None:
    services = build_services(
        load_settings(database_url=os.environ["HELPDESK_DATABASE_URL"]), matcher=IdleMatcher()
    )
    print("waiting", flush=True)
    async with hold_leadership(services.engine, name):
        print(f"leading {os.getpid()}", flush=True)
        await asyncio.Event().wait()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    asyncio.run(main(sys.argv[1]))
