"""Loop protection: one small named unit per reason not to answer (RFC 3834 and what Mailman and
Zammad learned). Each is a name in the chain's table; the first that matches ends the chain as
``skipped:<name>``: the mail is filed (processed folder) but gets no automatic answer. A rule that
``hold``s sends the mail to a person instead (the quarantine folder and the queue).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

from helpdesk.mailbox.addresses import LOOP_HEADER, from_address
from helpdesk.mailbox.chain.base import Decision, Incoming
from helpdesk.mailbox.config import MailConfig
from helpdesk.mailbox.parsing import ParsedMail


class LoopRule(ABC):
    """A check of the mail's headers alone; a hit ends the chain unanswered."""

    name: str
    description: str
    #: A person reads the mail instead of it being filed (it may be a resident we cannot answer).
    hold: bool = False

    @abstractmethod
    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        """True when this mail must get no automatic answer."""

    async def act(self, incoming: Incoming) -> Decision | None:
        if not self.check(incoming.mail, incoming.config):
            return None
        return Decision(f"skipped:{self.name}", self.name, hold=self.hold)


class AutoSubmitted(LoopRule):
    name = "auto-submitted"
    description = "Auto-Submitted other than 'no' (RFC 3834 section 5)"

    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        return any(
            value.split(";")[0].strip().lower() not in ("no", "") for value in mail.values("auto-submitted")
        )


_DAEMONS = re.compile(
    r"^(mailer-daemon|postmaster|mail-daemon|bounces?|noreply|no-reply|donotreply)([+@-]|$)"
)


class Bounce(LoopRule):
    name = "bounce"
    description = "delivery reports (RFC 3464), MAILER-DAEMON, empty Return-Path"

    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        if mail.content_type == "multipart/report":
            return True
        if any(value.strip() in ("<>", "") for value in mail.values("return-path")):
            return True
        return bool(mail.sender and _DAEMONS.match(mail.sender.partition("@")[0]))


_LIST_HEADERS = ("list-id", "list-unsubscribe", "list-post", "list-help", "list-subscribe", "list-owner")


class MailingList(LoopRule):
    name = "mailing-list"
    description = "List-Id and other List-* headers (RFC 2369, RFC 2919)"

    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        return any(mail.values(name) for name in _LIST_HEADERS)


class Bulk(LoopRule):
    name = "bulk"
    description = "Precedence: bulk, list, junk or auto_reply"

    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        return any(
            value.strip().lower() in ("bulk", "list", "junk", "auto_reply")
            for value in mail.values("precedence")
        )


_AUTOREPLY_SUBJECT = re.compile(
    r"^\s*(auto(matic)?[ -]?(reply|response|antwort)|autoreply|out of (the )?office|"
    r"automātiskā atbilde|prombūtnē|автоматический ответ|автоответ|нет на месте)\b",
    re.IGNORECASE,
)


class AutoReply(LoopRule):
    name = "auto-reply"
    description = "X-Autoreply, X-Autorespond, X-Auto-Response-Suppress, out-of-office subjects"

    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        if mail.values("x-autoreply") or mail.values("x-autorespond") or mail.values("x-autoresponder"):
            return True
        suppress = " ".join(mail.values("x-auto-response-suppress")).lower()
        if "all" in suppress or "autoreply" in suppress or "oof" in suppress:
            return True
        return bool(_AUTOREPLY_SUBJECT.match(mail.subject))


class OwnAddress(LoopRule):
    name = "own-address"
    description = "mail from our own address"

    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        return mail.sender is not None and mail.sender == from_address(config.outbound)


class LoopHeader(LoopRule):
    name = "loop-header"
    description = f"our loop header {LOOP_HEADER}"

    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        return bool(mail.values(LOOP_HEADER))


class NoSender(LoopRule):
    name = "no-sender"
    description = "From is not exactly one plain address: there is nobody to answer safely"
    hold = True

    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        return mail.sender is None


#: Every loop rule (the chain's table says in which order they run).
RULES: tuple[LoopRule, ...] = (
    LoopHeader(),
    OwnAddress(),
    AutoSubmitted(),
    Bounce(),
    MailingList(),
    Bulk(),
    AutoReply(),
    NoSender(),
)
UNITS = RULES


def any_hit(mail: ParsedMail, config: MailConfig) -> bool:
    """Whether any loop rule says "do not answer" (for a notice outside the chain's run)."""
    return any(rule.check(mail, config) for rule in RULES)
