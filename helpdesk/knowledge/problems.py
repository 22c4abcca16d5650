"""A problem stated without a question: "šomēnes neesmu saņēmusi rēķinu", "не пришёл счёт за март",
"I paid on the 3rd but the portal still shows a debt".

People often say what is wrong and stop there: the question ("what do I do?") is left for the reader.
In a mail with another question, such a sentence read as context, and no answer was given to it: the
reply answered only the other question. A sentence that says something did not arrive, does not work
or cannot be done, or that something was paid and is still owed, asks for it to be set right as much
as a question does (``reading.asks``).

The words are each language's verbs of arriving, receiving, working and finding, negated, and of
paying beside a word for a debt; no subject is named, so what the problem is about is still the
matcher's to say. Patterns read folded text (``reading.shadow``: lower case, no diacritics, ``ё``→``е``).
"""

from __future__ import annotations

import re

# Something did not come, is not received, does not work, cannot be found or done (folded).
_NOT_DONE = re.compile(
    # Latvian: "nesaņēmu", "nav atnācis", "neesmu saņēmusi", "vairs nenāk", "nestrādā", "nevaru atrast".
    r"\bne(?:sanem|atnak|atnac|pienak|pienac|ienak|ienac|nak|nac|paradi|parada|strada|darboj|"
    r"izdod|izdev|atver|ielad|redz|atrod|atrad|var)\w*"
    r"|\b(?:nav|neesmu|neesam)\s+(?:(?:vel|joprojam|ari|tas|to|tos|vinu|man|mums)\s+){0,2}"
    r"(?:sanem|atnac|pienac|ienac|nac|atsut|nosut|paradij|ieradij|redz|atrad)\w*"
    # Russian, in Cyrillic and in Latin letters: "не пришёл", "не получаю", "не работает", "не могу".
    r"|\b(?:не|ne)\s+(?:(?:был\w*|был|byl\w*|смог\w*|smog\w*)\s+)?"
    r"(?:пришл?\w*|приход\w*|получ\w*|работа\w*|вижу|видн\w*|отобража\w*|открыва\w*|загружа\w*|"
    r"могу|можем|удает\w*|удало\w*|доход\w*|поступ\w*|нашл\w*|нашел|наход\w*|"
    r"prish\w*|prihod\w*|poluch\w*|rabota\w*|vizhu|mogu|otkryva\w*|postup\w*|nashl\w*|nashel)"
    r"|\b(?:перестал\w*|perestal\w*)\s+(?:приход|получ|работа|prihod|poluch|rabota)\w*"
    # English: "did not receive", "haven't got", "hasn't arrived", "doesn't work", "can't log in".
    r"|\b(?:did not|didn't|didnt|have not|haven't|havent|has not|hasn't|hasnt|never|not yet|still not)"
    r"\s+(?:\w+\s+){0,2}?(?:receiv\w*|got|gotten|get|arriv\w*|come|came|reach\w*|show\w* up|turn\w* up)\b"
    r"|\b(?:does not|doesn't|doesnt|is not|isn't|isnt|won't|wont|will not|can't|cant|cannot|can not|"
    r"couldn't|could not|unable to)\s+(?:\w+\s+)?(?:work\w*|load\w*|open\w*|log\w* in|find|see|access\w*|"
    r"sign\w* in|submit\w*|show\w*|appear\w*)\b"
    r"|\bnot\s+(?:yet\s+)?(?:received|arrived|delivered)\b"
    # ... "still not here", "isn't here yet": what should have come is not there.
    r"|\b(?:still not|still isn't|still isnt|isn't|isnt|is not|not)\s+here\s+yet\b|\bstill not here\b"
    # ... and with "nothing": "nothing has come", "nekas nav atnācis", "ничего не пришло".
    r"|\bnothing\s+(?:\w+\s+){0,2}?(?:come|came|arriv\w*|turn\w* up|show\w* up)\b"
    r"|\bstopped\s+(?:receiv|com|arriv|work)\w*"
    # ... or it came, but to the spam folder: "keeps landing in gmail junk", "iekrīt surogātpastā",
    # "nonāca mēstulēs", "улетел в спам", "popadajut v spam".
    r"|\b(?:spam\w*|junk|mestul\w*|surogatpast\w*|nevelam\w*\s+past\w*|спам\w*)"
)
# Something was paid (past tense) ...
_PAID = re.compile(
    r"\b(?:sa|ap|no)maksaj\w*|\bparskaitij\w*|\bmaksaju\b"
    r"|\b(?:о|за|у)платил\w*|\bоплачен\w*|\b(?:o|za|u)platil\w*|\boplachen\w*"
    r"|\b(?:paid|payed|settled|transferred)\b"
)
# ... and is still owed.
_OWED = re.compile(
    r"\bparad(?:s|u|a|am|nieks|nieku|niece)?\b|\bnesamaksat\w*|\bneapmaksat\w*"
    r"|\bдолг\w*|\bзадолжен\w*|\bнеоплач\w*|\bdolg\w*|\bzadolzhen\w*|\bneoplach\w*"
    r"|\b(?:debt|debts|owe|owing|outstanding|overdue|unpaid|arrears)\b"
)


def states_problem(folded: str) -> bool:
    """Whether a folded sentence says that something did not come or does not work, or that it was
    paid and is still owed: a problem to set right, though nothing is asked."""
    return bool(_NOT_DONE.search(folded) or (_PAID.search(folded) and _OWED.search(folded)))
