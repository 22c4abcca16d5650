"""``fold``, word by word with each word remembered, gives what folding the whole text at once gives
(``_fold`` on the whole text: the definition, which ``fold`` applies word by word)."""

from __future__ import annotations

import random

import pytest

from helpdesk.core.text import _fold as whole
from helpdesk.core.text import fold
from tests.kb_eval.evaluate import load_queries
from tests.kb_eval.fresh_set import load_items

EDGES = (
    "",
    "Jānis Bērziņš, Brīvības iela 1-5, Rīga",
    "Пожалуйста, ЙОД и ёлка; ЁЖ",
    "и\u0306 и\u0301\u0306 й\u0306 \u0306и",  # a breve typed apart, after a mark, twice, first
    "a\u0301\u0323 e\u0323\u0301 ΣΑΣ ὈΔΥΣΣΕΎΣ",  # marks to reorder; a final sigma
    "\u1100\u1161\u11a8 \u0b47\u0b3e \u0915\u093c",  # Hangul jamo and Indic signs that compose
    "İstanbul ǅemal ﬁle ẞ",
    "\ud800 lone surrogate",
)


def _random(rng: random.Random) -> str:
    pool = "aāčēģīķļņšūžйиёЁЙ\u0306\u0301\u0323\u0308ΣσςAZ \u1100\u1161\u11a8\u0b47\u0b3e.,?"
    return "".join(rng.choice(pool) for _ in range(rng.randint(0, 12)))


def _texts() -> list[str]:
    in_scope, out_of_scope = load_queries()
    rng = random.Random(7)
    return (
        list(EDGES)
        + [q.text for q in in_scope + out_of_scope]
        + [item.text for item in load_items("tune")]
        + [_random(rng) for _ in range(3000)]
    )


@pytest.mark.parametrize("keep_short_i", [True, False])
def test_fold_is_the_whole(keep_short_i: bool) -> None:
    texts = _texts()
    differ = [text for text in texts if fold(text, keep_short_i=keep_short_i) != whole(text, keep_short_i)]
    assert differ == []
