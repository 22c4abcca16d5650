"""What a state-changing action does, in the resident's words.

An action that changes what we store or send (withdraw or give consent to the news, a copy of one's
data, a correction of it) is run from free text only when the text names that operation: "atrakstiet
mani", "подпишите снова", "send me a copy of my data", "please correct my surname". Sharing the
action's other words is not enough: "could you e-mail me the last invoice again" shares "e-mail" and
"again" with a wish to get the news back, and "please erase all my personal data" shares "all my
personal data" with a request for a copy, but neither asks for that operation. An erasure, which the
KB has no action for, never runs a data action.

Stems are matched at the start of the folded words (lower case, no diacritics), so every inflection
of "atrakstīties", "исправить" or "unsubscribe" counts.
"""

from __future__ import annotations

import re

from helpdesk.knowledge.text import words

WITHDRAW = "action:consent-withdraw"
GIVE = "action:consent-give"
ACCESS = "action:access-request"
CORRECT = "action:correction-request"
HUMAN = "action:human"
# Wanting the news back ("pierakstiet mani atpakaļ", "подпишите снова", "put me back on the list"),
# or a refusal turned round by a wish ("I said no to the news, but now I'd like them", "а теперь хочу").
AGAIN = re.compile(
    r"\b(?:atpakal|atkal|velreiz|no jauna|obratno|obratn\w*|снова|обратно|опять|заново|back|again|"
    r"re-?subscribe\w*|by mistake|kludas pec|kludaini|по ошибке|случайно|sluchajno)\b|"
    r"\b(?:(?:bet|but|но|а|a|no) (?:tagad|now|теперь|teper) (?:(?:es |i |я )?(?:gribu|gribetu|velos|veletos|"
    r"хочу|хотел\w*|hochu|want|wish|would like)|i'?d like|i d like)\b"
    # ... to have them, not to leave ("bet tagad gribu atrakstīties", "but now I want to unsubscribe").
    r"(?!(?: \w+){0,2} (?:atrakst|atteik|atsauk|unsubscr|opt out|stop|cancel|отпис|отказ|прекрат|otpis)))"
)
_STEMS: dict[str, tuple[str, ...]] = {
    WITHDRAW: (
        "atrakst",
        "atteik",
        "atteic",
        "atabon",
        "atsauk",
        "izsledz",
        "iznem",
        "nesut",
        "nevelo",
        "negrib",
        "nevajag",
        "partrauc",
        "beidz",
        "отпис",
        "отпиш",
        "отказ",
        "исключ",
        "прекрат",
        "отзыв",
        "отозв",
        "хватит",
        "unsubscrib",
        "optout",
        "stop",
        "withdraw",
        "revok",
        "remov",
    ),
    GIVE: (
        "pierakst",
        "abone",
        "piesak",
        "pieteik",
        "iesledz",
        "atjauno",
        "atsak",
        "ieklau",
        "pievieno",
        "добав",
        "add",
        "sanem",
        "velo",
        "grib",
        "sut",
        "piekrit",
        "подпис",
        "подпиш",
        "возобнов",
        "включ",
        "получ",
        "присыла",
        "пришл",
        "хочу",
        "соглас",
        "subscrib",
        "resubscrib",
        "signup",
        "receiv",
        "optin",
        "want",
        "send",
        "agree",
        "get",
    ),
    ACCESS: (
        "kopij",
        "piekluv",
        "piekl",
        "izsniedz",
        "izsnieg",
        "pieprasi",
        "pieprasu",
        "sanem",
        "grib",
        "redzet",
        "копи",
        "доступ",
        "предостав",
        "выда",
        "запрос",
        "запраш",
        "получ",
        "хочу",
        "увид",
        "copy",
        "copies",
        "access",
        "export",
        "request",
        "send",
        "see",
        "get",
        "want",
    ),
    CORRECT: (
        "labo",
        "izlabo",
        "korig",
        "kluda",
        "kludain",
        "nepareiz",
        "исправ",
        "поправ",
        "ошиб",
        "неправиль",
        "неверн",
        "correct",
        "fix",
        "rectif",
        "amend",
        "wrong",
        "misspel",
        "mistake",
        "incorrect",
        "nomain",
        "izmain",
        "измен",
        "помен",
        "замен",
        "change",
        "updat",
    ),
}
# "не присылайте", "don't send": a negated wish for the news is a withdrawal, never a wish for it.
_NEGATIONS = frozenset({"ne", "не", "not", "dont", "no", "never"})
# ... and so is one after a verb of stopping, in the imperative or the infinitive ("cease sending me
# your newsletter", "pārtrauciet sūtīt", "хватит слать", "перестаньте присылать"), whatever the words
# around it: "stopped receiving" is a complaint that they no longer come, and stays a wish for them.
_STOPPING = frozenset(
    {
        "stop",
        "quit",
        "cease",
        "halt",
        "partrauciet",
        "partrauc",
        "partraukt",
        "beidziet",
        "beidz",
        "beigt",
        "хватит",
        "прекратите",
        "прекрати",
        "прекратить",
        "перестаньте",
        "перестань",
        "перестать",
    }
)
# Between the negation or the verb of stopping and the sending, whom it is sent to and "any more":
# "beidziet man sūtīt", "не надо мне больше присылать", "stop sending" (the same word after).
_BETWEEN = frozenset(
    {"man", "mums", "vairs", "мне", "нам", "больше", "уже", "me", "us", "anymore", "any", "more"}
)


def _negated(tokens: list[str], negators: frozenset[str]) -> set[int]:
    """Positions of the words a negation or a verb of stopping turns around: the next one, and the
    one after the words of :data:`_BETWEEN` ("beidziet man sūtīt", "не присылайте мне больше")."""
    negated = set()
    for index, token in enumerate(tokens):
        if token not in negators:
            continue
        following = index + 1
        negated.add(following)
        while following < len(tokens) and tokens[following] in _BETWEEN:
            following += 1
            negated.add(following)
    return negated


# Erasing one's data ("dzēsiet", "удалите мои данные", "erase", GDPR article 17): no action does it.
_ERASE = ("dzes", "izdzes", "удал", "стер", "eras", "delet", "forget")
_ERASE_ARTICLE = re.compile(r"\b17\.? ?(?:pant|стат|art)|\barticle 17\b")
_DATA_ACTIONS = frozenset({ACCESS, CORRECT})
# Wanting the news again: a wish ("gribu", "хочу", "would like") with a verb of receiving a few
# words on, in a text that says "again". "Atteicos, bet gribu atkal saņemt", "отписалась, но хочу
# снова получать": the withdrawal is the story, the wish is the request, so it reads as a give and
# never as a withdrawal. A receiving that is not wished ("the news come again") changes nothing.
_WISH = ("grib", "velo", "vele", "хочу", "хоч", "хотел", "хоте", "want", "like", "wish")
_RECEIVE = ("sanem", "получ", "receiv", "get", "start")
_WISHED_WITHIN = 4
# Copies of one's invoices ("kopijas visiem rēķiniem", "copies of all invoices") are the invoices,
# not a copy of one's personal data: a text that names invoices and no data asks for no data.
_INVOICES = ("rekin", "счет", "счёт", "квитанц", "invoic", "bill")
_DATA = ("dat", "informac", "данн", "информац", "персональн", "personal", "vdar", "gdpr")
_JOINED = (
    ("opt out", "optout"),
    ("take me off", "optout"),
    ("opt in", "optin"),
    ("sign me up", "signup"),
    ("put me back", "resubscribe"),
)


def stems_in(text: str) -> list[str]:
    folded = " ".join(words(text))
    for spaced, joined in _JOINED:
        folded = folded.replace(spaced, joined)
    return folded.split()


def named(*texts: str) -> frozenset[str]:
    """The state-changing actions whose operation one of ``texts`` (the resident's words, and the
    same converted to Cyrillic when they were Russian in Latin letters) names."""
    tokens = [token for text in texts for token in stems_in(text)]
    erased = any(token.startswith(_ERASE) for token in tokens) or any(_ERASE_ARTICLE.search(t) for t in texts)
    negated = _negated(tokens, _NEGATIONS | _STOPPING)
    found = set()
    for entry, stems in _STEMS.items():
        if entry in _DATA_ACTIONS and erased:
            continue
        if entry == GIVE:
            if any(token.startswith(stems) for index, token in enumerate(tokens) if index not in negated):
                found.add(entry)
        elif any(token.startswith(stems) for token in tokens):
            found.add(entry)
    if any(token.startswith(_STEMS[GIVE]) for index, token in enumerate(tokens) if index in negated):
        found.add(WITHDRAW)  # "не присылайте новости", "don't send me the news"
    if _wishes_again(tokens, negated, texts):
        found = (found - {WITHDRAW}) | {GIVE}
    elif _wished(tokens, negated, _STEMS[WITHDRAW]):
        found.discard(GIVE)  # "хочу отписаться", "I want to unsubscribe": a wish, but to stop
    if any(t.startswith(_INVOICES) for t in tokens) and not any(t.startswith(_DATA) for t in tokens):
        found.discard(ACCESS)
    return frozenset(found)


def wishes_again(*texts: str) -> bool:
    """Whether one of ``texts`` wishes to receive the news again (:data:`_WISH`)."""
    tokens = [token for text in texts for token in stems_in(text)]
    negated = _negated(tokens, _NEGATIONS)
    return _wishes_again(tokens, negated, texts)


def _wishes_again(tokens: list[str], negated: set[int], texts: tuple[str, ...]) -> bool:
    if not any(AGAIN.search(" ".join(words(text))) for text in texts):
        return False
    return _wished(tokens, negated, _RECEIVE)


def _wished(tokens: list[str], negated: set[int], verbs: tuple[str, ...]) -> bool:
    """Whether a wish (not negated) is followed, a few words on, by one of ``verbs`` before the
    other direction's verb: "gribu atkal saņemt" wishes to receive, "хочу отписаться" to stop."""
    other = _RECEIVE if verbs is not _RECEIVE else _STEMS[WITHDRAW]
    for index, token in enumerate(tokens):
        if index in negated or not token.startswith(_WISH):
            continue
        for following in tokens[index + 1 : index + 1 + _WISHED_WITHIN]:
            if following.startswith(verbs):
                return True
            if following.startswith(other):
                break
    return False
