"""A long alternation of words rewritten so Python's ``re`` tries it fast, matching the same texts.

``scope`` asks of every piece of every message whether it names any of some four hundred other
companies and subjects: ``(?<![\\w.-])(?:maxima\\w*|rimi\\w*|...)``. At each word start, ``re``
tries the alternatives one by one, and over a mail's thirty-odd pieces that was a twentieth of the
time a whole e-mail took. Grouped by first letter (``m(?:axima\\w*|...)|r(?:imi\\w*|...)``), each
word start tries one group: the same language, so a search finds a match exactly when the original
finds one (the match found may differ, so only whether there is one is to be asked of the result).
"""

from __future__ import annotations

_QUANTIFIERS = frozenset("*+?{")


def split(pattern: str) -> list[str]:
    """The top-level alternatives of ``pattern`` (its ``|`` outside groups and character classes)."""
    found: list[str] = []
    depth = start = position = 0
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            position += 2
            continue
        if char == "[":
            position += 1
            if pattern[position : position + 1] == "^":
                position += 1
            if pattern[position : position + 1] == "]":
                position += 1  # a "]" first in a class is one of its characters
            while pattern[position] != "]":
                position += 2 if pattern[position] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            found.append(pattern[start:position])
            start = position + 1
        position += 1
    found.append(pattern[start:])
    return found


def factored(pattern: str) -> str:
    """``pattern``'s alternatives, those that start with a plain letter or digit (not quantified)
    grouped under it, the others as they are: an alternation that matches the same texts."""
    groups: dict[str, list[str]] = {}
    others: list[str] = []
    for alternative in split(pattern):
        first, tail = alternative[:1], alternative[1:]
        if first.isalnum() and tail[:1] not in _QUANTIFIERS:
            groups.setdefault(first, []).append(tail)
        else:
            others.append(alternative)
    return "|".join([f"{first}(?:{'|'.join(tails)})" for first, tails in groups.items()] + others)
