"""Folding text the way people type it, so that what they type finds what is stored.

Residents and agents write Latvian without diacritics (``berzins`` for ``Bērziņš``), Russian with
or without ``ё``, and in any case. The knowledge matcher (:mod:`helpdesk.knowledge.text`) and the
agents' resident search (:mod:`helpdesk.storage.repositories.residents`) fold both sides with
:func:`fold`, so whatever it folds together matches.
"""

from __future__ import annotations

import unicodedata


def fold(text: str, *, keep_short_i: bool = True) -> str:
    """Lower case, ``ё``→``е``, Latin diacritics removed, as residents often type.

    Cyrillic ``й`` is kept by default: it is a letter, and the Russian stemmer needs it. Word lists
    that read residents' phrasing (handlers/asking.py, handlers/periods.py) pass
    ``keep_short_i=False`` so that "пожалуйста" and the often typed "пожалуиста" are one word."""
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


def search_key(*fields: str | None) -> str:
    """What a record is found by: its fields folded, one a line (a search word never spans two)."""
    return fold("\n".join(field or "" for field in fields))


def search_words(query: str, *, limit: int = 8) -> list[str]:
    """The words of a search, folded as :func:`search_key` folds the records (at most ``limit``)."""
    return fold(query).split()[:limit]
