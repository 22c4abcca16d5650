"""What casework writes to residents (notices, the export's texts) comes from the resident catalog.

The ``helpdesk`` domain is the one catalog of everything a resident reads, in Latvian, Russian and
English; the agents' pages have their own (``console``). A stored code (a channel, a request kind,
an audit action) is shown through :func:`labeller`, which the console's pages use as well.
"""

from __future__ import annotations

from collections.abc import Callable

from helpdesk.i18n import gettext_for
from helpdesk.storage.models.requests import RequestKind

DOMAIN = "helpdesk"


def resident_gettext(language: str) -> Callable[[str], str]:
    return gettext_for(DOMAIN, language).gettext


def reply_title(kind: str, item_id: int, language: str) -> str:
    """What an agent's reply is about, as its first line and its e-mail subject: "Re: your question
    #12", in ``language``, so the resident knows which of their messages it answers."""
    _ = resident_gettext(language)
    titles = {
        RequestKind.QUESTION: _("Re: your question {ref}"),
        RequestKind.ACCESS: _("Re: your request for a copy of your data {ref}"),
        RequestKind.CORRECTION: _("Re: your request to correct your data {ref}"),
    }
    return titles.get(RequestKind(kind), _("Re: your message {ref}")).format(ref=f"#{item_id}")


def labeller(_: Callable[[str], str]) -> Callable[[str, str | None], str]:
    """``label("channel", "email")``: the catalog's word for a stored code, else the code itself
    (audit actions and how-verified notes also come from other parts and may be new)."""

    def label(prefix: str, value: str | None) -> str:
        if not value:
            return ""
        key = f"{prefix}:{value}"
        text = _(key)
        return value if text == key else text

    return label
