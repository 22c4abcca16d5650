"""Where a resident's own text ends before what only closes it, on the question's own line or below.

``reading.parse`` cuts the sign-off that stands on lines of its own; these are the two it missed:
thanks or a sign-off written on the same line as the question ("… ? Paldies, Inta"; a run-on line
without punctuation, "… kā iesniegt spasibo Viktor"), and the legal notice some mail programs add
under the signature, whose one long line hid the sign-off above it and whose "lūdzu … izdzēsiet"
(please … delete) read as a request of the resident's.
"""

from __future__ import annotations

import re

from helpdesk.knowledge.text import fold

# A legal notice under a signature ("This e-mail is confidential … If you have received it in error
# …", "… ir konfidenciāla … Ja esat saņēmis to kļūdas pēc …"): a long line, no question, saying both.
_DISCLAIMER = re.compile(
    r"^(?=[^\n]*(?:confidential|privileged|konfidencial|конфиденциальн))"
    r"(?=[^\n]*(?:in error|by mistake|kludas pec|kludaini|по ошибке|ошибочно))[^\n?]{60,}$",
    re.MULTILINE,
)


def notice_start(text: str, folded: str, end: int) -> int:
    """Where a legal notice begins in ``text[:end]`` (``folded``: ``text`` folded character by
    character), when something was written above it; else ``end``."""
    notice = _DISCLAIMER.search(folded, 0, end)
    return notice.start() if notice and text[: notice.start()].strip() else end


# Thanks or a sign-off and at most a few words ending a sentence, on the question's own line ("… ?
# Paldies, Inta", "… kā to iesniegt spasibo Viktor", "… ? S uvazheniem, Olga Ivanova") (folded).
_THANKS_TAIL = re.compile(
    r"(?:^|(?<![\s,.;:!-])[\s,.;:!-]+)"  # tried where a run begins: a pass, not one per character
    r"(?:(?:liels |bolshoe |большое |many )?(?:paldies|спасибо|spasibo|благодарю|thanks|"
    r"thank you|thx)|(?P<formal>ar cienu|с уважением|s uvazheniem|(?:best |kind |warm )?regards|sincerely))"
    r"(?P<rest>(?:[ ,]+[^\W\d_][\w.'’-]*){0,3})[ \t.,!]*$"
)


def thanks_tail(text: str, folded: str, closing_words: frozenset[str]) -> int | None:
    """Where thanks or a sign-off ends the sentence ``text``, with one word after it ("paldies
    janis") or closing words and a capitalised name, two at most (three after a formal sign-off).
    None when the words after it say more ("paldies, bet rēķina nav", "with regards to my bill")."""
    found = _THANKS_TAIL.search(folded)
    rest = text[found.start("rest") : found.end("rest")].replace(",", " ").split() if found else []
    named = all(fold(word) in closing_words or word[:1].isupper() for word in rest)
    if found and (len(rest) <= 1 or (named and len(rest) <= (3 if found.group("formal") else 2))):
        return found.start()
    return None
