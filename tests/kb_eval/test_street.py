"""The street set (tests/kb_eval/street, the fifth blind set) is whole, labelled as its brief asked and
split by the stated rule, and ``--set all`` pools its tuning half with the others.

No accuracy floors: its sealed half (``holdout4``) is only ever run for aggregates, and both halves were
first measured before anything was tuned on them (tests/kb_eval/fresh/README.md).
"""

from __future__ import annotations

from collections import Counter

import pytest

from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from tests.kb_eval.fresh_eval import load
from tests.kb_eval.fresh_set import SETS, STREET_SET, Item, load_items

SIZES = {"chat": 119, "mail": 119, "near_miss": 82}
LANGUAGE_COUNTS = {"lv": 107, "ru": 123, "en": 90}  # the reply language, not the writer's file
CATALOGUE_IDS = 39  # entries and actions in the catalogue the set was written from


@pytest.fixture(scope="module")
def street() -> list[Item]:
    return load_items(evalset=STREET_SET)


def test_the_street_set_is_whole_new_and_every_expected_id_exists(street: list[Item]) -> None:
    knowledge, _ = read_knowledge(knowledge_dirs(None))
    known = {entry.id for entry in knowledge.entries}
    ids = [item.id for item in street]
    assert len(ids) == len(set(ids)) == sum(SIZES.values())
    earlier = {
        item.id
        for evalset in SETS.values()
        if evalset is not STREET_SET
        for item in load_items(evalset=evalset)
    }
    assert not set(ids) & earlier
    assert Counter(item.style for item in street) == SIZES
    assert Counter(item.lang for item in street) == LANGUAGE_COUNTS
    assert not {(item.id, e) for item in street for e in item.expect if e not in known}
    covered = Counter(e for item in street for e in item.expect)
    assert len(covered) == CATALOGUE_IDS and min(covered.values()) >= 3  # every id, each three times


def test_the_street_set_has_the_mix_its_brief_asked_for(street: list[Item]) -> None:
    assert all(
        not item.expect for item in street if item.style == "near_miss" or item.smalltalk or item.closing
    )
    chat = [item for item in street if item.style == "chat"]
    flags = Counter(
        flag for item in chat for flag in ("translit", "mixed", "smalltalk", "closing") if getattr(item, flag)
    )
    assert flags["translit"] >= 20 and flags["mixed"] >= 12, flags
    assert flags["smalltalk"] >= 20 and flags["closing"] >= 15, flags
    mail = [item for item in street if item.style == "mail"]
    assert sum(len(item.expect) >= 2 for item in mail) >= 80  # most mails ask two or more things
    assert sum(len(item.expect) >= 3 for item in mail) >= 50
    assert sum(not item.expect for item in mail) >= 20
    assert all(item.expect for item in mail if item.escalate_part)  # a part answered, a part escalated


def test_the_street_split_is_pinned() -> None:
    pinned = {"sc-lv-001": "tune", "sm-en-001": "tune", "sm-lv-002": "tune", "sn-ru-001": "holdout4"}
    assert {item_id: STREET_SET.half_of(item_id) for item_id in pinned} == pinned
    assert STREET_SET.halves == ("tune", "holdout4")


def test_every_street_split_file_holds_only_its_half(street: list[Item]) -> None:
    assert all(item.half == STREET_SET.half_of(item.id) for item in street)
    assert Counter(item.half for item in street) == {"tune": 157, "holdout4": 163}


def test_all_pools_the_street_tuning_half_and_reads_no_sealed_file() -> None:
    pooled = load("all", "tune")
    assert {item.evalset for item in pooled} == set(SETS)
    assert {item.half for item in pooled} == {"tune"}
    assert {(item.evalset, item.half) for item in load("all", "holdout4")} == {("street", "holdout4")}
