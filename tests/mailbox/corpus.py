"""Malformed and hostile mails, each with what must happen to it.

``outcome`` is the ``inbound_mail`` outcome; ``reply`` says whether an automatic answer may go out.
Every case is processed in one run together with a normal mail at the end, which must still be
answered: one bad mail never blocks the next.
"""

from __future__ import annotations

from dataclasses import dataclass

AR_PASS = "Authentication-Results: mx.klientiem.test; spf=pass smtp.mailfrom=example.lv; dmarc=pass\r\n"


@dataclass(frozen=True)
class Case:
    name: str
    raw: bytes
    outcome: str
    reply: bool


def _mail(
    headers: str,
    body: str | bytes = "Labdien, aizmirsu paroli.\r\n",
    *,
    sender: str = "janis@example.lv",
    message_id: str | None = None,
    auth: bool = True,
) -> bytes:
    top = f"From: {sender}\r\nTo: info@klientiem.test\r\n" if sender else "To: info@klientiem.test\r\n"
    if message_id is not None:
        top += f"Message-ID: {message_id}\r\n"
    if auth:
        top += AR_PASS
    data = body.encode() if isinstance(body, str) else body
    return (top + headers).encode() + b"\r\n" + data


def _mid(name: str) -> str:
    return f"<{name}@corpus.test>"


def _nested(depth: int) -> bytes:
    parts = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n' for i in range(depth))
    closing = "".join(f"\r\n--b{i}--\r\n" for i in reversed(range(depth)))
    return (parts + "Content-Type: text/plain\r\n\r\nLabdien, parole?" + closing).encode()


CASES: tuple[Case, ...] = (
    Case(
        "auto-submitted auto-replied",
        _mail("Subject: Re: Parole\r\nAuto-Submitted: auto-replied\r\n", message_id=_mid("a1")),
        "skipped:auto-submitted",
        False,
    ),
    Case(
        "auto-submitted: No is a person",
        _mail("Subject: Parole\r\nAuto-Submitted: No\r\n", message_id=_mid("a2")),
        "answered",
        True,
    ),
    Case(
        "DSN multipart/report from MAILER-DAEMON",
        _mail(
            "Subject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/report; "
            'report-type=delivery-status; boundary="r"\r\n',
            "--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed\r\n--r\r\nContent-Type: "
            "message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.lv\r\n\r\nFinal-Recipient: "
            "rfc822; x@example.lv\r\nAction: failed\r\nStatus: 5.1.1\r\n--r--\r\n",
            sender="MAILER-DAEMON@mx.example.lv",
            message_id=_mid("b1"),
        ),
        "skipped:bounce",
        False,
    ),
    Case(
        "empty Return-Path",
        _mail("Return-Path: <>\r\nSubject: Parole\r\n", message_id=_mid("b2")),
        "skipped:bounce",
        False,
    ),
    Case(
        "postmaster sender",
        _mail("Subject: Parole\r\n", sender="postmaster@example.lv", message_id=_mid("b3")),
        "skipped:bounce",
        False,
    ),
    Case(
        "mailing list",
        _mail("Subject: Parole\r\nList-Id: <residents.example.lv>\r\n", message_id=_mid("l1")),
        "skipped:mailing-list",
        False,
    ),
    Case(
        "precedence bulk",
        _mail("Subject: Parole\r\nPrecedence: bulk\r\n", message_id=_mid("l2")),
        "skipped:bulk",
        False,
    ),
    Case(
        "X-Autoreply",
        _mail("Subject: Parole\r\nX-Autoreply: yes\r\n", message_id=_mid("r1")),
        "skipped:auto-reply",
        False,
    ),
    Case(
        "Outlook out-of-office without Auto-Submitted",
        _mail("Subject: Automatic reply: Parole\r\n", message_id=_mid("r2")),
        "skipped:auto-reply",
        False,
    ),
    Case(
        "Latvian out-of-office subject",
        _mail("Subject: =?utf-8?q?Autom=C4=81tisk=C4=81_atbilde=3A_Parole?=\r\n", message_id=_mid("r3")),
        "skipped:auto-reply",
        False,
    ),
    Case(
        "X-Auto-Response-Suppress",
        _mail("Subject: Parole\r\nX-Auto-Response-Suppress: All\r\n", message_id=_mid("r4")),
        "skipped:auto-reply",
        False,
    ),
    Case(
        "our own address",
        _mail("Subject: Parole\r\n", sender="info@klientiem.test", message_id=_mid("o1")),
        "skipped:own-address",
        False,
    ),
    Case(
        "our loop header",
        _mail("Subject: Parole\r\nX-Klientiem-Loop: klientiem.test\r\n", message_id=_mid("o2")),
        "skipped:loop-header",
        False,
    ),
    Case(
        "two From addresses",
        _mail("Subject: Parole\r\n", sender="janis@example.lv, evil@attacker.test", message_id=_mid("f1")),
        "skipped:no-sender",
        False,
    ),
    Case(
        "no From header",
        _mail("Subject: Parole\r\n", sender="", message_id=_mid("f2")),
        "skipped:no-sender",
        False,
    ),
    Case(
        "CVE-2023-27043 address confusion",
        _mail(
            "Subject: Parole\r\n",
            sender='"janis@example.lv" <evil@attacker.test>@example.lv',
            message_id=_mid("f3"),
        ),
        "skipped:no-sender",
        False,
    ),
    Case(
        "header injection through an encoded subject",
        _mail("Subject: =?utf-8?q?Parole=0D=0ABcc=3A_victim=40example=2Elv?=\r\n", message_id=_mid("h1")),
        "answered",
        True,
    ),
    Case(
        "Message-ID that is not an id",
        _mail("Subject: Parole\r\n", message_id="not-an-id [@]<<>"),
        "answered",
        True,
    ),
    Case(
        "unknown charset",
        _mail("Subject: Parole\r\nContent-Type: text/plain; charset=x-unknown-9\r\n", message_id=_mid("c1")),
        "answered",
        True,
    ),
    Case(
        "invalid utf-8 bytes",
        _mail(
            "Subject: Parole\r\nContent-Type: text/plain; charset=utf-8\r\n",
            b"Labdien, parole \xff\xfe\xc3\x28 lost\r\n",
            message_id=_mid("c2"),
        ),
        "answered",
        True,
    ),
    Case(
        "windows-1257 body, encoded subject",
        _mail(
            "Subject: =?windows-1257?q?R=E7=EDins_parole?=\r\n"
            "Content-Type: text/plain; charset=windows-1257\r\n",
            "Labdien, aizmirsu paroli, lūdzu palīdziet.\r\n".encode("cp1257"),
            message_id=_mid("c3"),
        ),
        "answered",
        True,
    ),
    Case(
        "koi8-r body",
        _mail(
            "Subject: =?koi8-r?b?8MHSz8zY?=\r\nContent-Type: text/plain; charset=koi8-r\r\n",
            "Здравствуйте, забыл пароль.\r\n".encode("koi8-r"),
            sender="ivan@example.lv",
            message_id=_mid("c4"),
        ),
        "answered",
        True,
    ),
    Case(
        "iso-8859-13 body",
        _mail(
            "Subject: Parole\r\nContent-Type: text/plain; charset=iso-8859-13\r\n",
            "Sveiki, kur mainīt paroli?\r\n".encode("iso-8859-13"),
            message_id=_mid("c5"),
        ),
        "answered",
        True,
    ),
    Case(
        "HTML only with a script",
        _mail(
            "Subject: Parole\r\nContent-Type: text/html; charset=utf-8\r\n",
            "<html><body><script>alert('x')</script><p>Labdien, aizmirsu <b>paroli</b>.</p></body></html>",
            message_id=_mid("t1"),
        ),
        "answered",
        True,
    ),
    Case(
        "executable attachment",
        _mail(
            'Subject: Parole\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"\r\n',
            "--x\r\nContent-Type: text/plain\r\n\r\nLabdien, parole?\r\n--x\r\nContent-Type: "
            'application/x-msdownload\r\nContent-Disposition: attachment; filename="rekins.pdf.exe"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n"
            "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAA\r\n"
            "--x--\r\n",
            message_id=_mid("x1"),
        ),
        "answered",
        True,
    ),
    Case(
        "RFC 2231 attachment name and a path in it",
        _mail(
            'Subject: Parole\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"\r\n',
            "--x\r\nContent-Type: text/plain\r\n\r\nLabdien, parole?\r\n"
            "--x\r\nContent-Type: application/pdf\r\n"
            "Content-Disposition: attachment; filename*=utf-8''..%2F..%2Fr%C4%93%C4%B7ins.pdf\r\n\r\n%PDF\r\n"
            "--x--\r\n",
            message_id=_mid("x2"),
        ),
        "answered",
        True,
    ),
    Case(
        "multipart without its closing boundary",
        _mail(
            'Subject: Parole\r\nContent-Type: multipart/alternative; boundary="zz"\r\n',
            "--zz\r\nContent-Type: text/plain\r\n\r\nLabdien, parole?\r\n",
            message_id=_mid("m1"),
        ),
        "answered",
        True,
    ),
    Case(
        "multipart without any boundary parameter",
        _mail(
            "Subject: Parole\r\nContent-Type: multipart/mixed\r\n",
            "Labdien, parole?\r\n",
            message_id=_mid("m2"),
        ),
        "answered",
        True,
    ),
    Case(
        "deeply nested multipart",
        _mail("Subject: Parole\r\nMIME-Version: 1.0\r\n", b"", message_id=_mid("m3")).replace(
            b"MIME-Version: 1.0\r\n\r\n", b"MIME-Version: 1.0\r\n" + _nested(60)
        ),
        "answered",
        True,
    ),
    Case(
        "NUL bytes and binary garbage",
        _mail("Subject: Parole\r\n", b"Labdien\x00\x01\x02 parole\x00\r\n" * 3, message_id=_mid("g1")),
        "answered",
        True,
    ),
    Case(
        "10,000-character subject",
        _mail("Subject: Parole " + "ā" * 10_000 + "\r\n", message_id=_mid("s1")),
        "answered",
        True,
    ),
    Case(
        "a list's -request address, no List-* headers",
        _mail("Subject: Residents digest, Vol 3\r\n", sender="residents-request@lists.example.lv"),
        "skipped:mailing-list",
        False,
    ),
    Case(
        "Mailman 2 headers alone",
        _mail("Subject: Parole\r\nX-BeenThere: residents@lists.example.lv\r\n", message_id=_mid("l3")),
        "skipped:mailing-list",
        False,
    ),
    Case(
        "a MIME digest",
        _mail(
            'Subject: Digest\r\nMIME-Version: 1.0\r\nContent-Type: multipart/digest; boundary="d"\r\n',
            "--d\r\n\r\nFrom: a@example.lv\r\nSubject: one\r\n\r\nLabdien, parole?\r\n--d--\r\n",
            message_id=_mid("l4"),
        ),
        "skipped:digest",
        False,
    ),
    Case(
        "a mail system's returned mail without a report",
        _mail(
            "Subject: Returned mail: see transcript\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; "
            'boundary="b"\r\n',
            "--b\r\nContent-Type: text/plain\r\n\r\nUser unknown\r\n--b\r\nContent-Type: message/rfc822"
            "\r\n\r\nFrom: info@klientiem.test\r\nSubject: Re: Parole\r\n\r\nLabdien\r\n--b--\r\n",
            sender="Mail Delivery System <root@mx.example.lv>",
            message_id=_mid("b4"),
        ),
        "skipped:bounce",
        False,
    ),
    Case(
        "a person forwarding a mail as an attachment",
        _mail(
            'Subject: Fwd: rēķins\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n',
            "--b\r\nContent-Type: text/plain\r\n\r\nLabdien, parole? Skat. pielikumu.\r\n--b\r\n"
            "Content-Type: message/rfc822\r\n\r\nFrom: x@example.lv\r\nSubject: a digest\r\n"
            'Content-Type: multipart/digest; boundary="d"\r\n\r\n--d\r\n\r\nSubject: one\r\n\r\nx\r\n'
            "--d--\r\n--b--\r\n",
            sender="Jānis Bērziņš <janis@example.lv>",
            message_id=_mid("b5"),
        ),
        "answered",
        True,
    ),
    Case(
        "a broadcast to undisclosed recipients",
        _mail("Subject: Parole\r\n", message_id=_mid("u1")).replace(
            b"To: info@klientiem.test", b"To: undisclosed-recipients:;"
        ),
        "skipped:hidden-recipients",
        False,
    ),
    Case(
        "an empty group next to our address",
        _mail("Subject: Parole\r\nCc: Kaimiņi:;\r\n", message_id=_mid("u2")),
        "answered",
        True,
    ),
    Case(
        "the same Message-ID again",
        _mail("Subject: Parole\r\nAuto-Submitted: No\r\n", message_id=_mid("a2")),
        "skipped:duplicate",
        False,
    ),
)
