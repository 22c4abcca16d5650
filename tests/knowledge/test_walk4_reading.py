"""The reading rules behind the fourth walk's chat findings (``tests/handlers/test_walk4.py``), with
their negatives: asking to be told is an indirect question only when what is asked follows it; a
second request after "and also" / "и ещё" / "un vēl" is a clause of its own; Latin-letter Russian
goodbyes close a conversation. Every message was written for this walk."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import MessageKind
from helpdesk.knowledge.asking import QUESTION, REQUEST
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import parse, shadow


@pytest.mark.parametrize(
    "sentence",
    [
        "Подскажите пожалуйста, где хранятся мои данные",
        "скажите мне, когда придёт счёт",
        "podskazhite pozhalujsta kak podat pokazanija",
        "Lūdzu pasakiet, kur tiek glabāti mani dati",
        "Please tell me where my data is stored",
        "let me know when the invoice comes",
    ],
)
def test_asking_to_be_told_what_follows_is_a_question(sentence: str) -> None:
    assert QUESTION.search(shadow(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "Pasakiet kolēģiem paldies",
        "Скажите спасибо мастеру от меня",
        "Please tell the manager I am grateful",
        "Explain it to my son, he pays the bills",
    ],
)
def test_asking_to_be_told_with_no_question_word_after_it_is_none(sentence: str) -> None:
    assert not QUESTION.search(shadow(sentence))


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        (
            "Unsubscribe me from the news, and also tell me how to submit meter readings",
            ["Unsubscribe me from the news", "and also tell me how to submit meter readings"],
        ),
        (
            "Отпишите меня от новостей, и ещё подскажите, как подать показания",
            ["Отпишите меня от новостей", "и ещё подскажите, как подать показания"],
        ),
        (  # as "и скажите" was cut before: "ещё" between changes nothing
            "пришлите счёт за май, и ещё скажите, где его найти",
            ["пришлите счёт за май", "и ещё скажите, где его найти"],
        ),
        (
            "Atrakstiet mani no jaunumiem un vēl pastāstiet, kā iesniegt rādījumus",
            ["Atrakstiet mani no jaunumiem", "un vēl pastāstiet, kā iesniegt rādījumus"],
        ),
    ],
)
def test_a_second_request_after_also_is_a_clause_of_its_own(text: str, clauses: list[str]) -> None:
    sentences = [sentence.text for sentence in parse(text).sentences]
    assert sentences == clauses
    assert REQUEST.search(shadow(clauses[1]))


@pytest.mark.parametrize(
    "text",
    [
        "Пришлите счёт и ещё акт сверки",  # one request of two things: "ещё" before a noun
        "Send me the invoice and also the receipt",
    ],
)
def test_also_before_a_second_object_is_no_second_request(text: str) -> None:
    assert len(parse(text).sentences) == 1


@pytest.mark.parametrize(
    "text", ["spasibo bolshoe, vsego dobrogo", "spasibo, vsego horoshego", "vsego dobrogo!"]
)
def test_latin_letter_russian_goodbyes_close(matcher: KnowledgeMatcher, text: str) -> None:
    assert matcher.read(text).kind is MessageKind.CLOSING


def test_a_goodbye_after_a_question_leaves_the_question(matcher: KnowledgeMatcher) -> None:
    reading = matcher.read("skolko stoit bumazhnyj schet? spasibo, vsego dobrogo")
    assert reading.kind is MessageKind.QUESTION
    assert [part.entry for part in reading.parts] == ["paper-fee"]
