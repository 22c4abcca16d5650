"""Where a resident's new text ends before the quoted earlier mail; and ``quotequail.quote``, not run
on a text in which it can find nothing.

quotequail finds "On … wrote:" and "> " quotes; it lacks the Latvian and Russian Outlook headers
("No:/Nosūtīts:/Kam:/Tēma:", "От:/Отправлено:/Кому:/Тема:") and "rakstīja:/написал(а):", which
are added here.

quotequail tries each of its 30 patterns on every line, alone and joined with the next: 0.1-0.3 ms
for a short message, a third of what reading a short chat message costs, and it runs on every mail
twice (the mailbox strips the quoted mail, the reader looks again). Every one of its patterns ends
at the end of a line, in ":" ("On ... wrote:", "Forwarded message:"), ">" (Gmail's
"2024/1/2 Name <a@b>"), "-" ("---- Original Message ----") or "_" (Outlook's rule), and it matches
a line with its surrounding white space stripped. So a text none of whose lines ends in one of those
four (white space aside) holds no quote for it, and, being shorter than its line limit (past which
it quotes everything), comes back whole: exactly what quotequail would return.
"""

from __future__ import annotations

import re

import quotequail

from helpdesk.knowledge.text import shadow

#: quotequail's default line limit: the line at which it quotes the rest whatever it holds.
LIMIT = 1000
# A line whose last character, white space aside, ends one of quotequail's patterns.
_PATTERN_END = re.compile(r"[:>_-][^\S\n]*$", re.MULTILINE)


def quote(text: str, *, quote_intro_line: bool = False) -> list[tuple[bool, str]]:
    """:func:`quotequail.quote` (with its default limit)."""
    if text.count("\n") < LIMIT - 1 and not _PATTERN_END.search(text):
        return [(True, text)]
    found: list[tuple[bool, str]] = quotequail.quote(text, limit=LIMIT, quote_intro_line=quote_intro_line)
    return found


# Quoted earlier mail: everything from the first of these lines on is not the resident's new text.
_QUOTE_HEADER = re.compile(
    r"^[ \t>]*(?:"
    # An Outlook-style header block: a "From:" line followed within four lines by a "Sent:/Date:" one.
    r"(?:from|no|от|van|von):[^\n]*\n(?:[^\n]*\n){0,3}?[ \t>]*"
    r"(?:sent|date|nosutits|datums|отправлено|дата|gesendet|kam|to|кому):"
    r"|on\b[^\n]{0,200}\n?[^\n]{0,200}\bwrote:[ \t]*$"
    r"|[^\n]{0,200}\b(?:rakstija|rakstijis|rakstijusi|написал|написала|написал\(а\)|пишет|wrote|"
    r"schrieb|skrev|a ecrit)[ \t]*:[ \t]*$"
    # Any other mail program's line before a quote ends with the writer's address and a colon:
    # "пт, 25 окт. 2024 г. в 10:14, Klientiem <info@klientiem.lv>:", "25.10.2024, 10:14, "X" <x@y>:".
    r"|[^\n]{0,200}[\w.+-]+@[\w-]+(?:\.[\w-]+)+>?[\"»]?[ \t]*:[ \t]*$"
    r"|-{2,}[ \t]*(?:original message|originala zina|originalais zinojums|исходное сообщение|"
    r"forwarded message|parsutita zina|пересылаемое сообщение)"
    r"|_{10,}[ \t]*$"
    r")",
    re.MULTILINE,
)
_QUOTED_LINE = re.compile(r"^[ \t]*>[^\n]*$", re.MULTILINE)


def cut_quotes(text: str) -> int:
    """Where the resident's new text ends: before the first quoted earlier mail."""
    end = len(text)
    try:
        blocks = quote(text)
    except Exception:
        blocks = [(True, text)]
    if blocks and not blocks[-1][0]:
        end = min(end, sum(len(block) for _, block in blocks[:-1]))
        while len(blocks) > 1 and not blocks[-1][0]:
            blocks = blocks[:-1]
    found = _QUOTE_HEADER.search(shadow(text[:end]))
    if found:
        end = found.start()
    return _quoted_tail(text, end)


def _quoted_tail(text: str, end: int) -> int:
    """Before the "> " lines that close the new text, when nothing but blank lines follows them
    and something was written above them (a reply written between quotes keeps its lines, and a
    message of nothing but "> " lines is read as it is)."""
    lines = text[:end].splitlines(keepends=True)
    cut = end
    for line in reversed(lines):
        if line.strip() and not _QUOTED_LINE.match(line):
            break
        cut -= len(line)
    return cut if text[:cut].strip() and text[cut:end].strip() else end


def written_below(text: str, end: int) -> str:
    """``text`` with the quote blanked out (offsets kept) when nothing is written above the quote
    and the resident wrote below its last "> " line (a forward or a reply answered at the bottom);
    else ``text`` as it is."""
    if re.search(r"[^\W_]", text[:end]):
        return text
    last = max(_QUOTED_LINE.finditer(text, end), key=lambda line: line.end(), default=None)
    if last is None or not re.search(r"[^\W_]", text[last.end() :]):
        return text
    return re.sub(r"[^\n]", " ", text[: last.end()]) + text[last.end() :]
