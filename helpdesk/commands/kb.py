"""``helpdesk kb``: try the matcher, check the KB files, see what it missed, grow it from answers.

Imports are deferred into the command functions, so ``helpdesk kb match`` starts in a fraction of a
second (no aiogram, no database driver unless the command needs the database).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "kb",
        help="knowledge base: match, check, misses, add-from-request",
        description="Knowledge base tools. Shipped entries live in helpdesk/knowledge/data; local ones "
        "(and placeholders.yaml with the property manager's facts) in HELPDESK_KB_EXTRA_DIR.",
    )
    commands = parser.add_subparsers(dest="kb_command", required=True, metavar="ACTION")

    match = commands.add_parser(
        "match",
        help="show what the matcher does with a text",
        description='Prints {"entry", "score", "decision", "language", "candidates", "kind", "parts"}; '
        '"decision" is answer, clarify (two entries too close: the resident is asked which) or escalate. '
        'The top-level keys describe the main question; "kind" is question, closing (only thanks or '
        'goodbye), greeting (only a greeting) or smalltalk; "parts" lists each question of the message '
        "with its text, decision, "
        'entry, score and candidates. With "-" as TEXT, reads one message a line from stdin and prints '
        "one JSON object a line.",
    )
    match.add_argument("text", metavar="TEXT", help='the question, or "-" for one query a line on stdin')
    match.add_argument("--lang", choices=("lv", "ru", "en"), help="the conversation's language (a hint)")
    match.add_argument("--json", action="store_true", help="print JSON (always so with -)")
    match.set_defaults(func=run_match)

    check = commands.add_parser(
        "check",
        help="validate the KB files",
        description="Checks ids, languages, required fields and placeholders; prints file:line: message "
        "for each problem and exits 1 if there is an error (warnings alone exit 0).",
    )
    check.set_defaults(func=run_check)

    misses = commands.add_parser(
        "misses",
        help="questions the bot could not answer (escalated), newest first",
        description="Escalated questions (stored redacted) with the closest KB entry, so agents see what "
        "the knowledge base lacks.",
    )
    misses.add_argument("--days", type=int, default=30, help="how far back to look (default 30)")
    misses.add_argument("--json", action="store_true")
    misses.set_defaults(func=run_misses)

    add = commands.add_parser(
        "add-from-request",
        help="turn an answered queue item into a KB entry",
        description="Writes HELPDESK_KB_EXTRA_DIR/<NEW_ID>.yaml from the question of queue item "
        "REQUEST_ID and the agent's answer to it (or --answer-file). The entry is in the question's "
        "language; add the other languages to the file by hand.",
    )
    add.add_argument("request_id", metavar="REQUEST_ID", type=int)
    add.add_argument("--id", dest="entry_id", required=True, metavar="NEW_ID", help="the new entry's id")
    add.add_argument("--title", help="the answer's title (default: the question)")
    add.add_argument(
        "--answer-file",
        metavar="FILE",
        help='the answer text ("-" for stdin) instead of the agent\'s reply in the conversation',
    )
    add.set_defaults(func=run_add)


def _settings() -> Settings:
    from helpdesk.settings import load_settings

    return load_settings()


def run_match(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import print_json
    from helpdesk.knowledge import load_matcher
    from helpdesk.knowledge.report import reading_record

    settings = _settings()
    matcher = load_matcher(settings.knowledge, settings.conversation.default_language)
    if args.text == "-":
        for line in sys.stdin:
            if line.strip():
                print_json(reading_record(matcher.read(line.strip(), args.lang)))
                sys.stdout.flush()
        return 0
    record = reading_record(matcher.read(args.text, args.lang))
    if args.json:
        print_json(record)
        return 0
    print(f"{record['decision']}: {record['entry'] or '-'} (score {record['score']}, {record['language']})")
    for candidate in record["candidates"]:
        print(f"  {candidate['score']:>5}  {candidate['entry']}")
    if record["kind"] != "question":
        print(f"message: {record['kind']}")
    if len(record["parts"]) > 1:
        for part in record["parts"]:
            text = " ".join(part["text"].split())
            print(f"part: {part['decision']}: {part['entry'] or '-'} ({part['score']}) {text[:70]}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from helpdesk.knowledge.files import knowledge_dirs, read_knowledge

    settings = _settings()
    knowledge, problems = read_knowledge(knowledge_dirs(settings.knowledge.kb_extra_dir))
    for problem in problems:
        print(problem)
    errors = sum(1 for problem in problems if not problem.warning)
    languages = {language for entry in knowledge.entries for language in entry.texts}
    summary = (
        f"{len(knowledge.entries)} entries ({sum(e.is_action for e in knowledge.entries)} actions), "
        f"languages {', '.join(sorted(languages))}; {errors} error(s), {len(problems) - errors} warning(s)"
    )
    print(summary, file=sys.stderr)
    return 1 if errors else 0


def run_misses(args: argparse.Namespace) -> int:
    import asyncio

    from helpdesk.commands.common import database_settings, print_json
    from helpdesk.knowledge import load_matcher
    from helpdesk.knowledge.misses import recent_misses

    if args.days < 1:
        print("helpdesk: --days must be at least 1", file=sys.stderr)
        return 2
    settings = database_settings()
    matcher = load_matcher(settings.knowledge, settings.conversation.default_language)
    rows = asyncio.run(recent_misses(matcher, settings.storage.database_url, days=args.days))
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(f"no escalated questions in the last {args.days} days")
    for row in rows:
        closest = f"{row['closest']} ({row['closest_score']})" if row["closest"] else "-"
        text = row["question"].replace("\n", " ")
        print(
            f"#{row['id']:<5} {row['received_at'][:16]} {row['language']} {row['status']:<7} "
            f"closest {closest:<28} {text[:70]}"
        )
    return 0


def run_add(args: argparse.Namespace) -> int:
    import asyncio

    from helpdesk.commands.common import database_settings
    from helpdesk.knowledge.authoring import add_from_request

    answer: str | None = None
    if args.answer_file == "-":
        answer = sys.stdin.read()
    elif args.answer_file:
        from pathlib import Path

        from helpdesk.core.errors import InputError

        try:
            answer = Path(args.answer_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {args.answer_file}: {exc}") from None
    settings = database_settings()
    path = asyncio.run(
        add_from_request(
            settings.knowledge.kb_extra_dir,
            settings.storage.database_url,
            request_id=args.request_id,
            entry_id=args.entry_id,
            title=args.title,
            answer=answer,
        )
    )
    print(f"wrote {path}; run `helpdesk kb check`, and add the other languages to the file")
    return 0
