"""What a whole message says, read once, in whose light each of its pieces is read (as a person
reads a sentence in its mail): "Please correct it." after "my surname is spelled wrong in your
records" asks for a correction; "Год назад я отказалась от рассылки." before "хочу снова получать
новости" is the story of a wish for the news, not a question about unsubscribing. And what a piece
rules out by itself (all invoices are not one), and an impatient demand for a person.

Words are matched as in ``operations``: stems at the start of folded words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpdesk.core.matching import Candidate
from helpdesk.knowledge import holders, scope
from helpdesk.knowledge.operations import (
    ACCESS,
    AGAIN,
    CORRECT,
    GIVE,
    HUMAN,
    WITHDRAW,
    stems_in,
    wishes_again,
)
from helpdesk.knowledge.text import asks_how, fold, requests_action, words, wordset

__all__ = ["HUMAN", "Message", "demands_person", "elsewhere", "ruled_out", "sure"]

_STATE_CHANGING = frozenset({WITHDRAW, GIVE, ACCESS, CORRECT})
NEWS_HOW_TO = "news-unsubscribe"
DATA_HOW_TO = "privacy-correct"
READING_FIX = "meter-readings-fix"
# A personal detail in our records: the name, the surname, the postal address, "my data".
_PERSONAL = (
    "vard",
    "uzvard",
    "adres",
    "dati",
    "datu",
    "datos",
    "datiem",
    "имя",
    "имени",
    "фамил",
    "отчеств",
    "адрес",
    "данн",
    "name",
    "surname",
    "address",
    "data",
    "record",
)
_FIXING = ("izlabo", "labo", "korig", "исправ", "поправ", "correct", "fix", "rectif", "amend")
# ... unless the message is about a meter reading or an e-mail address (a reading is fixed on the
# portal, an e-mail address changed there: both have their own entries).
_NOT_PERSONAL = (
    "radijum",
    "skaitit",
    "udens",
    "siltum",
    "ievad",
    "показан",
    "счетчик",
    "счётчик",
    "вод",
    "тепл",
    "ввел",
    "ввёл",
    "внес",
    "reading",
    "meter",
    "water",
    "heat",
    "enter",
    "typed",
    "epast",
    "e-past",
    "mail",
    "почт",
    "email",
    "имейл",
)


@dataclass(frozen=True, slots=True)
class Message:
    """Which way the whole message points: the news wanted again (:func:`resumes`), a personal
    detail to be corrected (:func:`corrects_personal_data`), the news to be stopped (:func:`stops`),
    and whether it names another holder of the news or records (``holders``): then no piece of it
    that names no holder of its own is read as a request about ours."""

    again: bool = False
    corrects: bool = False
    stops: bool = False
    elsewhere: bool = False

    @classmethod
    def of(cls, *texts: str) -> Message:
        again = resumes(*texts)
        elsewhere = holders.read(*texts).other
        return cls(again, corrects_personal_data(*texts), not again and stops(*texts), elsewhere)


# Asking for the news back in the imperative ("pierakstiet mani atkal", "подпишите снова", "прошу
# снова включить в рассылку", "add me back to the newsletter"); a past "subscribed again" is none.
_RESUME = re.compile(
    r"\b(?:pierakstiet|ieklaujiet|pievienojiet|atjaunojiet|подпишите|включите|добавьте|верните|"
    r"возобновите|прошу(?: \w+){0,2} (?:подписать|включить|добавить|вернуть|возобновить)|"
    r"subscribe me|add me|sign me up|resubscribe me|put me back|"
    # ... or to be sent the news again: "прошу снова присылать мне новости", "atkal sūtiet jaunumus".
    r"(?:присылайте|присылать|отправляйте|отправлять|высылайте|sutiet|atsutiet|send|start sending)"
    r"(?: \w+){0,3} (?:новост|рассылк|jaunum|zinas|news))"
)


def resumes(*texts: str) -> bool:
    """Whether one of ``texts`` wants the news again: a wish to receive them or a request to be
    subscribed, with "again" said and the news named (an invoice sent again is not the news)."""
    folded = [" ".join(words(text)) for text in texts]
    if not any(token.startswith(_NEWS) for t in folded for token in t.split()):
        return False
    if not any(AGAIN.search(t) for t in folded):
        return False
    return wishes_again(*texts) or any(_RESUME.search(t) for t in folded)


# Stopping the news in the imperative ("atrakstiet mani", "отпишите меня", "take me off the list")
# with the news named, in a message that asks nothing: the reasons around it ("она мне не нужна,
# приходит слишком часто") dilute its sentence's score, not what it asks for.
# Only the verbs of unsubscribing: "nesūtiet", "stop sending" may be about the paper invoice.
_STOP = re.compile(
    r"\b(?:atrakstiet|izsledziet|отпишите|исключите|unsubscribe me|take me off|remove me|opt me out)\b|"
    # ... or stopping the sending with the news its object: "stop emailing me your newsletters",
    # "nesūtiet man vairs jaunumus", "не присылайте мне больше рассылку" (a paper invoice is none).
    r"\b(?:stop|quit|no more) (?:sending|emailing|mailing|e ?mailing)(?: \w+){0,2} (?:news|mailing)|"
    r"\b(?:nesutiet|(?:beidziet|parstajiet|partrauciet)(?: man| mums| vairs){0,2} sutit)"
    r"(?: \w+){0,2} (?:jaunum|zinas|zinojum)|"
    r"\b(?:не (?:присылайте|высылайте|отправляйте|шлите)|"
    r"(?:прекратите|перестаньте|хватит)(?: мне| нам| уже){0,2} (?:присылать|слать|отправлять|высылать))"
    r"(?: \w+){0,2} (?:новост|рассылк)|"
    r"\b(?:cease|halt) (?:sending|emailing|mailing)(?: \w+){0,2} (?:news|mailing)"
)
_NEWS = ("jaunum", "zinas", "zinam", "zinojum", "рассылк", "новост", "news", "mailing")


def stops(*texts: str) -> bool:
    """Whether one of ``texts`` asks, in the imperative, to stop the news (:data:`_STOP`), in a
    sentence that asks no question ("Just unsubscribe me yourselves please." beside "can you send
    me the latest invoice?" still stops them; "can you unsubscribe me?" is asked, not told)."""
    told = [" ".join(words(s)) for text in texts for s in _SENTENCE.split(text) if "?" not in s]
    if not any(_STOP.search(t) for t in told):
        return False
    folded = [" ".join(words(text)) for text in texts]
    return any(token.startswith(_NEWS) for t in folded for token in t.split())


_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


def elsewhere(message: Message, ranked: list[Candidate], *texts: str) -> tuple[list[Candidate], float | None]:
    """``ranked`` without our state-changing actions when a piece (``texts``: its words, and the same
    converted to Cyrillic) is about another holder's news or records (``holders``), and the best
    score when its best reading was one of them (then it goes to a person). The piece names another
    holder, or the message does and the piece names neither one nor us ("Please correct it." after
    "my surname is wrong in the library system"): "Atrakstiet mani no mājas čata" runs no withdrawal.
    """
    if not any(c.entry in _STATE_CHANGING for c in ranked):
        return ranked, None
    named = holders.read(*texts)
    if not named.other and not (
        message.elsewhere and not named.ours and not any(scope.names_us(fold(t)) for t in texts)
    ):
        return ranked, None
    kept = [c for c in ranked if c.entry not in _STATE_CHANGING]
    return kept, ranked[0].score if ranked[0].entry in _STATE_CHANGING else None


def corrects_personal_data(*texts: str) -> bool:
    """Whether one of ``texts`` asks us to correct a personal detail: a verb of correcting and a
    personal detail (the name, the address, "my data"), no meter reading or e-mail address, and no
    question how ("kā izlabot adresi?" is answered by the article on correcting one's data)."""
    tokens = [token for text in texts for token in stems_in(text)]
    if not any(t.startswith(_FIXING) for t in tokens) or not any(t.startswith(_PERSONAL) for t in tokens):
        return False
    if any(t.startswith(_NOT_PERSONAL) for t in tokens) or any("@" in text for text in texts):
        return False
    if not any(t.startswith(_ASKED) for t in tokens) and not any(
        requests_action(text) or _FIX_IT.search(" ".join(words(text))) for text in texts
    ):
        return False  # "Исправление своих данных": the title of the article, no request
    return not any(asks_the_way(text) for text in texts)


# A request: a plea ("lūdzu", "прошу", "please", "could you") or an imperative ("izlabojiet",
# "исправьте", "fix it", "correct my address").
_ASKED = ("ludz", "please", "pls", "kindly", "пожалуйста", "прошу", "просьба", "можете", "могли", "varat")
_FIX_IT = re.compile(r"\b(?:fix|correct|update|change|amend) (?:it|this|that|them|my|the)\b")


# A question about the way to something ("what's the way to get it fixed?", "ko darīt, lai…?", "что
# нужно сделать, чтобы исправить?"), which asks_how misses when the question word does not open it,
# or about who ("кто у вас имеет доступ к моим данным?": no request for a copy of them).
# Not "kā"/"ka" nor a bare "что": folded, they are also "that".
_ASKS_THE_WAY = re.compile(
    r"(?<!\w)(?:what|which|how|where|who|ko|kur|kada|kadu|kurs|kuri|как|какой|какие|каким|где|кто|"
    r"что (?:нужно|надо|мне|делать|сделать))(?!\w)[^?.!]*\?"
)


def asks_the_way(text: str) -> bool:
    """Whether ``text`` asks what to do or which way, rather than asking for it to be done: a
    how-question (:func:`~helpdesk.knowledge.text.asks_how`) or a question about the way."""
    return asks_how(text) or bool(_ASKS_THE_WAY.search(fold(text)))


INVOICE = "action:invoice"
# All invoices, or every one ("visus rēķinus", "все счета", "copies of all my invoices"), and no one
# invoice of them named ("the last one", "šī mēneša", "за этот месяц"): the list, not one invoice.
_ALL_INVOICES = re.compile(
    r"\b(?:all|every|visus|visi|visu|visiem|все|всех|vse|vseh)(?: \w+){0,2} "
    r"(?:invoic|bill|rekin|счет|квитанц)"
)
# Asking for the invoices to go on as they do ("Rēķinus gan turpiniet sūtīt", "счета продолжайте
# присылать", "keep sending the invoices") asks for no invoice to be sent now. (The consent actions
# are not held back: "turpiniet sūtīt rēķinus, bet jaunumus nesūtiet" still withdraws.)
KEEP = re.compile(
    r"\b(?:turpiniet|turpini|turpinat sutit|продолжайте|продолжите|prodolzhajte|prodolzhite|"
    r"keep sending|continue (?:to send|sending))\b"
)
_SENDING = (INVOICE, "action:invoice-list")
# An invoice already sent, said in the past tense ("pārvaldnieks atsūtīja rēķinu ar kļūdu", "вы
# прислали мне счёт дважды", "you sent me the invoice twice"), with no request to send one
# (an imperative, a plea, a wish or a question whether one can be sent): a statement of what came,
# which asks for no invoice to be sent now.
_SENT_ALREADY = re.compile(
    r"\b(?:atsutija\w*|nosutija\w*|sutija\w*|прислали|прислал[аи]?|отправили|выслали|"
    r"sent|emailed|mailed)\b"
)
_ASK_SEND = re.compile(
    r"\b(?:ludz\w*|please|pls|could|can|would|varat|varetu|vai|gribu|velos|vajag|need|want|"
    r"прошу|пожалуйста|можно|можете|хочу|нужно|надо)\b|\?"
)

_ONE_INVOICE = re.compile(
    r"\b(?:last|latest|this month|current|pedej\w*|jaunak\w*|si menesa|sa menesa|последн\w*|"
    r"этот месяц|этого месяца|текущ\w*)"
)


def _sent_already(folded: list[str], texts: tuple[str, ...]) -> bool:
    """Whether the piece says an invoice was sent (:data:`_SENT_ALREADY`) and asks for none."""
    if not any(_SENT_ALREADY.search(t) for t in folded):
        return False
    return not any(
        _ASK_SEND.search(t) or requests_action(text) for t, text in zip(folded, texts, strict=True)
    )


def ruled_out(message: Message, *texts: str) -> frozenset[str]:
    """The readings the whole message rules out: the withdrawal and the article on unsubscribing
    when it wants the news again, the article and the wish for them when it stops them (``stops``);
    the articles on correcting one's data and a meter reading when it
    asks for a personal detail to be corrected. And those the piece (``texts``) rules out: one
    invoice when it asks for all of them; any invoice sent when it asks for them to go on (``KEEP``)
    or says one was sent and asks for none (:func:`_sent_already`)."""
    out: set[str] = set()
    texts = tuple(dict.fromkeys(texts))  # (a query is mostly its text: read once)
    folded = [" ".join(words(text)) for text in texts]
    if any(_ALL_INVOICES.search(t) for t in folded) and not any(_ONE_INVOICE.search(t) for t in folded):
        out.add(INVOICE)
    if any(KEEP.search(t) for t in folded) or _sent_already(folded, texts):
        out.update(_SENDING)
    if message.again:
        out |= {WITHDRAW, NEWS_HOW_TO}
    elif message.stops:
        # An imperative to stop the news, no question: neither the way is asked nor the news wanted
        # ("quit sending me your newsletter" shares "send me the news" with a wish for them); a piece
        # that asks the way beside the imperative ("kā atrakstīties? vai atrakstiet mani") asks it.
        out |= {GIVE} if any(asks_the_way(text) for text in texts) else {NEWS_HOW_TO, GIVE}
    if message.corrects:
        out |= {DATA_HOW_TO, READING_FIX}
    return frozenset(out)


def sure(message: Message) -> frozenset[str]:
    """The actions the whole message names beyond doubt: a piece of it whose best reading is one of
    them answers though alone it would name too little ("Please correct it." after "my surname is
    spelled wrong in your records"), as long as it leads every other reading."""
    found = set()
    if message.stops:
        found.add(WITHDRAW)
    if message.again:
        found.add(GIVE)
    if message.corrects:
        found.add(CORRECT)
    return frozenset(found)


# A demand for a person, in impatient words: "davai cilvēku", "dodiet kādu cilvēku!", "дайте живого
# человека", "give me a real person". An imperative of giving, calling or connecting and a person
# (no wish or need: "I need someone to fix the pipe" asks for a repair): a person was asked for,
# and a person gets the message, whatever else it shares with an entry.
_PERSONS = (
    r"cilvek\w*|darbiniek\w*|operator\w*|konsultant\w*|specialist\w*|"
    r"человек\w*|оператор\w*|сотрудник\w*|консультант\w*|специалист\w*|"
    r"person|human|agent|someone|somebody|staff|representative|people"
)
_KIND = (
    r"(?:(?:kadu|kadam|dzivu|istu|normalu|живого|живую|настоящего|нормального|реального|"
    r"кого|какого|нибудь|a|an|some|one|the|real|live|actual|proper|your|"
    # ... and the impatience around them: "nu dodiet taču", "давайте уже", "just give me".
    r"tacu|jau|beidzot|ludzu|уже|же|наконец|пожалуйста|already|just|please|now)\s+)*"
)
_DEMAND = re.compile(
    r"(?<!\bne )(?<!\bне )(?<!\bdont )(?<!\bnot )"
    r"\b(?:dodiet|dod|davai|davaj|padodiet|pasauciet|savienojiet|piesledziet|"
    r"дайте|дай|давайте|давай|позовите|позови|соедините|переключите|"
    r"give me|get me|bring me|connect me (?:to|with)|put me through to|transfer me to)"
    rf"\s+{_KIND}(?:(?:man|mani|мне|меня|uz|ar|с|на|to|with)\s+)*{_KIND}(?:{_PERSONS})\b"
)


# ... or asks that a person call, answer or write: "пусть мне позвонит кто-нибудь из сотрудников",
# "please have someone from your staff call me", "lai man piezvana kāds darbinieks".
_LET = re.compile(r"(?<!\bi )(?<!\bwe )\b(?:пусть|let|lai|have)((?: \w+){1,6})")
_SOMEONE = re.compile(rf"\b(?:{_PERSONS}|кто нибудь|кто то|kads|kada)\b")
_CONTACT = re.compile(
    r"\b(?:позвон|перезвон|ответ|напиш|свяж|call|ring|phone|answer|reply|contact|get back|piezvan|"
    r"atzvan|atbild|sazin|uzrakst)\w*"
)


def demands_person(*texts: str) -> bool:
    """Whether one of ``texts`` demands a person (:data:`_DEMAND`) or a person's call or answer."""
    for text in dict.fromkeys(texts):  # (a query is mostly its text: read once)
        tokens = words(text)
        if _DEMAND_VERBS.isdisjoint(tokens):
            continue  # (most pieces: neither pattern can match, see :data:`_DEMAND_VERBS`)
        folded = " ".join(tokens)
        if _DEMAND.search(folded):
            return True
        if any(_SOMEONE.search(m.group(1)) and _CONTACT.search(m.group(1)) for m in _LET.finditer(folded)):
            return True
    return False


# The words one of which every match of :data:`_DEMAND` or :data:`_LET` starts with. A match starts
# at a word boundary with a verb followed by a space; the words of ``words`` hold no "_" and are
# joined by spaces, so a boundary is where a word starts and the verb is a whole word of them.
_DEMAND_VERBS = wordset(
    "dodiet dod davai davaj padodiet pasauciet savienojiet piesledziet дайте дай давайте давай "
    "позовите позови соедините переключите give get bring connect put transfer пусть let lai have"
)
