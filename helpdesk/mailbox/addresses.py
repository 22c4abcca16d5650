"""Our own address, domain and the headers that mark mail as ours (RFC 3834 loop protection)."""

from __future__ import annotations

import hashlib
import re
from email.headerregistry import Address
from email.utils import getaddresses

from helpdesk.settings import Settings

#: Our loop header: a mail that carries it was written by a Klientiem helpdesk, so we never answer it.
LOOP_HEADER = "X-Klientiem-Loop"

# Deliberately strict: one local part, one domain, no quotes, comments, CR/LF or second address.
# Replies go to this address, so anything unusual is refused rather than "fixed" (CVE-2023-27043).
_ADDRESS = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")


def is_plain_address(value: str) -> bool:
    return bool(_ADDRESS.fullmatch(value)) and len(value) <= 254


def normalize_address(value: str) -> str | None:
    """Lower-cased address, or None when it is not one plain address."""
    candidate = value.strip().lower()
    return candidate if is_plain_address(candidate) else None


def from_address(settings: Settings) -> str:
    """The bare address of ``HELPDESK_MAIL_FROM`` (which may carry a display name)."""
    pairs = getaddresses([settings.mail_from])
    address = pairs[0][1] if pairs else ""
    normal = normalize_address(address)
    if normal is None:
        raise ValueError("HELPDESK_MAIL_FROM does not hold one plain e-mail address")
    return normal


def from_header(settings: Settings) -> Address:
    pairs = getaddresses([settings.mail_from])
    name = pairs[0][0] if pairs else ""
    local, _, domain = from_address(settings).partition("@")
    return Address(display_name=name, username=local, domain=domain)


def our_domain(settings: Settings) -> str:
    return from_address(settings).rpartition("@")[2]


def loop_value(settings: Settings) -> str:
    """The loop header's value: our address's domain, so two helpdesks never suppress each other."""
    return our_domain(settings)


def message_id_for(settings: Settings, key: str) -> str:
    """A stable Message-ID for an outbox row: a retried send keeps its id (receivers deduplicate)."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return f"<{digest}@{our_domain(settings)}>"
