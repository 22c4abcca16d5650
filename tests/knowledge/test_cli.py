"""``helpdesk kb match | check | misses | add-from-request``, in-process through ``main()`` (and once as
a real process for the stdin stream), the DB-backed ones on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from helpdesk.app import build_services
from helpdesk.cli import main
from helpdesk.core.types import Channel, Inquiry, ReplyKind
from helpdesk.handlers.dispatch import handle
from helpdesk.knowledge import load_matcher
from helpdesk.settings import load_settings
from helpdesk.storage.models.requests import RequestKind
from helpdesk.storage.repositories import conversations, requests

PERSONAL_CODE = "010180-12345"


@pytest.fixture
def kb_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean working directory and no HELPDESK_* settings (no database needed)."""
    for name in list(os.environ):
        if name.startswith("HELPDESK_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_match_json(kb_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "match", "Kā pieslēgties ar eID?", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["entry"] == "login-eid"
    assert record["decision"] == "answer"
    assert record["language"] == "lv"
    assert isinstance(record["score"], float) and 0 <= record["score"] <= 100
    assert record["candidates"][0] == {"entry": "login-eid", "score": record["score"]}


def test_match_action_and_escalate(kb_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "match", "atsūtiet man rēķinu", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entry"] == "action:invoice"
    assert main(["kb", "match", "kāds laiks būs rīt", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["entry"], record["decision"]) == (None, "escalate")


def test_match_json_lists_each_question_of_an_email(kb_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mail = (
        "Labdien!\n\nŠomēnes rēķins tā arī nav pienācis uz e-pastu, kur to var atrast?\n"
        "Un vēl: vai rēķinu var apmaksāt ar bankas karti tieši portālā?\n\nAr cieņu,\nAnna Liepa\n"
        "Brīvības iela 1-2, Rīga\n"
    )
    assert main(["kb", "match", mail, "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["kind"] == "question"
    assert [(p["decision"], p["entry"]) for p in record["parts"]] == [
        ("answer", "invoice-missing"),
        ("answer", "pay-online"),
    ]
    assert (record["decision"], record["entry"]) == ("answer", "invoice-missing")  # the main question
    for part in record["parts"]:
        assert mail[part["start"] : part["end"]] == part["text"]
        assert "Labdien" not in part["text"] and "Anna" not in part["text"]


def test_match_json_says_thanks_and_small_talk_are_no_question(
    kb_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("paldies, uz redzēšanos\nкакая завтра погода в Риге?\n"))
    assert main(["kb", "match", "-"]) == 0
    closing, smalltalk = _lines(capsys.readouterr().out)
    assert (closing["kind"], closing["parts"], closing["decision"]) == ("closing", [], "escalate")
    assert (smalltalk["kind"], smalltalk["parts"], smalltalk["language"]) == ("smalltalk", [], "ru")


def test_match_human_readable(kb_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "match", "atrakstiet mani"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("answer: action:consent-withdraw (score ")
    assert out[0].endswith(", lv)")
    assert "action:consent-withdraw" in out[1]


def test_match_lang_is_a_hint_for_short_texts(kb_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "match", "eID?", "--lang", "ru", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["language"] == "ru"
    assert main(["kb", "match", "eID?", "--lang", "en", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["language"] == "en"


def test_match_stdin_one_json_line_per_query(
    kb_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("atsūti rēķinu\n\nпришлите мой счёт\nunsubscribe me\n"))
    assert main(["kb", "match", "-"]) == 0
    records = _lines(capsys.readouterr().out)
    assert [r["entry"] for r in records] == ["action:invoice", "action:invoice", "action:consent-withdraw"]
    assert [r["language"] for r in records] == ["lv", "ru", "en"]


def test_match_stdin_streams_as_a_real_process(kb_env: Path) -> None:
    """Each answer comes out before the next query goes in (a pipe partner can wait for it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HELPDESK_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "helpdesk", "kb", "match", "-"],
        cwd=kb_env,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write("kā iesniegt skaitītāju rādījumus\n")
        process.stdin.flush()
        first = json.loads(process.stdout.readline())  # answered while stdin is still open
        assert first["entry"] == "meter-readings-how"
        process.stdin.write("how do I pay online\n")
        process.stdin.close()
        rest = _lines(process.stdout.read())
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert [r["entry"] for r in rest] == ["pay-online"]


def test_check_passes_on_the_shipped_kb(kb_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "check"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "0 error(s), 0 warning(s)" in captured.err
    assert "(7 actions)" in captured.err and "languages en, lv, ru" in captured.err


def test_check_reports_file_and_line(
    kb_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    local = kb_env / "kb"
    local.mkdir()
    (local / "extra.yaml").write_text(
        "- id: gate-code\n"
        "  lv:\n"
        "    title: Vārtu kods\n"
        "    body: Kodu zina {manager_gate}.\n"
        "    phrasings: [vārtu kods]\n"
        "- id: login-eid\n"
        "  en:\n"
        "    title: Again\n"
        "    body: Duplicate.\n"
        "    phrasings: [eid login]\n"
        "- id: action:pizza\n"
        "  lv:\n"
        "    phrasings: [pica]\n",
        encoding="utf-8",
    )
    (local / "broken.yaml").write_text("- id: x\n  lv: [unclosed\n", encoding="utf-8")
    monkeypatch.setenv("HELPDESK_KB_EXTRA_DIR", str(local))
    assert main(["kb", "check"]) == 1
    out = capsys.readouterr().out
    extra, broken = local / "extra.yaml", local / "broken.yaml"
    assert f"{extra}:1: warning: gate-code: only in lv" in out
    assert f"{extra}:1: gate-code: unknown placeholder {{manager_gate}} in lv" in out
    assert f"{extra}:6: login-eid: duplicate id (first at " in out
    assert f"{extra}:11: action:pizza: unknown action" in out
    assert f"{broken}:3: not valid YAML" in out
    # the matcher refuses to start on the same files, naming the first error
    assert main(["kb", "match", "rēķins"]) == 2
    assert "knowledge base: " in capsys.readouterr().err


def test_local_entries_in_one_language_are_matched(
    kb_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    local = kb_env / "kb"
    local.mkdir()
    (local / "gate-code.yaml").write_text(
        "- id: gate-code\n  lv:\n    title: Vārtu kods\n    body: Jautājiet pārvaldniekam.\n"
        "    phrasings: [kāds ir vārtu kods, aizmirsu vārtu kodu]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HELPDESK_KB_EXTRA_DIR", str(local))
    assert main(["kb", "check"]) == 0
    assert "1 warning(s)" in capsys.readouterr().err
    assert main(["kb", "match", "vartu kods?", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entry"] == "gate-code"


async def _ask(text: str, *, sender: str = "555") -> int:
    """A resident's Telegram question through the real dispatcher and the real matcher."""
    settings = load_settings()
    services = build_services(
        settings, matcher=load_matcher(settings.knowledge, settings.conversation.default_language)
    )
    try:
        reply = await handle(
            Inquiry(channel=Channel.TELEGRAM, sender=sender, reply_to=sender, text=text, language="lv"),
            services,
        )
        assert reply.kind is ReplyKind.ESCALATED, reply
        assert reply.request_id is not None
        return reply.request_id
    finally:
        await services.aclose()


async def _agent_answers(request_id: int, text: str) -> None:
    settings = load_settings()
    services = build_services(
        settings, matcher=load_matcher(settings.knowledge, settings.conversation.default_language)
    )
    try:
        async with services.sessions() as session, session.begin():
            item = await requests.get(session, request_id)
            assert item is not None and item.conversation_id is not None
            conversation = await conversations.get(session, item.conversation_id)
            assert conversation is not None
            await conversations.add_message(
                session,
                conversation,
                direction="out",
                author="agent:1",
                text=text,
                now=datetime.now(UTC),
            )
    finally:
        await services.aclose()


def test_misses_lists_escalated_questions_redacted(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    question = f"mans personas kods ir {PERSONAL_CODE}, kad būs mājas kopsapulce?"
    request_id = asyncio.run(_ask(question))
    assert main(["kb", "misses", "--json"]) == 0
    out = capsys.readouterr().out
    assert PERSONAL_CODE not in out and "12345" not in out
    rows = json.loads(out)
    assert [row["id"] for row in rows] == [request_id]
    row = rows[0]
    assert "[personal-code]" in row["question"] and "kopsapulce" in row["question"]
    assert (row["channel"], row["language"], row["status"]) == ("telegram", "lv", "open")
    fields = {"id", "received_at", "channel", "language", "status", "reason", "question"}
    assert set(row) == fields | {"closest", "closest_score"}
    assert main(["kb", "misses"]) == 0
    text = capsys.readouterr().out
    assert f"#{request_id}" in text and PERSONAL_CODE not in text
    assert main(["kb", "misses", "--days", "0"]) == 2


def test_misses_when_there_are_none(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "misses"]) == 0
    assert "no escalated questions in the last 30 days" in capsys.readouterr().out


def test_add_from_request_turns_an_answer_into_an_entry(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    local = cli_env / "kb"
    monkeypatch.setenv("HELPDESK_KB_EXTRA_DIR", str(local))
    request_id = asyncio.run(_ask("kāds ir kāpņu telpas durvju kods?"))
    # not answered yet: nothing to write
    assert main(["kb", "add-from-request", str(request_id), "--id", "door-code"]) == 2
    assert "has no agent answer yet" in capsys.readouterr().err
    answer = "Durvju kodu jums pateiks namu pārvaldnieks; tas ir arī paziņojumu dēlī."
    asyncio.run(_agent_answers(request_id, answer))
    assert (
        main(["kb", "add-from-request", str(request_id), "--id", "door-code", "--title", "Durvju kods"]) == 0
    )
    assert f"wrote {local / 'door-code.yaml'}" in capsys.readouterr().out
    written = (local / "door-code.yaml").read_text(encoding="utf-8")
    assert written.startswith(f"# From queue item #{request_id}.")
    assert yaml.safe_load(written) == [
        {
            "id": "door-code",
            "lv": {
                "title": "Durvju kods",
                "body": answer,
                "phrasings": ["kāds ir kāpņu telpas durvju kods?"],
            },
        }
    ]
    assert main(["kb", "check"]) == 0
    assert "1 warning(s)" in capsys.readouterr().err  # one language only, as expected for local entries
    assert main(["kb", "match", "kāds ir durvju kods kāpņu telpā", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entry"] == "door-code"
    # the same id twice, or an id of the shipped KB, is refused
    assert main(["kb", "add-from-request", str(request_id), "--id", "door-code"]) == 2
    assert "already has an entry 'door-code'" in capsys.readouterr().err
    assert main(["kb", "add-from-request", str(request_id), "--id", "login-eid"]) == 2
    assert main(["kb", "add-from-request", str(request_id), "--id", "Bad Id"]) == 2
    assert main(["kb", "add-from-request", "999999", "--id", "nothing-here"]) == 2
    assert "no queue item #999999" in capsys.readouterr().err


def test_add_from_request_with_answer_on_stdin_and_personal_code_redacted(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    local = cli_env / "kb"
    monkeypatch.setenv("HELPDESK_KB_EXTRA_DIR", str(local))
    request_id = asyncio.run(_ask(f"es esmu {PERSONAL_CODE}, vai var nomainīt stāvvietas atlauju?"))
    monkeypatch.setattr(sys, "stdin", io.StringIO("Stāvvietu atļaujas izsniedz namu pārvaldnieks.\n"))
    assert main(["kb", "add-from-request", str(request_id), "--id", "parking", "--answer-file", "-"]) == 0
    capsys.readouterr()
    written = (local / "parking.yaml").read_text(encoding="utf-8")
    assert PERSONAL_CODE not in written
    assert "Stāvvietu atļaujas izsniedz namu pārvaldnieks." in written


def test_add_from_request_refuses_other_kinds(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def access_item() -> int:
        settings = load_settings()
        services = build_services(
            settings, matcher=load_matcher(settings.knowledge, settings.conversation.default_language)
        )
        try:
            async with services.sessions() as session, session.begin():
                now = datetime.now(UTC)
                item = await requests.create(
                    session,
                    kind=RequestKind.ACCESS,
                    channel="email",
                    contact="someone@example.lv",
                    received_at=now,
                    deadline_at=now,
                    summary="pieprasu savus datus",
                )
                return item.id
        finally:
            await services.aclose()

    request_id = asyncio.run(access_item())
    monkeypatch.setattr(sys, "stdin", io.StringIO("Atbilde.\n"))
    assert main(["kb", "add-from-request", str(request_id), "--id", "access", "--answer-file", "-"]) == 2
    assert "is a access request, not a question" in capsys.readouterr().err
