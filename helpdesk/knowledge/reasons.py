"""Why the resident asks, said after the question, is read apart from it: "also where do
I find the number for the building manager because nobody ever picks up", "how do i set it to pay
by itself so this doesnt happen again", "и где их вводить на сайте, я не нашла".

Read with its reason, the question takes the reason's words for its own ("picks up" meets nothing,
"happen again" dilutes paying by itself) and scores under the threshold; a person reads the reason
as why it is asked, not as what is asked. The reason is a clause of its own (``reading`` cuts
there): alone it is a sentence of story, and the runs of neighbouring clauses (``parts``) still
read the two together.
"""

from __future__ import annotations

import re

from helpdesk.knowledge.asking import QUESTION
from helpdesk.knowledge.problems import states_problem

# "because", "jo", "потому что", "так как" and their Latin-letter Russian, after a comma or not (folded).
_BECAUSE = re.compile(
    r"(?:[,;]|(?<!\s))\s+"
    r"(?=(?:because|cause|coz|jo|tapec ka|potomu chto|potomu shto|tak kak|потому что|так как)\s)"
)
# The wish that it not happen again: "so this doesnt happen again", "lai tas vairs neatkārtotos",
# "чтобы такое больше не повторялось" (not any "so that"/"lai"/"чтобы": "kā panākt, lai rēķins
# nāk e-pastā" asks for what follows it).
_NOT_AGAIN = re.compile(
    r"(?:[,;]|(?<!\s))\s+(?=(?:so that|so|lai|чтобы|chtoby)\s+(?:\S+\s+){0,4}?"
    r"(?:\S+\s+happen\w*\s+again|neatkarto\w*|nenotik\w*|не повтор\w*|больше не\b|ne povtor\w*))"
)
# The problem that made the resident ask, after a comma: "…, я не нашла", "…, nevaru atrast"
# (``problems``); not a clause that goes on with the question ("Ko man darīt, lai rēķini vairs
# nenāktu?", "…, если не получится").
_COMMA = re.compile(r"(?<![ \t])[ \t]*[,;–—]+[ \t]+")
_GOES_ON_WITH = re.compile(
    r"(?:lai|ka|kas|kur\w*|ja|jo|kamer|чтобы|что|если|когда|где|котор\w*|chtoby|chto|esli|"
    r"so|that|which|if|when|where|because)\b"
)
# A question of at least this many words before the reason, and a reason of as many
# (a problem stated after a comma: of at least PROBLEM_WORDS, "я не нашла").
MIN_WORDS = 3
PROBLEM_WORDS = 2


def cuts(folded: str, start: int, stop: int) -> list[re.Match[str]]:
    """Where the reasons begin in the clause ``folded[start:stop]``, each after a question of
    :data:`MIN_WORDS` words or more. "Jo" after a statement ("Rēķins nav atnācis, jo …") is the
    story's own, and so is it after a wish ("vēlos saņemt rēķinus e-pastā, jo bieži esmu prom. Kā
    to var izdarīt?": the question after it points back at the wish with its reason; the reasons
    after a request are ``clauses``')."""
    said = [*_BECAUSE.finditer(folded, start, stop), *_NOT_AGAIN.finditer(folded, start, stop)]
    stated = [
        (comma, PROBLEM_WORDS)
        for comma in _COMMA.finditer(folded, start, stop)
        if states_problem(folded[comma.end() : stop]) and not _GOES_ON_WITH.match(folded, comma.end())
    ]
    found = []
    for reason, words in [*((m, MIN_WORDS) for m in said), *stated]:
        before, after = folded[start : reason.start()], folded[reason.end() : stop]
        if QUESTION.search(before) and len(before.split()) >= MIN_WORDS and len(after.split()) >= words:
            found.append(reason)
    return found
