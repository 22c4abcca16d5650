"""The fault benchmark's own schedule: it must be drawn for a run of any size.

``benchmarks/mailbox_faults.py --n 30`` once never finished: its mails arrived within 1.2 s, every
kill it drew fell in the kill-free margin around the Dovecot restart, and the draw looped for ever
inside the event loop, so not one mail was appended (the mailbox process led and logged nothing).
"""

from __future__ import annotations

import importlib.util
import random
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "mailbox_faults.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mailbox_faults", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mailbox_faults", module)
    spec.loader.exec_module(module)
    return module


bench = _load()


@pytest.mark.timeout(20)  # the old draw did not end: a hang here is the failure
@pytest.mark.parametrize("mails", [1, 30, 300, 2000])
def test_every_fault_is_scheduled_outside_the_restart_margin(mails: int) -> None:
    duration = mails / 25.0  # the default --rate
    span = bench.fault_span(duration)
    for seed in range(100):
        events = bench.fault_schedule(random.Random(seed), duration, 10, 60.0)
        assert events == sorted(events)
        assert Counter(what for _at, what in events) == {"kill": 10, "dovecot": 1, "smtp-down": 1, "smtp-up": 1}
        restart = next(at for at, what in events if what == "dovecot")
        assert 10 <= restart <= span * 0.8
        for at, what in events:
            if what == "kill":
                assert 2 <= at <= span
                assert not restart - 10 < at < restart + 2
        down = next(at for at, what in events if what == "smtp-down")
        assert next(at for at, what in events if what == "smtp-up") == down + 60.0
        assert 5 <= down <= max(6, span - 60.0)
