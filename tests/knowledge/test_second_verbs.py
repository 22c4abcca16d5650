"""Two requests in one clause (issue 14): "and" followed by a verb of its own starts a second
clause; "and" between two objects of one verb does not. Messages written for this test."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Decision
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import asks, parse


def _clauses(text: str) -> list[str]:
    return [span.text for span in parse(text).sentences]


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        (
            "lūdzu atsūtiet decembra rēķinu un izdzēsiet manu tālruni",
            ["lūdzu atsūtiet decembra rēķinu", "un izdzēsiet manu tālruni"],
        ),
        (
            "пришлите счёт за апрель и отпишите меня от новостей",
            ["пришлите счёт за апрель", "и отпишите меня от новостей"],
        ),
        (
            "Send me the April invoice and tell me where to enter readings.",
            ["Send me the April invoice", "and tell me where to enter readings."],
        ),
        (
            "kā pieslēgties portālam un nomainīt paroli?",
            ["kā pieslēgties portālam", "un nomainīt paroli?"],
        ),
        (
            "как войти на портал и поменять адрес почты?",
            ["как войти на портал", "и поменять адрес почты?"],
        ),
    ],
)
def test_a_second_verb_after_and_starts_a_clause(text: str, clauses: list[str]) -> None:
    assert _clauses(text) == clauses


@pytest.mark.parametrize(
    "text",
    [
        "lūdzu atsūtiet rēķinu un aktu par aprīli",
        "пришлите счёт и квитанцию за апрель",
        "Please send me the invoice and the receipt for April.",
        "Es samaksāju un gaidu atbildi no jums.",  # a story: nothing asks before the "un"
    ],
)
def test_two_objects_of_one_verb_stay_one_clause(text: str) -> None:
    assert len(_clauses(text)) == 1


def test_an_english_imperative_is_a_request() -> None:
    assert asks("Send me the invoice for May")
    assert not asks("Change is hard for older people")


def test_both_requests_are_read(matcher: KnowledgeMatcher) -> None:
    reading = matcher.read("пришлите мне счёт за май и отпишите меня от рассылки")
    answered = [part.entry for part in reading.parts if part.decision is Decision.ANSWER]
    offered = [part.candidates[0].entry for part in reading.parts if part.decision is Decision.CLARIFY]
    assert answered == ["action:invoice"] and offered == ["action:consent-withdraw"]


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        (
            "kad jāsamaksā novembra rēķins, vai to var izdarīt ar karti portālā?",
            ["kad jāsamaksā novembra rēķins", "vai to var izdarīt ar karti portālā?"],
        ),
        (
            "где посмотреть счёт за май, можно ли оплатить его картой?",
            ["где посмотреть счёт за май", "можно ли оплатить его картой?"],
        ),
    ],
)
def test_a_question_after_a_comma_that_follows_a_question_is_its_own(text: str, clauses: list[str]) -> None:
    assert _clauses(text) == clauses


@pytest.mark.parametrize(
    "text",
    [
        "Gribu zināt, vai rēķinu var apmaksāt ar karti portālā.",  # nothing asked before the comma
        "Vai nauda atgriezīsies uz kontu, vai paliks nākamajam rēķinam?",  # "vai …, vai …": or
        "Is the fee charged monthly, or once a year for everyone?",
    ],
)
def test_a_comma_inside_one_question_stays(text: str) -> None:
    assert len(_clauses(text)) == 1


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        # The reasons after a request are read apart from it ...
        (
            "Dobryj den,\nudalite moj nomer telefona iz bazy, mne eto ne nuzhno, zvonjat postojanno.",
            ["udalite moj nomer telefona iz bazy", "mne eto ne nuzhno, zvonjat postojanno."],
        ),
        (
            "atrakstiet mani no jaunumiem, tie nāk pārāk bieži",
            ["atrakstiet mani no jaunumiem", "tie nāk pārāk bieži"],
        ),
        # ... and so is the question after "I have a question:".
        (
            "Man ir divi jautājumi: kur portālā redzams parāds un kā to samaksāt?",
            ["Man ir divi jautājumi", "kur portālā redzams parāds", "un kā to samaksāt?"],
        ),
    ],
)
def test_reasons_and_a_preamble_are_no_part_of_the_request(text: str, clauses: list[str]) -> None:
    assert _clauses(text) == clauses


@pytest.mark.parametrize(
    "text",
    [
        "atrakstiet mani, lūdzu, no jaunumiem",  # the request's own words after the comma
        # a second request after the comma (not one joined by "и ещё": that is a clause of its own,
        # as "и скажите" always was, ``test_walk4_reading``)
        "пришлите счёт за май, мне нужно знать, где его найти",
    ],
)
def test_a_request_whose_comma_goes_on_asking_stays(text: str) -> None:
    assert _clauses(text) == [text]


def test_a_second_so_that_clause_is_a_second_wish() -> None:
    assert _clauses("Vai var panākt, lai rēķins nāk uz e-pastu un lai to redz arī mana meita?") == [
        "Vai var panākt, lai rēķins nāk uz e-pastu",
        "un lai to redz arī mana meita?",
    ]
    # One "so that" with two things in it stays one wish.
    assert len(_clauses("Можно ли сделать, чтобы счёт и квитанция приходили на почту?")) == 1


def test_with_kind_regards_opens_the_signature() -> None:
    text = "I moved out in May, what about the meter readings?\n\nWith kind regards,\nOla Nordmann\nBergen"
    assert _clauses(text) == ["I moved out in May, what about the meter readings?"]


def test_a_relative_clause_after_a_request_goes_on_with_its_object() -> None:
    assert len(_clauses("пришлите мне все счета, которые вы выставили за этот год")) == 1
    assert len(_clauses("atsūtiet man rēķinus, kas izrakstīti par šo gadu")) == 1


def test_and_for_how_long_asks_a_second_question() -> None:
    assert _clauses("Which of my details do you store, and for how long do you keep them?") == [
        "Which of my details do you store",
        "and for how long do you keep them?",
    ]


def test_nothing_has_come_states_a_problem() -> None:
    assert asks("This quarter, sadly, nothing has arrived at all.")
    assert not asks("Nothing else has changed in the flat.")
