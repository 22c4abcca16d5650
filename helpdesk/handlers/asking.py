"""Does free text ask about a state ("am I subscribed?") rather than ask for a change?

The knowledge matcher maps "vai man ir piekrišana jaunumiem?" (do I have news consent?) to the
consent-withdraw intent, because the words are the same as in "atsauciet piekrišanu jaunumiem".
Acting on it would change the ledger when the resident only asked. So a consent action reached
through free text that is phrased as a question, and not as a polite request ("vai varat mani
atrakstīt?", "could you unsubscribe me?"), is answered with the current state and a one-tap button.

These word lists are for reading residents' text, never shown to them; they are folded (lower case,
no diacritics) as the residents often type them ("ludzu", "pieraksts").
"""

from __future__ import annotations

import re

from helpdesk.core.addresses import find_address
from helpdesk.knowledge.text import fold as fold_text

# Yes/no questions about oneself open with these (lv "vai", en auxiliaries); Russian marks them
# with the particle "ли" anywhere ("подписан ли я").
_OPENERS = frozenset({"vai", "am", "do", "does", "is", "are", "have", "has", "was", "were"})
_PARTICLES = frozenset({"ли"})
# A request dressed as a question still asks for the change.
_REQUEST_WORDS = frozenset(
    {
        # lv
        "ludzu",
        "varat",
        "varetu",
        "vari",
        "varbut",
        "gribu",
        "velos",
        "veletos",
        "atrakstiet",
        "pierakstiet",
        # ru (folded: й → и)
        "пожалуиста",
        "можете",
        "можно",
        "могли",
        "хочу",
        "прошу",
        "отпишите",
        "подпишите",
        # en
        "please",
        "can",
        "could",
        "would",
        "want",
    }
)
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Lower case without diacritics (ā → a, š → s, й → и), as residents often type."""
    return fold_text(text, keep_short_i=False)


def asks_about_state(text: str) -> bool:
    """True for "vai es saņemu jaunumus?", "am I subscribed", "подписан ли я"; False for requests."""
    if find_address(text) is not None:
        return False  # "… uz anna@example.lv?" names where to send: a request
    words = _WORD.findall(fold(text))
    if not words or any(word in _REQUEST_WORDS for word in words):
        return False
    return "?" in text or words[0] in _OPENERS or any(word in _PARTICLES for word in words)
