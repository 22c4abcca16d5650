"""The one-word mails that withdraw news consent at once: "atrakstīties", "unsubscribe", "отписаться".

Only a mail whose first line (or, with an empty body, whose subject) is one of these words counts:
"I do not want to unsubscribe" must not withdraw anything.
"""

from __future__ import annotations

import re
import unicodedata

from helpdesk.knowledge.forwards import find
from helpdesk.knowledge.reading import shadow

WORDS = frozenset(
    {
        "atrakstīties",
        "atrakstities",
        "atteikties no jaunumiem",
        "unsubscribe",
        "unsubscribe me",
        "stop",
        "отписаться",
        "отписка",
        "отпишите меня",
    }
)
_PUNCTUATION = re.compile(r"[\s.!,;:()\[\]\"'«»„“”-]+")


def _normal(text: str) -> str:
    return _PUNCTUATION.sub(" ", unicodedata.normalize("NFC", text).lower()).strip()


def asks_to_unsubscribe(text: str, subject: str) -> bool:
    """A forwarded mail kept below the resident's word (``quoting.strip_quotes``) is not counted:
    "Atrakstīties" above a forwarded newsletter is the one word still."""
    forward = find(shadow(text))
    lines = [
        line for line in text[: None if forward is None else forward.marker].splitlines() if line.strip()
    ]
    if lines:
        return _normal(lines[0]) in WORDS and len(lines) <= 3
    return _normal(subject) in WORDS
