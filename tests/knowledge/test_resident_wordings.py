"""Residents' own ways of asking for the property, contact and action entries, written blind for this
test (not copied from the KB or the evaluation sets): the words residents use rather than the
portal's, no-diacritics Latvian, Russian in Latin letters, a story before the ask. And the near
misses beside the action phrasings, which must not run an action: another company's newsletter,
invoice or records."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.matcher import KnowledgeMatcher
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("kupila kvartiru, kak sdelat chtoby scheta prihodili na menja", "new-owner"),
        ("где отключить письма с новостями от управляющего, счета хочу оставить", "news-unsubscribe"),
        ("is there a way to switch off the news mails from the manager?", "news-unsubscribe"),
        ("who is the manager of our building and what is their phone?", "contact-manager"),
        ("the socket in the kitchen is sparking, what do I do", "repairs-emergency"),
        ("куда написать о проблеме с порталом MansDzib.lv?", "contact-support"),
        ("what is the e-mail for questions about the website?", "contact-support"),
        ("please send me my last bill here as a pdf", "action:invoice"),
        ("можете показать все мои прошлые счета?", "action:invoice-list"),
        ("please unsubscribe me from your news letters", "action:consent-withdraw"),
        ("kļūdas pēc atrakstījos no jaunumiem, lūdzu atjaunojiet", "action:consent-give"),
        ("I unsubscribed from your news by accident, please sign me up again", "action:consent-give"),
        ("izsniedziet man visus personas datus, kas jums par mani ir", "action:access-request"),
        ("I got married and changed my surname, please update my details", "action:correction-request"),
        ("jums ir nepareizi ierakstīts mans personas kods, izlabojiet", "action:correction-request"),
        ("не понимаете меня, позовите живого человека", "action:human"),
        ("please pass my question to a real person from support", "action:human"),
    ],
)
def test_a_resident_s_wording_finds_its_entry(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    assert answered(matcher, text) == [entry]


@pytest.mark.parametrize(
    "text",
    [
        "I don't want Rimi news anymore",
        "vairs nesūtiet man Tele2 reklāmas",
        "отпишите меня от рассылки Максимы",
        "send me my Latvenergo invoice",
        "пришлите мой счёт от Tele2",
        "I want a copy of my data from Swedbank",
        "gribu saņemt kopiju no saviem datiem bankā",
        "хочу получить копию своих данных из банка",
        "izlabojiet manu uzvārdu Latvijas Pastā",
        "хочу снова получать новости от Максимы",
        "покажите все мои счета в банке",
        "my neighbour wants to talk to a person",
    ],
)
def test_another_company_s_near_miss_runs_no_action(matcher: KnowledgeMatcher, text: str) -> None:
    assert not [e for e in answered(matcher, text) if e and e.startswith("action:")]
