"""The knowledge matcher: answers when it is sure, asks when two entries are too close, and
otherwise hands the question to a person (a late human answer beats a wrong machine one).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

from helpdesk.core.matching import Answer, Candidate, Decision, Match
from helpdesk.knowledge.index import LanguageIndex, Scoring
from helpdesk.knowledge.language import detect
from helpdesk.knowledge.model import LANGUAGES, Entry, KnowledgeBase
from helpdesk.knowledge.text import CYRILLIC, words

LATIN_INDEXES = ("lv", "en")
MAX_CANDIDATES = 4
# Calibrated on tests/kb_eval with the default Scoring: the lowest score that still escalates at
# least 90% of the out-of-scope set with room to spare, and the lead over the runner-up below which
# two entries are "too close" (the resident is asked which one was meant).
ANSWER_THRESHOLD = 49.0
MARGIN = 3.0


class KnowledgeMatcher:
    """Implements :class:`helpdesk.core.matching.IntentMatcher` over one knowledge base."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        *,
        threshold: float,
        margin: float,
        default_language: str = "lv",
        scoring: Scoring | None = None,
    ) -> None:
        self.knowledge = knowledge
        self.threshold = threshold
        self.margin = margin
        self.default_language = default_language
        self.entries: tuple[Entry, ...] = knowledge.entries
        self._by_id = {entry.id: entry for entry in self.entries}
        self.indexes = {
            language: LanguageIndex(
                language,
                [
                    (position, text)
                    for position, entry in enumerate(self.entries)
                    for text in entry.matching_texts(language)
                ],
                synonyms=knowledge.synonyms.get(language, ()),
                scoring=scoring,
                actions=frozenset(position for position, entry in enumerate(self.entries) if entry.is_action),
            )
            for language in LANGUAGES
        }
        lv_words = _folded_words(self.entries, "lv")
        en_words = _folded_words(self.entries, "en")
        self._lv_only = frozenset(lv_words - en_words)
        self._en_only = frozenset(en_words - lv_words)

    def detect_language(self, text: str, default: str) -> str:
        return detect(text, default, self._lv_only, self._en_only)

    def scores(self, text: str, language: str, floor: float = 0.0, limit: int = 10) -> list[Candidate]:
        """The ``limit`` best entries for ``text``, best first (scores 0..100); entries that cannot
        reach ``floor`` may be left out."""
        languages = ("ru",) if language == "ru" or CYRILLIC.search(text) else LATIN_INDEXES
        best: dict[int, float] = {}
        for index_language in languages:
            for hit in self.indexes[index_language].search(text, floor):
                if hit.score > best.get(hit.entry, 0.0):
                    best[hit.entry] = hit.score
        ranked = heapq.nsmallest(limit, best.items(), key=lambda item: (-item[1], item[0]))
        return [Candidate(self.entries[position].id, round(score, 1)) for position, score in ranked]

    def match(self, text: str, language: str | None = None) -> Match:
        detected = self.detect_language(text, language or self.default_language)
        # Below threshold - margin nothing can change the decision, so the index may skip it.
        ranked = self.scores(text, detected, floor=max(0.0, self.threshold - self.margin))
        if not ranked:
            return Match(None, 0.0, Decision.ESCALATE, detected)
        top = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if top.score < self.threshold:
            return Match(None, top.score, Decision.ESCALATE, detected, tuple(ranked[:MAX_CANDIDATES]))
        if top.score - runner_up < self.margin:
            close = tuple(c for c in ranked[:MAX_CANDIDATES] if top.score - c.score < self.margin)
            return Match(None, top.score, Decision.CLARIFY, detected, close)
        return Match(top.entry, top.score, Decision.ANSWER, detected, tuple(ranked[:MAX_CANDIDATES]))

    def answer(self, entry: str, language: str) -> Answer | None:
        """The entry's text in ``language``, else Latvian, else English; None for unknown ids and
        for action intents (their handlers answer)."""
        found = self._by_id.get(entry)
        if found is None or found.is_action:
            return None
        for candidate in (language, "lv", "en"):
            localized = found.texts.get(candidate)
            if localized is not None and localized.body:
                return Answer(
                    entry=entry,
                    language=candidate,
                    title=self.knowledge.fill(localized.title, candidate),
                    body=self.knowledge.fill(localized.body, candidate),
                )
        return None


def _folded_words(entries: Iterable[Entry], language: str) -> set[str]:
    found: set[str] = set()
    for entry in entries:
        for text in entry.matching_texts(language):
            found.update(words(text))
    return found
