"""Whether a message asks how the resident's own open request is getting on: "есть новости по
моему вопросу?", "vai ir kas jauns par manu pieprasījumu?", "any update on my request?".

Such a message is about that request, not a new question: it joins the resident's open item (whose
reply says by when a person answers), so the agent sees it there rather than in a second item
with no subject. It needs both halves, the state asked after and whose request it is ("my
question", "I wrote yesterday"): "any news about the portal?" is a question of its own.
"""

from __future__ import annotations

import re

from helpdesk.knowledge.text import fold

# Folded text. What is asked: news, the state, an answer, whether anything happened.
_STATE = re.compile(
    r"\b(?:jaunum\w*|kas jauns|status\w*|atbilde\w*|atbildes|kas notiek|ka ir ar|vai ir kas|"
    r"ka virzas|новост\w*|статус\w*|ответ\w*|что с\b|как там|рассмотрел\w*|что нового|"
    r"news|update\w*|status|progress|heard back|any word|what happened|"
    r"(?:an|any|no|the|get|got|receive\w*) (?:answer|reply|response))\b"
)
# Whose: the resident's own question, request or message, or "I wrote" before.
_OWN = re.compile(
    r"\b(?:man(?:s|a|u|am|ai|a|o) (?:jautajum\w*|pieprasijum\w*|iesniegum\w*|pieteikum\w*|vestul\w*|"
    r"zin\w*|lugum\w*)|(?:es )?(?:rakstiju|jautaju|sutiju|iesniedzu)|"
    r"мо(?:й|его|ему|ей|ю|я|ё|е|им) (?:вопрос\w*|запрос\w*|заявк\w*|обращени\w*|письм\w*|сообщени\w*|"
    r"жалоб\w*)|я (?:\w+ )?(?:писал\w*|спрашивал\w*|отправлял\w*|обращал\w*)|"
    r"my (?:question|request|message|enquiry|inquiry|complaint|ticket|case|e-?mail)s?|"
    r"i (?:wrote|asked|sent|emailed|contacted))\b"
)


def asks_after_own_request(text: str) -> bool:
    """Whether ``text`` asks about the state of the resident's own earlier request."""
    folded = fold(text)
    return bool(_STATE.search(folded)) and bool(_OWN.search(folded))
