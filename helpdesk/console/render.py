"""Rendering pages: one jinja2 environment (autoescaped), per-request language and CSRF token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web
from markupsafe import Markup

from helpdesk.casework.texts import labeller
from helpdesk.console import keys
from helpdesk.console.conversation import Shown, shown
from helpdesk.console.session import Session, csrf_token, derive_key
from helpdesk.console.texts import console_language, due_today, gettext, local_in, relative
from helpdesk.storage.models.agents import Agent

TEMPLATE_DIR = Path(__file__).with_name("templates")


@cache
def build_environment() -> jinja2.Environment:
    """One environment per process, shared by every console app in it: the templates and filters do
    not depend on an app's settings, and jinja2 compiles a template once per environment (a new one
    per app compiled its pages again: some 35 ms of CPU for each console test)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        # Everything a resident wrote reaches a page through here: autoescape is what keeps a
        # <script> in a mail body inert.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["local"] = _local
    environment.filters["relative"] = _relative
    environment.filters["email"] = email_address
    environment.globals["due_today"] = due_today
    environment.globals["shown"] = _shown
    return environment


def email_address(address: str | None) -> Markup:
    """``{{ address|email }}``: escaped, in two parts that wrap apart (``olga.smirnova`` |
    ``@example.lv``), each with a line-break opportunity before its dots, so a long address wraps
    where a reader expects, never mid-word unless one word alone is wider than the column."""
    if not address:
        return Markup("")
    local, at, domain = address.partition("@")

    def part(text: str) -> Markup:
        return Markup('<span class="part">{}</span>').format(Markup("<wbr>.").join(text.split(".")))

    inner = part(local) + (Markup("<wbr>") + part(at + domain) if at else Markup(""))
    return Markup('<span class="email">{}</span>').format(inner)


@jinja2.pass_context
def _shown(context: jinja2.runtime.Context, message: Any) -> Shown:
    """``{% set m = shown(message) %}``: a pressed button by its name in the page's language."""
    return shown(message, context["label"])


@jinja2.pass_context
def _local(context: jinja2.runtime.Context, moment: datetime | str | None) -> str:
    """``{{ item.deadline_at|local }}``: Riga time in the page's language. An ISO 8601 string is
    read first: times kept in an item's JSON ``details`` are stored that way."""
    if isinstance(moment, str):
        try:
            return local_in(datetime.fromisoformat(moment), context.get("lang", "lv"))
        except ValueError:
            return moment
    return local_in(moment, context.get("lang", "lv"))


@jinja2.pass_context
def _relative(context: jinja2.runtime.Context, moment: datetime) -> str:
    """``{{ item.deadline_at|relative }}``: "in 5 hours", "9 days ago", from the console's clock."""
    return relative(moment, context["now"], context.get("lang", "lv"))


def language_of(request: web.Request) -> str:
    session: Session | None = request.get(keys.SESSION)
    agent: Agent | None = request.get(keys.AGENT)
    if session is not None and session.language:
        return console_language(session.language)
    if agent is not None:
        return console_language(agent.language)
    return console_language(request.headers.get("Accept-Language", "lv")[:2])


def translator(request: web.Request) -> Any:
    return gettext(language_of(request))


# Who else writes the audit log: the components, named as the agents know them.
_COMPONENTS = {
    "bot": "helpdesk bot",
    "system": "the system",
    "mailbox": "the mailbox",
    "cli": "the command line",
}
# An unidentified sender is named by the channel they wrote on (``email:someone@…``,
# ``chat:chat:guest``): their address is on the item, not needed in every row of its trail.
_SENDER_CHANNELS = ("telegram", "email", "chat", "console")


def actor_names(names: dict[int, str], _: Callable[[str], str]) -> Callable[[str], str]:
    """An audit or message author for the page: the agent's name, never a bare ``agent:7``, and a
    sender by the channel they wrote on, never ``chat:chat:guest``."""
    label = labeller(_)

    def who(actor: str) -> str:
        kind, _sep, ident = actor.partition(":")
        if kind == "agent" and ident.isdigit() and int(ident) in names:
            return names[int(ident)]
        if kind == "resident":
            return _("resident")
        if kind in _SENDER_CHANNELS:
            return _("unidentified sender ({channel})").format(channel=label("channel", kind))
        if kind == "api":
            return _("portal API")
        if actor in _COMPONENTS:
            return _(_COMPONENTS[actor])
        return actor

    return who


def page(
    request: web.Request, template: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> web.Response:
    environment = request.app[keys.TEMPLATES]
    session: Session | None = request.get(keys.SESSION)
    token = ""
    if session is not None:
        token = csrf_token(derive_key(request.app[keys.SESSION_KEY], "csrf"), session)
    _ = translator(request)
    values: dict[str, Any] = {
        "_": _,
        "label": labeller(_),
        "lang": language_of(request),
        "agent": request.get(keys.AGENT),
        "csrf": token,
        "path": request.path_qs,
        "badge": request.get(keys.BADGE, 0),
        # Deadlines read "in 5 hours" and "due today" against the same clock the views use.
        "now": request.app[keys.SERVICES].clock(),
    }
    values.update(context or {})
    body = environment.get_template(template).render(values)
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def message_page(request: web.Request, title: str, text: str, *, status: int) -> web.Response:
    return page(request, "message.html", {"title": title, "text": text}, status=status)
