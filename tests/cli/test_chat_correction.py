"""``helpdesk chat`` collects the details of a correction request as the Telegram bot does: after
"My data → Correct my data" the next typed line joins that request; a button or a command in
between ends the collection (demo database, real handlers, both backends)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from helpdesk.cli import main

# The chat opens with the handlers' menu: [4] is "My data"; its offer's [2] is "Correct my data".
MY_DATA, CORRECT = "4", "2"


def _chat(lines: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    assert main(["demo", "--no-serve"]) == 0
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join([*lines, "/quit"]) + "\n"))
    assert main(["chat", "--resident", "R-1001"]) == 0
    return capsys.readouterr().out


def _queue_of_r1001(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    assert main(["requests", "list", "--json"]) == 0
    return [item for item in json.loads(capsys.readouterr().out) if item["resident_id"] == "R-1001"]


def test_the_next_line_joins_the_correction_request(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _chat([MY_DATA, CORRECT, "Mans uzvārds ir Bērziņš, nevis Berzins"], capsys, monkeypatch)
    assert "kas ir nepareizi un kā tam jābūt" in out
    assert "Paldies, pievienoju šo ziņu Jūsu pieprasījumam #" in out
    [item] = _queue_of_r1001(capsys)  # one item with the details, no question
    assert item["kind"] == "correction" and item["summary"] == "Mans uzvārds ir Bērziņš, nevis Berzins"


@pytest.mark.parametrize(
    "in_between",
    # a command, a typo, no such button, the reply's own "Menu" button, a button of the menu
    [["/invoice"], ["/nonsense"], ["9"], ["1"], ["/menu", "1"]],
)
def test_a_button_or_a_command_in_between_ends_the_collection(
    in_between: list[str], cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _chat([MY_DATA, CORRECT, *in_between, "Kāpēc mans skaitītājs rāda nulli?"], capsys, monkeypatch)
    if in_between[-1] == "1":
        assert "bot> Kā varu Jums palīdzēt?" in out.split("kas ir nepareizi", 1)[1]  # the menu again
    if in_between in (["/invoice"], ["/menu", "1"]):
        assert "[PDF]" in out  # handled as itself: the latest invoice
    items = {item["kind"]: item for item in _queue_of_r1001(capsys)}
    assert set(items) == {"correction", "question"}
    assert items["correction"]["summary"] == ""
