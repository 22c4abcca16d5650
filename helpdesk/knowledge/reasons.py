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
from helpdesk.knowledge.problems import states_problem

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
# ... and, after a comma, the problem that made the resident ask: "и где их вводить на сайте, я не
# нашла", "kur to var izdarīt, nevaru atrast" (``problems``).
_COMMA = re.compile(r"[ \t]*[,;–—]+[ \t]+")
# A question or request of at least this many words before it, a reason of at least this many after.
MIN_WORDS = 3


def cuts(folded: str, start: int, stop: int) -> list[re.Match[str]]:
    """Where a reason (or the wish that it not happen again) begins in the sentence ``folded[start:stop]`` after a clause that asks (a
    question or a request of :data:`MIN_WORDS` words or more), when the reason says something of
    its own (as many words). "Jo" after a statement ("Rēķins nav atnācis, jo …") is the story's own."""
    found = []
    said = [*_BECAUSE.finditer(folded, start, stop), *_NOT_AGAIN.finditer(folded, start, stop)]
    stated = [
        comma
        for comma in _COMMA.finditer(folded, start, stop)
        if states_problem(folded[comma.end() : stop]) and not _GOES_ON_WITH.match(folded, comma.end())
    ]
    for reason in [*said, *stated]:
        before = folded[start : reason.start()]
        asks = QUESTION.search(before) or REQUEST.search(before)
        after = folded[reason.end() : stop].split()
        if asks and len(before.split()) >= MIN_WORDS and len(after) >= (MIN_WORDS if reason in said else 2):
            found.append(reason)
    return found


# A clause that goes on with what the question asks ("Ko man darīt, lai rēķini vairs nenāktu?") is
# no problem of its own.
_GOES_ON_WITH = re.compile(
    r"(?:lai|ka|kas|kur\w*|ja|jo|kamer|чтобы|что|если|когда|где|котор\w*|chtoby|chto|esli|"
    r"so|that|which|if|when|where|because)\b"
)
