"""Russian typed in Latin letters ("otpishite menja", "gde moj schet") back to Cyrillic.

``cyrtranslit`` (maintained) reads GOST 7.79 System B ("ya", "shh", "cz", "y'" for ы); residents
type the informal scheme ("ja", "shch", "ts", "y" for ы, "'" for ь). A few rewrites turn the one
into the other first. Whether to convert is decided per message, from how many of its Latin words
become known Russian words and how many are known Latvian or English words, so that Latvian
without diacritics ("kur ir mans rekins") and English are never touched. A line the message-wide
count does not call Russian may still mix the two ("rekins ne prishel, cto delat"):
:func:`convert_known` converts only its words that are Russian and not Latvian or English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import cyrtranslit

from helpdesk.knowledge.text import ADDRESS

_VOWELS = "aeiouy"
# Informal -> GOST B, in order (each applies to the result of the previous one).
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"shch"), "shh"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"c(?![hzk])"), "cz"),
    (re.compile(r"\bet(?=[oaiu])"), "e't"),  # это, этот, эти: э, the rest of word-initial e is е
    (re.compile(r"j(?=[aueo])"), "y"),  # ja/ju/je/jo -> ya/yu/ye/yo
    (re.compile(r"(?<=[^aeiouy' ])y(?![auo'])"), "y'"),  # y after a consonant is ы ("dannye")
    (re.compile(r"(?<=[aeiou])y(?![aueo'])"), "j"),  # y after a vowel is й ("moy")
    (re.compile(r"iy\b"), "ij"),
)
# "4" stands for ч inside a word ("4to", "schet4ik"), never after a digit ("14a").
_LATIN_WORD = re.compile(r"(?<![0-9])(?:[a-z']|4(?=[a-z']))+")
# Informal spellings the one scheme above does not cover, tried when the word it gives is not a
# known Russian word: "cto" (что), "svjazatsja" (связаться: the ь of -ться left out), "w" for ш
# or щ ("upravljajuwim"), "j" for ж ("nujen"), "delat" (делать).
_VARIANTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"c(?![hzk])"), "ch"),
    (re.compile(r"ts(?=[jy]a\b)"), "t's"),
    (re.compile(r"t\b"), "t'"),  # the ь of an infinitive left out ("delat")
    (re.compile(r"w"), "sh"),
    (re.compile(r"w"), "shch"),
    (re.compile(r"sh(?!ch)"), "shch"),  # "sh" for щ: "voobshe" (вообще), "eshe" (ещё), "ishu" (ищу)
    (re.compile(r"j"), "zh"),
)


@lru_cache(maxsize=8192)  # residents' words repeat; the rewrites and cyrtranslit cost 9 µs a word
def to_cyrillic(token: str) -> str:
    """One folded Latin word (apostrophes kept) as Cyrillic."""
    word = token
    for pattern, replacement in _REWRITES:
        word = pattern.sub(replacement, word)
    return str(cyrtranslit.to_cyrillic(word, "ru")).lower().replace("ё", "е")


def russian_reading(token: str, russian: Callable[[str], bool]) -> tuple[str, bool]:
    """``token`` in Cyrillic, and whether that is a known Russian word: the usual scheme first, then
    each informal spelling of :data:`_VARIANTS` until one gives a known word."""
    token = token.replace("4", "ch")
    cyrillic = to_cyrillic(token)
    if russian(cyrillic):
        return cyrillic, True
    for pattern, replacement in _VARIANTS:
        variant = pattern.sub(replacement, token)
        if variant != token and russian(to_cyrillic(variant)):
            return to_cyrillic(variant), True
    return cyrillic, False


def latin_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of the Latin-letter words of folded ``text``."""
    blanked = ADDRESS.sub(lambda found: " " * len(found.group(0)), text)
    return [(m.start(), m.end(), m.group(0)) for m in _LATIN_WORD.finditer(blanked)]


class Reader:
    """Latin words read for one knowledge base: each word's Cyrillic form, whether that is a known
    Russian word (``russian(cyrillic_word)``: a stopword or in the Russian index) and whether the
    word is a known Latvian or English one (``latin(word)``). Both are fixed for a knowledge base,
    so a word is read once and remembered: the sentences of a mail are read alone, in pairs and in
    threes, and each reading tried up to six spellings of each word (:func:`russian_reading`)."""

    def __init__(self, russian: Callable[[str], bool], latin: Callable[[str], bool]) -> None:
        self.russian = russian
        self.latin = latin
        self._read: dict[str, tuple[str, bool, bool]] = {}

    def word(self, word: str) -> tuple[str, bool, bool]:
        """(Cyrillic, known Russian, known Latvian/English) of one folded Latin word."""
        found = self._read.get(word)
        if found is None:
            if len(self._read) >= WORDS_KEPT:
                self._read.clear()
            cyrillic, known_russian = russian_reading(word, self.russian)
            found = self._read[word] = (cyrillic, known_russian, self.latin(word.replace("'", "")))
        return found

    def convert(self, folded: str) -> tuple[str, int, int]:
        """``folded`` with its Latin words in Cyrillic except known Latvian/English ones, and how
        many words became known Russian and how many are known Latvian/English (:func:`is_russian`
        reads the two counts)."""
        ru = 0
        other = 0
        out = []
        position = 0
        for start, end, word in latin_words(folded):
            cyrillic, known_russian, known_latin = self.word(word)
            # A word both languages know ("do": до / do, "no", "a") votes for neither.
            if known_russian and not known_latin:
                ru += 1
            elif known_latin and not known_russian:
                other += 1
            if not known_latin or known_russian:
                out.append(folded[position:start])
                out.append(cyrillic)
                position = end
        out.append(folded[position:])
        return "".join(out), ru, other

    def convert_known(self, folded: str, min_words: int = 2) -> str:
        """``folded`` with those Latin words in Cyrillic that become known Russian words and are
        not known Latvian/English ones, and the words both languages know ("ne", "portal") next to
        one of them: a line that mixes Latvian and Latin-letter Russian ("rekins ne prishel, cto
        delat") keeps its Latvian words for the Latvian index and gains its Russian ones for the
        Russian index, where :meth:`convert` gives all of it to one language. Fewer than
        ``min_words`` Russian-only words convert nothing: one Latvian form that looks Russian
        ("kodu", коду) is not Russian."""
        found = []
        for start, end, word in latin_words(folded):
            cyrillic, known_russian, known_latin = self.word(word)
            found.append(
                (start, end, cyrillic, known_russian and not known_latin, known_russian and known_latin)
            )
        if sum(1 for *_, only, _ in found if only) < min_words:
            return folded
        out = []
        position = 0
        for number, (start, end, cyrillic, only, both) in enumerate(found):
            near = found[max(number - 1, 0) : number + 2]
            if only or (both and any(neighbour[3] for neighbour in near)):
                out.append(folded[position:start])
                out.append(cyrillic)
                position = end
        out.append(folded[position:])
        return "".join(out)


WORDS_KEPT = 50_000  # words a :class:`Reader` remembers


def convert(
    folded: str,
    *,
    russian: Callable[[str], bool],
    latin: Callable[[str], bool],
) -> tuple[str, int, int]:
    """:meth:`Reader.convert` with these two predicates."""
    return Reader(russian, latin).convert(folded)


def convert_known(
    folded: str,
    *,
    russian: Callable[[str], bool],
    latin: Callable[[str], bool],
    min_words: int = 2,
) -> str:
    """:meth:`Reader.convert_known` with these two predicates."""
    return Reader(russian, latin).convert_known(folded, min_words)


def is_russian(ru: int, other: int, min_words: int = 2) -> bool:
    """Russian in Latin letters: at least ``min_words`` words became known Russian words and they
    outnumber the known Latvian/English ones."""
    return ru >= min_words and ru > other
