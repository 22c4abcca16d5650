"""A mail that forwards another: where the forwarded mail starts, and how much of it is read.

A resident who forwards a mail often writes one line on top, or nothing: "Kas tas ir?" above our
invoice notice, "Joprojām nav atbildes!" above their own earlier question, "see below". Cut at the
forward like any quoted mail, such a message is a bare greeting or a question about nothing. A
person reads the forwarded text too: as the question itself when nothing on top asks anything,
and as what a short question on top points at ("Что это?") otherwise. A note that only hands the
mail on ("Pārsūtu sievas jautājumu", "Пересылаю письмо жены. Пришлите, пожалуйста, то, что она
просит", "please help my mother with the below") asks nothing of its own either: the forwarded
mail's questions are the resident's. A forwarded notice sent by a machine (no-reply) only tells: its
"Iesniedziet rādījumus" is our wording, not the resident's request. When the resident wrote a
question of their own on top, the forwarded mail is left unread, as any quoted mail is.

The forward is found on the folded text (``reading.shadow``, same offsets as the original).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The line a mail program puts above a forwarded mail (folded).
_MARKER = re.compile(
    r"^[ \t>]*(?:-{2,}[ \t]*(?:forwarded message|parsutit\w* zin\w*|parsutits zinojums|"
    r"пересылаемое сообщение|пересланное сообщение)[ \t]*-*:?|begin forwarded message[ \t]*:?|"
    r"(?:пересылаемое|пересланное) сообщение[ \t]*:?|parsutit\w* zin\w*[ \t]*:)[ \t]*$",
    re.MULTILINE,
)
# The forwarded mail's own header lines, with the blank lines among them.
_HEADER = re.compile(
    r"(?:[ \t>]*(?:from|date|sent|subject|to|cc|reply-to|no|datums|nosutits|tema|kam|kopija|"
    r"от|дата|отправлено|тема|кому|копия)[ \t]*:[^\n]*\n|[ \t>]*\n)+"
)
_SUBJECT = re.compile(
    r"^[ \t>]*(?:subject|tema|тема)[ \t]*:[ \t]*(?:(?:re|fwd?|fw|aw|pars|отв|пересл)[ \t]*:[ \t]*)*",
    re.MULTILINE,
)
_SENDER = re.compile(r"^[ \t>]*(?:from|no|от)[ \t]*:([^\n]*)$", re.MULTILINE)
# A sender that is a machine: its mail is a notice, whose imperatives are no one's request.
_MACHINE = re.compile(r"no-?reply|do-?not-?reply|mailer-daemon|notification|pazinojum|уведомлен")
# A question on top this short that points ("Kas tas ir?", "What is this about?", "Что это?") or
# says nothing else ("Paskaidrojiet!") is about the forwarded mail.
BRIEF_WORDS = 5
_POINTING = re.compile(
    r"\b(?:tas|ta|tie|to|sis|si|so|sie|sito|this|that|it|these|those|это|этот|эта|эти|"
    r"то|оно|он|она|eto|etot)\b"
)

# A sentence on top no longer than this that hands the forwarded mail on (folded): it names the
# forwarding ("pārsūtu", "пересылаю", "I'm forwarding"), points below ("skat. zemāk", "см. ниже",
# "the below"), or at what the forwarded mail's writer asks ("viņas jautājumu", "то, что она просит").
RELAY_WORDS = 12  # a longer one says something of its own ("…, so he stops forwarding them to me?")
_WHO = r"(?:vina|vins|vini|vinas|она|он|они|she|he|they)"  # the forwarded mail's writer ...
_THEIR = r"(?:vinas|vina|vinu|ее|его|их|her|his|their)"  # ... and what is theirs
_RELAYS = re.compile(
    r"\b(?:parsut(?:u|am|iju|ijam|it)|nosut(?:u|am) talak|"
    r"пересыла(?:ю|ем)|переслал[аи]?|перенаправля(?:ю|ем)|переадресу(?:ю|ем)|"
    r"^\W*forwarding|(?:i|we)(?: am| are| have|'m|'re|'ve)? forward(?:ing|ed)?|passing (?:this |it )?on|"
    r"zemak|lejak|ниже|below|underneath|"
    rf"(?:ko|ka|то,? что|что|чем|what) {_WHO} (?:prasa|ludz|jauta|grib|просит|спрашивает|хочет|"
    r"asks|is asking|wants|needs)|"
    rf"{_THEIR} (?:jautajum\w*|lugum\w*|вопрос\w*|просьб\w*|question|request)|"
    r"(?:sievas|vira|mammas|mates|meitas|dela|teva|kaimin\w*|irnieka|irnieces) "
    r"(?:jautajum\w*|lugum\w*|vestul\w*|zin\w*|e-?past\w*)|"
    r"(?:вопрос\w*|просьб\w*|письмо) (?:жены|мужа|мамы|матери|дочери|сына|отца|соседк?\w*|жильц\w*)|"
    r"(?:wife|husband|mother|mum|mom|father|dad|daughter|son|neighbou?r|tenant)['’]?s (?:question|request|"
    r"mail|e-?mail|message|letter))\b"
)

# A question word left beside the hand-over: the sentence asks a question of its own (folded).
_ASKS_ITSELF = re.compile(
    r"\b(?:ka|kapec|kadel|kur|cik|kad|kas|ko|kads|kada|kuru?|как\w*|почему|зачем|где|куда|сколько|когда|"
    r"что|кто|how|why|where|when|what|which|who)\b"
)


@dataclass(frozen=True, slots=True)
class Forward:
    """Offsets in the message: ``marker`` starts the forward (the resident's own text ends there),
    ``body`` starts the forwarded mail's text after its headers; ``subject`` is its subject's text,
    ``sender`` its sender's header line."""

    marker: int
    body: int
    subject: tuple[int, int] | None
    machine: bool  # sent by a machine: its sentences tell, they never ask
    sender: tuple[int, int] | None = None


def find(folded: str) -> Forward | None:
    """The first forward of ``folded`` (a folded message), if any."""
    marker = _MARKER.search(folded)
    if marker is None:
        return None
    start = marker.end() + 1 if folded[marker.end() : marker.end() + 1] == "\n" else marker.end()
    headers = _HEADER.match(folded, start)
    body = headers.end() if headers else start
    head = folded[start:body]
    subject = None
    found = _SUBJECT.search(head)
    if found:
        line_end = head.find("\n", found.end())
        subject = (start + found.end(), start + (len(head) if line_end < 0 else line_end))
    sender = _SENDER.search(head)
    machine = bool(sender and _MACHINE.search(sender.group(1)))
    line = (start + sender.start(), start + sender.end()) if sender else None
    return Forward(marker.start(), body, subject, machine, line)


def forwarded_text(text: str, forward: Forward) -> str:
    """``text`` with all but the forwarded mail blanked out (offsets kept): its subject, then its
    body, read as a message of their own."""
    keep = [(forward.body, len(text))]
    if forward.subject is not None:
        keep.insert(0, forward.subject)
    out = [char if char == "\n" else " " for char in text]
    for start, end in keep:
        out[start:end] = text[start:end]
    return "".join(out)


def relays(folded: str) -> bool:
    """Whether a sentence (folded) on top hands the forwarded mail on rather than says anything
    itself: "Pārsūtu sievas jautājumu", "Пришлите, пожалуйста, то, что она просит", "please help my
    mother with the below"; not "Kāpēc rēķinā ir divreiz apsaimniekošana?"."""
    if len(re.findall(r"[^\W\d_]+", folded)) > RELAY_WORDS or not _RELAYS.search(folded):
        return False
    return not _ASKS_ITSELF.search(_RELAYS.sub(" ", folded))  # "Pārsūtu: kāpēc rēķins ir mēstulēs?"


def brief(folded: str) -> bool:
    """A question (folded) short enough to point at what was forwarded rather than ask one of its
    own: "Kas tas ir?", "Paskaidrojiet!"; not "Kāpēc rēķinā ir divreiz apsaimniekošana?"."""
    words = len(re.findall(r"[^\W\d_]+", folded))
    return words <= 2 or (words <= BRIEF_WORDS and bool(_POINTING.search(folded)))
