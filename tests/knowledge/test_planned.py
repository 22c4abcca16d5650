"""Planned works on the house (issue 14): "when will the roof be renovated" is the manager's plan,
which the KB does not hold, not a repair to report; the repairs entry answers leaks, breakdowns and
emergencies only. Every message here was written for these tests, not taken from an evaluation set."""

from __future__ import annotations

import pytest

from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.planned import planned
from helpdesk.knowledge.reading import shadow
from tests.knowledge.conftest import answered

PLANNED = [
    "Jumta remonts notiks maijā?",
    "Labdien, kad notiks jumta remonts?",
    "Kad būs kāpņutelpas remonts?",
    "Vai kāpņutelpas remonts būs šogad?",
    "Vai nākamgad tiks remontēts pagrabs?",
    "Mūsu mājā vasarā būs lifta remonts, cik ilgi tas ilgs?",
    "Kad mūsu mājā sāksies kāpņutelpas remonts?",
    "Cik maksās plānotais jumta remonts un kad to sāks?",
    "Labdien! Mūsu mājā jumta remonts notiks maijā. Vai šajā laikā būs jāatstāj balkona durvis vaļā? "
    "Paldies.",
    "Will the roof be repaired next year?",
    "When will the roof be repaired?",
    "Is the stairwell going to be repaired this year?",
    "Our building is scheduled for a facade repair, when does it begin?",
    "The hallway will be repainted in spring, will we be told the exact dates?",
    "Hello, we got a notice that the roof will be repaired next year. Will the cost be added to our "
    "invoices? Thanks, Anna",
    "Когда будет ремонт подъезда?",
    "Ремонт крыши будет в этом году?",
    "Когда будут ремонтировать крышу?",
    "Ремонт лифта запланирован на лето, сколько он продлится?",
    "Когда начнётся капитальный ремонт крыши, который обещали?",
    "Здравствуйте! Когда будет ремонт подъезда? Там уже давно облезла краска. Спасибо.",
    "Nākamgad mūsu mājai būs jumta remonts. Kur portālā var redzēt savu rēķinu?",
]

FAULTS = [
    "Jumts tek jau otro nedēļu, vai to salabos šogad?",
    "Kad salabos lifta durvis? Tās jau nedēļu neaizveras.",
    "Kur pieteikt remontu? Ieejas durvis ir salauztas.",
    "The roof is leaking, will it be repaired this year?",
    "When will someone come to fix the leak? I reported it on Monday.",
    "Who should I tell about a repair in the building?",
    "Крыша протекает, будут ли её ремонтировать в этом году?",
    "Куда сообщить о поломке в подъезде?",
]


@pytest.mark.parametrize("text", PLANNED)
def test_planned_works_are_not_a_repair_to_report(matcher: KnowledgeMatcher, text: str) -> None:
    assert [entry for entry in answered(matcher, text) if entry is not None] == []


@pytest.mark.parametrize("text", FAULTS)
def test_a_fault_beside_the_works_is_still_a_repair(matcher: KnowledgeMatcher, text: str) -> None:
    assert answered(matcher, text) == ["repairs-emergency"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fasādes siltināšana sāksies rudenī", True),
        ("the lift renovation is planned for next summer", True),
        ("в следующем году будет ремонт фасада", True),
        ("jumta remonts notiks maijā, bet jumts tek jau tagad", False),  # a fault: a repair still
        ("the lift is broken, will it be repaired next week?", False),
        ("kur pieteikt remontu mājā", False),  # a repair, but nothing planned
        ("rēķins par maija mēnesi", False),  # a month, but no works
    ],
)
def test_planned_reads_works_said_of_the_future(text: str, expected: bool) -> None:
    assert planned(shadow(text)) is expected


@pytest.mark.parametrize(
    "text",
    [
        "У нас летом будет ремонт фасада, подпишите меня снова на новости.",
        "Labdien. Pirms gada atteicos no pārvaldnieka jaunumiem. Tagad mājai būs fasādes remonts, un gribu "
        "zināt, kas notiek. Lūdzu, atjaunojiet man jaunumu sūtīšanu.",
        "Hi, I unsubscribed from the manager's newsletter last spring. Now the building is going to be "
        "renovated next year and I'd like to follow it. Please subscribe me again.",
    ],
)
def test_planned_works_as_what_the_news_are_wanted_for(matcher: KnowledgeMatcher, text: str) -> None:
    """Works on the house are a reason to want the manager's news, as insulation is (``scope``), and
    a story of them does not colour the request beside it (``scope.colours_context``)."""
    assert answered(matcher, text) == ["action:consent-give"]
