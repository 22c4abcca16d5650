"""Which sentences of a long mail are read: the run of at most :data:`MAX_SENTENCES` that asks most.

Every sentence of a message, and every run of two or three, is matched on its own (``parts``); a
mail of forty sentences would be read 117 times, mostly its story and its quoted thread. The
question is somewhere in it: the run that holds the most sentences that ask is where it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from helpdesk.knowledge.reading import Span, asks

MAX_SENTENCES = 12  # a long mail is searched in the run of this many sentences that asks most


def window(sentences: Sequence[Span], told: frozenset[Span] = frozenset()) -> Sequence[Span]:
    """The run of at most ``MAX_SENTENCES`` sentences of a long mail that holds the most sentences
    that ask (the earliest such run): a long story before the question does not push it out."""
    if len(sentences) <= MAX_SENTENCES:
        return sentences
    asking = [asks(sentence.text) and sentence not in told for sentence in sentences]
    starts = range(len(sentences) - MAX_SENTENCES + 1)
    start = max(starts, key=lambda first: (sum(asking[first : first + MAX_SENTENCES]), -first))
    return sentences[start : start + MAX_SENTENCES]
