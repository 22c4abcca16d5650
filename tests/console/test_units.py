"""Small pure pieces: session cookies, CSRF tokens, the sign-in limiter, the extended deadline."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

from helpdesk.console.actions import extended_deadline
from helpdesk.console.session import MAX_AGE, Session, csrf_ok, csrf_token, decode, derive_key, encode
from helpdesk.console.throttle import SignInLimiter
from helpdesk.storage.models.requests import SupportRequest

KEY = derive_key(b"secret", "session")
RIGA = ZoneInfo("Europe/Riga")


def test_session_round_trip_and_tampering() -> None:
    session = Session(agent_id=7, language="lv")
    value = encode(KEY, session)
    decoded = decode(KEY, value)
    assert decoded is not None and (decoded.agent_id, decoded.sid, decoded.language) == (7, session.sid, "lv")
    body, _, signature = value.partition(".")
    assert decode(KEY, body + "." + "0" * len(signature)) is None
    assert decode(derive_key(b"other", "session"), value) is None
    assert decode(KEY, "garbage") is None and decode(KEY, "a.b.c") is None
    assert decode(KEY, value, now=time.time() + MAX_AGE + 5) is None


def test_rotation_changes_the_csrf_token() -> None:
    key = derive_key(b"secret", "csrf")
    session = Session()
    token = csrf_token(key, session)
    tampered = token[:-1] + ("1" if token.endswith("0") else "0")  # always a different last digit
    assert csrf_ok(key, session, token) and not csrf_ok(key, session, tampered)
    session.rotate()
    assert not csrf_ok(key, session, token)
    assert derive_key(b"secret", "csrf") != derive_key(b"secret", "session")


def test_limiter_counts_failures_in_a_sliding_window() -> None:
    moment = [0.0]
    limiter = SignInLimiter(per_name=3, per_address=5, window=60, clock=lambda: moment[0])
    for moment[0] in (0.0, 1.0, 2.0):
        reservation = limiter.reserve("1.2.3.4", "anna")
        assert reservation is not None
        limiter.failed(reservation)
    moment[0] = 30.0
    assert limiter.reserve("1.2.3.4", "anna") is None
    assert limiter.reserve("1.2.3.4", " ANNA ") is None  # the name as a person would type it
    bruno = limiter.reserve("1.2.3.4", "bruno")  # another agent behind the same address
    assert bruno is not None
    limiter.release(bruno)
    assert limiter.reserve("5.6.7.8", "anna") is not None
    moment[0] = 61.0
    assert limiter.reserve("1.2.3.4", "anna") is not None  # the first failure left the window


def test_limiter_reserves_before_the_check_and_caps_the_address() -> None:
    limiter = SignInLimiter(per_name=3, per_address=5, window=60, clock=lambda: 0.0)
    taken = [limiter.reserve("1.2.3.4", "anna") for _ in range(5)]
    assert [r is not None for r in taken] == [True, True, True, False, False]  # in flight counts
    for reservation in taken[:3]:
        assert reservation is not None
        limiter.release(reservation)  # right passwords give their slots back
    names = [limiter.reserve("1.2.3.4", f"name{n}") for n in range(7)]
    assert [r is not None for r in names] == [True] * 5 + [False] * 2  # the address's own limit


def _item(received: datetime, deadline: datetime) -> SupportRequest:
    return SupportRequest(received_at=received, deadline_at=deadline)


def test_extension_is_capped_at_three_months_from_receipt() -> None:
    """Months are counted on the Riga wall clock (core.deadlines): 11:00 stays 11:00 across DST."""
    received = datetime(2026, 1, 31, 11, tzinfo=RIGA)
    item = _item(received, datetime(2026, 2, 28, 11, tzinfo=RIGA))
    assert extended_deadline(item, 1) == datetime(2026, 3, 28, 11, tzinfo=RIGA)
    assert extended_deadline(item, 2) == datetime(2026, 4, 28, 11, tzinfo=RIGA)
    late = _item(received, datetime(2026, 4, 15, 11, tzinfo=RIGA))  # already moved by hand
    assert extended_deadline(late, 2) == datetime(2026, 4, 30, 11, tzinfo=RIGA)  # 31 April is 30
