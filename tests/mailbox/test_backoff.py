"""The reconnect backoff: exponential, capped, with jitter, and back to the start after a success."""

from __future__ import annotations

from helpdesk.mailbox.backoff import Backoff


def test_delays_grow_to_the_cap_with_jitter_and_reset_after_a_success() -> None:
    backoff = Backoff(first=1.0, cap=300.0)
    delays = [backoff.next_delay() for _ in range(12)]
    for attempt, delay in enumerate(delays):
        ceiling = min(300.0, 2.0**attempt)
        assert ceiling / 2 <= delay <= ceiling
    assert max(delays) <= 300.0 and delays[-1] >= 150.0  # capped, never runs away
    # Jitter: many instances reconnecting after one outage do not all wait the same time.
    spread = {round(Backoff(first=1.0, cap=300.0, attempts=8).next_delay(), 6) for _ in range(50)}
    assert len(spread) > 40
    backoff.reset()
    assert 0.5 <= backoff.next_delay() <= 1.0
