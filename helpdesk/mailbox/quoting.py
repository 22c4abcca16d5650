"""Cut the quoted earlier mail and the signature off a reply, for Latvian, Russian and English clients.

quotequail knows the English Gmail/Apple/Outlook shapes; the patterns here add what residents'
clients write in Latvian and Russian ("rakstīja", "писал(а)", Outlook's "No:/Nosūtīts:" and
"От:/Отправлено:" blocks, "Sūtīts no mana iPhone"). Only the top of the message is kept: an
answer to a quoted question is what the resident wrote above it.
"""

from __future__ import annotations

import re

from helpdesk.knowledge.forwards import Forward, find
from helpdesk.knowledge.quotes import quote
from helpdesk.knowledge.reading import parse, shadow

# "On Mon, 20 Nov 2026 at 10:00, Jānis <j@x.lv> wrote:" and its Latvian and Russian forms.
_INTRO = re.compile(
    r"(wrote|rakstīja|raksta|писал\(а\)|написал\(а\)|писала?|написала?|пишет)\s*:\s*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(original message|forwarded message|oriģinālā ziņa|sākotnējā ziņa|pārsūtīta ziņa|"
    r"исходное сообщение|пересылаемое сообщение|переадресованное сообщение)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_BLOCK_FROM = re.compile(r"^\s*\*?(from|no|от|kimdan)\s*:\*?\s", re.IGNORECASE)
_BLOCK_NEXT = re.compile(
    r"^\s*\*?(sent|date|nosūtīts|datums|отправлено|дата|to|kam|кому|subject|tēma|тема)\s*:", re.IGNORECASE
)
_SIGNATURE = re.compile(
    r"^\s*(--\s*|__+|sent from my \w+.*|get outlook for .*|"
    r"sūtīts no man(a|ā|as) .*|nosūtīts no man(a|ā|as) .*|"
    r"отправлено (с|из) .*|послано с .*)$",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"^\s*>")
# The sign-off that opens a signature: "Ar cieņu," / "С уважением," / "Kind regards," and friends.
_VALEDICTION = re.compile(
    r"^\s*(ar (lielu |vislielāko )?cieņu|ar (labiem |vislabākajiem )?vēlējumiem|ar sveicieniem|"
    r"sveicieni|cieņā|с уважением|с наилучшими пожеланиями|всего (доброго|хорошего)|"
    r"best( regards| wishes)?|(kind|warm) regards|regards|yours sincerely|sincerely)\s*[,.!]?\s*$",
    re.IGNORECASE,
)
#: After a sign-off, a signature is a few short lines (a name, a phone number, an address).
_SIGNATURE_LINES, _SIGNATURE_WIDTH = 4, 80


def _cut_index(lines: list[str]) -> int:
    """Index of the first line that belongs to the quoted mail or the signature."""
    for index, line in enumerate(lines):
        if index == 0 and not line.strip():
            continue
        if _SEPARATOR.match(line) or _SIGNATURE.match(line):
            return index
        joined = line.rstrip() + " " + lines[index + 1].strip() if index + 1 < len(lines) else line
        # The "... wrote:" line, also when a client wrapped it in two.
        if index > 0 and (_INTRO.search(line) or _INTRO.search(joined)):
            return index
        if _BLOCK_FROM.match(line):
            window = lines[index + 1 : index + 5]
            if sum(1 for following in window if _BLOCK_NEXT.match(following)) >= 2:
                return index
        if _QUOTED.match(line) and all(_QUOTED.match(rest) or not rest.strip() for rest in lines[index:]):
            return index
    return len(lines)


def _sign_off_index(lines: list[str]) -> int:
    """Where a closing sign-off and the few short signature lines under it begin (else the end).

    The sign-off dilutes what the resident asked ("Ar cieņu, Jānis Bērziņš" under a one-line
    request) and the name under it is personal data nobody needs in the conversation log.
    """
    for index in range(len(lines) - 1, 0, -1):
        if not _VALEDICTION.match(lines[index]):
            continue
        rest = [line for line in lines[index + 1 :] if line.strip()]
        above = [line for line in lines[:index] if line.strip()]
        if above and len(rest) <= _SIGNATURE_LINES and all(len(line) <= _SIGNATURE_WIDTH for line in rest):
            return index
        break
    return len(lines)


def strip_quotes(text: str) -> str:
    """The resident's own words: the top of the mail without the quoted history or the signature;
    and the mail it forwards when the reader reads that too (nothing or a short question on top,
    ``knowledge.forwards``), without its senders' names and addresses."""
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    forward = find(shadow(normal))
    if forward is not None and any(span.start >= forward.marker for span in parse(normal).sentences):
        return _with_forward(normal, forward)
    return _own_words(normal)


def _with_forward(text: str, forward: Forward) -> str:
    """The top, the forward's line, the sender's line of a machine's notice (which only tells), the
    subject and the forwarded text (its own quoted history cut)."""
    top = _own_words(text[: forward.marker]) if text[: forward.marker].strip() else ""
    marker = text[forward.marker :].split("\n", 1)[0].strip()
    head = [marker]
    if forward.machine and forward.sender is not None:
        head.append(text[slice(*forward.sender)].strip())
    if forward.subject is not None:
        head.append("Subject: " + text[slice(*forward.subject)].strip())
    body = strip_quotes(text[forward.body :])
    return "\n\n".join(part for part in (top, "\n".join(head), body) if part)


def _own_words(text: str) -> str:
    """:func:`strip_quotes` of a mail whose forward, if any, is not read."""
    lines = text.split("\n")
    own = lines[: _cut_index(lines)]
    kept = "\n".join(own[: _sign_off_index(own)]).strip()
    if not kept:
        return text.strip()  # everything looked quoted: better the whole text than nothing
    try:
        parts = quote(kept, quote_intro_line=True)
    except Exception:
        return kept
    visible = "\n".join(part for shown, part in parts if shown).strip()
    return visible or kept
