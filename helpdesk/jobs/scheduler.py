"""The job schedule (APScheduler's AsyncIOScheduler), run once cluster-wide under the "jobs" lock.

| job | when |
|---|---|
| purge (retention) | daily at 02:30 UTC, and once ``HELPDESK_JOBS_STARTUP_DELAY_SECONDS`` after the start |
| expire link tokens and confirmation codes | every 15 minutes |
| deadline digest to agents | hourly 05:05-16:05 UTC (working hours in Riga); at most one a day |
| notice of new items to agents | every ``HELPDESK_AGENTS_NOTICE_SECONDS``, and after the start |
| outbox retry | every minute |

Jobs coalesce and never overlap themselves (a slow purge is not started twice). Each run logs one
line with its duration (the frequent ones, the outbox retry and the new-item notice, at DEBUG, so
they do not drown the rest) and
is counted in /metrics; a job that fails is logged (redacted) and counted too; the schedule goes on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from helpdesk.jobs.arrivals import announce_arrivals
from helpdesk.jobs.delivery import retry_outbox
from helpdesk.jobs.expiry import expire_tokens
from helpdesk.jobs.purge import purge
from helpdesk.jobs.reminders import send_deadline_digest
from helpdesk.ops import metrics
from helpdesk.services import Services
from helpdesk.settings import JobsSettings
from helpdesk.storage.leadership import lead_forever

log = logging.getLogger(__name__)


def _guarded(
    name: str, run: Callable[[], Awaitable[object]], *, level: int = logging.INFO
) -> Callable[[], Awaitable[None]]:
    async def job() -> None:
        started = time.perf_counter()
        try:
            await run()
        except asyncio.CancelledError:
            raise
        except Exception:
            metrics.inc("job_failures", job=name)
            log.exception("job %s failed; it runs again at its next time", name)
        else:
            metrics.inc("job_runs", job=name)
            log.log(level, "job %s done in %.2f s", name, time.perf_counter() - started)

    job.__name__ = job.__qualname__ = f"job_{name.replace('-', '_')}"
    return job


def build_scheduler(
    services: Services,
    settings: JobsSettings,
    *,
    console_url: str | None = None,
    startup_delay: float | None = None,
) -> AsyncIOScheduler:
    """The schedule; the purge, the expiry and the retry also run ``startup_delay`` seconds after
    the start (default ``HELPDESK_JOBS_STARTUP_DELAY_SECONDS``), so a new leader catches up.
    ``settings`` is the jobs' group; ``console_url`` (the console's public URL) ends the agents'
    digest with a link to the queue."""
    if startup_delay is None:
        startup_delay = settings.jobs_startup_delay_seconds
    scheduler = AsyncIOScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    soon = datetime.now(UTC) + timedelta(seconds=startup_delay)
    scheduler.add_job(
        _guarded("purge", lambda: purge(services, settings, dry_run=False)),
        CronTrigger(hour=2, minute=30, timezone=UTC),
        id="purge",
        next_run_time=soon,
    )
    scheduler.add_job(
        _guarded("expire-tokens", lambda: expire_tokens(services, settings)),
        IntervalTrigger(minutes=15, timezone=UTC),
        id="expire-tokens",
        next_run_time=soon,
    )
    scheduler.add_job(
        _guarded(
            "deadline-digest", lambda: send_deadline_digest(services, settings.agents_email, console_url)
        ),
        CronTrigger(hour="5-16", minute=5, timezone=UTC),
        id="deadline-digest",
    )
    scheduler.add_job(
        _guarded(
            "new-items", lambda: announce_arrivals(services, settings, console_url), level=logging.DEBUG
        ),
        IntervalTrigger(seconds=settings.agents_notice_seconds, timezone=UTC),
        id="new-items",
        next_run_time=soon,
    )
    scheduler.add_job(
        _guarded(
            "outbox-retry", lambda: retry_outbox(services, settings.outbox_give_up_hours), level=logging.DEBUG
        ),
        IntervalTrigger(minutes=1, timezone=UTC),
        id="outbox-retry",
        next_run_time=soon,
    )
    return scheduler


async def run_jobs(
    services: Services,
    settings: JobsSettings,
    *,
    console_url: str | None = None,
    startup_delay: float | None = None,
) -> None:
    """Stand by until this instance leads "jobs", then run the schedule until cancelled."""

    async def schedule() -> None:
        scheduler = build_scheduler(services, settings, console_url=console_url, startup_delay=startup_delay)
        scheduler.start()
        log.info("scheduler running: %s", ", ".join(job.id for job in scheduler.get_jobs()))
        try:
            await asyncio.Event().wait()
        finally:
            scheduler.shutdown(wait=False)  # also cancels jobs still running
            await asyncio.sleep(0)  # the shutdown is queued on the loop; let it run

    await lead_forever(services.engine, "jobs", schedule)
