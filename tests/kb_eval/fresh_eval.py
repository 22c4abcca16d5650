"""Scores a reader on the blind evaluation sets (tests/kb_eval/fresh, dev and probe), per set, half and
style.

A reader is what the helpdesk does with one message: ``(text, language hint) -> {"language", "parts":
[{"entry", "decision"}, ...]}``, the shape of ``helpdesk kb match --json``. The top-level keys describe
the main question; ``parts`` lists each question's decision. A record without ``parts`` (today's
matcher) is one part: its own ``entry`` and ``decision``. Only ``decision == "answer"`` answers; every
other decision (escalate, clarify, smalltalk, ...) answers nothing.

The reader gets no language hint (None), as for a first message: the reply language it returns is
scored against the item's ``lang``.

    .venv/bin/python -m tests.kb_eval.fresh_eval [--set fresh|dev|probe|all|fresh,dev]
        [--half tune|frozen|holdout|holdout2|both] [--show]

prints today's matcher's figures (the fresh set's two halves unless told otherwise); ``--show``
lists the tuning halves' failures (never a sealed half's, ``frozen``, ``holdout`` or ``holdout2``:
only their aggregate figures are ever printed). ``--half tune`` never opens a sealed file. ``--set``
takes one set, ``all``, or names joined by commas: ``--set fresh,dev`` is the pool of the two sets
tuned on before the probe set, whose figures ``--set all`` gave until the probe set was added.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tests.kb_eval.fresh_set import ALL_SETS, SEALED, SETS, STYLES, TUNE, Item, load_items, select

ANSWER = "answer"
ESCALATE = "escalate"
# Actions that change what we store or send when answered; one taken on a misreading is the worst harm.
STATE_CHANGING = frozenset(
    {"action:consent-withdraw", "action:consent-give", "action:access-request", "action:correction-request"}
)
ALL = "all"

Reader = Callable[[str, str | None], Mapping[str, Any]]


@dataclass(frozen=True, slots=True)
class Part:
    entry: str | None
    decision: str


def parts_of(record: Mapping[str, Any]) -> tuple[Part, ...]:
    """The decisions in a reader's record: its ``parts``, or the record itself when it has none."""
    raw = record.get("parts")
    if not raw:
        return (Part(record.get("entry"), str(record["decision"])),)
    return tuple(Part(part.get("entry"), str(part["decision"])) for part in raw)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a reader did with one item, and how that counts."""

    item: Item
    language: str | None
    parts: tuple[Part, ...]

    @property
    def answered(self) -> frozenset[str]:
        return frozenset(p.entry for p in self.parts if p.decision == ANSWER and p.entry is not None)

    @property
    def wrong(self) -> frozenset[str]:
        """Answered ids the item does not expect."""
        return self.answered - set(self.item.expect)

    @property
    def wrong_actions(self) -> frozenset[str]:
        return self.wrong & STATE_CHANGING

    @property
    def correct(self) -> bool:
        """In scope, every expected id answered and nothing else."""
        return self.item.in_scope and self.answered == set(self.item.expect)

    @property
    def handed_on(self) -> bool:
        return any(p.decision == ESCALATE for p in self.parts)

    @property
    def partial(self) -> bool:
        """In scope, some expected ids answered, the rest handed to a person, nothing wrong."""
        return (
            self.item.in_scope
            and bool(self.answered)
            and not self.wrong
            and not self.correct
            and self.handed_on
        )

    @property
    def ok(self) -> bool:
        """Fully right: correct in scope, nothing answered out of scope, reply language right."""
        language_ok = self.language is None or self.language == self.item.lang
        return (self.correct if self.item.in_scope else not self.answered) and language_ok


def read(reader: Reader, items: Iterable[Item]) -> list[Outcome]:
    outcomes = []
    for item in items:
        record = reader(item.text, None)
        language = record.get("language")
        outcomes.append(Outcome(item, None if language is None else str(language), parts_of(record)))
    return outcomes


@dataclass
class Score:
    """Counts over a group of outcomes; rates are shares of the group's own counts."""

    messages: int = 0
    in_scope: int = 0
    correct: int = 0
    partial: int = 0
    out_of_scope: int = 0
    not_answered: int = 0  # out of scope, nothing answered
    wrong: int = 0  # messages with an answered id not in expect
    wrong_actions: int = 0  # answered state-changing actions not in expect
    language_known: int = 0
    language_right: int = 0
    escalate_part: int = 0  # in-scope items that also hold an unanswerable question
    rest_handed_on: int = 0  # ... of which some part went to a person

    def add(self, outcome: Outcome) -> None:
        item = outcome.item
        self.messages += 1
        if item.in_scope:
            self.in_scope += 1
            self.correct += outcome.correct
            self.partial += outcome.partial
            if item.escalate_part:
                self.escalate_part += 1
                self.rest_handed_on += outcome.handed_on
        else:
            self.out_of_scope += 1
            self.not_answered += not outcome.answered
        self.wrong += bool(outcome.wrong)
        self.wrong_actions += len(outcome.wrong_actions)
        if outcome.language is not None:
            self.language_known += 1
            self.language_right += outcome.language == item.lang

    @property
    def correct_rate(self) -> float:
        return self.correct / self.in_scope if self.in_scope else 0.0

    @property
    def partial_rate(self) -> float:
        return self.partial / self.in_scope if self.in_scope else 0.0

    @property
    def rejection(self) -> float:
        return self.not_answered / self.out_of_scope if self.out_of_scope else 0.0

    @property
    def wrong_rate(self) -> float:
        return self.wrong / self.messages if self.messages else 0.0

    @property
    def language_rate(self) -> float | None:
        return self.language_right / self.language_known if self.language_known else None


Key = tuple[str, str, str]  # (set, half, style); ALL in any place pools what it stands for


def score(outcomes: Iterable[Outcome]) -> dict[Key, Score]:
    """(set, half, style) -> Score, with ``all`` in any place for every set, half or style:
    ``("all", "tune", "all")`` pools the tuning halves of every set read."""
    scores: dict[Key, Score] = {}
    for outcome in outcomes:
        item = outcome.item
        for evalset in (item.evalset, ALL):
            for half in (item.half, ALL):
                for style in (item.style, ALL):
                    scores.setdefault((evalset, half, style), Score()).add(outcome)
    return scores


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _rows(scores: Mapping[Key, Score]) -> list[Key]:
    """Each set's halves by style, then the pooled halves (more than one set), then all (more than
    one half)."""
    named = [key[0] for key in scores if key[0] != ALL]
    sets = list(dict.fromkeys(name for name in (*SETS, *named) if (name, ALL, ALL) in scores))
    halves = [half for half in (TUNE, *sorted(SEALED)) if (ALL, half, ALL) in scores]
    rows = [(name, half, style) for name in sets for half in halves for style in (*STYLES, ALL)]
    if len(sets) > 1:
        rows += [(ALL, half, style) for half in halves for style in (*STYLES, ALL)]
    if len(halves) > 1:
        rows += [(ALL, ALL, style) for style in (*STYLES, ALL)]
    return [row for row in dict.fromkeys(rows) if row in scores]


def table(scores: Mapping[Key, Score], title: str = "") -> list[str]:
    """One row per set, half and style: the figures of issue 14's "Done when", aggregates only."""
    header = (
        f"{'set':<6} {'half':<8} {'style':<10} {'msgs':>5} {'in-scope correct':>18} {'partial':>8} "
        f"{'OOS not answered':>18} {'wrong':>6} {'wrong actions':>13} {'reply lang':>10}"
    )
    lines = [title] if title else []
    lines += [header, "-" * len(header)]
    for evalset, half, style in _rows(scores):
        s = scores[evalset, half, style]
        in_scope = f"{s.correct_rate:>7.1%} ({s.correct:>3}/{s.in_scope:<3})" if s.in_scope else "-"
        out = f"{s.rejection:>7.1%} ({s.not_answered:>3}/{s.out_of_scope:<3})" if s.out_of_scope else "-"
        partial = _pct(s.partial_rate if s.in_scope else None)
        lines.append(
            f"{evalset:<6} {half:<8} {style:<10} {s.messages:>5} {in_scope:>18} {partial:>8} {out:>18} "
            f"{_pct(s.wrong_rate):>6} {s.wrong_actions:>13} {_pct(s.language_rate):>10}"
        )
    return lines


LEGEND = (
    "in-scope correct: every expected id answered and no other; partial: some answered, the rest "
    "handed to a person, nothing wrong; OOS not answered: out-of-scope messages (near misses, small "
    "talk, closings, out-of-scope mail) with no entry or action answered; wrong: messages with an "
    "answered id they do not expect (% of all); wrong actions: state-changing actions answered but not "
    "expected (count); reply lang: the reader's language is the item's."
)


def failures(outcomes: Iterable[Outcome]) -> list[str]:
    """The tuning halves' failures, one block each; sealed items (frozen, holdout) are never listed."""
    lines: list[str] = []
    for outcome in outcomes:
        item = outcome.item
        if item.half != TUNE or outcome.ok:
            continue
        got = ", ".join(f"{p.decision}:{p.entry or '-'}" for p in outcome.parts)
        marks = [
            mark for mark, on in (("WRONG ACTION", outcome.wrong_actions), ("wrong", outcome.wrong)) if on
        ]
        if outcome.language is not None and outcome.language != item.lang:
            marks.append(f"lang {outcome.language}")
        flat = " ".join(item.text.split())
        expected = ", ".join(item.expect)
        lines.append(f"{item.id:<9} expect [{expected}] ({item.lang}) got {got} {' '.join(marks)}".rstrip())
        lines.append(textwrap.shorten(flat, width=150, placeholder=" …", initial_indent="    "))
    return lines


def matcher_reader(matcher: Any) -> Reader:
    """The pipeline as a reader: ``matcher.read`` in ``helpdesk kb match --json``'s shape (a
    matcher without ``read``, one question a message, is read through ``match``)."""
    from helpdesk.knowledge.report import match_record, reading_record

    def reader(text: str, language: str | None) -> Mapping[str, Any]:
        if hasattr(matcher, "read"):
            return reading_record(matcher.read(text, language))
        return match_record(matcher.match(text, language))

    return reader


def load(evalset: str, half: str) -> list[Item]:
    """The items of ``evalset`` (a set's name, ``all``, or names joined by commas) and ``half``
    (``tune``, a sealed half's name, or ``both``); a sealed half another set has not is simply not
    read (``--set all --half holdout`` reads dev's holdout only). A half no chosen set has is an
    error."""
    chosen = select(evalset)
    if half not in ("both", TUNE) and not any(half == s.sealed for s in chosen):
        raise SystemExit(f"the {evalset} set has no half named {half}")
    items: list[Item] = []
    for each in chosen:
        if half == "both":
            items += load_items(evalset=each)
        elif half in each.halves:
            items += load_items(half, evalset=each)
    return items


def set_names(value: str) -> str:
    """``--set``'s type: the value as given once :func:`select` accepts it."""
    try:
        select(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--show", action="store_true", help="list the tuning halves' failures")
    parser.add_argument(
        "--set", type=set_names, default="fresh", dest="evalset", help=f"{', '.join(SETS)}, {ALL_SETS} or a,b"
    )
    parser.add_argument(
        "--half",
        choices=(TUNE, *sorted(SEALED), "both"),
        default="both",
        help="tune: never reads a sealed file",
    )
    args = parser.parse_args()
    items = load(args.evalset, args.half)

    from helpdesk.knowledge import decision_rule
    from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
    from helpdesk.knowledge.matcher import KnowledgeMatcher
    from helpdesk.settings import load_settings

    settings = load_settings()
    knowledge, problems = read_knowledge(knowledge_dirs(None))
    if [p for p in problems if not p.warning]:
        raise SystemExit(f"knowledge base: {problems[0]}")
    threshold, margin = decision_rule(settings.knowledge)
    matcher = KnowledgeMatcher(
        knowledge, threshold=threshold, margin=margin, default_language=settings.conversation.default_language
    )
    outcomes = read(matcher_reader(matcher), items)
    title = f"shipped matcher ({len(knowledge.entries)} entries), threshold {threshold}, margin {margin}"
    print("\n".join(table(score(outcomes), title)))
    print(textwrap.fill(LEGEND, width=110))
    if args.show:
        print("\ntuning-half failures:")
        print("\n".join(failures(outcomes)))


if __name__ == "__main__":
    main()
