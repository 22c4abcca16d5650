"""The portal named by its own name ("klientiem.lv", "MansDzib") is the portal: the name once
read as a rare word of the few entries whose phrasings hold it (registering, the support address),
so "I can't log in to klientiem.lv" was answered with registering. Every message here was written
for this test, not taken from an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.text import words
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("nevaru ieiet klientiem.lv", "login-problems"),
        ("nevaru ieiet klientiem.lv, raksta kludu", "login-problems"),
        ("Nevaru ielogoties MansDzib.lv jau otro dienu", "login-problems"),
        ("не могу войти в mansdzib.lv", "login-problems"),
        ("I can't log in to klientiem.lv", "login-problems"),
        ("kā reģistrēties MansDzib.lv?", "register"),
        ("как зарегистрироваться на Klientiem.lv?", "register"),
    ],
)
def test_the_portal_s_name_is_the_portal(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    assert answered(matcher, text) == [entry]


def test_the_domain_ending_is_part_of_the_name() -> None:
    assert words("Klientiem.lv") == ["klientiem"]
    assert words("mansdzib lv portālā") == ["mansdzib", "portala"]
