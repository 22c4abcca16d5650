"""A second question word joined by "and" asks a second question about the subject of the first:
"Kad jānodod rādījumi un kā to izdarīt?", "где ввести показания и сколько это стоит?", "When do I
submit meter readings and how do I do it?".

A person reads "un kā to izdarīt?" as "kā jānodod rādījumi?" and answers both. Read alone, such a
clause names no subject ("to izdarīt" only points back), so it read as a repeat of the question
before it (``followup.points_back``) and the "how" was dropped. That rule suits a wish followed by
"how?" ("Gribu nomainīt e-pastu. Kā to izdarīt?"), where nothing else is asked; here the first
clause asks its own question ("when"), and the second asks another ("how") of the same subject.
:func:`with_subject` writes the clause as a person reads it: its own question word and words, the
pronoun and the verb that only stand for what the first clause said ("to izdarīt", "это сделать",
"do it") left out, and the first clause's words without its question word put in their place.
``parts.units`` reads that text for the clause as a whole question, not as a scrap of a mail (the
confidence model doubts a scrap that names little of its subject; this text names all of it); an
answer beside the first one must still be sure (``parts.choose``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from helpdesk.core.matching import Decision
from helpdesk.knowledge.reading import Span, shadow

# Each kind of question word (folded; Russian in both alphabets): a second clause asks something
# else only with a word of another kind ("kur … un kur …" may ask of two places). "How much/many/
# long" is its own kind, not "how"; "until/by which date" is "when".
_KINDS = {
    "when": r"kad|lidz kuram \w+|когда|до какого \w+|kogda|do kakogo \w+|when|by (?:what|which) \w+|"
    r"until when",
    "much": r"cik|сколько|skolko|how (?:much|many|long|often)",
    "how": r"ka|kada veida|как|kak|how",
    "where": r"kur|kurp|где|куда|gde|kuda|where",
    "why": r"kapec|kadel|почему|зачем|pochemu|zachem|why",
}
_ASKING = "|".join(f"(?P<{kind}>{words})" for kind, words in _KINDS.items())
# The first clause opens with its question word ("Kad …", "Līdz kuram datumam …", "When do I …").
_FIRST = re.compile(rf"^\W*(?:{_ASKING})\b")
# The second is joined by "and" ("un", "и", "а", "and"; "i"/"a": Latin-letter Russian), an
# additive particle may follow ("и ещё где …"), and opens with its own question word.
_SECOND = re.compile(
    rf"^\W*(?:un|и|а|and|i|a)\s+(?:(?:vel|ari|also|еще|также|eshhe|eshe|esche|takzhe)\s+)?(?:{_ASKING})\b"
)
# What only stands for the first clause: a pronoun for it, a verb that only says "do it"
# ("izdarīt", "сделать", "do"), and the question mark (folded).
_STANDS_FOR = re.compile(
    r"\b(?:(?:iz)?(?:darit|dara)|сделать|делать|sdelat\w*|delat\w*|do|does|done)\b|"
    r"\b(?:to|tos|tas|tie|tam|tiem|it|them|that|this|those|these|его|ее|их|это|этого|ego|ih|eto|etogo)\b|\?"
)


def _kind(match: re.Match[str]) -> str:
    return next(kind for kind in _KINDS if match.group(kind))


def with_subject(before: str, clause: str) -> str | None:
    """The text of ``clause`` read with the subject of the question ``before`` it, or None when
    ``clause`` is no second question of it: ``before`` must open with a question word, ``clause``
    with "and" and a question word of another kind. "Kad jānodod rādījumi" + "un kā to izdarīt?"
    gives "kā jānodod rādījumi"; "Gribu nomainīt e-pastu." + "Kā to izdarīt?" gives None."""
    folded_before, folded = shadow(before), shadow(clause)
    first, second = _FIRST.match(folded_before), _SECOND.match(folded)
    if first is None or second is None or _kind(first) == _kind(second):
        return None
    asked = folded[second.start(_kind(second)) :]
    words = _STANDS_FOR.sub(" ", asked) + " " + folded_before[first.end() :]
    return " ".join(words.split())


class _Read(Protocol):
    """What is read here of a ``parts.Verdict``."""

    @property
    def decision(self) -> Decision: ...
    @property
    def subject(self) -> float: ...


V = TypeVar("V", bound=_Read)


def reread(
    sentences: Sequence[Span],
    spans: Sequence[tuple[int, int]],
    verdicts: Sequence[V],
    decide: Callable[[str, int], V],
    own_subject: float,
) -> list[V]:
    """``verdicts`` (one for each span), a clause's replaced by the reading of :func:`with_subject`
    when it is a second question about the subject of the sentence before it, that sentence answers
    (a subject the knowledge base cannot read, or one left to a sentence before, is lent by
    nothing), the clause names less than ``own_subject`` of its own (one that names more is read
    on its own) and the text read with the subject answers. ``decide(text, position)``: the
    verdict for ``text`` in place of span ``position``."""
    found = list(verdicts)
    alone = {first: verdict for (first, last), verdict in zip(spans, verdicts, strict=True) if first == last}
    for position, (first, last) in enumerate(spans):
        if first != last or first == 0 or found[position].subject >= own_subject:
            continue
        if alone[first - 1].decision is not Decision.ANSWER:
            continue  # "Kad tas būs un cik …": a first clause the KB cannot read lends no subject
        text = with_subject(sentences[first - 1].text, sentences[first].text)
        again = decide(text, position) if text else None
        if again is not None and again.decision is Decision.ANSWER:
            found[position] = again
    return found
