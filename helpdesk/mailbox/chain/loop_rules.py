"""Loop protection: one small named unit per reason not to answer (RFC 3834 and what Mailman and
Zammad learned). Each is a name in the chain's table; the first that matches ends the chain as
``skipped:<name>``: the mail is filed (processed folder) but gets no automatic answer. A rule that
``hold``s sends the mail to a person instead (the quarantine folder and the queue).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from email.utils import getaddresses

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


#: How mail systems name themselves on a bounce (sendmail and Google "Mail Delivery Subsystem",
#: Postfix "Mail Delivery System", Exim and qmail "MAILER-DAEMON", Exchange "postmaster").
_MAIL_SYSTEM = re.compile(
    r"^(mail delivery (subsystem|system|service)|mailer[- ]daemon|mail administrator|postmaster)\b",
    re.IGNORECASE,
)
#: What a bounce carries: the returned mail or its headers, and the delivery report (RFC 3464, 6533).
_RETURNED = frozenset(
    {
        "message/rfc822",
        "message/global",
        "text/rfc822-headers",
        "message/global-headers",
        "message/delivery-status",
        "message/global-delivery-status",
    }
)


def _display_names(mail: ParsedMail, header: str) -> list[str]:
    return [name.strip() for name, _address in getaddresses(list(mail.values(header)))]


class Bounce(LoopRule):
    name = "bounce"
    description = "delivery reports (RFC 3464), MAILER-DAEMON, empty Return-Path, a returned mail"

    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        if mail.content_type == "multipart/report":
            return True
        if any(value.strip() in ("<>", "") for value in mail.values("return-path")):
            return True
        if mail.sender and _DAEMONS.match(mail.sender.partition("@")[0]):
            return True
        # A bounce without the report format (older sendmail, many appliances): a mail system's
        # name on a mail that returns another one. Either alone is not enough: a person may
        # forward a mail, and a name is only a name.
        returned = bool(mail.part_types & _RETURNED)
        return returned and any(_MAIL_SYSTEM.match(name) for name in _display_names(mail, "from"))


_LIST_HEADERS = ("list-id", "list-unsubscribe", "list-post", "list-help", "list-subscribe", "list-owner")
#: Headers list managers add even without List-*: Mailman 2 (X-Mailman-Version, X-BeenThere,
#: X-List-Administrivia), ezmlm (Mailing-List), SmartList and vger (X-Mailing-List).
_LIST_MANAGER_HEADERS = (
    "x-mailman-version",
    "x-beenthere",
    "x-list-administrivia",
    "mailing-list",
    "x-mailing-list",
)
#: A list's own addresses (RFC 2142 section 6: LIST-request; majordomo owner-LIST; Mailman
#: LIST-owner and LIST-bounces, with VERP's +suffix): only list software writes from them.
_LIST_ADDRESS = re.compile(r"^(owner-.+|.+-(request|owner|bounces)(\+.*)?)$")


class MailingList(LoopRule):
    name = "mailing-list"
    description = "List-* headers (RFC 2369, RFC 2919), a list manager's headers, a list's own address"

    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        if any(mail.values(name) for name in (*_LIST_HEADERS, *_LIST_MANAGER_HEADERS)):
            return True
        senders = [mail.sender or "", *(address for _n, address in getaddresses(list(mail.values("sender"))))]
        return any(_LIST_ADDRESS.match(address.lower().partition("@")[0]) for address in senders if address)


class Digest(LoopRule):
    name = "digest"
    description = "a digest of other mails (multipart/digest, RFC 2046 section 5.1.5), as lists send them"

    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        return "multipart/digest" in mail.part_types


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


_GROUP = re.compile(r":\s*;")


class HiddenRecipients(LoopRule):
    name = "hidden-recipients"
    description = "To and Cc hold only an empty group (undisclosed-recipients:;): a person reads it"
    # A broadcast to hidden recipients (an announcement list, a newsletter) is not a question to
    # us, but a person writing to neighbours with us in Bcc looks the same: nothing automatic
    # answers, and a person decides.
    hold = True

    def check(self, mail: ParsedMail, config: MailConfig) -> bool:
        values = [*mail.values("to"), *mail.values("cc")]
        if not values or not any(_GROUP.search(value) for value in values):
            return False
        return not any(address for _name, address in getaddresses(values))


#: Every loop rule (the chain's table says in which order they run).
RULES: tuple[LoopRule, ...] = (
    LoopHeader(),
    OwnAddress(),
    AutoSubmitted(),
    Bounce(),
    MailingList(),
    Digest(),
    Bulk(),
    AutoReply(),
    NoSender(),
    HiddenRecipients(),
)
UNITS = RULES


def any_hit(mail: ParsedMail, config: MailConfig) -> bool:
    """Whether any loop rule says "do not answer" (for a notice outside the chain's run)."""
    return any(rule.check(mail, config) for rule in RULES)
