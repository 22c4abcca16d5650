"""Grouping a pattern's alternatives by first letter (``alternation``) keeps what it matches: the
near-miss patterns of ``scope``, grouped, find a match in exactly the texts the plain ones do."""

from __future__ import annotations

import re

import pytest

from helpdesk.knowledge import scope
from helpdesk.knowledge.alternation import factored, split
from helpdesk.knowledge.reading import shadow
from tests.kb_eval.evaluate import load_queries
from tests.kb_eval.fresh_set import load_items

NAMES = (
    "maxima rimi h&m 220.lv 1a.lv tele2 tele 2 k-senukai ksenukai e-klase eklase ss.lv ss lv lg gaso "
    "rigas siltums daugavpils udens swedbank seb n26 smart-id eparaksts смарт-ид bankas банк "
    "internet-swedbank .maxima x-rimi pensija pensions школа tax taxes kad sak apkure pak paka"
)


def _texts() -> list[str]:
    in_scope, out_of_scope = load_queries()
    texts = [q.text for q in in_scope + out_of_scope] + [item.text for item in load_items("tune")]
    folded = [shadow(text) for text in texts]
    # Every line alone as well: a pattern's edges meet a text's start and end there.
    return folded + [line for text in folded for line in text.splitlines()] + NAMES.split() + [NAMES]


def test_split_keeps_groups_classes_and_escapes_whole() -> None:
    assert split(r"a(?:b|c)|[|\]]d|e\|f|g") == ["a(?:b|c)", r"[|\]]d", r"e\|f", "g"]
    assert split(r"[]|]x|y") == ["[]|]x", "y"]


def test_factored_groups_by_first_letter_and_leaves_the_rest() -> None:
    assert factored(r"ab|ac|b?x|\bd|e") == r"a(?:b|c)|e(?:)|b?x|\bd"


@pytest.mark.parametrize(
    "alternatives",
    [f"{scope._PROVIDERS}|{scope._SUBJECTS}", scope._BANKS, scope._BUILDING],
    ids=["other", "banks", "building"],
)
def test_grouped_patterns_match_the_same_texts(alternatives: str) -> None:
    plain = re.compile(rf"(?<![\w.-])(?:{alternatives})")
    grouped = re.compile(rf"(?<![\w.-])(?:{factored(alternatives)})")
    texts = _texts()
    differ = [text[:60] for text in texts if bool(plain.search(text)) != bool(grouped.search(text))]
    assert differ == []
    assert any(plain.search(text) for text in texts)  # the texts do name such things


def test_a_bank_itself_is_never_found_where_no_bank_or_login_tool_is_named() -> None:
    texts = [*_texts(), "parol internet-swedbank", "log into my seb", "smart-id uz jauno telefonu"]
    found = [text for text in texts if scope.BANK_ITSELF.search(text)]
    assert found
    assert all(scope._BANK_OR_TOOL.search(text) for text in found)
