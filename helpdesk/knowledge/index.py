"""One language's index: every phrasing as a set of keys, an inverted index, and key weights.

A query key meets the vocabulary exactly, through a synonym group, by a shared prefix (Latvian
compounds and verb forms the light stemmer leaves apart), or by edit similarity (typos). Only
phrasings that share a key with the query are scored, so the cost follows the query, not the size
of the knowledge base.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from helpdesk.knowledge.ranking import SLACK, UNSEEN, Held, Phrasings, Query, Shares, best_phrasing, holding
from helpdesk.knowledge.sounds import sound, sounds
from helpdesk.knowledge.text import (
    ASKING_WORDS,
    NEGATION,
    QUESTION_WORDS,
    key,
    keys,
    requests_action,
    undigraph,
    words,
)

MIN_FUZZY_LENGTH = 5  # shorter keys are too easy to confuse ("kad"/"kas")
FUZZY_CUTOFF = 0.78  # OSA similarity: one typo (or a swap) in five letters, two in nine
MIN_PREFIX = 4
MIN_PREFIX_RATIO = 0.65  # how much of the longer key a shared beginning must cover
MAX_FUZZY_PER_KEY = 3
SOUND_SIMILARITY = 0.9  # a word spelled by ear: surer than one typo, less than the word itself
EXPANSION_CACHE = 20_000  # query keys whose vocabulary matches are remembered
KEYS_KEPT = 1_024  # texts whose keys are remembered: a long mail's pieces, with room to spare


@dataclass(frozen=True, slots=True)
class Scoring:
    """How a score is put together; the defaults are calibrated on tests/kb_eval."""

    query_share: float = 0.5  # phrasing score: weight of "how much of the query it explains"
    entry_share: float = 0.4  # weight of "how much of the query the whole entry explains"
    unknown_weight: float = 0.9  # a query key the index does not know weighs this x the rarest key
    question_weight: float = 0.6  # most a question word ("kad", "how") weighs
    negation_mismatch: float = 0.7  # factor when only one of query and phrasing is negated
    asked_action: float = 0.93  # factor for an action intent when the query asks how/where/why
    requested_answer: float = 0.93  # factor for an answer entry when the query asks for a deed


class Hit(NamedTuple):
    entry: int  # position of the entry in the matcher's list
    score: float


def synonym_map(groups: Iterable[Sequence[str]], language: str) -> dict[str, str]:
    """Key of every word of a group -> key of the group's first word.

    A member whose key is another group's first key stays that group's own: "payed" stems to
    "pay", and must not pull every "pay" question into the "paid" group."""
    keyed = [[found[0] for word in group if len(found := keys(word, language)) == 1] for group in groups]
    heads = {group_keys[0] for group_keys in keyed if len(group_keys) >= 2}
    canonical: dict[str, str] = {}
    for group_keys in keyed:
        if len(group_keys) < 2:
            continue
        for member in group_keys[1:]:
            if member != group_keys[0] and member not in heads:
                canonical.setdefault(member, group_keys[0])
    return canonical


class LanguageIndex:
    def __init__(
        self,
        language: str,
        texts: Sequence[tuple[int, str]],
        *,
        synonyms: Iterable[Sequence[str]] = (),
        scoring: Scoring | None = None,
        actions: frozenset[int] = frozenset(),
    ) -> None:
        """``texts``: (entry position, phrasing) pairs in this language; ``actions``: the positions
        of action intents ("send me my invoice" does, "how do I get my invoice" asks)."""
        self.language = language
        self._query_keys: dict[str, tuple[str, ...]] = {}
        self.scoring = scoring or Scoring()
        self.canonical = synonym_map(synonyms, language)
        # Question words and the negation shape a question but must not carry a match alone.
        self.question_keys = frozenset(key(word, language) for word in QUESTION_WORDS.get(language, ())) | {
            NEGATION
        }
        self.asking_keys = frozenset(key(word, language) for word in ASKING_WORDS.get(language, ()))
        self.actions = actions
        self.sounding: dict[str, str | None] = {}  # filled once the vocabulary is known
        self._heard: dict[str, str] = {}  # unknown query key -> the known key it sounds like
        self._sounds_like: dict[str, tuple[str, str | None]] = {}  # see :meth:`_sound_of`
        doc_keys: list[tuple[str, ...]] = []
        doc_entry: list[int] = []
        entries_with: dict[str, set[int]] = defaultdict(set)
        for entry, text in texts:
            found = self.query_keys(text)
            if not found:
                continue
            doc_keys.append(found)
            doc_entry.append(entry)
            for k in found:
                entries_with[k].add(entry)
        entry_count = len({entry for entry, _ in texts}) or 1
        self.weight: dict[str, float] = {}
        for k, owners in entries_with.items():
            idf = math.log((entry_count + 1) / (len(owners) + 0.5)) + 0.1
            self.weight[k] = min(idf, self.scoring.question_weight) if k in self.question_keys else idf
        self.rarest = max(self.weight.values(), default=1.0)
        self.unknown_weight = self.scoring.unknown_weight * self.rarest
        self.doc_keys = doc_keys
        self.doc_sets = [frozenset(found) for found in doc_keys]
        self.doc_negated = [NEGATION in found for found in self.doc_sets]
        self.shares = Shares(self.scoring.query_share, self.scoring.entry_share)
        self.doc_entry = doc_entry
        entry_docs: dict[int, list[int]] = defaultdict(list)
        for doc, entry in enumerate(doc_entry):
            entry_docs[entry].append(doc)
        self.entry_docs = dict(entry_docs)
        self.entry_keys = {
            entry: frozenset(k for doc in docs for k in doc_keys[doc]) for entry, docs in entry_docs.items()
        }
        self.doc_weight = [sum(self.weight[k] for k in found) for found in doc_keys]
        # Per entry and key, the largest share of a phrasing's weight the key is (among the entry's
        # phrasings that hold it): what bounds how much of a phrasing a query can name.
        self.entry_shares: dict[int, dict[str, float]] = {}
        for doc, found in enumerate(doc_keys):
            shares = self.entry_shares.setdefault(doc_entry[doc], {})
            for k in found:
                share = self.weight[k] / self.doc_weight[doc]
                if share > shares.get(k, 0.0):
                    shares[k] = share
        postings: dict[str, list[int]] = defaultdict(list)
        for doc, found in enumerate(doc_keys):
            for k in found:
                postings[k].append(doc)
        self.postings = dict(postings)
        # The entries whose phrasings hold each key: what a query key reaches.
        self.entry_postings = {
            k: tuple(dict.fromkeys(doc_entry[doc] for doc in docs)) for k, docs in self.postings.items()
        }
        # What a query key may be compared with: the vocabulary and every synonym of it.
        lookup = set(self.postings) | {k for k, target in self.canonical.items() if target in self.postings}
        self.sorted_lookup = sorted(lookup)
        # Typo candidates: same first letter (people rarely mistype it), length within two.
        buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for k in self.sorted_lookup:
            buckets[(k[0], len(k))].append(k)
        self.buckets = dict(buckets)
        # The one key each sound stands for; None where two known keys sound alike.
        for k in self.sorted_lookup:
            spoken = sound(k, language, shortest=3)
            if spoken is not None:
                target = self.canonical.get(k, k)
                self.sounding[spoken] = target if self.sounding.get(spoken, target) == target else None
        self._expanded: dict[str, dict[str, float]] = {}

    def query_keys(self, text: str) -> tuple[str, ...]:
        """The canonical keys of ``text``, in order (remembered until :meth:`forget`: a piece of a
        message is searched, then read again for its content words)."""
        found = self._query_keys.get(text)
        if found is None:
            if len(self._query_keys) >= KEYS_KEPT:
                self._query_keys.clear()
            found = tuple(dict.fromkeys(self.canonical.get(k, k) for k in keys(text, self.language)))
            self._query_keys[text] = found
            if self.sounding:
                self._hear(text, found)
        return found

    def _hear(self, text: str, found: tuple[str, ...]) -> None:
        """Remember, for the query keys of ``text`` the index does not know, the one known key each
        sounds like (:mod:`helpdesk.knowledge.sounds`). A Latin word counts only when the stemmer
        took a Latvian ending off it: "should" or "arrived" in an English message is no Latgalian
        word, "rāķinus" is."""
        unknown = {k for k in found if k not in self.postings}
        if not unknown:
            return
        for token in words(text):
            query_key, target = self._sounds_like.get(token) or self._sound_of(token)
            if target is not None and query_key in unknown and query_key not in self._heard:
                self._heard[query_key] = target

    def _sound_of(self, token: str) -> tuple[str, str | None]:
        """(query key, the one known key it sounds like or None) of one folded word: what
        :meth:`_hear` reads, remembered (it depends on the word and this index alone)."""
        if len(self._sounds_like) >= EXPANSION_CACHE:
            self._sounds_like.clear()
        stem = key(token, self.language)
        found: tuple[str, str | None] = (self.canonical.get(stem, stem), None)
        if not (self.language == "lv" and undigraph(token).endswith(stem)):
            targets = (self.sounding.get(spoken) for spoken in sounds(stem, self.language))
            found = (found[0], next((target for target in targets if target is not None), None))
        self._sounds_like[token] = found
        return found

    def forget(self) -> None:
        """Drop the keys remembered of earlier texts (see :func:`helpdesk.knowledge.text.forget`)."""
        self._query_keys.clear()
        self._heard.clear()

    def _add(self, found: dict[str, float], lookup_key: str, similarity: float) -> None:
        target = self.canonical.get(lookup_key, lookup_key)
        if target in self.postings and similarity > found.get(target, 0.0):
            found[target] = similarity

    def expand(self, query_key: str) -> dict[str, float]:
        """Vocabulary keys this (canonical) query key may stand for, with a similarity in 0..1
        (remembered: the sentences of one mail are matched alone and in pairs). The one known key
        an unknown word sounds like joins its typo guesses; it does not replace them (replacing
        ranked two cross-validated KB phrasings worse, where a held-out word sounds like another)."""
        if query_key in self.postings:
            return {query_key: 1.0}
        heard = self._heard.get(query_key)
        found = self._expanded.get(query_key)
        if found is None:
            if len(self._expanded) >= EXPANSION_CACHE:
                self._expanded.clear()
            found = self._expanded[query_key] = self._expand(query_key)
        if heard is not None and found.get(heard, 0.0) < SOUND_SIMILARITY:
            return {**found, heard: SOUND_SIMILARITY}
        return found

    def _expand(self, query_key: str) -> dict[str, float]:
        found: dict[str, float] = {}
        if len(query_key) >= MIN_PREFIX:
            lookup = self.sorted_lookup
            for length in range(len(query_key), MIN_PREFIX - 1, -1):  # the longest shared beginning
                head = query_key[:length]
                start = bisect.bisect_left(lookup, head)
                shared = False
                for k in lookup[start : start + MAX_FUZZY_PER_KEY]:
                    if not k.startswith(head):
                        break
                    ratio = length / max(len(query_key), len(k))
                    if ratio >= MIN_PREFIX_RATIO:
                        self._add(found, k, ratio**0.5)
                        shared = True
                if shared:
                    break
        if len(query_key) >= MIN_FUZZY_LENGTH:
            size = len(query_key)
            first = query_key[0]
            nearby = [
                k for length in range(size - 2, size + 3) for k in self.buckets.get((first, length), ())
            ]
            for k, score, _ in process.extract(
                query_key,
                nearby,
                scorer=OSA.normalized_similarity,
                processor=None,
                score_cutoff=FUZZY_CUTOFF,
                limit=MAX_FUZZY_PER_KEY,
            ):
                self._add(found, k, score)
        return found

    def _generating(self, weights: list[float], floor: float) -> list[int]:
        """Query positions whose postings find the candidates: the heaviest keys, until the keys
        left out could not lift an entry that has none of them to ``floor`` (so decisions at or
        above the floor are exact, and common words do not drag in half the knowledge base)."""
        order = sorted(range(len(weights)), key=lambda p: -weights[p])
        total = sum(weights)
        scoring = self.scoring
        share = scoring.entry_share
        chosen: list[int] = []
        left = total
        for position in order:
            rest = left / total
            ceiling = 100.0 * (
                (1 - share) * (scoring.query_share * rest + 1 - scoring.query_share) + share * rest
            )
            if chosen and ceiling < floor:
                break
            chosen.append(position)
            left -= weights[position]
        return chosen

    def content(self, text: str) -> tuple[dict[str, float], ...]:
        """The vocabulary each content word (not a question word) of ``text`` may stand for, with
        its similarity (empty for a word the index does not know): what :meth:`evidence` reads."""
        return tuple(self.expand(k) for k in self.query_keys(text) if k not in self.question_keys)

    def evidence(self, content: tuple[dict[str, float], ...], entry: int) -> float:
        """How much of what the entry is about the query names: the weights of its content words
        (:meth:`content`) that the entry's phrasings hold, as a share of the rarest word's weight. A
        fragment of a long message must name its subject, not only ask "what do I do?"."""
        entry_set = self.entry_keys.get(entry, frozenset())
        weight = self.weight
        found = 0.0
        for expansion in content:
            best = 0.0
            for v in expansion:
                if v in entry_set and weight[v] > best:
                    best = weight[v]
            found += best
        return found / self.rarest

    def search(self, text: str, floor: float = 0.0, limit: int | None = None) -> list[Hit]:
        """Score per entry (0..100), unordered; entries that cannot reach ``floor`` may be left out.
        ``limit``: only the ``limit`` best entries are wanted, so an entry that cannot score as much
        as ``limit`` entries already scored is left out as well (the best ``limit`` are exact)."""
        query_keys = self.query_keys(text)
        if self.question_keys.issuperset(query_keys):  # (the negation is one of them)
            return []  # "kā?", "nē": nothing to match on
        scoring = self.scoring
        expansions = [self.expand(k) for k in query_keys]
        weights = []
        weight_of = self.weight.__getitem__
        for k, expansion in zip(query_keys, expansions, strict=True):
            weight = max(map(weight_of, expansion), default=self.unknown_weight)
            if k in self.question_keys:
                weight = min(weight, scoring.question_weight)
            weights.append(weight)
        query_weight = sum(weights)
        reached: set[int] = set()
        for position in self._generating(weights, floor):
            for vocab_key in expansions[position]:
                reached.update(self.entry_postings[vocab_key])
        if not reached:
            return []  # no key the index knows: nothing to score
        matched: dict[str, float] = {}  # vocabulary key -> best similarity to any query key
        for expansion in expansions:
            for vocab_key, similarity in expansion.items():
                if similarity > matched.get(vocab_key, 0.0):
                    matched[vocab_key] = similarity
        # (weight share, ((vocabulary key, similarity), ...)) per query key that means something
        parts = [
            (weights[position] / query_weight, tuple(expansion.items()))
            for position, expansion in enumerate(expansions)
            if expansion
        ]
        asked = not self.asking_keys.isdisjoint(query_keys)
        requested = not asked and bool(self.actions) and requests_action(text)
        shares = self.shares
        # How much of the query each reached entry explains. No phrasing explains more than its
        # entry, so an entry whose best case stays under the floor is not scored at all; every
        # phrasing of the others is (an entry's best phrasing may share none of the generating
        # keys: issue 14, point 10). What an entry holds of the query is read once per distinct
        # set of matched keys: thousands of entries share one common word and nothing else.
        matched_keys = frozenset(matched)
        query = Query(parts, matched, self.weight)
        held_by: dict[frozenset[str], Held | None] = {}  # None: under the floor
        found: list[tuple[float, int, Held]] = []  # (the most the entry can score, entry, what it holds)
        entry_keys, entry_shares = self.entry_keys, self.entry_shares
        for entry in reached:
            signature = entry_keys[entry] & matched_keys
            held = held_by.get(signature, UNSEEN)
            if held is UNSEEN:
                held = held_by[signature] = holding(signature, query, shares, floor)
            if held is not None:
                found.append((held.bound(shares, entry_shares[entry]), entry, held))
        if limit is not None:
            found.sort(key=lambda item: -item[0])
        negated = NEGATION in query_keys
        results: list[Hit] = []
        kept: list[float] = []  # the ``limit`` best totals so far (a heap)
        boost = max(1.0, scoring.negation_mismatch) * max(1.0, scoring.asked_action, scoring.requested_answer)
        phrasings = Phrasings(self.weight, self.doc_sets, self.doc_weight, self.doc_negated, scoring, negated)
        for bound, entry, held in found:
            if limit is not None and len(kept) >= limit and bound * boost < kept[0] - SLACK:
                break  # this entry, and every one after it, scores under the ``limit`` best
            best = best_phrasing(held, self.entry_docs[entry], phrasings)
            total = 100.0 * ((1 - shares.entry) * best + shares.entry * held.covered)
            if asked and entry in self.actions:
                total *= scoring.asked_action  # "kā atrakstīties" asks; "atrakstiet mani" does
            elif requested and entry not in self.actions:
                total *= scoring.requested_answer  # "atrakstiet mani no vēstulēm": do it, not explain it
            results.append(Hit(entry, total))
            if limit is not None and len(kept) < limit:
                heapq.heappush(kept, total)
            elif limit is not None:
                heapq.heappushpop(kept, total)
        return results


def unknown_share(content: list[tuple[LanguageIndex, tuple[dict[str, float], ...]]]) -> tuple[float, int]:
    """(share of the content words the index does not know, how many content words), from the
    searched index that knows most of them."""
    found = (1.0, 0)
    for _, keys_found in content:
        if keys_found:
            share = sum(1 for expansion in keys_found if not expansion) / len(keys_found)
            if not found[1] or share < found[0]:
                found = (share, len(keys_found))
    return found
