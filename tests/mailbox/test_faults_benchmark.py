"""The fault benchmark's own schedule: it must be drawn for a run of any size.

``benchmarks/mailbox_faults.py --n 30`` once never finished: its mails arrived within 1.2 s, every
kill it drew fell in the kill-free margin around the Dovecot restart, and the draw looped for ever
inside the event loop, so not one mail was appended (the mailbox process led and logged nothing).
"""

from __future__ import annotations

import random
from collections import Counter

import pytest

from tests.benchmark_module import load_benchmark

bench = load_benchmark("mailbox_faults")


@pytest.mark.timeout(20)  # the old draw did not end: a hang here is the failure
@pytest.mark.parametrize("mails", [1, 30, 300, 2000])
def test_every_fault_is_scheduled_outside_the_restart_margin(mails: int) -> None:
    duration = mails / 25.0  # the default --rate
    span = bench.fault_span(duration)
    for seed in range(100):
        events = bench.fault_schedule(random.Random(seed), duration, 10, 60.0)
        assert events == sorted(events)
        kinds = Counter(what for _at, what in events)
        assert kinds == {"kill": 10, "dovecot": 1, "smtp-down": 1, "smtp-up": 1}
        restart = next(at for at, what in events if what == "dovecot")
        assert 10 <= restart <= span * 0.8
        for at, what in events:
            if what == "kill":
                assert 2 <= at <= span
                assert not restart - 10 < at < restart + 2
        down = next(at for at, what in events if what == "smtp-down")
        assert next(at for at, what in events if what == "smtp-up") == down + 60.0
        assert 5 <= down <= max(6, span - 60.0)
