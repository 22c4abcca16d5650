"""The one e-mail address rule every edge uses: the portal's records, consent, the mailbox, the
redaction of logs and the "names an address" reading of free text accept the same addresses."""

from __future__ import annotations

import pytest

from helpdesk.core.addresses import find_address, is_address, normalize_address
from helpdesk.core.records import ResidentRecord
from helpdesk.core.redaction import redact
from helpdesk.handlers.asking import asks_about_state
from helpdesk.mailbox import addresses as mailbox_addresses

GOOD = ("janis@example.lv", "o'brien+news@mail.example.co.uk", "A.B-c_d%e@x-y.lv")
BAD = (
    "a!b@c.de",
    '"quoted"@example.lv',
    "no-at.example.lv",
    "a@b",
    "a@b..lv",
    "a b@c.lv",
    "x@" + "d" * 64 + ".lv",
)


@pytest.mark.parametrize("address", GOOD)
def test_every_edge_accepts_a_plain_address(address: str) -> None:
    assert is_address(address) and mailbox_addresses.normalize_address(address) == address.lower()
    assert normalize_address(f"  {address} ") == address.lower()
    assert ResidentRecord(id="R-1", name="X", invoice_email=address).invoice_email == address.lower()
    assert find_address(f"Sūtiet uz {address}.") == address
    assert redact(f"write to {address}, please", emails=True) == "write to [email], please"
    assert not asks_about_state(f"vai varat sūtīt uz {address}?")


@pytest.mark.parametrize("address", BAD)
def test_every_edge_refuses_anything_else(address: str) -> None:
    assert not is_address(address) and mailbox_addresses.normalize_address(address) is None
    assert normalize_address(address) is None
    with pytest.raises(ValueError, match="e-mail"):
        ResidentRecord(id="R-1", name="X", invoice_email=address)


def test_the_length_limits() -> None:
    assert is_address("a" * 64 + "@example.lv") and not is_address("a" * 65 + "@example.lv")
    long_domain = ".".join(["d" * 60] * 4) + ".lv"  # 64 + 1 + 247 characters: over 254
    assert not is_address("a" * 64 + "@" + long_domain)
