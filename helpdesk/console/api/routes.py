"""The API sub-application: bearer-key authentication, JSON errors, the four calls, the OpenAPI doc."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from helpdesk.console import keys
from helpdesk.console.api import handlers
from helpdesk.console.api.errors import ApiError
from helpdesk.console.api.openapi import document
from helpdesk.console.config import ConsoleConfig
from helpdesk.services import Services
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import apikeys

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PUBLIC_PATHS = ("/api/v1/openapi.json",)


@web.middleware
async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """aiohttp's own 404/405/413 pages become the API's JSON shape."""
    try:
        return await handler(request)
    except ApiError:
        raise
    except web.HTTPException as exc:
        if exc.status_code < 400:
            raise
        raise ApiError(exc.status_code, exc.reason) from None


@web.middleware
async def bearer(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.path in PUBLIC_PATHS:
        return await handler(request)
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise ApiError(401, "send the API key as 'Authorization: Bearer <key>'")
    services = request.app[keys.SERVICES]
    async with services.sessions() as db, write_transaction(db):
        row = await apikeys.authenticate(
            db, key=key.strip(), secret_key=services.security.secret_key_bytes(), now=services.clock()
        )
        if row is None:
            raise ApiError(401, "the API key is not valid or has been revoked")
        request[handlers.API_KEY_ID] = row.id
    return await handler(request)


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(document(request.app[keys.CONFIG].settings.api_max_upload_bytes))


def create_api(services: Services, config: ConsoleConfig) -> web.Application:
    api = web.Application(middlewares=[json_errors, bearer])
    api[keys.SERVICES] = services
    api[keys.CONFIG] = config
    api.router.add_get("/openapi.json", openapi)
    api.router.add_put(r"/residents/{resident_id}", handlers.put_resident)
    api.router.add_post("/invoices", handlers.post_invoice)
    api.router.add_post("/link-tokens", handlers.post_link_token)
    api.router.add_get("/consents", handlers.get_consents)
    return api
