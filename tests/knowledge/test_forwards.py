"""A mail that forwards another is read as a person reads it (issue 14): the forwarded text is the
question when nothing on top asks, what a short question on top points at, and only quoted mail
below a question of the resident's own. All messages are written for this test."""

from __future__ import annotations

from helpdesk.core.matching import Decision, MessageKind
from helpdesk.knowledge.forwards import find
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.reading import parse, shadow

OWN_MAIL_FORWARDED = """Jau nedēļu gaidu atbildi.

---------- Forwarded message ---------
From: Dace Liepa <dace.liepa@inbox.lv>
Date: Tue, 12 Nov 2024 at 18:40
Subject: skaitītāji
To: <info@example.lv>

Sveiki,
kā portālā iesniegt ūdens skaitītāju rādījumus?
Dace
"""

BARE_FORWARD = """Добрый вечер,

-------- Пересылаемое сообщение --------
От: Олег <oleg@mail.ru>
Дата: 03.12.2024, 21:05
Тема: вопрос
Кому: info@example.lv

Здравствуйте! Как подать показания счётчиков через портал?
Олег
"""

NOTICE = """{top}

---------- Pārsūtīta ziņa ---------
No: Portāls <noreply@example.lv>
Datums: 2024. gada 1. decembris 08:00
Tēma: Jaunumi par māju
Kam: <aivars@inbox.lv>

Lai atteiktos no jaunumiem, atrakstieties portālā. Iesniedziet rādījumus līdz mēneša beigām.
"""

BEGIN_FORWARDED = """See below, still no answer.

Begin forwarded message:

From: Ruth Moss <ruth@example.com>
Subject: paper
Date: 2 December 2024 at 09:14:00 GMT
To: info@example.lv

Hi, how can I stop getting paper invoices and get them by email instead?
Ruth
"""


def _texts(text: str) -> list[str]:
    return [span.text for span in parse(text).sentences]


def test_the_forward_line_and_headers_are_found_in_each_mail_program_s_words() -> None:
    for text in (OWN_MAIL_FORWARDED, BARE_FORWARD, NOTICE.format(top=""), BEGIN_FORWARDED):
        forward = find(shadow(text))
        assert forward is not None
        assert text[forward.body :].strip()[:2] in ("Sv", "Зд", "La", "Hi")
    notice = find(shadow(NOTICE.format(top="")))
    assert notice is not None and notice.machine
    own = find(shadow(OWN_MAIL_FORWARDED))
    assert own is not None and not own.machine
    assert own.subject is not None and OWN_MAIL_FORWARDED[slice(*own.subject)] == "skaitītāji"


def test_a_forward_with_nothing_asked_on_top_is_read_as_its_forwarded_question() -> None:
    assert _texts(OWN_MAIL_FORWARDED)[-1] == "kā portālā iesniegt ūdens skaitītāju rādījumus?"
    assert _texts(BARE_FORWARD)[-1] == "Как подать показания счётчиков через портал?"
    # The headers are never read as words of the mail.
    assert not any("From" in text or "От:" in text for text in _texts(OWN_MAIL_FORWARDED + BARE_FORWARD))


def test_a_question_of_the_resident_s_own_leaves_the_forward_as_quoted_mail() -> None:
    top = "Labdien, kāpēc man rēķinā ir divreiz apsaimniekošana par novembri?"
    assert _texts(NOTICE.format(top=top)) == ["kāpēc man rēķinā ir divreiz apsaimniekošana par novembri?"]


def test_a_forward_s_own_question_is_answered(matcher: KnowledgeMatcher) -> None:
    for text in (OWN_MAIL_FORWARDED, BARE_FORWARD, BEGIN_FORWARDED):
        reading = matcher.read(text)
        answers = [part.entry for part in reading.parts if part.decision is Decision.ANSWER]
        assert answers, text
        assert answers[0] in ("meter-readings-how", "paper-to-email"), text
    assert matcher.read(BARE_FORWARD).language == "ru"
    assert matcher.read(BEGIN_FORWARDED).language == "en"


def test_a_forwarded_notice_only_tells(matcher: KnowledgeMatcher) -> None:
    # Our notice's imperatives ("atrakstieties", "iesniedziet") are no request of the resident's:
    # nothing is run or answered on them, and the mail goes to a person.
    for top in ("", "Kas tas ir?", "Что это?"):
        reading = matcher.read(NOTICE.format(top=top))
        assert reading.kind is MessageKind.QUESTION, top
        assert all(part.decision is not Decision.ANSWER for part in reading.parts), top
    # The short question points at the notice: it is no small talk, and its language is the reply's.
    assert matcher.read(NOTICE.format(top="Что это?")).language == "ru"
