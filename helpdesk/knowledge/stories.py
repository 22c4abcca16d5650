"""A run of sentences read by its story: the answer comes from the story, not from what is asked.

A long mail tells a story around its question ("I have been living here with my husband since he
retired … This month nothing has come."). A run of two or three sentences can score for an entry
that only a sentence of story names ("my husband has looked as well" meets the second recipient),
while the sentence that asks reads clearly as something else. Such a run answers the story, not
the question: it is not an answer. A run whose question leans to its reading (one of the question's
two best entries) still answers, and so does a run when no sentence of the mail asks anything the
knowledge base reads clearly (then the story may be all that says what the mail is about).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from helpdesk.core.matching import Decision

if TYPE_CHECKING:
    from helpdesk.knowledge.parts import Unit

CREDENCE = 0.3  # the model's probability that the question's own reading answers it
LEANS = 3  # a question leans to any of its three best entries
NAMED = 1.3  # how much of its own reading the question names (``parts.Verdict.subject``)


def _best(unit: Unit) -> str | None:
    return unit.candidates[0].entry if unit.candidates else None


def story_led(unit: Unit, decided: Sequence[Unit], threshold: float) -> bool:
    """Whether the run ``unit`` answers with an entry that a sentence of story in it carries, which
    none of its asking sentences leans to, while a sentence of the mail asks with a clear reading
    of its own (its best entry, another one, scores at least ``threshold``)."""
    if unit.first == unit.last or unit.entry is None:
        return False
    singles = [u for u in decided if u.first == u.last]
    inside = [u for u in singles if unit.first <= u.first <= unit.last]
    if not any(not u.asks and _best(u) == unit.entry for u in inside):
        return False
    if any(u.asks and unit.entry in [c.entry for c in u.candidates[:LEANS]] for u in inside):
        return False
    # A clear question outside the run counts while nothing answers it on its own: then the run
    # would answer the story in its place.
    outside = [u for u in singles if u not in inside and u.decision is not Decision.ANSWER]
    return any(_clear(u, unit.entry, threshold) for u in [*inside, *outside])


def _clear(question: Unit, entry: str, threshold: float) -> bool:
    """Whether ``question`` asks with a clear reading other than ``entry``: its best entry scores at
    least ``threshold``, the model gives it some credence, and it names a subject of its own (not "What
    happens next?" or "Who do I contact?", which take their subject from the story)."""
    return (
        question.asks
        and _best(question) not in (None, entry)
        and question.score >= threshold
        and question.confidence >= CREDENCE
        and question.subject >= NAMED
    )
