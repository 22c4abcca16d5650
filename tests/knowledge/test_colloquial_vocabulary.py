"""Residents' own words for the invoice and the portal: Russian "платёжка"/"квиток", Latvian "kvīts",
expats' English (e-billing, cut-off, direct debit) and Latin-letter Russian. The knowledge base
phrased these questions in its own terms, so such a wording met no phrasing or fell to a neighbour
("не пришла платежка" was read as a payment that does not show). Every message here was written for
this test, not taken from an evaluation set, and none is one of the phrasings added for it."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.matcher import KnowledgeMatcher
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # The synonyms: "kvīts", "платёжка" and "квиток" are the invoice (synonyms.yaml).
        ("kvīts nav atnākusi", "invoice-missing"),
        ("atsūtiet kvīti", "action:invoice"),
        ("пришлите платёжку", "action:invoice"),
        ("не пришла платежка", "invoice-missing"),
        ("квиток приходит в бумажном виде, можно на почту?", "paper-to-email"),
        # The phrasings: words the entries did not use.
        ("can I get e-billing instead of letters", "paper-to-email"),
        ("данные храните вечно или удаляете?", "privacy-retention"),
        ("the money left my bank but the portal still shows it unpaid", "paid-still-debt"),
        ("kvīti var dabūt e-pastā, nevis papīrā?", "paper-to-email"),
        ("is there a penalty if I pay the utility bill a week late", "late-fee"),
        ("I forgot the cut-off and didn't send the water readings", "meter-readings-missed"),
        ("oshiblas v pokazanijah vody, kak ispravit", "meter-readings-fix"),
    ],
)
def test_residents_words_answer(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    assert answered(matcher, text) == [entry]


@pytest.mark.parametrize(
    "text",
    [
        # A bus ticket or a shop's receipt is not the invoice, though "квиток"/"kvīts" now are.
        "купил квиток на автобус, а он не работает",
        "kvīti no veikala pazaudēju",
        # Locked out of the flat is not a login problem: no phrasing says "locked out".
        "I'm locked out of my flat, I lost my keys",
    ],
)
def test_the_same_words_elsewhere_answer_nothing(matcher: KnowledgeMatcher, text: str) -> None:
    assert answered(matcher, text) == []
