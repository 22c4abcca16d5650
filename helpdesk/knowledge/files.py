"""Reading knowledge-base YAML files, and every complaint about them as ``file:line: message``.

Two places hold entries: the shipped ``data/`` directory (every entry in lv, ru and en) and the
operator's local directory (``HELPDESK_KB_EXTRA_DIR``: agents' additions, which may exist in one
language only, and ``placeholders.yaml`` with the facts only the property manager knows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _FastSafeLoader
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeLoader as _FastSafeLoader  # type: ignore[assignment]

from helpdesk.core.matching import ACTION_ALIASES
from helpdesk.core.types import Action
from helpdesk.knowledge.model import (
    ACTION_PREFIX,
    CONVERSATION_FACTS,
    LANGUAGES,
    PLACEHOLDER,
    TITLE_MAX,
    Entry,
    KnowledgeBase,
    Localized,
)

SHIPPED_DIR = Path(__file__).parent / "data"
PLACEHOLDERS_FILE = "placeholders.yaml"
SYNONYMS_FILE = "synonyms.yaml"
ACTION_IDS = frozenset(
    {*(str(action) for action in Action if str(action).startswith(ACTION_PREFIX)), *ACTION_ALIASES}
)
_ENTRY_KEYS = frozenset({"id", *LANGUAGES})
_LOCALIZED_KEYS = frozenset({"title", "body", "phrasings"})


@dataclass(frozen=True, slots=True)
class Problem:
    path: Path
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


class _Map(dict[Any, Any]):
    """A YAML mapping that remembers where it and each of its keys were written."""

    line = 0
    key_lines: dict[Any, int]


class _Seq(list[Any]):
    line = 0
    item_lines: list[int]


class _Loader(_FastSafeLoader):
    """libyaml's parser: it reads the shipped KB in a sixth of the pure-Python parser's time, which
    every process that answers residents (and every ``helpdesk`` command) pays at startup."""


class _ExplainingLoader(yaml.SafeLoader):
    """The pure-Python parser, for a file libyaml refused: its messages name the offending
    character (``found character '@' that cannot start any token``), libyaml's do not."""


def _construct_map(loader: yaml.SafeLoader | _Loader, node: yaml.MappingNode) -> _Map:
    loader.flatten_mapping(node)
    result = _Map()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool) and key is not None:
            key = str(key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_seq(loader: yaml.SafeLoader | _Loader, node: yaml.SequenceNode) -> _Seq:
    result = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


for _loader in (_Loader, _ExplainingLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def _read(path: Path, problems: list[Problem]) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(path, 1, f"cannot read the file: {exc}"))
        return None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a CSafeLoader subclass
    except yaml.YAMLError:
        pass
    try:  # the same file again, for the message a person can act on
        return yaml.load(text, Loader=_ExplainingLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problems.append(Problem(path, line, f"not valid YAML: {exc.problem or exc}"))
    except yaml.YAMLError as exc:
        problems.append(Problem(path, 1, f"not valid YAML: {exc}"))
    return None


def _line(mapping: Any, key: str) -> int:
    if isinstance(mapping, _Map):
        return mapping.key_lines.get(key, mapping.line)
    return 1


def _localized(path: Path, entry_id: str, raw: Any, line: int, problems: list[Problem]) -> Localized | None:
    if not isinstance(raw, dict):
        problems.append(
            Problem(path, line, f"{entry_id}: a language must be a mapping of title/body/phrasings")
        )
        return None
    for unknown in sorted(set(map(str, raw)) - _LOCALIZED_KEYS):
        problems.append(Problem(path, _line(raw, unknown), f"{entry_id}: unknown field {unknown!r}"))
    is_action = entry_id.startswith(ACTION_PREFIX)
    texts: dict[str, str] = {}
    for name in ("title", "body"):
        value = raw.get(name)
        if value is None and is_action:
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(Problem(path, _line(raw, name), f"{entry_id}: {name} must be non-empty text"))
            continue
        texts[name] = value.strip()
    title = texts.get("title", "")
    if len(title) > TITLE_MAX:
        problems.append(
            Problem(
                path,
                _line(raw, "title"),
                f"{entry_id}: title {title!r} has {len(title)} characters; as a button a phone shows "
                f"about {TITLE_MAX}",
                warning=True,
            )
        )
    phrasings = raw.get("phrasings")
    cleaned: list[str] = []
    if not isinstance(phrasings, list) or not phrasings:
        problems.append(
            Problem(path, _line(raw, "phrasings"), f"{entry_id}: phrasings must be a non-empty list")
        )
    else:
        item_lines = getattr(phrasings, "item_lines", [])
        for index, phrasing in enumerate(phrasings):
            if not isinstance(phrasing, str) or not phrasing.strip():
                where = item_lines[index] if index < len(item_lines) else _line(raw, "phrasings")
                problems.append(Problem(path, where, f"{entry_id}: a phrasing must be non-empty text"))
                continue
            cleaned.append(phrasing.strip())
    return Localized(title=texts.get("title", ""), body=texts.get("body", ""), phrasings=tuple(cleaned))


def _entries_in(path: Path, *, strict: bool, problems: list[Problem]) -> list[Entry]:
    data = _read(path, problems)
    if data is None:
        if path.stat().st_size and not any(p.path == path for p in problems):
            problems.append(Problem(path, 1, "the file holds no entries"))
        return []
    if not isinstance(data, list):
        problems.append(Problem(path, 1, "the file must be a list of entries (each starting with '- id:')"))
        return []
    entries: list[Entry] = []
    lines = getattr(data, "item_lines", [])
    for index, raw in enumerate(data):
        line = lines[index] if index < len(lines) else 1
        if not isinstance(raw, dict):
            problems.append(Problem(path, line, "an entry must be a mapping with an id"))
            continue
        entry_id = raw.get("id")
        if not isinstance(entry_id, str) or not entry_id.strip():
            problems.append(Problem(path, line, "an entry needs an id"))
            continue
        entry_id = entry_id.strip()
        if entry_id.startswith(ACTION_PREFIX) and entry_id not in ACTION_IDS:
            known = ", ".join(sorted(ACTION_IDS))
            problems.append(Problem(path, _line(raw, "id"), f"{entry_id}: unknown action (known: {known})"))
            continue
        if not entry_id.startswith(ACTION_PREFIX) and not _valid_id(entry_id):
            problems.append(
                Problem(path, _line(raw, "id"), f"{entry_id}: an id is lower-case letters, digits and '-'")
            )
            continue
        for unknown in sorted(set(map(str, raw)) - _ENTRY_KEYS):
            problems.append(Problem(path, _line(raw, unknown), f"{entry_id}: unknown field {unknown!r}"))
        texts: dict[str, Localized] = {}
        for language in LANGUAGES:
            if language not in raw:
                continue
            localized = _localized(path, entry_id, raw[language], _line(raw, language), problems)
            if localized is not None:
                texts[language] = localized
        missing = [language for language in LANGUAGES if language not in raw]
        if missing and (strict or len(missing) == len(LANGUAGES)):
            problems.append(Problem(path, line, f"{entry_id}: missing language(s): {', '.join(missing)}"))
        elif missing:
            problems.append(
                Problem(
                    path,
                    line,
                    f"{entry_id}: only in {', '.join(sorted(texts))}; others get the lv or en text",
                    warning=True,
                )
            )
        entries.append(Entry(id=entry_id, texts=texts, source=f"{path}:{line}"))
    return entries


def _valid_id(entry_id: str) -> bool:
    return entry_id[:1].isalnum() and all(c.islower() or c.isdigit() or c == "-" for c in entry_id)


def _placeholders_in(path: Path, problems: list[Problem]) -> dict[str, dict[str, str]]:
    data = _read(path, problems)
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(path, 1, "placeholders must be a mapping: name -> {lv, ru, en}"))
        return {}
    result: dict[str, dict[str, str]] = {}
    for name, texts in data.items():
        line = _line(data, name)
        if not isinstance(name, str) or not PLACEHOLDER.fullmatch("{" + name + "}"):
            problems.append(Problem(path, line, f"{name!r}: a placeholder name is lower_snake_case"))
            continue
        if not isinstance(texts, dict) or not all(
            isinstance(texts.get(language), str) and texts[language].strip() for language in texts
        ):
            problems.append(Problem(path, line, f"{name}: give non-empty text per language (lv, ru, en)"))
            continue
        unknown = sorted(set(map(str, texts)) - set(LANGUAGES))
        if unknown:
            problems.append(Problem(path, line, f"{name}: unknown language(s) {', '.join(unknown)}"))
        result[name] = {str(language): str(text).strip() for language, text in texts.items()}
    return result


def _word_group(group: Any) -> bool:
    return (
        isinstance(group, list)
        and len(group) >= 2
        and all(isinstance(word, str) and word.strip() and " " not in word.strip() for word in group)
    )


def _yaml_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.iterdir()
        if path.suffix in (".yaml", ".yml")
        and path.name not in (PLACEHOLDERS_FILE, SYNONYMS_FILE)
        and path.is_file()
    )


def read_knowledge(directories: Iterable[tuple[Path, bool]]) -> tuple[KnowledgeBase, list[Problem]]:
    """Entries and placeholders from ``(directory, strict)`` pairs, in order; later placeholders
    override earlier ones (the operator's values replace the shipped wording)."""
    problems: list[Problem] = []
    entries: list[Entry] = []
    placeholders: dict[str, dict[str, str]] = {}
    synonyms: dict[str, list[tuple[str, ...]]] = {}
    for directory, strict in directories:
        for path in _yaml_files(directory):
            entries.extend(_entries_in(path, strict=strict, problems=problems))
        placeholder_file = directory / PLACEHOLDERS_FILE
        if placeholder_file.is_file():
            for name, texts in _placeholders_in(placeholder_file, problems).items():
                placeholders[name] = {**placeholders.get(name, {}), **texts}
        synonym_file = directory / SYNONYMS_FILE
        if synonym_file.is_file():
            for language, groups in _synonyms_in(synonym_file, problems).items():
                synonyms.setdefault(language, []).extend(groups)
    problems.extend(_cross_checks(entries, placeholders))
    knowledge = KnowledgeBase(
        entries=_unique(entries),
        placeholders=placeholders,
        synonyms={language: tuple(groups) for language, groups in synonyms.items()},
    )
    return knowledge, problems


def _synonyms_in(path: Path, problems: list[Problem]) -> dict[str, list[tuple[str, ...]]]:
    data = _read(path, problems)
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(Problem(path, 1, "synonyms must be a mapping: language -> list of word groups"))
        return {}
    result: dict[str, list[tuple[str, ...]]] = {}
    for language, groups in data.items():
        line = _line(data, language)
        if language not in LANGUAGES:
            problems.append(Problem(path, line, f"{language!r}: unknown language (use lv, ru, en)"))
            continue
        if not isinstance(groups, list):
            problems.append(Problem(path, line, f"{language}: give a list of word groups"))
            continue
        item_lines = getattr(groups, "item_lines", [])
        for index, group in enumerate(groups):
            where = item_lines[index] if index < len(item_lines) else line
            if not _word_group(group):
                problems.append(
                    Problem(path, where, f"{language}: a group is a list of two or more single words")
                )
                continue
            result.setdefault(language, []).append(tuple(word.strip() for word in group))
    return result


def _unique(entries: list[Entry]) -> tuple[Entry, ...]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.id, entry)
    return tuple(seen.values())


def _source(entry: Entry) -> tuple[Path, int]:
    path, _, line = entry.source.rpartition(":")
    return Path(path), int(line or 1)


def _cross_checks(entries: list[Entry], placeholders: dict[str, dict[str, str]]) -> list[Problem]:
    """Duplicate ids, unknown placeholders, and one phrasing claimed by two entries."""
    problems: list[Problem] = []
    first: dict[str, Entry] = {}
    owner: dict[tuple[str, str], str] = {}
    for entry in entries:
        path, line = _source(entry)
        if entry.id in first:
            problems.append(
                Problem(path, line, f"{entry.id}: duplicate id (first at {first[entry.id].source})")
            )
            continue
        first[entry.id] = entry
        for language, localized in entry.texts.items():
            for name in PLACEHOLDER.findall(localized.title + "\n" + localized.body):
                if name in CONVERSATION_FACTS:
                    continue  # the handler fills it per reply
                if name not in placeholders:
                    problems.append(
                        Problem(path, line, f"{entry.id}: unknown placeholder {{{name}}} in {language}")
                    )
                elif language not in placeholders[name] and "lv" not in placeholders[name]:
                    problems.append(
                        Problem(path, line, f"{entry.id}: placeholder {{{name}}} has no {language} text")
                    )
            for phrasing in localized.phrasings:
                folded = " ".join(phrasing.lower().split())
                other = owner.setdefault((language, folded), entry.id)
                if other != entry.id:
                    problems.append(
                        Problem(
                            path, line, f"{entry.id}: phrasing {phrasing!r} ({language}) is also in {other}"
                        )
                    )
    return problems


def knowledge_dirs(extra_dir: Path | None) -> list[tuple[Path, bool]]:
    """The shipped data (strict: all three languages) then the operator's directory."""
    directories = [(SHIPPED_DIR, True)]
    if extra_dir is not None:
        directories.append((extra_dir, False))
    return directories
