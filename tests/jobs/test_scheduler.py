"""The schedule: which jobs, when; and run_jobs really running them (under leadership) on both
backends, then stopping cleanly when cancelled."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from helpdesk.jobs.scheduler import _guarded, build_scheduler, run_jobs
from helpdesk.ops import metrics
from helpdesk.services import Services
from helpdesk.settings import JobsSettings
from helpdesk.storage.repositories import audit


async def test_the_schedule(services: Services) -> None:
    scheduler = build_scheduler(services, JobsSettings(), startup_delay=60)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"purge", "expire-tokens", "deadline-digest", "new-items", "outbox-retry"}
    purge_trigger = jobs["purge"].trigger
    assert isinstance(purge_trigger, CronTrigger)
    after = purge_trigger.get_next_fire_time(None, datetime(2026, 6, 15, 12, 0, tzinfo=UTC))
    assert after == datetime(2026, 6, 16, 2, 30, tzinfo=UTC)
    assert isinstance(jobs["expire-tokens"].trigger, IntervalTrigger)
    assert jobs["expire-tokens"].trigger.interval.total_seconds() == 15 * 60
    assert jobs["outbox-retry"].trigger.interval.total_seconds() == 60
    assert jobs["new-items"].trigger.interval.total_seconds() == JobsSettings().agents_notice_seconds == 60
    digest = jobs["deadline-digest"].trigger
    evening = digest.get_next_fire_time(None, datetime(2026, 6, 15, 17, 0, tzinfo=UTC))
    assert evening == datetime(2026, 6, 16, 5, 5, tzinfo=UTC)


async def test_run_jobs_runs_the_startup_jobs_and_stops(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="helpdesk.jobs")
    task = asyncio.create_task(run_jobs(services, JobsSettings(), startup_delay=0.2))
    try:
        for _ in range(150):
            if all(
                metrics.REGISTRY.value("job_runs", job=j) for j in ("purge", "expire-tokens", "outbox-retry")
            ):
                break
            await asyncio.sleep(0.1)
        assert metrics.REGISTRY.value("job_runs", job="purge") == 1
        assert metrics.REGISTRY.value("job_runs", job="expire-tokens") == 1
        assert metrics.REGISTRY.value("job_runs", job="outbox-retry") == 1
        assert metrics.REGISTRY.value("job_failures", job="purge") == 0
        async with services.sessions() as session:
            assert [e.action for e in await audit.search(session)] == ["purge"]
        done_lines = sorted(
            r.getMessage().split(" done in ")[0] for r in caplog.records if " done in " in r.getMessage()
        )
        assert done_lines == ["job expire-tokens", "job purge"]  # outbox retry: at DEBUG only
    finally:
        task.cancel()
        done, _ = await asyncio.wait({task}, timeout=10)
    assert done == {task} and task.cancelled()


async def test_a_failing_job_is_logged_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    async def broken() -> None:
        raise RuntimeError("boom for janis@example.lv")

    job = _guarded("broken", broken)
    with caplog.at_level(logging.ERROR, logger="helpdesk.jobs.scheduler"):
        await job()
    assert metrics.REGISTRY.value("job_failures", job="broken") == 1
    assert metrics.REGISTRY.value("job_runs", job="broken") == 0
    assert [r.getMessage() for r in caplog.records] == ["job broken failed; it runs again at its next time"]
