"""The README is a short door into docs/: its two commands exist, it lists every command, it stays
short, and no link in it or in docs/ leads nowhere (docs/settings.md: tests/test_settings_docs.py)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from helpdesk.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
README_MAX_LINES = 150

# Pages another branch writes; a link to one passes until it lands, then this entry must go.
WRITTEN_ELSEWHERE: set[Path] = set()

_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def _table_rows(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]


def test_every_command_is_in_the_command_table() -> None:
    parser = build_parser()
    subparsers = next(action for action in parser._actions if action.dest == "command")
    names = set(subparsers.choices or ())
    rows = "\n".join(row for row in _table_rows(README) if row.startswith("| `helpdesk "))
    missing = sorted(name for name in names if f"helpdesk {name}" not in rows and f"` / `{name}" not in rows)
    assert not missing, f"commands missing from the README table: {missing}"


def test_the_two_commands_exist() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("demo:", "test:", "lint:"):
        assert re.search(rf"^{target}", makefile, re.MULTILINE), target
    assert "scripts/test-services.sh" in makefile
    ci = ROOT / ".ci" / "run"
    assert ci.stat().st_mode & 0o111 and "make test" in ci.read_text(encoding="utf-8")


def test_the_readme_is_a_door() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= README_MAX_LINES, f"README.md has {len(lines)} lines; detail belongs in docs/"


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip()).lower()
    kept = "".join(c for c in text if c in " -_" or unicodedata.category(c)[0] in "LN")
    return kept.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = _FENCE.sub("", page.read_text(encoding="utf-8"))
    return {_anchor(match.group(1)) for match in re.finditer(r"^#{1,6} +(.+?) *#*$", text, re.MULTILINE)}


def _pages() -> list[Path]:
    return [README, ROOT / "benchmarks" / "README.md", *sorted(DOCS.glob("*.md"))]


def test_every_relative_link_leads_somewhere() -> None:
    broken: list[str] = []
    for page in _pages():
        text = _FENCE.sub("", page.read_text(encoding="utf-8"))
        for target in _LINK.findall(text):
            if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:: not ours to check
                continue
            path_part, _, anchor = target.partition("#")
            linked = (page.parent / path_part).resolve() if path_part else page
            where = f"{page.relative_to(ROOT)}: {target}"
            if linked in WRITTEN_ELSEWHERE and not linked.exists():
                continue
            if not linked.exists():
                broken.append(f"{where} (no such file)")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                broken.append(f"{where} (no such heading)")
    assert not broken, "links that lead nowhere:\n" + "\n".join(broken)


def test_pages_written_elsewhere_are_still_missing() -> None:
    landed = sorted(str(page.relative_to(ROOT)) for page in WRITTEN_ELSEWHERE if page.exists())
    assert not landed, f"{landed} exist now: remove them from WRITTEN_ELSEWHERE in this test"
