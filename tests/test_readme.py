"""The README documents every setting and every command, and its two commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from helpdesk.cli import build_parser
from helpdesk.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _table_rows() -> list[str]:
    return [line for line in README.splitlines() if line.startswith("| `")]


def test_every_setting_is_in_the_settings_table() -> None:
    documented = {
        match.group(1)
        for row in _table_rows()
        for match in [re.match(r"\| `HELPDESK_([A-Z0-9_]+)`", row)]
        if match
    }
    expected = {name.upper() for name in Settings.model_fields}
    missing = sorted(expected - documented)
    assert not missing, f"settings missing from the README table: {missing}"
    unknown = sorted(documented - expected)
    assert not unknown, f"README documents settings that do not exist: {unknown}"


def test_every_command_is_in_the_command_table() -> None:
    parser = build_parser()
    subparsers = next(action for action in parser._actions if action.dest == "command")
    names = set(subparsers.choices or ())
    rows = "\n".join(row for row in _table_rows() if row.startswith("| `helpdesk "))
    missing = sorted(name for name in names if f"helpdesk {name}" not in rows and f"` / `{name}" not in rows)
    assert not missing, f"commands missing from the README table: {missing}"


def test_the_two_commands_exist() -> None:
    assert "make demo" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo:", "test:", "lint:"):
        assert re.search(rf"^{target}", makefile, re.MULTILINE), target
    assert "scripts/test-services.sh" in makefile
    ci = ROOT / ".ci" / "run"
    assert ci.stat().st_mode & 0o111 and "make test" in ci.read_text(encoding="utf-8")
