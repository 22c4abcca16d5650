"""Our own address, domain and the headers that mark mail as ours (RFC 3834 loop protection)."""

from __future__ import annotations

import hashlib
from email.headerregistry import Address
from email.utils import getaddresses

from helpdesk.core.addresses import normalize_address as normalize_address
from helpdesk.settings import SmtpSettings

#: Our loop header: a mail that carries it was written by a Klientiem helpdesk, so we never answer it.
LOOP_HEADER = "X-Klientiem-Loop"


def from_address(settings: SmtpSettings) -> str:
    """The bare address of ``HELPDESK_MAIL_FROM`` (which may carry a display name)."""
    pairs = getaddresses([settings.mail_from])
    address = pairs[0][1] if pairs else ""
    normal = normalize_address(address)
    if normal is None:
        raise ValueError("HELPDESK_MAIL_FROM does not hold one plain e-mail address")
    return normal


def from_header(settings: SmtpSettings) -> Address:
    pairs = getaddresses([settings.mail_from])
    name = pairs[0][0] if pairs else ""
    local, _, domain = from_address(settings).partition("@")
    return Address(display_name=name, username=local, domain=domain)


def our_domain(settings: SmtpSettings) -> str:
    return from_address(settings).rpartition("@")[2]


def loop_value(settings: SmtpSettings) -> str:
    """The loop header's value: our address's domain, so two helpdesks never suppress each other."""
    return our_domain(settings)


def message_id_for(settings: SmtpSettings, key: str) -> str:
    """A stable Message-ID for an outbox row: a retried send keeps its id (receivers deduplicate)."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:24]
    return f"<{digest}@{our_domain(settings)}>"
