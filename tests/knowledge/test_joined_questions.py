"""Chat messages that ask two things in one line: each is read and answered on its own. An emoji or a
face ends a sentence; a short question that ends a sentence ("… kā to izdarīt") asks; a clause that
leaves its subject to the question before it ("… un kur tos ievadīt") is answered with its own
reading; the reason after a question ("… because …", "…, я не нашла") is read apart. Every message
here was written for these tests, not taken from an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Candidate, Decision
from helpdesk.knowledge.asking import QUESTION, REQUEST
from helpdesk.knowledge.ellipsis import elliptical
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD, KnowledgeMatcher
from helpdesk.knowledge.parts import EXTRA_LEAD, STATE_CHANGING, Unit
from helpdesk.knowledge.problems import states_problem
from helpdesk.knowledge.reading import parse, shadow
from tests.knowledge.conftest import answered


def _sentences(text: str) -> list[str]:
    return [span.text for span in parse(text).sentences]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("rēķins vēl nav atnācis 😕 vai varat atsūtīt", ["rēķins vēl nav atnācis 😕", "vai varat atsūtīt"]),
        ("счёт не пришёл(( пришлите сюда", ["счёт не пришёл((", "пришлите сюда"]),
        ("my bill is late :( can you send it", ["my bill is late :(", "can you send it"]),
        ("paroli aizmirsu 🤦\u200d♀️ ko darīt", ["paroli aizmirsu 🤦\u200d♀️", "ko darīt"]),
        ("data is kept in Riga) and how long", ["data is kept in Riga)", "and how long"]),
    ],
)
def test_an_emoji_or_a_face_ends_a_chat_sentence(text: str, sentences: list[str]) -> None:
    assert _sentences(text) == sentences


@pytest.mark.parametrize(
    "text",
    [
        "How do I change my name in the register (Zemesgrāmata) for my flat?",
        "Rēķins par 5 (pieciem) mēnešiem",
        "ok 👍",
    ],
)
def test_a_bracket_or_a_closing_emoji_cuts_nothing(text: str) -> None:
    assert len(_sentences(text)) <= 1


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("I only see one flat when I log in. also need the March invoice", 2),
        ("vajag rēķinu par maiju. un vēl par jūniju", 2),
        ("samaksāju 10. un 11. datumā", 1),
        ("dokumenti u.c. un tā tālāk", 1),
    ],
)
def test_a_dot_after_a_short_word_ends_a_sentence_before_also(text: str, sentences: int) -> None:
    assert len(_sentences(text)) == sentences


@pytest.mark.parametrize(
    ("sentence", "asks"),
    [
        ("es dzirdēju ka rēķinus var saņemt e-pastā kā to izdarīt", True),
        ("better to switch it to my other address, how do i do that", True),
        ("хочу получать счёт на почту как это сделать", True),
        ("i est li kakoj to nomer podderzhki", True),
        ("I know how it works", False),
        ("this is how it is", False),
        ("tas ir labi", False),
    ],
)
def test_a_short_question_that_ends_a_sentence_asks(sentence: str, asks: bool) -> None:
    assert bool(QUESTION.search(shadow(sentence))) is asks


@pytest.mark.parametrize(
    ("sentence", "asks"),
    [
        ("can u send it to me here", True),
        ("also need every invoice from last year", True),
        ("need the invoice for May", True),
        ("need to know nothing more", False),
        ("the neighbours need a new door", False),
    ],
)
def test_a_chat_request_without_its_i(sentence: str, asks: bool) -> None:
    assert bool(REQUEST.search(shadow(sentence))) is asks


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        ("march invoice still not here", True),
        ("the invoice is not here yet", True),
        ("my bill keeps landing in the junk folder", True),
        ("rēķins atkal iekrita surogātpastā", True),
        ("счёт опять в спаме", True),
        ("я не нашла, где это", True),
        ("the manager is not here on Fridays", False),
        ("I am here until May", False),
    ],
)
def test_more_problems_stated(sentence: str, problem: bool) -> None:
    assert states_problem(shadow(sentence)) is problem


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "can i pay the invoice by card because my bank app keeps crashing",
            ["can i pay the invoice by card", "because my bank app keeps crashing"],
        ),
        (
            "kā iestatīt automātisko maksājumu, lai tas vairs neatkārtotos",
            ["kā iestatīt automātisko maksājumu", "lai tas vairs neatkārtotos"],
        ),
        ("как подать показания на сайте, я не нашла", ["как подать показания на сайте", "я не нашла"]),
        # Not after a statement, nor a clause that goes on with the question.
        ("rēķins nav atnācis, jo pasts strādā slikti", ["rēķins nav atnācis, jo pasts strādā slikti"]),
        ("Ko man darīt, lai rēķini vairs nenāktu?", ["Ko man darīt, lai rēķini vairs nenāktu?"]),
        ("kā panākt, lai rēķins nāk e-pastā", ["kā panākt, lai rēķins nāk e-pastā"]),
    ],
)
def test_the_reason_after_a_question_is_read_apart(text: str, sentences: list[str]) -> None:
    assert _sentences(text) == sentences


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        (
            "kad jāiesniedz skaitītāju rādījumi un kur tos ievadīt portālā",
            ["meter-readings-deadline", "meter-readings-how"],
        ),
        ("rēķins vēl nav atnācis 😕 vai varat to atsūtīt šeit", ["invoice-missing", "action:invoice"]),
        ("kak oplatit schet kartoj? i est li avtoplatezh", ["pay-online", "auto-payment"]),
        ("can i pay the invoice by card on your site because my bank app keeps crashing", ["pay-online"]),
        ("как подать показания на сайте, я не нашла", ["meter-readings-how"]),
        (
            "where do I send my meter readings. also need the invoice for march",
            ["meter-readings-how", "action:invoice"],
        ),
    ],
)
def test_each_question_of_a_chat_line_is_answered(
    matcher: KnowledgeMatcher, text: str, entries: list[str]
) -> None:
    assert answered(matcher, text) == entries


@pytest.mark.parametrize(
    "text",
    [
        "kas tīra kāpņu telpu un cik bieži",  # the question the KB lacks lends no subject
        "Rēķins nav atnācis. Kā to var dabūt?",  # only asks the question before it again
    ],
)
def test_no_second_answer_from_a_clause_that_lends_nothing(matcher: KnowledgeMatcher, text: str) -> None:
    assert len(answered(matcher, text)) <= 1


def _unit(first: int, last: int, entry: str | None, *ranked: tuple[str, float], subject: float = 0.8) -> Unit:
    decision = Decision.ANSWER if entry else Decision.ESCALATE
    candidates = tuple(Candidate(name, score) for name, score in ranked)
    return Unit(first, last, decision, entry, candidates[0].score, candidates, True, subject, False, 0.3)


_EXCLUDED = STATE_CHANGING | {"action:human"}


def _ellipsis(text: str, decided: list[Unit]) -> str | None:
    sentences = parse(text).sentences
    unit = elliptical(decided[1], sentences, decided, ANSWER_THRESHOLD, EXTRA_LEAD, _EXCLUDED)
    return unit.entry if unit is not None else None


def _decided(second: str, pair: str, *, first: str | None = "meter-readings-deadline") -> list[Unit]:
    return [
        _unit(0, 0, first, ("meter-readings-deadline", 90.0), subject=1.8),
        _unit(1, 1, None, (second, 78.0), ("login-eid", 66.0)),
        _unit(0, 1, None, ("meter-readings-deadline", 82.0), (pair, 76.0)),
    ]


def test_a_clause_that_leaves_its_subject_to_the_question_before_takes_its_own_reading() -> None:
    text = "do kakogo chisla podavat pokazanija i gde ih vvodit na sajte"
    assert _ellipsis(text, _decided("meter-readings-how", "meter-readings-how")) == "meter-readings-how"


def test_a_clause_whose_reading_the_pair_does_not_rank_is_not_taken() -> None:
    text = "do kakogo chisla podavat pokazanija i gde ih vvodit na sajte"
    assert _ellipsis(text, _decided("meter-readings-how", "meter-readings-missed")) is None


def test_a_clause_after_an_unanswered_question_is_not_taken() -> None:
    text = "do kakogo chisla podavat pokazanija i gde ih vvodit na sajte"
    assert _ellipsis(text, _decided("meter-readings-how", "meter-readings-how", first=None)) is None


def test_a_follow_up_that_only_points_back_is_not_taken() -> None:
    assert _ellipsis("Rēķins nav atnācis. Kā to var dabūt?", _decided("overpayment", "overpayment")) is None


def test_an_action_is_taken_only_when_the_clause_asks_for_it() -> None:
    asked = "october invoice still not here. can u just send it to me"
    where = "october invoice still not here. and where do I see it"
    assert _ellipsis(asked, _decided("action:invoice", "action:invoice")) == "action:invoice"
    assert _ellipsis(where, _decided("action:invoice", "action:invoice")) is None
    withdraw = "october invoice still not here. and please unsubscribe me"
    assert _ellipsis(withdraw, _decided("action:consent-withdraw", "action:consent-withdraw")) is None
