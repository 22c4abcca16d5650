"""How much the rest of a mail vouches for the reading of one of its pieces (``Signals.support``).

Each sentence of a mail, and each run of two or three, is read on its own (``parts.units``); the
pieces that share a sentence with a piece say whether reading more of the mail keeps its best entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from helpdesk.knowledge.confidence import Signals
from helpdesk.knowledge.followup import OWN_SUBJECT

if TYPE_CHECKING:
    from helpdesk.knowledge.parts import Verdict


def support(
    spans: Sequence[tuple[int, int]],
    verdicts: Sequence[Verdict],
    index: int,
    asking: Sequence[bool] = (),
) -> float | None:
    """How much the pieces overlapping piece ``index`` (sharing a sentence with it) vouch for its
    reading: the mean over them of 1 when its best entry is theirs too, else 0, with two
    exceptions that ``asking`` (which sentences ask) decides. A piece that adds another question
    and ranks this reading second counts a half (a piece that holds two questions ranks the second
    one second); one that adds only context and ranks it second does not (read along, the context
    pulled the reading elsewhere). A piece that adds another question, does not rank this reading
    and ranks what that question reads alone first or second is about that question (two questions
    read together read as one or the other, or as a blend of both): it says nothing for or against
    this one and is left out, so the second question of a mail is not doubted for its neighbour's
    being the first. When every
    piece around it is left out so, nothing of the mail speaks for or against it: None, not 0 (which
    says the mail read along pulls the reading elsewhere)."""
    return _Overlaps(spans, verdicts).support(index, asking)


def supports(
    spans: Sequence[tuple[int, int]], verdicts: Sequence[Verdict], asking: Sequence[bool] = ()
) -> list[float | None]:
    """:func:`support` of every piece, with what they all read of the others read once (a long
    mail has 33 pieces, and each read every other's best entries again)."""
    overlaps = _Overlaps(spans, verdicts)
    return [overlaps.support(index, asking) for index in range(len(spans))]


class _Overlaps:
    """The pieces' spans and their two best entries, for :func:`support`."""

    def __init__(self, spans: Sequence[tuple[int, int]], verdicts: Sequence[Verdict]) -> None:
        self.spans = spans
        self.ranked = [[c.entry for c in verdict.candidates[:2]] for verdict in verdicts]
        self.best = [ranked[0] if ranked else None for ranked in self.ranked]
        self.alone = {a: self.best[i] for i, (a, b) in enumerate(spans) if a == b}

    def support(self, index: int, asking: Sequence[bool]) -> float | None:
        spans, alone = self.spans, self.alone
        mine = self.best[index]
        first, last = spans[index]
        overlapping = [
            other for other, (a, b) in enumerate(spans) if other != index and a <= last and first <= b
        ]
        if mine is None or not overlapping:
            return 0.0
        found = 0.0
        counted = 0
        for other in overlapping:
            ranked = self.ranked[other]
            a, b = spans[other]
            added = [k for k in range(a, b + 1) if not first <= k <= last]
            questions = [k for k in added if k < len(asking) and asking[k]]
            if ranked and mine not in ranked and any(alone.get(k) in ranked for k in questions):
                continue
            counted += 1
            if ranked[:1] == [mine]:
                found += 1.0
            elif mine in ranked and (questions or not added):
                found += 0.5
        return found / counted if counted else None


def backed(signals: Signals, support: float | None) -> Signals:
    """A piece's signals with its :func:`support`. A question that names a subject of its own
    (``OWN_SUBJECT``, in units of the rarest word's weight) and that no other piece speaks for or
    against (each reads the mail's other question) is read as the message of its own it is, not as
    a scrap of a mail: the model's fragment features, which price in what a scrap torn from a story
    usually is, do not apply to it. A chat message of the same words is read so too."""
    if support is None and signals.evidence >= OWN_SUBJECT:
        return replace(signals, fragment=False, support=0.0)
    return replace(signals, support=support or 0.0)
