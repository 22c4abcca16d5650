"""Mails of two or three questions: each known question gets its answer in one reply, a follow-up
that names little of its own ("And what if I missed it?") is read with the question before it, and
a vague follow-up still goes to a person. The messages are invented for these tests."""

from __future__ import annotations

from dataclasses import replace

import pytest

from helpdesk.core.matching import Candidate, Decision
from helpdesk.knowledge.confidence import Signals
from helpdesk.knowledge.followup import OWN_SUBJECT, inherited
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.overlaps import backed, support
from helpdesk.knowledge.parts import Unit, Verdict
from tests.knowledge.conftest import answered


def _parts(matcher: KnowledgeMatcher, text: str) -> list[tuple[Decision, str | None]]:
    return [(part.decision, part.entry) for part in matcher.read(text).parts]


@pytest.mark.parametrize(
    ("text", "entries"),
    [
        (  # the second question's pair with the first reads a blend of both
            "Labdien! Kā var izlabot uzvārdu, ja portālā tas ierakstīts nepareizi?\n"
            "Un kā nomainīt e-pastu, uz kuru nāk rēķini?",
            ["change-invoice-email"],
        ),
        (
            "Hello, when is the deadline for meter readings?\nAnd what if I missed it?",
            ["meter-readings-deadline", "meter-readings-missed"],
        ),
        (
            "Добрый вечер. Когда нужно сдать показания?\nА что, если забыл?",
            ["meter-readings-deadline", "meter-readings-missed"],
        ),
        (
            "Labdien! Kā iesniegt skaitītāju rādījumus?\nUn kā samaksāt rēķinu internetā?\n"
            "Vai var rēķinu sūtīt arī meitai?",
            ["meter-readings-how", "pay-online", "second-recipient"],
        ),
        (
            "Добрый день. Сколько времени вы храните мои данные?\n"
            "И куда можно подать жалобу, если я не согласен с обработкой моих данных?",
            ["privacy-retention", "privacy-complaint"],
        ),
    ],
)
def test_each_known_question_is_answered(matcher: KnowledgeMatcher, text: str, entries: list[str]) -> None:
    assert answered(matcher, text) == entries


@pytest.mark.parametrize(
    ("text", "first"),
    [
        (
            "Labdien! Līdz kuram datumam jāiesniedz rādījumi?\nUn kas notiek ar manu iepriekšējo vēstuli?",
            "meter-readings-deadline",
        ),
        ("Здравствуйте. Как оплатить счёт онлайн?\nА что с моим прошлым письмом?", "pay-online"),
        (
            "Hello. How long do you keep my personal data?\nAnd what about the other thing?",
            "privacy-retention",
        ),
    ],
)
def test_a_vague_follow_up_goes_to_a_person(matcher: KnowledgeMatcher, text: str, first: str) -> None:
    assert _parts(matcher, text) == [(Decision.ANSWER, first), (Decision.ESCALATE, None)]


def _verdict(*entries: str) -> Verdict:
    candidates = tuple(Candidate(entry, 60.0 - 10 * rank) for rank, entry in enumerate(entries))
    return Verdict(Decision.ESCALATE, None, 60.0, candidates)


def test_support_is_none_when_every_piece_around_is_about_another_question() -> None:
    spans = [(0, 0), (1, 1), (0, 1)]
    asking = [True, True]
    # The pair blends both questions: it reads neither first, but the first question second.
    verdicts = [
        _verdict("privacy-correct"),
        _verdict("change-invoice-email"),
        _verdict("meter-readings-fix", "privacy-correct"),
    ]
    assert support(spans, verdicts, 1, asking) is None
    # A pair that adds only context and reads elsewhere pulls the reading away: 0, not None.
    assert support(spans, verdicts, 1, [False, True]) == 0.0


def _signals(evidence: float) -> Signals:
    return Signals(70.0, 20.0, evidence, 0.0, 4, True, False, False, False)


def test_a_question_nobody_vouches_for_is_read_as_a_message_of_its_own() -> None:
    alone = backed(_signals(1.7), None)
    assert (alone.fragment, alone.support) == (False, 0.0)
    # One that names no subject of its own stays a scrap of the mail, and so does one the mail speaks of.
    assert backed(_signals(0.6), None).fragment
    spoken = backed(_signals(1.7), 0.5)
    assert (spoken.fragment, spoken.support) == (True, 0.5)


def _unit(
    first: int, last: int, entry: str | None, *ranked: str, score: float = 80.0, subject: float = 0.5
) -> Unit:
    decision = Decision.ANSWER if entry else Decision.ESCALATE
    candidates = tuple(Candidate(e, score - 10 * rank) for rank, e in enumerate(ranked))
    return Unit(first, last, decision, entry, score, candidates, True, subject, False, 0.9)


def test_a_follow_up_inherits_the_reading_of_the_pair() -> None:
    first = _unit(0, 0, "meter-readings-deadline", "meter-readings-deadline")
    follow = _unit(1, 1, None, "meter-readings-missed", "late-fee", score=46.0)
    pair = _unit(0, 1, "meter-readings-missed", "meter-readings-missed", "meter-readings-deadline")
    decided = [first, follow, pair]

    def found(
        single: Unit = follow, units: list[Unit] = decided, excluded: frozenset[str] = frozenset()
    ) -> Unit | None:
        return inherited(
            1, single, units, [first], {"meter-readings-deadline"}, lambda u: u.score >= 55, excluded
        )

    got = found()
    assert got is not None and (got.first, got.last, got.entry) == (1, 1, "meter-readings-missed")
    # Not when the follow-up names a subject of its own, leans elsewhere, or the pair is unsure.
    assert found(single=replace(follow, subject=OWN_SUBJECT)) is None
    elsewhere = _unit(1, 1, None, "late-fee", "pay-online", score=46.0)
    assert found(single=elsewhere) is None
    assert (
        found(
            units=[first, follow, _unit(0, 1, "meter-readings-missed", "meter-readings-missed", score=50.0)]
        )
        is None
    )
    # Nor when it would change what is stored.
    assert found(excluded=frozenset({"meter-readings-missed"})) is None
