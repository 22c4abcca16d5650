"""Reading a message as a person does (issue 14): greeting, thanks, signature and quoted mail apart
from the question; several questions; thanks-only and small talk; near misses; safe actions;
Russian in Latin letters; the reply language from the question's own words; the pruning bug."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Answer, Decision, Match, MessageKind, action_for, read_message
from helpdesk.core.types import Action
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD, MARGIN, KnowledgeMatcher
from helpdesk.knowledge.model import Entry, KnowledgeBase, Localized
from helpdesk.knowledge.reading import parse
from tests.kb_eval.evaluate import load_queries
from tests.kb_eval.fresh_set import load_items


def _answered(matcher: KnowledgeMatcher, text: str, language: str | None = None) -> list[str | None]:
    return [part.entry for part in matcher.read(text, language).parts if part.decision is Decision.ANSWER]


LV_OUTLOOK = """Paldies, bet kur tad ir rēķins par martu?

No: Klientiem.lv <info@klientiem.lv>
Nosūtīts: pirmdiena, 2026. gada 2. marts 10:15
Kam: anna@example.lv
Tēma: RE: rēķins

Labdien! Rēķins ir pieejams portālā. Lūdzu, maksājiet laikus.
"""
RU_OUTLOOK = """Спасибо, а как оплатить картой?

От: Klientiem.lv <info@klientiem.lv>
Отправлено: 2 марта 2026 г. 10:15
Кому: anna@example.lv
Тема: RE: счёт

Ваш счёт готов, оплатите его до конца месяца.
"""
EN_QUOTE = """And where do I enter my water readings?

On Mon, 2 Mar 2026 at 10:15, Klientiem.lv <info@klientiem.lv> wrote:
> Your invoice is ready. Please unsubscribe me
> from the news, thanks.
"""


@pytest.mark.parametrize(
    ("text", "kept", "dropped"),
    [
        (LV_OUTLOOK, "kur tad ir rēķins par martu?", "maksājiet"),
        (RU_OUTLOOK, "а как оплатить картой?", "оплатите"),
        (EN_QUOTE, "And where do I enter my water readings?", "unsubscribe"),
        (
            "Labdien!\n\nKā iesniegt ūdens skaitītāju rādījumus?\n\nAr cieņu,\nJānis Bērziņš\n"
            "Brīvības iela 12-3, Rīga\ntel. 29 000 000\n",
            "Kā iesniegt ūdens skaitītāju rādījumus?",
            "Bērziņš",
        ),
        (
            "Добрый день!\nКак подать показания счётчиков?\nС уважением,\nГалина Петрова\n",
            "Как подать показания счётчиков?",
            "Петрова",
        ),
        (
            "Hello,\n\nhow do I pay online?\n\nBest regards\nJohn\n\nSent from my iPhone\n",
            "how do I pay online?",
            "John",
        ),
    ],
)
def test_the_content_is_the_question_without_greeting_signature_or_quote(
    text: str, kept: str, dropped: str
) -> None:
    parsed = parse(text)
    assert kept in parsed.content
    assert dropped not in parsed.content
    assert not parsed.content.lower().startswith(("labdien", "добрый", "hello"))


def test_a_quoted_earlier_mail_is_not_read_as_a_question(matcher: KnowledgeMatcher) -> None:
    answered = _answered(matcher, EN_QUOTE)
    assert answered == ["meter-readings-how"]  # not the "unsubscribe me" of the quoted mail


@pytest.mark.parametrize(
    "text",
    [
        "paldies, uz redzēšanos",
        "Paldies! Viss skaidrs.",
        "спасибо, до свидания",
        "spasibo, vsjo ponjatno",
        "thanks, bye",
    ],
)
def test_thanks_and_goodbye_alone_are_a_closing(matcher: KnowledgeMatcher, text: str) -> None:
    reading = matcher.read(text)
    assert reading.kind is MessageKind.CLOSING
    assert reading.parts == ()
    assert reading.main.decision is Decision.ESCALATE and reading.main.entry is None


@pytest.mark.parametrize(
    "text",
    ["kāds rīt būs laiks?", "какая завтра погода в Риге?", "ты бот?", "who won the football yesterday"],
)
def test_small_talk_is_its_own_kind(matcher: KnowledgeMatcher, text: str) -> None:
    reading = matcher.read(text)
    assert reading.kind is MessageKind.SMALLTALK
    assert reading.parts == ()


def test_a_greeting_and_a_signature_do_not_pull_an_answer_under_the_threshold(
    matcher: KnowledgeMatcher,
) -> None:
    mail = (
        "Labdien, cienījamie!\n\nEsmu jau gadiem ilgi Jūsu klients, dzīvoju Imantā. Šomēnes rēķins par "
        "dzīvokli tā arī nav atnācis uz e-pastu, lai gan parasti tas pienāk mēneša sākumā. Kur to var "
        "atrast?\n\nPaldies jau iepriekš!\nAr cieņu,\nMāra Kalniņa\nKurzemes prospekts 3-45, Rīga\n"
    )
    reading = matcher.read(mail)
    assert [(p.decision, p.entry) for p in reading.parts] == [(Decision.ANSWER, "invoice-missing")]
    assert reading.language == "lv"


def test_two_questions_in_one_mail_are_two_parts(matcher: KnowledgeMatcher) -> None:
    mail = (
        "Hello,\n\nI have two questions. By which date each month do the meter readings have to be in? "
        "And can I pay the invoice with a card on the portal?\n\nKind regards,\nPeter Smith\n"
    )
    reading = matcher.read(mail)
    assert _answered(matcher, mail) == ["meter-readings-deadline", "pay-online"]
    for part in reading.parts:
        assert mail[part.start : part.end] == part.text


def test_a_question_the_kb_cannot_answer_is_handed_on_beside_the_answer(matcher: KnowledgeMatcher) -> None:
    mail = (
        "Labdien! Vai rēķinu var apmaksāt ar bankas karti portālā? Un vēl - kad mūsu mājā nomainīs "
        "veco liftu pret jaunu?\nAr cieņu, Ilze"
    )
    decisions = [(part.decision, part.entry) for part in matcher.read(mail).parts]
    assert (Decision.ANSWER, "pay-online") in decisions
    assert decisions.count((Decision.ESCALATE, None)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "atrakstiet mani no Maxima akciju e-pastiem",
        "please unsubscribe me from the Bolt newsletter",
        "отпишите меня от рассылки Bite",
        "kā iesniegt elektrības rādījumus Elektrum?",
        "i paid my Tele2 bill twice, how do I get a refund",
    ],
)
def test_a_near_miss_naming_another_company_is_not_answered(matcher: KnowledgeMatcher, text: str) -> None:
    assert _answered(matcher, text) == []


@pytest.mark.parametrize(
    "text", ["visi mani rēķini par pagājušo gadu", "нужны все мои счета за год", "can I get all my invoices"]
)
def test_all_invoices_lists_invoices_never_a_data_request(matcher: KnowledgeMatcher, text: str) -> None:
    assert _answered(matcher, text) == ["action:invoice-list"]
    assert action_for("action:invoice-list") is Action.INVOICE_LIST
    assert action_for("action:consent-withdraw") is Action.CONSENT_WITHDRAW
    assert action_for("login-eid") is None


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("gribu atkal saņemt jaunumus e-pastā", "action:consent-give"),
        ("хочу снова получать новости управляющего", "action:consent-give"),
        ("ievadīju nepareizu skaitītāja rādījumu, kā to izlabot", "meter-readings-fix"),
        ("I entered the wrong meter reading, how do I correct it", "meter-readings-fix"),
    ],
)
def test_misreadings_that_once_took_an_action(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    assert _answered(matcher, text) == [entry]


def test_a_state_changing_action_without_a_clear_lead_asks() -> None:
    """Withdrawing consent from free text needs a clear lead over every reading that only explains;
    when the two are close the resident gets both as buttons, and nothing is changed."""
    knowledge = KnowledgeBase(
        entries=(
            Entry("action:consent-withdraw", {"en": Localized(phrasings=("stop the news e-mails",))}),
            Entry(
                "news-unsubscribe",
                {"en": Localized("Stopping news", "Use the link.", ("stopping the news e-mails",))},
            ),
        ),
        placeholders={},
    )
    matcher = KnowledgeMatcher(knowledge, threshold=ANSWER_THRESHOLD, margin=MARGIN)
    decision, entry, score, candidates, *_ = matcher.decide("news e-mails stop", "en")
    assert (decision, entry) == (Decision.CLARIFY, None)
    assert [c.entry for c in candidates] == ["action:consent-withdraw", "news-unsubscribe"]
    assert score - candidates[1].score < 5.0


def test_the_phrases_an_answer_tells_residents_to_write_still_act(matcher: KnowledgeMatcher) -> None:
    for text in ("unsubscribe me", "atrakstiet mani", "отпишите меня от новостей"):
        assert _answered(matcher, text) == ["action:consent-withdraw"]


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("otpishite menja ot novostej", "action:consent-withdraw"),
        ("kak podat' pokazanija schetchika", "meter-readings-how"),
        ("gde moj schet za etot mesjac, ne prishel", "invoice-missing"),
    ],
)
def test_russian_in_latin_letters_is_read_as_russian(
    matcher: KnowledgeMatcher, text: str, entry: str
) -> None:
    reading = matcher.read(text, "lv")
    assert reading.language == "ru"
    assert _answered(matcher, text) == [entry]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("kur ir mans rekins", "lv"),
        ("ka samaksat rekinu online", "lv"),
        ("where is my invoice", "en"),
        ("Hello, how do I pay my invoice online?\n\nJānis Bērziņš\nBrīvības iela 1, Rīga", "en"),
        ("Hi, we bought a flat at Ģertrūdes iela 36-4. How do we get the invoices?", "en"),
        ("как подать показания?", "ru"),
    ],
)
def test_the_reply_language_is_the_questions_own(matcher: KnowledgeMatcher, text: str, language: str) -> None:
    assert matcher.read(text, "lv").language == language


def test_the_repairs_answer_names_the_managers_emergency_contact(matcher: KnowledgeMatcher) -> None:
    for text, language in (
        ("no augšējā dzīvokļa pa griestiem tek ūdens, ko darīt?", "lv"),
        ("в подвале прорвало трубу, куда звонить?", "ru"),
        ("water is pouring from the ceiling, who do I call?", "en"),
    ):
        reading = matcher.read(text)
        assert _answered(matcher, text) == ["repairs-emergency"], text
        answer = matcher.answer("repairs-emergency", reading.language)
        assert answer is not None and "{" not in answer.body
        assert matcher.knowledge.placeholders["manager_emergency"][language] in answer.body


def _texts() -> list[str]:
    in_scope, out_of_scope = load_queries()
    return [q.text for q in in_scope + out_of_scope] + [item.text for item in load_items("tune")]


@pytest.mark.parametrize("floor", [0.0, 20.0, 41.0, 44.0, 46.0, 60.0])
def test_floored_and_unfloored_scores_agree_above_the_floor(matcher: KnowledgeMatcher, floor: float) -> None:
    """Issue 14, point 10: an entry that reaches the floor has the same score with the floor as
    without it (the index may skip only entries below it), so the decision never depends on it."""
    differ = []
    for text in _texts():
        for language, index in matcher.indexes.items():
            full = {hit.entry: hit.score for hit in index.search(text, 0.0) if hit.score >= floor}
            cut = {hit.entry: hit.score for hit in index.search(text, floor) if hit.score >= floor}
            if full != cut:
                differ.append((text[:60], language, floor))
    assert differ == []


def test_read_message_takes_a_plain_matcher_as_one_question(matcher: KnowledgeMatcher) -> None:
    class OneQuestion:
        def match(self, text: str, language: str | None = None) -> Match:
            return Match("login-eid", 80.0, Decision.ANSWER, "lv")

        def answer(self, entry: str, language: str) -> Answer | None:
            return None

        def detect_language(self, text: str, default: str) -> str:
            return default

    reading = read_message(OneQuestion(), "  Kā pieslēgties?  ")
    assert reading.kind is MessageKind.QUESTION
    assert [(p.entry, p.text, p.start, p.end) for p in reading.parts] == [
        ("login-eid", "Kā pieslēgties?", 2, 17)
    ]
    assert read_message(matcher, "paldies, uz redzēšanos").kind is MessageKind.CLOSING
