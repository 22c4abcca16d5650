"""The file store: a stored path never leaves the directory, and a write is never seen half done."""

from __future__ import annotations

import stat
from pathlib import Path

from helpdesk.storage.files import stored_path, write_atomically


def test_a_stored_path_stays_inside_the_directory(tmp_path: Path) -> None:
    assert stored_path(tmp_path, "R-1/INV.pdf") == (tmp_path / "R-1" / "INV.pdf").resolve()
    assert stored_path(tmp_path, "../outside.pdf") is None
    assert stored_path(tmp_path, "/etc/passwd") is None


def test_a_write_replaces_the_file_whole_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "_exports" / "request-1" / "data.json"
    write_atomically(target, b"old")
    write_atomically(target, b"new", mode=0o600)
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [path.name for path in target.parent.iterdir()] == ["data.json"]
