"""Questions about a state are told apart from requests for a change (no database needed)."""

from __future__ import annotations

import pytest

from helpdesk.handlers.asking import asks_about_state, fold


@pytest.mark.parametrize(
    "text",
    [
        "vai man ir piekrišana jaunumiem?",
        "Vai es saņemu jaunumus",
        "vai esmu pierakstits jaunumiem",
        "am I subscribed to your news",
        "Do I get the newsletter?",
        "подписан ли я на новости",
        "Я подписан на рассылку?",
        "jaunumi?",
    ],
)
def test_questions_about_the_state(text: str) -> None:
    assert asks_about_state(text)


@pytest.mark.parametrize(
    "text",
    [
        "atrakstiet mani no jaunumiem",
        "atrakstīties",
        "vai varat mani atrakstīt?",
        "Lūdzu, pierakstiet mani jaunumiem?",
        "could you unsubscribe me?",
        "please stop the news",
        "отпишите меня",
        "можете отписать меня?",
        "Пожалуйста, отпишите меня от новостей?",
        "sūtiet jaunumus uz anna@example.lv?",
        "",
    ],
)
def test_requests_for_a_change(text: str) -> None:
    assert not asks_about_state(text)


def test_fold() -> None:
    assert fold("Lūdzu ŠĶĒRSIELA") == "ludzu skersiela"
    assert fold("пожалуйста") == "пожалуиста"
