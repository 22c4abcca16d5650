"""Replies rendered from jinja2 templates: a text part and an HTML part in the writer's language.

Texts a resident reads come from the ``helpdesk`` gettext catalog, where every resident text of
every channel lives, and the handlers' own (already translated) reply text; the templates only
arrange them and add the support signature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from helpdesk.i18n import gettext_for, normalize_language

TEMPLATES = Path(__file__).with_name("templates")


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def translator(language: str) -> Translator:
    return Translator(normalize_language(language))


@dataclass(frozen=True, slots=True)
class Translator:
    """``_`` for the mailbox's own texts and the templates, in one of our languages."""

    language: str

    def __call__(self, msgid: str) -> str:
        return gettext_for("helpdesk", self.language).gettext(msgid)


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    html: str


def render_body(
    body: str,
    *,
    language: str,
    options: Sequence[str] = (),
    unsubscribe_note: bool = False,
) -> Rendered:
    """Wrap a reply's text (already in ``language``) into our text and HTML mail bodies."""
    translate = translator(language)
    context = {
        "_": translate,
        "language": translate.language,
        "paragraphs": [part.strip() for part in body.strip().split("\n\n") if part.strip()],
        "options": list(options),
        "unsubscribe_note": unsubscribe_note,
    }
    environment = _environment()
    text = environment.get_template("reply.txt.j2").render(context)
    html = environment.get_template("reply.html.j2").render(context)
    return Rendered(text=text, html=html)
