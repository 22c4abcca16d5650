"""Whether a wish for a person says anything else: "ok. can I talk to a real person please" says
nothing a person could answer, "can I talk to a person about my invoice" does.

Counting words told them apart badly: politeness, "ok", "real", "live" and a greeting make a bare
wish long, and a short one may name its subject ("gribu cilvēku par rēķinu"). So the message is read
word by word: a bare wish holds only the words such a wish is made of (the person, the wish, whom to
talk with, fillers and politeness); any other word is something to pass on.
"""

from __future__ import annotations

import re

from helpdesk.knowledge.text import fold, wordset

# Folded (lower case, no diacritics), with the Latin-letter Russian a resident may type.
_WISH_WORDS = wordset(
    # lv: the person, the wish, the talk, fillers and politeness
    "cilveks cilveku cilvekam cilveka dzivs dzivu dzivam ists istu darbinieks darbinieku darbiniekam "
    "konsultants konsultantu operators operatoru kadu kads kaut kas no jums jus jusu ar mani man es "
    "gribu gribetu gribam vajag vajadzetu varu varetu var vai lai atbild atbildetu runat parunat "
    "sarunaties sazinaties savienojiet pievienojiet pasauciet dodiet ludzu paldies labi nu sveiki "
    "labdien labvakar labrit cau ok okei nevis bots botu robots robotu ta tad tomer "
    # ru
    "человек человека человеком живой живым живого живому настоящий настоящим настоящего сотрудник "
    "сотрудника сотрудником оператор оператора оператором консультант консультанта консультантом "
    "менеджер менеджера менеджером специалист специалиста специалистом кто кого нибудь кем то из вас "
    "вами мне меня я хочу хотел хотела хотелось бы нужен нужна нужно можно могу ли с со поговорить "
    "говорить пообщаться связаться соедините позовите дайте пусть ответит ответил пожалуйста "
    "спасибо здравствуйте добрый день привет ок хорошо ладно а не бот бота робот робота робот "
    "chelovek cheloveka chelovekom zhivoj zhivym sotrudnik sotrudnika operator operatora hochu "
    "nuzhen mozhno pogovorit soedinite pozovite pozhalujsta spasibo zdravstvujte privet "
    # en
    "i want wanna would like to talk speak chat with a an the some someone somebody anyone anybody "
    "real live actual human being person people agent operator staff member team support "
    "representative rep can could may please pls plz ok okay thanks thank you hi hello hey "
    "me let connect put through get give need just now not bot robot machine rather instead of "
    "yes yeah well so"
)
_WORD = re.compile(r"\w+")


def only_wants_a_person(text: str) -> bool:
    """Whether ``text``, a wish for a person, holds nothing besides it (see the module's docstring).
    A number is always something else (an invoice's, a request's)."""
    return all(word in _WISH_WORDS for word in _WORD.findall(fold(text)))
