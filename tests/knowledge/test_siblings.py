"""Siblings (``helpdesk.knowledge.siblings``): the words of an entry's distinct meaning decide
between entries of one topic. Every message here is invented for these tests."""

import pytest

from helpdesk.core.matching import Candidate
from helpdesk.knowledge import siblings
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.model import Entry
from helpdesk.knowledge.reading import shadow
from tests.knowledge.conftest import answered


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ("paid-still-debt", "rēķinu apmaksāju, bet portālā joprojām ir parāds"),
        ("paid-still-debt", "оплатила ещё в понедельник, а долг до сих пор висит"),
        ("paid-still-debt", "I have already paid but it is still showing as unpaid"),
        ("paid-still-debt", "nauda ir noņemta no konta, bet portālā vēl rāda parādu"),
        ("paid-still-debt", "деньги списали, а в кабинете показывает долг"),
        ("paid-still-debt", "the payment was debited yesterday and the portal says I owe 30 euros"),
        ("meter-readings-deadline", "с какого по какое число принимают показания?"),
        ("meter-readings-deadline", "till when can I send the readings?"),
        ("meter-readings-missed", "termiņš jau pagājis, ko darīt ar rādījumiem?"),
        ("meter-readings-missed", "срок истёк, показания больше не принимают"),
        ("meter-readings-missed", "the deadline has passed, can I still send readings?"),
        ("meter-readings-deadline", "līdz kuram datumam jānodod rādījumi?"),
        ("meter-readings-deadline", "до какого числа принимают показания?"),
        ("meter-readings-deadline", "what is the last day for readings?"),
        ("privacy-what-data", "kādus tieši datus jūs par mani glabājat?"),
        ("privacy-what-data", "какие именно сведения обо мне у вас есть?"),
        ("privacy-what-data", "which personal details do you keep?"),
        ("data-location", "kur tiek glabāti dati, vai ārpus Eiropas?"),
        ("data-location", "на каких серверах вы храните данные?"),
        ("data-location", "are the servers in the EU?"),
        ("second-recipient", "vai rēķinu var sūtīt arī manai māsai?"),
        ("second-recipient", "пусть копия счёта приходит и брату"),
        ("second-recipient", "can my husband get the invoice too?"),
        ("paper-to-email", "gribu e-pastā papīra vietā"),
        ("paper-to-email", "хочу по почте вместо бумаги"),
        ("paper-to-email", "please switch me to email bills"),
        ("meter-readings-how", "kur portālā jāievada rādījumi?"),
        ("meter-readings-how", "как передать показания через портал?"),
        ("meter-readings-how", "where do I submit readings?"),
        ("pay-online", "man ir parāds, kā to var nomaksāt portālā?"),  # how to pay, a debt too
        ("pay-online", "как можно погасить долг?"),
        ("pay-online", "where can I pay what I owe?"),
        ("second-recipient", "vai viņa arī var saņemt rēķinu?"),
    ],
)
def test_the_distinct_meaning_is_named(entry: str, text: str) -> None:
    assert siblings.names(entry, shadow(text))


@pytest.mark.parametrize(
    ("entry", "text"),
    [
        ("paid-still-debt", "kā samaksāt rēķinu ar karti?"),  # how to pay, nothing paid yet
        ("paid-still-debt", "как оплатить счёт онлайн?"),
        ("paid-still-debt", "how can I pay my bill online?"),
        ("meter-readings-deadline", "kā iesniegt rādījumus portālā?"),
        ("meter-readings-deadline", "how do I enter my readings?"),
        ("meter-readings-missed", "kad beidzas rādījumu iesniegšana?"),  # when it ends: not missed
        ("second-recipient", "gribu rēķinus e-pastā, nevis papīrā"),
        ("data-location", "kādus datus jūs apstrādājat?"),
        ("pay-online", "samaksāju, bet joprojām rāda parādu"),
    ],
)
def test_a_sibling_meaning_is_not_read_into_other_words(entry: str, text: str) -> None:
    assert not siblings.names(entry, shadow(text))


def _entries(*ids: str, source: str = "payments.yaml") -> dict[str, Entry]:
    """Entries of one file (siblings), by id."""
    return {entry: Entry(id=entry, source=f"{source}:{line}") for line, entry in enumerate(ids, 1)}


ONE_FILE = _entries(
    "pay-online", "paid-still-debt", "overpayment", "meter-readings-how", "meter-readings-deadline"
)


def test_close_siblings_without_the_named_meaning_fall_behind_the_one_with_it() -> None:
    ranked = [
        Candidate("pay-online", 60.0),
        Candidate("paid-still-debt", 52.0),
        Candidate("overpayment", 30.0),
    ]
    text = shadow("samaksāju vakar, bet portālā joprojām parāds")
    favoured = siblings.favour(ranked, text, ONE_FILE)
    assert [c.entry for c in favoured][:2] == ["paid-still-debt", "pay-online"]
    assert dict((c.entry, c.score) for c in favoured) == {
        "paid-still-debt": 52.0,  # never lifted
        "pay-online": 60.0 - siblings.PENALTY,
        "overpayment": 30.0,  # too far behind to matter
    }


def test_nothing_changes_when_the_best_entry_meaning_is_named_too() -> None:
    ranked = [Candidate("pay-online", 60.0), Candidate("paid-still-debt", 52.0)]
    text = shadow("samaksāju ar karti, bet joprojām rāda parādu")  # card: paying online
    assert siblings.favour(ranked, text, ONE_FILE) == ranked


def test_only_siblings_and_only_close_ones_are_touched() -> None:
    ranked = [Candidate("pay-online", 60.0), Candidate("paid-still-debt", 40.0)]
    text = shadow("samaksāju, bet joprojām parāds")
    assert siblings.favour(ranked, text, ONE_FILE) == ranked  # 20 points behind
    close = [Candidate("pay-online", 60.0), Candidate("paid-still-debt", 55.0)]
    apart = {**_entries("pay-online"), **_entries("paid-still-debt", source="other.yaml")}
    assert siblings.favour(close, text, apart) == close  # not one topic


def test_a_message_asking_both_how_and_until_when_keeps_its_reading() -> None:
    """Both meanings named: the markers decide nothing (the reading cuts the two questions apart)."""
    ranked = [Candidate("meter-readings-how", 80.0), Candidate("meter-readings-deadline", 75.0)]
    text = shadow("how do I enter the readings, and by which day?")
    assert siblings.favour(ranked, text, ONE_FILE) == ranked


def test_an_entry_without_markers_is_never_favoured() -> None:
    # (login-problems was the example until it got markers: a failing login, below)
    ranked = [Candidate("contact-support", 60.0), Candidate("contact-manager", 55.0)]
    entries = _entries("contact-support", "contact-manager", source="contact.yaml")
    assert siblings.favour(ranked, shadow("nevaru sazvanīt, kam rakstīt?"), entries) == ranked


def test_a_failing_login_is_favoured_over_the_way_to_log_in() -> None:
    ranked = [Candidate("login-eid", 60.0), Candidate("login-problems", 55.0)]
    entries = _entries("login-eid", "login-problems", source="account.yaml")
    favoured = siblings.favour(ranked, shadow("nevaru ielogoties ar bankas kodu"), entries)
    assert [c.entry for c in favoured] == ["login-problems", "login-eid"]


@pytest.mark.parametrize(
    ("text", "entry", "sibling"),
    [
        # Paid already, the portal still shows the debt: not how to pay.
        (
            "rēķinu apmaksāju ar pārskaitījumu no bankas, tomēr portālā aizvien parāds",
            "paid-still-debt",
            "pay-online",
        ),
        (
            "Labdien, rēķinu apmaksāju caur savu internetbanku 2. datumā, "
            "bet portālā vēl aizvien ir parāds. Kā tā?",
            "paid-still-debt",
            "pay-online",
        ),
        (
            "Добрый день. Оплатила квитанцию через интернет-банк ещё на прошлой неделе, "
            "но на сайте до сих пор задолженность. Почему?",
            "paid-still-debt",
            "pay-online",
        ),
        (
            "zaplatila cherez bank v ponedelnik, a portal vsjo eshche pokazyvaet dolg",
            "paid-still-debt",
            "pay-online",
        ),
        (
            "I transferred the money via my bank on Monday and the portal still says I owe 40 euros",
            "paid-still-debt",
            "pay-online",
        ),
        # Until which date, not how.
        (
            "do kakogo chisla nuzhno peredat pokazanija schetchikov cherez portal?",
            "meter-readings-deadline",
            "meter-readings-how",
        ),
        ("by what date must the water readings be in?", "meter-readings-deadline", "meter-readings-how"),
        # Which data, not where it is kept.
        ("kakuju informaciju obo mne vy obrabatyvaete?", "privacy-what-data", "data-location"),
        ("какие данные вы храните обо мне на портале?", "privacy-what-data", "data-location"),
    ],
)
def test_the_sibling_whose_meaning_is_named_answers(
    matcher: KnowledgeMatcher, text: str, entry: str, sibling: str
) -> None:
    found = answered(matcher, text)
    assert entry in found and sibling not in found, found


@pytest.mark.parametrize(
    ("text", "sibling"),
    [
        # A second person gets the invoice, nothing said of paper: not "paper to e-mail".
        ("can my sister also get the bill by email, she pays half", "paper-to-email"),
        # Paper to e-mail for a mother, no second recipient: not "another person".
        ("Labdien, mamma saņem papīra rēķinus, vai var pāriet uz e-pastu?", "second-recipient"),
        # "Arī" (also) after the person, not before: she gets it too, nothing of paper.
        (
            "Labdien, dzīvoju kopā ar draudzeni, mēs dalām rēķinus. "
            "Vai viņa arī var saņemt rēķinu uz savu e-pastu?",
            "paper-to-email",
        ),
    ],
)
def test_the_sibling_whose_meaning_is_not_named_does_not_answer(
    matcher: KnowledgeMatcher, text: str, sibling: str
) -> None:
    assert sibling not in answered(matcher, text)


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("how do I pay off my debt online?", "pay-online"),
        ("как оплатить долг через интернет?", "pay-online"),
        ("kak peredat pokazanija schetchikov cherez portal?", "meter-readings-how"),
        ("how do I enter water readings on the portal?", "meter-readings-how"),
        ("gde hranjatsja moi dannye, v Evrope?", "data-location"),
        ("mozhno li chtoby schet prihodil i synu tozhe na pochtu?", "second-recipient"),
        ("my father gets paper bills, can he switch to email?", "paper-to-email"),
    ],
)
def test_the_general_sibling_still_answers_its_own_questions(
    matcher: KnowledgeMatcher, text: str, entry: str
) -> None:
    assert answered(matcher, text) == [entry]


def test_siblings_are_the_entries_of_one_file(matcher: KnowledgeMatcher) -> None:
    entries = {entry.id: entry for entry in matcher.entries}
    assert siblings.same_topic(entries, "pay-online", "paid-still-debt")
    assert siblings.same_topic(entries, "meter-readings-how", "meter-readings-deadline")
    assert not siblings.same_topic(entries, "pay-online", "register")
    assert not siblings.same_topic(entries, "pay-online", "no-such-entry")
