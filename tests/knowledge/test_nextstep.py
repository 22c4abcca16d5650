"""What the resident will do next, said with goodbye (``nextstep``), and a subject the question is
said not to be about (``notabout``). Every message here was written for these tests, not taken from
an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import MessageKind
from helpdesk.knowledge import nextstep
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.notabout import without
from helpdesk.knowledge.reading import shadow
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    "text",
    [
        "skaidrs, tad piezvanīšu pārvaldniekam. paldies, visu labu!",
        "labi, pamēģināšu vēlreiz rīt. paldies!",
        "понятно, тогда напишу управляющему. спасибо, до свидания",
        "ponjatno, togda pozvonju v upravljajushchuju, spasibo",
        "ok, I'll contact the manager about the leak then. thanks, bye!",
        "I will try the bank login again tomorrow. Thanks!",
    ],
)
def test_a_next_step_with_goodbye_is_a_closing(matcher: KnowledgeMatcher, text: str) -> None:
    assert matcher.read(text).kind is MessageKind.CLOSING


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # a question beside the next step is still answered
        ("tad rakstīšu pārvaldniekam, bet kur atrast viņa kontaktus? paldies", "contact-manager"),
        ("I'll pay it today, but how do I pay online with a card? thanks", "pay-online"),
    ],
)
def test_a_question_beside_a_next_step_is_answered(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    assert entry in answered(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "rakstīšu pārvaldniekam par rēķinu",  # no goodbye: read as before, not a closing
        "kur var iesniegt skaitītāja rādījumus?",
        "i will be away in march, who submits my readings?",
    ],
)
def test_no_goodbye_or_a_question_is_no_closing(matcher: KnowledgeMatcher, text: str) -> None:
    assert matcher.read(text).kind is MessageKind.QUESTION


def test_next_steps_are_announcements_and_questions_are_not() -> None:
    assert nextstep.announces(shadow("tad aizrakstīšu pārvaldei"))
    assert nextstep.announces(shadow("я позвоню им завтра"))
    assert not nextstep.announces(shadow("kad rakstīt pārvaldei?"))
    assert not nextstep.announces(shadow("will you write to the manager?"))


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        ("kur rakstīt par portālu? ne par māju", "portālu", "māju"),
        ("вопрос про сайт, а не про дом и не о счёте", "сайт", "дом"),
        ("it is about the login, not about the building, but thanks", "login", "building"),
    ],
)
def test_what_it_is_not_about_is_not_matched(text: str, kept: str, dropped: str) -> None:
    left = without(text)
    assert kept in left and dropped not in left


def test_not_about_to_is_no_subject() -> None:
    text = "I'm not about to pay twice for one invoice"
    assert without(text) == text


def test_the_portal_not_the_house_is_the_portals_support(matcher: KnowledgeMatcher) -> None:
    text = "kāds ir jūsu telefons, kur zvanīt par portālu? ne par māju"
    assert answered(matcher, text) == ["contact-support"]


@pytest.mark.parametrize(
    "text",
    [
        "I said no to the building news when I signed up, but now I'd like to get them.",
        "es atteicos no jaunumiem, bet tagad gribu tos saņemt",
        "я отказалась от рассылки, а теперь хочу её получать",
    ],
)
def test_a_refusal_turned_round_by_a_wish_wants_the_news_back(matcher: KnowledgeMatcher, text: str) -> None:
    got = answered(matcher, text)
    assert "news-unsubscribe" not in got and "action:consent-withdraw" not in got


@pytest.mark.parametrize(
    "text",
    [
        "I used to read your news but now I want to unsubscribe from them, please",
        "agrāk lasīju jaunumus, bet tagad gribu atrakstīties no tiem",
    ],
)
def test_but_now_leaving_still_withdraws(matcher: KnowledgeMatcher, text: str) -> None:
    assert answered(matcher, text) == ["action:consent-withdraw"]


def test_an_imperative_to_unsubscribe_beside_another_question_still_stops() -> None:
    from helpdesk.knowledge import directions

    assert directions.stops("I still get your news. Just unsubscribe me please. Can you send me the invoice?")
    assert not directions.stops("can you unsubscribe me from the news?")
    assert not directions.stops("Send me the invoice please. How do I read it?")


def test_the_imperative_does_not_rule_out_the_way_asked_beside_it(matcher: KnowledgeMatcher) -> None:
    got = answered(matcher, "kā atrakstīties no jaunumiem? vai vienkārši atrakstiet mani")
    assert "news-unsubscribe" in got
    mail = "I still got a news e-mail today. Just unsubscribe me please.\n\nCan you send me all my invoices?"
    assert "news-unsubscribe" not in answered(matcher, mail)
