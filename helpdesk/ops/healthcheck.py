"""``python -m helpdesk.ops.healthcheck [--url URL]``: the container health check.

Exit status 0 when the database answers (and, with ``--url``, when that URL answers 200), else 1
with one line on stderr. The processes without an HTTP listener (mailbox, jobs) are checked by
their database connection; a hot standby is healthy too: it is ready to take over.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import urllib.request

from sqlalchemy import text

from helpdesk.settings import load_settings
from helpdesk.storage.engine import create_engine

TIMEOUT_SECONDS = 5.0


async def _database(url: str) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with asyncio.timeout(TIMEOUT_SECONDS), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    finally:
        await engine.dispose()


def _http(url: str) -> None:
    if not url.startswith(("http://127.0.0.1", "http://localhost")):
        raise ValueError("only a local http:// URL is checked")
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - local URL only
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpdesk.ops.healthcheck")
    parser.add_argument(
        "--url", help="also require this local URL (e.g. http://127.0.0.1:8080/healthz) to answer 200"
    )
    args = parser.parse_args(argv)
    try:
        asyncio.run(_database(load_settings().storage.database_url))
        if args.url:
            _http(args.url)
    except Exception as exc:
        print(f"unhealthy: {type(exc).__name__}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
