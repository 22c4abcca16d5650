"""Where a sentence is cut into clauses that are read apart: a person reads "atsūtiet rēķinu un
atrakstiet mani no jaunumiem" as two requests, "otpišite menja, mne eto ne nado" as a request and
its reasons, and "man ir jautājums: kur …" as a question after a preamble; but "atsūtiet rēķinu un
aktu" as one request of two things, and "Vai …, vai …?" as one question (``vai``: "or").

All patterns work on folded text (``text.shadow``). ``reading`` cuts sentences and asks here where
each splits; every clause is matched alone and with its neighbours (``parts``), so a cut too many
costs little, a cut too few lets one request hide the other.
"""

from __future__ import annotations

import re

from helpdesk.knowledge.asking import ADDITIVE, QUESTION, REQUEST, RU_ADDITIVE

_RU_LATIN_ASKING = r"(?:gde|kak\w*|kogda|mozhno|skolko|pochemu|zachem|kuda)"
# A second question joined by "and": "… un vai var …", "… и где …", "… and how …", also after
# "until"/"by"/"for" ("… and by what date", "… и до какого числа", "… and for how long") and after
# an additive particle ("… и ещё как …", "… а ещё где …", "… and also how …") (folded).
# Every cut that begins with blank space starts with "(?:[,;]|(?<!\s))": tried where a run of
# blank space begins, not at each space of it (the same cuts, in one pass: test_padded_messages).
_CLAUSE = re.compile(
    rf"(?:[,;]|(?<!\s))\s+(?=(?:(?:un|и|and)\s+(?:{ADDITIVE}\s+)?|а\s+{RU_ADDITIVE}\s+|а также\s+|also\s+)"
    r"(?:(?:by|until|till|for|lidz|до|do|на)\s+)?"
    r"(?:vai|ka|kur\w*|kad\w*|cik|kapec|kapēc|"
    r"где|как\w*|когда|можно|сколько|почему|зачем|куда|"
    rf"{_RU_LATIN_ASKING}|"
    r"how|where|when|can|could|what|why|is|do|does|are|which|will|would|should|may)\b"
    # "i" is "и" in Latin letters, and the English "I" ("… but I can't find it"): Russian words only;
    # "a" is "а" only before a Russian "ещё" ("… a eshe gde …"), never the English article.
    rf"|(?:i\s+(?:{RU_ADDITIVE}\s+)?|a\s+{RU_ADDITIVE}\s+){_RU_LATIN_ASKING}\b)"
    # "…, kā arī …", "…, а также …", "…, as well as …": a second request, whatever it starts with.
    r"|,\s*(?=(?:ka ari|а также|a takzhe|as well as)\s)"
)
# A second request or question joined by "and" whose first word is a verb of its own: "atsūtiet
# rēķinu un atrakstiet mani no jaunumiem", "пришлите счёт и отпишите меня", "send me the invoice
# and tell me how …", also after a plea or an additive particle ("отпишите меня и ещё подскажите,
# как …", "… un vēl pastāstiet, kā …"); after "how/kā/как …" also an infinitive ("kā iesniegt
# rādījumus un nomainīt e-pastu"). Not "un" between two objects of one verb ("atsūtiet rēķinu un
# aktu") (folded).
_SECOND_VERB = re.compile(
    rf"(?:[,;]|(?<!\s))\s+(?=(?:un|и|and)\s+(?:(?:ludzu|please|pls|пожалуйста|{ADDITIVE})\s+)?"
    r"(?:[^\W\d_]{3,}(?:iet|ieties|ите|ьте|йте)|send|tell|give|change|update|remove|unsubscribe|cancel|"
    r"stop|add|correct|fix|explain|let|show|delete|check|confirm|switch|email|forward|register|make)\b)"
)
_VERB_FIRST = re.compile(
    r"\W*(?:(?:ludzu|please|pls|пожалуйста)\s+)?(?:[^\W\d_]{3,}(?:iet|ieties|ите|ьте|йте|ite)|send|tell|give|"
    r"change|update|remove|unsubscribe|cancel|stop|add|correct|fix|explain|let|show|delete|check|email)\b"
)
_INFINITIVE = re.compile(r"\b[^\W\d_]{3,}(?:(?<!ie)t|(?<!ie)ties|ть|ться|ти)\b")
# One more question announced inside the sentence: "… и ещё вопрос: как …", "… un vēl viens
# jautājums, kur …", "… and one more question, how …". The cut takes the announcement with it: it
# names no subject, and read alone as a piece "вопрос" would read as a wish to ask someone (folded).
_ANOTHER = re.compile(
    rf"(?:[,;]|(?<!\s))\s+(?:un|и|а|a|i|and|plus)\s+(?:(?:{ADDITIVE}|one more|another)\s+)"
    r"(?:(?:один|odin|viens|small|short)\s+)?(?:вопрос\w*|vopros\w*|jautajum\w*|questions?)\b"
    r"[ \t]*[,:;–—-]*\s*"
)
# A second "so that" clause: "…, чтобы счёт приходил по почте, и чтобы копию получала я" (folded).
_SECOND_PURPOSE = re.compile(r"(?:[,;]|(?<!\s))\s+(?=(?:un|и|and)\s+(?:lai|чтобы|so that)\s)")
_PURPOSE = re.compile(r"\b(?:lai|чтобы|so that)\b")
_SECOND_INFINITIVE = re.compile(
    r"(?:[,;]|(?<!\s))\s+(?=(?:un|и)\s+[^\W\d_]{3,}(?:(?<!ie)t|(?<!ie)ties|ть|ться)\b)"
)
# A question after a comma that follows a question of its own: "līdz kuram datumam jānodod
# rādījumi, vai rēķinu var apmaksāt ar karti …", "…, можно ли …", "…, can I …" (not after "Gribu
# zināt, vai …", whose first clause asks nothing, nor "Vai varu …, vai tā paliks …?": "or").
_COMMA_QUESTION = re.compile(
    r",\s+(?=(?:vai|можно ли|нужно ли|надо ли|(?:can|could|do|should|will) (?:i|we|you)|is (?:it|there))\s)"
)
# The reasons after a request ("otpišite menja ot rassylki, mne eto ne nado, prihodit …") and the
# question after "I have a question:" ("man ir vairāki jautājumi, līdz kuram datumam …") are read
# apart from it (folded).
_COMMA = re.compile(r"(?<![ \t])[ \t]*[,:;–—-]+[ \t]+")
# A relative or subordinate clause goes on with what the request names, it gives no reason.
_RELATIVE = re.compile(
    r"\W*(?:котор\w*|что|чтобы|где|куда|когда|чей|чья|чьи|kas|ko|kur\w*|kad|kam|kura\w*|kuri\w*|lai|ka|"
    r"which|that|who|whom|whose|where|when|so)\b"
)
_PREAMBLE = re.compile(r"\b(?:jautajum\w*|вопрос\w*|questions?)(?=[ \t]*[,:;–—-])")
_HOW = re.compile(r"\W*(?:ka|kur|как|где)\s")


def cuts(folded: str, start: int, stop: int, head: int) -> list[re.Match[str]]:
    """Where the sentence ``folded[start:stop]`` is cut into clauses, in order: a second question
    joined by "and" (``_CLAUSE``), a second verb after a clause that asks, a question after a
    comma that follows a question, the reasons after a request, a second "so that", the question
    after "I have a question:", a second infinitive in a question of the way. ``head``: where the
    sentence's words begin after a greeting wrapped onto it ("Zdravstvujte,\n otpišite …")."""
    found = [*_CLAUSE.finditer(folded, start, stop), *_ANOTHER.finditer(folded, start, stop)]
    for verb in _SECOND_VERB.finditer(folded, start, stop):
        before = folded[start : verb.start()]
        if QUESTION.search(before) or REQUEST.search(before) or _VERB_FIRST.match(before):
            found.append(verb)
    for comma in _COMMA_QUESTION.finditer(folded, start, stop):
        # The question is the last clause before the comma; after "Vai …, vai …" is "or".
        last = folded[start : comma.start()].rsplit(",", 1)[-1]
        alternative = re.match(r"\W*(?:vai|is|are|do|does|can|could)\b", last)
        if QUESTION.match(last) and not alternative and len(folded[comma.end() : stop].split()) > 3:
            found.append(comma)
    reasons = _reasons(folded, head, stop)
    if reasons is not None:
        found.append(reasons)
    for purpose in _SECOND_PURPOSE.finditer(folded, start, stop):
        if _PURPOSE.search(folded, start, purpose.start()):
            found.append(purpose)
    preamble = _PREAMBLE.search(folded, start, stop)
    colon = _COMMA.match(folded, preamble.end()) if preamble else None
    if colon is not None:
        found.append(colon)
    if _HOW.match(folded, head):
        for verb in _SECOND_INFINITIVE.finditer(folded, start, stop):
            if _INFINITIVE.search(folded, start, verb.start()):
                found.append(verb)
    return sorted({match.start(): match for match in found}.values(), key=lambda match: match.start())


def _reasons(folded: str, start: int, stop: int) -> re.Match[str] | None:
    """The comma after a request of three words or more that starts at ``start``, when what follows
    it asks nothing: the reasons ("mne eto ne nado, …"; a negated "nado" is no second request)."""
    if not _VERB_FIRST.match(folded, start):
        return None
    comma = _COMMA.search(folded, start, stop)
    if comma is None or len(folded[start : comma.start()].split()) < 3:
        return None
    if _RELATIVE.match(folded, comma.end()):
        return None  # "выдайте все данные, которые …": the request's own object goes on
    rest = re.sub(r"\b(?:ne|не|nav|not)\s+\w+", " ", folded[comma.end() : stop])
    return comma if rest.strip() and not (QUESTION.search(rest) or REQUEST.search(rest)) else None
