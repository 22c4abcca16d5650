"""How a whole e-mail is read (issue 14, third round): its structure (paragraphs, clauses, what asks
and what tells a story) decides which sentences lean on which, on messages written for this test."""

from __future__ import annotations

import pytest

from helpdesk.core.matching import Candidate, Decision
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD
from helpdesk.knowledge.parts import MAX_SENTENCES, Unit, choose, contexts, window
from helpdesk.knowledge.reading import asks, parse


def _sentences(text: str) -> list[str]:
    return [sentence.text for sentence in parse(text).sentences]


def _singles(text: str) -> list[bool]:
    sentences = parse(text).sentences
    return contexts(text, sentences, [(index, index) for index in range(len(sentences))])


def test_a_name_in_the_story_colours_its_own_paragraph_and_neighbours_only() -> None:
    text = (
        "Labdien!\n\nAgrāk strādāju Lattelecom. Tagad mācos lietot datoru. Man ir mazdēls.\n\n"
        "Kā iesniegt rādījumus?\n\nPaldies, Maija"
    )
    # The company's sentence is no context of its own; the question two sentences and a
    # paragraph away is not read as being about that company.
    assert _singles(text) == [False, True, True, False]


def test_the_neighbours_in_the_story_are_no_context() -> None:
    text = "Kaimiņi saka, ka rēķinus var redzēt internetā. Kā man reģistrēties?"
    assert _singles(text) == [False, False]
    # Electricity is another company's bill: the question next to it is read as being about it.
    assert _singles("Man atnāca elektrības rēķins. Kā to samaksāt?") == [False, True]


def test_another_company_in_the_same_paragraph_is_context_for_the_request() -> None:
    text = "Tet rēķinā par internetu ir 34 eiro. Es neko nepasūtīju. Lūdzu paskaidrojiet, kāpēc."
    sentences = parse(text).sentences
    assert contexts(text, sentences, [(0, 0), (2, 2), (0, 1), (1, 2)]) == [False, True, False, True]


def test_a_second_question_joined_by_and_which_starts_its_own_sentence() -> None:
    text = "Kādā nolūkā jums vajag manu tālruni, un kādu adresi jūs glabājat?"
    assert [s.text for s in parse(text).sentences] == [
        "Kādā nolūkā jums vajag manu tālruni",
        "un kādu adresi jūs glabājat?",
    ]
    assert len(parse("Какой у вас телефон и какие часы работы?").sentences) == 2
    # "and what I must do" continues the same question: no generic fragment of its own.
    assert len(parse("Kas tagad notiks un ko man darīt?").sentences) == 1


def test_a_signature_line_with_an_abbreviated_street_is_no_sentence() -> None:
    text = "Добрый день!\nКак передать показания?\n\nЖильцы дома на ул. Лиела 12\n"
    assert [s.text for s in parse(text).sentences] == ["Как передать показания?"]
    text = "Hello,\nhow do I pay online?\n\nJohn Smith\nTel. 2000 1234\n"
    assert [s.text for s in parse(text).sentences] == ["how do I pay online?"]


def test_thanks_that_say_why_close_and_thanks_with_but_do_not() -> None:
    text = "Labdien!\n\nKā iesniegt rādījumus?\n\nPaldies, ka palīdzat pensionāram.\nAnna"
    parsed = parse(text)
    assert [s.text for s in parsed.sentences] == ["Kā iesniegt rādījumus?"]
    assert parsed.closing
    assert _sentences("Thank you for your reply. Where do I pay?") == ["Where do I pay?"]
    # A "but" turns thanks into the next question; so does a request.
    assert len(parse("Paldies par atbildi, bet rēķins joprojām nav atnācis.").sentences) == 1
    assert len(parse("Спасибо, пришлите мне счёт.").sentences) == 1


def test_initials_a_lower_case_name_and_a_million_thanks_are_the_signature() -> None:
    assert _sentences("Kā nomainīt e-pastu? Paldies, J.") == ["Kā nomainīt e-pastu?"]
    assert _sentences("kā nomainīt e-pastu\n\nar cieņu jānis") == ["kā nomainīt e-pastu"]
    assert _sentences("Hi,\nhow do I change my e-mail?\n\nThanks a million,\nJohn") == [
        "how do I change my e-mail?"
    ]


def test_as_well_as_starts_a_second_request() -> None:
    text = "Lūdzu atsūtiet man pēdējo rēķinu, kā arī pasakiet, līdz kuram datumam jāmaksā."
    assert _sentences(text) == [
        "Lūdzu atsūtiet man pēdējo rēķinu",
        "kā arī pasakiet, līdz kuram datumam jāmaksā.",
    ]


def test_a_state_change_beside_a_surer_answer_is_offered_not_dropped() -> None:
    text = "Lūdzu izsniedziet manu datu kopiju. Cik ilgi glabājat datus?"
    sentences = parse(text).sentences
    access = (Candidate("action:access-request", 60.0),)
    retention = (Candidate("privacy-retention", 90.0),)
    decided = [
        Unit(0, 0, Decision.ANSWER, "action:access-request", 60.0, access, True, 3.0, False, 0.95),
        Unit(1, 1, Decision.ANSWER, "privacy-retention", 90.0, retention, True, 3.0, False, 0.97),
        Unit(0, 1, Decision.ESCALATE, None, 40.0, retention, True, 3.0, False, 0.4),
    ]
    parts = choose(text, sentences, decided, ANSWER_THRESHOLD)
    assert [(p.decision, p.entry, [c.entry for c in p.candidates]) for p in parts] == [
        (Decision.CLARIFY, None, ["action:access-request"]),
        (Decision.ANSWER, "privacy-retention", ["privacy-retention"]),
    ]


def test_a_greeting_line_with_a_form_of_address_is_no_sentence() -> None:
    assert _sentences("Labdien, mīļie!\n\nKā iesniegt rādījumus?") == ["Kā iesniegt rādījumus?"]
    assert _sentences("Добрый день, уважаемые!\nКак подать показания?") == ["Как подать показания?"]
    assert _sentences("Dobryj den'\nkak podat' pokazanija?") == ["kak podat' pokazanija?"]
    assert _sentences("Lobdīn!\nKai maņ pīsaraksteit?") == ["Kai maņ pīsaraksteit?"]
    # A request after the greeting on a one-line message is the message.
    assert _sentences("Labdien, atrakstiet mani!") == ["atrakstiet mani!"]


def test_two_question_words_joined_by_and_ask_one_question() -> None:
    assert len(parse("Kā un kur var iesniegt skaitītāju rādījumus?").sentences) == 1
    assert len(parse("Как и где подать показания?").sentences) == 1


def test_thanks_followed_by_news_are_content() -> None:
    assert _sentences("paldies par atbildi, rēķins tā arī nav atnācis") == [
        "paldies par atbildi, rēķins tā arī nav atnācis"
    ]
    assert _sentences("Sveiki, nav rēķina\nko darīt") == ["nav rēķina\nko darīt"]


@pytest.mark.parametrize(
    "header",
    [
        "пт, 25 окт. 2024 г. в 10:14, Klientiem <info@klientiem.lv>:",
        "Пятница, 25 октября 2024, 10:14 +03:00 от Klientiem <info@klientiem.lv>:",
        '25.10.2024, 10:14, "Klientiem" <info@klientiem.lv>:',
        "Am 25.10.2024 um 10:14 schrieb Klientiem <info@klientiem.lv>:",
    ],
)
def test_any_mail_programs_quote_header_ends_the_new_text(header: str) -> None:
    text = f"Labdien!\nKur var redzēt rēķinu?\n\n{header}\nКак оплатить онлайн?\n"
    assert _sentences(text) == ["Kur var redzēt rēķinu?"]


def test_quoted_lines_closing_a_mail_are_not_its_text() -> None:
    text = "Kur var redzēt rēķinu?\n\n> Здравствуйте! Ваш счёт готов.\n> Как оплатить онлайн?\n"
    assert _sentences(text) == ["Kur var redzēt rēķinu?"]
    # A reply written between the quotes keeps its lines.
    assert len(parse("> Kur ir rēķins?\nTas nav portālā.\n> Un kā samaksāt?\nAr karti.").sentences) == 4


def test_the_english_i_and_a_short_and_why_start_no_clause() -> None:
    assert (
        len(parse("I'd like to switch them off but I can't find the setting in my profile.").sentences) == 1
    )
    assert (
        len(parse("I'd like to know what personal information you collect about me and why.").sentences) == 1
    )
    # "i" is still "и" before a Russian question word in Latin letters.
    assert len(parse("ne prishel schet za mart i gde ego posmotret?").sentences) == 2


def test_a_clause_cut_off_a_question_and_a_demand_ask() -> None:
    assert asks("un kur es varu iesniegt sūdzību par datu noplūdi.")
    assert asks("Требую объяснить, почему так происходит.")
    assert not asks("Bijušais vīrs kaut kā zina, cik es maksāju par dzīvokli.")


def _unit(first: int, last: int, entry: str | None, *, asks: bool, subject: float) -> Unit:
    decision = Decision.ANSWER if entry else Decision.ESCALATE
    candidates = (Candidate(entry or "invoice-missing", 60.0 if entry else 30.0),)
    return Unit(first, last, decision, entry, 60.0 if entry else 30.0, candidates, asks, subject, False, 0.9)


def test_what_nothing_answered_goes_to_a_person_and_a_remark_does_not() -> None:
    text = "Gribu zināt, kas skatījies manus rēķinus. Pensija maza. Kur var sūdzēties?"
    sentences = parse(text).sentences
    decided = [
        _unit(0, 0, None, asks=True, subject=2.2),  # a request naming its subject: a person's
        _unit(1, 1, None, asks=True, subject=1.0),  # a remark
        _unit(2, 2, "privacy-complaint", asks=True, subject=2.0),
    ]
    parts = choose(text, sentences, decided, ANSWER_THRESHOLD)
    assert [(p.decision, p.text) for p in parts] == [
        (Decision.ESCALATE, "Gribu zināt, kas skatījies manus rēķinus."),
        (Decision.ANSWER, "Kur var sūdzēties?"),
    ]


def test_a_question_clause_goes_to_a_person_with_the_start_of_its_sentence() -> None:
    text = "Kur ievadīt rādījumus? Kas nomainīs skaitītāju un cik tas maksās?"
    sentences = parse(text).sentences
    assert len(sentences) == 3
    decided = [
        _unit(0, 0, "meter-readings-how", asks=True, subject=2.0),
        _unit(1, 1, None, asks=False, subject=1.0),
        _unit(2, 2, None, asks=True, subject=1.0),
    ]
    parts = choose(text, sentences, decided, ANSWER_THRESHOLD)
    assert [(p.decision, p.text) for p in parts] == [
        (Decision.ANSWER, "Kur ievadīt rādījumus?"),
        (Decision.ESCALATE, "Kas nomainīs skaitītāju un cik tas maksās?"),
    ]


def test_a_long_story_does_not_push_the_question_out_of_a_mail() -> None:
    story = " ".join(f"Pagājušajā mēnesī notika {n}. lieta." for n in range(1, 15))
    sentences = parse(f"{story} Kā iesniegt skaitītāju rādījumus?").sentences
    kept = window(sentences)
    assert len(kept) == MAX_SENTENCES
    assert kept[-1].text == "Kā iesniegt skaitītāju rādījumus?"
    assert window(sentences[:5]) == sentences[:5]


def test_a_later_question_of_its_own_colours_no_question_before_it() -> None:
    # Parking is another subject, asked about on its own after the portal question: the portal
    # question is not read as being about it. A story after a question still colours it.
    text = "Kā iesniegt rādījumus portālā? Un vēl - vai var pieteikties uz stāvvietu pagalmā?"
    assert _singles(text) == [False, False]
    assert _singles("Kā to samaksāt? Man atnāca Latvenergo rēķins.") == [True, False]
