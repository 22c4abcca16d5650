"""The reply is in the language of the message's own words: a greeting never decides it, and in a
message that mixes languages the function words (pronouns, prepositions, question words) say which
language the resident speaks (helpdesk/knowledge/language.py). Every message here is invented."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from helpdesk.knowledge.language import russian_frame
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import ungreeted


@pytest.mark.parametrize(
    "text",
    [
        "sveiki, a kak mne uzlikt rēķinu uz e-pastu?",
        "labdien, podskazhite gde moj schet?",
        "labdien, kak mne samaksat rekinu",
        "Sveiki! a gde?",
        "labdien, podskazhite",  # one word, and it is Russian
        "sveiki, spasibo",  # thanks in Russian after a Latvian greeting
        "labdien, как iesniegt rādījumus?",  # Cyrillic after a Latvian greeting
        "sveiki, спасибо",
        "hello, a kak oplatit?",
    ],
)
def test_a_latvian_or_english_greeting_does_not_decide(matcher: KnowledgeMatcher, text: str) -> None:
    assert matcher.read(text).language == "ru"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Labdien!", "lv"),  # a greeting alone is all there is
        ("Labdien, paldies", "lv"),
        ("privet, how do I submit meter readings?", "en"),
        ("sveiki, kur ir mans rekins?", "lv"),
        ("labdien, rēķins за ноябрь nav atnācis, почему tā?", "lv"),  # as many Latvian function words
        ("Labdien, ja nevaru ielogoties", "lv"),  # "ja" is Latvian too: it votes for neither
        ("Labdien, how do I pay the invoice?", "en"),
    ],
)
def test_the_content_keeps_its_own_language(matcher: KnowledgeMatcher, text: str, language: str) -> None:
    assert matcher.read(text).language == language


def _reader(russian: dict[str, str], latin: set[str]) -> Callable[[str], tuple[str, bool, bool]]:
    def read(token: str) -> tuple[str, bool, bool]:
        return russian.get(token, token), token in russian, token in latin

    return read


def test_function_words_vote_and_content_words_do_not() -> None:
    read = _reader({"kak": "как", "mne": "мне", "a": "а", "ne": "не"}, {"a", "ne", "kur", "ir"})
    assert russian_frame("a kak mne uzlikt automātisko maksājumu", read)
    assert not russian_frame("kur ir automātiskais maksājums", read)
    assert not russian_frame("a ne", read)  # both languages' words vote for neither
    assert russian_frame("как iesniegt rādījumus", read)
    assert not russian_frame("за ноябрь nav atnācis, почему tā", read)  # 2 against 2


def test_only_a_greeting_with_words_after_it_is_left_out() -> None:
    assert ungreeted("sveiki, spasibo") == "spasibo"
    assert ungreeted("Labdien!") == "Labdien!"
    assert ungreeted("kak dela") == "kak dela"
