"""``helpdesk demo``: a working helpdesk on this machine with no outside service.

Creates ``./var/demo/helpdesk.db`` (SQLite; or HELPDESK_DATABASE_URL if set explicitly), migrates it,
seeds demo residents with real invoice PDFs, consent history, queue items and an agent, then runs
the agents' console and the job scheduler and prints where to look. ``--no-serve`` only seeds.
On a database an earlier run seeded, it keeps what is there and says so rather than "seeded".
"""

from __future__ import annotations

import argparse
import asyncio
import errno
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from helpdesk.demo.seed import DemoSummary
    from helpdesk.settings import Settings


def register(subparsers: Any) -> None:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "demo",
        help="seed a local demo and run the console",
        description="Creates var/demo/ with a SQLite database, demo residents, invoice PDFs and an agent, "
        "then runs the console and the jobs until Ctrl-C. Safe to run again.",
    )
    parser.add_argument("--no-serve", action="store_true", help="seed (or keep the existing demo) and exit")
    parser.add_argument(
        "--var-dir", type=Path, default=Path("var/demo"), help="where the demo keeps its files"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from helpdesk.commands.common import demo_overrides, quiet_logging
    from helpdesk.settings import load_settings

    quiet_logging()
    var_dir: Path = args.var_dir
    var_dir.mkdir(parents=True, exist_ok=True)
    explicit = load_settings().configured()
    settings = load_settings(**demo_overrides(var_dir, explicit))
    return asyncio.run(_demo(settings, var_dir, serve=not args.no_serve))


async def _demo(settings: Settings, var_dir: Path, *, serve: bool) -> int:
    from helpdesk.app import build_services
    from helpdesk.demo.seed import read_or_create_secret, seed
    from helpdesk.storage.migrate import upgrade_async

    await upgrade_async(settings.storage.database_url)
    services = build_services(settings)
    try:
        password = read_or_create_secret(var_dir / "agent-password", length=12)
        summary = await seed(
            services, var_dir, password, max_upload_bytes=settings.console.api_max_upload_bytes
        )
        console_url = (
            settings.console.console_public_url
            or f"http://{settings.console.console_host}:{settings.console.console_port}/"
        )
        command = _command_name()
        print(f"demo database: {settings.storage.database_url}")
        print(_what_was_done(summary, var_dir, settings.storage.invoice_dir))
        if serve:
            print(f"console:       {console_url}")
        else:
            print(f"console:       not started (--no-serve); `{command} demo` serves it at {console_url}")
        print(f"agent login:   {summary.agent} / {summary.password}")
        print(f"try it:        {command} chat --resident R-1001   (R-1001..R-1005; lv, ru, en)")
        print(f"queue:         {command} requests list")
        if serve:
            await _serve(settings, services)
    finally:
        await services.aclose()
    return 0


def _what_was_done(summary: DemoSummary, var_dir: Path, invoice_dir: Path) -> str:
    """One line: seeded now, or found from an earlier run and kept (with a new month's invoices)."""
    if not summary.existed:
        return f"seeded {summary.residents} residents, {summary.invoices} invoice PDFs in {invoice_dir}"
    kept = f"found the existing demo in {var_dir}/ and kept it"
    if summary.new_invoices:
        return f"{kept}; added {summary.new_invoices} invoice PDFs for the latest month to {invoice_dir}"
    return f"{kept} as it was (invoice PDFs in {invoice_dir})"


def _command_name() -> str:
    """``helpdesk`` when that is on PATH, else the path it was started by (``.venv/bin/helpdesk``)."""
    started = Path(sys.argv[0])
    on_path = shutil.which("helpdesk")
    if started.name != "helpdesk" or (on_path and Path(on_path).resolve() == started.resolve()):
        return "helpdesk"
    return os.path.relpath(started) if not started.is_absolute() else str(started)


async def _serve(settings: Settings, services: Any) -> None:
    """Run what needs no outside service: the console and the scheduled jobs.

    A part that stops is named in one line and the other keeps running; a console port already in
    use stops the demo with one line naming HELPDESK_CONSOLE_PORT."""
    from helpdesk.app import run_console, run_jobs
    from helpdesk.core.errors import ConfigurationError

    print("running; press Ctrl-C to stop")
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(_guarded("console", run_console(settings, services), settings))
            group.create_task(_guarded("jobs", run_jobs(settings, services), settings))
    except* ConfigurationError as failed:
        raise failed.exceptions[0] from None


async def _guarded(label: str, running: Any, settings: Settings) -> None:
    from helpdesk.core.errors import ConfigurationError

    try:
        await running
    except asyncio.CancelledError:
        raise
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            # The console is what the demo is for: say which setting frees it, and stop.
            console = settings.console
            raise ConfigurationError(
                f"HELPDESK_CONSOLE_PORT: {console.console_host}:{console.console_port} is already in "
                "use; set HELPDESK_CONSOLE_PORT to a free port (e.g. HELPDESK_CONSOLE_PORT=8090)"
            ) from None
        print(f"{label}: stopped ({type(exc).__name__}: {exc})")
    except Exception as exc:
        print(f"{label}: stopped ({type(exc).__name__}: {exc})")
