"""Small pure pieces: session cookies, CSRF tokens, the sign-in limiter, client addresses and local
paths."""

from __future__ import annotations

import time
from ipaddress import ip_network
from urllib.parse import urlsplit

import pytest

from helpdesk.console.addresses import client_address, local_path
from helpdesk.console.session import MAX_AGE, Session, csrf_ok, csrf_token, decode, derive_key, encode
from helpdesk.console.throttle import SignInLimiter

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


PROXIES = (ip_network("10.0.0.0/8"), ip_network("2001:db8::/32"), ip_network("127.0.0.1/32"))


@pytest.mark.parametrize(
    ("remote", "header", "seen"),
    [
        ("198.51.100.7", ["203.0.113.5"], "198.51.100.7"),  # not a proxy: its header is its own words
        ("10.0.0.2", [], "10.0.0.2"),  # a proxy that said nothing
        ("10.0.0.2", ["203.0.113.5"], "203.0.113.5"),
        ("10.0.0.2", ["1.1.1.1, 203.0.113.5"], "203.0.113.5"),  # the client wrote "1.1.1.1" itself
        ("10.0.0.2", ["1.1.1.1, 203.0.113.5, 10.9.9.9"], "203.0.113.5"),  # two proxies in a row
        ("10.0.0.2", ["1.1.1.1", "203.0.113.5"], "203.0.113.5"),  # the header given twice
        ("10.0.0.2", ["10.1.1.1, 10.2.2.2"], "10.1.1.1"),  # only proxies: the first of them
        ("10.0.0.2", ["203.0.113.5, not-an-address"], "10.0.0.2"),  # nothing left of a bad entry
        ("10.0.0.2", ["2001:db8::1, 2a00:1450::5"], "2a00:1450::5"),
        ("2001:db8::9", [" 203.0.113.5 "], "203.0.113.5"),
        (None, ["203.0.113.5"], "unknown"),
    ],
)
def test_client_address_reads_the_forwarded_header_only_from_proxies(
    remote: str | None, header: list[str], seen: str
) -> None:
    assert client_address(remote, header, PROXIES) == seen
    assert client_address(remote, header, ()) == (remote or "unknown")


@pytest.mark.parametrize(
    "value",
    [
        "https://evil.example/",
        "//evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "\t//evil.example",
        " //evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\\/evil.example",
        "\x00//evil.example",
        "javascript:alert(1)",
        "/queue\x00",
        "/queue\rSet-Cookie: x=1",
        "/queue ",
        "/que ue",
        "queue",
        "",
    ],
)
def test_local_path_refuses_what_a_browser_would_read_as_another_site(value: str) -> None:
    result = local_path(value)
    assert result in ("/", "/queue")
    assert urlsplit(result).netloc == "" and not result.startswith("//")


@pytest.mark.parametrize("value", ["/queue", "/items/5?done=noted", "/audit?item=3&actor=agent%3A1", "/"])
def test_local_path_keeps_a_path_on_this_site(value: str) -> None:
    assert local_path(value) == value
