"""Which language a resident wrote in: Cyrillic is Russian; Latvian and English are told apart by
diacritics, then by common words and by words only one language's knowledge base uses.

A short or ambiguous message ("eID?") keeps the language the conversation already has.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from helpdesk.knowledge.model import Entry
from helpdesk.knowledge.text import (
    ADDRESS,
    CYRILLIC,
    LATVIAN_LETTERS,
    NEGATIONS,
    QUESTION_WORDS,
    STOPWORDS,
    fold,
    undigraph,
    words,
    wordset,
)

# Frequent words of residents' messages beyond the stopwords (folded, as ``words`` returns them).
_LV_HINTS = wordset(
    "ka kur kad kapec cik nav var varu nevaru gribu vajag jaiesniedz nesanak nestrada sanemt "
    "rekins rekinu rekini rekinus rekina maksat samaksat skaititaju radijumus radijumi dzivoklis "
    "dzivokli pardevu nopirku parvaldnieks parvaldnieku parvalde epasts pastu epastu adrese adresi "
    "lietotajs lietotaju pieslegties ielogoties registreties datus datiem jaunumus sudzibu"
)
_EN_HINTS = wordset(
    "how what when where why who which can cant cannot could would should need want get got have "
    "has not no my invoice invoices bill bills meter readings pay paid payment login log sign "
    "register account apartment flat email mail news data personal code late fee send thx pls plz"
)

LATIN_INDEXES = ("lv", "en")
_LATIN_WORDS = re.compile(r"[a-zA-Z\u00c0-\u024f]{2,}")
_WORD = re.compile(r"[^\W\d_]+")


def detect(text: str, default: str, lv_words: frozenset[str], en_words: frozenset[str]) -> str:
    """``lv_words``/``en_words``: folded words that occur in only one language's knowledge base.

    Word by word: a name or an address ("Jānis Bērziņš", "Brīvības iela") is capitalised inside a
    sentence and does not vote, so an English mail that names a Latvian street stays English; a
    lower-case word with Latvian letters ("rēķins") votes Latvian, but as one word among the rest."""
    # A line that mixes the scripts is in the language of most of its words: "как подать rādījumus
    # на portālā" is Russian with the portal's Latvian words in it (letters would say Latvian).
    found_words = [
        (found, not found.group(0).isascii() and bool(CYRILLIC.search(found.group(0))))
        for found in _WORD.finditer(text)
    ]
    cyrillic = sum(1 for _, russian in found_words if russian)
    latin = len(found_words) - cyrillic
    if cyrillic and cyrillic >= latin:
        return "ru"
    shouting = text.upper() == text
    lv_score = 0.0
    en_score = 0.0
    first = True
    for found, russian in found_words:
        raw = found.group(0)
        sentence_start = first or _last_char_before(text, found.start()) in ".!?\n"
        first = False
        if russian:
            continue
        if raw[0].isupper() and not sentence_start and not shouting:
            continue  # a name, a street, a company
        token = fold(raw)
        plain = undigraph(token)
        if LATVIAN_LETTERS.search(raw):
            lv_score += 1.5
        elif token in STOPWORDS["lv"] or plain in STOPWORDS["lv"] or token in _LV_HINTS or plain in _LV_HINTS:
            lv_score += 1
        elif token in lv_words or plain in lv_words:
            lv_score += 0.7
        if token in STOPWORDS["en"] or token in _EN_HINTS:
            en_score += 1
        elif token in en_words:
            en_score += 0.7
    if lv_score > en_score:
        return "lv"
    if en_score > lv_score:
        return "en"
    return default


def _last_char_before(text: str, position: int) -> str:
    """``text[:position].rstrip()[-1:]`` without copying the text before ``position`` (detect asks
    it of every word of a mail)."""
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return text[position - 1] if position > 0 else ""


# The words that carry a sentence's grammar: pronouns, prepositions, conjunctions, particles, question
# words, negation (folded). In a message that mixes languages, the language these come from is the
# one the resident speaks (the "matrix language" of code-switching: "a kak mne uzlikt automātisko
# maksājumu?" is Russian with the portal's Latvian words in it), whatever the nouns and verbs are.
_FRAME = {
    language: STOPWORDS[language] | QUESTION_WORDS[language] | NEGATIONS[language] for language in STOPWORDS
}
_LATIN_FRAME = _FRAME["lv"] | _FRAME["en"]


def russian_frame(text: str, read: Callable[[str], tuple[str, bool, bool]]) -> bool:
    """Whether more of the function words of ``text`` (greeting left out) are Russian than Latvian
    or English. ``read``: a folded Latin word's Cyrillic form, whether that is a known Russian word
    and whether the word is a known Latvian or English one (``translit.Reader.word``). A word both
    languages spell alike ("a", "ne", "to", "ja") votes for neither, unless its letters say which
    it is ("tā" is Latvian: Russian in Latin letters has no "ā")."""
    russian = 0
    latin = 0
    for raw in _WORD.findall(ADDRESS.sub(" ", text)):
        token = fold(raw)
        if CYRILLIC.search(token):
            russian += token in _FRAME["ru"]
            continue
        as_latin = token in _LATIN_FRAME or undigraph(token) in _LATIN_FRAME
        if LATVIAN_LETTERS.search(raw):
            latin += as_latin
            continue
        cyrillic, known_russian, known_latin = read(token)
        if known_russian and cyrillic in _FRAME["ru"] and not known_latin:
            russian += 1
        elif as_latin and not known_russian:
            latin += 1
    return russian > latin


@lru_cache(maxsize=4096)  # each piece of a mail is searched, then read for its content words
def indexes_for(text: str) -> tuple[str, ...]:
    """Cyrillic meets the Russian index, Latin letters the Latvian and English ones; a message
    that mixes both scripts ("samaksāju vakar через swedbank") meets all three. An address or a
    link is in no language: "не могу зайти на klientiem.lv через swedbank" is Russian, and its
    Latin words alone ("klientiem lv swedbank": the portal and a bank) read as logging in with a
    bank, the "не могу" the Latin indexes cannot see left out. Only Latin words that say something
    count: "отпишите меня, lūdzu, no jaunumiem" has one ("jaunumiem"), and the Latvian index, which
    reads that word alone, would score any entry that names the news as if it were the question."""
    if not CYRILLIC.search(text):
        return LATIN_INDEXES
    latin = _LATIN_WORDS.findall(ADDRESS.sub(" ", text))
    if sum(1 for word in latin if not _function_word(fold(word))) >= 2:
        return ("ru", *LATIN_INDEXES)
    return ("ru",)


def _function_word(folded: str) -> bool:
    """A Latvian or English word that says nothing alone ("lūdzu", "no", "please")."""
    return any(
        folded in STOPWORDS[language] or undigraph(folded) in STOPWORDS[language]
        for language in LATIN_INDEXES
    )


def folded_words(entries: Iterable[Entry], language: str) -> set[str]:
    """Every folded word of the entries' phrasings in ``language`` (what tells the languages apart),
    also each part of a word the reading joins ("personas kods" is read "personaskods"): a message
    that mixes Latin-letter Russian with "personas kods" must find "kods" a Latvian word."""
    found: set[str] = set()
    for entry in entries:
        for text in entry.matching_texts(language):
            found.update(words(text))
            found.update(_WORD.findall(fold(text)))
    return found
