"""Why the resident asks, said after the question (issue 14): "Vēlos saprast, pirms sāku lietot
portālu" names the portal but asks nothing of it; read with the question, it answered how to
register. The messages were written for these tests, not taken from an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.matcher import KnowledgeMatcher
from tests.knowledge.conftest import answered

CODE = "personal-code-why"
PURPOSES = [
    ("Kāpēc jums vajag manu personas kodu? Vēlos saprast, pirms sāku lietot portālu.", CODE),
    ("Vai par papīra rēķinu ir jāmaksā? Gribu zināt, pirms atsakos no e-pasta rēķiniem.", "paper-fee"),
    ("Why do you need my personal code? I would like to understand before I start using the portal.", CODE),
    ("Зачем вам мой персональный код? Хочу понять, прежде чем начну пользоваться порталом.", CODE),
    (
        "Сколько стоит бумажный счёт? Хотелось бы знать, перед тем как отказаться от электронного.",
        "paper-fee",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PURPOSES)
def test_a_purpose_after_the_question_adds_no_question(
    matcher: KnowledgeMatcher, text: str, expected: str
) -> None:
    assert answered(matcher, text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Vēlos saprast, kā reģistrēties portālā.",
        "I want to understand how to register on the portal.",
        "Хочу понять, как зарегистрироваться на портале.",
    ],
)
def test_a_wish_to_understand_something_named_still_asks(matcher: KnowledgeMatcher, text: str) -> None:
    assert answered(matcher, text) == ["register"]
