"""What the matcher works out once per message (``once``): a clause's holders, whether a piece asks
for a deed, whether a text names another company. Remembered, each gives what a fresh reading
gives, and nothing is carried from one message to the next. The texts are invented for these tests."""

from __future__ import annotations

from collections.abc import Callable

from helpdesk.knowledge import holders, once, scope
from helpdesk.knowledge.text import forget, requests_action, shadow, words

PIECES = [
    "Atrakstiet mani no sporta kluba jaunumiem, lūdzu.",
    "Atrakstiet mani no sporta kluba jaunumiem, lūdzu. Un kā nomainīt e-pastu?",
    "Пришлите мне счёт за март, вы храните мои данные?",
    "My data is held by the library, please correct my surname there.",
    "Elektrum atsūtīja rēķinu, bet jūsu rēķins nav atnācis.",
    "vai jus varat atsutiet rekinu",
    "",
]


def _fresh(read: Callable[[str], object], text: str) -> object:
    forget()
    return read(text)


def test_remembered_readings_are_the_fresh_ones() -> None:
    readings: tuple[Callable[[str], object], ...] = (
        lambda text: holders.read(text),
        requests_action,
        lambda text: scope.colours_context(shadow(text)),
        lambda text: scope.Mentions.of(shadow(text)),
    )
    for read in readings:
        fresh = [_fresh(read, piece) for piece in PIECES]
        forget()
        twice = [read(piece) for piece in PIECES + PIECES]
        assert twice == fresh + fresh


def test_a_function_is_read_once_per_message_and_afresh_after_forget() -> None:
    calls: list[str] = []

    @once.per_message
    def length(text: str) -> int:
        calls.append(text)
        return len(text)

    assert (length("kur ir rēķins"), length("kur ir rēķins")) == (13, 13)
    assert calls == ["kur ir rēķins"]
    forget()
    assert length("kur ir rēķins") == 13
    assert calls == ["kur ir rēķins", "kur ir rēķins"]


def test_what_is_remembered_is_bounded() -> None:
    @once.per_message
    def same(text: str) -> str:
        return text

    for number in range(once.KEPT + 5):
        assert same(str(number)) == str(number)
    assert same("0") == "0"


def test_what_is_remembered_cannot_be_changed_by_a_reader() -> None:
    forget()
    said = words("Atsūtiet rēķinu")
    said.append("cits")
    assert words("Atsūtiet rēķinu") == said[:-1]
    clause = " ".join(words("atrakstiet mani no sporta kluba jaunumiem"))
    for read in (holders._clause_phrases, holders._locatives):
        assert all(isinstance(phrase, tuple) for phrase in read(clause))
