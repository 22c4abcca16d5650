"""Reading a message the way a person does, before anything is matched (every channel).

A resident's message is more than its question: a greeting, a sentence of context, thanks, a
signature with a name and an address, and in a reply the whole earlier mail quoted below. Matched
as one text, all of it dilutes the question; read as a person reads it, the question stands alone.

:func:`parse` separates the content from the rest and cuts the content into sentences, with their
offsets in the original text. It says whether the message was only thanks or goodbye, and whether it
is small talk. It knows no knowledge base: ``knowledge.parts`` matches what it finds.

Quoted mail: ``quotequail`` (a maintained library, already used by the mailbox) finds "On … wrote:"
and "> " quotes; it lacks the Latvian and Russian Outlook headers ("No:/Nosūtīts:/Kam:/Tēma:",
"От:/Отправлено:/Кому:/Тема:") and "rakstīja:/написал(а):", which are added here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from helpdesk.knowledge import clauses, forwards, nextstep, reasons, signoff
from helpdesk.knowledge.asking import QUESTION as QUESTION  # re-exported: parts reads with it
from helpdesk.knowledge.asking import REQUEST
from helpdesk.knowledge.interlocutor import asks_who_answers
from helpdesk.knowledge.problems import states_problem
from helpdesk.knowledge.quotes import cut_quotes, written_below
from helpdesk.knowledge.text import abbreviated, wordset
from helpdesk.knowledge.text import shadow as shadow  # re-exported: parts and followup read with it
from helpdesk.knowledge.ukrainian import as_russian


@dataclass(frozen=True, slots=True)
class Span:
    """``text[start:end]`` of the original message."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Parsed:
    sentences: tuple[Span, ...]  # the content, sentence by sentence, greeting and closings removed
    closing: bool  # thanks or goodbye were found (alone, they make the whole message a closing)
    smalltalk: bool  # the content is small talk (weather, sport, "are you a bot?")
    automatic: bool = False  # an automatic reply ("out of office"): nobody asks anything
    greeting: bool = False  # a greeting was found (alone, the question is still to come)
    told: frozenset[Span] = frozenset()  # sentences of a forwarded notice: they tell, never ask
    source: str = ""  # the text the offsets index when not the message as given (headers blanked)

    @property
    def content(self) -> str:
        return " ".join(span.text for span in self.sentences)

    @property
    def said(self) -> str:
        """What the resident said (a forwarded notice's words left out): the language's and the
        directions' text."""
        return " ".join(span.text for span in self.sentences if span not in self.told) or self.content


_SIGNATURE_DASHES = re.compile(
    r"^(?:--[ \t]*|(?:sent from my|get outlook for|nosutits no mana|nosutits no manas|отправлено с|"
    r"отправлено из|sent from)\b[^\n]*)$",
    re.MULTILINE,
)

# Greetings a message starts with (folded), with the name or team that may follow before a comma.
_GREETING = re.compile(
    r"^\W*(?:"
    r"labdien\w*|labrit|labvakar|laba diena|sveik\w*|sveicinat\w*|cau|hei|cienijam\w*|god\w* "
    r"|lobdin\w*|lobs reits|lobvokor\w*"  # Latgalian
    r"|здравствуй\w*|здраствуй\w*|добр\w+ (?:день|утро|вечер|время суток)|доброго дня|привет\w*|"
    r"уважаем\w*|дорог(?:ие|ой|ая)|привіт\w*|вітаю|"  # ... and Ukrainian
    r"zdravstvuj\w*|zdravstvuite|dobr\w+ (?:den|dnja|utro|vecher)\w*|"
    r"privet\w*|hello|hi|hey|dear|greetings|good (?:morning|afternoon|evening|day)|to whom it may concern"
    # ... then a name before a comma ("Labdien Jānis,"), or after one on the greeting's own line
    # ("Labdien, mīļie!", "Добрый день, уважаемые!"); "Dobryj den'" ends with a soft sign.
    r")(?:['’]|\b)(?:,(?: [\w/.-]+){1,2}[ \t]*[,!](?=[ \t]*\n)|(?: [\w/.-]+){0,3}?[ \t]*[,!:]"
    r"|[ \t]*[,!.:]*)[ \t]*",
)
# Words that thank, close or sign off (folded); a sentence of nothing else is no question.
_CLOSING_WORDS = wordset(
    "paldies liels milzigs loti jau ieprieks par atbildi palidzibu jums visu labu lai jauka diena "
    "jauku dienu "
    "ar cienu labiem velejumiem sveicieni uz redzesanos ata cau tiksimies viss skaidrs labi ok okei "
    "sapratu saprotu kartiba redzi super lieliski forsi jauki "
    "спасибо большое огромное очень заранее за ответ помощь вам с уважением всего доброго хорошего до "
    "свидания пока благодарю понятно все ясно хорошо ок дня отлично супер ладно спс "
    "spasibo bolshoe ogromnoe zaranee do svidanija svidanya poka vse vsjo ponjatno jasno horosho "
    "vsego dobrogo horoshego "
    "thanks thank you thx ty many much a lot in advance for the answer your help regards best kind "
    "warm cheers bye goodbye see sincerely wishes have nice day great got it clear understood million "
    "all okay very that s thats it its cool awesome perfect fine excellent "
    "tas viss это"
)
# Thanks that say why: "…, ka palīdzat", "…, что ответили", "… that you", or "… par/за/for" and a
# few words that end the sentence ("Thank you for your email.").
_THANKS = re.compile(
    r"^\W*(?:liels paldies|paldies|спасибо|благодарю|дякую|spasibo|thanks|thank you|many thanks)"
    r"(?:[ ,]+(?:jums|jus|liels|loti|milzigs|вам|большое|огромное|you|so|very|much|a lot))*[ ,]+"
    r"(?:(?:ka|что|chto|that)\b|(?:par|за|za|for)(?:[ ,]+[^\W\d_]+){1,3}[ .!]*$)"
)
_CONTRAST = re.compile(r"\b(?:bet|tomer|taca|но|однако|а|no|odnako|but|however|though|although)\b")
_SIGN_OFF = re.compile(
    r"^[ \t]*(?:ar cienu|ar labiem velejumiem|sveicieni|visu labu|paldies|liels paldies|"
    r"с уважением|з повагою|всего доброго|всего хорошего|спасибо|благодарю|дякую|s uvazheniem|spasibo|"
    r"vsego dobrogo|vsego horoshego|"
    r"(?:with )?(?:best |kind |warm )?regards|best wishes|best|cheers|sincerely|yours sincerely|"
    r"с наилучшими пожеланиями|ar vislabakajiem velejumiem|thanks|thank you|many thanks)\b[^\n?]{0,60}$",
    re.MULTILINE,
)
# Sign-offs that nothing but a name follows (unlike "Paldies, …"), and a name of up to three words.
_FORMAL_SIGN_OFF = re.compile(
    r"[ \t]*(?:ar cienu|ar labiem velejumiem|с уважением|з повагою|s uvazheniem|"
    r"(?:with )?(?:best |kind |warm )?regards|(?:yours )?sincerely|best wishes)\b"
)
_SHORT_NAME = re.compile(r"[ \t,]*[^\W\d_][\w.'’-]*(?:[ \t]+[^\W\d_][\w.'’-]*){0,2}[ \t.,!]*")
_SMALLTALK = re.compile(
    r"\b(?:pogod\w*|погод\w*|weather|laika ?prognoz\w*|laiks (?:bus|rit|sodien)|rit bus laiks|"
    r"futbol\w*|футбол\w*|football|soccer|hokej\w*|хокке\w*|hockey|basketbol\w*|баскетбол\w*|"
    r"how are you|ka (?:tev|jums) iet|"
    r"как (?:дела|жизнь|поживаете)|kak dela|анекдот|joke|joks|anekdot\w*)\b"
)
# Punctuation spoken to voice-to-text and written out as words ("… datumā punkts ko man darīt
# jautājuma zīme"): it ends a sentence as the mark would (a "punkts" after a number is an item).
_SPOKEN_END = (
    r"(?<![ \t])[ \t]+(?:jaut[āa]juma z[īi]me|izsaukuma z[īi]me|вопросительный знак|восклицательный знак|"
    r"question mark|exclamation (?:mark|point)|full stop|(?<=[^\W\d_][ \t])punkts|"
    r"(?<=[^\W\d_][ \t])точка)\b[ \t]*"
)
# An automatic reply says so, or says its writer is away without asking anything (folded).
_AUTOMATIC = re.compile(
    r"\b(?:out of (?:the )?office|auto-?reply|automatic reply|automatiska atbilde|"
    r"автоответ|автоматическ\w* ответ|avtootvet)\b"
)
_AWAY = re.compile(
    r"\b(?:esmu atvalinajum\w*|atrodos atvalinajum\w*|neesmu biroja|esmu prom lidz|"
    r"(?:я )?(?:нахожусь )?в отпуске до|буду в офисе|i am (?:currently )?(?:away|on (?:annual )?leave|"
    r"on holiday|on vacation)|limited access to (?:e-?mail|my e-?mail))"
)
# An emoji or an emoticon between words ends a chat sentence as a full stop would ("october invoice
# still not here 😤 can u just send it", "schet ne prishol( mozhesh skinut?", "надеюсь) и …"): a
# bracket written straight after a word and followed by a space is a face, unless it closes one
# opened before it ("(Zemesgrāmata) for my flat": :func:`_sentence_bounds`).
_EMOJI = "[\U0001f300-\U0001faff\u2600-\u27bf\u2b50\u2b55][\u200d\ufe0f\U0001f3fb-\U0001f3ff\u2640\u2642]*"
_FACE = rf"(?<![ \t])[ \t]*(?:(?:{_EMOJI})+|[:;]-?[()DPp]+|(?<=[^\W\d_])[()]+)[ \t]+(?=[^\W\d_])"
# The marks that are spaces first start only where the run of spaces does: tried at each space of a
# long run, they would read the rest of it each time (a mail of blank space took seconds).
_BREAK = re.compile(rf"\n[ \t]*\n\s*|\n|[!?…]+[ \t]*|\.[ \t]+|{_SPOKEN_END}|{_FACE}", re.IGNORECASE)
_LIST_ITEM = re.compile(r"[ \t]*(?:[-•*–]|\d{1,2}[.)])\s")
_NAME_LINE = re.compile(r"^[\W\d]*(?:[A-ZĀČĒĢĪĶĻŅŠŪŽА-ЯЁ][\w.'’-]*[ ,]*){1,4}[\W\d]*$")
_ADDRESS_LINE = re.compile(
    r"\b(?:iela|gatve|bulvaris|prospekts|laukums|улица|street|tel|тел|phone|mob)\b"
    r"|\b(?:iel|dz|ул|кв|пр|st|str)\.|\b(?:e-?pasts|e-?mail|адрес|address|adrese):"
    r"|\d+[-/]\d+|\+?\d[\d ]{7,}\d",
    re.IGNORECASE,
)


def ungreeted(text: str) -> str:
    """``text`` without the greeting it starts with when words follow it, else all of it: a
    greeting is in whatever language the resident greets in ("sveiki, spasibo" thanks in Russian);
    it tells the reply's language only when it is all there is ("Labdien!")."""
    greeting = _GREETING.match(shadow(text))
    rest = text[greeting.end() :] if greeting else text
    return rest if re.search(r"[^\W\d_]", rest) else text


def asks(sentence: str) -> bool:
    """Whether a sentence asks a question or for something to be done (not context or a story): a
    problem stated without a question ("не пришёл счёт за март") asks to have it set right."""
    return asks_outright(sentence) or states_problem(shadow(sentence))


# Why the resident asks, said after the question: a wish to understand before they begin ("Vēlos
# saprast, pirms sāku lietot portālu", "I'd like to know before I sign up"). The wish names nothing
# to understand; what follows "before" is when, not a second request: the sentence is not read,
# as a run with the question it would answer what it says of the portal ("register") (folded).
_PURPOSE = re.compile(
    r"^\W*(?:es |i |я |мне )?(?:velos|veletos|gribu|gribetu|want to|would like to|'d like to|"
    r"хочу|хотел\w*|хотелось бы) (?:saprast|zinat|noskaidrot|understand|know|понять|разобраться|знать)"
    r"\W+(?:pirms|before|прежде чем|перед тем как)\b[^?]*$"
)


def asks_outright(sentence: str) -> bool:
    """Whether a sentence asks a question or for something to be done in so many words (a problem
    stated asks for no particular thing to be done: no action is run on it, ``parts.units``)."""
    folded = as_russian(shadow(sentence))  # Ukrainian words in Russian ("як …?") ask as Russian ones
    return bool(QUESTION.search(folded) or REQUEST.search(folded))


def _closing_only(folded: str) -> bool:
    """Nothing but thanks, goodbye and initials ("Paldies, L.")."""
    tokens = [token for token in re.findall(r"[^\W\d_]+", as_russian(folded)) if len(token) > 1]
    return bool(tokens) and all(token in _CLOSING_WORDS for token in tokens)


def _thanks(folded: str) -> bool:
    """A sentence that thanks and says why ("Paldies, ka palīdzat vecam cilvēkam", "Thank you for
    your e-mail"): no question, no request and no "but" that turns it into one ("paldies, bet
    rēķina nav")."""
    return bool(_THANKS.match(folded)) and not asks(folded) and not _CONTRAST.search(folded)


def _signature_start(text: str, folded: str, end: int) -> int:
    """Where the sign-off and signature begin: a "--" line, or a sign-off line ("Ar cieņu,",
    "Thanks, Kristaps") after the first line followed only by short lines (name, address, phone)."""
    dashes = _SIGNATURE_DASHES.search(folded, 0, end)
    if dashes:
        end = dashes.start()
    for found in _SIGN_OFF.finditer(folded, 0, end):
        rest = text[found.end() : end].strip().splitlines()
        if len(rest) <= 5 and all(len(line) <= 60 and "?" not in line for line in rest):
            line = text[found.start() : found.end()]
            tail = re.sub(r"^\W*\w+(?: \w+)?\W*", "", line)  # the sign-off's own words
            if _closing_only(shadow(tail)) or _NAME_LINE.match(tail) or not tail.strip(" ,.!"):
                return found.start()
            if _FORMAL_SIGN_OFF.match(folded, found.start()) and _SHORT_NAME.fullmatch(tail):
                return found.start()  # "ar cieņu māris": a name, written in lower case
    return end


def _strip_signature_lines(text: str, start: int, end: int) -> int:
    """Drop trailing lines that are a name, an address or a phone number."""
    while end > start:
        line_start = text.rfind("\n", start, end - 1) + 1
        line = text[line_start:end].strip()
        if not line:
            end = line_start - 1 if line_start > start else start
            continue
        signature = _NAME_LINE.match(line) or _ADDRESS_LINE.search(line)
        if line_start > start and "?" not in line and len(line) <= 60 and signature:
            end = line_start - 1
            continue
        break
    return max(end, start)


def _sentence_bounds(text: str, end: int) -> list[tuple[int, int]]:
    """(start, stop) of each sentence of ``text[:end]``. A hard-wrapped line goes on with the next
    one; a blank line, a line that ends a sentence, a list item, "?" and "!" end one, and so does
    "." unless a lower-case word follows a number or a shortened word ("10. datumā", "ul. Brīvības"
    stay whole): chat is written in lower case ("beidziet sūtīt jaunumus. rēķinus atstājiet")."""
    bounds = []
    start = 0
    for found in _BREAK.finditer(text, 0, end):
        mark = found.group(0)
        after = text[found.end() : found.end() + 1]
        if mark.startswith("\n") and "\n" not in mark[1:].lstrip(" \t")[:1] and mark.count("\n") == 1:
            before = text[start : found.start()].rstrip()
            if before and before[-1] not in ".!?:…" and not _LIST_ITEM.match(text, found.end()):
                continue
        elif mark.strip().startswith(")") and _opened(text, start, found.start()):
            continue  # "(Zemesgrāmata) for my flat": a bracket closed, no face
        elif mark.startswith(".") and (
            not (after.isupper() or after.isdigit() or _after_word(text, found.start(), after))
            or abbreviated(text, found.start())
        ):
            continue
        bounds.append((start, found.start() + len(mark.rstrip())))
        start = found.end()
    bounds.append((start, end))
    folded = shadow(text)
    pieces = []
    for start, stop in bounds:
        greeting = _GREETING.match(folded[start:stop])
        head = start + (greeting.end() if greeting else 0)
        for found in _cuts(folded, start, stop, head):
            if len(folded[start : found.start()].split()) < 2 or len(folded[found.end() : stop].split()) < 3:
                continue  # "Kā un kur …?", "… and why.": one question with two question words
            pieces.append((start, found.start()))
            start = found.end()
        pieces.append((start, stop))
    return [(a, b) for a, b in pieces if b > a]


def _cuts(folded: str, start: int, stop: int, head: int) -> list[re.Match[str]]:
    """Where the sentence ``folded[start:stop]`` is cut: between its clauses (``clauses``), and in
    each clause before the reason given after its question (``reasons``)."""
    found = clauses.cuts(folded, start, stop, head)
    ends = [match.start() for match in found]
    for first, end in zip([head, *(match.end() for match in found)], [*ends, stop], strict=True):
        found = [*found, *reasons.cuts(folded, first, end)]
    return sorted(found, key=lambda match: match.start())


def _opened(text: str, start: int, end: int) -> bool:
    """Whether a bracket opened in ``text[start:end]`` is still open at ``end``."""
    return text.rfind("(", start, end) > text.rfind(")", start, end)


def _after_word(text: str, dot: int, after: str) -> bool:
    """Whether the dot at ``text[dot]`` ends a word of three letters or more, a lower-case letter
    after it: "… jaunumus lūdzu. rēķinus …" is two sentences, "10. datumā" and "u.c. dati" are one;
    after a shorter word, when a word that opens a sentence of its own follows ("… when i log in.
    also need every invoice …")."""
    if not after.isalpha():
        return False
    if _WORD_END.search(text, max(0, dot - 3), dot) is not None:
        return True
    return _LETTER.search(text, max(0, dot - 1), dot) is not None and _OPENS.match(text, dot + 1) is not None


_WORD_END = re.compile(r"[^\W\d_]{3}$")
_LETTER = re.compile(r"[^\W\d_]$")
_OPENS = re.compile(r"\s+(?:also|un|и|а|and|but|bet|но|plus|turklāt|кроме того)\s", re.IGNORECASE)


def parse(text: str) -> Parsed:
    """The content of ``text``, sentence by sentence, without greeting, thanks, sign-off,
    signature and quoted earlier mail; and the mail it forwards, when what is written on top asks
    nothing of its own (``forwards``)."""
    forward = forwards.find(shadow(text))
    own = _parse(text, len(text) if forward is None else forward.marker)
    if forward is None:
        return own
    # A note that hands the mail on ("Pārsūtu sievas jautājumu", "Пришлите то, что она просит")
    # says nothing itself: it asks no question of its own, and is not read.
    relaying = frozenset(span for span in own.sentences if forwards.relays(shadow(span.text)))
    asking = [span for span in own.sentences if asks(span.text) and span not in relaying]
    if not all(forwards.brief(shadow(span.text)) for span in asking):
        return own  # a question of their own: the forwarded mail is quoted mail
    shown = forwards.forwarded_text(own.source or text, forward)
    inner = parse(shown)
    if not inner.sentences:
        return own
    # What a short question on top points at, or a machine's notice, only tells.
    told = frozenset(inner.sentences) if asking or forward.machine else inner.told
    source = (own.source or text)[: forward.marker] + (inner.source or shown)[forward.marker :]
    smalltalk = own.smalltalk or (inner.smalltalk and not told)
    sentences = tuple(span for span in own.sentences if span not in relaying) + inner.sentences
    return replace(own, sentences=sentences, smalltalk=smalltalk, told=told, source=source)


def _parse(text: str, limit: int) -> Parsed:
    """:func:`parse` of the resident's own text, which ends by ``limit`` at the latest."""
    given = text
    end = min(cut_quotes(text), limit)
    below = written_below(text, end)
    if below is not text:
        text, end = below, min(cut_quotes(below), limit)
    folded = shadow(text)
    end = signoff.notice_start(text, folded, end)
    end = _signature_start(text, folded, end)
    end = _strip_signature_lines(text, 0, end)
    closing = end < len(text.rstrip()) and bool(_SIGN_OFF.search(folded, end))
    sentences: list[Span] = []
    greeted = False
    for start, stop in _sentence_bounds(text, end):
        piece = folded[start:stop]
        greeting = _GREETING.match(folded[start : stop + 1])  # with the line break after it
        if greeting and greeting.end() > 0:
            greeted = True
            cut = min(greeting.end(), len(piece))
            start += cut
            piece = piece[cut:]
        blank = len(piece) - len(piece.lstrip())  # the line break after "Hello,"
        start, piece = start + blank, piece[blank:]
        tail = signoff.thanks_tail(text[start : start + len(piece)], piece, _CLOSING_WORDS)
        if tail is not None:
            closing, piece = True, piece[:tail]
        if not re.search(r"[^\W_]", piece):
            continue
        if _closing_only(piece) or _thanks(piece):
            closing = True
            continue
        if _PURPOSE.search(piece):
            continue  # why the resident asks: nothing to read
        stop = start + len(piece.rstrip())
        sentences.append(Span(start, stop, text[start:stop]))
    if closing and all(nextstep.announces(shadow(s.text)) and not asks(s.text) for s in sentences):
        sentences = []  # "tad rakstīšu pārvaldei, paldies!": what they will do next, then goodbye
    said = " ".join(shadow(s.text) for s in sentences)
    # "Are you a bot?" is small talk as ``interlocutor`` reads it: one pattern, and a wish for a
    # person beside it ("ты бот? позовите человека") makes it a request, not small talk.
    smalltalk = bool(sentences) and bool(_SMALLTALK.search(said) or asks_who_answers(said))
    new_text = folded[:end]
    automatic = bool(_AUTOMATIC.search(new_text)) or (bool(_AWAY.search(new_text)) and "?" not in new_text)
    source = "" if text is given else text
    return Parsed(tuple(sentences), closing, smalltalk, automatic, greeted, source=source)
