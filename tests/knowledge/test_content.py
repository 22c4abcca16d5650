"""The shipped knowledge base: every entry the issue asks for, in three languages, with several
phrasings each, and no fact that only the property manager knows invented in it."""

from __future__ import annotations

import re

import pytest

from helpdesk.core.types import Action
from helpdesk.knowledge.files import SHIPPED_DIR, knowledge_dirs, read_knowledge
from helpdesk.knowledge.model import CONVERSATION_FACTS, LANGUAGES, PLACEHOLDER, Entry

REQUIRED = [
    "register",
    "login-eid",
    "login-problems",
    "personal-code-why",
    "several-apartments",
    "meter-readings-deadline",
    "meter-readings-how",
    "meter-readings-missed",
    "meter-readings-fix",
    "invoice-missing",
    "invoice-spam",
    "paper-to-email",
    "paper-fee",
    "change-invoice-email",
    "second-recipient",
    "pay-online",
    "auto-payment",
    "paid-still-debt",
    "overpayment",
    "late-fee",
    "invoice-explained",
    "new-owner",
    "sold-apartment",
    "news-unsubscribe",
    "privacy-what-data",
    "privacy-correct",
    "privacy-complaint",
    "privacy-retention",
    "data-location",
    "contact-manager",
    "contact-support",
]
ACTIONS = [
    "action:invoice",
    "action:consent-withdraw",
    "action:consent-give",
    "action:access-request",
    "action:correction-request",
    "action:human",
]
# Entries whose answer depends on the property manager, and the placeholder that carries the fact.
MANAGER_FACTS = {
    "meter-readings-deadline": "manager_meter_deadline",
    "meter-readings-missed": "manager_missed_readings",
    "paper-fee": "manager_paper_fee",
    "late-fee": "manager_late_fee",
    "contact-manager": "manager_contact",
}
MIN_PHRASINGS = 5


@pytest.fixture(scope="module")
def entries() -> dict[str, Entry]:
    knowledge, problems = read_knowledge(knowledge_dirs(None))
    assert [str(p) for p in problems] == []
    return {entry.id: entry for entry in knowledge.entries}


def test_every_required_entry_and_action_exists(entries: dict[str, Entry]) -> None:
    missing = [entry_id for entry_id in (*REQUIRED, *ACTIONS) if entry_id not in entries]
    assert missing == []
    assert set(ACTIONS) <= {str(action) for action in Action}  # the dispatcher knows every action id


@pytest.mark.parametrize("entry_id", REQUIRED)
def test_entries_have_title_body_and_several_phrasings_per_language(
    entries: dict[str, Entry], entry_id: str
) -> None:
    entry = entries[entry_id]
    assert set(entry.texts) == set(LANGUAGES)
    for language in LANGUAGES:
        localized = entry.texts[language]
        assert localized.title.strip() and localized.body.strip(), (entry_id, language)
        assert len(set(localized.phrasings)) >= MIN_PHRASINGS, (entry_id, language, localized.phrasings)


@pytest.mark.parametrize("entry_id", ACTIONS)
def test_actions_have_several_phrasings_per_language(entries: dict[str, Entry], entry_id: str) -> None:
    for language in LANGUAGES:
        assert len(set(entries[entry_id].texts[language].phrasings)) >= MIN_PHRASINGS, (entry_id, language)


def test_latvian_texts_are_written_with_diacritics(entries: dict[str, Entry]) -> None:
    latvian = re.compile(r"[āčēģīķļņšūž]")
    for entry_id in REQUIRED:
        localized = entries[entry_id].texts["lv"]
        assert latvian.search(localized.body), entry_id
        assert re.search(r"[\u0400-\u04ff]", entries[entry_id].texts["ru"].body), entry_id


@pytest.mark.parametrize(("entry_id", "placeholder"), sorted(MANAGER_FACTS.items()))
def test_manager_facts_are_placeholders(entries: dict[str, Entry], entry_id: str, placeholder: str) -> None:
    for language in LANGUAGES:
        body = entries[entry_id].texts[language].body
        assert placeholder in PLACEHOLDER.findall(body), (entry_id, language)


def test_no_deadline_fee_or_amount_is_invented() -> None:
    """No digits in any shipped answer or shipped placeholder text: dates, days, fees and amounts
    come from the operator's placeholders.yaml."""
    knowledge, _ = read_knowledge([(SHIPPED_DIR, True)])
    for entry in knowledge.entries:
        for language, localized in entry.texts.items():
            assert not re.search(r"\d|€|eur\b", localized.body, re.IGNORECASE), (entry.id, language)
    for name, texts in knowledge.placeholders.items():
        for language, text in texts.items():
            assert not re.search(r"\d|€", text), (name, language)
            assert set(texts) == set(LANGUAGES), name


def test_filled_answers_have_no_placeholder_left(entries: dict[str, Entry]) -> None:
    """Only the conversation's facts are left, for the handler to fill (``CONVERSATION_FACTS``)."""
    knowledge, _ = read_knowledge(knowledge_dirs(None))
    for entry_id in REQUIRED:
        for language in LANGUAGES:
            left = PLACEHOLDER.findall(knowledge.fill(entries[entry_id].texts[language].body, language))
            assert set(left) <= CONVERSATION_FACTS, (entry_id, language, left)


def test_the_missing_invoice_says_what_this_chat_can_send(entries: dict[str, Entry]) -> None:
    for language in LANGUAGES:
        assert "{invoice_here}" in entries["invoice-missing"].texts[language].body


def test_privacy_answers_follow_the_policy(entries: dict[str, Entry]) -> None:
    for language in LANGUAGES:
        assert "dvi.gov.lv" in entries["privacy-complaint"].texts[language].body  # the supervisory authority
    assert "ES/EEZ" in entries["data-location"].texts["lv"].body
    assert "EU/EEA" in entries["data-location"].texts["en"].body


PRIVACY_ENTRIES = (
    "privacy-what-data",
    "privacy-correct",
    "privacy-complaint",
    "privacy-retention",
    "data-location",
)


def test_privacy_answers_say_what_the_policy_says(entries: dict[str, Entry]) -> None:
    """The policy's retention grounds (labour law, accounting, electronic communications, archives,
    limitation), its three rights (access, correction, complaint to the Data State Inspectorate) and
    Paysera only where the management company uses online payment."""
    retention = entries["privacy-retention"].texts["lv"].body
    for ground in ("darba tiesību", "grāmatvedības", "elektronisko sakaru", "arhīva", "noilgum", "leģitīm"):
        assert ground in retention, ground
    assert "Datu valsts inspekcijai" in entries["privacy-complaint"].texts["lv"].body
    what = entries["privacy-what-data"].texts["lv"].body
    assert "piekļūt" in what and "Ja Jūsu apsaimniekošanas uzņēmums izmanto" in what
    assert "labošanu" in entries["privacy-correct"].texts["lv"].body


def test_privacy_answers_promise_no_right_the_policy_does_not_name(entries: dict[str, Entry]) -> None:
    """The policy names access, correction and a complaint; erasure on request, portability,
    restriction or objection rights are not promised by the shipped text."""
    unnamed = re.compile(r"pārnes|ierobežo|dzēst savus|dzēsiet|portabil|erasure|restrict|переносим|ограничен")
    for entry_id in PRIVACY_ENTRIES:
        for language in LANGUAGES:
            assert not unnamed.search(entries[entry_id].texts[language].body.lower()), (entry_id, language)
