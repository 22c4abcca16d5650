"""The matcher's work per message in instructions, which other work on a shared machine does not
move: the wall clock and even the CPU time of one thread do (caches, the other hyperthread).

Build the matcher with benchmarks/kb_match.py's synthetic knowledge base once and save it, then read
every chat message or whole e-mail of the fresh and dev tuning halves (the sets
``kb_match.py --latency-only`` times) once untimed (the caches
a resident process has warm) and once more under callgrind, which counts only the second pass (each
``matcher.match`` runs inside ``map``):

    PYTHONHASHSEED=0 .venv/bin/python benchmarks/kb_instructions.py build /tmp/kb.pickle
    PYTHONHASHSEED=0 valgrind --tool=callgrind --collect-atstart=no --toggle-collect=map_next \\
        .venv/bin/python benchmarks/kb_instructions.py run /tmp/kb.pickle mail

("Collected" is the count.) Build the file with the code measured: the pickle holds the matcher's
own structures. Compare two checkouts with their own pickles, a few minutes each under valgrind.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests.kb_eval

from kb_match import TIMED, synthetic  # this folder is on sys.path when the script runs

from helpdesk.knowledge import decision_rule
from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from helpdesk.knowledge.matcher import KnowledgeMatcher
from helpdesk.settings import load_settings
from tests.kb_eval.fresh_eval import load
from tests.kb_eval.fresh_set import TUNE

STYLES = ("chat", "mail")


def build(path: Path, entries: int) -> None:
    settings = load_settings()
    shipped, _ = read_knowledge(knowledge_dirs(None))
    threshold, margin = decision_rule(settings.knowledge)
    matcher = KnowledgeMatcher(
        synthetic(shipped, entries),
        threshold=threshold,
        margin=margin,
        default_language=settings.conversation.default_language,
    )
    items = load(TIMED, TUNE)  # the sets kb_match.py times, their tuning halves
    texts = {style: [item.text for item in items if item.style == style] for style in STYLES}
    with path.open("wb") as out:
        pickle.dump((matcher, texts), out)


def run(path: Path, style: str) -> None:
    with path.open("rb") as found:
        matcher, texts = pickle.load(found)  # a file this script wrote
    for text in texts[style]:  # warm-up, not counted
        matcher.match(text)
    list(map(matcher.match, texts[style]))  # counted: --toggle-collect=map_next


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", choices=("build", "run"))
    parser.add_argument("path", type=Path, help="the saved matcher and texts")
    parser.add_argument("style", nargs="?", choices=STYLES, default="mail")
    parser.add_argument("--entries", type=int, default=5000, help="size of the synthetic knowledge base")
    args = parser.parse_args()
    if args.what == "build":
        build(args.path, args.entries)
    else:
        run(args.path, args.style)


if __name__ == "__main__":
    main()
