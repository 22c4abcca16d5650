"""Small helpers the subcommands share: settings, the database check and sessions, reading JSON Lines
with line numbers, printing JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from helpdesk.core.errors import InputError

if TYPE_CHECKING:
    from pydantic import BaseModel
    from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

    from helpdesk.settings import Settings

    Record = TypeVar("Record", bound=BaseModel)


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


@dataclass
class Imported:
    """What an import did: records created and updated, and the bad lines it skipped."""

    created: int = 0
    updated: int = 0
    bad: list[str] = field(default_factory=list)

    def report(self, what: str, path: Path, *, as_json: bool) -> int:
        """Bad lines on stderr with the file's name, the summary on stdout; exit status 1 if any."""
        for line in self.bad:
            print(f"{path}: {line}", file=sys.stderr)
        if as_json:
            print_json({"created": self.created, "updated": self.updated, "bad_lines": len(self.bad)})
        else:
            print(f"{what}: {self.created} created, {self.updated} updated, {len(self.bad)} bad lines")
        return 1 if self.bad else 0


async def import_lines(
    path: Path, model: type[Record], store: Callable[[Record], Awaitable[bool]]
) -> Imported:
    """``residents import`` and ``invoices import``: each line of ``path`` validated as ``model``
    and stored (``store`` returns True for a new record); a line that is not JSON, does not
    validate, or that ``store`` refuses with :class:`InputError` is counted bad and skipped."""
    from pydantic import ValidationError

    done = Imported()
    for number, value in read_jsonl(path):
        if isinstance(value, str):
            done.bad.append(f"line {number}: {value}")
            continue
        try:
            is_new = await store(model.model_validate(value))
        except ValidationError as exc:
            done.bad.append(f"line {number}: {validation_message(exc)}")
            continue
        except InputError as exc:
            done.bad.append(f"line {number}: {exc}")
            continue
        done.created += int(is_new)
        done.updated += int(not is_new)
    return done


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
    """Stop a command with one line unless its database can be reached and is migrated: a
    long-running one (``bot``, ``mailbox``, ``console``, ``jobs``, ``run``) before it starts serving
    anyone, a short one (:func:`database_settings`) before it reads or writes.

    Without this, a component on a fresh directory created an empty ``./helpdesk.db``, started, and
    failed every update it handled. A SQLite file that does not exist is not created."""
    import asyncio

    from helpdesk.storage.migrate import check_schema

    asyncio.run(check_schema(settings.storage.database_url))


def database_settings() -> Settings:
    """:func:`cli_settings` for a command that opens the database: the long-running ones, and the
    short ones (``agents``, ``apikeys``, ``chat``, ``invoices``, ``kb misses``/``kb add``, ``link``,
    ``purge``, ``requests``, ``residents``), which used to create an empty ``./helpdesk.db`` and
    fail on their first query. It stops with one line (:func:`require_schema`) when the database
    is missing or not migrated. ``db upgrade`` and ``demo`` create the database: they do not call
    this."""
    settings = cli_settings()
    require_schema(settings)
    return settings


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on an engine of the command's own, disposed when the block ends (a command runs
    once and exits: no pool outlives it)."""
    from helpdesk.storage.engine import create_engine, create_session_factory

    engine = create_engine(settings.storage.database_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


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
