"""docs/telegram.md, "Trying it by hand", run as a reader runs it: the page's own commands, read
from the page (so page and test cannot drift), in bash, from a directory laid out like a fresh clone
after ``make demo`` (``.venv`` and ``tests/`` as in the clone, ``var/demo`` just seeded). The two
long-running commands run in the background and are stopped at the end; the last command's output
must be what the page shows. The only liberty taken is the port, which the page says may be any free
one."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "telegram.md"
SECTION = "Trying it by hand"
EXAMPLE_PORT = "8081"


def _section() -> str:
    text = PAGE.read_text(encoding="utf-8")
    start = text.index(f"## {SECTION}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _blocks(section: str, language: str) -> list[str]:
    return [m.group(1) for m in re.finditer(rf"^```{language}\n(.*?)^```", section, re.MULTILINE | re.DOTALL)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _reader_env() -> dict[str, str]:
    """The reader's shell: nothing of ours configured."""
    return {key: value for key, value in os.environ.items() if not key.startswith("HELPDESK_")}


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A directory shaped like the clone's root after ``make demo --no-serve``."""
    venv = Path(sys.prefix)
    assert (venv / "bin" / "helpdesk").is_file(), f"run the tests with the project's venv, not {venv}"
    (tmp_path / ".venv").symlink_to(venv)
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    seeded = subprocess.run(
        [".venv/bin/helpdesk", "demo", "--no-serve"],
        cwd=tmp_path,
        env=_reader_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seeded.returncode == 0, seeded.stderr
    return tmp_path


class Background:
    """Commands started in their own process group, all stopped at the end."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, name: str, script: str) -> tuple[Path, Path]:
        out, err = self.cwd / f"{name}.out", self.cwd / f"{name}.err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            self.processes.append(
                subprocess.Popen(
                    ["bash", "-c", script],
                    cwd=self.cwd,
                    env=_reader_env(),
                    stdout=stdout,
                    stderr=stderr,
                    start_new_session=True,
                )
            )
        return out, err

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def background(clone: Path) -> Iterator[Background]:
    running = Background(clone)
    try:
        yield running
    finally:
        running.stop()


def _wait(what: str, ready: Any, processes: list[subprocess.Popen[bytes]], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        ended = [p.args for p in processes if p.poll() is not None]
        assert not ended, f"ended before {what}: {ended}"
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.2)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _json_values(text: str) -> list[Any]:
    """The JSON values printed one after another (curl adds no newline between them)."""
    decoder, values, position = json.JSONDecoder(), [], 0
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        value, position = decoder.raw_decode(text, position)
        values.append(value)
    return values


def _matches(expected: Any, actual: Any) -> bool:
    """Equal, where a string the page ends with "…" stands for any string starting with the rest."""
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and expected.keys() == actual.keys()
            and all(_matches(value, actual[key]) for key, value in expected.items())
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(expected) == len(actual)
            and all(_matches(e, a) for e, a in zip(expected, actual, strict=True))
        )
    if isinstance(expected, str) and expected.endswith("…") and isinstance(actual, str):
        return actual.startswith(expected[:-1])
    return bool(expected == actual)


def test_the_walkthrough_works_as_written(clone: Path, background: Background) -> None:
    section = _section()
    fake_api, bot, reader = _blocks(section, "sh")
    [shown] = _blocks(section, "json")
    # The page lets the reader choose another port, the same in all three commands; so do we.
    note = f"The port, {EXAMPLE_PORT}, is an example: any free port works, written the same in all three."
    assert note in " ".join(section.split())
    port = _free_port()
    fake_api, bot, reader = (block.replace(EXAMPLE_PORT, str(port)) for block in (fake_api, bot, reader))
    started = background.processes

    background.start("fake_api", fake_api)
    _wait("the fake Bot API listens", lambda: _listening(port), started)

    [ready] = re.findall(r"Wait until it logs `([^`]+)`", section)
    _, bot_err = background.start("bot", bot)
    _wait(f"the bot logs {ready!r}", lambda: ready in bot_err.read_text(encoding="utf-8"), started)
    first_line = bot_err.read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("helpdesk: using the demo database in var/demo/")  # "says so"

    result = subprocess.run(
        ["bash", "-c", reader], cwd=clone, env=_reader_env(), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    queued, calls = _json_values(result.stdout)
    assert queued == {"queued": 1}
    methods = [call["method"] for call in calls]
    assert methods[0] == "getMe" and methods.count("setMyCommands") == 4  # default + lv, ru, en
    assert methods.index("deleteWebhook") > methods.index("setMyCommands")
    assert methods[-1] == "sendMessage" and methods.count("sendMessage") == 1, methods
    expected = json.loads(shown)
    assert _matches(expected, calls[-1]), f"the page shows {expected}\nthe bot sent {calls[-1]}"
    assert "Traceback" not in bot_err.read_text(encoding="utf-8")
    assert not (clone / "helpdesk.db").exists()


def test_the_fake_api_needs_nothing_but_what_make_demo_installs() -> None:
    """``make demo`` installs the package without its dev extras; the fake Bot API is started with
    that venv's python, so it must import no distribution that only the dev extras bring."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def name(requirement: str) -> str:
        return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")

    dev_only = {name(r) for r in project["optional-dependencies"]["dev"]} - {
        name(r) for r in project["dependencies"]
    }
    probe = "import json, sys, tests.bot.fake_api; print(json.dumps(sorted(sys.modules)))"
    imported = json.loads(
        subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
        ).stdout
    )
    distributions = importlib.metadata.packages_distributions()
    used = {
        dist.lower().replace("_", "-")
        for module in imported
        for dist in distributions.get(module.split(".")[0], [])
    }
    assert dev_only and not used & dev_only, sorted(used & dev_only)
