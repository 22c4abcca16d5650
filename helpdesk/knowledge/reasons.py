"""The reason given after a question or a request is read apart from it: "also where do I find the
number for the building manager because nobody ever picks up", "kur var samaksāt, jo bankā neļauj",
"пришлите счёт, потому что в портал не могу войти".

Read with its reason, the question takes the reason's words for its own ("picks up" meets nothing,
"nobody" dilutes the manager's number) and scores under the threshold; a person reads the reason as
why it is asked, not as what is asked. The reason is a clause of its own (``reading`` cuts there):
alone it is a sentence of story, and read with the question beside it (``parts``, runs of
neighbouring clauses) it still says what it says.
"""

from __future__ import annotations

import re

from helpdesk.knowledge.asking import QUESTION, REQUEST

# "because", "jo", "потому что", "так как" and their Latin-letter Russian, after a comma or not (folded).
_BECAUSE = re.compile(
    r"[,;]?\s+(?=(?:because|cause|coz|jo|tapec ka|potomu chto|potomu shto|tak kak|потому что|так как)\s)"
)
# ... and the wish that it not happen again: "how do i set it to pay by itself so this doesnt happen
# again", "kā iestatīt automātisko maksājumu, lai tas vairs neatkārtotos", "чтобы такое не повторялось".
_NOT_AGAIN = re.compile(
    r"[,;]?\s+(?=(?:so that|so|lai|чтобы|chtoby)\s+(?:\S+\s+){0,4}?"
    r"(?:\S+\s+happen\w*\s+again|neatkarto\w*|nenotik\w*|не повтор\w*|больше не\b|ne povtor\w*))"
)
# A question or request of at least this many words before it, a reason of at least this many after.
MIN_WORDS = 3


def cuts(folded: str, start: int, stop: int) -> list[re.Match[str]]:
    """Where a reason (or the wish that it not happen again) begins in the sentence ``folded[start:stop]`` after a clause that asks (a
    question or a request of :data:`MIN_WORDS` words or more), when the reason says something of
    its own (as many words). "Jo" after a statement ("Rēķins nav atnācis, jo …") is the story's own."""
    found = []
    for reason in [*_BECAUSE.finditer(folded, start, stop), *_NOT_AGAIN.finditer(folded, start, stop)]:
        before = folded[start : reason.start()]
        asks = QUESTION.search(before) or REQUEST.search(before)
        after = folded[reason.end() : stop].split()[1:]  # without the conjunction itself
        if asks and len(before.split()) >= MIN_WORDS and len(after) >= MIN_WORDS:
            found.append(reason)
    return found
