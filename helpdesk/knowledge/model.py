"""What one knowledge-base entry is, independent of the file format it was read from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LANGUAGES = ("lv", "ru", "en")
ACTION_PREFIX = "action:"
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
# Facts of the conversation, not of the deployment: the handler fills these per reply (whether this
# chat is linked to a resident: then the invoice is offered with a button, not promised "if linked").
# ``KnowledgeBase.fill`` leaves them.
INVOICE_HERE = "invoice_here"
CONVERSATION_FACTS = frozenset({INVOICE_HERE})
# A title is also the entry's button when the matcher cannot choose between entries (one candidate a
# row, handlers/faq.clarify), and the option the mail lists; Telegram cuts a longer label with "…",
# and a phone shows about this many characters of a button alone in its row.
TITLE_MAX = 25


@dataclass(frozen=True, slots=True)
class Localized:
    """One language's version of an entry. Action intents need phrasings only."""

    title: str = ""
    body: str = ""
    phrasings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    texts: dict[str, Localized] = field(default_factory=dict)
    source: str = ""  # "file:line", for messages that point the author at the entry

    @property
    def is_action(self) -> bool:
        return self.id.startswith(ACTION_PREFIX)

    def matching_texts(self, language: str) -> tuple[str, ...]:
        """What the matcher indexes: the phrasings, and the title (residents often type a topic)."""
        localized = self.texts.get(language)
        if localized is None:
            return ()
        return (*localized.phrasings, *((localized.title,) if localized.title else ()))


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    entries: tuple[Entry, ...]
    placeholders: dict[str, dict[str, str]]  # name -> language -> text
    synonyms: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # language -> groups

    def fill(self, text: str, language: str) -> str:
        """Put the operator's per-deployment facts into an answer (lv, then en, when missing)."""

        def value(match: re.Match[str]) -> str:
            texts = self.placeholders.get(match.group(1))
            if not texts:
                return match.group(0)
            return texts.get(language) or texts.get("lv") or texts.get("en") or match.group(0)

        return PLACEHOLDER.sub(value, text)
