"""The leave-one-set-out tool (tests/kb_eval/loso.py): its folds, its cut-offs, one tiny run."""

from __future__ import annotations

import pytest

from helpdesk.knowledge import confidence
from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from tests.kb_eval.calibrate import OLD, make_matcher, samples
from tests.kb_eval.fresh_set import Item
from tests.kb_eval.loso import POOLED, Rule, folds, held_out, ruling, summary


def _item(
    item_id: str, evalset: str, expect: tuple[str, ...] = (), text: str = "", half: str = "tune"
) -> Item:
    return Item(item_id, "chat", half, "lv", expect, text or f"text of {item_id}", evalset=evalset)


def test_each_set_is_decided_by_a_model_fitted_on_the_others_and_the_old_queries() -> None:
    items = [_item(f"{n}", name) for n, name in enumerate(("fresh", "dev", "probe", "field", OLD, "fresh"))]
    found = folds(items)
    assert list(found) == ["fresh", "dev", "probe", "field"]  # the old queries are never held out
    assert found["fresh"] == ([1, 2, 3, 4], [0, 5])
    assert found["field"] == ([0, 1, 2, 4, 5], [3])
    for train, test in found.values():
        assert not set(train) & set(test)
        assert 4 in train


def test_a_sealed_item_is_refused() -> None:
    items = [_item("a", "fresh"), _item("b", "dev", half="holdout")]
    with pytest.raises(ValueError, match="sealed"):
        folds(items)


def test_a_rule_holds_only_while_it_decides() -> None:
    knowledge, _ = read_knowledge(knowledge_dirs(None))
    matcher = make_matcher(knowledge)
    before = (matcher.confident, confidence.NOT_DOUBTFUL, confidence.GUESS)
    with ruling(matcher, Rule(confident=0.9, not_doubtful=0.5, guess=0.1)):
        assert (matcher.confident, confidence.NOT_DOUBTFUL, confidence.GUESS) == (0.9, 0.5, 0.1)
    assert (matcher.confident, confidence.NOT_DOUBTFUL, confidence.GUESS) == before


def test_a_tiny_run_decides_every_held_out_item_and_keeps_the_shipped_model() -> None:
    knowledge, _ = read_knowledge(knowledge_dirs(None))
    matcher = make_matcher(knowledge)
    texts = {
        "fresh": ("Līdz kuram datumam jāiesniedz skaitītāju rādījumi?", ("meter-readings-deadline",)),
        "dev": ("Kāds būs laiks nedēļas nogalē Jūrmalā?", ()),
        "probe": ("Kā samaksāt rēķinu internetā?", ("pay-online",)),
        "field": ("Nevaru ielogoties portālā, kas jādara?", ("login-problems",)),
    }
    items = [
        _item(f"{name}-{n}", name, expect, text) for n, (name, (text, expect)) in enumerate(texts.items())
    ]
    items += [
        _item("q-1", OLD, ("meter-readings-deadline",), "kad jānodod ūdens skaitītāju rādījumi"),
        _item("q-2", OLD, (), "Kā samaksāt Elektrum rēķinu internetā?"),  # another company's: wrong if read
    ]
    by_item = [samples(matcher, item) for item in items]
    outcomes = held_out(matcher, items, by_item, Rule())
    assert [o.item.id for o in outcomes] == [item.id for item in items if item.evalset != OLD]
    assert matcher.model is confidence.SHIPPED
    figures = summary(outcomes)
    assert figures[POOLED].messages == 4
    assert figures["fresh"].in_scope == 1
