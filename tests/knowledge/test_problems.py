"""A problem stated without a question ("не пришёл счёт за апрель", "I paid on the 2nd but the portal
still shows a debt") asks to have it set right: in a mail with another question it gets its own
answer, and a question beside it that names nothing of its own ("Ko man darīt?") asks about it. Every
message here was written for this test, not taken from an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Candidate, Decision
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD, KnowledgeMatcher
from helpdesk.knowledge.parts import Unit, Verdict, choose, units
from helpdesk.knowledge.problems import states_problem
from helpdesk.knowledge.reading import asks, asks_outright, parse, shadow
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    "sentence",
    [
        "Šomēnes nesaņēmu rēķinu par dzīvokli.",
        "Aprīļa rēķins vēl joprojām nav atnācis.",
        "Neesmu saņēmusi nevienu vēstuli no jums.",
        "Portāls nestrādā jau trešo dienu.",
        "Nevaru atrast, kur ievadīt datus.",
        "Samaksāju 3. maijā, bet portālā joprojām parāds.",
        "Счёт за апрель так и не пришёл.",
        "Уже месяц не получаю писем.",
        "Личный кабинет не открывается, пишет ошибку.",
        "Я оплатила всё 2 числа, а долг всё ещё висит.",
        "Schet za maj ne prishel.",
        "I haven't received the bill for May.",
        "My invoice did not arrive this month.",
        "The page doesn't load on my phone.",
        "I paid on Monday but it still says I owe 40 euros.",
        "The payment is not showing in the portal.",
        "Invoice for March not received.",
    ],
)
def test_a_problem_stated_asks(sentence: str) -> None:
    assert states_problem(shadow(sentence))
    assert asks(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Mans dzīvoklis ir Rīgā.",
        "Rēķinu vienmēr saņemu e-pastā.",
        "Samaksāju vakar.",
        "Я всегда плачу вовремя.",
        "Счёт пришёл вчера.",
        "I paid yesterday.",
        "I received the invoice on Friday.",
        "The debt collectors are a different company.",
        "It is not a problem for me.",
    ],
)
def test_a_story_states_no_problem(sentence: str) -> None:
    assert not states_problem(shadow(sentence))
    assert not asks(sentence)


def test_a_problem_stated_asks_for_nothing_in_so_many_words() -> None:
    assert not asks_outright("Rēķins vēl nav atnācis.")
    assert not asks_outright("Счёт за апрель так и не пришёл.")
    assert asks_outright("Почему счёт за апрель так и не пришёл?")


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        (
            "Здравствуйте!\nСчёт за апрель так и не пришёл. И ещё вопрос: можно ли платить картой "
            "прямо на портале?\nСпасибо, Ольга",
            ["invoice-missing", "pay-online"],
        ),
        (
            "Hi,\nI paid the April bill on the 2nd, but the portal still shows a debt. Also, how do I "
            "set up automatic payments?\nThanks, Ann",
            ["paid-still-debt", "auto-payment"],
        ),
    ],
)
def test_a_problem_beside_another_question_gets_its_own_answer(
    matcher: KnowledgeMatcher, text: str, entries: list[str]
) -> None:
    assert sorted(str(entry) for entry in answered(matcher, text)) == sorted(entries)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Rēķins šomēnes nav atnācis. Ko man darīt?", "invoice-missing"),
        ("Счёт за май не пришёл. Что делать?", "invoice-missing"),
        ("Hello, my invoice for May has not arrived. What should I do? Regards, Tom", "invoice-missing"),
    ],
)
def test_a_question_that_names_nothing_asks_about_the_problem_before_it(
    matcher: KnowledgeMatcher, text: str, entry: str
) -> None:
    reading = matcher.read(text)
    assert [(part.decision, part.entry) for part in reading.parts] == [(Decision.ANSWER, entry)]


def _unit(first: int, last: int, entry: str | None, candidate: str, *, subject: float) -> Unit:
    decision = Decision.ANSWER if entry else Decision.ESCALATE
    candidates = (Candidate(candidate, 60.0),)
    return Unit(first, last, decision, entry, 60.0, candidates, True, subject, False, 0.9, known=True)


def test_a_question_of_its_own_or_joined_by_and_still_goes_to_a_person() -> None:
    """The question after the problem is about that problem only when the two, read together, read
    as its answer and it names no subject of its own and nothing the KB does not know ("Rēķins nav
    pienācis. Vai strādājat sestdienās?", tests/knowledge/test_pleas.py); "and …" adds a question."""
    text = "Rēķins nav atnācis. Kur to atrast? Un kā mainīt e-pastu?"
    sentences = parse(text).sentences
    decided = [
        _unit(0, 0, "invoice-missing", "invoice-missing", subject=1.5),
        _unit(1, 1, None, "contact-manager", subject=0.5),
        _unit(2, 2, None, "change-invoice-email", subject=0.5),
        _unit(0, 1, "invoice-missing", "invoice-missing", subject=1.5),
        _unit(1, 2, None, "change-invoice-email", subject=1.5),
        _unit(0, 2, None, "invoice-missing", subject=1.5),
    ]
    parts = choose(text, sentences, decided, ANSWER_THRESHOLD)
    assert [(p.decision, p.text) for p in parts] == [
        (Decision.ANSWER, "Rēķins nav atnācis."),
        (Decision.ESCALATE, "Un kā mainīt e-pastu?"),
    ]
    other = [*decided[:3], _unit(0, 1, None, "contact-manager", subject=1.5), *decided[4:5]]
    other.append(_unit(0, 2, None, "contact-manager", subject=1.5))
    parts = choose(text, sentences, other, ANSWER_THRESHOLD)
    assert [(p.decision, p.text) for p in parts] == [
        (Decision.ANSWER, "Rēķins nav atnācis."),
        (Decision.ESCALATE, "Kur to atrast? Un kā mainīt e-pastu?"),
    ]


def test_a_problem_read_as_an_action_is_context() -> None:
    """Saying what is wrong asks to have it set right, not for an action to be run: a problem whose
    best reading is an action ("send me the invoice") reads as context; a question beside it may ask
    for the action."""
    text = "Šomēnes nesaņēmu rēķinu. Vai varat to atsūtīt?"
    sentences = parse(text).sentences

    def decide(piece: str, fragment: bool, near: bool) -> Verdict:
        entry = "action:invoice" if piece.startswith("Šomēnes") else "pay-online"
        return Verdict(Decision.ANSWER, entry, 60.0, (Candidate(entry, 60.0),))

    found = {(unit.first, unit.last): unit.asks for unit in units(text, sentences, decide)}
    assert found == {(0, 0): False, (1, 1): True, (0, 1): True}
