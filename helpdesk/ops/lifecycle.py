"""Long-running commands stop gracefully on SIGTERM (``docker stop``) and Ctrl-C alike.

The signal cancels the main task, so every component leaves through its ``finally`` blocks: the
scheduler shuts down, leadership locks are released (a standby takes over at once instead of
after a timeout), listeners close and the database pool is disposed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def until_stopped(main: Callable[[], Awaitable[None]]) -> None:
    """Run ``main()`` until it returns or SIGTERM/SIGINT arrives; a signal is a clean stop."""
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(main())
    stopped = False

    def stop(signum: int) -> None:
        nonlocal stopped
        if not stopped:
            log.info("%s received: stopping", signal.Signals(signum).name)
        stopped = True
        task.cancel()

    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop, signum)
    try:
        await task
    except asyncio.CancelledError:
        if not stopped:
            raise
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(signum)
