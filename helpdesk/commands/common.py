"""Small helpers the subcommands share: reading JSON Lines with line numbers, printing JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from helpdesk.core.errors import InputError

if TYPE_CHECKING:
    from helpdesk.settings import Settings


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """Yield ``(line number, object)`` or ``(line number, error text)``; blank lines are skipped."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from None
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield number, f"not valid JSON ({exc.msg})"
                    continue
                if not isinstance(value, dict):
                    yield number, "not a JSON object"
                    continue
                yield number, value
        except UnicodeDecodeError:
            raise InputError(f"{path} is not UTF-8 text") from None


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def validation_message(exc: Exception) -> str:
    """One line from a pydantic ValidationError: the first field and what is wrong with it."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "record"
        return f"{where}: {first.get('msg', 'invalid')}"
    return str(exc)


DEMO_DIR = Path("var/demo")


def demo_overrides(var_dir: Path, explicit: set[str]) -> dict[str, Any]:
    """Settings that point at the demo's own files, for every setting not configured explicitly."""
    from helpdesk.demo.seed import read_or_create_secret

    overrides: dict[str, Any] = {}
    if "database_url" not in explicit:
        overrides["database_url"] = f"sqlite+aiosqlite:///{var_dir / 'helpdesk.db'}"
    if "invoice_dir" not in explicit:
        overrides["invoice_dir"] = var_dir / "invoices"
    if "secret_key" not in explicit:
        overrides["secret_key"] = read_or_create_secret(var_dir / "secret-key")
    return overrides


def cli_settings() -> Settings:
    """Settings for a command. When no database is configured and ``helpdesk demo`` has run in this
    directory, use the demo's database (so ``helpdesk chat`` and ``requests list`` work after it)."""
    from helpdesk.settings import load_settings

    settings = load_settings()
    explicit = settings.configured()
    if "database_url" not in explicit and (DEMO_DIR / "helpdesk.db").is_file():
        print(
            f"helpdesk: using the demo database in {DEMO_DIR}/ (set HELPDESK_DATABASE_URL to use another)",
            file=sys.stderr,
        )
        return load_settings(**demo_overrides(DEMO_DIR, explicit))
    return settings


def require_schema(settings: Settings) -> None:
    """Stop a long-running command (``bot``, ``mailbox``, ``console``, ``jobs``, ``run``) with one
    line unless its database can be reached and is migrated, before it starts serving anyone.

    Without this, a component on a fresh directory created an empty ``./helpdesk.db``, started, and
    failed every update it handled. A SQLite file that does not exist is not created."""
    import asyncio

    from helpdesk.storage.migrate import check_schema

    asyncio.run(check_schema(settings.storage.database_url))


def quiet_logging() -> None:
    """Warnings and errors only, redacted, for interactive commands (``demo``, ``chat``).

    Long-running components configure structured logging themselves; this only makes sure that
    what an interactive command does print passes through :class:`RedactingFilter`.
    """
    import logging

    from helpdesk.core.redaction import RedactingFilter

    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler()
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
