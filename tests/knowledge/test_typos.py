"""Words spelled by ear (Russian) and written in Latgalian meet the known word they sound like, and
only a word the index does not know, and only when exactly one known word sounds so (issue 14)."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.index import LanguageIndex
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.sounds import sound, sounds
from helpdesk.knowledge.text import keys, words
from tests.knowledge.conftest import answered


def key(word: str, language: str) -> str:
    """The one key of a single word, as the index reads it (folded, stemmed)."""
    (found,) = keys(word, language)
    return found


@pytest.mark.parametrize(
    ("heard", "written"),
    [
        ("заплотила", "заплатила"),  # unstressed о for а
        ("долк", "долг"),  # final devoicing
        ("квитанцыю", "квитанцию"),  # ы after ц
        ("прекрепить", "прикрепить"),  # е for и
        ("щотчик", "счётчик"),  # ё after a hushing consonant, сч said as щ
        ("адрисс", "адрес"),  # a double letter added
        ("ложка", "лошка"),  # devoiced before a voiceless consonant
    ],
)
def test_russian_spellings_by_ear_share_the_sound_of_the_word(heard: str, written: str) -> None:
    assert sound(key(heard, "ru"), "ru") == sound(key(written, "ru"), "ru")


@pytest.mark.parametrize(
    ("latgalian", "latvian"),
    [
        ("dzeivūklis", "dzīvoklis"),  # ei for ī, ū for o
        ("rodejumi", "rādījumi"),  # o for ā, e for ī
        ("skaitītuoju", "skaitītāju"),  # uo for ā
        ("iudiņa", "ūdens"),  # iu for ū
        ("nūsyuteit", "nosūtīt"),  # ū for o, yu for ū, ei for ī
        ("rāķina", "rēķina"),  # ā for ē
    ],
)
def test_latgalian_forms_share_the_sound_of_the_latvian_word(latgalian: str, latvian: str) -> None:
    assert sound(key(latgalian, "lv"), "lv") == sound(key(latvian, "lv"), "lv")


def test_latgalian_reflexive_prefix_infix_is_read_as_the_latvian_verb() -> None:
    """The Latgalian "pīsaraksteit" is pierakstīties: the dialect puts "sa" after the prefix."""
    assert sound(key("pierakstīties", "lv"), "lv") in sounds(key("pīsaraksteit", "lv"), "lv")


@pytest.mark.parametrize(
    ("one", "other", "language"),
    [
        ("долг", "только", "ru"),  # a voiced first letter keeps its voice
        ("атсакос", "атсаук", "ru"),
        ("atsakos", "atsauc", "lv"),  # the diphthong au stays apart from a
        ("saite", "sete", "lv"),  # so does ai
    ],
)
def test_words_that_only_look_alike_keep_different_sounds(one: str, other: str, language: str) -> None:
    assert sound(key(one, language), language) != sound(key(other, language), language)


def test_short_stems_and_other_languages_have_no_sound_key() -> None:
    assert sound("кот", "ru") is None
    assert sound("invoice", "en") is None
    assert sound("2024", "lv") is None


def test_latgalian_everyday_words_become_latvian_and_latvian_stays() -> None:
    assert words("Lobs reits! Nazynu, kai maņ samoksuot") == ["labrit", "nezinu", "ka", "man", "samoksuot"]
    assert words("Labrīt, kā man samaksāt") == ["labrit", "ka", "man", "samaksat"]
    assert keys("Kai maņ", "lv") == keys("Kā man", "lv")


def _index(*phrasings: str, language: str) -> LanguageIndex:
    return LanguageIndex(language, list(enumerate(phrasings)))


def test_an_unknown_word_that_sounds_like_one_known_word_stands_for_it() -> None:
    index = _index("оплатить долг", "передать показания счётчика", language="ru")
    assert [index.expand(k) for k in index.query_keys("оплотил долк")] == [
        {key("оплатить", "ru"): pytest.approx(0.9)},
        {key("долг", "ru"): pytest.approx(0.9)},
    ]


def test_a_latin_word_without_a_latvian_ending_is_not_heard_as_latvian() -> None:
    """English "should" folds to "sould", which sounds like a Latvian "sild-": no ending, no match."""
    index = _index("silda radiatoru", language="lv")
    (should,) = index.query_keys("should")
    assert index.expand(should) == {}
    (sildu,) = index.query_keys("sildu")
    assert index.expand(sildu) == {"sild": 1.0}


def test_a_known_word_is_never_read_as_another_that_sounds_alike() -> None:
    """Both "долг" and a known "долк" (if a word were spelled so) each keep their own key."""
    index = _index("оплатить долг", "долк такой", language="ru")
    index.query_keys("долг долк")
    assert index.expand("долг") == {"долг": 1.0}
    assert index.expand("долк") == {"долк": 1.0}


def test_a_sound_two_known_words_share_stands_for_neither() -> None:
    """The words "atradu" and "atrodu" sound alike: an unknown "atrudu" is neither by sound."""
    index = _index("es atradu rēķinu", "es atrodu rēķinu", language="lv")
    heard = sound(key("atrudu", "lv"), "lv")
    assert heard is not None
    assert index.sounding[heard] is None


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("Kai maņ nūsyuteit iudiņa skaitītuoju rodejumus?", "Kā man nosūtīt ūdens skaitītāju rādījumus?"),
        ("Lobs reits, kai maņ samoksuot rāķinu?", "Labrīt, kā man samaksāt rēķinu?"),
        ("Manam dzeivūklam vajag jaunu rāķinu", "Manam dzīvoklim vajag jaunu rēķinu"),
        ("Я оплотил счёт, но долк остался", "Я оплатил счёт, но долг остался"),
        ("хочу атписаться ат рассылки", "хочу отписаться от рассылки"),
    ],
)
def test_misspelled_and_latgalian_messages_get_the_answer_of_the_word_meant(
    matcher: KnowledgeMatcher, written: str, meant: str
) -> None:
    expected = answered(matcher, meant)
    assert expected
    assert answered(matcher, written) == expected


@pytest.mark.parametrize("text", ["es nezinu", "Nezinām.", "Nazynu"])
def test_not_knowing_is_no_news(matcher: KnowledgeMatcher, text: str) -> None:
    """Folded, "nezinu" (I don't know) is "ne" + "ziņu" (news): it must not read as unsubscribing."""
    assert answered(matcher, text) == []
    assert keys(text, "lv") == []


def test_not_knowing_leaves_the_question_its_own(matcher: KnowledgeMatcher) -> None:
    assert answered(matcher, "nezinu, kā iesniegt skaitītāja rādījumus") == ["meter-readings-how"]
