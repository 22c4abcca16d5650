"""Findings of the third walk: whole e-mails written as residents write them (pensioners without
diacritics, replies quoting our answer, forwarded invoices, run-on lines without punctuation),
labelled from the entry catalogue before the knowledge base or the matcher was read. The mails are
in ``walk3_mails.yaml``; every message here was written for this walk, not taken from an evaluation
set."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from helpdesk.core.matching import Decision, MessageKind
from helpdesk.knowledge.language import indexes_for
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import asks, parse
from tests.knowledge.conftest import answered

MAILS = Path(__file__).with_name("walk3_mails.yaml")


def _mail(mail_id: str) -> str:
    mails = yaml.safe_load(MAILS.read_text(encoding="utf-8"))["mails"]
    text: str = next(mail["text"] for mail in mails if mail["id"] == mail_id)
    return text


def _escalated(matcher: KnowledgeMatcher, text: str) -> list[str]:
    return [part.text for part in matcher.read(text).parts if part.decision is Decision.ESCALATE]


# --- A question asked twice, or a follow-up that points back, is no question left for a person ---


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        (_mail("en02"), "data-location"),
        ("Where is my personal data stored? Is it kept in the EU?", "data-location"),
    ],
)
def test_the_same_question_twice_is_answered_once(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    """Both sentences read as one entry; the surer one answered, the other was handed to a person
    as if nothing had answered it."""
    assert answered(matcher, text) == [entry]
    assert _escalated(matcher, text) == []


@pytest.mark.parametrize(
    "text",
    [
        _mail("lv02"),
        "Labdien, vēlos saņemt rēķinus e-pastā nevis papīrā. Kā to var izdarīt? Paldies",
        "I would like my invoices by e-mail instead of paper. How do I do that?",
    ],
)
def test_a_follow_up_that_points_back_goes_with_its_answer(matcher: KnowledgeMatcher, text: str) -> None:
    """ "Kā to var izdarīt?" names nothing alone (read alone it even leaned to paying); read with
    the wish before it, it is that wish's question, already answered."""
    assert answered(matcher, text) == ["paper-to-email"]
    assert _escalated(matcher, text) == []


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("Sveiki,\nnesaņēmu rēķinu par oktobri.\nKā to var dabūt?\nAnna", "invoice-missing"),
        (
            "labdien vai var rekinu sutit uz epastu nevis pa pastu un ka to izdarit paldies\nJanis Berzins",
            "paper-to-email",
        ),
        ("Не пришёл счёт за октябрь. Как это исправить?", "invoice-missing"),
    ],
)
def test_a_follow_up_is_its_context_s_question(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    """ "Kā to var dabūt?" alone read as the overpayment ("dabūt atpakaļ"), and as a question of
    its own it kept the sentence it points back at from answering: all went to a person."""
    assert answered(matcher, text) == [entry]
    assert _escalated(matcher, text) == []


def test_a_follow_up_of_a_story_the_kb_half_knows_answers_nothing(matcher: KnowledgeMatcher) -> None:
    """ "Is that legal?" points back too, but read with the story it gives no reading."""
    assert answered(matcher, _mail("en09")) == []


def test_a_new_question_about_the_same_thing_still_goes_to_a_person(matcher: KnowledgeMatcher) -> None:
    """ "Why does it take so long?" points back too, but asks something no entry answers."""
    text = "Vēlos saņemt rēķinus e-pastā, nevis papīrā. Kāpēc tas tik ilgi jāgaida?"
    assert answered(matcher, text) == ["paper-to-email"]
    assert _escalated(matcher, text) == ["Kāpēc tas tik ilgi jāgaida?"]


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("Vai rēķinu var samaksāt portālā? Un kā ar to otru lietu?", "Un kā ar to otru lietu?"),
        ("Как оплатить счёт на портале? А как насчёт того другого?", "А как насчёт того другого?"),
        (
            "How do I pay the invoice online? And how about that other matter?",
            "And how about that other matter?",
        ),
    ],
)
def test_a_question_about_another_matter_is_no_follow_up(
    matcher: KnowledgeMatcher, text: str, other: str
) -> None:
    """ "What about the other thing?" points at a matter the mail has not named: a person reads it."""
    assert answered(matcher, text) == ["pay-online"]
    assert _escalated(matcher, text) == [other]


# --- A question word after a preposition still asks ("līdz kuram datumam", "до какого числа") ---


@pytest.mark.parametrize(
    "sentence",
    [
        "un lidz kuram datumam tie jaiesniedz",
        "līdz kuram datumam jāiesniedz rādījumi",
        "и до какого числа надо подать показания",
        "в каком разделе это сделать",
        "для чего вам мой код",
        "do kakogo chisla podavat pokazanija",
        "and by what date should the readings be in",
    ],
)
def test_a_preposition_before_the_question_word_asks(sentence: str) -> None:
    assert asks(sentence)


@pytest.mark.parametrize("sentence", ["līdz ar to viss kārtībā", "for the record, I paid on time"])
def test_a_preposition_alone_does_not_ask(sentence: str) -> None:
    assert not asks(sentence)


def test_a_second_question_after_until_is_answered(matcher: KnowledgeMatcher) -> None:
    """The clause "un līdz kuram datumam …" was cut off as a question and then not read as one,
    so its answer was dropped in favour of the first question only."""
    assert set(answered(matcher, _mail("lv03"))) == {"meter-readings-deadline", "meter-readings-how"}


# --- An address in a Russian sentence does not make it Latvian or English ---


@pytest.mark.parametrize(
    "text",
    [
        _mail("ru17"),
        "не могу зайти на klientiem.lv через swedbank",
        "Не получается войти на mansdzib.lv через SEB, пишет ошибка. Что делать?",
    ],
)
def test_an_address_in_a_russian_sentence_is_no_latin_text(matcher: KnowledgeMatcher, text: str) -> None:
    """The Latin words of the sentence alone, "klientiem lv swedbank", read as logging in with a
    bank, louder than the Russian reading that sees the "не могу"."""
    assert answered(matcher, text) == ["login-problems"]


def test_latin_words_beside_an_address_still_meet_the_latin_indexes() -> None:
    assert indexes_for("не пришёл rēķins par novembri, см. klientiem.lv") == ("ru", "lv", "en")
    assert indexes_for("не могу зайти на klientiem.lv через swedbank") == ("ru",)


# --- "Keep sending the invoices" beside a request to stop the news sends no invoice ---


@pytest.mark.parametrize(
    "text",
    [
        _mail("lv06"),
        "Lūdzu izslēdziet mani no jaunumu saraksta. Rēķinus turpiniet sūtīt kā līdz šim.",
        "Отпишите меня от новостей, пожалуйста. Счета продолжайте присылать.",
        "Please take me off the newsletter. Keep sending the invoices though.",
    ],
)
def test_keep_sending_the_invoices_sends_none(matcher: KnowledgeMatcher, text: str) -> None:
    """The stop was read; "Rēķinus gan turpiniet sūtīt" was read as "send me the invoice" and an
    invoice nobody asked for was sent."""
    found = answered(matcher, text)
    assert "action:invoice" not in found
    assert "action:invoice-list" not in found
    assert found[:1] == ["action:consent-withdraw"]


def test_keep_sending_does_not_hold_back_the_stop(matcher: KnowledgeMatcher) -> None:
    text = "Rēķinus turpiniet sūtīt, bet jaunumus gan vairs nesūtiet."
    assert answered(matcher, text) == ["action:consent-withdraw"]


def test_asking_for_the_invoice_still_sends_it(matcher: KnowledgeMatcher) -> None:
    assert answered(matcher, "Lūdzu atsūtiet man pēdējo rēķinu.") == ["action:invoice"]


# --- "Atgriezt" money is "atgūt" it ---


@pytest.mark.parametrize(
    "text",
    [
        _mail("lv05"),
        "Pārskaitīju par 20 eiro vairāk nekā vajadzēja. Vai starpību atgriezīsiet?",
        "kā atgriezt pārmaksāto naudu",
    ],
)
def test_returning_money_is_the_overpayment(matcher: KnowledgeMatcher, text: str) -> None:
    """The knowledge base said "atgūt" and "atpakaļ"; "Vai nauda tiks atgriezta …?" shared no word
    with it and went to a person beside the overpayment already answered."""
    assert answered(matcher, text) == ["overpayment"]
    assert _escalated(matcher, text) == []


# --- Thanks and a name on the question's own line are a sign-off, not a sentence ---


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Labdien. Kur var apskatīt rēķinu? Paldies, Inta", ["Kur var apskatīt rēķinu?"]),
        ("Hello, how do I pay the invoice online? Thanks, Chris", ["how do I pay the invoice online?"]),
        ("Zdravstvujte! Kak podat pokazanija? Spasibo, Viktor", ["Kak podat pokazanija?"]),
        (
            _mail("lv03"),
            ["gribu zinat kur ievadit udens skaititaju radijumus", "un lidz kuram datumam tie jaiesniedz"],
        ),
        ("как подать показания через портал спасибо Виктор", ["как подать показания через портал"]),
        (
            "Dobryj den! Kak otpisatsja ot novostej? S uvazheniem, Olga Ivanova",
            ["Kak otpisatsja ot novostej?"],
        ),
        ("kapec jamaksa par papira rekinu ar cienu peteris", ["kapec jamaksa par papira rekinu"]),
        ("I am writing with regards to my invoice", ["I am writing with regards to my invoice"]),
        (
            "Thanks, but the invoice has still not arrived.",
            ["Thanks, but the invoice has still not arrived."],
        ),
        ("Paldies, bet rēķina joprojām nav", ["Paldies, bet rēķina joprojām nav"]),
    ],
)
def test_thanks_and_a_name_end_the_content(text: str, content: list[str]) -> None:
    parsed = parse(text)
    assert [sentence.text for sentence in parsed.sentences] == content


def test_thanks_and_a_name_alone_are_a_closing(matcher: KnowledgeMatcher) -> None:
    assert matcher.read("Paldies, Inta").kind is MessageKind.CLOSING


# --- A legal notice under the signature is not the resident's text ---

_NOTICE_LV = (
    "Šajā e-pastā esošā informācija ir konfidenciāla un paredzēta tikai adresātam. Ja esat saņēmis "
    "šo e-pastu kļūdas pēc, lūdzu, informējiet sūtītāju un izdzēsiet to."
)
_NOTICE_EN = (
    "This email and any attachments are confidential and intended solely for the addressee. If you "
    "have received this email in error please notify the sender and delete it."
)


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Labdien,\nvai rēķinu var apmaksāt ar karti portālā?\n\nAr cieņu\nKristīne Zariņa\nGrāmatvede\n"
            f'SIA "Mājas Serviss"\nTālr. 67123456\n{_NOTICE_LV}',
            ["vai rēķinu var apmaksāt ar karti portālā?"],
        ),
        (
            f"Hello,\nhow can I submit my meter readings?\nThanks\nJonas\n\n{_NOTICE_EN}",
            ["how can I submit my meter readings?"],
        ),
    ],
)
def test_a_confidentiality_notice_is_cut(text: str, content: list[str]) -> None:
    """Its long line kept the sign-off from being seen, and its "lūdzu … izdzēsiet" (please …
    delete) read as a request of the resident's."""
    assert [sentence.text for sentence in parse(text).sentences] == content


def test_a_question_about_confidentiality_stays() -> None:
    text = "Labdien,\nvai mani personas dati tiek glabāti konfidenciāli, ja rēķinu kļūdaini nosūtījāt citam?"
    assert len(parse(text).sentences) == 1
