"""Knowledge matcher: top-1 accuracy, out-of-scope rejection and latency, next to a plain baseline.

Runs the evaluation set (tests/kb_eval) against
  * the shipped knowledge base, and
  * a synthetic knowledge base of --entries entries (the shipped ones plus generated distractors
    that reuse the real vocabulary, so real queries meet long posting lists: the slow case),
each with our matcher and with the baseline: ``rapidfuzz.process.extractOne(query, phrasings,
scorer=WRatio)`` on the raw text. Scores are compared at each method's own threshold: ours is
``HELPDESK_KB_ANSWER_THRESHOLD``/``HELPDESK_KB_MARGIN`` (the calibrated values unless set); the baseline's
is the lowest WRatio cut-off that escalates at least 90% of the out-of-scope queries (its best
case), reported with its rank-1 accuracy as well.

Then the blind sets of issue 14 (tests/kb_eval/fresh, dev and probe: chat, whole e-mails, near
misses, written blind to the KB's phrasings), per set, half and style, side by side on the
shipped KB: today's matcher as shipped, and ours, WRatio extractOne and TF-IDF (character 2-5-grams
of folded text) + logistic regression under one rule (answer when the top score clears a threshold
chosen on the tuning halves); then the latency per chat message and per whole e-mail (every half of
the fresh and dev sets, the pool earlier figures were timed on), with the shipped and the synthetic KB.

    .venv/bin/python benchmarks/kb_match.py [--entries 5000] [--repeat 3]
        [--set fresh|dev|probe|all|fresh,dev]
        [--half tune|frozen|holdout|holdout2|both]
    .venv/bin/python benchmarks/kb_match.py --latency-only [--entries 5000] [--repeat 3]

``--latency-only`` times the shipped matcher alone (``matcher.match`` per chat message and per whole
e-mail of the fresh and dev sets, wall and CPU, with the shipped and the synthetic knowledge base) and
skips the accuracy tables and the baselines: about a minute instead of fifteen. It prints timings
only, never a sealed half's results.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests.kb_eval

from helpdesk.knowledge import decision_rule
from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.model import LANGUAGES, Entry, KnowledgeBase, Localized
from helpdesk.knowledge.text import words
from helpdesk.settings import load_settings
from tests.kb_eval.baselines import MatcherScorer, WRatioScorer, compared_methods, side_by_side
from tests.kb_eval.evaluate import Query, evaluate, load_queries
from tests.kb_eval.fresh_eval import load, set_names
from tests.kb_eval.fresh_set import SEALED, TUNE, TUNED_ON, Item

# Latency is timed on every half of the sets earlier figures were timed on, so they stay comparable.
TIMED = ",".join(TUNED_ON)

LATIN_SYLLABLES = [
    "ka",
    "ri",
    "ne",
    "ma",
    "la",
    "to",
    "sē",
    "vi",
    "da",
    "pu",
    "ģe",
    "ro",
    "šu",
    "ki",
    "ta",
    "ze",
    "li",
    "mo",
    "ja",
    "nu",
    "pē",
    "di",
    "ko",
    "ra",
    "su",
    "ve",
    "ža",
    "bi",
]
CYRILLIC_SYLLABLES = [
    "ка",
    "ри",
    "не",
    "ма",
    "ла",
    "то",
    "се",
    "ви",
    "да",
    "пу",
    "ге",
    "ро",
    "шу",
    "ки",
    "та",
    "зе",
    "ли",
    "мо",
    "я",
    "ну",
    "пе",
    "ди",
    "ко",
    "ра",
    "су",
    "ве",
    "жа",
    "би",
]


def _word(rng: random.Random, syllables: list[str]) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))


def synthetic(base: KnowledgeBase, total: int, seed: int = 5) -> KnowledgeBase:
    """``base`` plus generated entries up to ``total``, 5 phrasings of 3-7 words per language.

    Words follow a Zipf distribution over a vocabulary that mixes the real knowledge base's words
    with 30,000 invented ones, as words in any text do: a few very common (real words among them,
    so real queries meet long posting lists), most rare.
    """
    rng = random.Random(seed)
    vocabulary: dict[str, list[str]] = {}
    for language in LANGUAGES:
        real = sorted({w for e in base.entries for t in e.matching_texts(language) for w in words(t)})
        syllables = CYRILLIC_SYLLABLES if language == "ru" else LATIN_SYLLABLES
        invented = [_word(rng, syllables) for _ in range(30_000)]
        mixed = real + invented
        rng.shuffle(mixed)
        vocabulary[language] = mixed
    ranks = list(range(1, len(vocabulary["lv"]) + 1))
    zipf = list(itertools.accumulate(1.0 / rank for rank in ranks))
    entries = list(base.entries)
    for number in range(total - len(entries)):
        texts = {}
        for language in LANGUAGES:
            words_ = vocabulary[language]
            phrasings = tuple(
                " ".join(
                    words_[min(bisect.bisect_left(zipf, rng.random() * zipf[-1]), len(words_) - 1)]
                    for _ in range(rng.randint(3, 7))
                )
                for _ in range(5)
            )
            texts[language] = Localized(title=phrasings[0], body="-", phrasings=phrasings)
        entries.append(Entry(id=f"synthetic-{number}", texts=texts))
    return KnowledgeBase(entries=tuple(entries), placeholders=base.placeholders, synonyms=base.synonyms)


Predict = Callable[[str], tuple[str, str | None, tuple[str, ...]]]


def ours(matcher: KnowledgeMatcher) -> Predict:
    def predict(text: str) -> tuple[str, str | None, tuple[str, ...]]:
        match = matcher.match(text)
        return str(match.decision), match.entry, tuple(c.entry for c in match.candidates)

    return predict


class Baseline(WRatioScorer):
    """extractOne over every phrasing and title, raw text, WRatio; answers at or above ``cutoff``."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        super().__init__(knowledge)
        self.cutoff = 0.0

    def best(self, text: str) -> tuple[str, float]:
        entry, score = self.top(text)
        assert entry is not None
        return entry, score

    def predict(self, text: str) -> tuple[str, str | None, tuple[str, ...]]:
        entry, score = self.best(text)
        if score >= self.cutoff:
            return "answer", entry, (entry,)
        return "escalate", None, (entry,)

    def calibrate(self, out_of_scope: list[Query]) -> None:
        """The lowest cut-off that escalates >= 90% of out-of-scope queries."""
        scores = sorted(self.best(query.text)[1] for query in out_of_scope)
        self.cutoff = scores[int(len(scores) * 0.9)] + 0.01


@dataclass
class Row:
    name: str
    accuracy: float
    rank1: float
    rejection: float
    wrong: int
    clarify: int
    p50_ms: float
    p99_ms: float


def latencies(call: Callable[[str], object], texts: list[str], repeat: int) -> tuple[float, float]:
    """Median and 99th percentile in milliseconds, after one untimed warm-up pass."""
    return _latencies(call, texts, repeat, time.perf_counter)


def cpu_latencies(call: Callable[[str], object], texts: list[str], repeat: int) -> tuple[float, float]:
    """The same in CPU time of this thread: on a shared machine the wall clock also counts the time
    other work holds the core, the CPU time only the matcher's own."""
    return _latencies(call, texts, repeat, time.thread_time)


def _latencies(
    call: Callable[[str], object], texts: list[str], repeat: int, clock: Callable[[], float]
) -> tuple[float, float]:
    for text in texts:
        call(text)
    samples: list[float] = []
    for _ in range(repeat):
        for text in texts:
            start = clock()
            call(text)
            samples.append((clock() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def rank1(top: Callable[[str], str | None], in_scope: list[Query]) -> float:
    return sum(top(query.text) == query.expected for query in in_scope) / len(in_scope)


def measure(
    name: str, predict: Predict, top: Callable[[str], str | None], timed: Callable[[str], object], repeat: int
) -> Row:
    in_scope, out_of_scope = load_queries()
    result = evaluate(predict, in_scope, out_of_scope)
    p50, p99 = latencies(timed, [q.text for q in in_scope + out_of_scope], repeat)
    return Row(
        name,
        result.accuracy,
        rank1(top, in_scope),
        result.rejection,
        result.wrong,
        result.clarified_right,
        p50,
        p99,
    )


def _ours_top(matcher: KnowledgeMatcher) -> Callable[[str], str | None]:
    def top(text: str) -> str | None:
        ranked = matcher.scores(text, matcher.detect_language(text, matcher.default_language))
        return ranked[0].entry if ranked else None

    return top


@dataclass
class FreshLatency:
    name: str
    chat: tuple[float, float]  # p50, p99 in ms per chat message
    mail: tuple[float, float]  # ... per whole e-mail
    cpu_p99: tuple[float, float] | None = None  # chat, mail p99 in CPU ms (ours only)


def fresh_latency(
    name: str, call: Callable[[str], object], repeat: int, items: list[Item], cpu: bool = False
) -> FreshLatency:
    """Per chat message and per whole e-mail of ``items`` (every half: timing tunes nothing, and
    nothing of a sealed half is printed)."""
    chat = [item.text for item in items if item.style == "chat"]
    mail = [item.text for item in items if item.style == "mail"]
    cpu_p99 = None
    if cpu:
        cpu_p99 = (cpu_latencies(call, chat, repeat)[1], cpu_latencies(call, mail, repeat)[1])
    return FreshLatency(name, latencies(call, chat, repeat), latencies(call, mail, repeat), cpu_p99)


def run(entries: int, repeat: int, timed: list[Item]) -> tuple[list[Row], list[FreshLatency]]:
    settings = load_settings()
    shipped, problems = read_knowledge(knowledge_dirs(None))
    assert not [p for p in problems if not p.warning], problems
    _, out_of_scope = load_queries()
    rows: list[Row] = []
    fresh_rows: list[FreshLatency] = []
    for label, knowledge in (
        (f"shipped ({len(shipped.entries)} entries)", shipped),
        (f"synthetic ({entries} entries)", synthetic(shipped, entries)),
    ):
        start = time.perf_counter()
        threshold, margin = decision_rule(settings.knowledge)
        matcher = KnowledgeMatcher(
            knowledge,
            threshold=threshold,
            margin=margin,
            default_language=settings.conversation.default_language,
        )
        build = time.perf_counter() - start
        print(f"{label}: matcher built in {build:.2f} s", file=sys.stderr)
        predict = ours(matcher)
        rows.append(measure(f"ours, {label}", predict, _ours_top(matcher), predict, repeat))
        fresh_rows.append(fresh_latency(f"ours, {label}", matcher.match, repeat, timed, cpu=True))
        baseline = Baseline(knowledge)
        baseline.calibrate(out_of_scope)
        rows.append(
            measure(
                f"WRatio extractOne (cut-off {baseline.cutoff:.0f}), {label}",
                baseline.predict,
                lambda text, b=baseline: b.best(text)[0],  # type: ignore[misc]
                baseline.timed_top,
                1,  # one timed pass: it is slow
            )
        )
    return rows, fresh_rows


def latency_only(entries: int, repeat: int) -> None:
    """The shipped matcher's latency rows of :func:`run`, without the accuracy tables or baselines."""
    settings = load_settings()
    shipped, problems = read_knowledge(knowledge_dirs(None))
    assert not [p for p in problems if not p.warning], problems
    threshold, margin = decision_rule(settings.knowledge)
    timed = load(TIMED, "both")
    rows = []
    for label, knowledge in (
        (f"shipped ({len(shipped.entries)} entries)", shipped),
        (f"synthetic ({entries} entries)", synthetic(shipped, entries)),
    ):
        matcher = KnowledgeMatcher(
            knowledge,
            threshold=threshold,
            margin=margin,
            default_language=settings.conversation.default_language,
        )
        rows.append(fresh_latency(f"ours, {label}", matcher.match, repeat, timed, cpu=True))
    print_latency(rows)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, default=5000, help="size of the synthetic knowledge base")
    parser.add_argument("--repeat", type=int, default=3, help="timing passes over the evaluation set")
    parser.add_argument(
        "--set", type=set_names, default="all", dest="evalset", help="blind sets: a name, all, or fresh,dev"
    )
    parser.add_argument(
        "--half", choices=(TUNE, *sorted(SEALED), "both"), default="both", help="of the blind sets"
    )
    parser.add_argument(
        "--latency-only", action="store_true", help="only the shipped matcher's latency (about a minute)"
    )
    args = parser.parse_args()
    if args.latency_only:
        latency_only(args.entries, args.repeat)
        return
    items = load(args.evalset, args.half)
    settings = load_settings()
    in_scope, out_of_scope = load_queries()
    threshold, margin = decision_rule(settings.knowledge)
    print(
        f"evaluation set: {len(in_scope)} in-scope, {len(out_of_scope)} out-of-scope queries; "
        f"threshold {threshold}, margin {margin}"
    )
    rows, fresh_rows = run(args.entries, args.repeat, load(TIMED, "both"))
    header = (
        f"{'method':<52} {'top-1':>6} {'rank-1':>6} {'OOS esc':>7} {'wrong':>5} {'clarify':>7} "
        f"{'p50 ms':>7} {'p99 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row.name:<52} {row.accuracy:>6.1%} {row.rank1:>6.1%} {row.rejection:>7.1%} {row.wrong:>5} "
            f"{row.clarify:>7} {row.p50_ms:>7.2f} {row.p99_ms:>7.2f}"
        )
    print(
        "top-1: answered with the expected entry (clarify counts as wrong); rank-1: best candidate is "
        "right, before the threshold; OOS esc: out-of-scope queries escalated; wrong: in-scope queries "
        "answered with another entry; clarify: in-scope asked back with the right entry among the buttons."
    )
    print_fresh(fresh_rows, args.repeat, items)


def print_fresh(fresh_rows: list[FreshLatency], repeat: int, items: list[Item]) -> None:
    """The chosen blind sets of issue 14 (tests/kb_eval/fresh, dev, probe), side by side on the
    shipped KB, then latency (on every half of the fresh and dev sets)."""
    shipped, _ = read_knowledge(knowledge_dirs(None))
    counts: dict[str, int] = {}
    for item in items:
        group = f"{item.evalset}/{item.half} {item.style}"
        counts[group] = counts.get(group, 0) + 1
    print(
        "\nblind sets (tests/kb_eval/<set>/<half>): "
        + ", ".join(f"{group} {n}" for group, n in counts.items())
        + "; thresholds chosen on the tuning halves"
    )
    settings = load_settings()
    threshold, margin = decision_rule(settings.knowledge)
    matcher = KnowledgeMatcher(
        shipped, threshold=threshold, margin=margin, default_language=settings.conversation.default_language
    )
    methods = compared_methods(shipped, matcher, items)
    print("\n".join(side_by_side(methods, items)))
    print(
        "chat OOS: small talk and closings; near: near misses; in-sc/OOS: every style; wrong: messages with "
        "an answered id they do not expect (% of all); w.act: wrong state-changing actions (count); "
        "rank1: best-scored entry is an expected one, before any threshold."
    )
    timed = load(TIMED, "both")
    for method in methods:
        scorer = method.scorer
        if isinstance(scorer, MatcherScorer):
            continue  # timed above, with both knowledge bases
        call = scorer.timed_top if isinstance(scorer, WRatioScorer) else scorer.top
        passes = 1 if isinstance(scorer, WRatioScorer) else repeat  # one timed pass: it is slow
        fresh_rows.append(fresh_latency(f"{method.name.split(' >=')[0]}, shipped", call, passes, timed))
    print_latency(fresh_rows)


def print_latency(fresh_rows: list[FreshLatency]) -> None:
    """The latency table: wall p50 and p99, CPU p99, per chat message and per whole e-mail."""
    header = (
        f"{'latency on fresh and dev':<52} {'chat p50':>8} {'chat p99':>8} {'mail p50':>8} {'mail p99':>8} "
        f"{'CPU chat p99':>12} {'CPU mail p99':>12}"
    )
    print("\n" + header)
    print("-" * len(header))
    for row in fresh_rows:
        cpu = f"{row.cpu_p99[0]:>12.2f} {row.cpu_p99[1]:>12.2f}" if row.cpu_p99 else f"{'-':>12} {'-':>12}"
        print(
            f"{row.name:<52} {row.chat[0]:>8.2f} {row.chat[1]:>8.2f} {row.mail[0]:>8.2f} {row.mail[1]:>8.2f} "
            + cpu
        )
    print(
        "ms per message: ours is matcher.match (the whole reading and decision); the baselines their top "
        "entry only. CPU: this thread's CPU time, which other work on a shared machine does not inflate."
    )


if __name__ == "__main__":
    main()
