"""Who wrote this mail: :func:`helpdesk.handlers.identify.by_address` (the one rule for a sender
known by an address), with our MTA's verdict as the proof.

``From:`` alone is trivially forged, so the trusted Authentication-Results header (RFC 8601) from
``HELPDESK_TRUSTED_AUTHSERV_ID`` decides, and only a pass aligned with ``From:`` proves the address:
a DMARC pass (RFC 7489), or a DKIM pass whose signing domain is the ``From:`` domain or its
organisational domain (the Public Suffix List's registrable domain). "No failure" is not proof:
``dmarc=none``, a ``temperror`` or a header without results leave the writer unidentified, and
any DMARC verdict other than a pass (or ``none``) disqualifies whatever else passed. Headers from
any other authserv-id are ignored, since anyone can write them; the MTA must remove the ones that
claim its own (RFC 8601 section 5, docs/email.md).

Without the setting nothing proves the address: the resident whose record holds it is named, and
:func:`~helpdesk.handlers.identify.by_address` marks the identity unproven (see there for what an
unproven address may still do).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from publicsuffixlist import PublicSuffixList

from helpdesk.handlers.identify import by_address
from helpdesk.mailbox import authresults
from helpdesk.mailbox.chain.base import Decision, Incoming
from helpdesk.mailbox.parsing import ParsedMail
from helpdesk.settings import MailboxSettings

log = logging.getLogger(__name__)

NO_TRUSTED_RESULTS = "no trusted authentication results"
UNALIGNED = "no pass aligned with From"
#: What the operator reads once at start-up when no MTA verdict is trusted (no personal data).
UNVERIFIED_WARNING = (
    "HELPDESK_TRUSTED_AUTHSERV_ID is not set: the From: address of incoming mail is not verified, so "
    "e-mail cannot withdraw news consent and is never proof of identity (docs/email.md)"
)


@dataclass(frozen=True, slots=True)
class _Result:
    method: str
    result: str
    properties: dict[str, str]


@cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list the package ships: read once, never fetched


def organisational_domain(domain: str) -> str:
    """The registrable domain (``mail.example.lv`` -> ``example.lv``); a public suffix is its own."""
    return _suffixes().privatesuffix(domain) or domain


def _ours(mail: ParsedMail, trusted: str) -> list[_Result] | None:
    """The method results of every Authentication-Results header our MTA wrote, None without one."""
    found: list[_Result] | None = None
    for value in mail.values("authentication-results"):
        if value.split(";", 1)[0].strip().lower().split()[:1] != [trusted]:  # a name: any case
            continue
        found = found if found is not None else []
        found.extend(_results(value))
    return found


def _results(value: str) -> list[_Result]:
    """The method results of one header; none from one authres cannot read (no proof in it)."""
    try:
        header = authresults.parse_value(value)
    except Exception:  # authres raises its own SyntaxError, and others on garbage
        return []
    return [
        _Result(
            str(item.method).lower(),
            str(item.result).lower(),
            {f"{p.type}.{p.name}".lower(): str(p.value).lower() for p in item.properties},
        )
        for item in header.results
    ]


def _signing_domain(result: _Result) -> str:
    """DKIM's d=, or the domain of i= when only that is reported (i= is d= or below it)."""
    return result.properties.get("header.d") or result.properties.get("header.i", "").rpartition("@")[2]


def _aligned(result: _Result, domain: str) -> bool:
    if result.result != "pass":
        return False
    if result.method == "dmarc":
        reported = result.properties.get("header.from")
        return reported is None or reported == domain
    if result.method == "dkim":
        return _signing_domain(result) in {domain, organisational_domain(domain)}
    return False


def authentication_failure(mail: ParsedMail, settings: MailboxSettings, sender: str) -> str | None:
    """Why our MTA's Authentication-Results do not prove ``sender`` (the From address), or None when
    they hold a pass aligned with it. Without a trusted authserv-id there is no verdict: None, and
    the caller knows the address is unproven."""
    trusted = (settings.trusted_authserv_id or "").strip().lower()
    if not trusted:
        return None
    results = _ours(mail, trusted)
    if results is None:
        return NO_TRUSTED_RESULTS
    domain = sender.rpartition("@")[2].lower()
    refused = next((r for r in results if r.method == "dmarc" and r.result not in ("pass", "none")), None)
    # DMARC's verdicts first: a pass there decides without the Public Suffix List that DKIM's needs
    # (reading the list costs 0.1 s of CPU, once per process).
    by_dmarc = sorted(results, key=lambda r: r.method != "dmarc")
    if refused is None and any(_aligned(result, domain) for result in by_dmarc):
        return None
    first = next((r for r in results if r.result != "pass"), None)
    return f"{first.method}={first.result}" if first is not None else UNALIGNED


class Identity:
    name = "identity"
    description = "the resident whose record holds the sender's address, if our MTA proved the address"

    async def act(self, incoming: Incoming) -> Decision | None:
        on_record = incoming.batch.residents.get(incoming.sender, ())
        if not (incoming.config.inbound.trusted_authserv_id or "").strip():
            incoming.who = by_address(on_record, None, checked=False)
            return None
        failure = authentication_failure(incoming.mail, incoming.config.inbound, incoming.sender)
        incoming.who = by_address(on_record, failure)
        return None


def warn_if_unverified(settings: MailboxSettings) -> None:
    """One line at start-up when From: cannot be verified (the operator's configuration, no mail's)."""
    if not (settings.trusted_authserv_id or "").strip():
        log.warning(UNVERIFIED_WARNING)


UNITS = (Identity(),)
