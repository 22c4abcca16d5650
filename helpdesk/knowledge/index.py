"""One language's index: every phrasing as a set of keys, an inverted index, and key weights.

A query key meets the vocabulary exactly, through a synonym group, by a shared prefix (Latvian
compounds and verb forms the light stemmer leaves apart), or by edit similarity (typos). Only
phrasings that share a key with the query are scored, so the cost follows the query, not the size
of the knowledge base.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from helpdesk.knowledge.text import NEGATION, QUESTION_WORDS, key, keys

MIN_FUZZY_LENGTH = 4  # shorter keys are too easy to confuse ("kad"/"kas")
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio for a typo
MIN_PREFIX = 4
MIN_PREFIX_RATIO = 0.5  # a shared beginning must be at least half of the longer key
MAX_FUZZY_PER_KEY = 3


@dataclass(frozen=True, slots=True)
class Scoring:
    """How a score is put together; the defaults are calibrated on tests/kb_eval."""

    query_share: float = 0.4  # phrasing score: weight of "how much of the query it explains"
    entry_share: float = 0.4  # weight of "how much of the query the whole entry explains"
    unknown_weight: float = 2.0  # weight of a query key that means nothing to the index
    question_weight: float = 0.6  # most a question word ("kad", "how") weighs


@dataclass(frozen=True, slots=True)
class Hit:
    entry: int  # position of the entry in the matcher's list
    score: float


def synonym_map(groups: Iterable[Sequence[str]], language: str) -> dict[str, str]:
    """Key of every word of a group -> key of the group's first word."""
    canonical: dict[str, str] = {}
    for group in groups:
        group_keys = [found[0] for word in group if len(found := keys(word, language)) == 1]
        if len(group_keys) < 2:
            continue
        for member in group_keys[1:]:
            if member != group_keys[0]:
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
    ) -> None:
        """``texts``: (entry position, phrasing) pairs in this language."""
        self.language = language
        self.scoring = scoring or Scoring()
        self.canonical = synonym_map(synonyms, language)
        self.question_keys = frozenset(key(word, language) for word in QUESTION_WORDS.get(language, ()))
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
        self.doc_keys = doc_keys
        self.doc_entry = doc_entry
        self.doc_weight = [sum(self.weight[k] for k in found) for found in doc_keys]
        postings: dict[str, list[int]] = defaultdict(list)
        for doc, found in enumerate(doc_keys):
            for k in found:
                postings[k].append(doc)
        self.postings = dict(postings)
        # What a query key may be compared with: the vocabulary and every synonym of it.
        lookup = set(self.postings) | {k for k, target in self.canonical.items() if target in self.postings}
        self.sorted_lookup = sorted(lookup)
        by_length: dict[int, list[str]] = defaultdict(list)
        for k in self.sorted_lookup:
            by_length[len(k)].append(k)
        self.by_length = dict(by_length)

    def query_keys(self, text: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.canonical.get(k, k) for k in keys(text, self.language)))

    def _add(self, found: dict[str, float], lookup_key: str, similarity: float) -> None:
        target = self.canonical.get(lookup_key, lookup_key)
        if target in self.postings and similarity > found.get(target, 0.0):
            found[target] = similarity

    def expand(self, query_key: str) -> dict[str, float]:
        """Vocabulary keys this (canonical) query key may stand for, with a similarity in 0..1."""
        if query_key in self.postings:
            return {query_key: 1.0}
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
            nearby = [k for length in range(size - 2, size + 3) for k in self.by_length.get(length, ())]
            for k, score, _ in process.extract(
                query_key,
                nearby,
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=FUZZY_CUTOFF,
                limit=MAX_FUZZY_PER_KEY,
            ):
                self._add(found, k, score / 100.0)
        return found

    def search(self, text: str) -> list[Hit]:
        """Best score per entry (0..100), best first."""
        query_keys = self.query_keys(text)
        if all(k in self.question_keys or k == NEGATION for k in query_keys):
            return []  # "kā?", "nē": nothing to match on
        scoring = self.scoring
        expansions = [self.expand(k) for k in query_keys]
        weights = []
        for k, expansion in zip(query_keys, expansions, strict=True):
            weight = max((self.weight[v] for v in expansion), default=scoring.unknown_weight)
            if k in self.question_keys:
                weight = min(weight, scoring.question_weight)
            weights.append(weight)
        query_weight = sum(weights)
        # per doc: the best similarity per query key, and per doc key
        query_hits: dict[int, dict[int, float]] = defaultdict(dict)
        doc_hits: dict[int, dict[str, float]] = defaultdict(dict)
        for position, expansion in enumerate(expansions):
            for vocab_key, similarity in expansion.items():
                for doc in self.postings[vocab_key]:
                    hits = query_hits[doc]
                    if similarity > hits.get(position, 0.0):
                        hits[position] = similarity
                    matched = doc_hits[doc]
                    if similarity > matched.get(vocab_key, 0.0):
                        matched[vocab_key] = similarity
        best: dict[int, float] = {}
        entry_hits: dict[int, dict[int, float]] = defaultdict(dict)
        for doc, hits in query_hits.items():
            covered_query = sum(weights[p] * s for p, s in hits.items()) / query_weight
            covered_doc = sum(self.weight[k] * s for k, s in doc_hits[doc].items()) / self.doc_weight[doc]
            score = scoring.query_share * covered_query + (1 - scoring.query_share) * covered_doc
            entry = self.doc_entry[doc]
            if score > best.get(entry, 0.0):
                best[entry] = score
            union = entry_hits[entry]
            for p, s in hits.items():
                if s > union.get(p, 0.0):
                    union[p] = s
        share = scoring.entry_share
        results = []
        for entry, score in best.items():
            covered = sum(weights[p] * s for p, s in entry_hits[entry].items()) / query_weight
            results.append(Hit(entry, 100.0 * ((1 - share) * score + share * covered)))
        results.sort(key=lambda hit: -hit.score)
        return results
