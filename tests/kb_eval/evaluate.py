"""The evaluation set and how a matcher is scored on it (shared by tests and benchmarks/kb_match.py).

Top-1 is strict: a ``clarify`` counts as wrong for the headline figure even when the right entry is
among its candidates; that case is counted separately.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).parent
ESCALATE = "escalate"
# Entries added (issue 14) after this set was labelled: it lists leaks, broken lifts and a gas smell
# as out of scope, which `repairs-emergency` now answers with the manager's emergency contacts. An
# out-of-scope query answered with one of these is counted apart (``newer``), not as rejected or
# as a miss: the set's data is never edited to pass.
NEWER_ENTRIES = frozenset({"repairs-emergency", "action:invoice-list"})


@dataclass(frozen=True)
class Query:
    text: str
    expected: str  # an entry id, or "escalate"


def load_queries() -> tuple[list[Query], list[Query]]:
    """(in-scope, out-of-scope) queries."""
    in_scope_raw = yaml.safe_load((HERE / "in_scope.yaml").read_text(encoding="utf-8"))
    out_raw = yaml.safe_load((HERE / "out_of_scope.yaml").read_text(encoding="utf-8"))
    in_scope = [Query(str(text), str(entry)) for entry, texts in in_scope_raw.items() for text in texts]
    out_of_scope = [Query(str(text), ESCALATE) for text in out_raw]
    return in_scope, out_of_scope


@dataclass
class Result:
    in_scope: int = 0
    correct: int = 0  # answered with the expected entry
    clarified_right: int = 0  # clarify, with the expected entry among the candidates
    escalated: int = 0  # in-scope but escalated (a person answers: safe, not helpful)
    wrong: int = 0  # answered with another entry (the harmful case)
    out_of_scope: int = 0
    rejected: int = 0  # out-of-scope and not answered (escalated or clarify)
    strictly_escalated: int = 0
    newer: int = 0  # out-of-scope queries answered with a NEWER_ENTRIES entry (left out of the rate)
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.in_scope if self.in_scope else 0.0

    @property
    def rejection(self) -> float:
        return self.strictly_escalated / self.out_of_scope if self.out_of_scope else 0.0


# (text) -> (decision, entry, candidate ids)
Predict = Callable[[str], tuple[str, str | None, tuple[str, ...]]]


def evaluate(predict: Predict, in_scope: list[Query], out_of_scope: list[Query]) -> Result:
    result = Result(in_scope=len(in_scope), out_of_scope=len(out_of_scope))
    for query in in_scope:
        decision, entry, candidates = predict(query.text)
        if decision == "answer" and entry == query.expected:
            result.correct += 1
            continue
        if decision == "clarify" and query.expected in candidates:
            result.clarified_right += 1
        elif decision == "escalate":
            result.escalated += 1
        elif decision == "answer":
            result.wrong += 1
        result.failures.append(f"{query.expected:<28} {decision:<8} {entry or '-':<26} {query.text}")
    for query in out_of_scope:
        decision, entry, _ = predict(query.text)
        if decision == "answer" and entry in NEWER_ENTRIES:
            result.newer += 1
            result.out_of_scope -= 1
            result.failures.append(f"{'(newer entry)':<28} {decision:<8} {entry:<26} {query.text}")
            continue
        if decision != "answer":
            result.rejected += 1
        if decision == "escalate":
            result.strictly_escalated += 1
        else:
            result.failures.append(f"{ESCALATE:<28} {decision:<8} {entry or '-':<26} {query.text}")
    return result
