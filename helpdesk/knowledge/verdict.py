"""What the matcher decides about one piece of a message (a sentence, or a run of two or three):
the decision, the entry, and what it rested on; ``parts`` puts the pieces' verdicts together."""

from __future__ import annotations

from typing import NamedTuple

from helpdesk.core.matching import Candidate, Decision
from helpdesk.knowledge.confidence import Signals


class Verdict(NamedTuple):
    """The matcher's decision about one piece of a message. ``subject``: how much of what the best
    entry is about the piece names (in units of the rarest word's weight; 0 for a piece that names
    nothing of any entry, such as "Ko man darīt?")"""

    decision: Decision
    entry: str | None
    score: float
    candidates: tuple[Candidate, ...]
    subject: float = 0.0
    foreign: bool = False  # the piece names another company or a subject the portal does not handle
    signals: Signals | None = None  # what the decision about the best entry rested on
    confidence: float = 0.0  # the probability that the best entry answers the piece
    doubt: bool = False  # escalated only because the model was not sure enough of the best entry
    everyday: bool = False  # every word it shares with the KB is an everyday one ("Could you check?")
    elsewhere: bool = False  # about another holder's news or records: our actions only offered
