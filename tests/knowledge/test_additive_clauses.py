"""A second question joined by "and" and a particle that adds one more thing ("и ещё как …", "un vēl
kur …", "and also how …"), or announced inside the sentence ("… и ещё вопрос: …"), is read apart
(helpdesk/knowledge/clauses.py). Every message here is invented."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import asks_outright, parse
from tests.knowledge.conftest import answered


def _pieces(text: str) -> list[str]:
    return [span.text for span in parse(text).sentences]


@pytest.mark.parametrize(
    ("text", "second"),
    [
        (
            "как подать показания счётчика и ещё как сменить почту для счетов?",
            "и ещё как сменить почту для счетов?",
        ),
        (
            "где мой счёт, а ещё куда писать жалобу на управляющего?",
            "а ещё куда писать жалобу на управляющего?",
        ),
        (
            "kak podat pokazanija i eshe kak pomenjat pochtu dlja schetov",
            "i eshe kak pomenjat pochtu dlja schetov",
        ),
        ("gde moj schet a eshhe kogda nado platit za mesjac", "a eshhe kogda nado platit za mesjac"),
        (
            "kā iesniegt rādījumus un vēl kā nomainīt e-pastu rēķiniem?",
            "un vēl kā nomainīt e-pastu rēķiniem?",
        ),
        ("kur redzēt rēķinu un arī kad jāmaksā par martu", "un arī kad jāmaksā par martu"),
        (
            "how do I submit meter readings and also how do I change the invoice email?",
            "and also how do I change the invoice email?",
        ),
        # one more question announced: the announcement is left out of both
        ("как подать показания и ещё вопрос: как сменить почту для счетов?", "как сменить почту для счетов?"),
        ("kak podat pokazanija i eshe vopros kak pomenjat pochtu", "kak pomenjat pochtu"),
        ("kā iesniegt rādījumus un vēl viens jautājums, kā nomainīt e-pastu?", "kā nomainīt e-pastu?"),
        (
            "how do I submit readings and one more question, how do I change my email",
            "how do I change my email",
        ),
    ],
)
def test_and_also_starts_a_second_question(text: str, second: str) -> None:
    assert _pieces(text)[-1] == second
    assert len(_pieces(text)) == 2


@pytest.mark.parametrize(
    "text",
    [
        "пришлите счёт и ещё акт сверки за прошлый год",  # two things of one request
        "atsūtiet rēķinu un vēl aktu par pagājušo gadu",
        "please send me the invoice and also the act for last year",
        "счёт так и ещё не пришёл в этом месяце",  # "ещё": "still", no question after it
        "rēķins un vēl joprojām nav atnācis šomēnes",
        "can I pay for a year ahead too and not monthly",
    ],
)
def test_and_also_before_a_thing_keeps_one_sentence(text: str) -> None:
    assert len(_pieces(text)) == 1


def test_both_questions_are_answered(matcher: KnowledgeMatcher) -> None:
    assert answered(matcher, "как подать показания счётчика и ещё как сменить почту для счетов?") == [
        "meter-readings-how",
        "change-invoice-email",
    ]
    assert answered(
        matcher, "kā iesniegt rādījumus un vēl viens jautājums kā nomainīt e-pastu rēķiniem?"
    ) == [
        "meter-readings-how",
        "change-invoice-email",
    ]


@pytest.mark.parametrize(
    ("clause", "asking"),
    [
        ("and also where do I find the number of the manager", True),
        ("и ещё как сделать, чтобы платёж списывался сам", True),
        ("i eshe kogda nado platit", True),
        ("un vēl kur redzēt parādu", True),
        ("and also the act for last year", False),
        ("и ещё акт сверки за прошлый год", False),
    ],
)
def test_a_clause_cut_after_and_also_still_asks(clause: str, asking: bool) -> None:
    # Cut off its question, the clause must still read as one, or it is read as context.
    assert asks_outright(clause) is asking
