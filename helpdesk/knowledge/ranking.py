"""Scoring the entries a query reaches (:meth:`helpdesk.knowledge.index.LanguageIndex.search`), with
the bounds that let the search skip an entry without changing any score it returns.

A score is read from two things: what of the query an entry holds (the query's keys in its
phrasings) and its best phrasing. What an entry holds depends only on which of the query's
matched keys it has, so :class:`Held` is worked out once per distinct set of them: on a large
knowledge base thousands of entries share one common word and nothing else. :meth:`Held.bound` is
the most any phrasing of the entry can score; the search scores entries best bound first and stops
once no bound left can reach the scores it must return.

Every sum here adds the same numbers in the same order as a sum over all the query's keys would,
only without the terms that are exactly 0.0 (a key the entry or phrasing lacks), so each score is
the same float as before to the last bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from helpdesk.knowledge.index import Scoring

#: (weight share, ((vocabulary key, similarity), ...)): one query key that means something.
Part = tuple[float, tuple[tuple[str, float], ...]]

#: A bound is compared with this much room, so rounding in a sum's last bits never leaves out an
#: entry that ties the last score the search must return.
SLACK = 1e-6


@dataclass(frozen=True, slots=True)
class Shares:
    """How a score weighs the query's side against the entry's (``Scoring``'s two shares)."""

    query: float
    entry: float

    def floor_ceiling(self, covered: float) -> float:
        """The most an entry explaining ``covered`` of the query can score: what decides, against
        the floor, whether it is scored at all."""
        return 100.0 * ((1 - self.entry) * (self.query * covered + 1 - self.query) + self.entry * covered)


class Query:
    """What a search knows of its query: its parts (:data:`Part`), the vocabulary keys it matched
    with their best similarity (in the order the sums read them), their weights, and which parts
    each key is in."""

    __slots__ = ("matched", "order", "part_index", "parts", "weight")

    def __init__(self, parts: Sequence[Part], matched: dict[str, float], weight: dict[str, float]) -> None:
        self.parts = parts
        self.matched = matched
        self.weight = weight
        self.order = {vocab_key: position for position, vocab_key in enumerate(matched)}
        part_index: dict[str, list[int]] = {}
        for position, (_share, pairs) in enumerate(parts):
            for vocab_key, _similarity in pairs:
                found = part_index.setdefault(vocab_key, [])
                if not found or found[-1] != position:
                    found.append(position)
        self.part_index = part_index


class Held:
    """What an entry holds of a query, given the query's matched keys it has (``signature``): the
    parts of the query it holds, with only the pairs it holds (``parts``), the share of the query
    they explain (``covered``), and its matched keys with their similarity (``similar``), in the
    query's order. Built (by :func:`holding`) from the few parts its keys are in, not from every
    part of a long query, and only for an entry that can reach the floor; ``parts`` only when
    first read, as most of those are never scored."""

    __slots__ = ("_keys", "_parts", "_query", "_touched", "covered", "signature", "similar", "sums")

    def __init__(self, signature: frozenset[str], query: Query, touched: list[int], covered: float) -> None:
        self.signature = signature
        self._query = query
        self._touched = touched
        self.covered = covered
        matched, order = query.matched, query.order
        self.similar = tuple([(v, matched[v]) for v in sorted(signature, key=order.__getitem__)])
        self._parts: tuple[Part, ...] | None = None
        self._keys: tuple[tuple[str, float], ...] | None = None
        # (share of the query explained, weight of the phrasing named) per set of its keys a
        # phrasing holds: an entry's phrasings, and the entries that hold the same keys, repeat them.
        self.sums: dict[frozenset[str], tuple[float, float]] = {}

    @property
    def parts(self) -> tuple[Part, ...]:
        if self._parts is None:
            parts, signature = self._query.parts, self.signature
            self._parts = tuple(
                [
                    (parts[position][0], tuple([pair for pair in parts[position][1] if pair[0] in signature]))
                    for position in self._touched
                ]
            )
        return self._parts

    def keys(self, weight: dict[str, float]) -> tuple[tuple[str, float], ...]:
        """Its matched keys with their weight x similarity, in the query's order (worked out once)."""
        if self._keys is None:
            self._keys = tuple((v, weight[v] * similarity) for v, similarity in self.similar)
        return self._keys

    def bound(self, shares: Shares, key_shares: dict[str, float]) -> float:
        """The most a phrasing of the entry can score (before any factor above 1 a ``Scoring``
        may have): it explains at most ``covered`` of the query, and the query names at most, of
        its weight, each held key's largest share of a phrasing that holds it (``key_shares``),
        times its similarity, and at most all of it."""
        named = 0.0
        for vocab_key, similarity in self.similar:
            named += similarity * key_shares[vocab_key]
        named = min(1.0, named)
        return 100.0 * (
            (1 - shares.entry) * (shares.query * self.covered + (1 - shares.query) * named)
            + shares.entry * self.covered
        )


#: What a search's table of :class:`Held` by signature gives for a signature not read yet (it
#: keeps None for one under the floor).
UNSEEN = Held.__new__(Held)


def holding(signature: frozenset[str], query: Query, shares: Shares, floor: float) -> Held | None:
    """What an entry whose matched keys are ``signature`` holds of the query, or None when no
    phrasing of it can reach ``floor`` (most entries a search meets: nothing more is built)."""
    part_index, parts = query.part_index, query.parts
    touched = sorted({position for v in signature for position in part_index[v]})
    # :func:`explained` over the parts it holds, without building them: the same sum, as the parts
    # it lacks would each add exactly 0.0 and the pairs it lacks are skipped there too.
    covered = 0.0
    for position in touched:
        share, pairs = parts[position]
        hit = 0.0
        for vocab_key, similarity in pairs:
            if similarity > hit and vocab_key in signature:
                hit = similarity
        covered += share * hit
    if shares.floor_ceiling(covered) < floor:
        return None
    return Held(signature, query, touched, covered)


def explained(parts: Sequence[Part], keys: AbstractSet[str]) -> float:
    """The share of the query that ``keys`` explain: each part's weight share times its best
    similarity among them, summed in the parts' order."""
    covered = 0.0
    for share, pairs in parts:
        hit = 0.0
        for vocab_key, similarity in pairs:
            if similarity > hit and vocab_key in keys:
                hit = similarity
        covered += share * hit
    return covered


class Phrasings(NamedTuple):
    """What scoring an entry's phrasings reads besides the entry, the same for every entry of one
    search: the index's key weights, each phrasing's keys, weight and whether it is negated, and
    whether the query is."""

    weight: dict[str, float]
    doc_sets: Sequence[frozenset[str]]
    doc_weight: Sequence[float]
    doc_negated: Sequence[bool]  # NEGATION in the phrasing's keys
    scoring: Scoring
    negated: bool


def best_phrasing(held: Held, docs: Sequence[int], phrasings: Phrasings) -> float:
    """The best score of one entry's phrasings (``docs``): how much of the query each explains,
    and how much of its own weight the query names."""
    weight, doc_sets, doc_weight, doc_negated, scoring, negated = phrasings
    held_parts, held_keys = held.parts, held.keys(weight)
    query_share = scoring.query_share
    doc_share = 1 - query_share  # the same float the sum below always multiplied by
    mismatch = scoring.negation_mismatch
    signature, sums = held.signature, held.sums
    best = -1.0
    for doc in docs:
        found = signature & doc_sets[doc]
        if not found:
            # No matched key: every sum below is 0.0, and so is the score.
            if best < 0.0:
                best = 0.0
            continue
        # Both sums read only which of the entry's matched keys the phrasing holds: worked out
        # once per such set (the same numbers added in the same order as over the whole phrasing).
        pair = sums.get(found)
        if pair is None:
            covered_doc = 0.0
            for vocab_key, weighted in held_keys:
                if vocab_key in found:
                    covered_doc += weighted
            pair = sums[found] = (explained(held_parts, found), covered_doc)
        covered_query, covered_doc = pair
        score = query_share * covered_query + doc_share * covered_doc / doc_weight[doc]
        if negated != doc_negated[doc]:
            score *= mismatch  # "vēlos jaunumus" is not "nevēlos jaunumus"
        if score > best:
            best = score
    return best
