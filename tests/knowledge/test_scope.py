"""Out of scope: small talk whose only known words are everyday ones, thanks in other words, and
other companies' and the state's business named in ways the lists learnt as domain knowledge.
Every message here was written for this test, not taken from an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import MessageKind
from helpdesk.knowledge import everyday, scope
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import shadow
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    "text",
    [
        "cik tev gadu?",
        "what's your name?",
        "do you speak latvian?",
        "сколько тебе лет?",
        "tu esi gudrs",
        "ну а ты сам где находишься?",
        "привет, какое у тебя настроение?",
    ],
)
def test_everyday_words_alone_answer_nothing(matcher: KnowledgeMatcher, text: str) -> None:
    assert answered(matcher, text) == []


def test_an_everyday_word_beside_a_subject_still_answers(matcher: KnowledgeMatcher) -> None:
    assert answered(matcher, "gribu visus rēķinus par pagājušo gadu") == ["action:invoice-list"]
    assert answered(matcher, "ты можешь скинуть последний счёт?") == ["action:invoice"]
    index = matcher.indexes["en"]
    assert not everyday.only_everyday(index, everyday.keys(index), "my invoice for last year")


def test_an_everyday_key_that_heads_a_synonym_group_stays_a_subject(matcher: KnowledgeMatcher) -> None:
    index = matcher.indexes["lv"]
    assert not set(index.canonical.values()) & everyday.keys(index)


@pytest.mark.parametrize(
    "text", ["paldies, viss kārtībā, uz redzi", "super, paldies!", "ладно, спс", "cool, thanks, bye"]
)
def test_thanks_in_other_words_close(matcher: KnowledgeMatcher, text: str) -> None:
    assert matcher.read(text).kind is MessageKind.CLOSING


@pytest.mark.parametrize(
    "text",
    [
        "kā pieteikt e-rēķinu Jelgavas ūdens sistēmā?",
        "как поменять пароль от интернет-банка?",
        "forgot my SEB password",
        "kad sāks apkuri mūsu mājā?",
        "когда включат отопление?",
        "Mogo sūta rēķinus ar nokavējuma naudu",
        "how do I apply for a residence permit?",
        "kā atjaunot eParaksta sertifikātu?",
        "как перенести Smart-ID на новый телефон?",
    ],
)
def test_other_business_is_a_near_miss(matcher: KnowledgeMatcher, text: str) -> None:
    assert scope.Mentions.of(shadow(text)).foreign("login-problems")
    assert answered(matcher, text) == []


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("samaksāju caur Swedbank, bet portālā joprojām parāds", "paid-still-debt"),
        ("radiators ir auksts, apkure nedarbojas", "repairs-emergency"),
        ("какие сведения обо мне вы собираете?", "privacy-what-data"),
        ("не могу залогиниться на портале", "login-problems"),
        ("can I log in to the portal with Smart-ID?", "login-eid"),
    ],
)
def test_words_near_the_lists_are_not_near_misses(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    assert not scope.Mentions.of(shadow(text)).foreign(entry)


@pytest.mark.parametrize(
    "text",
    [
        "Labdien! Mūsu biedrība organizē bērniem vasaras nometni pie jūras, un vecākiem jāsamaksā "
        "dalības maksa līdz jūnija beigām. Vai tā var samaksāt ar karti? Ar cieņu, Laura",
        "Hello, our book club meets every Thursday evening and we are looking for a bigger room near "
        "the old town for about twenty people. Can we pay the rent online by card? Thanks, Maria",
    ],
)
def test_a_mail_mostly_about_something_else_is_not_answered_by_its_one_familiar_question(
    matcher: KnowledgeMatcher, text: str
) -> None:
    assert answered(matcher, text) == []


def test_a_mail_about_the_portal_with_a_story_is_stillanswered(matcher: KnowledgeMatcher) -> None:
    text = (
        "Labdien! Esmu pensionāre un portālā esmu jau trīs gadus. Šomēnes rēķins nav atnācis uz "
        "e-pastu. Lūdzu palīdziet! Ar cieņu, Rasma"
    )
    assert answered(matcher, text) == ["invoice-missing"]


@pytest.mark.parametrize(
    "text",
    ["gribu atteikties no žurnāla abonementa", "отпишите меня от журнала садоводов"],
)
def test_no_withdrawal_when_unknown_words_may_name_whose_letters(
    matcher: KnowledgeMatcher, text: str
) -> None:
    assert "action:consent-withdraw" not in answered(matcher, text)


def test_a_withdrawal_in_known_words_still_runs(matcher: KnowledgeMatcher) -> None:
    assert answered(matcher, "atrakstiet mani no jaunumiem") == ["action:consent-withdraw"]


def test_a_follow_up_with_one_known_word_does_not_answer_for_a_foreign_question(
    matcher: KnowledgeMatcher,
) -> None:
    text = "Как оформить дарственную на гараж у нотариуса? И сколько это стоит?"
    assert answered(matcher, text) == []


def test_the_house_and_its_grounds_are_not_the_portal(matcher: KnowledgeMatcher) -> None:
    assert answered(matcher, "vai par bēniņu izmantošanu ir jāmaksā papildus?") == []
    mentions = scope.Mentions.of(shadow("в подвале течёт труба, кому звонить?"))
    assert mentions.foreign("paper-fee")
    assert not mentions.foreign("repairs-emergency") and not mentions.foreign("contact-manager")
    assert answered(matcher, "в подвале течёт труба, кому звонить?") == ["repairs-emergency"]


@pytest.mark.parametrize(
    "text",
    [
        "Kāpēc mūsu kāpņutelpu neviens neuzkopj? Par ko tad mēs maksājam katru mēnesi?",
        "почему уборки в подъезде нет уже месяц, за что мы платим?",
        "Who is supposed to clean our stairwell? We pay for it every month.",
    ],
)
def test_the_stairwell_and_its_cleaning_are_not_the_portal(matcher: KnowledgeMatcher, text: str) -> None:
    """Cleaning, which the labelling rules name out of scope, is no repair either: a person answers,
    not an article ("par ko mēs maksājam" is no question about the invoice)."""
    assert answered(matcher, text) == []


def test_a_broken_lift_is_still_a_repair(matcher: KnowledgeMatcher) -> None:
    mentions = scope.Mentions.of(shadow("lifts nestrādā jau trešo dienu, kam zvanīt?"))
    assert mentions.building and not mentions.foreign("repairs-emergency")
    assert mentions.foreign("invoice-missing")


@pytest.mark.parametrize(
    "text",
    [
        "Labdien, aizmirsu paroli. Ko darīt?",
        "Здравствуйте, забыла пароль. Что делать?",
        "Hello, I forgot my password. What should I do?",
    ],
)
def test_a_forgotten_password_is_the_login_not_a_forgotten_reading(
    matcher: KnowledgeMatcher, text: str
) -> None:
    """ "Forgot" alone once led to meter-readings-missed ("I forgot to send the readings"): the portal
    has no password, and the answer that says so is the login's."""
    assert answered(matcher, text) == ["login-eid"]


@pytest.mark.parametrize(
    "text",
    [
        "aizmirsu savas internetbankas paroli",
        "I forgot my Swedbank password",
        "забыла пароль от интернет-банка",
    ],
)
def test_a_forgotten_bank_password_is_the_bank_s(matcher: KnowledgeMatcher, text: str) -> None:
    assert answered(matcher, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Gribu runāt ar cilvēku par to, kāpēc ūdens patēriņš ir tik liels",
        "Хочу поговорить с человеком о том, почему счёт за воду такой большой",
        "I want to talk to a person about why my water bill is so high",
    ],
)
def test_asking_for_a_person_about_something_is_never_a_choice_against_an_article(
    matcher: KnowledgeMatcher, text: str
) -> None:
    """The article on the invoice scores as high as the request for a person: a button asking "this
    article or a person?" would ask what the resident already said."""
    assert answered(matcher, text) == ["action:human"]
    assert answered(matcher, "kāpēc ūdens patēriņš ir tik liels") == ["invoice-explained"]
