"""Which Authentication-Results prove a From address (issue 15 point 9), without a server: a DMARC
pass, or a DKIM pass for the From domain or its organisational domain, in a header our MTA wrote."""

from __future__ import annotations

import pytest

from helpdesk.mailbox.chain.identity import (
    NO_TRUSTED_RESULTS,
    UNALIGNED,
    authentication_failure,
    organisational_domain,
)
from helpdesk.mailbox.parsing import parse
from helpdesk.settings import MailboxSettings

OURS = "mx.klientiem.test"


def _failure(sender: str, *results: str, trusted: str | None = OURS) -> str | None:
    headers = "".join(f"Authentication-Results: {value}\r\n" for value in results)
    raw = f"{headers}From: {sender}\r\nSubject: x\r\n\r\nLabdien".encode()
    settings = MailboxSettings(trusted_authserv_id=trusted)
    return authentication_failure(parse(raw, max_bytes=100_000), settings, sender)


@pytest.mark.parametrize(
    ("domain", "organisational"),
    [
        ("mail.example.lv", "example.lv"),
        ("example.lv", "example.lv"),
        ("a.b.example.co.uk", "example.co.uk"),
        ("lv", "lv"),
    ],
)
def test_the_organisational_domain_is_the_registrable_one(domain: str, organisational: str) -> None:
    assert organisational_domain(domain) == organisational


@pytest.mark.parametrize(
    ("sender", "results", "failure"),
    [
        ("janis@mail.example.lv", [f"{OURS}; dkim=pass header.d=example.lv"], None),
        ("janis@example.lv", [f"{OURS}; dkim=pass header.d=mail.example.lv"], UNALIGNED),
        ("janis@example.co.uk", [f"{OURS}; dkim=pass header.d=co.uk"], UNALIGNED),
        ("janis@EXAMPLE.lv", [f"{OURS.upper()}; DMARC=Pass header.from=Example.LV"], None),
        ("janis@example.lv", [f"{OURS}; dmarc=bestguesspass header.from=example.lv"], "dmarc=bestguesspass"),
        ("janis@example.lv", [f"{OURS}; dmarc=permerror; dkim=pass header.d=example.lv"], "dmarc=permerror"),
        # A header that only looks like ours, or another server's pass: not ours, so no proof.
        ("janis@example.lv", [f"{OURS}.evil.test; dmarc=pass"], NO_TRUSTED_RESULTS),
        ("janis@example.lv", ["mx.attacker.test; dmarc=pass", f"{OURS}; dmarc=none"], "dmarc=none"),
        # A forged pass under our id next to our own failure: the failure stands.
        ("janis@example.lv", [f"{OURS}; dmarc=pass", f"{OURS}; spf=fail; dmarc=fail"], "spf=fail"),
        ("janis@example.lv", [], NO_TRUSTED_RESULTS),
    ],
)
def test_only_an_aligned_pass_in_our_header_proves_the_address(
    sender: str, results: list[str], failure: str | None
) -> None:
    assert _failure(sender, *results) == failure


def test_without_a_trusted_authserv_id_there_is_no_verdict() -> None:
    assert _failure("janis@example.lv", f"{OURS}; dmarc=fail", trusted=None) is None
