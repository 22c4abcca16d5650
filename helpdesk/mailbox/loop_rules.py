"""Loop protection: one small named rule per reason not to answer (RFC 3834 and what Mailman and
Zammad learned). The poller runs :data:`RULES` in order and records the first that matched as
``skipped:<name>``; the mail is kept (processed folder, conversation) but gets no automatic answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from helpdesk.mailbox.addresses import LOOP_HEADER, from_address
from helpdesk.mailbox.parsing import ParsedMail
from helpdesk.settings import Settings


class Rule(Protocol):
    name: str
    description: str

    def check(self, mail: ParsedMail, settings: Settings) -> bool: ...


@dataclass
class AutoSubmitted:
    name: str = "auto-submitted"
    description: str = "Auto-Submitted other than 'no' (RFC 3834 section 5)"

    def check(self, mail: ParsedMail, settings: Settings) -> bool:
        return any(
            value.split(";")[0].strip().lower() not in ("no", "") for value in mail.values("auto-submitted")
        )


_DAEMONS = re.compile(
    r"^(mailer-daemon|postmaster|mail-daemon|bounces?|noreply|no-reply|donotreply)([+@-]|$)"
)


@dataclass
class Bounce:
    name: str = "bounce"
    description: str = "delivery reports (RFC 3464), MAILER-DAEMON, empty Return-Path"

    def check(self, mail: ParsedMail, settings: Settings) -> bool:
        if mail.content_type == "multipart/report":
            return True
        if any(value.strip() in ("<>", "") for value in mail.values("return-path")):
            return True
        return bool(mail.sender and _DAEMONS.match(mail.sender.partition("@")[0]))


_LIST_HEADERS = ("list-id", "list-unsubscribe", "list-post", "list-help", "list-subscribe", "list-owner")


@dataclass
class MailingList:
    name: str = "mailing-list"
    description: str = "List-Id and other List-* headers (RFC 2369, RFC 2919)"

    def check(self, mail: ParsedMail, settings: Settings) -> bool:
        return any(mail.values(name) for name in _LIST_HEADERS)


@dataclass
class Bulk:
    name: str = "bulk"
    description: str = "Precedence: bulk, list, junk or auto_reply"

    def check(self, mail: ParsedMail, settings: Settings) -> bool:
        return any(
            value.strip().lower() in ("bulk", "list", "junk", "auto_reply")
            for value in mail.values("precedence")
        )


_AUTOREPLY_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response|antwort)|autoreply|out of (the )?office|"
    r"automātiskā atbilde|prombūtnē|автоматический ответ|автоответ|нет на месте)\b",
    re.IGNORECASE,
)


@dataclass
class AutoReply:
    name: str = "auto-reply"
    description: str = "X-Autoreply, X-Autorespond, X-Auto-Response-Suppress, out-of-office subjects"

    def check(self, mail: ParsedMail, settings: Settings) -> bool:
        if mail.values("x-autoreply") or mail.values("x-autorespond") or mail.values("x-autoresponder"):
            return True
        suppress = " ".join(mail.values("x-auto-response-suppress")).lower()
        if "all" in suppress or "autoreply" in suppress or "oof" in suppress:
            return True
        return bool(_AUTOREPLY_SUBJECT.match(mail.subject))


@dataclass
class OwnAddress:
    name: str = "own-address"
    description: str = "mail from our own address"

    def check(self, mail: ParsedMail, settings: Settings) -> bool:
        return mail.sender is not None and mail.sender == from_address(settings)


@dataclass
class LoopHeader:
    name: str = "loop-header"
    description: str = f"our loop header {LOOP_HEADER}"

    def check(self, mail: ParsedMail, settings: Settings) -> bool:
        return bool(mail.values(LOOP_HEADER))


@dataclass
class NoSender:
    name: str = "no-sender"
    description: str = "From is not exactly one plain address: there is nobody to answer safely"

    def check(self, mail: ParsedMail, settings: Settings) -> bool:
        return mail.sender is None


RULES: tuple[Rule, ...] = (
    LoopHeader(),
    OwnAddress(),
    AutoSubmitted(),
    Bounce(),
    MailingList(),
    Bulk(),
    AutoReply(),
    NoSender(),
)


def first_hit(mail: ParsedMail, settings: Settings, rules: tuple[Rule, ...] = RULES) -> str | None:
    """The name of the first rule that says "do not answer", or None."""
    for rule in rules:
        if rule.check(mail, settings):
            return rule.name
    return None
