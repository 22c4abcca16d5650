"""A run of sentences read by its story: the answer comes from the story, not from what is asked.

A long mail tells a story around its question ("We live in Jūrmala since my husband retired …
This month nothing has come. My husband has looked as well."). A run of two or three sentences can
score for an entry that only a sentence of story names ("my husband has looked" meets the second
recipient), while the sentence that asks names a subject of its own and none of its best readings
is the story's. Such a run answers the story, not the question: it is no answer (the question goes
to a person, or to its own reading). A run still answers when a question leans to its reading (one
of the question's three best entries), and when every question is vague ("What happens next?", "Who
do I contact?"): those take their subject from the story.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from helpdesk.core.matching import Decision

if TYPE_CHECKING:
    from helpdesk.knowledge.parts import Unit

LEANS = 3  # a question leans to any of its three best entries
NAMED = 1.3  # how much of a subject of its own a question names (``parts.Verdict.subject``)


def _best(unit: Unit) -> str | None:
    return unit.candidates[0].entry if unit.candidates else None


def story_led(unit: Unit, decided: Sequence[Unit], questions: Collection[int] = ()) -> bool:
    """Whether the run ``unit`` answers with an entry that a sentence of story in it carries (its
    best entry), which none of its asking sentences leans to, while a question of the mail (in the
    run, or one nothing answers on its own) names a subject of its own and does not lean to it.
    ``questions``: the indexes of the sentences that ask a question in so many words."""
    if unit.first == unit.last or unit.entry is None:
        return False
    singles = [u for u in decided if u.first == u.last]
    inside = [u for u in singles if unit.first <= u.first <= unit.last]
    if not any(not u.asks and _best(u) == unit.entry for u in inside):
        return False
    if any(u.asks and _leans(u, unit.entry) for u in inside):
        return False
    if any(u.first in questions and u.subject < NAMED for u in inside):
        # Its own question is vague ("Kā tas darāms?", "What happens then?"): the run is that
        # question read with the story that says what it is about, whatever else the mail asks.
        return False
    # A question outside the run counts while nothing answers it on its own: then the run would
    # answer the story in its place.
    outside = [u for u in singles if u not in inside and u.decision is not Decision.ANSWER]
    return any(_own(u, unit.entry) for u in [*inside, *outside])


def _leans(question: Unit, entry: str) -> bool:
    return entry in [c.entry for c in question.candidates[:LEANS]]


def _own(question: Unit, entry: str) -> bool:
    """Whether ``question`` asks about a subject of its own (it names one, unlike "What happens next?"
    or "Who do I contact?"), and not about ``entry``."""
    return (
        question.asks
        and question.subject >= NAMED
        and bool(question.candidates)
        and not _leans(question, entry)
    )
