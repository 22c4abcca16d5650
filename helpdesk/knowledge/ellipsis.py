"""A second question that leaves its subject to the sentence before it: "do kakogo chisla podavat
pokazanija i gde ih vvodit' na sajte", "… kā to izdarīt un vai par papīru tiešām jāmaksā",
"october invoice still not here 😤 can u just send it to me here".

A person reads "and where do I enter them" with "them" taken from the question before it, and
answers each question. Matched alone, such a clause reads its entry clearly (the words it has are
that entry's: "вводить на сайте", "send it to me"), but it names little of the entry's subject, so
the confidence model, which prices a scrap of a mail by the subject it names, doubts it; read with
the sentence before, the pair reads as that sentence's question. :func:`elliptical` answers the
clause with its own reading when the subject it leaves out is there just before it: the pair of the
two still ranks that reading among its best.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from helpdesk.core.matching import Decision
from helpdesk.knowledge.asking import QUESTION, REQUEST
from helpdesk.knowledge.followup import points_back
from helpdesk.knowledge.leaning import OWN_MEANING
from helpdesk.knowledge.reading import Span, shadow

if TYPE_CHECKING:
    from helpdesk.knowledge.parts import Unit

# A clause that goes on from the one before it: "un …", "и …", "a …", "and …", "also …" (folded;
# "i" and "a" are the Russian "и" and "а" typed in Latin letters, ``asking.QUESTION``).
_GOES_ON = re.compile(r"^\W*(?:un|и|а|and|also|i|a)\s")
# ... or that points back at what was said with a pronoun: "to", "tos", "it", "them", "их", "это".
_POINTS_BACK = re.compile(
    r"\b(?:to|tos|tas|tie|tam|tiem|vinu|vinus|viniem|it|them|that|those|these|"
    r"его|ее|их|им|ими|это|этого|этим|ego|ih|im|eto|etogo)\b"
)
# The pair of the clause and the sentence before it must rank the clause's reading among this many.
PAIR_RANKS = 3


def elliptical(
    unit: Unit,
    sentences: Sequence[Span],
    decided: Sequence[Unit],
    threshold: float,
    lead: float,
    excluded: Collection[str],
) -> Unit | None:
    """``unit`` answered with its own best entry when it is a question or request that takes its
    subject from the sentence before it; else None. It is one sentence (or clause) after another,
    asks in so many words, goes on from the sentence before ("и …", "un …", "and …") or points
    back at it ("их", "tos", "it"), without only asking it again ("Kā to var izdarīt?",
    ``followup.points_back``); it names less than a subject of its own (``leaning.OWN_MEANING``:
    one that names more and is still doubted is doubted for its own sake) and no other company.
    Its best entry clears the threshold by ``lead`` and leads the runner-up by as much; it is an
    action only when the clause asks for one ("can u send it", not "где его посмотреть?"). The
    sentence before is answered, with another entry (a question the KB lacks lends no subject:
    "kas tīra kāpņu telpu un cik bieži"), and the pair of the two ranks the clause's entry among
    its :data:`PAIR_RANKS` best at the threshold or above, so the subject it leaves out is the one
    named there. An entry of ``excluded`` (one that changes what is stored) is never taken so."""
    index = unit.first
    if index == 0 or unit.last != index or unit.decision is Decision.ANSWER or unit.foreign:
        return None
    if unit.subject >= OWN_MEANING or not unit.candidates:
        return None
    folded = shadow(sentences[index].text)
    if not (QUESTION.search(folded) or REQUEST.search(folded)):
        return None
    if not (_GOES_ON.match(folded) or _POINTS_BACK.search(folded)) or points_back(folded):
        return None  # "Kā to var izdarīt?" asks the question before it again (``followup``)
    best = unit.candidates[0]
    runner_up = unit.candidates[1].score if len(unit.candidates) > 1 else 0.0
    if best.entry in excluded or best.score < threshold + lead or best.score - runner_up < lead:
        return None
    if best.entry.startswith("action:") and not REQUEST.search(folded):
        return None  # "и где его посмотреть?" asks where, it asks for nothing to be done
    before = next((u for u in decided if u.first == u.last == index - 1), None)
    if before is None or before.decision is not Decision.ANSWER or before.entry == best.entry:
        return None
    pair = next((u for u in decided if u.first == index - 1 and u.last == index), None)
    if pair is None or not any(
        c.entry == best.entry and c.score >= threshold for c in pair.candidates[:PAIR_RANKS]
    ):
        return None
    return replace(unit, decision=Decision.ANSWER, entry=best.entry, asks=True)
