"""Latvian and Russian typed in Latin letters in one line ("rekins ne prishel, cto delat"), and the
informal spellings of Latin-letter Russian ("cto", "4to", "svjazatsja", "upravljajuwim"). Every
message here was written for this test (issue 14, kind 6), not taken from an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.knowledge import translit
from helpdesk.knowledge.matcher import KnowledgeMatcher
from tests.knowledge.conftest import answered

_RUSSIAN = frozenset({"не", "пришел", "что", "делать", "связаться", "управляющим", "счетчик", "в", "портал"})
_LATIN = frozenset({"rekins", "kas", "jadara", "ne", "portal"})


def _convert(text: str) -> str:
    return translit.convert_known(text, russian=_RUSSIAN.__contains__, latin=_LATIN.__contains__)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # went to a person before: each half was known, the line as a whole was neither language
        ("rekins ne prishel, cto delat", "invoice-missing"),
        ("rekins ne prishel 4to delat", "invoice-missing"),
        ("lidz kuram datumam pokazanija peredat", "meter-readings-deadline"),
        ("kā samaksat rekinu, kak oplatit", "pay-online"),
        ("kak svjazatsja s upravljajuwim", "contact-manager"),
        # answered before and still
        ("rekins ne prishel, chto delat", "invoice-missing"),
        ("kur ievadit pokazanija skaititaja", "meter-readings-how"),
        ("gde moj schet za oktjabr, nesanemu rekinu", "invoice-missing"),
        ("kak peredat pokazanija schet4ika", "meter-readings-how"),
        ("zabyl peredat pokazanija, ko darit", "meter-readings-missed"),
        ("nevaru ielogoties, ne rabotaet vhod", "login-problems"),
        ("hochu svjazatsja s upravljajushhim", "contact-manager"),
        ("gribu runat ar cilveku, hochu pogovorit s chelovekom", "action:human"),
        ("es samaksaju, no pokazyvaet dolg", "paid-still-debt"),
        ("ja prodal kvartiru, pardevu dzivokli", "sold-apartment"),
        ("ne ponimaju schet, cto za summy", "invoice-explained"),
    ],
)
def test_mixed_line_answers(matcher: KnowledgeMatcher, text: str, entry: str) -> None:
    assert answered(matcher, text) == [entry]


@pytest.mark.parametrize(
    ("word", "cyrillic"),
    [
        ("cto", "что"),
        ("4to", "что"),
        ("svjazatsja", "связаться"),
        ("upravljajuwim", "управляющим"),
        ("schet4ik", "счетчик"),
        ("delat", "делать"),
    ],
)
def test_informal_spellings_read_as_known_words(word: str, cyrillic: str) -> None:
    assert translit.russian_reading(word, _RUSSIAN.__contains__) == (cyrillic, True)


def test_unknown_word_keeps_the_usual_scheme() -> None:
    assert translit.russian_reading("prishol", _RUSSIAN.__contains__) == ("пришол", False)


def test_mixed_line_keeps_its_latvian_words() -> None:
    assert _convert("rekins ne prishel, cto delat") == "rekins не пришел, что делать"
    assert _convert("ne mogu zaiti v portal, kas jadara") == "ne mogu zaiti v portal, kas jadara"


def test_shared_word_converts_next_to_russian_ones() -> None:
    """ "ne" and "portal" are Latvian/English too: Russian only beside a Russian-only word."""
    assert _convert("ne prishel cto v portal, kas jadara") == "не пришел что в портал, kas jadara"


def test_one_russian_looking_word_converts_nothing() -> None:
    """ "kodu" is a Latvian form and коду a Russian one: one such word does not make a line mixed."""
    assert (
        translit.convert_known(
            "kapec vajag manu personas kodu", russian={"коду"}.__contains__, latin=set().__contains__
        )
        == "kapec vajag manu personas kodu"
    )


def test_digit_after_digit_is_no_letter() -> None:
    assert [word for *_, word in translit.latin_words("dz. 14a, 4to")] == ["dz", "4to"]
