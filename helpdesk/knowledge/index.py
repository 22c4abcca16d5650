"""One language's index: every phrasing as a set of keys, an inverted index, and key weights.

A query key meets the vocabulary exactly, by a shared prefix (Latvian compounds and verb forms the
light stemmer leaves apart), or by edit similarity (typos). Only phrasings that share a key with the
query are scored, so the cost follows the query, not the size of the knowledge base.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from helpdesk.knowledge.text import keys

MIN_FUZZY_LENGTH = 4  # shorter keys are too easy to confuse ("kad"/"kas")
FUZZY_CUTOFF = 80.0  # rapidfuzz ratio for a typo
MIN_PREFIX = 4
MAX_FUZZY_PER_KEY = 3


@dataclass(frozen=True, slots=True)
class Scoring:
    """How a phrasing's score is put together; the defaults are calibrated on tests/kb_eval."""

    query_share: float = 0.6  # weight of "how much of the query the phrasing explains"
    unknown_weight: float = 2.0  # weight of a query key that means nothing to the index
    prefix_floor: float = 0.6


@dataclass(frozen=True, slots=True)
class Hit:
    entry: int  # position of the entry in the matcher's list
    score: float


class LanguageIndex:
    def __init__(
        self, language: str, texts: Sequence[tuple[int, str]], scoring: Scoring | None = None
    ) -> None:
        """``texts``: (entry position, phrasing) pairs in this language."""
        self.language = language
        self.scoring = scoring or Scoring()
        doc_keys: list[tuple[str, ...]] = []
        doc_entry: list[int] = []
        entries_with: dict[str, set[int]] = defaultdict(set)
        for entry, text in texts:
            found = tuple(keys(text, language))
            if not found:
                continue
            doc_keys.append(found)
            doc_entry.append(entry)
            for k in found:
                entries_with[k].add(entry)
        entry_count = len({entry for entry, _ in texts}) or 1
        self.idf: dict[str, float] = {
            k: math.log((entry_count + 1) / (len(owners) + 0.5)) + 0.1 for k, owners in entries_with.items()
        }
        self.doc_keys = doc_keys
        self.doc_entry = doc_entry
        self.doc_weight = [sum(self.idf[k] for k in found) for found in doc_keys]
        postings: dict[str, list[int]] = defaultdict(list)
        for doc, found in enumerate(doc_keys):
            for k in found:
                postings[k].append(doc)
        self.postings = dict(postings)
        self.sorted_vocab = sorted(self.postings)
        by_length: dict[int, list[str]] = defaultdict(list)
        for k in self.sorted_vocab:
            by_length[len(k)].append(k)
        self.by_length = dict(by_length)

    @property
    def vocabulary(self) -> frozenset[str]:
        return frozenset(self.postings)

    def expand(self, query_key: str) -> dict[str, float]:
        """Vocabulary keys this query key may stand for, with a similarity in 0..1."""
        if query_key in self.postings:
            return {query_key: 1.0}
        found: dict[str, float] = {}
        if len(query_key) >= MIN_PREFIX:
            floor = self.scoring.prefix_floor
            for length in range(len(query_key) - 1, MIN_PREFIX - 1, -1):  # the query key extends a key
                head = query_key[:length]
                if head in self.postings:
                    found[head] = floor + (1 - floor) * length / len(query_key)
                    break
            start = bisect.bisect_left(self.sorted_vocab, query_key)  # a key extends the query key
            for k in self.sorted_vocab[start : start + MAX_FUZZY_PER_KEY]:
                if not k.startswith(query_key):
                    break
                found[k] = max(found.get(k, 0.0), floor + (1 - floor) * len(query_key) / len(k))
        if len(query_key) >= MIN_FUZZY_LENGTH:
            nearby = [
                k
                for length in range(len(query_key) - 2, len(query_key) + 3)
                for k in self.by_length.get(length, ())
            ]
            for k, score, _ in process.extract(
                query_key,
                nearby,
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=FUZZY_CUTOFF,
                limit=MAX_FUZZY_PER_KEY,
            ):
                found[k] = max(found.get(k, 0.0), score / 100.0)
        return found

    def search(self, query_keys: Sequence[str]) -> list[Hit]:
        """Best score per entry (0..100), best first."""
        if not query_keys:
            return []
        expansions = [self.expand(k) for k in query_keys]
        weights = [
            max((self.idf[v] for v in expansion), default=self.scoring.unknown_weight)
            for expansion in expansions
        ]
        query_weight = sum(weights)
        # doc -> per query key the best similarity, and per doc key the best similarity
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
        share = self.scoring.query_share
        best: dict[int, float] = {}
        for doc, hits in query_hits.items():
            covered_query = sum(weights[p] * s for p, s in hits.items()) / query_weight
            covered_doc = sum(self.idf[k] * s for k, s in doc_hits[doc].items()) / self.doc_weight[doc]
            score = 100.0 * (share * covered_query + (1 - share) * covered_doc)
            entry = self.doc_entry[doc]
            if score > best.get(entry, 0.0):
                best[entry] = score
        return sorted((Hit(entry, score) for entry, score in best.items()), key=lambda hit: -hit.score)
