"""How sure the matcher is that its best entry answers a piece of a message: a calibrated probability.

The score (0-100) says how well the words of a piece meet an entry's phrasings; whether that is a
right answer depends on more: how far the runner-up is, how much of the entry's own subject the piece
names (rare words, not "what do I do?"), how many of its words the knowledge base does not know,
whether it is one sentence of a longer mail, whether it names another company. A logistic model of
these signals, fitted on the tuning data (the tuning halves of tests/kb_eval/fresh and
tests/kb_eval/dev and the tests/kb_eval queries: every piece the reading matches, labelled by whether
its best entry is one the message expects), turns them into the probability that the answer is right.
``python -m tests.kb_eval.calibrate`` refits the coefficients and prints the cross-validated figures;
paste its output here after changing the knowledge base or the scoring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# A piece answers when the model is at least this sure ...
CONFIDENT = 0.7
# ... or, for a message of one sentence, when its score clears the answer threshold and the model
# does not doubt it: short chat questions scored well are right far more often than the mail they
# are pooled with says.
NOT_DOUBTFUL = 0.3
# Nothing scored under this answers, and the matcher does not score entries that cannot reach it
# (with the default threshold, the floor it had: lower floors cost more time than they win answers).
LOWEST_SCORE = 44.0
MAX_EVIDENCE = 4.0  # evidence beyond four rare words adds nothing
MAX_LEAD = 40.0
SHORT = 3  # content words of a short question
# A piece that says much of what it means in words the knowledge base does not know (this share of
# its content words, at least this many of them) and does not name what sets its best entry apart
# from that entry's siblings (``siblings``) is a guess from the words it happens to share: "vecā
# inbox ir slēgta, rēķinus vajag sūtīt citur" meets "send me the invoices" on its known words, while
# what it asks (the address is gone, send them elsewhere) is in the unknown ones. The model, fitted
# on the tuning data whose words the KB was taught, read unknown words at a high score as no doubt;
# new writers' are. Under :data:`HEARD_WHOLE` such a piece is never surer than :data:`GUESS`, which
# the answer rule doubts. (0.4: on the tuning halves and tests/kb_eval no right answer is such a
# guess; at 0.3 five were, each naming its subject in known words among unknown ones.)
UNHEARD = 0.4
UNHEARD_WORDS = 3
HEARD_WHOLE = 85.0  # ... a score this high meets a phrasing nearly whole: the known words are the question
GUESS = 0.29  # under NOT_DOUBTFUL
VOUCHED = 0.5  # ... unless this share of the pieces of a mail around it read the same (``support``)


@dataclass(frozen=True, slots=True)
class Signals:
    """What is known about a piece's best entry."""

    score: float  # 0..100, after the near-miss factors
    lead: float  # over the runner-up, in score points
    evidence: float  # the entry's words the piece names, in units of the rarest word's weight
    unknown: float  # share of the piece's content words the knowledge base does not know
    content_words: int
    fragment: bool  # one piece of a longer message
    foreign: bool  # the piece names another company or subject (scope)
    context: bool  # ... another sentence of the message does
    action: bool  # the entry is an action intent
    support: float = 0.0  # share of the overlapping pieces of the message with the same best entry
    guess: bool = False  # the meaning is in unknown words, the entry's own not named (:func:`guesses`)

    def features(self) -> tuple[float, ...]:
        score = self.score / 100
        evidence = min(self.evidence, MAX_EVIDENCE) / MAX_EVIDENCE
        fragment = float(self.fragment)
        short = float(self.content_words <= SHORT)
        return (
            score,
            min(self.lead, MAX_LEAD) / 100,
            evidence,
            self.unknown,
            math.log1p(self.content_words),
            fragment,
            float(self.foreign),
            float(self.context),
            float(self.action),
            score * fragment,
            evidence * fragment,
            score * self.unknown,
            short,
            score * short,
            self.support,
        )


@dataclass(frozen=True, slots=True)
class Model:
    """A logistic model over :meth:`Signals.features`."""

    weights: tuple[float, ...]
    intercept: float

    def probability(self, signals: Signals) -> float:
        z = self.intercept + sum(w * x for w, x in zip(self.weights, signals.features(), strict=True))
        sure = 1.0 / (1.0 + math.exp(-z))
        # A guess the rest of a mail vouches for (most pieces around it read the same) is no longer
        # only a guess from its own known words.
        return min(sure, GUESS) if signals.guess and signals.support < VOUCHED else sure


def guesses(score: float, unknown: float, content_words: int, named: bool) -> bool:
    """Whether a piece's best entry is a guess from its known words (:data:`UNHEARD`): a large share
    of its content words unknown, the entry's distinct meaning not ``named``, the score short of
    a phrasing met whole."""
    return unknown >= UNHEARD and content_words >= UNHEARD_WORDS and score < HEARD_WHOLE and not named


# Fitted by `python -m tests.kb_eval.calibrate` (scikit-learn LogisticRegression, C=1).
SHIPPED = Model(
    weights=(
        5.822,
        1.99,
        1.62,
        -0.975,
        0.605,
        -1.712,
        -0.616,
        -1.299,
        0.602,
        -1.115,
        0.577,
        1.722,
        -0.707,
        0.632,
        2.918,
    ),
    intercept=-4.339,
)
