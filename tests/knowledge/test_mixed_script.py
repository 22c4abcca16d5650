"""A line that mixes Cyrillic and Latvian (issue 14): the reply is in the language of most of its
words, and the portal's Latvian words in a Russian line meet the Russian ones. Messages written for
this test."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Decision
from helpdesk.knowledge.matcher import KnowledgeMatcher


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("как передать rādījumus через portālu?", "ru"),
        ("я jau samaksāju, а в кабинете parāds", "ru"),
        ("mans счёт nav atnācis šomēnes", "lv"),
        ("где мой счёт за май?", "ru"),
        ("kur ir mans rēķins par maiju?", "lv"),
    ],
)
def test_a_mixed_line_is_in_the_language_of_most_of_its_words(
    matcher: KnowledgeMatcher, text: str, language: str
) -> None:
    assert matcher.read(text).language == language


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("в этом месяце не пришёл rēķins, что делать?", "invoice-missing"),
        ("как сменить e-pastu, на который приходят счета?", "change-invoice-email"),
        ("у меня parāds, хотя я всё оплатила. Почему?", "paid-still-debt"),
    ],
)
def test_the_portal_s_latvian_words_in_a_russian_line_are_read(
    matcher: KnowledgeMatcher, text: str, entry: str
) -> None:
    answers = [part.entry for part in matcher.read(text).parts if part.decision is Decision.ANSWER]
    assert answers == [entry]
