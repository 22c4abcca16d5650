"""How often the knowledge matcher ranks the right entry first, before any threshold or margin.

Every decision rule is capped by the ranking: an entry that is not ranked first cannot be answered.
This measures the ranking alone, per set, half and style, on the in-scope items of the blind sets'
tuning halves and on ``tests/kb_eval/in_scope.yaml``:

- **whole**: the message's content (greeting, signature and quotes set aside by ``reading.parse``)
  decided as one piece (``KnowledgeMatcher.decide``: noise dropped, Russian in Latin letters
  converted, near misses discounted); its best candidate is an expected entry (rank-1), or an
  expected entry is among its best three (top-3);
- **kb-cv**: the knowledge base's own phrasings, cross-validated: in each of five folds a fifth of
  every entry's phrasings (by a hash of the text) is left out of the index and then asked; a proxy for
  unseen wording that no eval item was tuned on (per language, whole phrasing, ``scores``);
- **pieces**: the units the reading matches (each sentence, and each run of two or three, as
  ``parts.units`` cuts them); the share of expected entries that are the best candidate of at least
  one unit (rank-1) or among the best three of one (top-3). A mail with two questions needs both.

    .venv/bin/python -m tests.kb_eval.rank_eval [--show] [--losses] [--holdout [dev|probe]]

``--losses`` splits the tuning halves' in-scope messages that the shipped matcher does not answer
correctly into those whose every expected entry is ranked first in some piece (the decision lost
them) and the rest (the ranking did).

The rows cover the tuning halves of every set (fresh, dev, probe). ``--holdout`` adds one aggregate
line for the dev set's holdout half (its items are never listed; the issue allows three such runs);
``--holdout probe`` the same for the probe set's holdout2 half. The fresh set's frozen half is never
read.
"""

from __future__ import annotations

import argparse
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from helpdesk.knowledge import scope
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.model import KnowledgeBase
from helpdesk.knowledge.parts import MAX_SENTENCES, UNIT_SIZES
from helpdesk.knowledge.reading import parse, shadow
from tests.kb_eval.evaluate import load_queries
from tests.kb_eval.fresh_eval import matcher_reader, read
from tests.kb_eval.fresh_set import DEV_SET, FRESH_SET, SETS, STYLES, TUNE, Item, load_items

TOP = 3
FOLDS = 5


@dataclass
class Tally:
    messages: int = 0
    whole1: int = 0
    whole3: int = 0
    expected: int = 0
    pieces1: int = 0
    pieces3: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.messages += other.messages
        self.whole1 += other.whole1
        self.whole3 += other.whole3
        self.expected += other.expected
        self.pieces1 += other.pieces1
        self.pieces3 += other.pieces3

    def row(self, name: str) -> str:
        def pct(part: int, whole: int) -> str:
            return f"{part / whole:6.1%}" if whole else "     -"

        return (
            f"{name:<24} {self.messages:>5} "
            f"{pct(self.whole1, self.messages)} {pct(self.whole3, self.messages)}"
            f"   {self.expected:>5} {pct(self.pieces1, self.expected)} {pct(self.pieces3, self.expected)}"
        )


HEADER = (
    f"{'set / half / style':<24} {'msgs':>5} {'whole1':>6} {'whole3':>6}   "
    f"{'ids':>5} {'piece1':>6} {'piece3':>6}"
)


def _tops(matcher: KnowledgeMatcher, text: str, language: str, context: bool, fragment: bool) -> list[str]:
    verdict = matcher.decide(text, language, fragment=fragment, context=context)
    return [c.entry for c in verdict.candidates[:TOP]]


def measure(matcher: KnowledgeMatcher, text: str, expect: Sequence[str]) -> Tally:
    """One message's tally (its ``misses`` name what went wrong, for tuning items only)."""
    parsed = parse(text)
    content = parsed.content or text
    language = "ru" if matcher._russian_in_latin(content) else matcher.detect_language(content, "lv")
    context = scope.names_other(shadow(content))
    tally = Tally(messages=1, expected=len(expect))
    whole = _tops(matcher, content, language, context, False)
    tally.whole1 = int(bool(whole) and whole[0] in expect)
    tally.whole3 = int(not set(whole).isdisjoint(expect))
    sentences = parsed.sentences[:MAX_SENTENCES] or ()
    firsts: set[str] = set()
    threes: set[str] = set()
    pieces = [
        " ".join(s.text for s in sentences[first : first + size])
        for size in UNIT_SIZES
        for first in range(len(sentences) - size + 1)
    ] or [content]
    for piece in pieces:
        tops = _tops(matcher, piece, language, context, len(sentences) > 1)
        if tops:
            firsts.add(tops[0])
            threes.update(tops)
    tally.pieces1 = len(firsts & set(expect))
    tally.pieces3 = len(threes & set(expect))
    if not tally.whole1:
        tally.misses.append(f"{list(expect)} got {whole}")
    return tally


def tally_items(matcher: KnowledgeMatcher, items: Iterable[Item], show: bool) -> dict[tuple[str, str], Tally]:
    found: dict[tuple[str, str], Tally] = {}
    for item in items:
        if not item.in_scope:
            continue
        one = measure(matcher, item.text, item.expect)
        if show and item.half == TUNE and one.misses:
            flat = " ".join(item.text.split())[:140]
            print(f"{item.id:<10} {one.misses[0]}\n    {flat}")
        for key in ((item.evalset, item.style), (item.evalset, "all")):
            found.setdefault(key, Tally()).add(one)
    return found


def _fold(text: str) -> int:
    return hashlib.sha256(text.encode("utf-8")).digest()[-1] % FOLDS


def kb_cv(knowledge: KnowledgeBase, margin: float) -> dict[str, Tally]:
    """Per language: each phrasing asked of an index built without its fold (see the docstring)."""
    found: dict[str, Tally] = {}
    for fold in range(FOLDS):
        kept = tuple(
            replace(
                entry,
                texts={
                    language: replace(local, phrasings=tuple(p for p in local.phrasings if _fold(p) != fold))
                    for language, local in entry.texts.items()
                },
            )
            for entry in knowledge.entries
        )
        matcher = KnowledgeMatcher(replace(knowledge, entries=kept), threshold=0.0, margin=margin)
        for entry in knowledge.entries:
            for language, local in entry.texts.items():
                for phrasing in local.phrasings:
                    if _fold(phrasing) != fold:
                        continue
                    tops = [c.entry for c in matcher.scores(phrasing, language, limit=TOP)]
                    one = Tally(messages=1, whole1=int(tops[:1] == [entry.id]), whole3=int(entry.id in tops))
                    found.setdefault(language, Tally()).add(one)
                    found.setdefault("all", Tally()).add(one)
    return found


def losses(shipped: KnowledgeMatcher, ranker: KnowledgeMatcher, items: Iterable[Item]) -> list[str]:
    """Per style: in-scope messages answered correctly, lost by the decision, lost by the ranking."""
    counts: dict[str, list[int]] = {}
    for outcome in read(matcher_reader(shipped), [item for item in items if item.in_scope]):
        item = outcome.item
        tally = measure(ranker, item.text, item.expect)
        column = 0 if outcome.correct else 1 if tally.pieces1 == tally.expected else 2
        for style in (item.style, "all"):
            counts.setdefault(style, [0, 0, 0])[column] += 1
    return [
        f"{style:<6} correct {c[0]:>4}  lost with every id ranked first in a piece {c[1]:>4}  "
        f"lost with one ranked lower {c[2]:>4}"
        for style in (*STYLES, "all")
        if (c := counts.get(style))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--holdout",
        nargs="?",
        const=DEV_SET.name,
        choices=[name for name in SETS if name != FRESH_SET.name],
        help="one aggregate line for that set's sealed half (dev's holdout unless named)",
    )
    parser.add_argument("--show", action="store_true", help="list tuning items whose whole rank-1 fails")
    parser.add_argument("--losses", action="store_true", help="decision losses against ranking losses")
    args = parser.parse_args()

    from helpdesk.knowledge import decision_rule
    from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
    from helpdesk.settings import load_settings

    settings = load_settings()
    knowledge, _ = read_knowledge(knowledge_dirs(None))
    threshold, margin = decision_rule(settings.knowledge)
    # Threshold 0: no entry is left out for being unable to reach the decision floor, so the
    # ranking is exact all the way down (the threshold changes no score, only decisions).
    matcher = KnowledgeMatcher(knowledge, threshold=0.0, margin=margin)
    print(HEADER)
    for evalset in SETS.values():
        found = tally_items(matcher, load_items(TUNE, evalset=evalset), args.show)
        for style in (*STYLES, "all"):
            if (evalset.name, style) in found:
                print(found[evalset.name, style].row(f"{evalset.name} / tune / {style}"))
    in_scope, _ = load_queries()
    kb_eval = Tally()
    for query in in_scope:
        one = measure(matcher, query.text, (query.expected,))
        if args.show and one.misses:
            print(f"in_scope   {one.misses[0]}\n    {query.text}")
        kb_eval.add(one)
    print(kb_eval.row("kb_eval / in_scope"))
    cross = kb_cv(knowledge, margin)
    for language in (*sorted(set(cross) - {"all"}), "all"):
        print(cross[language].row(f"kb-cv / {language}"))
    if args.losses:
        shipped = KnowledgeMatcher(knowledge, threshold=threshold, margin=margin)
        for evalset in SETS.values():
            print(f"\n{evalset.name} / tune, in scope:")
            print("\n".join(losses(shipped, matcher, load_items(TUNE, evalset=evalset))))
    if args.holdout:
        sealed = SETS[args.holdout]
        held = tally_items(matcher, load_items(sealed.sealed, evalset=sealed), False)
        print(held[sealed.name, "all"].row(f"{sealed.name} / {sealed.sealed} / all"))


if __name__ == "__main__":
    main()
