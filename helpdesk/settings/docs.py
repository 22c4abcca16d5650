"""Writes ``docs/settings.md`` from the settings model:
``python -m helpdesk.settings.docs > docs/settings.md``.

One section per group (its title and docstring), one row per setting: the ``HELPDESK_*`` name, the
default, and the field's description. ``tests/test_settings_docs.py`` fails when the committed page
and this output differ, so a setting is documented where it is declared and nowhere else.
"""

from __future__ import annotations

import inspect
import sys
from enum import Enum
from pathlib import PurePath

from pydantic.fields import FieldInfo

from helpdesk.settings import group_classes
from helpdesk.settings.groups import Group

INTRODUCTION = """\
# Settings

<!-- Generated from helpdesk/settings/ by `python -m helpdesk.settings.docs > docs/settings.md`;
edit the descriptions there, not here. -->

Every setting of the helpdesk, with its default, grouped by the component that reads it. Settings
come from the environment or a `.env` file in the working directory; every name has the prefix
`HELPDESK_`. An empty value (`HELPDESK_WEBHOOK_URL=`) counts as not set. A wrong value stops a
command with one line naming the setting (exit status 2). Which settings are secrets, and how to
pass them as files: [operations.md](operations.md#secrets).
"""


def default_text(field: FieldInfo) -> str:
    """The default as an operator would write it; "—" for "not set"."""
    value = field.get_default(call_default_factory=True)
    if value is None or value == ():
        return "—"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, PurePath):
        value = value.as_posix()
    return f"`{value}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def section(title: str, cls: type[Group]) -> list[str]:
    lines = [f"## {title}", "", inspect.cleandoc(cls.__doc__ or ""), ""]
    lines += ["| setting | default | meaning |", "|---|---|---|"]
    for name, field in cls.model_fields.items():
        if not field.description:
            raise ValueError(f"HELPDESK_{name.upper()} has no description")
        lines.append(f"| `HELPDESK_{name.upper()}` | {default_text(field)} | {_cell(field.description)} |")
    return [*lines, ""]


def render() -> str:
    lines = [INTRODUCTION]
    for cls in group_classes().values():
        lines += section(str(cls.model_config.get("title")), cls)
    return "\n".join(lines).rstrip("\n") + "\n"


def main() -> int:
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
