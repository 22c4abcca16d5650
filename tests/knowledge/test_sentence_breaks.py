"""Where a sentence ends (``reading._BREAK``) in a long run of blank space: the marks that begin with
spaces (a face, a spoken full stop) are tried where the run begins, not at each space of it, so a
mail padded with blank space is cut in one pass. The texts are invented for these tests."""

from __future__ import annotations

import time

from helpdesk.knowledge import reading


def _breaks(text: str) -> list[str]:
    return [found.group(0) for found in reading._BREAK.finditer(text)]


def test_a_long_run_of_spaces_is_cut_in_one_pass() -> None:
    text = "Kā samaksāt" + " " * 20_000 + "rēķinu"
    started = time.perf_counter()
    assert _breaks(text) == []
    assert time.perf_counter() - started < 2.0  # a pass per space took half a minute


def test_a_face_and_a_spoken_full_stop_still_end_a_sentence_after_several_spaces() -> None:
    assert _breaks("rēķins nav atnācis   😤   vai varat atsūtīt") == ["   😤   "]
    assert _breaks("schet ne prishol(  mozhesh skinut") == ["(  "]
    assert _breaks("rēķins nav atnācis   punkts ko man darīt") == []  # "punkts" after two spaces is no mark
    assert _breaks("rēķins nav atnācis punkts ko man darīt") == [" punkts "]
    assert _breaks("invoice missing    full stop   what now") == ["    full stop   "]
