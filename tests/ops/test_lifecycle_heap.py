"""Start-up objects are frozen out of the collector's scans, and garbage is not frozen with them."""

from __future__ import annotations

import gc
import weakref

from helpdesk.ops.lifecycle import freeze_startup_heap


class Node:
    def __init__(self) -> None:
        self.partner: Node | None = None


def test_freeze_keeps_nothing_dead_and_freezes_the_rest() -> None:
    first, second = Node(), Node()
    first.partner, second.partner = second, first  # a cycle only the collector can free
    dead = weakref.ref(first)
    del first, second
    kept = Node()
    try:
        freeze_startup_heap()
        assert dead() is None  # collected before the freeze, not made permanent
        assert gc.get_freeze_count() > 0
        # A live start-up object is out of the collector's scans (get_objects lists what it scans).
        assert gc.is_tracked(kept) and not any(found is kept for found in gc.get_objects())
    finally:
        gc.unfreeze()
