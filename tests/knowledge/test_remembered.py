"""What the matcher remembers between pieces and messages to save work (words read in Latin letters,
the sound of a word, a piece folded, the indexes a piece meets) and the tests it skips (a demand for
a person in a piece without a verb of one): none of it changes a decision. A matcher that has read
other messages first reads each message as a fresh one does, and each skip agrees with the test it
skips. The messages are invented for these tests."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpdesk.knowledge import directions, holders, translit
from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.index import LanguageIndex
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD, MARGIN, KnowledgeMatcher
from helpdesk.knowledge.model import KnowledgeBase
from helpdesk.knowledge.report import reading_record
from helpdesk.knowledge.text import _FOLDED, shadow, words

MESSAGES = [
    "Labdien! Mans rēkins par oktobri neatnāca uz epastu. Kur to varu atrast? Paldies, Ilze",
    "zdravstvujte, ne prishol schet za nojabr, chto delat? rekins nav",
    "Добрый день. Хочу поменять адрес электронной почты для счетов. Как это сделать? И кто это проверяет?",
    "Hello, I moved out last month. How do I stop the invoices? Also, can someone call me back please.",
    "Lobdin, kai nūsyuteit skaiteitaja rodejumus? Nazynu kur īt.",
    "dodiet cilvēku! jau trešo reizi rakstu par parādu",
    "Пусть мне позвонит кто-нибудь из сотрудников, не могу зайти на портал через swedbank",
    "Sveiki.\n\nKāpņu telpā nedeg gaisma jau nedēļu.\n\nVai to var salabot?\n\nAr cieņu, Jānis",
    "let me know when the meter readings are due, and please have your staff answer my e-mail",
    "otpishite menja ot novostej pozhalujsta, i udalite moi dannye",
]


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    found, problems = read_knowledge(knowledge_dirs(None))
    assert not [p for p in problems if not p.warning]
    return found


def _matcher(knowledge: KnowledgeBase) -> KnowledgeMatcher:
    return KnowledgeMatcher(knowledge, threshold=ANSWER_THRESHOLD, margin=MARGIN)


def _records(matcher: KnowledgeMatcher, texts: list[str]) -> list[dict[str, object]]:
    return [reading_record(matcher.read(text, hint)) for text in texts for hint in (None, "ru", "en")]


def test_a_matcher_that_read_other_messages_reads_as_a_fresh_one(knowledge: KnowledgeBase) -> None:
    warm = _matcher(knowledge)
    _records(warm, list(reversed(MESSAGES)))  # every cache filled, by other messages first
    shadow.cache_clear()
    fresh = [_records(_matcher(knowledge), [text]) for text in MESSAGES]
    assert [_records(warm, [text]) for text in MESSAGES] == fresh


def test_remembered_latin_words_read_as_fresh_ones() -> None:
    russian = {"счет", "что", "делать", "не", "пришел", "мои", "данные"}.__contains__
    latin = {"rekins", "nav", "ne", "portal"}.__contains__
    reader = translit.Reader(russian, latin)
    for text in ("schet ne prishel, cto delat", "rekins nav, cto delat", "udalite moi dannye", "ne portal"):
        for _ in range(2):  # the second time from what the reader remembers
            assert reader.convert(text) == translit.Reader(russian, latin).convert(text)
            assert reader.convert_known(text) == translit.Reader(russian, latin).convert_known(text)


def test_a_remembered_sound_is_the_sound_read_afresh(knowledge: KnowledgeBase) -> None:
    """The known key an unknown word sounds like, read with the index's memory of words full and
    empty (Latgalian and Russian spellings by ear)."""
    index: LanguageIndex = _matcher(knowledge).indexes["lv"]
    russian: LanguageIndex = _matcher(knowledge).indexes["ru"]
    texts = [(index, "kai nūsyuteit rodejumus"), (index, "dzeivūklis"), (russian, "оплотил квитанцыю долк")]
    heard = []
    for each, text in texts:
        each.forget()
        each.query_keys(text)
        heard.append(dict(each._heard))
    for (each, text), before in zip(texts, heard, strict=True):
        each.forget()
        each._sounds_like.clear()
        each.query_keys(text)
        assert each._heard == before


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_shadow_is_the_character_folding(text: str) -> None:
    assert shadow(text) == text.translate(_FOLDED)


_VOCABULARY = [
    *sorted(directions._DEMAND_VERBS),
    "me",
    "man",
    "mani",
    "мне",
    "to",
    "a",
    "real",
    "person",
    "human",
    "cilvēku",
    "человека",
    "call",
    "позвонит",
    "кто",
    "нибудь",
    "someone",
    "ne",
    "не",
    "dont",
    "i",
    "we",
    "rēķins",
    "invoice",
    "счет",
    "forgive",
    "letter",
    "have_",
    "daydod",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_VOCABULARY), max_size=9), st.sampled_from([" ", ", ", "! ", " - "]))
def test_a_skipped_piece_demands_no_person(tokens: list[str], glue: str) -> None:
    """:func:`directions.demands_person` skips a piece without a verb of :data:`_DEMAND_VERBS`:
    the two patterns it would read find nothing there either."""
    text = glue.join(tokens)
    folded = " ".join(words(text))
    unskipped = bool(directions._DEMAND.search(folded)) or any(
        directions._SOMEONE.search(m.group(1)) and directions._CONTACT.search(m.group(1))
        for m in directions._LET.finditer(folded)
    )
    assert directions.demands_person(text) == unskipped


@pytest.mark.parametrize(
    "text",
    [
        "Lūdzu atrakstiet mani no sporta kluba jaunumiem, paldies",
        "Please remove me from the gym's newsletter, and fix my surname in the library system.",
        "удалите мои данные из базы библиотеки, а вашу рассылку оставьте",
        "ko jūs glabājat par mani? un ko banka glabā?",
    ],
)
def test_a_holder_text_given_twice_reads_as_once(text: str) -> None:
    """:func:`holders.read` reads a text given twice (a query that is its own text) once."""
    once = holders.read(text)
    assert holders.read(text, text) == once
    assert holders.read(text, "cits teksts", text) == holders.read(text, "cits teksts")
