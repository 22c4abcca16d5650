"""Every filter and handler of the bot runs inline on the event loop.

aiogram runs a sync callable (a magic filter, a bare ``State`` used as a filter, a sync handler)
through ``asyncio.to_thread``: a thread-pool hop per check, per update. The throughput profile found
three such hops on every text message (the FSM state filters); this keeps them from coming back.
"""

from __future__ import annotations

from aiogram import Router

from helpdesk.bot.routers import all_routers


def _walk(router: Router) -> list[Router]:
    found = [router]
    for sub in router.sub_routers:
        found.extend(_walk(sub))
    return found


def test_no_filter_or_handler_needs_a_thread() -> None:
    sync: list[str] = []
    for router in (r for top in all_routers() for r in _walk(top)):
        for name, observer in router.observers.items():
            for handler in observer.handlers:
                if not handler.awaitable:
                    sync.append(f"{router.name}.{name}: handler {handler.callback!r}")
                for event_filter in handler.filters or []:
                    if not event_filter.awaitable:
                        sync.append(f"{router.name}.{name}: filter {event_filter.callback!r}")
            for event_filter in observer._handler.filters or []:
                if not event_filter.awaitable:
                    sync.append(f"{router.name}.{name}: router filter {event_filter.callback!r}")
    assert sync == []
