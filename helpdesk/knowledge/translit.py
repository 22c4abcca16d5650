"""Russian typed in Latin letters ("otpishite menja", "gde moj schet") back to Cyrillic.

``cyrtranslit`` (maintained) reads GOST 7.79 System B ("ya", "shh", "cz", "y'" for ы); residents
type the informal scheme ("ja", "shch", "ts", "y" for ы, "'" for ь). A few rewrites turn the one
into the other first. Whether to convert is decided per message, from how many of its Latin words
become known Russian words and how many are known Latvian or English words, so that Latvian
without diacritics ("kur ir mans rekins") and English are never touched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import cyrtranslit

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
_LATIN_WORD = re.compile(r"[a-z']+")
# Addresses and links are neither Russian nor Latvian: "klientiem.lv", "janis@inbox.lv".
_ADDRESS = re.compile(r"\S+@\S+|\S+\.(?:lv|com|ru|eu|net|org|ee|lt)\b\S*|https?://\S+")


@lru_cache(maxsize=8192)  # residents' words repeat; the rewrites and cyrtranslit cost 9 µs a word
def to_cyrillic(token: str) -> str:
    """One folded Latin word (apostrophes kept) as Cyrillic."""
    word = token
    for pattern, replacement in _REWRITES:
        word = pattern.sub(replacement, word)
    return str(cyrtranslit.to_cyrillic(word, "ru")).lower().replace("ё", "е")


def latin_words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of the Latin-letter words of folded ``text``."""
    blanked = _ADDRESS.sub(lambda found: " " * len(found.group(0)), text)
    return [(m.start(), m.end(), m.group(0)) for m in _LATIN_WORD.finditer(blanked)]


def convert(
    folded: str,
    *,
    russian: Callable[[str], bool],
    latin: Callable[[str], bool],
) -> tuple[str, int, int]:
    """``folded`` with its Latin words in Cyrillic except known Latvian/English ones, and how many
    words became known Russian and how many are known Latvian/English. ``russian(cyrillic_word)``:
    the word is known Russian (a stopword or in the Russian index); ``latin(word)``: the word is
    known Latvian or English. :func:`is_russian` reads the two counts."""
    ru = 0
    other = 0
    out = []
    position = 0
    for start, end, word in latin_words(folded):
        known_latin = latin(word.replace("'", ""))
        cyrillic = to_cyrillic(word)
        known_russian = russian(cyrillic)
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


def is_russian(ru: int, other: int, min_words: int = 2) -> bool:
    """Russian in Latin letters: at least ``min_words`` words became known Russian words and they
    outnumber the known Latvian/English ones."""
    return ru >= min_words and ru > other
