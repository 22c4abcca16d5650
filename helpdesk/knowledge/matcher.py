"""The knowledge matcher: answers when it is sure, asks when two entries are too close, and
otherwise hands the question to a person (a late human answer beats a wrong machine one)."""

from __future__ import annotations

import heapq
import re

from helpdesk.core.matching import Answer, Candidate, Decision, Match, MessageKind, Reading
from helpdesk.knowledge import confidence, directions, everyday, operations, parts, scope, siblings, translit
from helpdesk.knowledge.index import LanguageIndex, Scoring, unknown_share
from helpdesk.knowledge.language import detect, folded_words, indexes_for, russian_frame
from helpdesk.knowledge.model import LANGUAGES, Entry, KnowledgeBase
from helpdesk.knowledge.notabout import without as not_about
from helpdesk.knowledge.overlaps import backed
from helpdesk.knowledge.parts import STATE_CHANGING, Verdict
from helpdesk.knowledge.reading import Parsed, parse, shadow, ungreeted
from helpdesk.knowledge.senders import mentions as named_in
from helpdesk.knowledge.text import (
    CYRILLIC,
    LATIN_LETTER,
    NEGATIONS,
    QUESTION_WORDS,
    STOPWORDS,
    forget,
    key,
)

MAX_CANDIDATES = 4
# Calibrated on tests/kb_eval with the default Scoring: the lowest score that still escalates at
# least 90% of the out-of-scope set with room to spare, and the lead over the runner-up below which
# two entries are "too close" (the resident is asked which one was meant).
ANSWER_THRESHOLD = 49.0
MARGIN = 3.0
# A near miss (another company or subject named, scope.py) keeps this share of its score.
FOREIGN_FACTOR = 0.5
# ... and when a sentence around it names one (its neighbours and paragraph), a piece keeps this share.
CONTEXT_FACTOR = 0.65
# A message of several sentences and at least this many content words, this share of them unknown
# to the knowledge base, is about something else: its sentences are read as in a near miss's context.
MOSTLY_UNKNOWN_WORDS = 10
MOSTLY_UNKNOWN = 0.5
# A state-changing action chosen from free text must lead every other reading by this much.
ACTION_LEAD = 5.0
PERFECT = 100.0
ACTION_UNKNOWN = 1 / 3  # ... and is asked about when more of its words than this are unknown
ACTION_SURE = 85.0  # ... unless it scores this much (the resident wrote what an answer told them to)


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
        model: confidence.Model = confidence.SHIPPED,
    ) -> None:
        """``model``: how sure an answer is (``confidence``; refitted by tests/kb_eval/calibrate.py)."""
        self.knowledge = knowledge
        self.model = model
        # An operator's stricter (or looser) threshold asks the model for as many points more (less).
        self.confident = confidence.CONFIDENT + (threshold - ANSWER_THRESHOLD) / 100
        self.threshold = threshold
        self.margin = margin
        self.default_language = default_language
        self.entries: tuple[Entry, ...] = knowledge.entries
        self._by_id = {entry.id: entry for entry in self.entries}
        self._positions = {entry.id: position for position, entry in enumerate(self.entries)}
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
        lv_words = folded_words(self.entries, "lv")
        en_words = folded_words(self.entries, "en")
        self._lv_only = frozenset(lv_words - en_words)
        self._en_only = frozenset(en_words - lv_words)
        self._latin_words = frozenset(lv_words | en_words | STOPWORDS["lv"] | STOPWORDS["en"])
        self._everyday = {language: everyday.keys(index) for language, index in self.indexes.items()}
        ru = self.indexes["ru"]
        self._russian_keys = frozenset(ru.postings) | frozenset(ru.canonical)
        self._russian_words = STOPWORDS["ru"] | QUESTION_WORDS["ru"] | NEGATIONS["ru"]
        self._reader = translit.Reader(self._known_russian, self._latin_words.__contains__)

    def detect_language(self, text: str, default: str) -> str:
        return detect(text, default, self._lv_only, self._en_only)

    def scores(self, text: str, language: str, floor: float = 0.0, limit: int = 10) -> list[Candidate]:
        """The ``limit`` best entries for ``text``, best first (scores 0..100); entries that cannot
        reach ``floor`` may be left out. The indexes searched follow the text's own letters
        (``language`` names the reply language only; Russian in Latin letters is converted by
        :meth:`decide` first)."""
        languages = indexes_for(text)
        best: dict[int, float] = {}
        for index_language in languages:
            for hit in self.indexes[index_language].search(text, floor, limit):
                if hit.score > best.get(hit.entry, 0.0):
                    best[hit.entry] = hit.score
        ranked = heapq.nsmallest(limit, best.items(), key=lambda item: (-item[1], item[0]))
        return [Candidate(self.entries[position].id, round(score, 1)) for position, score in ranked]

    def match(self, text: str, language: str | None = None) -> Match:
        return self.read(text, language).main

    def read(self, text: str, language: str | None = None) -> Reading:
        """See :meth:`helpdesk.core.matching.IntentMatcher.read`."""
        forget()  # what was remembered of the last message's pieces
        for index in self.indexes.values():
            index.forget()
        parsed = parse(text)
        hint = language or self.default_language
        # The language is the content's: a greeting never decides it ("sveiki, spasibo" thanks in
        # Russian), unless it is all there is ("Labdien!").
        content = parsed.said or ungreeted(text)
        # Thanks or a greeting alone ("spasibo", "privet"), or a one-word plea ("pomogite"), is one
        # word: enough to say it is Russian.
        alone = not parsed.sentences or len(translit.latin_words(shadow(content))) == 1
        converted = self._russian_in_latin(content, 1 if alone else 2)
        framed = converted or russian_frame(content, self._reader.word)
        detected = "ru" if framed else self.detect_language(content, hint)
        # Another company or subject colours the sentences around it (``parts.contexts``); a mail
        # that says mostly what the KB has no word for colours all of them.
        unknown = self._mostly_unknown(parsed, converted)
        message = directions.Message.of(content, self._query(content, detected))
        reading = parts.reading(
            text,
            parsed,
            detected,
            lambda piece, fragment, near: self.decide(
                piece, detected, fragment=fragment, context=near or unknown, message=message
            ),
            self.threshold,
            self.reconsider,
        )
        if (
            reading.kind is MessageKind.QUESTION
            and all(part.decision is Decision.ESCALATE for part in reading.parts)
            and self._everyday_only(self._query(parsed.content or text, detected), detected)
        ):
            # No word of the whole message names a subject ("cik tev gadu?"): small talk, which a
            # chat answers with what the helpdesk does and a tap for a person, not a queue item.
            return Reading(reading.language, MessageKind.SMALLTALK)
        return reading

    def _query(self, text: str, language: str) -> str:
        """What of ``text`` is matched: without noise (:meth:`_meaningful`), and Russian typed in
        Latin letters converted to Cyrillic."""
        query = self._meaningful(not_about(text))  # not "ne par māju": what it is not about
        if language == "ru" and not CYRILLIC.search(query):
            converted, russian, latin = self._transliterate(shadow(query))
            if translit.is_russian(russian, latin, min_words=1):
                return converted  # else a Latvian or English sentence of a Russian message
        if not CYRILLIC.search(query):
            # Latvian and Latin-letter Russian in one line: the Russian words meet the Russian index.
            folded = shadow(query)
            mixed = self._reader.convert_known(folded)
            return query if mixed == folded else mixed
        return query

    def _everyday_only(self, query: str, language: str) -> bool:
        """Whether every word of ``query`` the knowledge base knows is an everyday one (``everyday``)."""
        if language not in indexes_for(query):
            return False
        return everyday.only_everyday(self.indexes[language], self._everyday[language], query)

    def _mostly_unknown(self, parsed: Parsed, converted: bool) -> bool:
        """Whether a message of several sentences says mostly what the knowledge base has no word
        for: a mail about another business, whose one sentence that shares the KB's words ("Kur
        vērsties?") must not answer for the whole (read as :data:`scope`'s context)."""
        if len(parsed.sentences) < 2:
            return False
        text = self._meaningful(" ".join(sentence.text for sentence in parsed.sentences))
        if converted:
            text = self._transliterate(shadow(text))[0]
        content = [(self.indexes[index], self.indexes[index].content(text)) for index in indexes_for(text)]
        unknown, content_words = unknown_share(content)
        return content_words >= MOSTLY_UNKNOWN_WORDS and unknown >= MOSTLY_UNKNOWN

    def _russian_in_latin(self, text: str, min_words: int = 2) -> bool:
        if CYRILLIC.search(text) and len(CYRILLIC.findall(text)) * 2 >= len(LATIN_LETTER.findall(text)):
            return False
        _, ru, other = self._transliterate(shadow(text))
        return translit.is_russian(ru, other, min_words)

    def _transliterate(self, folded: str) -> tuple[str, int, int]:
        return self._reader.convert(folded)

    def _known_russian(self, word: str) -> bool:
        return word in self._russian_words or key(word, "ru") in self._russian_keys

    def decide(
        self,
        text: str,
        language: str,
        *,
        fragment: bool = False,
        context: bool = False,
        message: directions.Message | None = None,
    ) -> Verdict:
        """One question's decision: (decision, entry if answered, top score, candidates, subject).
        ``fragment``: ``text`` is a piece of a longer message (it answers only when the confidence
        model is sure: how much of the entry's subject it names weighs more there, see
        ``confidence``). ``context``: a sentence around the piece names another company or
        subject (``scope``, ``parts.contexts``). ``message``: what the whole message says (``operations``)."""
        folded = shadow(text)  # what the near-miss lists read: everything, names included
        query = self._query(text, language)
        floor = min(confidence.LOWEST_SCORE, self.threshold - max(self.margin, ACTION_LEAD))
        ranked = self.scores(query, language, floor=max(0.0, floor))

        ours = scope.names_us(folded)
        mentions = named_in(folded, self.indexes)  # ``scope``'s, and "MyFitness sent me …"
        foreign = mentions.names_other or mentions.bank_itself  # a bank's own business is another's too
        named_ops = operations.named(text, query) if STATE_CHANGING & {c.entry for c in ranked} else None
        message = message or directions.Message.of(text, query)
        out = directions.ruled_out(message, text, query)

        def near_miss(candidate: Candidate) -> Candidate:
            if mentions.foreign(candidate.entry):
                return Candidate(candidate.entry, round(candidate.score * FOREIGN_FACTOR, 1))
            if context and not ours:  # ... the more so when the piece points back at it ("send them")
                factor = FOREIGN_FACTOR if scope.POINTS_BACK.search(folded) else CONTEXT_FACTOR
                return Candidate(candidate.entry, round(candidate.score * factor, 1))
            return candidate

        # An action whose operation is not named is no reading; a sibling's meaning weighs (``siblings``).
        marked = f"{folded} {shadow(query)}"  # with Russian in Latin letters converted
        ranked = siblings.favour(
            [
                near_miss(c)
                for c in ranked
                if c.entry not in out
                and (named_ops is None or c.entry not in STATE_CHANGING or c.entry in named_ops)
            ],
            marked,
            self._by_id,
        )
        # "Cik tev gadu?", "Could you check?": only everyday words known, no subject named (``everyday``)
        everyday_only = self._everyday_only(query, language)
        action, (ranked, elsewhere) = ranked[:1], directions.elsewhere(message, ranked, text, query)
        if elsewhere is not None:  # another's news or records: no action, at most a button for ours
            asked = (*action, *ranked[:1]) if ranked else ()  # (nothing asked: nothing kept either)
            decision = Decision.CLARIFY if asked else Decision.ESCALATE
            return Verdict(decision, None, elsewhere, asked, foreign=True, elsewhere=True)
        if not ranked:
            return Verdict(Decision.ESCALATE, None, 0.0, (), foreign=foreign, everyday=everyday_only)
        top = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        shown = tuple(ranked[:MAX_CANDIDATES])
        content = [(self.indexes[index], self.indexes[index].content(query)) for index in indexes_for(query)]
        evidence = self._evidence(content, top.entry)
        # How much of some entry's subject the piece names (the best of the closest few).
        subject = max([evidence, *(self._evidence(content, c.entry) for c in shown[1:])])
        unknown, content_words = unknown_share(content)
        signals = confidence.Signals(
            score=top.score,
            lead=top.score - runner_up,
            evidence=evidence,
            unknown=unknown,
            content_words=content_words,
            fragment=fragment,
            foreign=mentions.foreign(top.entry),
            context=context and not ours,
            action=top.entry.startswith("action:"),
            guess=confidence.guesses(top.score, unknown, content_words, siblings.names(top.entry, marked)),
        )
        sure = self.model.probability(signals)

        doubtful = sure < self.confident and (
            fragment or top.score < self.threshold or sure < confidence.NOT_DOUBTFUL
        )
        # No support from the rest of a mail makes an everyday piece an answer, nor its own question.
        subjectless = everyday_only
        subject = 0.0 if everyday_only else subject
        # A piece of a longer message with one known word ("и сколько это стоит?") leans on the
        # rest: alone it names no subject either (the join with its context may answer, ``parts``).
        if fragment and everyday.subject_words(content, self._everyday) <= 1 and top.score < PERFECT:
            subjectless = True
        named = top.entry in directions.sure(message) and not signals.foreign
        if named:
            doubtful, subjectless = False, everyday_only  # the message names it ("Please correct it.")
        if not foreign and directions.demands_person(text, query):  # not doubted, nor undone by the mail
            human = next(
                (c for c in ranked if c.entry == operations.HUMAN), Candidate(operations.HUMAN, top.score)
            )
            return Verdict(
                Decision.ANSWER, human.entry, human.score, (human, *shown), subject, foreign, None, 1.0
            )

        def verdict(decision: Decision, entry: str | None, candidates: tuple[Candidate, ...]) -> Verdict:
            if subjectless and (decision is not Decision.ESCALATE or everyday_only):
                plain = Verdict(Decision.ESCALATE, None, top.score, shown, subject, foreign, signals, sure)
                return plain._replace(everyday=everyday_only)
            if doubtful and decision is not Decision.ESCALATE:
                # Not sure enough: a person answers, unless the rest of the message vouches for the
                # reading (``reconsider``); ``doubt`` says that only the confidence was missing.
                doubt = decision is Decision.ANSWER
                return Verdict(
                    Decision.ESCALATE, None, top.score, shown, subject, foreign, signals, sure, doubt
                )
            # What the message names beyond doubt is not doubted again beside the rest of the mail.
            kept = None if named and decision is Decision.ANSWER else signals
            return Verdict(decision, entry, top.score, candidates, subject, foreign, kept, sure)

        if top.score < confidence.LOWEST_SCORE:
            return verdict(Decision.ESCALATE, None, shown)
        if top.entry in STATE_CHANGING:
            other = next((c for c in ranked if c.entry not in STATE_CHANGING and c.entry != top.entry), None)
            lead = self.margin if top.score >= ACTION_SURE else ACTION_LEAD
            if top.entry == operations.WITHDRAW and operations.AGAIN.search(folded):
                other = next(
                    (c for c in ranked if c.entry == operations.GIVE), other
                )  # "put me back on the list"
                lead = 100.0
            elif directions.asks_the_way(text):
                lead = 100.0  # how to correct a reading is no request to correct my data
            elif unknown > ACTION_UNKNOWN and top.score < ACTION_SURE and not named:
                # An unknown word may name whose letters to stop ("žurnāla abonements"); in a
                # correction the message names, the unknown words are the right name or address.
                lead = 100.0
            if other is not None and top.score - other.score < lead:
                return verdict(Decision.CLARIFY, None, (top, other))
            if lead == 100.0:
                return verdict(Decision.ESCALATE, None, shown)
        if top.score - runner_up < self.margin:
            close = tuple(c for c in shown if top.score - c.score < self.margin)
            if any(c.entry == operations.HUMAN for c in close):
                # "Gribu runāt ar cilvēku par …": a person was asked for; a person gets the question
                # (a choice between an article and a person asks what the resident already said).
                return verdict(Decision.ANSWER, operations.HUMAN, shown)
            return verdict(Decision.CLARIFY, None, close)
        return verdict(Decision.ANSWER, top.entry, shown)

    def reconsider(self, verdict: Verdict, support: float | None) -> Verdict:
        """A piece of a longer message decided again once its other pieces are read (``support``:
        ``overlaps.support``). A reading the whole mail keeps returning to is surer than one
        sentence's; one that vanishes as soon as a neighbour is read along is not."""
        signals = verdict.signals
        if signals is None or not signals.fragment:
            return verdict
        signals = backed(signals, support)
        sure = self.model.probability(signals)
        if sure >= self.confident and verdict.doubt and verdict.candidates:
            entry = verdict.candidates[0].entry
            return verdict._replace(decision=Decision.ANSWER, entry=entry, signals=signals, confidence=sure)
        if sure < self.confident and verdict.decision is not Decision.ESCALATE:
            doubt = verdict.decision is Decision.ANSWER
            return verdict._replace(
                decision=Decision.ESCALATE, entry=None, signals=signals, confidence=sure, doubt=doubt
            )
        return verdict._replace(signals=signals, confidence=sure)

    def _meaningful(self, text: str) -> str:
        """``text`` without what carries no meaning for matching and only dilutes a score: e-mail
        addresses, links and bare numbers (amounts, dates, flat numbers). Names stay: dropping
        them lost more near misses than it won answers on the tuning half."""
        if "@" not in text and "http" not in text and "www." not in text and not _DIGIT.search(text):
            return text  # nothing _NOISE could match: most pieces of a mail
        return _NOISE.sub(" ", text)

    def _evidence(
        self, content: list[tuple[LanguageIndex, tuple[dict[str, float], ...]]], entry: str
    ) -> float:
        position = self._positions[entry]
        return max(index.evidence(found, position) for index, found in content)

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


_NOISE = re.compile(r"\S+@\S+\.\w+|https?://\S+|www\.\S+|(?<!\w)\d[\d.,:/-]*(?!\w)")
_DIGIT = re.compile(r"\d")
