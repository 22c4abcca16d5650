"""Side by side on the fresh set: today's matcher and two baselines under one decision rule.

Each scorer gives a message's best entry and its score (0..100). The rule is the same for all: answer
with the best entry when its score clears a threshold, else hand the message to a person. The
threshold is chosen on the tuning halves only, as the lowest score that leaves at least
``OOS_GOAL`` of their out-of-scope messages unanswered (issue 14's goal): any lower
threshold answers more in scope but misses the goal. benchmarks/kb_match.py prints the table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from rapidfuzz import fuzz, process

from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.model import LANGUAGES, KnowledgeBase
from tests.kb_eval.fresh_eval import ALL, ANSWER, ESCALATE, Reader, Score, matcher_reader, read, score
from tests.kb_eval.fresh_set import Item

OOS_GOAL = 0.95


class Scorer(Protocol):
    def top(self, text: str) -> tuple[str | None, float]: ...


def phrasings(knowledge: KnowledgeBase) -> tuple[list[str], list[str]]:
    """(every phrasing and title in every language, the id of the entry each belongs to)."""
    texts: list[str] = []
    owners: list[str] = []
    for entry in knowledge.entries:
        for language in LANGUAGES:
            for text in entry.matching_texts(language):
                texts.append(text)
                owners.append(entry.id)
    return texts, owners


class WRatioScorer:
    """Plain ``rapidfuzz.process.extractOne`` with ``fuzz.WRatio`` over the raw phrasings."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.choices, self.owners = phrasings(knowledge)
        self._seen: dict[str, tuple[str | None, float]] = {}  # each text is scored once (it is slow)

    def timed_top(self, text: str) -> tuple[str | None, float]:
        """Uncached, for timing."""
        found = process.extractOne(text, self.choices, scorer=fuzz.WRatio)
        if found is None:
            return None, 0.0
        return self.owners[found[2]], float(found[1])

    def top(self, text: str) -> tuple[str | None, float]:
        if text not in self._seen:
            self._seen[text] = self.timed_top(text)
        return self._seen[text]


class TfidfScorer:
    """A practitioner's baseline: TF-IDF over character 2-5-grams (within words) of folded text
    (lowercase, diacritics stripped), and a logistic regression trained on the phrasings; the score
    is the best entry's probability x 100."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts, owners = phrasings(knowledge)
        self.vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), lowercase=True, strip_accents="unicode"
        )
        self.model = LogisticRegression(max_iter=2000)
        self.model.fit(self.vectorizer.fit_transform(texts), owners)
        self.classes = [str(label) for label in self.model.classes_]

    def top(self, text: str) -> tuple[str | None, float]:
        probabilities = self.model.predict_proba(self.vectorizer.transform([text]))[0]
        best = int(probabilities.argmax())
        return self.classes[best], float(probabilities[best]) * 100


class MatcherScorer:
    """Today's matcher's ranking (before its own threshold and margin) and its language guess."""

    def __init__(self, matcher: KnowledgeMatcher) -> None:
        self.matcher = matcher

    def language(self, text: str) -> str:
        return self.matcher.detect_language(text, self.matcher.default_language)

    def top(self, text: str) -> tuple[str | None, float]:
        ranked = self.matcher.scores(text, self.language(text))
        return (ranked[0].entry, ranked[0].score) if ranked else (None, 0.0)


def choose_threshold(scorer: Scorer, tuning: Iterable[Item], goal: float = OOS_GOAL) -> float:
    """The lowest threshold that leaves ``goal`` of the tuning items out of scope unanswered (the
    tuning halves of every set given; sealed items play no part)."""
    tops = sorted(scorer.top(item.text)[1] for item in tuning if item.half == "tune" and not item.in_scope)
    if not tops:
        raise ValueError("the tuning half has no out-of-scope items")
    needed = math.ceil(goal * len(tops))
    return round(tops[needed - 1] + 0.05, 1)


def threshold_reader(
    scorer: Scorer, threshold: float, language: Callable[[str], str] | None = None
) -> Reader:
    """The shared rule as a reader: answer with the top entry at or above ``threshold``."""

    def reader(text: str, hint: str | None) -> Mapping[str, Any]:
        entry, value = scorer.top(text)
        decision = ANSWER if entry is not None and value >= threshold else ESCALATE
        return {
            "entry": entry if decision == ANSWER else None,
            "score": round(value, 1),
            "decision": decision,
            "language": language(text) if language else None,
        }

    return reader


def rank1(scorer: Scorer, items: Iterable[Item]) -> float:
    """Share of in-scope items whose best-scored entry is one they expect (before any threshold)."""
    in_scope = [item for item in items if item.in_scope]
    return sum(scorer.top(item.text)[0] in item.expect for item in in_scope) / len(in_scope)


@dataclass(frozen=True)
class Method:
    name: str
    reader: Reader
    scorer: Scorer


def _cell(found: Score | None, attribute: str) -> str:
    if found is None:
        return "-"
    count, total = {
        "correct": (found.correct, found.in_scope),
        "rejection": (found.not_answered, found.out_of_scope),
    }[attribute]
    return f"{count / total:.1%}" if total else "-"


def side_by_side(methods: Sequence[Method], items: Sequence[Item]) -> list[str]:
    """One row per method, set and half: in-scope correct per style, out-of-scope not answered per
    style, wrong answers (% of all messages), wrong state-changing actions, and rank-1."""
    header = (
        f"{'method':<44} {'set/half':<13} {'chat':>6} {'mail':>6} {'in-sc':>6} │ {'chat':>6} {'mail':>6} "
        f"{'near':>6} {'OOS':>6} │ {'wrong':>6} {'w.act':>5} {'rank1':>6}"
    )
    lines = [
        f"{'':<58} in-scope answered correctly │ out of scope not answered  │",
        header,
        "-" * len(header),
    ]
    groups = list(dict.fromkeys((item.evalset, item.half) for item in items))
    for method in methods:
        scores = score(read(method.reader, items))
        for evalset, half in groups:
            mine = [item for item in items if (item.evalset, item.half) == (evalset, half)]
            row = scores.get((evalset, half, ALL), Score())
            lines.append(
                f"{method.name:<44} {evalset + '/' + half:<13} "
                + " ".join(
                    f"{_cell(scores.get((evalset, half, s)), 'correct'):>6}" for s in ("chat", "mail", ALL)
                )
                + " │ "
                + " ".join(
                    f"{_cell(scores.get((evalset, half, s)), 'rejection'):>6}"
                    for s in ("chat", "mail", "near_miss", ALL)
                )
                + f" │ {row.wrong_rate:>6.1%} {row.wrong_actions:>5} {rank1(method.scorer, mine):>6.1%}"
            )
    return lines


def compared_methods(
    knowledge: KnowledgeBase, matcher: KnowledgeMatcher, items: Sequence[Item]
) -> list[Method]:
    """Today's matcher as shipped (its threshold, margin and clarify), then ours and both baselines
    under the shared rule, each with its threshold chosen on the tuning half of ``items``."""
    ours = MatcherScorer(matcher)
    rule = f"threshold {matcher.threshold:g}, margin {matcher.margin:g}"
    methods = [Method(f"ours as shipped ({rule})", matcher_reader(matcher), ours)]
    scorers: tuple[tuple[str, Scorer, Callable[[str], str] | None], ...] = (
        ("ours, top score", ours, ours.language),
        ("WRatio extractOne", WRatioScorer(knowledge), None),
        ("TF-IDF char 2-5 + LogReg", TfidfScorer(knowledge), None),
    )
    for name, scorer, language in scorers:
        cut = choose_threshold(scorer, items)
        methods.append(Method(f"{name} >= {cut:g}", threshold_reader(scorer, cut, language), scorer))
    return methods
