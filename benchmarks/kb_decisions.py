"""Every decision the knowledge matcher takes on the texts it is tuned on, one JSON line each: the
proof that a change meant to make the matcher cheaper left what it decides alone.

The texts: every query of tests/kb_eval/in_scope.yaml and out_of_scope.yaml and every item of the
tuning halves of the blind sets (tests/kb_eval/fresh, tests/kb_eval/dev; a sealed half is never
opened). Each is read by the shipped knowledge base and by benchmarks/kb_match.py's synthetic one
(``--entries``, the slow case, where pruning is tested hardest), with no language hint and with each
language as the hint, and written as ``helpdesk kb match --json`` writes it (parts, scores,
candidates), plus the top ten entries :meth:`KnowledgeMatcher.scores` ranks. Run it before and after
the change and compare the files:

    .venv/bin/python benchmarks/kb_decisions.py /tmp/before.jsonl
    .venv/bin/python benchmarks/kb_decisions.py /tmp/after.jsonl
    cmp /tmp/before.jsonl /tmp/after.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests.kb_eval

from kb_match import synthetic  # this folder is on sys.path when the script runs

from helpdesk.knowledge import decision_rule
from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.knowledge.model import KnowledgeBase
from helpdesk.knowledge.report import reading_record
from helpdesk.settings import load_settings
from tests.kb_eval.evaluate import load_queries
from tests.kb_eval.fresh_eval import load
from tests.kb_eval.fresh_set import TUNE

HINTS = (None, "lv", "ru", "en")


def texts() -> list[tuple[str, str]]:
    """(where from, text) of every text read: the tuned set's queries, the blind sets' tuning halves."""
    in_scope, out_of_scope = load_queries()
    found = [("in_scope", q.text) for q in in_scope] + [("out_of_scope", q.text) for q in out_of_scope]
    return found + [(item.id, item.text) for item in load("all", TUNE)]


def matcher_for(knowledge: KnowledgeBase) -> KnowledgeMatcher:
    settings = load_settings()
    threshold, margin = decision_rule(settings.knowledge)
    return KnowledgeMatcher(
        knowledge, threshold=threshold, margin=margin, default_language=settings.conversation.default_language
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("output", type=Path, help="the JSON Lines file to write")
    parser.add_argument("--entries", type=int, default=5000, help="size of the synthetic knowledge base")
    args = parser.parse_args()
    shipped, problems = read_knowledge(knowledge_dirs(None))
    if [p for p in problems if not p.warning]:
        raise SystemExit(f"knowledge base: {problems[0]}")
    read = texts()
    lines = 0
    with args.output.open("w", encoding="utf-8") as out:
        for label, knowledge in (("shipped", shipped), ("synthetic", synthetic(shipped, args.entries))):
            matcher = matcher_for(knowledge)
            for source, text in read:
                for hint in HINTS:
                    record = reading_record(matcher.read(text, hint))
                    language = matcher.detect_language(text, hint or matcher.default_language)
                    ranked = [[c.entry, c.score] for c in matcher.scores(text, language)]
                    line = {"kb": label, "from": source, "hint": hint, "text": text, "ranked": ranked}
                    out.write(json.dumps({**line, **record}, ensure_ascii=False, sort_keys=True) + "\n")
                    lines += 1
    print(f"{lines} readings of {len(read)} texts written to {args.output}")


if __name__ == "__main__":
    main()
