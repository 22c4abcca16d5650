"""Findings of the second walk through the helpdesk as residents write (owners abroad, pensioners
dictating, accountants, tenants). Every message here was written for this test, not taken from an
evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import MessageKind
from helpdesk.knowledge.matcher import KnowledgeMatcher


@pytest.mark.parametrize(
    "text",
    [
        # "do" is English and Russian ("до") alike: it once outvoted "spasibo" and the goodbye
        # was read, and answered, as English.
        "ponjatno, spasibo, do svidanija",
        "vsjo jasno, spasibo, do svidanija",
    ],
)
def test_a_word_both_languages_know_does_not_vote(matcher: KnowledgeMatcher, text: str) -> None:
    assert matcher.read(text, "lv").language == "ru"


def test_english_with_do_stays_english(matcher: KnowledgeMatcher) -> None:
    reading = matcher.read("do you send invoices by post?", "lv")
    assert reading.language == "en"
    assert reading.kind is MessageKind.QUESTION
