"""Small pure pieces: session cookies, CSRF tokens, the per-address throttle."""

from __future__ import annotations

import time

from helpdesk.console.session import MAX_AGE, Session, csrf_ok, csrf_token, decode, derive_key, encode
from helpdesk.console.throttle import Throttle

KEY = derive_key(b"secret", "session")


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


def test_throttle_counts_failures_in_a_sliding_window() -> None:
    throttle = Throttle(limit=3, window=60)
    for moment in (0.0, 1.0, 2.0):
        assert throttle.allow("1.2.3.4", now=moment)
        throttle.failed("1.2.3.4", now=moment)
    assert not throttle.allow("1.2.3.4", now=30.0)
    assert throttle.allow("5.6.7.8", now=30.0)
    assert throttle.allow("1.2.3.4", now=61.0)  # the first failure left the window
