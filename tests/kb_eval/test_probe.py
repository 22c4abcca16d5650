"""The probe set (tests/kb_eval/probe, the third blind set) is whole, labelled as its brief asked and
split by the stated rule, and ``--set`` can name it, every set, or the earlier two-set pool.

No accuracy floors: nothing was tuned on this set, and only its tuning half may ever be read for
failures (tests/kb_eval/fresh/README.md).
"""

from __future__ import annotations

from collections import Counter

import pytest

from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from tests.kb_eval.fresh_eval import ALL, Outcome, Part, _rows, load, score, set_names
from tests.kb_eval.fresh_set import (
    DEV_SET,
    FIELD_SET,
    FRESH_SET,
    PROBE_SET,
    SETS,
    STREET_SET,
    TUNED_ON,
    Item,
    load_items,
    select,
)

FUTURE_IDS = frozenset({"action:invoice-list", "repairs-emergency"})  # may be missing from the KB
SIZES = {"chat": 80, "mail": 120, "near_miss": 60}
LANGUAGE_COUNTS = {"lv": 117, "ru": 91, "en": 52}  # 45 %, 35 %, 20 %
CATALOGUE_IDS = 39  # entries and actions in the catalogue the set was written from


@pytest.fixture(scope="module")
def probe() -> list[Item]:
    return load_items(evalset=PROBE_SET)


def test_the_probe_set_is_whole_and_every_expected_id_exists(probe: list[Item]) -> None:
    knowledge, _ = read_knowledge(knowledge_dirs(None))
    known = {entry.id for entry in knowledge.entries} | FUTURE_IDS
    ids = [item.id for item in probe]
    assert len(ids) == len(set(ids)) == sum(SIZES.values())
    earlier = {item.id for evalset in (FRESH_SET, DEV_SET) for item in load_items(evalset=evalset)}
    assert not set(ids) & earlier
    assert Counter(item.style for item in probe) == SIZES
    assert Counter(item.lang for item in probe) == LANGUAGE_COUNTS
    assert not {(item.id, e) for item in probe for e in item.expect if e not in known}
    assert {item.evalset for item in probe} == {"probe"}
    covered = Counter(e for item in probe for e in item.expect)
    assert len(covered) >= CATALOGUE_IDS and min(covered.values()) >= 2  # every id at least twice


def test_the_probe_set_has_the_mix_its_brief_asked_for(probe: list[Item]) -> None:
    assert all(
        not item.expect for item in probe if item.style == "near_miss" or item.smalltalk or item.closing
    )
    chat = [item for item in probe if item.style == "chat"]
    flags = Counter(
        flag for item in chat for flag in ("translit", "mixed", "smalltalk", "closing") if getattr(item, flag)
    )
    assert flags["translit"] >= 15 and flags["mixed"] >= 10, flags
    assert flags["smalltalk"] >= 8 and flags["closing"] >= 6, flags
    mail = [item for item in probe if item.style == "mail"]
    assert sum(len(item.expect) >= 2 for item in mail) >= 30
    assert sum(not item.expect for item in mail) >= 20
    assert all(item.expect for item in mail if item.escalate_part)  # a part answered, a part escalated


def test_the_probe_split_is_pinned() -> None:
    pinned = {"pc-lv-001": "tune", "pm-en-001": "holdout2", "pm-lv-002": "tune", "pn-ru-001": "tune"}
    assert {item_id: PROBE_SET.half_of(item_id) for item_id in pinned} == pinned
    assert PROBE_SET.halves == ("tune", "holdout2")


def test_set_names_select_one_set_all_or_a_pool() -> None:
    assert select("all") == list(SETS.values())
    assert select("probe") == [PROBE_SET]
    assert select("dev,fresh") == [FRESH_SET, DEV_SET] == select(",".join(TUNED_ON))
    for wrong in ("", "fresh,nope", "frozen"):
        with pytest.raises(ValueError, match="unknown set"):
            select(wrong)
    assert set_names("fresh,dev") == "fresh,dev"


def test_load_reads_only_the_chosen_sets_and_halves() -> None:
    earlier = load("fresh,dev", "tune")
    assert {(item.evalset, item.half) for item in earlier} == {("fresh", "tune"), ("dev", "tune")}
    pooled = load("all", "tune")
    assert {item.evalset for item in pooled} == set(SETS)
    later = (PROBE_SET, FIELD_SET, STREET_SET)
    assert len(pooled) == len(earlier) + sum(len(load_items("tune", evalset=s)) for s in later)
    assert {(item.evalset, item.half) for item in load("all", "holdout2")} == {("probe", "holdout2")}
    with pytest.raises(SystemExit):
        load("fresh,dev", "holdout2")


def test_one_set_gets_no_pooled_rows_of_sets() -> None:
    """``--set probe`` prints the set's halves and both halves together, not a copy of them as "all"
    sets (the rows pool sets only when more than one was read)."""
    items = [
        Item(f"pm-lv-00{n}", "mail", half, "lv", ("late-fee",), "text", evalset="probe")
        for n, half in ((1, "tune"), (2, "holdout2"))
    ]
    rows = _rows(score(Outcome(item, "lv", (Part("late-fee", "answer"),)) for item in items))
    assert {row[0] for row in rows} == {"probe", ALL}
    assert [row for row in rows if row[0] == ALL] == [(ALL, ALL, "mail"), (ALL, ALL, ALL)]
