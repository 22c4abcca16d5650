"""The blind evaluation sets of issue 14 (tests/kb_eval/fresh, dev and probe): floors on the tuning
halves of the sets tuned on (fresh, dev; the probe set has none: nothing was tuned on it), and no KB
phrasing copied from any half of any set.

The sealed halves (fresh/frozen, dev/holdout, probe/holdout2) are never asserted on (their figures
are reported in benchmarks/README.md, so nobody tunes to them), and no sealed text is ever printed:
the copy check names only tuning-half items and counts the sealed ones.
"""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD, MARGIN, KnowledgeMatcher
from helpdesk.knowledge.reading import parse
from helpdesk.knowledge.text import undigraph, words
from tests.kb_eval.fresh_eval import ALL, Key, Score, matcher_reader, read, score
from tests.kb_eval.fresh_set import SETS, TUNE, Item, load_items

# Floors a little under each tuning half's figures when they were set, so a change that loses
# ground fails; issue 14's goals are the frozen half's (in scope 85 %, mail 80 %, out of scope 95 %,
# wrong 1 %), reported, not asserted. The dev set's writers are harder to read (dialects,
# voice-to-text, Ukrainian-Russian): its floors are lower.
FLOORS = {
    "fresh": {"in_scope": 0.85, "mail": 0.77, "out_of_scope": 0.97, "wrong": 0.015, "language": 0.99},
    "dev": {"in_scope": 0.62, "mail": 0.46, "out_of_scope": 0.95, "wrong": 0.04, "language": 0.98},
}
NEAR_COPY = 90  # rapidfuzz ratio of normalised texts at or above which a phrasing copies an item
# Only phrasings of this many words count: the whole-sentence and e-mail forms are what could be
# copied, while a shorter question is what anyone writes (at six words, five frozen items and one
# tuning item met phrasings shipped before the set was written, by its authors blind to the KB).
COPY_MIN_WORDS = 8


@pytest.fixture(scope="module")
def tuning() -> dict[Key, Score]:
    knowledge, problems = read_knowledge(knowledge_dirs(None))
    assert not problems
    matcher = KnowledgeMatcher(knowledge, threshold=ANSWER_THRESHOLD, margin=MARGIN)
    items = [item for name in FLOORS for item in load_items(TUNE, evalset=SETS[name])]
    return score(read(matcher_reader(matcher), items))


@pytest.mark.parametrize("evalset", list(FLOORS))
def test_tuning_half_floors(tuning: dict[Key, Score], evalset: str) -> None:
    floors = FLOORS[evalset]
    every = tuning[evalset, TUNE, ALL]
    mail = tuning[evalset, TUNE, "mail"]
    figures = (
        f"in scope {every.correct_rate:.1%}, mail {mail.correct_rate:.1%}, out of scope not answered "
        f"{every.rejection:.1%}, wrong {every.wrong_rate:.1%}, wrong actions {every.wrong_actions}, "
        f"reply language {every.language_rate:.1%} "
        f"(python -m tests.kb_eval.fresh_eval --set {evalset} --half tune --show)"
    )
    assert every.correct_rate >= floors["in_scope"], figures
    assert mail.correct_rate >= floors["mail"], figures
    assert every.rejection >= floors["out_of_scope"], figures
    assert every.wrong_rate <= floors["wrong"], figures
    assert every.wrong_actions == 0, figures
    assert (every.language_rate or 0.0) >= floors["language"], figures


def _normalised(text: str) -> str:
    return " ".join(undigraph(word) for word in words(text))


def _pieces(item: Item) -> list[str]:
    """The item as a whole and sentence by sentence (a phrasing may copy one sentence of a mail)."""
    return [_normalised(item.text), *(_normalised(span.text) for span in parse(item.text).sentences)]


def test_no_phrasing_copies_a_blind_item() -> None:
    """The blind sets' figures mean something only if the KB was not written from them: no phrasing
    or title of ``COPY_MIN_WORDS`` words or more may be a (near) copy of an item, or of one sentence
    of an item, of any half of any set (the probe set's too: it was written after the KB, so a copy
    there means the KB has since been written from it)."""
    knowledge, _ = read_knowledge(knowledge_dirs(None))
    phrasings = {
        _normalised(text)
        for entry in knowledge.entries
        for language in entry.texts
        for text in entry.matching_texts(language)
        if len(words(text)) >= COPY_MIN_WORDS
    }
    copied_tune: list[str] = []
    copied_sealed = 0
    for item in (item for evalset in SETS.values() for item in load_items(evalset=evalset)):
        pieces = _pieces(item)
        copied = any(fuzz.ratio(piece, phrasing) >= NEAR_COPY for piece in pieces for phrasing in phrasings)
        if copied and item.half == TUNE:
            copied_tune.append(item.id)
        elif copied:
            copied_sealed += 1
    assert (copied_tune, copied_sealed) == ([], 0), (
        "rewrite the phrasings that copy these tuning items (sealed ones are only counted)"
    )
