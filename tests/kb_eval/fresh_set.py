"""The fresh evaluation set of issue 14 (tests/kb_eval/fresh): its items, and the split into a tuning
half and a frozen half.

The split is mechanical and decided per item, so adding items never moves an old one between halves:
an item belongs to the tuning half when the last byte of ``sha256(SPLIT_SALT + id)`` is even. The
items live physically in ``fresh/tune/`` and ``fresh/frozen/`` so that whoever tunes the matcher
never has to open the frozen files. New items go into ``fresh/<style>.yaml`` (same format) and
``python -m tests.kb_eval.fresh_set split`` moves each into its half.
"""

from __future__ import annotations

import argparse
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

FRESH = Path(__file__).parent / "fresh"
STYLES = ("chat", "mail", "near_miss")
HALVES = ("tune", "frozen")
# Chosen once, before anything was evaluated, as the first of "", "1", "2", ... that puts every
# style x language group between 40 % and 60 % tuning (see fresh/README.md); never change it.
SPLIT_SALT = "5"
FIELDS = frozenset(
    {"id", "lang", "expect", "text", "smalltalk", "closing", "escalate_part", "translit", "mixed", "note"}
)
LANGUAGES = ("lv", "ru", "en")
_ID = re.compile(r"^[cmn]-(lv|ru|en)-\d{3}$")
_ITEM_START = "- id:"


def half_of(item_id: str) -> str:
    """``tune`` or ``frozen``: the split rule, one item at a time."""
    digest = hashlib.sha256((SPLIT_SALT + item_id).encode("utf-8")).digest()
    return "tune" if digest[-1] % 2 == 0 else "frozen"


@dataclass(frozen=True, slots=True)
class Item:
    """One message: ``expect`` holds the entry and action ids a correct reply answers (none: out of
    scope); ``lang`` is the language the reply should be in (the question's own words)."""

    id: str
    style: str
    half: str
    lang: str
    expect: tuple[str, ...]
    text: str
    smalltalk: bool = False
    closing: bool = False
    escalate_part: bool = False  # mail: also holds a question the KB cannot answer
    translit: bool = False  # Russian typed in Latin letters
    mixed: bool = False  # Latvian and Russian in one message

    @property
    def in_scope(self) -> bool:
        return bool(self.expect)


def parse_item(raw: Any, style: str, half: str, where: str) -> Item:
    """One YAML mapping -> Item; a malformed item stops the run with the file it came from.
    ``half`` is where the item was found (a test checks it against :func:`half_of`)."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: an item must be a mapping, got {raw!r}")
    unknown = set(raw) - FIELDS
    item_id = str(raw.get("id", ""))
    if unknown:
        raise ValueError(f"{where}: {item_id}: unknown fields {sorted(unknown)}")
    if not _ID.match(item_id) or item_id[0] != style[0]:
        raise ValueError(f"{where}: bad id {item_id!r} for style {style}")
    lang, expect, text = raw.get("lang"), raw.get("expect"), raw.get("text")
    if lang not in LANGUAGES:
        raise ValueError(f"{where}: {item_id}: lang must be one of {LANGUAGES}")
    if not isinstance(expect, list) or not all(isinstance(e, str) for e in expect):
        raise ValueError(f"{where}: {item_id}: expect must be a list of ids")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where}: {item_id}: text is empty")
    return Item(
        id=item_id,
        style=style,
        half=half,
        lang=lang,
        expect=tuple(expect),
        text=text,
        smalltalk=bool(raw.get("smalltalk", False)),
        closing=bool(raw.get("closing", False)),
        escalate_part=bool(raw.get("escalate_part", False)),
        translit=bool(raw.get("translit", False)),
        mixed=bool(raw.get("mixed", False)),
    )


def read_items(path: Path, style: str, half: str = "") -> list[Item]:
    """The items of one file; ``half`` defaults to what the rule says (for unsplit files)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(raw, list):
        raise ValueError(f"{path}: the file must hold a YAML list")
    items = []
    for entry in raw:
        item_id = str(entry.get("id", "")) if isinstance(entry, dict) else ""
        items.append(parse_item(entry, style, half or half_of(item_id), str(path)))
    return items


def load_items(half: str | None = None, styles: tuple[str, ...] = STYLES, root: Path = FRESH) -> list[Item]:
    """The split items of ``half`` (both when None), in file order, tuning half first.

    Items of one half are read only from that half's directory: asking for the tuning half never
    opens a frozen file."""
    items: list[Item] = []
    for name in HALVES if half is None else (half,):
        for style in styles:
            path = root / name / f"{style}.yaml"
            if path.exists():
                items.extend(read_items(path, style, name))
    return items


def _chunks(source: str) -> tuple[str, list[tuple[str, str]]]:
    """(the file's leading comment, [(id, item text)]): each item is the lines from its ``- id:``
    up to the next item, section comment or the end, as written (block scalars kept)."""
    header: list[str] = []
    chunks: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for line in source.splitlines():
        if line.startswith(_ITEM_START):
            current = [line]
            chunks.append((line[len(_ITEM_START) :].strip().strip("'\""), current))
        elif line.startswith("#") or current is None:
            current = None
            if not chunks:
                header.append(line)
        else:
            current.append(line)
    lead = "\n".join(header).strip()
    return lead, [(item_id, "\n".join(lines).rstrip()) for item_id, lines in chunks]


def split_file(source: Path, style: str, root: Path = FRESH) -> dict[str, int]:
    """Move every item of ``source`` into ``root/<half>/<style>.yaml`` (appended, text kept as
    written) and delete ``source``; returns how many went to each half."""
    text = source.read_text(encoding="utf-8")
    expected = [item.id for item in read_items(source, style)]
    lead, chunks = _chunks(text)
    if [item_id for item_id, _ in chunks] != expected:
        raise ValueError(f"{source}: items must start at column 0 with '- id:' and nothing else")
    spaced = text.count("\n\n" + _ITEM_START) > len(chunks) // 2
    gap = "\n\n" if spaced else "\n"  # keep the file's spacing between items
    moved = {half: 0 for half in HALVES}
    for half in HALVES:
        mine = [chunk for item_id, chunk in chunks if half_of(item_id) == half]
        if not mine:
            continue
        target = root / half / f"{style}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            body = target.read_text(encoding="utf-8").rstrip("\n") + gap
        else:
            note = f"# The {half} half of the fresh {style} set: see tests/kb_eval/fresh/README.md."
            body = f"{note}\n{lead}\n\n" if lead else f"{note}\n\n"
        target.write_text(body + gap.join(mine) + "\n", encoding="utf-8")
        moved[half] = len(mine)
    for half in HALVES:  # the halves must hold exactly what the source held
        path = root / half / f"{style}.yaml"
        if path.exists():
            read_items(path, style, half)
    source.unlink()
    return moved


def main() -> None:
    parser = argparse.ArgumentParser(description="Move fresh/<style>.yaml items into their halves.")
    parser.add_argument("action", choices=("split",))
    parser.parse_args()
    for style in STYLES:
        source = FRESH / f"{style}.yaml"
        if source.exists():
            moved = split_file(source, style)
            print(f"{style}: {moved['tune']} to tune/, {moved['frozen']} to frozen/")


if __name__ == "__main__":
    main()
