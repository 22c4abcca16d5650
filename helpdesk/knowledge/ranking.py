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
from typing import TYPE_CHECKING

from helpdesk.knowledge.text import NEGATION

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


class Held:
    """What an entry holds of a query: the share of the query it explains (``covered``) and the
    query's matched keys it has with their similarity (``similar``); for the entries that are
    scored, also the query's parts it has and the keys' weight x similarity (:meth:`detail`), in the
    query's order."""

    __slots__ = ("_detail", "covered", "signature", "similar")

    def __init__(
        self,
        signature: frozenset[str],
        parts: Sequence[Part],
        matched: dict[str, float],
    ) -> None:
        """``signature``: the matched keys the entry has."""
        self.signature = signature
        self.covered = explained(parts, signature)
        self.similar = tuple((v, similarity) for v, similarity in matched.items() if v in signature)
        self._detail: tuple[tuple[Part, ...], tuple[tuple[str, float], ...]] | None = None

    def detail(
        self, parts: Sequence[Part], matched: dict[str, float], weight: dict[str, float]
    ) -> tuple[tuple[Part, ...], tuple[tuple[str, float], ...]]:
        """(the query's parts the entry has, with only the pairs it has; its matched keys with their
        weight x similarity), in the query's order; worked out once."""
        if self._detail is None:
            signature = self.signature
            held_parts = []
            for share, pairs in parts:
                held = tuple(pair for pair in pairs if pair[0] in signature)
                if held:
                    held_parts.append((share, held))
            keys = tuple((v, weight[v] * similarity) for v, similarity in matched.items() if v in signature)
            self._detail = (tuple(held_parts), keys)
        return self._detail

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


def best_phrasing(
    held: Held,
    detail: tuple[tuple[Part, ...], tuple[tuple[str, float], ...]],
    docs: Sequence[int],
    doc_sets: Sequence[frozenset[str]],
    doc_weight: Sequence[float],
    scoring: Scoring,
    negated: bool,
) -> float:
    """The best score of one entry's phrasings (``docs``): how much of the query each explains,
    and how much of its own weight the query names. ``detail``: :meth:`Held.detail`."""
    held_parts, held_keys = detail
    query_share = scoring.query_share
    signature = held.signature
    best = -1.0
    for doc in docs:
        doc_set = doc_sets[doc]
        if signature.isdisjoint(doc_set):
            # No matched key: every sum below is 0.0, and so is the score.
            if best < 0.0:
                best = 0.0
            continue
        covered_query = explained(held_parts, doc_set)
        covered_doc = 0.0
        for vocab_key, weighted in held_keys:
            if vocab_key in doc_set:
                covered_doc += weighted
        score = query_share * covered_query + (1 - query_share) * covered_doc / doc_weight[doc]
        if negated != (NEGATION in doc_set):
            score *= scoring.negation_mismatch  # "vēlos jaunumus" is not "nevēlos jaunumus"
        if score > best:
            best = score
    return best
