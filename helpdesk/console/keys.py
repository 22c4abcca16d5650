"""Typed keys for what the application and each request carry (aiohttp ``AppKey``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import jinja2
from aiohttp import web

from helpdesk.console.config import ConsoleConfig
from helpdesk.services import Services

if TYPE_CHECKING:
    from helpdesk.console.session import Session
    from helpdesk.console.throttle import PasswordGate, SignInLimiter
    from helpdesk.storage.models.agents import Agent

SERVICES = web.AppKey("services", Services)
CONFIG = web.AppKey("config", ConsoleConfig)
TEMPLATES = web.AppKey("templates", jinja2.Environment)
LIMITER: web.AppKey[SignInLimiter] = web.AppKey("limiter")
GATE: web.AppKey[PasswordGate] = web.AppKey("password_gate")
SESSION_KEY = web.AppKey("session_key", bytes)
SECURE_COOKIES = web.AppKey("secure_cookies", bool)

# Request-scoped values (``request[...]``).
SESSION: web.RequestKey[Session] = web.RequestKey("session")
AGENT: web.RequestKey[Agent | None] = web.RequestKey("agent")
BADGE = web.RequestKey("badge", int)
