"""Chat written as residents type it (issue 14): Latin-letter Russian with the portal's Latvian
words, a Latvian "lūdzu" inside Russian, particles that only stress, lower-case sentences, and a
verb of stopping with "man"/"мне" before the sending. Every message here is invented."""

import pytest

from helpdesk.knowledge import operations, translit
from helpdesk.knowledge.language import indexes_for
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import parse
from tests.knowledge.conftest import answered


def test_a_joined_latvian_word_is_latvian_in_its_parts(matcher: KnowledgeMatcher) -> None:
    # "personas kods" is read "personaskods"; "kods" alone must not become Cyrillic "кодс".
    assert matcher._reader.word("kods")[2]
    assert answered(matcher, "skazhite zachem vam nuzhen moj personas kods?") == ["personal-code-why"]


def test_sh_may_stand_for_shch() -> None:
    known = {"вообще", "еще"}.__contains__
    assert translit.russian_reading("voobshe", known) == ("вообще", True)
    assert translit.russian_reading("eshe", known) == ("еще", True)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("kādus datus jūs par mani vispār glabājat?", "privacy-what-data"),
        ("kam jums vispar vajag manu personas kodu", "personal-code-why"),
        ("what data do you actually have about me?", "privacy-what-data"),
    ],
)
def test_a_stressing_particle_dilutes_nothing(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    assert answered(matcher, text) == [entry]


def test_latvian_please_inside_russian_is_no_latin_question(matcher: KnowledgeMatcher) -> None:
    # The Latvian index would read "jaunumiem" alone; "lūdzu" and "no" say nothing.
    assert indexes_for("lūdzu, отпишите no jaunumiem") == ("ru",)
    assert indexes_for("не пришёл rēķins par novembri") == ("ru", "lv", "en")
    assert answered(matcher, "lūdzu, отпишите меня от рассылки, mums nevajag") == ["action:consent-withdraw"]


def test_a_lower_case_sentence_after_a_full_stop_is_its_own() -> None:
    assert len(parse("nesutiet vairs jaunumus lūdzu. rekinus gan suutiet").sentences) == 2
    assert len(parse("rēķinu atsūtīja 10. datumā bez kļūdām").sentences) == 1
    assert len(parse("lūdzu zvaniet uz tel. numuru mājās").sentences) == 1


def test_two_sentences_in_lower_case_answer_the_request(matcher: KnowledgeMatcher) -> None:
    assert answered(matcher, "nesutiet vairs jaunumus lūdzu. rekinus gan suutiet") == [
        "action:consent-withdraw"
    ]


@pytest.mark.parametrize(
    "text",
    ["beidziet mums sutit jaunumus", "perestan'te mne prisylat' novosti", "stop sending me any more news"],
)
def test_stopping_reaches_past_whom_it_is_sent_to(matcher: KnowledgeMatcher, text: str) -> None:
    assert answered(matcher, text) == ["action:consent-withdraw"]


def test_stopping_with_a_pronoun_names_no_give() -> None:
    found = operations.named("beidziet man sūtīt jaunumus")
    assert operations.WITHDRAW in found
    assert operations.GIVE not in found
    found = operations.named("перестаньте мне больше присылать новости")
    assert operations.WITHDRAW in found
    assert operations.GIVE not in found
