"""Where a console request comes from, and where a redirect inside the console may go.

``X-Forwarded-For`` is read only when the connection comes from a configured reverse proxy
(``HELPDESK_TRUSTED_PROXIES``): anyone else can write any address into it, and a sign-in limit
keyed on a value the client chooses limits nothing. The header is read from the right, past the
trusted proxies, so an address the client itself put at its left end is never taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from urllib.parse import urlsplit

Network = IPv4Network | IPv6Network


def _parsed(value: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: IPv4Address | IPv6Address, proxies: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in proxies)


def client_address(remote: str | None, forwarded_for: Iterable[str], proxies: tuple[Network, ...]) -> str:
    """The client's address: the connection's peer, or, when that is a trusted proxy, the last
    address in ``X-Forwarded-For`` that is not one (all the header's lines, in order)."""
    peer = remote or "unknown"
    current = _parsed(peer)
    if current is None or not proxies or not _trusted(current, proxies):
        return peer
    hops = [hop.strip() for line in forwarded_for for hop in line.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _parsed(hop)
        if address is None:
            break  # a proxy wrote something that is not an address: trust nothing left of it
        current = address
        if not _trusted(address, proxies):
            break
    return str(current)


# What a path and query may hold once normalised: printable ASCII (the console's own links are
# percent-encoded), nothing a browser would read as a new line or a second URL.
_PLAIN = re.compile(r"[!-~]*")
# Browsers remove tabs and new lines anywhere in a URL and read "\" as "/" (WHATWG URL standard),
# so "/\t/evil.example" and "/\evil.example" both lead to //evil.example, another site.
_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")
# ... and C0 controls and spaces at either end.
_TRIMMED_BY_BROWSERS = "".join(chr(code) for code in range(0x21))


def local_path(value: str, default: str = "/") -> str:
    """``value`` if it is a path on this site, as a browser would read it; else ``default``.

    Normalised first, checked after: checking the raw text let ``/\t/evil.example`` through.
    """
    path = _IGNORED_BY_BROWSERS.sub("", value).strip(_TRIMMED_BY_BROWSERS).replace("\\", "/")
    if not path.startswith("/") or path.startswith("//") or not _PLAIN.fullmatch(path):
        return default
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        return default
    return path
