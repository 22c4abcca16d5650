"""How a person reads a mail of several questions and stories: what a weak question leans on, and
when a second question is answered beside the first (``parts.choose`` asks these two).

A question that names little of its own ("Kāpēc un ko man darīt, lai tie vairs nenāk?", "Kā to
izdarīt pareizi?") is read with the story before it: alone it meets the wrong entry, or none well
enough. Its own two best entries said what it leaned to; so does the reading of the run of
sentences that holds it with its story, when the model is sure of that run. A question that names
a subject of its own (two rare words of some entry: "Vai ir plānots lifta nomaiņu …") is not
re-read through the story beside it.

A further answer must be surer than the first, since a story beside an answered question reads as
something it does not ask; but a question asked apart (its own question mark, in a sentence no
answer given holds) is the resident's second question, and needs less than a piece of story
("Kā to labot? … Un vēl – … Kāpēc?").
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from helpdesk.core.matching import Decision
from helpdesk.knowledge.asking import QUESTION
from helpdesk.knowledge.confidence import CONFIDENT
from helpdesk.knowledge.reading import Span, shadow

if TYPE_CHECKING:
    from helpdesk.knowledge.parts import Unit

# A question naming this much of some entry's subject (in units of the rarest word's weight) has a
# meaning of its own and is not read through the story around it (``parts.REQUEST_SUBJECT``).
OWN_MEANING = 2.0
# ... and one naming less than half the rarest word's weight names nothing ("Что делать?", "Ko
# darīt?" meet an entry on a verb): its best reading says nothing of what it asks.
NAMES_SOMETHING = 0.5
# A question asked apart answers when the model is this sure of it: surer than a first answer
# (0.7), since a question about what the KB does not hold ("kad nomainīs veco liftu?") meets a
# near entry at 0.74; less than the 0.85 a further piece of story needs (``parts.EXTRA_SURE``).
APART_SURE = 0.8
# A question leans to its second reading only this close behind its best: "Прошу возобновить
# рассылку" (the news again, 20 points ahead) does not let the story "я отказалась от рассылки"
# answer how to unsubscribe.
LEAN_GAP = 15.0


def leaning(questions: Sequence[Unit], decided: Sequence[Unit]) -> set[str]:
    """The entries ``questions`` lean to: each one's two best (the second within :data:`LEAN_GAP`),
    and for a question that is not answered and names little of its own, the reading of each
    surely read run of sentences that holds it (a story and its "why?")."""
    found = {
        c.entry
        for u in questions
        if not u.foreign
        for c in u.candidates[:2]
        if c.score >= u.candidates[0].score - LEAN_GAP
    }
    for question in questions:
        if question.foreign or question.decision is Decision.ANSWER or question.subject >= OWN_MEANING:
            continue
        found.update(
            run.candidates[0].entry
            for run in decided
            if run.first <= question.first <= run.last
            and run.first != run.last
            and run.candidates
            and not run.foreign
            and run.confidence >= CONFIDENT
        )
    return found


def asked_apart(unit: Unit, sentences: Sequence[Span], told: Collection[Span]) -> bool:
    """Whether ``unit`` answers a question of its own: it asks, the model is sure of it
    (:data:`APART_SURE`), and one of its sentences is a question (not a forwarded notice's)."""
    return (
        unit.asks
        and unit.decision is Decision.ANSWER
        and unit.confidence >= APART_SURE
        and any(
            QUESTION.search(shadow(s.text)) and s not in told for s in sentences[unit.first : unit.last + 1]
        )
    )


def own_reading(single: Unit, answers: Sequence[Unit], threshold: float, lead: float) -> bool:
    """Whether a sentence reads, alone, as an entry of its own: it names something of some entry
    (:data:`NAMES_SOMETHING`), its best entry clears the answer threshold, leads the next by
    ``lead`` and is none of the answers given. Such a sentence ("Could you simply send me the
    November invoice?" beside a login answer) asks something new, though its words are too common
    to name a subject of its own: it is no follow-up of the answer beside it."""
    if not single.candidates or single.everyday or single.subject < NAMES_SOMETHING:
        return False  # "Что делать?" names nothing: it may well be a follow-up
    best = single.candidates[0]
    runner_up = single.candidates[1].score if len(single.candidates) > 1 else 0.0
    given = {answer.entry for answer in answers}
    return best.score >= threshold and best.score - runner_up >= lead and best.entry not in given
