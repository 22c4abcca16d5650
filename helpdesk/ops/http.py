"""``/healthz`` and ``/metrics`` for any aiohttp application (the console, the bot's webhook).

/healthz answers 200 when the process can reach its database and 503 when it cannot, so a load
balancer or Docker takes a broken instance out. /metrics is Prometheus' text format, and every
figure is cluster-wide, whichever process serves it: queue, deadlines, outbox and processed mails
are counted in the database on each scrape, and the event counters (Telegram updates, failures,
job runs) are the sums every process adds to the database (:mod:`helpdesk.ops.counters`). Neither
route needs a login: expose them on the internal network only.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from helpdesk.core.deadlines import DUE_SOON
from helpdesk.ops import counters, metrics
from helpdesk.ops.metrics import Sample
from helpdesk.services import Services
from helpdesk.storage.repositories import outbox, stats

log = logging.getLogger(__name__)

HEALTH_TIMEOUT = 3.0  # seconds; a database slower than this counts as down for /healthz
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

Family = tuple[str, str, str, list[Sample]]


def add_ops_routes(app: web.Application, services: Services, *, metrics_route: bool = True) -> None:
    """Register GET /healthz and (unless ``metrics_route`` is false) GET /metrics on ``app``.

    The bot's webhook listener takes /healthz only: it faces Telegram through the load balancer,
    and queue sizes are nobody's business there; the console serves /metrics for the cluster.
    """

    async def healthz(_request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT):
                async with services.sessions() as session:
                    await stats.ping(session)
        except Exception as exc:
            log.warning("health check: database unreachable (%s)", type(exc).__name__)
            return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
        return web.json_response({"status": "ok", "database": "ok"})

    async def metrics_view(_request: web.Request) -> web.Response:
        families: list[Family] = []
        try:
            await counters.flush(services)  # this process's own counts, so the scrape includes them
            families.extend(await database_families(services))
            families.extend(metrics.counter_families(await counters.cluster_samples(services)))
            up = 1
        except Exception as exc:  # a scrape that says the database is away is still worth having
            log.warning("metrics: database figures unavailable (%s)", type(exc).__name__)
            families = []
            up = 0
        families.append(
            (
                "helpdesk_database_up",
                "gauge",
                "1 when the database answered this scrape",
                [Sample("helpdesk_database_up", (), up)],
            )
        )
        return web.Response(body=metrics.render(families).encode(), headers={"Content-Type": CONTENT_TYPE})

    app.router.add_get("/healthz", healthz)
    if metrics_route:
        app.router.add_get("/metrics", metrics_view)


async def database_families(services: Services) -> list[Family]:
    """The cluster-wide gauges, counted in one short read-only session."""
    now = services.clock()
    async with services.sessions() as session:
        queue = await stats.queue_counts(session)
        overdue, due_soon = await stats.deadline_counts(session, now=now, within=DUE_SOON)
        sends = await outbox.counts(session)
        mails = await stats.inbound_mail_counts(session)
    return [
        (
            "helpdesk_queue_items",
            "gauge",
            "queue items by kind and status",
            [_sample("helpdesk_queue_items", n, kind=k, status=s) for (k, s), n in sorted(queue.items())],
        ),
        (
            "helpdesk_queue_overdue",
            "gauge",
            "open queue items past their deadline",
            [_sample("helpdesk_queue_overdue", overdue)],
        ),
        (
            "helpdesk_queue_due_soon",
            "gauge",
            "open queue items due within 7 days",
            [_sample("helpdesk_queue_due_soon", due_soon)],
        ),
        (
            "helpdesk_outbox_messages",
            "gauge",
            "outgoing messages by channel and status",
            [
                _sample("helpdesk_outbox_messages", n, channel=c, status=s)
                for (c, s), n in sorted(sends.items())
            ],
        ),
        (
            "helpdesk_mails_processed",
            "gauge",
            "inbound e-mails recorded as processed, by outcome",
            [_sample("helpdesk_mails_processed", n, outcome=o) for o, n in sorted(mails.items())],
        ),
    ]


def _sample(name: str, value: float, **labels: str) -> Sample:
    return Sample(name, tuple(sorted(labels.items())), value)
