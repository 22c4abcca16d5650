"""Everyday words: a message whose only known words are those of any conversation names no subject.

"Cik tev gadu?", "what's your name?", "do you speak Latvian?": one word of each meets a phrasing
("rēķini par visu gadu", "the name on the account", "speak to a person"), and with nothing else to
dilute it the score is high. Such words (years, names, size, speaking, languages, days) say what a
portal question is about only next to a word that names its subject ("invoice", "readings"); alone
they make small talk, which a person may read, but no entry answers.

A plea for help or a check ("Could you check?", "Помогите, пожалуйста", "Lūdzu palīdziet!") is
everyday too: it follows the sentence that says what is wrong and names no subject of its own, yet
"check" and "help" each meet one phrasing, so alone it read as a question about that entry and,
beside the sentence it pleads for, kept that sentence from answering.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from helpdesk.knowledge.index import LanguageIndex
from helpdesk.knowledge.text import wordset

WORDS: Mapping[str, frozenset[str]] = {
    "lv": wordset(
        "gads gadi gadu gadus gada vards vardu vardi saukt sauc sauca liels lielu liela mazs maza labs "
        "laba labi jauks jauki forsi super runat runa runaju latviski angliski krieviski latviesu "
        "valoda valodu laiks laika diena diena dienu sodien rit vakar gudrs gudra stulbs smiekligs "
        "patik milu dzive viss visi visu "
        "palidzet palidziet palidzi palidz parbaudit parbaudiet parbaudi palidzeja noticis notika "
        "ja jautaju jautat"  # "jā" (yes), "nav tas, ko jautāju": a reply to the bot, no subject
    ),
    "ru": wordset(
        "год года году лет имя зовут звать большой большая маленький хороший хорошая говорить "
        "говоришь говорите латышский латышски английский русский язык языке время день сегодня "
        "завтра вчера умный глупый нравится люблю жизнь дела всё все такой такая такое такие настроение "
        "можете сможете помочь помогите помоги поможете помогло помогла помог проверить проверьте "
        "проверите разобраться спрашивал спрашивала случилось произошло"
    ),
    "en": wordset(
        "year years old name big small good nice speak talk latvian english russian language time "
        "day today tomorrow yesterday smart stupid like love life all everything funny "
        "help helped check assist ask asked happened"
    ),
}


def keys(index: LanguageIndex) -> frozenset[str]:
    """The index's keys of the everyday words, leaving out any that heads a synonym group (such a
    key stands for a subject word too: "namu" and "pārvaldnieks" share one)."""
    heads = frozenset(index.canonical.values())
    found = {k for word in WORDS.get(index.language, ()) for k in index.query_keys(word)}
    return frozenset(found - heads)


def only_everyday(index: LanguageIndex, everyday: frozenset[str], text: str) -> bool:
    """Whether every content word of ``text`` that ``index`` knows is an everyday word (and at least
    one is). A Russian verb in the informal second person ("где ты находишься?", "что умеешь?")
    speaks to the bot about itself: it counts as everyday, whatever it shares with an entry."""
    if index.language == "ru" and _TALKING_TO_YOU.search(text):
        everyday = everyday | {k for word in _TALKING_TO_YOU.findall(text) for k in index.query_keys(word)}
    # An everyday word counts as known even where no phrasing holds it ("pārbaudīt").
    query = index.query_keys(text)
    known = [k for k in query if k not in index.question_keys and (k in everyday or index.expand(k))]
    return bool(known) and all(k in everyday for k in known)


_TALKING_TO_YOU = re.compile(r"\b[а-яё]{2,}(?:ешь|ёшь|ишь)(?:ся)?\b", re.IGNORECASE)


def subject_words(
    content: list[tuple[LanguageIndex, tuple[dict[str, float], ...]]], everyday: Mapping[str, frozenset[str]]
) -> int:
    """How many content words of a piece the knowledge base knows, everyday words (``everyday``:
    :func:`keys` per language) left out, in the searched index that knows most."""
    return max(
        sum(1 for found in expansions if found and everyday[index.language].isdisjoint(found))
        for index, expansions in content
    )
