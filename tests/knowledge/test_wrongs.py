"""Wrong answers (issue 14): new writers name what sets an entry apart from its siblings, or the other
company, body or subject they ask about, with words the knowledge base has never seen, and only the
shared words score. ``wrongs_probe.yaml`` holds 100 messages written for this work blind to the KB's
phrasings; every other message here was also written for these tests, not taken from an evaluation
set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from helpdesk.core.matching import Decision
from helpdesk.knowledge import confidence, directions, operations, scope, senders, siblings
from helpdesk.knowledge.confidence import Signals
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import shadow
from tests.knowledge.conftest import answered

PROBE = Path(__file__).with_name("wrongs_probe.yaml")
STATE_CHANGING = frozenset(
    {"action:consent-withdraw", "action:consent-give", "action:access-request", "action:correction-request"}
)
# The probe's wrong answers: 6 on the matcher this work started from, 1 after it (a failing Smart-ID
# login read as the way to log in, 15.1 points ahead of the failure: just outside the siblings'
# window). The floors leave one item of room either way for later changes to the KB.
MAX_WRONG = 2
MIN_RIGHT = 64  # in-scope items answered right: 64 before, 65 after, of 74


def _probe() -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(PROBE.read_text(encoding="utf-8"))["items"]
    return items


def test_the_probe_is_labelled_with_known_ids(matcher: KnowledgeMatcher) -> None:
    items = _probe()
    assert len(items) == 100
    assert len({item["id"] for item in items}) == len(items)
    known = {entry.id for entry in matcher.entries}
    for item in items:
        assert set(item["expect"]) <= known, item["id"]
        assert item["kind"] in ("sibling", "near") and item["style"] in ("chat", "mail")
        assert (item["kind"] == "near") == (not item["expect"]), item["id"]


def test_the_probe_is_rarely_answered_wrong(matcher: KnowledgeMatcher) -> None:
    wrong, right, actions = [], 0, []
    for item in _probe():
        got = {entry for entry in answered(matcher, item["text"]) if entry is not None}
        extra = got - set(item["expect"])
        if extra:
            wrong.append((item["id"], sorted(extra)))
            actions += sorted(extra & STATE_CHANGING)
        elif got and item["expect"]:
            right += 1
    assert len(wrong) <= MAX_WRONG, wrong
    assert not actions
    assert right >= MIN_RIGHT


# --- What carries the meaning: a guess from the known words is never sure --------------------------


def _signals(unknown: float, guess: bool) -> Signals:
    return Signals(60.0, 20.0, 2.0, unknown, 6, False, False, False, False, guess=guess)


def test_a_guess_is_never_sure_enough_to_answer() -> None:
    assert confidence.SHIPPED.probability(_signals(0.5, False)) > confidence.CONFIDENT
    assert confidence.SHIPPED.probability(_signals(0.5, True)) < confidence.NOT_DOUBTFUL


@pytest.mark.parametrize(
    ("score", "unknown", "words", "named", "guess"),
    [
        (55.0, 0.45, 6, False, True),  # half the words unknown, the entry's meaning not named
        (55.0, 0.45, 6, True, False),  # ... named in known words: they carry the meaning
        (55.0, 0.2, 6, False, False),  # most words known
        (55.0, 0.5, 2, False, False),  # too short to say
        (90.0, 0.45, 6, False, False),  # a phrasing met nearly whole
    ],
)
def test_what_is_a_guess(score: float, unknown: float, words: int, named: bool, guess: bool) -> None:
    assert confidence.guesses(score, unknown, words, named) is guess


def test_a_message_whose_meaning_is_in_unknown_words_is_not_answered(matcher: KnowledgeMatcher) -> None:
    """The old inbox is shut, the invoices must go elsewhere: only "send the invoices" is known."""
    assert answered(matcher, "vecā inbox ir slēgta, rēķinus vajag sūtīt citur") == []


def test_a_known_distinct_meaning_among_unknown_words_still_answers(matcher: KnowledgeMatcher) -> None:
    """Missed (nokavēju) is named; the trip that made the resident late is the unknown story."""
    assert answered(matcher, "nokavēju rādījumus, biju aizbraucis uz Norvēģiju strādāt") == [
        "meter-readings-missed"
    ]


# --- Siblings: the distinct meaning, in words residents use ------------------------------------


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ("login-problems", "ar swedbank nevaru tikt iekšā, rāda kļūdu"),
        ("login-problems", "через банк не пускает, пишет ошибку"),
        ("login-problems", "the bank login keeps failing"),
        ("invoice-explained", 'ko nozīmē rēķinā rinda "ēkas pārvaldīšana"?'),
        ("invoice-explained", "что означает позиция «ТО лифтов» в счёте?"),
        ("invoice-explained", "what does this line on my bill mean?"),
        ("paper-fee", "vai par papīra rēķinu ir kāda papildu maksa?"),
        ("paper-fee", "есть ли доплата за бумажный счёт?"),
        ("paper-fee", "is there a surcharge for paper bills?"),
    ],
)
def test_the_distinct_meaning_is_named(entry: str, text: str) -> None:
    assert siblings.names(entry, shadow(text))


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ("login-problems", "ar kuru banku var pieslēgties?"),
        ("login-problems", "можно войти через smart-id?"),
        ("login-problems", "ни разу не заходил на портал, как зарегистрироваться?"),
        ("invoice-explained", "rēķins nav atnācis"),
        ("paper-fee", "gribu rēķinu e-pastā, nevis papīrā"),
    ],
)
def test_a_sibling_meaning_is_not_read_into_other_words(entry: str, text: str) -> None:
    assert not siblings.names(entry, shadow(text))


def test_a_failing_login_is_not_answered_with_the_way_to_log_in(matcher: KnowledgeMatcher) -> None:
    assert "login-eid" not in answered(matcher, "через smart-id не получается войти, всё время крутится")


# --- Stopping the news, in the imperative, is no question how ----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "please stop emailing me the newsletter",
        "nesūtiet man vairs jaunumus",
        "не присылайте мне больше рассылку",
        "quit sending me your news, I never read them",
    ],
)
def test_an_imperative_to_stop_the_news_withdraws(matcher: KnowledgeMatcher, text: str) -> None:
    assert directions.stops(text)
    assert directions.NEWS_HOW_TO in directions.ruled_out(directions.Message.of(text), text)


@pytest.mark.parametrize(
    "text", ["stop sending me paper invoices", "how do I stop the newsletter?", "nesūtiet man papīra rēķinus"]
)
def test_paper_and_questions_are_no_imperative_to_stop_the_news(text: str) -> None:
    assert not directions.stops(text)


def test_the_news_stopped_in_other_words_is_the_withdrawal(matcher: KnowledgeMatcher) -> None:
    assert answered(matcher, "enough of your newsletters, stop emailing me those") != ["news-unsubscribe"]


# --- Near misses named in words the lists did not know ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "vai jūs pieņemat darbā sētniekus?",
        "are you hiring an accountant?",
        "вы берёте на работу бухгалтера?",
        "kā mantot tēva dzīvokli, ko prasa notārs?",
        "какие бумаги нужны для нотариуса, чтобы вступить в наследство?",
        "what does the notary need to transfer an inherited flat?",
        "cik liels ir mantojuma nodoklis par dzīvokli?",
    ],
)
def test_hiring_and_inheriting_itself_are_near_misses(matcher: KnowledgeMatcher, text: str) -> None:
    assert scope.Mentions.of(shadow(text)).other
    assert answered(matcher, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "dzīvoklis man tika mantojumā no tēva, kā tagad dabūt rēķinus uz sevi?",
        "после смерти отца квартира перешла ко мне, как получать счета?",
    ],
)
def test_an_inherited_flat_whose_invoices_are_asked_about_is_a_new_owner(
    matcher: KnowledgeMatcher, text: str
) -> None:
    assert not scope.Mentions.of(shadow(text)).other
    assert answered(matcher, text) == ["new-owner"]


def test_inheriting_in_the_story_does_not_colour_the_question() -> None:
    """Read in its own piece only: the mail's question about the invoices is still ours."""
    assert not scope.colours_context(shadow("Mantojuma lieta pie notāra vēl nav pabeigta."))


def test_a_guess_stays_a_guess_in_a_mail(matcher: KnowledgeMatcher) -> None:
    reading = matcher.read("Labdien!\nVecā inbox ir slēgta, rēķinus vajag sūtīt citur.\nAr cieņu, Ilze")
    assert all(part.decision is not Decision.ANSWER for part in reading.parts)


# --- A verb of stopping turns the sending after it around --------------------------------------


@pytest.mark.parametrize(
    "text",
    ["cease sending me your newsletter", "перестаньте присылать мне рассылку", "halt mailing me the news"],
)
def test_stopping_the_news_never_subscribes(matcher: KnowledgeMatcher, text: str) -> None:
    assert operations.GIVE not in operations.named(text)
    assert operations.GIVE not in answered(matcher, text)


def test_news_that_stopped_coming_are_still_wanted() -> None:
    """ "Stopped" is a complaint that they no longer come, not an imperative to stop them."""
    assert operations.GIVE in operations.named("I stopped receiving your newsletter, send it again")


# --- Another sender, named with a word no list holds -------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Kvartāls atsūtīja rēķinu par apkuri divreiz, ko darīt?",
        "SportsLab sent me a bill for a membership I cancelled",
        "ФитнесКлуб прислал счёт за абонемент, который я отменил",
    ],
)
def test_a_sender_the_kb_does_not_know_is_another_company(matcher: KnowledgeMatcher, text: str) -> None:
    assert senders.mentions(shadow(text), matcher.indexes).named
    assert answered(matcher, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "pārvaldnieks atsūtīja rēķinu ar kļūdu",
        "you sent me the invoice twice",
        "mans vīrs man atsūtīja rēķinu, bet nevaru atvērt",
        "сын прислал мне счёт, но он не открывается",
    ],
)
def test_our_senders_and_the_residents_people_are_no_other_company(
    matcher: KnowledgeMatcher, text: str
) -> None:
    assert not senders.unknown_sender(shadow(text), matcher.indexes)


@pytest.mark.parametrize(
    "text",
    ["pārvaldnieks atsūtīja rēķinu ar kļūdu", "вы прислали мне счёт дважды", "you sent me the bill twice"],
)
def test_an_invoice_said_to_be_sent_asks_for_none(matcher: KnowledgeMatcher, text: str) -> None:
    assert directions.INVOICE in directions.ruled_out(directions.Message.of(text), text)
    assert directions.INVOICE not in answered(matcher, text)


@pytest.mark.parametrize(
    "text",
    [
        "jūs atsūtījāt rēķinu, bet lūdzu atsūtiet vēlreiz",
        "you sent it to the old address, can you send it again?",
    ],
)
def test_an_invoice_sent_and_asked_for_again_is_still_asked_for(text: str) -> None:
    assert directions.INVOICE not in directions.ruled_out(directions.Message.of(text), text)


# --- Other subjects: loans, water companies in any case, payslips, a dirty stairwell -------------


@pytest.mark.parametrize(
    "text",
    [
        "vai var uzlikt automātisko maksājumu līzingam?",
        "pārmaksāju Daugavpils ūdenim par ceturksni, kā dabūt atpakaļ?",
        "my payslip from work never came, who do I ask?",
        "how do I send the reading to the water company?",
    ],
)
def test_other_subjects_named_in_new_words_are_near_misses(matcher: KnowledgeMatcher, text: str) -> None:
    assert scope.Mentions.of(shadow(text)).foreign("auto-payment")
    assert answered(matcher, text) == []


def test_a_mortgage_is_how_a_flat_was_bought(matcher: KnowledgeMatcher) -> None:
    text = "ar hipotēku nopirkām dzīvokli, kā tagad redzēt rēķinus portālā?"
    assert not scope.Mentions.of(shadow(text)).foreign("new-owner")
    assert answered(matcher, text) == ["new-owner"]


@pytest.mark.parametrize(
    "text", ["подскажите, кто у вас имеет доступ к моим данным?", "kurš var piekļūt maniem datiem?"]
)
def test_who_has_access_is_a_question_not_a_request_for_a_copy(matcher: KnowledgeMatcher, text: str) -> None:
    """Access names the operation of a copy of one's data; asked who has it, nothing is requested."""
    assert directions.asks_the_way(text)
    assert "action:access-request" not in answered(matcher, text)
