"""The ranking measure of issue 14 (tests/kb_eval/rank_eval.py): what it counts, and a floor for the
one figure no eval item was tuned on, the KB's own phrasings cross-validated."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.matcher import MARGIN, KnowledgeMatcher
from helpdesk.knowledge.model import KnowledgeBase
from tests.kb_eval.rank_eval import FOLDS, _fold, kb_cv, measure

# Measured when the script was written: 77.1 % of the KB's phrasings are ranked first by an index
# built without their fold (lv 78.9, ru 75.3, en 77.0 %). A ranking change that loses two points
# here ranks unseen wording worse, whatever it does to the tuning halves.
KB_CV_FLOOR = 0.75


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    found, _ = read_knowledge(knowledge_dirs(None))
    return found


def test_every_phrasing_has_one_fold(knowledge: KnowledgeBase) -> None:
    folds = {_fold(p) for e in knowledge.entries for t in e.texts.values() for p in t.phrasings}
    assert folds == set(range(FOLDS))


def test_kb_cross_validated_rank1_keeps_its_floor(knowledge: KnowledgeBase) -> None:
    found = kb_cv(knowledge, MARGIN)
    total = found["all"]
    assert total.messages == sum(len(t.phrasings) for e in knowledge.entries for t in e.texts.values())
    assert total.whole1 / total.messages >= KB_CV_FLOOR
    assert total.whole1 <= total.whole3


def test_a_two_question_message_counts_each_question_in_its_own_piece(knowledge: KnowledgeBase) -> None:
    """Two phrasings of different entries, taken from the KB itself, as two sentences: the whole
    message can rank only one of them first; its pieces rank both."""
    matcher = KnowledgeMatcher(knowledge, threshold=0.0, margin=MARGIN)
    by_id = {entry.id: entry for entry in knowledge.entries}
    first = by_id["meter-readings-deadline"].texts["lv"].phrasings[0]
    second = by_id["pay-online"].texts["lv"].phrasings[0]
    tally = measure(matcher, f"{first}? {second}?", ("meter-readings-deadline", "pay-online"))
    assert (tally.messages, tally.expected) == (1, 2)
    assert tally.pieces1 == 2
    assert tally.whole1 == 1  # the best entry of the whole is one of the two
