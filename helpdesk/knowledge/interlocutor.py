"""Questions about who is answering: "vai tu esi robots vai dzīvs cilvēks?", "ты бот?", "am I chatting
with a real person or a robot?".

They name a person or a bot as a demand for one does ("dzīvs cilvēks, lūdzu", "I want a human"), so
the person action's phrasings score them high, and answering that action queues a conversation for an
agent. But a question about what the bot is asks nothing of anyone: it is small talk, answered with
what the bot can do and a one-tap "Ask a person" (only that tap queues), unless the same message also
wants a person ("are you a bot? I want a human" still reaches one).
"""

from __future__ import annotations

import re

from helpdesk.knowledge.text import fold, wordset

# Folded text: lower case, no diacritics. Each alternative asks what the other side is.
_WHO = re.compile(
    r"\b(?:vai (?:tu|jus) (?:esi|esat)\w*|(?:tu|jus) esi\w* (?:bots|robots|cilveks)\b|"
    r"vai (?:es|mes) (?:runaju|sarakstos|rakstu|saraksto\w*|runajam) ar|"
    r"vai (?:te|seit) (?:raksta|atbild) (?:robots|bots|cilveks)|ar ko es (?:runaju|sarakstos)|"
    r"(?:ты|вы) (?:бот|робот|живой|живая|настоящий|настоящая|человек|программа)|"
    r"(?:это|eto) (?:бот|робот|bot|robot)\b|я (?:говорю|общаюсь|переписываюсь|разговариваю) с|"
    r"(?:ty|vy) (?:bot|robot|zhivoj|zhivaja|chelovek)|"
    r"are you (?:a |an )?(?:bot|robot|human|real|person|machine|ai|computer)|"
    r"am i (?:chatting|talking|speaking|writing) (?:with|to)|is this (?:a |an )?(?:bot|robot|human|real|ai)|"
    r"who am i (?:talking|chatting|speaking|writing) (?:to|with))"
)
# A wish or plea beside the question: then the person action stands.
_WANT = re.compile(
    r"\b(?:gribu|gribetu|gribam|vajag|vajadzetu|ludzu|savienojiet|pasauciet|dodiet|"
    r"хочу|хотел\w*|нужен|нужна|нужно|соедините|позовите|дайте|пожалуйста|"
    r"hochu|nuzhen|pozhalujsta|pozovite|soedinite|"
    r"want|need|like to|please|connect|put me|transfer|let me|can i (?:talk|speak))\b"
)


# What such a question names besides its opening: the two kinds of answerer, "or", "real", fillers.
_ANSWERERS = wordset(
    "robots robotu robota bots botu bota cilveks cilveku dzivs dzivu dzive ista istu masina masinu ai vai "
    "vel te seit jus tu ar "
    "бот бота ботом робот робота роботом человек человеком живой живым живая настоящий настоящим программа "
    "программой или ли вообще тут со мной с "
    "bot bota botom robot robota robotom chelovek chelovekom zhivoj ili "
    "a an bot robot human person real machine ai computer or actually really just here now you wait hey "
    "hi hello ok so lol with to"
)
_WORD = re.compile(r"\w+")


def asks_who_answers(text: str) -> bool:
    """Whether ``text`` asks what the bot is (a person, a robot) and wants nothing besides."""
    folded = fold(text)
    return bool(_WHO.search(folded)) and not _WANT.search(folded)


def only_asks_who(text: str) -> bool:
    """Whether ``text`` (one piece of a message) asks what the bot is and nothing else: beside the
    question's opening it names only kinds of answerer and fillers ("vai tu esi robots vai dzīvs
    cilvēks?"), not a subject ("are you a bot, how do I submit readings?" asks about readings)."""
    folded = fold(text)
    found = _WHO.search(folded)
    if not found or _WANT.search(folded):
        return False
    rest = folded[: found.start()] + " " + folded[found.end() :]
    return all(word in _ANSWERERS for word in _WORD.findall(rest))
