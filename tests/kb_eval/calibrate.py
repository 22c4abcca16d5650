"""Refit the matcher's confidence model (helpdesk/knowledge/confidence.py) on the tuning data, with
k-fold cross-validation, and print the coefficients to paste into ``confidence.SHIPPED``.

The tuning data are the tuning halves of the two blind sets tuned on so far (tests/kb_eval/fresh/tune,
tests/kb_eval/dev/tune: ``fresh_set.TUNED_ON``) and the tests/kb_eval queries; the sealed halves are
never read, nor is the probe set, so a refit reproduces the shipped model until someone decides to
tune on probe/tune as well. Every piece
the reading matches (each sentence and each run of two or three) is one sample: its signals, labelled
by whether its best entry is one the message expects. The folds split messages, not pieces, so no
message is scored by a model that saw it; the figures printed are those of the whole reading and
decision on the held-out folds, per set.

    .venv/bin/python -m tests.kb_eval.calibrate [--folds 5]

scikit-learn is a development dependency only: the helpdesk ships the fitted numbers.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence

from helpdesk.knowledge.confidence import SHIPPED, Model, Signals
from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.matcher import ANSWER_THRESHOLD, MARGIN, KnowledgeMatcher
from helpdesk.knowledge.model import KnowledgeBase
from helpdesk.knowledge.parts import Verdict
from tests.kb_eval.evaluate import NEWER_ENTRIES, load_queries
from tests.kb_eval.fresh_eval import Outcome, matcher_reader, read, score, table
from tests.kb_eval.fresh_set import SETS, TUNE, TUNED_ON, Item, load_items

OLD = "old"  # the tests/kb_eval queries, as one-message chat items
Sample = tuple[Signals, bool]


def old_items() -> list[Item]:
    """The tests/kb_eval queries as one-message chat items of the set :data:`OLD`."""
    in_scope, out_of_scope = load_queries()
    return [
        Item(
            f"q-{number}",
            "chat",
            TUNE,
            "lv",
            () if q.expected == "escalate" else (q.expected,),
            q.text,
            evalset=OLD,
        )
        for number, q in enumerate(in_scope + out_of_scope)
    ]


def tuning_items(sets: Sequence[str] = TUNED_ON) -> list[Item]:
    """The tuning halves of ``sets`` (those tuned on, TUNED_ON, unless told), and the tests/kb_eval
    queries; never a sealed half."""
    return [item for name in sets for item in load_items(TUNE, evalset=SETS[name])] + old_items()


def make_matcher(knowledge: KnowledgeBase, model: Model = SHIPPED) -> KnowledgeMatcher:
    """The matcher at the default decision rule, with ``model`` for its confidence."""
    return KnowledgeMatcher(knowledge, threshold=ANSWER_THRESHOLD, margin=MARGIN, model=model)


def samples(matcher: KnowledgeMatcher, item: Item) -> list[Sample]:
    """Every piece of ``item`` the reading matched: (signals, its best entry is expected)."""
    found: list[Sample] = []
    reconsider: Callable[..., Verdict] = matcher.reconsider

    def recording(verdict: Verdict, support: float | None) -> Verdict:
        verdict = reconsider(verdict, support)
        if verdict.signals is not None and verdict.candidates:
            found.append((verdict.signals, verdict.candidates[0].entry in item.expect))
        return verdict

    matcher.reconsider = recording  # type: ignore[method-assign]
    try:
        matcher.read(item.text)
    finally:
        del matcher.reconsider
    return found


def old_figures(outcomes: Sequence[Outcome]) -> str:
    """The tests/kb_eval queries as tests/knowledge/test_accuracy.py counts them: top-1 in scope,
    out of scope not answered, leaving out those answered with an entry the set predates."""
    in_scope = [o for o in outcomes if o.item.in_scope]
    out = [o for o in outcomes if not o.item.in_scope and not (o.answered and o.answered <= NEWER_ENTRIES)]
    top1 = sum(o.correct for o in in_scope) / len(in_scope)
    rejected = sum(not o.answered for o in out) / len(out)
    return f"tests/kb_eval (cross-validated): top-1 {top1:.1%}, out of scope not answered {rejected:.1%}"


def fit(data: Sequence[Sample], strength: float = 1.0) -> Model:
    """A logistic model of ``data``; ``strength`` is scikit-learn's C (smaller: more regularised)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=strength, max_iter=5000)
    model.fit([signals.features() for signals, _ in data], [right for _, right in data])
    return Model(tuple(round(float(w), 3) for w in model.coef_[0]), round(float(model.intercept_[0]), 3))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    knowledge, _ = read_knowledge(knowledge_dirs(None))
    items = tuning_items()
    recorder = make_matcher(knowledge)
    by_item = [samples(recorder, item) for item in items]
    order = list(range(len(items)))
    random.Random(7).shuffle(order)
    outcomes: list[Outcome] = []
    for fold in range(args.folds):
        held = set(order[fold :: args.folds])
        model = fit([sample for i in order if i not in held for sample in by_item[i]])
        outcomes += read(matcher_reader(make_matcher(knowledge, model)), [items[i] for i in sorted(held)])
    blind = [outcome for outcome in outcomes if outcome.item.evalset != OLD]
    print("\n".join(table(score(blind), f"{args.folds}-fold cross-validated, tuning halves only")))
    print(old_figures([outcome for outcome in outcomes if outcome.item.evalset == OLD]))
    fitted = fit([sample for found in by_item for sample in found])
    print(f"\nSHIPPED = Model(\n    weights={fitted.weights},\n    intercept={fitted.intercept},\n)")


if __name__ == "__main__":
    main()
