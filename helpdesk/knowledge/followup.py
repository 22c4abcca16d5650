"""A short question that points back at the sentence before it ("Kā to var izdarīt?", "Как это
сделать?"): it is that sentence's question, not one of its own.

Matched alone, such a question names no subject, yet one of its verbs ("izdarīt", "dabūt") may be a
rarer word of some entry: it read as paying or as an overpayment, counted as a question of its own
(which kept the sentence it points back at from answering) and went to a person beside the answer
the resident had already been given. ``parts.choose`` asks these two functions instead.

A follow-up may also ask something new of the same subject ("When is the deadline for readings?
And what if I missed it?", "А что, если забыл?"): alone it scores low or reads the wrong entry;
read with the question before it, the pair names what it adds (:func:`inherited`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from helpdesk.core.matching import Candidate, Decision
from helpdesk.knowledge.reading import Span, shadow

if TYPE_CHECKING:
    from helpdesk.knowledge.parts import Unit

# A question that names at least this much of some entry's subject carries its own meaning: the
# sentences of context around it then do not answer alone (``parts``), and it is no follow-up.
OWN_SUBJECT = 1.0


class Piece(Protocol):
    """What is read here of a ``parts.Unit``: its sentences, and the decision for them."""

    @property
    def first(self) -> int: ...
    @property
    def last(self) -> int: ...
    @property
    def decision(self) -> Decision: ...
    @property
    def entry(self) -> str | None: ...
    @property
    def candidates(self) -> tuple[Candidate, ...]: ...
    @property
    def subject(self) -> float: ...
    @property
    def score(self) -> float: ...
    @property
    def confidence(self) -> float: ...


# A short question that asks how, where or whether to do what the sentence before it said ("Kā to
# var izdarīt?", "Как это сделать?", "Is that possible?"): at most six words, one of them a pronoun
# for what was said. "Why"/"how much" ask something new ("Kāpēc tas tik ilgi?"): not these, nor
# one that points at another matter ("Un kā ar to otru lietu?", "А как насчёт другого вопроса?").
_FOLLOW_UP = re.compile(
    r"^(?=(?:\W*\w+){1,6}\W*$)(?!.*\b(?:otr|cit|друг|drug|other|another|else)\w*)"
    r"\W*(?:(?:un|и|а|and|also|but|bet|но)\s+)?"
    r"(?:ka|vai|kur|как|можно|где|kak|mozhno|gde|how|can|could|where|is|would)\b"
    r".*\b(?:to|tas|ta|so|sis|tam|tad|это|этого|этим|так|eto|etogo|it|that|this)\b",
    re.DOTALL,
)


def points_back(text: str) -> bool:
    """Whether ``text`` is a short question that only points back at what was said before it
    ("Kā to var izdarīt?", "Как это сделать?", "Is that possible?"): it asks that again."""
    return bool(_FOLLOW_UP.match(shadow(text)))


def follow_up(
    unit: Piece, sentences: Sequence[Span], decided: Sequence[Piece], threshold: float
) -> str | None:
    """The entry of the sentence before ``unit`` when ``unit`` is a follow-up of it: a single
    sentence that only points back ("Kā to var izdarīt?", "Как это сделать?"), naming no subject
    of its own (one verb of it, "izdarīt", "dabūt", may be a rarer word of some entry), and read
    together with that sentence still gives its reading above the threshold. Else None: "Is that
    legal?" after a story the knowledge base half knows reads as nothing together with it."""
    if unit.first != unit.last or unit.subject > OWN_SUBJECT or unit.first == 0:
        return None
    if not points_back(sentences[unit.first].text):
        return None
    index = unit.first
    before = next((u for u in decided if u.first == u.last == index - 1), None)
    joined = next((u for u in decided if u.first == index - 1 and u.last == index), None)
    if before is None or joined is None or before.decision is not Decision.ANSWER or not joined.candidates:
        return None
    best = joined.candidates[0]
    return before.entry if best.entry == before.entry and best.score >= threshold else None


# A case of its own put after a question: "And what if …", "А что, если …", "А если …", "Un ja nu …",
# "Un ko darīt, ja …" (folded). With a subject of its own it asks a second question, not the first again.
_WHAT_IF = re.compile(
    r"^\W*(?:(?:un|и|а|a|i|and|but|bet|но)\s+)?(?:"
    r"what (?:if|happens if|(?:should|do|can) i do if)|"
    r"ja nu|ko (?:man |lai )?(?:darit|dara),? ja|kas(?: notiek| notiks)?,? ja|"
    r"что(?: делать| будет)?,? если|chto(?: delat| budet)?,? esli)\b"
    r"|^\W*(?:un|а|a)\s+(?:ja|если|esli)\b(?!\s*[,.!])"  # not "Un jā, …" ("yes")
)


# ... unless alone it reads the answer given this surely (``parts.EXTRA_SURE``): "Kā pieslēgties
# portālam? Un ja es aizmirsu paroli?" is answered by the answer about logging in.
_SURE_ALONE = 0.85


def _new_case(single: Piece, text: str) -> bool:
    """Whether ``text`` puts a case of its own ("And what if I forgot which email I used?"): it opens
    with "and what if" (``_WHAT_IF``), names a subject of its own, and alone reads no entry surely."""
    sure = single.decision is Decision.ANSWER and single.confidence >= _SURE_ALONE
    return single.subject >= OWN_SUBJECT and not sure and bool(_WHAT_IF.match(shadow(text)))


def asked_again(
    index: int, sentences: Sequence[Span], decided: Sequence[Piece], taken: Sequence[Piece], threshold: float
) -> bool:
    """Whether sentence ``index`` asks again what an answer given already answers, so it is no
    question left for a person: it reads alone as that answer's entry ("… where my data is stored?
    Is it kept in the EU?", the surer one answered), or it is a follow-up (:func:`follow_up`) of a
    sentence an answer covers ("Nesaņēmu rēķinu par oktobri. Kā to var dabūt?")."""
    given = {t.entry for t in taken if t.decision is Decision.ANSWER}
    single = next((u for u in decided if u.first == index and u.last == index), None)
    if single is None or not given:
        return False
    if _new_case(single, sentences[index].text):
        return False  # "… And what if I forgot which email I used?": a question of its own
    if single.decision is Decision.ANSWER and single.entry in given:
        return True
    return follow_up(single, sentences, decided, threshold) in given or _alternative(
        single, sentences, decided, taken
    )


# A question that offers a choice ("Только сюда, или есть отдельная почта?", "Как лучше — через вас
# или через банк?", "Tikai šeit, vai ir cits e-pasts?", "Online, or only at the bank?"): "or"
# after the first word (a Latvian "vai" first asks whether) (folded).
_OR = re.compile(r"^\W*\w.*?\b(?:или|ili|vai|or)\b", re.DOTALL)
# ... and names less than this of a subject of its own (``leaning.OWN_MEANING``),
_ALTERNATIVE_SUBJECT = 2.0
# ... and read with the question before it keeps this share of that answer's score: a question the
# knowledge base does not know ("Is the lift repair planned this year or next?") dilutes the pair.
_KEEPS = 0.7


def _alternative(
    single: Piece, sentences: Sequence[Span], decided: Sequence[Piece], taken: Sequence[Piece]
) -> bool:
    """Whether the question ``single`` weighs alternatives of the question answered just before it:
    it offers a choice, names little of its own, and read with the sentence before it is surely
    read as that sentence's answer, with most of its score. The answer given covers the choice;
    alone, the question meets a stray entry ("через банк" is no bank login) and would go to a
    person beside its own answer."""
    index = single.first
    if single.subject >= _ALTERNATIVE_SUBJECT or not _OR.match(shadow(sentences[index].text)):
        return False
    before = next(
        (t for t in taken if t.decision is Decision.ANSWER and t.first <= index - 1 <= t.last), None
    )
    joined = next((u for u in decided if u.first == index - 1 and u.last == index), None)
    return (
        before is not None
        and joined is not None
        and joined.decision is Decision.ANSWER
        and joined.entry == before.entry
        and joined.score >= _KEEPS * before.score
    )


def inherited(
    index: int,
    single: Unit,
    decided: Sequence[Unit],
    taken: Sequence[Unit],
    entries: Collection[str],
    sure: Callable[[Unit], bool],
    excluded: Collection[str],
) -> Unit | None:
    """The answer for the follow-up question at sentence ``index`` (``single``: its own unit),
    read with the sentences before it, or None. The follow-up must name less than a subject of its
    own (not ``Unit.own_question``: one that does is read on its own), lean to the pair's reading itself
    (one of its two best entries: the pair did not drift to what the question before it alone
    says), and every sentence before it in the run must already be answered with other entries.
    The pair's reading must be sure (``sure``: whether it clears the bar for a further answer),
    not an entry already given, nor one that changes what is stored (``excluded``)."""
    if single.decision is Decision.ANSWER or single.own_question or not single.asks:
        return None
    leaning = {c.entry for c in single.candidates[:2]}
    answered = {
        k for unit in taken if unit.decision is Decision.ANSWER for k in range(unit.first, unit.last + 1)
    }
    for unit in sorted(decided, key=lambda u: -u.score):
        if unit.first == unit.last or unit.last != index or unit.decision is not Decision.ANSWER:
            continue
        if unit.entry is None or unit.entry in entries or unit.entry in excluded or unit.entry not in leaning:
            continue
        if not sure(unit):
            continue
        if all(k in answered for k in range(unit.first, index)):
            return replace(unit, first=index, last=index, asks=True)
    return None
