"""The shipped answers held to the rules the residents' catalogs follow (tests/handlers/
test_resident_texts.py): titles that fit the button they become, the polite capitalised Jūs/Вы,
Latvian and Russian without stray English, the languages' own quotation marks, the catalogs' terms,
the same placeholders, addresses and names in all three languages, and every phrase an answer tells
the resident to write doing what the answer promises."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpdesk.app import build_services
from helpdesk.core.matching import Answer, Candidate, Decision, Match
from helpdesk.core.types import Action, Channel, Inquiry, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.knowledge.files import SHIPPED_DIR, read_knowledge
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD, MARGIN, KnowledgeMatcher
from helpdesk.knowledge.model import LANGUAGES, PLACEHOLDER, TITLE_MAX, Entry, KnowledgeBase
from helpdesk.settings import load_settings
from tests.handlers.test_resident_texts import ALONE_MAX, ENGLISH_ONLY, LATIN_ALLOWED, LOWERCASE_POLITE


@pytest.fixture(scope="module")
def knowledge() -> KnowledgeBase:
    found, problems = read_knowledge([(SHIPPED_DIR, True)])
    assert [str(p) for p in problems] == []
    return found


@pytest.fixture(scope="module")
def matcher(knowledge: KnowledgeBase) -> KnowledgeMatcher:
    return KnowledgeMatcher(knowledge, threshold=ANSWER_THRESHOLD, margin=MARGIN)


def _answers(knowledge: KnowledgeBase) -> list[Entry]:
    return [entry for entry in knowledge.entries if not entry.is_action]


def _texts(knowledge: KnowledgeBase, language: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every title, answer and shipped placeholder text a resident reads."""
    for entry in _answers(knowledge):
        localized = entry.texts[language]
        yield f"{entry.id} title", localized.title
        yield f"{entry.id} body", localized.body
    for name, texts in knowledge.placeholders.items():
        yield f"{{{name}}}", texts[language]


# --- titles: the buttons of the "which one did you mean" question --------------------------------


def test_titles_fit_the_button_they_become(knowledge: KnowledgeBase) -> None:
    assert TITLE_MAX == ALONE_MAX  # the catalogs' limit for a button alone in its row
    too_long = [
        f"{entry.id} {language}: {entry.texts[language].title!r} ({len(entry.texts[language].title)})"
        for entry in _answers(knowledge)
        for language in LANGUAGES
        if len(entry.texts[language].title) > TITLE_MAX
    ]
    assert too_long == []


def test_kb_check_warns_about_a_title_too_long_for_a_button(tmp_path: Path) -> None:
    (tmp_path / "local.yaml").write_text(
        "- id: gate-code\n"
        "  lv:\n"
        "    title: Kāds ir kāpņu telpas vārtu kods mūsu mājā\n"
        "    body: Jautājiet pārvaldniekam.\n"
        "    phrasings: [vārtu kods]\n"
        "- id: door-code\n"
        "  lv:\n"
        "    title: Kāpņu telpu ieejas durvis\n"  # 25 characters: fits
        "    body: Jautājiet pārvaldniekam.\n"
        "    phrasings: [durvju kods]\n",
        encoding="utf-8",
    )
    _, problems = read_knowledge([(tmp_path, False)])
    long_title = [p for p in problems if "characters" in p.message]
    assert [(p.line, p.warning) for p in long_title] == [(3, True)]
    assert "has 41 characters; as a button a phone shows about 25" in long_title[0].message


@dataclass
class _Unsure:
    """The shipped answers, but every question is "too close to choose" between ``entries``."""

    real: KnowledgeMatcher
    entries: tuple[str, ...]

    def match(self, text: str, language: str | None = None) -> Match:
        candidates = tuple(Candidate(entry, 70.0 - n) for n, entry in enumerate(self.entries))
        return Match(None, 70.0, Decision.CLARIFY, language or "lv", candidates)

    def answer(self, entry: str, language: str) -> Answer | None:
        return self.real.answer(entry, language)

    def detect_language(self, text: str, default: str) -> str:
        return default


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_clarify_question_shows_each_title_alone_in_its_row(
    database_url: str, tmp_path: Path, knowledge: KnowledgeBase, matcher: KnowledgeMatcher, language: str
) -> None:
    """Why the limit is the one for a button alone: the handler puts one candidate a row."""
    longest = sorted(_answers(knowledge), key=lambda e: -len(e.texts[language].title))[:4]
    settings = load_settings(
        database_url=database_url, invoice_dir=tmp_path, secret_key="kb-test-key-Ze4rT8wN2qLx6KpB9mVc3HdS"
    )
    services = build_services(settings, matcher=_Unsure(matcher, tuple(e.id for e in longest)))
    try:
        inquiry = Inquiry(channel=Channel.TELEGRAM, sender="7", reply_to="7", text="?", language=language)
        reply = await handle(inquiry, services)
    finally:
        await services.aclose()
    assert reply.kind is ReplyKind.QUESTION
    assert [len(row) for row in reply.buttons] == [1] * 5  # four candidates, then "ask a person"
    titles = [entry.texts[language].title for entry in longest]
    assert [row[0].label for row in reply.buttons[:4]] == titles
    assert [row[0].args for row in reply.buttons[:4]] == [{"entry": entry.id} for entry in longest]
    assert reply.buttons[4][0].action is Action.HUMAN


def test_a_title_typed_back_brings_its_entry(matcher: KnowledgeMatcher, knowledge: KnowledgeBase) -> None:
    """The mail lists the titles as options to answer with: each must bring its own entry."""
    astray = []
    for entry in _answers(knowledge):
        for language in LANGUAGES:
            title = entry.texts[language].title
            match = matcher.match(title, language)
            if (match.decision, match.entry) != (Decision.ANSWER, entry.id):
                astray.append((entry.id, language, title, str(match.decision), match.entry))
    assert astray == []


# --- wording ------------------------------------------------------------------------------------

# Names and addresses that stay in Latin letters in the answers, besides the catalogs' ones.
KB_NAMES = re.compile(
    LATIN_ALLOWED.pattern
    + r"|eParaksts mobile|eParakst[a-z]*|Paysera|SIA\W{1,2}Klientiem\W"
    + r"|Datu valsts inspekcija"  # the authority's own name, given beside its Russian one
    + r"|[\w.]+@[\w.]+\w|www\.[\w.]+\w"  # e-mail and web addresses
    + r"|файлы cookie"  # what the browsers' Russian menus call them
)


def test_russian_answers_have_no_english(knowledge: KnowledgeBase) -> None:
    leftovers = [
        (where, text)
        for where, text in _texts(knowledge, "ru")
        if re.search(r"[A-Za-z]", KB_NAMES.sub("", text))
    ]
    assert leftovers == []


# English words residents' answers have used, beyond the catalogs' list of English-only words.
KB_ENGLISH = frozenset(["spam", "online", "mail", "email", "cookies", "login", "link", "newsletter"])


def test_latvian_answers_have_no_english(knowledge: KnowledgeBase) -> None:
    english = ENGLISH_ONLY | KB_ENGLISH
    leftovers = [
        (where, text)
        for where, text in _texts(knowledge, "lv")
        if set(re.findall(r"[^\W\d_]+", KB_NAMES.sub("", text).lower())) & english  # "notīriet" is no "not"
    ]
    assert leftovers == []


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_the_resident_is_addressed_with_a_capital(knowledge: KnowledgeBase, language: str) -> None:
    lowercase = [
        (where, text)
        for where, text in _texts(knowledge, language)
        if LOWERCASE_POLITE[language].search(text)
    ]
    assert lowercase == []


@pytest.mark.parametrize(("language", "quotes"), [("lv", "„”"), ("ru", "«»")])
def test_quotation_marks_are_the_languages_own(knowledge: KnowledgeBase, language: str, quotes: str) -> None:
    foreign = set('"“') if language == "lv" else set('"“”„')
    texts = list(_texts(knowledge, language))
    assert [(where, text) for where, text in texts if foreign & set(text)] == []
    assert [(where, text) for where, text in texts if text.count(quotes[0]) != text.count(quotes[1])] == []


# The catalogs' one term per thing: what an answer must not say, and what the catalogs say instead.
WRONG_TERMS = {
    "lv": {
        r"tērzēšan": "sarakste (the chat)",
        r"cilvēk": "darbinieks (our staff) or persona",
        r"jaunumu vēstul": "jaunumu e-pasts",
        r"konta īpašniek": "konts pieder Jums",
    },
    "ru": {
        r"аккаунт": "учётная запись (the portal account)",
        r"(?<!электронной )(?<!электронную )почт": "электронная почта (почта alone reads as the post)",
        r"ответит человек": "ответит сотрудник",
        r"рассылк": "новостные письма",
    },
    "en": {r"\bemail": "e-mail", r"\bbills?\b": "invoice"},
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_answers_use_the_catalogs_terms(knowledge: KnowledgeBase, language: str) -> None:
    wrong = [
        (where, pattern, instead)
        for where, text in _texts(knowledge, language)
        for pattern, instead in WRONG_TERMS[language].items()
        if re.search(pattern, text, re.IGNORECASE)
    ]
    assert wrong == []


# What must be the same in every language of an answer: placeholders, addresses and the names.
SHARED = re.compile(
    r"\{[a-z_]+\}|[\w.]+@[\w.]+\w|www\.[\w.]+\w|Klientiem\.lv|MansDzib\.lv|Paysera|eID|eParakst|SIA\W{1,2}Klientiem"
)


def _shared(text: str) -> set[str]:
    return {
        re.sub(r"\W+", " ", found) if found.startswith("SIA") else found for found in SHARED.findall(text)
    }


def test_placeholders_addresses_and_names_agree_across_languages(knowledge: KnowledgeBase) -> None:
    differ = {}
    for entry in _answers(knowledge):
        found = {language: _shared(entry.texts[language].body) for language in LANGUAGES}
        if len({frozenset(names) for names in found.values()}) != 1:
            differ[entry.id] = found
    assert differ == {}
    assert _shared("SIA „Klientiem”, {manager_contact}") == {"SIA Klientiem", "{manager_contact}"}


def test_shipped_placeholders_say_it_in_every_language(knowledge: KnowledgeBase) -> None:
    for name, texts in knowledge.placeholders.items():
        assert set(texts) == set(LANGUAGES), name
        assert not any(PLACEHOLDER.search(text) for text in texts.values()), name


# Phrases an answer tells the resident to write, and what writing them must do.
COMMANDS = {
    "news-unsubscribe": (
        "action:consent-withdraw",
        {"lv": "atrakstīties", "ru": "отписаться", "en": "unsubscribe"},
    ),
    "privacy-what-data": (
        "action:access-request",
        {"lv": "pieprasu savus datus", "ru": "запрос моих данных", "en": "request my data"},
    ),
    "privacy-correct": (
        "action:correction-request",
        {"lv": "labot manus datus", "ru": "исправьте мои данные", "en": "correct my data"},
    ),
}
# Other quoted words: the mail programs' own labels, and the company's name.
LABELS = {
    "lv": {"Nav mēstule", "Klientiem"},
    "ru": {"Не спам", "Спам", "Входящие", "Klientiem"},
    "en": {"not spam", "Klientiem"},
}
QUOTED = {"lv": re.compile("„([^”]*)”"), "ru": re.compile("«([^»]*)»"), "en": re.compile('"([^"]*)"')}


@pytest.mark.parametrize("language", LANGUAGES)
def test_what_an_answer_tells_the_resident_to_write_does_it(
    knowledge: KnowledgeBase, matcher: KnowledgeMatcher, language: str
) -> None:
    by_id = {entry.id: entry for entry in knowledge.entries}
    wrong = []
    for entry_id, (action, phrases) in COMMANDS.items():
        phrase = phrases[language]
        assert phrase in QUOTED[language].findall(by_id[entry_id].texts[language].body), (entry_id, phrase)
        match = matcher.match(phrase, language)
        if (match.decision, match.entry) != (Decision.ANSWER, action):
            wrong.append((phrase, str(match.decision), match.entry, match.candidates))
    assert wrong == []
    # and nothing else is quoted as a thing to write, which this test would not have tried
    known = {phrases[language] for _action, phrases in COMMANDS.values()} | LABELS[language]
    quoted = {
        found
        for entry in _answers(knowledge)
        for found in QUOTED[language].findall(entry.texts[language].body)
    }
    assert quoted - known == set()
