"""A message padded with a long run of blank space or punctuation is read in one pass: every pattern
that begins with such a run (a clause cut ", un kā …", a reason "… because …", a "thanks" at the
end) is tried where the run begins, not at each character of it, so a 4,000-character message of
tabs, non-breaking spaces, dots or commas (the longest text the channels accept) costs milliseconds,
not the half a second each that blocked every chat of the process. What is cut is the same: the
decisions of the tuning texts are byte-identical (``benchmarks/kb_decisions.py``). The texts are
invented for these tests."""

from __future__ import annotations

import re
import time

import pytest

from helpdesk.knowledge import clauses, reasons, signoff
from helpdesk.knowledge.matcher import KnowledgeMatcher

PADDED = {
    "tabs": "hello" + " \t" * 1950 + "because",
    "non-breaking spaces": "hello" + "\u00a0" * 3900 + " jo",
    "dots": "kā samaksāt" + ". " * 1900,
    "commas": "kā samaksāt" + ", " * 1900,
}


@pytest.mark.parametrize("text", PADDED.values(), ids=PADDED.keys())
def test_a_padded_message_is_read_quickly(matcher: KnowledgeMatcher, text: str) -> None:
    matcher.read("Kā samaksāt rēķinu?")  # the indexes warm
    started = time.perf_counter()
    matcher.read(text[:4000])
    assert time.perf_counter() - started < 0.25  # each took 0.4-0.7 s before, 0.01-0.08 s now


@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        (clauses._CLAUSE, "kā samaksāt rēķinu   un kur to redzēt", ["   "]),
        (clauses._CLAUSE, "kā samaksāt rēķinu, un kur to redzēt", [", "]),
        (clauses._SECOND_VERB, "atsutiet rekinu  un atrakstiet mani", ["  "]),
        (reasons._BECAUSE, "kā to izdarīt ,  jo esmu prom", [",  "]),
        (reasons._COMMA, "jautājums  , kur", ["  , "]),
        (signoff._THANKS_TAIL, "kā samaksāt . . paldies", [" . . paldies"]),
    ],
)
def test_a_run_is_still_cut_where_it_begins(pattern: re.Pattern[str], text: str, found: list[str]) -> None:
    assert [m.group(0) for m in pattern.finditer(text)] == found
