"""The index's ``limit``: a search that needs only the best few entries skips the entries that
cannot be among them, and returns those few with exactly the scores a full search gives them.

Measured on a knowledge base with generated distractors (benchmarks/kb_match.py's, the slow case:
common words shared by hundreds of entries), where the skipping does the most."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.index import Hit
from helpdesk.knowledge.language import indexes_for
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD, MARGIN, KnowledgeMatcher
from tests.benchmark_module import load_benchmark
from tests.kb_eval.evaluate import load_queries
from tests.kb_eval.fresh_set import load_items

LIMIT = 10


@pytest.fixture(scope="module")
def matcher() -> KnowledgeMatcher:
    knowledge, problems = read_knowledge(knowledge_dirs(None))
    assert not problems
    return KnowledgeMatcher(
        load_benchmark("kb_match").synthetic(knowledge, 800), threshold=ANSWER_THRESHOLD, margin=MARGIN
    )


def _texts() -> list[str]:
    in_scope, out_of_scope = load_queries()
    return [q.text for q in in_scope + out_of_scope] + [item.text for item in load_items("tune")]


def _best(hits: list[Hit]) -> list[tuple[int, float]]:
    """The ``LIMIT`` best, and every entry that ties the last of them."""
    ranked = sorted(((hit.entry, hit.score) for hit in hits), key=lambda pair: (-pair[1], pair[0]))
    if len(ranked) <= LIMIT:
        return ranked
    last = ranked[LIMIT - 1][1]
    return [pair for pair in ranked if pair[1] >= last]


@pytest.mark.parametrize("floor", [0.0, 44.0])
def test_a_limited_search_keeps_the_best_entries_and_their_scores(
    matcher: KnowledgeMatcher, floor: float
) -> None:
    differ = []
    skipped = 0
    for text in _texts():
        for language, index in matcher.indexes.items():
            full = index.search(text, floor)
            limited = index.search(text, floor, LIMIT)
            skipped += len(full) - len(limited)
            if _best(limited) != _best(full):
                differ.append((text[:60], language))
    assert differ == []
    assert skipped > 0  # the case the limit is for did occur


def test_scores_are_the_full_search_ranked(matcher: KnowledgeMatcher) -> None:
    """:meth:`KnowledgeMatcher.scores` (limited) ranks as the best of the unlimited searches do."""
    differ = []
    for text in _texts():
        language = matcher.detect_language(text, "lv")
        best: dict[int, float] = {}
        for index_language in indexes_for(text):
            for hit in matcher.indexes[index_language].search(text, 44.0):
                if hit.score > best.get(hit.entry, 0.0):
                    best[hit.entry] = hit.score
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:LIMIT]
        expected = [(matcher.entries[position].id, round(score, 1)) for position, score in ranked]
        got = [(c.entry, c.score) for c in matcher.scores(text, language, floor=44.0)]
        if got != expected:
            differ.append(text[:60])
    assert differ == []
