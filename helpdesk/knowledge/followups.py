"""A follow-up question read with the question before it.

A second question of a mail often names little of its own subject: "And what if I missed it?",
"А если пропустил срок?", "Un ja nokavēju?". Alone it scores low or reads the wrong entry, and the
confidence model doubts it; read together with the question before it, the pair names the subject
("the deadline for meter readings ... what if I missed it" is a missed reading). When the sentence
before is answered already with another entry, the pair's reading is what the follow-up adds: the
follow-up inherits the subject its pronoun ("it", "to", "это") points back to.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from helpdesk.core.matching import Decision

if TYPE_CHECKING:
    from helpdesk.knowledge.parts import Unit


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
