"""Parsing without a server: charsets, encoded words, HTML-only mail, headers that make the
standard library raise, quoted replies in three languages, and a property test on random bytes."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpdesk.mailbox import parsing
from helpdesk.mailbox.consent_words import asks_to_unsubscribe
from helpdesk.mailbox.parsing import parse
from helpdesk.mailbox.quoting import strip_quotes
from tests.mailbox.corpus import CASES

LIMIT = 10_000_000


@pytest.mark.parametrize("message_id", ["<[abc]@x>", "<@>", "<>"])
def test_message_ids_that_make_the_stdlib_raise_are_survived(message_id: str) -> None:
    raw = f"From: janis@example.lv\r\nMessage-ID: {message_id}\r\nSubject: x\r\n\r\nLabdien".encode()
    parsed = parse(raw, max_bytes=LIMIT)
    assert parsed.sender == "janis@example.lv" and parsed.text == "Labdien"
    # Without a usable id the bytes identify the mail, so a re-delivery is still recognised.
    assert parsed.message_id_hash == parse(raw, max_bytes=LIMIT).message_id_hash


@pytest.mark.parametrize(
    ("charset", "text"),
    [
        ("utf-8", "Labdien, kur ir mans rēķins? Paldies!"),
        ("windows-1257", "Labdien, kur ir mans rēķins? Paldies!"),
        ("iso-8859-13", "Labdien, kur ir mans rēķins? Paldies!"),
        ("koi8-r", "Здравствуйте, где мой счёт?"),
    ],
)
def test_latvian_and_russian_charsets(charset: str, text: str) -> None:
    message = EmailMessage()
    message["From"] = "Jānis Bērziņš <janis@example.lv>"
    message["Subject"] = "Rēķins / Счёт"
    message.set_content(text, charset=charset)
    parsed = parse(message.as_bytes(), max_bytes=LIMIT)
    assert parsed.text == text
    assert parsed.subject == "Rēķins / Счёт"
    assert parsed.sender == "janis@example.lv"


@pytest.mark.parametrize(
    "from_line",
    [
        # "Bērziņš, Jānis" as Outlook writes it: the comma is inside the encoded word.
        "=?UTF-8?B?QsSTcnppxYbFoSwgSsSBbmlz?= <janis@example.lv>",
        "=?UTF-8?Q?B=C4=93rzi=C5=86=C5=A1=2C_J=C4=81nis?= <janis@example.lv>",
        "=?iso-8859-13?Q?B=E7rzi=F2=F0=2C_J=E2nis?= <janis@example.lv>",
        # An encoded word that decodes to another address: only the real address counts.
        "=?UTF-8?B?bWFsbG9yeUBldmlsLnRlc3Q=?= <janis@example.lv>",
    ],
)
def test_an_encoded_display_name_with_a_comma_keeps_the_one_sender(from_line: str) -> None:
    """Words are decoded after the address is parsed: decoded first, "Bērziņš, Jānis" reads as two
    addresses and the mail would have nobody to answer (issue 15 point 13)."""
    raw = f"From: {from_line}\r\nSubject: x\r\n\r\nLabdien".encode()
    assert parse(raw, max_bytes=LIMIT).sender == "janis@example.lv"


@pytest.mark.parametrize(
    "from_line",
    [
        "janis@example.lv, mallory@evil.test",
        "Jānis <janis@example.lv>, <mallory@evil.test>",
        "=?UTF-8?B?QsSTcnppxYbFoQ==?= <janis@example.lv>, mallory@evil.test",
        "",
    ],
)
def test_a_from_of_several_or_no_addresses_has_no_sender(from_line: str) -> None:
    raw = f"From: {from_line}\r\nSubject: x\r\n\r\nLabdien".encode()
    assert parse(raw, max_bytes=LIMIT).sender is None


def test_html_only_mail_becomes_text() -> None:
    message = EmailMessage()
    message["From"] = "ivan@example.lv"
    message.set_content("<p>Здравствуйте!</p><p>Где <b>счёт</b>?</p><style>p{}</style>", subtype="html")
    text = parse(message.as_bytes(), max_bytes=LIMIT).text
    assert "Здравствуйте!" in text and "Где счёт?" in text and "<b>" not in text


def test_attachments_are_listed_with_decoded_names() -> None:
    message = EmailMessage()
    message["From"] = "janis@example.lv"
    message.set_content("Pielikumā skaitītāju bilde.")
    message.add_attachment(b"\x89PNG....", maintype="image", subtype="png", filename="skaitītājs.png")
    parsed = parse(message.as_bytes(), max_bytes=LIMIT)
    [attachment] = parsed.attachments
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "skaitītājs.png",
        "image/png",
        8,
    )


def test_over_the_size_limit_only_headers_are_read() -> None:
    raw = b"From: janis@example.lv\r\nSubject: big\r\n\r\n" + b"x" * 50_000
    parsed = parse(raw, max_bytes=10_000)
    assert not parsed.body_complete and parsed.text == "" and parsed.sender == "janis@example.lv"


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        (
            "Kur ir rēķins?\n\n2026. gada 20. nov., plkst. 10:00, Jānis <j@x.lv> rakstīja:\n> vecs",
            "Kur ir rēķins?",
        ),
        ("Где счёт?\n\n20 нояб. 2026 г., в 10:00, Иван <i@x.ru> написал(а):\n> старое", "Где счёт?"),
        ("Где счёт?\n\nПн, 20 нояб. 2026 в 10:00, Иван <i@x.ru> пишет:\n> старое", "Где счёт?"),
        ("Where is it?\n\nOn Mon, 20 Nov 2026 at 10:00, John <\njohn@x.com> wrote:\n> old", "Where is it?"),
        (
            "Sveiki\n\nNo: Klientiem.lv <info@klientiem.lv>\nNosūtīts: pirmdiena\nKam: Jānis\n"
            "Tēma: Re: x\n\nold",
            "Sveiki",
        ),
        ("Привет\n\nОт: Klientiem.lv\nОтправлено: 20 ноября\nКому: Иван\nТема: x\n\nold", "Привет"),
        ("Hi\n\nFrom: Klientiem.lv\nSent: Monday\nTo: John\nSubject: x\n\nold", "Hi"),
        ("Hello\n-----Original Message-----\nFrom: x\nold", "Hello"),
        ("Labdien\n\n-----Oriģinālā ziņa-----\nold", "Labdien"),
        ("Sveiki, rēķins\n\nSūtīts no mana iPhone", "Sveiki, rēķins"),
        ("Привет\n\nОтправлено с iPhone", "Привет"),
        ("Thanks\n-- \nJohn Smith\n+371 20000000", "Thanks"),
        (
            "Labdien!\n\nLūdzu, atsūtiet rēķinu.\n\nAr cieņu,\nJānis Bērziņš",
            "Labdien!\n\nLūdzu, atsūtiet rēķinu.",
        ),
        ("Где счёт?\n\nС уважением,\nИван Петров\n+371 20000000", "Где счёт?"),
        ("Where is my invoice?\n\nKind regards,\nJohn", "Where is my invoice?"),
        (
            "Sveiki\n\nAr cieņu,\nJānis\n\nNo: Klientiem.lv\nNosūtīts: pirmdiena\nKam: Jānis\nTēma: x\n\nold",
            "Sveiki",
        ),
        # Not a signature: the sign-off word is all there is, or a long text follows it.
        ("Ar cieņu,\nJānis", "Ar cieņu,\nJānis"),
        (
            "Sveiki\n\nAr cieņu\n" + "\n".join(f"{n}. rinda par skaitītāju rādījumiem" for n in range(6)),
            "Sveiki\n\nAr cieņu\n" + "\n".join(f"{n}. rinda par skaitītāju rādījumiem" for n in range(6)),
        ),
    ],
)
def test_quoted_history_and_signatures_are_cut(body: str, kept: str) -> None:
    assert strip_quotes(body) == kept


def test_a_mail_that_is_all_quote_is_kept_whole() -> None:
    assert strip_quotes("> only a quote\n> here") == "> only a quote\n> here"


@pytest.mark.parametrize(
    ("text", "subject", "expected"),
    [
        ("atrakstīties", "", True),
        ("Atrakstīties!\n\nJānis", "", True),
        ("", "unsubscribe", True),
        ("Отписаться.", "Re: новости", True),
        ("Es negribu atrakstīties, bet gribu rēķinu.", "", False),
        ("How do I unsubscribe from paper invoices and get them by e-mail instead?", "", False),
    ],
)
def test_consent_words(text: str, subject: str, expected: bool) -> None:
    assert asks_to_unsubscribe(text, subject) is expected


_header_names = st.sampled_from(
    [
        "From",
        "Subject",
        "Message-ID",
        "Content-Type",
        "Content-Transfer-Encoding",
        "References",
        "Return-Path",
        "Auto-Submitted",
        "Content-Disposition",
        "To",
        "Sender",
    ]
)
_header_values = st.text(alphabet=st.characters(codec="utf-8"), max_size=80).map(  # utf-8: no surrogates
    lambda value: value.replace("\r", " ").replace("\n", " ")
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headers=st.lists(st.tuples(_header_names, _header_values), max_size=8),
    body=st.binary(max_size=600),
)
def test_random_headers_and_bytes_never_break_the_parser(headers: list[tuple[str, str]], body: bytes) -> None:
    raw = "".join(f"{name}: {value}\r\n" for name, value in headers).encode("utf-8", "surrogateescape")
    parsed = parse(raw + b"\r\n" + body, max_bytes=LIMIT)
    assert "\x00" not in parsed.text and "\x00" not in parsed.subject
    assert parsed.sender is None or "@" in parsed.sender
    assert len(parsed.message_id_hash) == 64


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_break_the_parser(raw: bytes) -> None:
    parse(raw, max_bytes=LIMIT)


def test_the_memoising_policy_reads_every_mail_as_policy_default_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Parsing each header once must change nothing: the corpus read twice (the second time from the
    memo) equals the corpus read with plain ``email.policy.default``."""
    raws = [case.raw for case in CASES]
    memoised = [parse(raw, max_bytes=LIMIT) for raw in raws + raws]
    monkeypatch.setattr(parsing, "POLICY", policy.default)
    plain = [parse(raw, max_bytes=LIMIT) for raw in raws]
    assert memoised == plain + plain


FORWARDED_QUESTION = (
    "Vēl aizvien gaidu.\n\n---------- Forwarded message ---------\nFrom: Rasma Kalna <rasma@inbox.lv>\n"
    "Date: Tue, 12 Nov 2024 at 18:40\nSubject: rēķins\nTo: <info@example.lv>\n\n"
    "Labdien, kā var samaksāt rēķinu ar karti?\nRasma\n\n"
    "On Mon, 11 Nov 2024 at 10:00 Rasma <rasma@inbox.lv> wrote:\n> vecā vēstule\n"
)
FORWARDED_NEWS = (
    "Atrakstīties\n\n---------- Pārsūtīta ziņa ---------\nNo: Portāls <noreply@example.lv>\n"
    "Datums: 2024. gada 1. decembris\nTēma: Jaunumi\nKam: <aivars@inbox.lv>\n\nMājas jaunumi: jauns lifts.\n"
)


def test_a_forward_with_nothing_asked_on_top_keeps_the_forwarded_question() -> None:
    kept = strip_quotes(FORWARDED_QUESTION)
    assert kept.startswith("Vēl aizvien gaidu.") and "kā var samaksāt rēķinu ar karti?" in kept
    # The forwarded mail's own quoted history and its senders' names and addresses are not kept.
    assert "vecā vēstule" not in kept and "rasma@inbox.lv" not in kept and "From:" not in kept
    # A question of the resident's own on top: the forward is quoted mail, as before.
    own = FORWARDED_QUESTION.replace("Vēl aizvien gaidu.", "Kāpēc rēķinā ir divreiz apsaimniekošana?")
    assert strip_quotes(own) == "Kāpēc rēķinā ir divreiz apsaimniekošana?"


def test_the_one_word_unsubscribe_above_a_forwarded_newsletter_still_counts() -> None:
    kept = strip_quotes(FORWARDED_NEWS)
    assert "noreply@example.lv" in kept  # a machine's notice: it only tells (knowledge.forwards)
    assert asks_to_unsubscribe(kept, "Fwd: Jaunumi")
