"""The field set (tests/kb_eval/field, the fourth blind set) is whole, labelled as its brief asked and
split by the stated rule, and ``--set all`` pools its tuning half with the others.

No accuracy floors: its sealed half (``holdout3``) is only ever run for aggregates, and its tuning half
was first measured before anything was tuned on it (tests/kb_eval/fresh/README.md).
"""

from __future__ import annotations

from collections import Counter

import pytest

from helpdesk.knowledge.files import knowledge_dirs, read_knowledge
from tests.kb_eval.fresh_eval import load
from tests.kb_eval.fresh_set import DEV_SET, FIELD_SET, FRESH_SET, PROBE_SET, SETS, Item, load_items

SIZES = {"chat": 115, "mail": 115, "near_miss": 90}
LANGUAGE_COUNTS = {"lv": 122, "ru": 112, "en": 86}  # the reply language, not the writer's file
CATALOGUE_IDS = 39  # entries and actions in the catalogue the set was written from


@pytest.fixture(scope="module")
def field() -> list[Item]:
    return load_items(evalset=FIELD_SET)


def test_the_field_set_is_whole_and_every_expected_id_exists(field: list[Item]) -> None:
    knowledge, _ = read_knowledge(knowledge_dirs(None))
    known = {entry.id for entry in knowledge.entries}
    ids = [item.id for item in field]
    assert len(ids) == len(set(ids)) == sum(SIZES.values())
    earlier = {item.id for evalset in (FRESH_SET, DEV_SET, PROBE_SET) for item in load_items(evalset=evalset)}
    assert not set(ids) & earlier
    assert Counter(item.style for item in field) == SIZES
    assert Counter(item.lang for item in field) == LANGUAGE_COUNTS
    assert not {(item.id, e) for item in field for e in item.expect if e not in known}
    covered = Counter(e for item in field for e in item.expect)
    assert len(covered) == CATALOGUE_IDS and min(covered.values()) >= 3  # every id, each three times


def test_the_field_set_has_the_mix_its_brief_asked_for(field: list[Item]) -> None:
    assert all(
        not item.expect for item in field if item.style == "near_miss" or item.smalltalk or item.closing
    )
    chat = [item for item in field if item.style == "chat"]
    flags = Counter(
        flag for item in chat for flag in ("translit", "mixed", "smalltalk", "closing") if getattr(item, flag)
    )
    assert flags["translit"] >= 12 and flags["mixed"] >= 12, flags
    assert flags["smalltalk"] >= 8 and flags["closing"] >= 6, flags
    mail = [item for item in field if item.style == "mail"]
    assert sum(len(item.expect) >= 2 for item in mail) >= 30
    assert sum(not item.expect for item in mail) >= 15
    assert all(item.expect for item in mail if item.escalate_part)  # a part answered, a part escalated


def test_the_field_split_is_pinned() -> None:
    pinned = {"fc-lv-001": "tune", "fm-en-001": "tune", "fm-lv-002": "tune", "fn-ru-001": "holdout3"}
    assert {item_id: FIELD_SET.half_of(item_id) for item_id in pinned} == pinned
    assert FIELD_SET.halves == ("tune", "holdout3")


def test_every_split_file_holds_only_its_half(field: list[Item]) -> None:
    assert all(item.half == FIELD_SET.half_of(item.id) for item in field)
    assert Counter(item.half for item in field) == {"tune": 162, "holdout3": 158}


def test_all_pools_the_field_tuning_half_and_reads_no_sealed_file() -> None:
    pooled = load("all", "tune")
    assert {item.evalset for item in pooled} == set(SETS)
    assert {item.half for item in pooled} == {"tune"}
    assert {(item.evalset, item.half) for item in load("all", "holdout3")} == {("field", "holdout3")}
