"""What residents read, checked in every language where a check can be mechanical: button labels
that fit a phone, placeholders and plural forms that survive translation, Russian without stray
English, the polite capitalised Вы/Jūs of a service writing to one customer, the languages' own
quotation marks, and counts that agree with their noun (1 час → в течение 21 часа, 5 часов).

The domains are the resident's: ``helpdesk`` (everything a conversation shows on any channel: the
handlers' replies, buttons, commands and refusals; what casework sends: notices, the Art. 15 export;
and the e-mail templates and notices); of the ``console`` catalog, the entries residents read (the
unsubscribe page, found from its template, see ``console_resident_msgids``). The agents' pages and
the ``jobs`` catalog are not read by residents and are not checked here.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

import helpdesk
from helpdesk.core.types import Action, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.i18n import LOCALES_DIR, gettext_for
from helpdesk.services import Services

from .conftest import action, telegram

PACKAGE = Path(helpdesk.__file__).parent
DOMAINS = ("helpdesk",)
PLACEHOLDER = re.compile(r"\{(\w*)\}")

# Telegram draws inline buttons at the chat's width and cuts a long label with "…". On a phone a
# button alone in its row shows about 25 characters; two in a row share the width.
ALONE_MAX = 25
SHARED_MAX = 21


def _catalog(domain: str, language: str) -> Catalog:
    with (LOCALES_DIR / language / "LC_MESSAGES" / f"{domain}.po").open("rb") as handle:
        return read_po(handle, locale=language, domain=domain)


def _forms(message_string: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if message_string is None:
        return []
    forms = [message_string] if isinstance(message_string, str) else list(message_string)
    return [form for form in forms if form]


def _translations(domain: str, language: str) -> list[tuple[str, str]]:
    """(msgid, text) for every translated form; an empty msgstr falls back to the msgid."""
    pairs: list[tuple[str, str]] = []
    for message in _catalog(domain, language):
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        pairs.extend((msgid, form) for form in _forms(message.string))
    return pairs


# --- button labels ------------------------------------------------------------------------------


def _label_msgid(node: ast.expr) -> str | None:
    """The msgid of ``_("...")`` or ``ctx._("...")``."""
    if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
        return None
    func = node.func
    named = (isinstance(func, ast.Name) and func.id == "_") or (
        isinstance(func, ast.Attribute) and func.attr == "_"
    )
    value = node.args[0].value
    return value if named and isinstance(value, str) else None


def _button_calls(row: ast.expr, makers: set[str]) -> list[ast.Call]:
    elements = row.elts if isinstance(row, ast.Tuple | ast.List) else []
    return [
        element
        for element in elements
        if isinstance(element, ast.Call) and isinstance(element.func, ast.Name) and element.func.id in makers
    ]


def button_labels(path: Path, makers: set[str]) -> dict[str, int]:
    """Each label msgid passed to a button maker in ``path`` and how many buttons share its row.

    A row is a tuple or list literal of button calls; a label in ``action_title`` is alone in its row
    (the "which one did you mean" question lists one candidate a row).
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    labels: dict[str, int] = {}

    def note(msgid: str | None, width: int) -> None:
        if msgid is not None:
            labels[msgid] = max(width, labels.get(msgid, 0))

    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List):
            row = _button_calls(node, makers)
            for call in row:
                note(_label_msgid(call.args[0]) if call.args else None, len(row))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in makers:
            if node.args:  # a button outside a row literal is alone in its row
                note(_label_msgid(node.args[0]), 1)
        elif isinstance(node, ast.FunctionDef) and node.name == "action_title":
            for inner in ast.walk(node):
                if isinstance(inner, ast.Dict):
                    for value in inner.values:
                        note(_label_msgid(value), 1)
    return labels


def _handler_labels() -> dict[str, int]:
    found: dict[str, int] = {}
    for path in sorted((PACKAGE / "handlers").glob("*.py")):
        for msgid, width in button_labels(path, {"Button"}).items():
            found[msgid] = max(width, found.get(msgid, 0))
    return found


def test_the_label_finder_sees_the_rows() -> None:
    handler = _handler_labels()
    assert handler["🧾 Latest invoice"] == 2 and handler["📰 News e-mails"] == 2  # the menu's first row
    assert handler["All invoices"] == 2 and handler["Latest invoice"] == 1  # under an invoice; a candidate
    assert handler["Stop news e-mails"] == 1 and handler["Yes, send me news"] == 2
    assert handler["Use another e-mail address"] == 1
    assert len(handler) >= 20


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_button_labels_fit_a_phone(language: str) -> None:
    too_long = []
    translate = gettext_for("helpdesk", language).gettext
    for msgid, width in _handler_labels().items():
        label = translate(msgid)
        limit = ALONE_MAX if width <= 1 else SHARED_MAX
        if len(label) > limit:
            too_long.append(f"{label!r} ({len(label)} > {limit})")
    assert too_long == []


# --- placeholders and plural forms --------------------------------------------------------------


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_every_translation_keeps_the_placeholders(domain: str, language: str) -> None:
    broken = []
    for message in _catalog(domain, language):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = set().union(*(PLACEHOLDER.findall(msgid) for msgid in ids))
        for form in _forms(message.string):
            if set(PLACEHOLDER.findall(form)) != wanted:
                broken.append((ids[0], form))
                continue
            form.format(**dict.fromkeys(wanted, "x"))  # a stray brace raises here
    assert broken == []


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_plural_entries_have_all_three_forms(language: str) -> None:
    catalog = _catalog("helpdesk", language)
    assert catalog.num_plurals == 3
    plurals = [message for message in catalog if message.pluralizable]
    assert len(plurals) >= 3
    assert [m.id[0] for m in plurals if len(_forms(m.string)) != 3] == []


# Texts with a count, and the word each number needs: Latvian and Russian have three forms.
COUNTED = {
    "helpdesk": (
        (
            "Thank you. I have passed your message to our support team ({ref}). A person will answer "
            "you here within about {hours} hour, by {when}.",
            "Thank you. I have passed your message to our support team ({ref}). A person will answer "
            "you here within about {hours} hours, by {when}.",
            {
                "lv": {
                    1: "stundas laikā",
                    21: "stundas laikā",
                    2: "stundu laikā",
                    11: "stundu laikā",
                    48: "stundu",
                },
                "ru": {1: "1 часа", 21: "21 часа", 2: "2 часов", 11: "11 часов", 48: "48 часов"},
                "en": {1: "1 hour,", 21: "21 hours", 48: "48 hours"},
            },
        ),
        (
            "The code is valid for {minutes} minute. If you did not ask for news, ignore this e-mail.",
            "The code is valid for {minutes} minutes. If you did not ask for news, ignore this e-mail.",
            {
                "lv": {1: "1 minūti", 21: "21 minūti", 2: "2 minūtes", 11: "11 minūtes", 60: "60 minūtes"},
                "ru": {
                    1: "1 минуту",
                    21: "21 минуту",
                    3: "3 минуты",
                    22: "22 минуты",
                    11: "11 минут",
                    60: "60 минут",
                },
                "en": {1: "1 minute.", 60: "60 minutes"},
            },
        ),
        (
            "Your message is too long for me. Please shorten it to {limit} character.",
            "Your message is too long for me. Please shorten it to {limit} characters.",
            {
                "lv": {101: "101 rakstzīmei", 4000: "4000 rakstzīmēm", 4011: "4011 rakstzīmēm"},
                "ru": {101: "101 символа", 4000: "4000 символов", 4002: "4002 символов"},
                "en": {101: "101 characters", 4000: "4000 characters"},
            },
        ),
    ),
}


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_counts_agree_with_their_noun(language: str) -> None:
    translations = gettext_for("helpdesk", language)
    wrong = []
    for singular, plural, expected in COUNTED["helpdesk"]:
        for n, words in expected[language].items():
            text = translations.ngettext(singular, plural, n)
            rendered = text.format(ref="#1", when="x", hours=n, minutes=n, limit=n)
            if words not in rendered:
                wrong.append((n, words, rendered))
    assert wrong == []


async def test_a_question_passed_on_says_the_hours_in_the_right_form(seeded: Services) -> None:
    one_hour = replace(
        seeded, conversation=seeded.conversation.model_copy(update={"question_answer_hours": 21})
    )
    reply = await handle(action(Action.HUMAN), one_hour)
    assert reply.kind is ReplyKind.ESCALATED
    assert "aptuveni 21 stundas laikā" in reply.text  # R-1 reads Latvian: 21 takes the singular


async def test_a_too_long_message_says_the_limit_in_the_right_form(seeded: Services) -> None:
    reply = await handle(telegram("a" * (seeded.conversation.max_text_length + 1)), seeded)
    assert reply.kind is ReplyKind.REFUSAL
    assert f"līdz {seeded.conversation.max_text_length} rakstzīmēm" in reply.text


# --- wording ------------------------------------------------------------------------------------

# Names and notations that stay in Latin letters in Russian text.
LATIN_ALLOWED = re.compile(
    r"\{\w*\}"  # placeholders
    r"|(?<!\w)/[a-z]+"  # bot commands
    r"|Klientiem\.lv|MansDzib\.lv|Telegram|GDPR|eID|PDF|HTML|JSON"  # the export names its formats
)


@pytest.mark.parametrize("domain", DOMAINS)
def test_russian_texts_have_no_english_left(domain: str) -> None:
    leftovers = []
    for msgid, text in _translations(domain, "ru"):
        rest = LATIN_ALLOWED.sub("", text)
        if re.search(r"[A-Za-z]", rest):
            leftovers.append((msgid, text))
    assert leftovers == []


# English words that are no Latvian words (so "to", "man", "par" are not here).
ENGLISH_ONLY = frozenset(
    [
        "the",
        "and",
        "you",
        "your",
        "please",
        "with",
        "this",
        "that",
        "not",
        "for",
        "is",
        "are",
        "of",
        "from",
        "will",
    ]
)


@pytest.mark.parametrize("domain", DOMAINS)
def test_latvian_texts_have_no_english_left(domain: str) -> None:
    leftovers = []
    for msgid, text in _translations(domain, "lv"):
        words = set(re.findall(r"[a-z]+", LATIN_ALLOWED.sub("", text).lower()))
        if words & ENGLISH_ONLY:
            leftovers.append((msgid, text))
    assert leftovers == []


# The service writes to one customer: Вы and Jūs with a capital letter, in every form.
LOWERCASE_POLITE = {
    "ru": re.compile(r"(?<![А-Яа-яЁё])(вы|вас|вам|вами|ваш[а-яё]*)(?![А-Яа-яЁё])"),
    "lv": re.compile(r"(?<![\w])(jūs|jūsu|jums|jūsos|jūsējais|jūsējā)(?![\w])"),
}


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("language", ["lv", "ru"])
def test_the_customer_is_addressed_with_a_capital(domain: str, language: str) -> None:
    lowercase = [
        text for _msgid, text in _translations(domain, language) if LOWERCASE_POLITE[language].search(text)
    ]
    assert lowercase == []


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize(("language", "quotes"), [("lv", "„”"), ("ru", "«»")])
def test_quotation_marks_are_the_languages_own(domain: str, language: str, quotes: str) -> None:
    foreign = set('"“') if language == "lv" else set('"“”„')
    wrong = [text for _msgid, text in _translations(domain, language) if foreign & set(text)]
    assert wrong == []
    # and every opening mark is closed
    unbalanced = [t for _m, t in _translations(domain, language) if t.count(quotes[0]) != t.count(quotes[1])]
    assert unbalanced == []


def test_the_mail_templates_say_everything_through_the_catalog() -> None:
    """No resident-facing words outside ``_()`` in the templates (markup and Jinja are fine)."""
    for template in sorted((PACKAGE / "mailbox" / "templates").glob("*.j2")):
        text = template.read_text(encoding="utf-8")
        text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|<[^>]+>", " ", text, flags=re.S)
        assert re.findall(r"[A-Za-zĀ-žА-я]{3,}", text) == [], template.name


async def test_the_invoice_caption_names_the_month_in_the_case_its_sentence_needs(seeded: Services) -> None:
    reply = await handle(action(Action.INVOICE), seeded)  # R-1 reads Latvian; the newest is 2025-12
    assert reply.documents
    assert reply.documents[0].caption.startswith("Rēķins par 2025. gada decembri: 54,20")
    older = await handle(action(Action.INVOICE_PERIOD, period="2025-11"), seeded)
    assert older.documents and older.documents[0].caption.startswith("Rēķins par 2025. gada novembri:")


# --- the console's texts to residents -----------------------------------------------------------
# The ``console`` catalog is the agents' pages (Latvian and English; those stay as they are), but
# one page is the resident's: the one-click unsubscribe page. Its texts are found from its template,
# so a new text there is checked as soon as it is written. (What casework sends to residents lives
# in the ``helpdesk`` catalog and is checked with it, above.)

CONSOLE = PACKAGE / "console"
RESIDENT_TEMPLATES = (CONSOLE / "templates" / "unsubscribe.html",)
_TEMPLATE_CALL = re.compile(r"""_\(\s*(["'])(.*?)\1\s*(~|\))""", re.S)
_LABEL_CALL = re.compile(r"""label\(\s*["'](\w+)["']""")


def console_resident_msgids() -> tuple[set[str], set[str]]:
    """(msgids, prefixes): the literal ``_("…")`` texts of the resident-facing templates, and the
    prefixes of the labels they compose (``_("kind:" ~ kind)``, ``label("channel", …)``)."""
    msgids: set[str] = set()
    prefixes: set[str] = set()
    for path in RESIDENT_TEMPLATES:
        text = path.read_text(encoding="utf-8")
        for match in _TEMPLATE_CALL.finditer(text):
            (prefixes if match.group(3) == "~" else msgids).add(match.group(2))
        prefixes |= {f"{name}:" for name in _LABEL_CALL.findall(text)}
    return msgids, prefixes


def _console_resident_translations(language: str) -> list[tuple[str, str]]:
    msgids, prefixes = console_resident_msgids()
    return [
        (msgid, text)
        for msgid, text in _translations("console", language)
        if msgid in msgids or msgid.startswith(tuple(prefixes))
    ]


def test_the_console_finder_sees_the_residents_texts() -> None:
    msgids, _prefixes = console_resident_msgids()
    assert {"Unsubscribe", "News e-mails"} <= msgids
    # agents' texts are not among them
    assert "Claim this item first: another agent may be working on it, or your claim expired." not in msgids
    for language in ("lv", "ru", "en"):
        catalog = _catalog("console", language)
        assert [msgid for msgid in sorted(msgids) if catalog.get(msgid) is None] == []


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_the_console_addresses_the_resident_with_a_capital(language: str) -> None:
    pairs = _console_resident_translations(language)
    assert len(pairs) >= 5
    assert [text for _m, text in pairs if LOWERCASE_POLITE[language].search(text)] == []


@pytest.mark.parametrize(("language", "quotes"), [("lv", "„”"), ("ru", "«»")])
def test_the_console_quotes_the_residents_way(language: str, quotes: str) -> None:
    foreign = set('"“') if language == "lv" else set('"“”„')
    pairs = _console_resident_translations(language)
    assert [text for _m, text in pairs if foreign & set(text)] == []
    assert [t for _m, t in pairs if t.count(quotes[0]) != t.count(quotes[1])] == []


def test_the_console_writes_to_residents_in_russian_only() -> None:
    leftovers = [
        (msgid, text)
        for msgid, text in _console_resident_translations("ru")
        if re.search(r"[A-Za-z]", LATIN_ALLOWED.sub("", text))
    ]
    assert leftovers == []


def test_the_console_writes_to_residents_in_latvian_only() -> None:
    leftovers = []
    for msgid, text in _console_resident_translations("lv"):
        words = set(re.findall(r"[a-z]+", LATIN_ALLOWED.sub("", text).lower()))
        if words & ENGLISH_ONLY:
            leftovers.append((msgid, text))
    assert leftovers == []


# One term per thing: a person at the helpdesk is darbinieks / сотрудник, the address is электронная почта.
ONE_TERM = {"lv": re.compile(r"cilvēk", re.I), "ru": re.compile(r"человек|e-mail|имейл|мейл", re.I)}


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_the_console_uses_the_residents_terms(language: str) -> None:
    assert [t for _m, t in _console_resident_translations(language) if ONE_TERM[language].search(t)] == []


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_the_console_residents_texts_keep_their_placeholders(language: str) -> None:
    broken = []
    for msgid, text in _console_resident_translations(language):
        wanted = set(PLACEHOLDER.findall(msgid))
        if set(PLACEHOLDER.findall(text)) != wanted:
            broken.append((msgid, text))
            continue
        text.format(**dict.fromkeys(wanted, "x"))
    assert broken == []
