"""The one e-mail address rule: what every edge accepts as an address, and how one is found in text.

Before this, six patterns each accepted something different (the bot took ``a!b@c.de``, the portal
import took quotes, the handlers did not), so an address could be accepted on one channel and then
never match on another. The shape is deliberately plain: one local part of the characters people
type, one domain of ASCII labels, no quotes, comments, CR/LF or second address. Replies and codes go
to these addresses, so anything unusual is refused rather than "fixed" (CVE-2023-27043 is what a
lenient parser does with them). RFC 5321 limits: 64 characters before the @, 254 in all.
"""

from __future__ import annotations

import re

_LOCAL = r"[A-Za-z0-9._%+'-]{1,64}"
_DOMAIN = r"[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+"
MAX_LENGTH = 254

_ADDRESS = re.compile(f"{_LOCAL}@{_DOMAIN}")
#: The same shape inside running text ("rakstiet uz anna@example.lv."): not preceded or followed by
#: more of it, so neither half of a longer token counts and a sentence's full stop is not taken.
IN_TEXT = re.compile(rf"(?<![A-Za-z0-9._%+'-]){_LOCAL}@{_DOMAIN}(?![A-Za-z0-9-]|\.[A-Za-z0-9-])")


def is_address(value: str) -> bool:
    """``value`` is one plain address, nothing around it."""
    return len(value) <= MAX_LENGTH and _ADDRESS.fullmatch(value) is not None


def normalize_address(value: str) -> str | None:
    """The address lower-cased and stripped, or None when ``value`` is not one plain address."""
    candidate = value.strip().lower()
    return candidate if is_address(candidate) else None


def find_address(text: str) -> str | None:
    """The first address written in ``text``, as written; None when there is none."""
    found = IN_TEXT.search(text)
    return found.group(0) if found is not None and len(found.group(0)) <= MAX_LENGTH else None
