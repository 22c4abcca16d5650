"""The blind evaluation sets of issue 14: their items, and the split of each into a tuning half and a
sealed half.

Five sets, one format and one rule (tests/kb_eval/fresh/README.md): ``fresh`` (tests/kb_eval/fresh,
halves ``tune`` and ``frozen``), ``dev`` (tests/kb_eval/dev, written later by other hands, halves
``tune`` and ``holdout``), ``probe`` (tests/kb_eval/probe, written after both had been tuned on,
halves ``tune`` and ``holdout2``) and ``field`` (tests/kb_eval/field, written at stop 21 by three
more hands, halves ``tune`` and ``holdout3``) and ``street`` (tests/kb_eval/street, written at stop 22
by three more, halves ``tune`` and ``holdout4``). The split is mechanical and decided per item, so adding
items never moves an old one between halves: an item belongs to the tuning half when the last byte of
``sha256(salt + id)`` is even, with the set's own salt (:func:`choose_salt`). The items live
physically in ``<root>/tune/`` and ``<root>/<sealed>/`` so that whoever tunes the matcher never has
to open a sealed file. New items go into ``<root>/<style>.yaml`` (same format) and
``python -m tests.kb_eval.fresh_set split [--set dev]`` moves each into its half.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

FRESH = Path(__file__).parent / "fresh"
DEV = Path(__file__).parent / "dev"
PROBE = Path(__file__).parent / "probe"
FIELD = Path(__file__).parent / "field"
STREET = Path(__file__).parent / "street"
STYLES = ("chat", "mail", "near_miss")
TUNE = "tune"
HALVES = (TUNE, "frozen")  # the fresh set's
# Chosen once, before anything was evaluated, as the first of "", "1", "2", ... that puts every
# style x language group between 40 % and 60 % tuning (see fresh/README.md); never change it.
SPLIT_SALT = "5"
FIELDS = frozenset(
    {"id", "lang", "expect", "text", "smalltalk", "closing", "escalate_part", "translit", "mixed", "note"}
)
LANGUAGES = ("lv", "ru", "en")
_ID = re.compile(r"^([a-z]?)([cmn])-(lv|ru|en)-\d{3}$")
_ITEM_START = "- id:"
SALT_SHARE = (0.4, 0.6)  # every style x language group's tuning share, bounds included


def _even(salt: str, item_id: str) -> bool:
    return hashlib.sha256((salt + item_id).encode("utf-8")).digest()[-1] % 2 == 0


@dataclass(frozen=True, slots=True)
class EvalSet:
    """One blind set: where it lives, its split salt, the name of its sealed half (never opened
    while tuning, only its aggregates printed) and the letter its ids start with ("d" in dc-lv-001)."""

    name: str
    root: Path
    salt: str
    sealed: str
    prefix: str = ""

    @property
    def halves(self) -> tuple[str, str]:
        return (TUNE, self.sealed)

    def half_of(self, item_id: str) -> str:
        """The split rule, one item at a time."""
        return TUNE if _even(self.salt, item_id) else self.sealed


FRESH_SET = EvalSet("fresh", FRESH, SPLIT_SALT, "frozen")
# Chosen by choose_salt over the dev items' ids, styles and languages before any was evaluated.
DEV_SET = EvalSet("dev", DEV, "1", "holdout", prefix="d")
# Chosen the same way over the probe items, after they were committed and before any was evaluated.
PROBE_SET = EvalSet("probe", PROBE, "43", "holdout2", prefix="p")
# Chosen the same way over the field items (their styles and languages), after they were committed and
# before any was evaluated.
FIELD_SET = EvalSet("field", FIELD, "2", "holdout3", prefix="f")
# Chosen the same way over the street items, after they were committed and before any was evaluated.
STREET_SET = EvalSet("street", STREET, "3", "holdout4", prefix="s")
SETS = {evalset.name: evalset for evalset in (FRESH_SET, DEV_SET, PROBE_SET, FIELD_SET, STREET_SET)}
SEALED = frozenset(evalset.sealed for evalset in SETS.values())
# The sets whose tuning halves the shipped matcher, KB, decision rule and confidence model were tuned
# on before the probe set existed: calibration and the floors stay on them, and ``--set fresh,dev``
# keeps the earlier pooled figures comparable.
TUNED_ON = ("fresh", "dev")
ALL_SETS = "all"


def select(names: str) -> list[EvalSet]:
    """The sets a ``--set`` value names: one name, ``all``, or names joined by commas
    (``fresh,dev``), in SETS order; an unknown name is an error that lists the known ones."""
    if names == ALL_SETS:
        return list(SETS.values())
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [name for name in wanted if name not in SETS]
    if unknown or not wanted:
        known = ", ".join(SETS)
        raise ValueError(f"unknown set {names!r}: use {ALL_SETS} or some of {known}, joined by commas")
    return [evalset for name, evalset in SETS.items() if name in wanted]


def half_of(item_id: str) -> str:
    """``tune`` or ``frozen``: the fresh set's split rule, one item at a time."""
    return FRESH_SET.half_of(item_id)


def choose_salt(groups: Iterable[tuple[str, str, str]]) -> str:
    """The first of "", "1", "2", ... that puts every (style, language) group of ``groups``
    ((style, language, id) triples: no text is needed) between 40 % and 60 % tuning."""
    by_group: dict[tuple[str, str], list[str]] = {}
    for style, language, item_id in groups:
        by_group.setdefault((style, language), []).append(item_id)
    low, high = SALT_SHARE
    for number in itertools.count():
        salt = str(number) if number else ""
        shares = [sum(_even(salt, i) for i in ids) / len(ids) for ids in by_group.values()]
        if all(low <= share <= high for share in shares):
            return salt
    raise AssertionError("unreachable")


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
    evalset: str = "fresh"  # which set it comes from (SETS)

    @property
    def in_scope(self) -> bool:
        return bool(self.expect)


def parse_item(raw: Any, style: str, half: str, where: str, evalset: EvalSet = FRESH_SET) -> Item:
    """One YAML mapping -> Item; a malformed item stops the run with the file it came from.
    ``half`` is where the item was found (a test checks it against :meth:`EvalSet.half_of`)."""
    if not isinstance(raw, dict):
        raise ValueError(f"{where}: an item must be a mapping, got {raw!r}")
    unknown = set(raw) - FIELDS
    item_id = str(raw.get("id", ""))
    if unknown:
        raise ValueError(f"{where}: {item_id}: unknown fields {sorted(unknown)}")
    found = _ID.match(item_id)
    if not found or found.group(1) != evalset.prefix or found.group(2) != style[0]:
        raise ValueError(f"{where}: bad id {item_id!r} for style {style} of the {evalset.name} set")
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
        evalset=evalset.name,
    )


def read_items(path: Path, style: str, half: str = "", evalset: EvalSet = FRESH_SET) -> list[Item]:
    """The items of one file; ``half`` defaults to what the rule says (for unsplit files)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(raw, list):
        raise ValueError(f"{path}: the file must hold a YAML list")
    items = []
    for entry in raw:
        item_id = str(entry.get("id", "")) if isinstance(entry, dict) else ""
        items.append(parse_item(entry, style, half or evalset.half_of(item_id), str(path), evalset))
    return items


def load_items(
    half: str | None = None,
    styles: tuple[str, ...] = STYLES,
    root: Path | None = None,
    evalset: EvalSet = FRESH_SET,
) -> list[Item]:
    """The split items of ``half`` (both when None) of one set, in file order, tuning half first;
    ``root`` stands in for the set's directory (tests).

    Items of one half are read only from that half's directory: asking for the tuning half never
    opens a sealed file."""
    items: list[Item] = []
    for name in evalset.halves if half is None else (half,):
        for style in styles:
            path = (root or evalset.root) / name / f"{style}.yaml"
            if path.exists():
                items.extend(read_items(path, style, name, evalset))
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


def split_file(
    source: Path, style: str, root: Path | None = None, evalset: EvalSet = FRESH_SET
) -> dict[str, int]:
    """Move every item of ``source`` into ``<root>/<half>/<style>.yaml`` (appended, text kept as
    written) and delete ``source``; returns how many went to each half."""
    root = root or evalset.root
    text = source.read_text(encoding="utf-8")
    before = read_items(source, style, evalset=evalset)
    expected = [item.id for item in before]
    lead, chunks = _chunks(text)
    if [item_id for item_id, _ in chunks] != expected:
        raise ValueError(f"{source}: items must start at column 0 with '- id:' and nothing else")
    spaced = text.count("\n\n" + _ITEM_START) > len(chunks) // 2
    gap = "\n\n" if spaced else "\n"  # keep the file's spacing between items
    moved = {half: 0 for half in evalset.halves}
    kept = {item.id: item for half in evalset.halves for item in load_items(half, (style,), root, evalset)}
    for half in evalset.halves:
        mine = [chunk for item_id, chunk in chunks if evalset.half_of(item_id) == half]
        if not mine:
            continue
        target = root / half / f"{style}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            body = target.read_text(encoding="utf-8").rstrip("\n") + gap
        else:
            note = f"# The {half} half of the {evalset.name} {style} set: see tests/kb_eval/fresh/README.md."
            body = f"{note}\n{lead}\n\n" if lead else f"{note}\n\n"
        target.write_text(body + gap.join(mine) + "\n", encoding="utf-8")
        moved[half] = len(mine)
    # The halves must hold exactly what they held and what the source held, item for item.
    after = {item.id: item for half in evalset.halves for item in load_items(half, (style,), root, evalset)}
    wanted = kept | {item.id: replace(item, half=evalset.half_of(item.id)) for item in before}
    if after != wanted or len(kept) + len(before) != len(after):
        raise ValueError(f"{source}: the halves do not hold exactly the items moved; nothing deleted")
    source.unlink()
    return moved


def main() -> None:
    parser = argparse.ArgumentParser(description="Move <set>/<style>.yaml items into their halves.")
    parser.add_argument("action", choices=("split",))
    parser.add_argument("--set", choices=tuple(SETS), default=FRESH_SET.name, dest="evalset")
    evalset = SETS[parser.parse_args().evalset]
    for style in STYLES:
        source = evalset.root / f"{style}.yaml"
        if source.exists():
            moved = split_file(source, style, evalset=evalset)
            print(f"{style}: " + ", ".join(f"{n} to {half}/" for half, n in moved.items()))


if __name__ == "__main__":
    main()
