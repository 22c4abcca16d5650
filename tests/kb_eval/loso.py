"""Leave one set out: how the confidence model's decision carries to writers it was not fitted on.

``calibrate``'s folds split messages at random, so a held-out message's writer, wording and topics
sit in the training folds beside it; a sealed half is new writers. Here each blind set in turn
(fresh, dev, probe, field, street: each written by other hands) is held out: the model is fitted on the
tuning halves of the other three and the tests/kb_eval queries (as ``calibrate`` fits), and decides
the held-out set's tuning half. The figures are printed per held-out set and pooled, beside those of
the shipped model (``confidence.SHIPPED``, fitted on fresh and dev, so its fresh and dev rows are
not held out). Only tuning halves are read; never a sealed one.

What this cannot hold out: the knowledge base's phrasings (and the hand rules) were taught on the
tuning halves of fresh, dev, probe and field, so their messages still meet phrasings written from
them; only a set never taught on (street, so far) is new to the knowledge base as well.

    .venv/bin/python -m tests.kb_eval.loso [--strength C] [--confident P] [--not-doubtful P] [--guess P]
    .venv/bin/python -m tests.kb_eval.loso --curve   # pooled figures of each rule of CURVE

scikit-learn is a development dependency only (``calibrate.fit``).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from helpdesk.knowledge import confidence
from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.model import KnowledgeBase
from tests.kb_eval.calibrate import OLD, Sample, fit, make_matcher, samples, tuning_items
from tests.kb_eval.fresh_eval import ALL, Outcome, Score, matcher_reader, read, score
from tests.kb_eval.fresh_set import SETS, TUNE, Item

POOLED = "pooled"


@dataclass(frozen=True, slots=True)
class Rule:
    """One setting of the decision: the regularisation of the fit (scikit-learn's C) and the
    answer rule's cut-offs (``confidence.CONFIDENT``, ``NOT_DOUBTFUL``, ``GUESS``)."""

    strength: float = 1.0
    confident: float = confidence.CONFIDENT
    not_doubtful: float = confidence.NOT_DOUBTFUL
    guess: float = confidence.GUESS

    def __str__(self) -> str:
        return (
            f"C={self.strength:g} confident={self.confident:g} "
            f"not_doubtful={self.not_doubtful:g} guess={self.guess:g}"
        )


# The settings ``--curve`` prints, one changed at a time: regularisation, then each cut-off.
CURVE = (
    Rule(),
    *(Rule(strength=c) for c in (0.1, 0.3, 3.0)),
    *(Rule(confident=p) for p in (0.6, 0.65, 0.75, 0.8, 0.85, 0.9)),
    *(Rule(not_doubtful=p) for p in (0.2, 0.5)),
    *(Rule(guess=p) for p in (0.1, 0.5)),
    Rule(strength=0.3, confident=0.8),
)


def folds(items: Sequence[Item], held: Sequence[str] = tuple(SETS)) -> dict[str, tuple[list[int], list[int]]]:
    """Held-out set -> (indices of ``items`` to fit on, indices to decide): every item of another set
    (the tests/kb_eval queries included) is fitted on, the held-out set's tuning items are decided;
    a set with no item among ``items`` is not held out.
    A sealed item is neither: it is refused."""
    sealed = [item.id for item in items if item.half != TUNE]
    if sealed:
        raise ValueError(f"sealed items must never be read: {sealed[:3]}")
    return {
        name: (
            [i for i, item in enumerate(items) if item.evalset != name],
            [i for i, item in enumerate(items) if item.evalset == name],
        )
        for name in held
        if name != OLD and any(item.evalset == name for item in items)
    }


@contextmanager
def ruling(matcher: KnowledgeMatcher, rule: Rule) -> Iterator[KnowledgeMatcher]:
    """``matcher`` deciding by ``rule``'s cut-offs for the duration (the matcher reads
    ``NOT_DOUBTFUL`` and ``GUESS`` from the module when it decides)."""
    saved = (matcher.confident, confidence.NOT_DOUBTFUL, confidence.GUESS)
    matcher.confident = rule.confident
    confidence.NOT_DOUBTFUL, confidence.GUESS = rule.not_doubtful, rule.guess
    try:
        yield matcher
    finally:
        matcher.confident, confidence.NOT_DOUBTFUL, confidence.GUESS = saved


def held_out(
    matcher: KnowledgeMatcher, items: Sequence[Item], by_item: Sequence[list[Sample]], rule: Rule
) -> list[Outcome]:
    """Every blind set's tuning half decided by a model fitted without that set (``folds``)."""
    outcomes: list[Outcome] = []
    shipped = matcher.model
    try:
        for train, test in folds(items).values():
            matcher.model = fit([sample for i in train for sample in by_item[i]], rule.strength)
            with ruling(matcher, rule):
                outcomes += read(matcher_reader(matcher), [items[i] for i in test])
    finally:
        matcher.model = shipped
    return outcomes


def summary(outcomes: Sequence[Outcome]) -> dict[str, Score]:
    """Held-out set (and ``pooled``) -> its figures; ``<set>/mail`` holds the set's e-mails."""
    scores = score(outcomes)
    found: dict[str, Score] = {}
    for name in (*SETS, ALL):
        if (name, TUNE, ALL) in scores:
            label = POOLED if name == ALL else name
            found[label] = scores[name, TUNE, ALL]
            found[f"{label}/mail"] = scores.get((name, TUNE, "mail"), Score())
    return found


def row(label: str, whole: Score, mail: Score) -> str:
    """One line of figures: in scope, e-mails in scope, out of scope not answered, wrong, actions."""
    return (
        f"{label:<{WIDTH}} {whole.messages:>5} {whole.correct_rate:>8.1%} {mail.correct_rate:>8.1%} "
        f"{whole.rejection:>8.1%} {whole.wrong_rate:>7.1%} {whole.wrong:>6} {whole.wrong_actions:>8}"
    )


WIDTH = 56
HEADER = (
    f"{'':<{WIDTH}} {'msgs':>5} {'in scope':>8} {'mail':>8} {'OOS':>8} {'wrong':>7} {'(n)':>6} {'actions':>8}"
)


def table(title: str, figures: Mapping[str, Score]) -> list[str]:
    """Per held-out set, then pooled."""
    names = [name for name in (*SETS, POOLED) if name in figures]
    return [title, HEADER] + [row(name, figures[name], figures[f"{name}/mail"]) for name in names]


def prepare(knowledge: KnowledgeBase) -> tuple[KnowledgeMatcher, list[Item], list[list[Sample]]]:
    """The shipped matcher, every tuning item (every blind set and the tests/kb_eval queries) and each
    item's samples, recorded once: a piece's signals do not depend on the model."""
    matcher = make_matcher(knowledge)
    items = tuning_items(tuple(SETS))
    return matcher, items, [samples(matcher, item) for item in items]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--strength", type=float, default=1.0, help="C of the logistic fit")
    parser.add_argument("--confident", type=float, default=confidence.CONFIDENT)
    parser.add_argument("--not-doubtful", type=float, default=confidence.NOT_DOUBTFUL)
    parser.add_argument("--guess", type=float, default=confidence.GUESS)
    parser.add_argument("--curve", action="store_true", help="the pooled figures of each rule of CURVE")
    args = parser.parse_args()
    rule = Rule(args.strength, args.confident, args.not_doubtful, args.guess)
    knowledge, _ = read_knowledge(knowledge_dirs(None))
    matcher, items, by_item = prepare(knowledge)
    if args.curve:
        print("leave one set out, pooled, per rule\n" + HEADER)
        for each in CURVE:
            pooled = summary(held_out(matcher, items, by_item, each))
            print(row(str(each), pooled[POOLED], pooled[f"{POOLED}/mail"]))
        return
    blind = [item for item in items if item.evalset != OLD]
    print(
        "\n".join(
            table(
                "shipped model and rule (fresh, dev: tuned on)", summary(read(matcher_reader(matcher), blind))
            )
        )
    )
    print()
    print("\n".join(table(f"leave one set out, {rule}", summary(held_out(matcher, items, by_item, rule)))))


if __name__ == "__main__":
    main()
