"""The console application: agents' pages, the portal API and the unsubscribe endpoint.

Built by a factory (never at import time), so tests run as many independent instances as they like.
"""

from __future__ import annotations

import logging
from pathlib import Path

from aiohttp import web

from helpdesk.console import keys, middleware
from helpdesk.console.config import ConsoleConfig
from helpdesk.console.render import build_environment
from helpdesk.console.throttle import PasswordGate, SignInLimiter
from helpdesk.ops.http import add_ops_routes
from helpdesk.services import Services

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")
# Multipart overhead on top of the PDF itself (manifest fields, boundaries).
_UPLOAD_OVERHEAD = 64 * 1024


def _view_routes() -> list[web.RouteTableDef]:
    from helpdesk.console.views import audit_log, auth, exports, item, queue, unsubscribe

    return [auth.routes, queue.routes, item.routes, exports.routes, audit_log.routes, unsubscribe.routes]


def create_app(services: Services, config: ConsoleConfig) -> web.Application:
    settings = config.settings
    app = web.Application(
        middlewares=[middleware.errors, middleware.sessions, middleware.csrf],
        client_max_size=settings.api_max_upload_bytes + _UPLOAD_OVERHEAD,
    )
    app.on_response_prepare.append(middleware.security_headers)
    app[keys.SERVICES] = services
    app[keys.CONFIG] = config
    app[keys.TEMPLATES] = build_environment()
    app[keys.LIMITER] = SignInLimiter()
    app[keys.GATE] = PasswordGate()
    app[keys.SESSION_KEY] = services.security.secret_key_bytes()
    app[keys.SECURE_COOKIES] = bool(settings.console_public_url) and str(
        settings.console_public_url
    ).startswith("https://")
    for table in _view_routes():
        app.router.add_routes(table)
    from helpdesk.console.api.routes import create_api

    app.add_subapp("/api/v1/", create_api(services, config))
    app.router.add_static("/static/", STATIC_DIR, name="static")
    _add_ops_routes(app, services)
    return app


def _add_ops_routes(app: web.Application, services: Services) -> None:
    """/healthz and /metrics for the load balancer and Prometheus."""
    add_ops_routes(app, services)
