"""Folding text the way people type it, so that what they type finds what is stored.

Residents and agents write Latvian without diacritics (``berzins`` for ``Bērziņš``), Russian with
or without ``ё``, and in any case. The knowledge matcher (:mod:`helpdesk.knowledge.text`) and the
agents' resident search (:mod:`helpdesk.storage.repositories.residents`) fold both sides with
:func:`fold`, so whatever it folds together matches.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def fold(text: str, *, keep_short_i: bool = True) -> str:
    """Lower case, ``ё``→``е``, Latin diacritics removed, as residents often type.

    Cyrillic ``й`` is kept by default: it is a letter, and the Russian stemmer needs it. Word lists
    that read residents' phrasing (handlers/asking.py, handlers/periods.py) pass
    ``keep_short_i=False`` so that "пожалуйста" and the often typed "пожалуиста" are one word."""
    if text.isascii():
        return text.lower()  # nothing to decompose
    # Word by word, each remembered: the matcher folds every piece of a message, its sentences
    # alone and in runs, and the character-by-character loop was its costliest step. Nothing in
    # the folding reaches across a space (no case rule, no reordering of marks, no composition),
    # so the words folded apart are the text folded whole.
    return " ".join([_fold_word(word, keep_short_i) for word in text.split(" ")])


def _fold_word(word: str, keep_short_i: bool) -> str:
    if len(word) > _REMEMBERED_LENGTH:
        return _fold(word, keep_short_i)
    return _fold_remembered(word, keep_short_i)


def _fold(text: str, keep_short_i: bool) -> str:
    text = text.lower().replace("ё", "е")
    out: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char):
            # NFD splits "й" into "и" + U+0306 (the breve): put the letter back unless told not to.
            if keep_short_i and char == "\u0306" and out and out[-1] == "и":
                out[-1] = "й"
            continue
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


_REMEMBERED_LENGTH = 40  # longer "words" (a link, a hostile run of letters) are folded afresh
_fold_remembered = lru_cache(maxsize=50_000)(_fold)


def search_key(*fields: str | None) -> str:
    """What a record is found by: its fields folded, one a line (a search word never spans two)."""
    return fold("\n".join(field or "" for field in fields))


def search_words(query: str, *, limit: int = 8) -> list[str]:
    """The words of a search, folded as :func:`search_key` folds the records (at most ``limit``)."""
    return fold(query).split()[:limit]
