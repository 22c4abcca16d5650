"""The four portal calls. Each validates at the edge, works through the shared import/link code,
and records who did it in the audit log (``api:<key id>``, never the key)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from aiohttp import BodyPartReader, web
from pydantic import ValidationError

from helpdesk.casework.importing import PDF_MAGIC, store_invoice, store_resident
from helpdesk.casework.linking import mint_link
from helpdesk.console import keys
from helpdesk.console.api.errors import ApiError, validation_error
from helpdesk.console.api.schemas import (
    ConsentItem,
    ConsentList,
    InvoiceResponse,
    LinkTokenRequest,
    ResidentBody,
    ResidentResponse,
)
from helpdesk.core.errors import InputError
from helpdesk.core.records import InvoiceRecord, ResidentRecord
from helpdesk.storage.engine import write_transaction
from helpdesk.storage.repositories import audit, consent, invoices, residents

API_KEY_ID = web.RequestKey("api_key_id", int)
_FIELD_LIMIT = 1000
_CHUNK = 64 * 1024


def actor(request: web.Request) -> str:
    return f"api:{request[API_KEY_ID]}"


async def _json_body(request: web.Request) -> Any:
    if request.content_type != "application/json":
        raise ApiError(415, "send the body as application/json")
    try:
        return json.loads(await request.text())
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(400, "the body is not valid JSON") from None


async def put_resident(request: web.Request) -> web.Response:
    resident_id = request.match_info["resident_id"]
    body = await _json_body(request)
    if not isinstance(body, dict):
        raise ApiError(422, "the body must be a JSON object")
    if body.get("id") not in (None, resident_id):
        raise ApiError(422, "the id in the body differs from the id in the URL")
    try:
        ResidentBody.model_validate(body)
        record = ResidentRecord.model_validate(body | {"id": resident_id})
    except ValidationError as exc:
        raise validation_error(exc) from None
    services = request.app[keys.SERVICES]
    async with services.sessions() as db, write_transaction(db):
        created = await store_resident(db, record, services.security)
        await audit.record(
            db,
            actor=actor(request),
            action="api.resident.upsert",
            detail={"resident_id": record.id, "created": created},
            now=services.clock(),
        )
        row = await residents.get(db, record.id)
        assert row is not None
        result = ResidentResponse(
            id=row.id,
            created=created,
            name=row.name,
            address=row.address,
            invoice_email=row.invoice_email,
            news_email=row.news_email,
            language=row.language,
            personal_code_on_file=row.personal_code_hmac is not None,
        )
    return web.json_response(result.model_dump(), status=201 if created else 200)


async def _read_invoice_form(request: web.Request, limit: int) -> tuple[dict[str, str], bytes | None]:
    if not request.content_type.startswith("multipart/form-data"):
        raise ApiError(415, "send the invoice as multipart/form-data (manifest fields and a 'file' part)")
    if request.content_length is not None and request.content_length > limit + 64 * 1024:
        raise ApiError(413, f"the upload is larger than {limit} bytes")
    reader = await request.multipart()
    fields: dict[str, str] = {}
    content: bytes | None = None
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader):
            raise ApiError(400, "nested multipart bodies are not accepted")
        if part.name == "file":
            buffer = bytearray()
            while chunk := await part.read_chunk(_CHUNK):
                buffer.extend(chunk)
                if len(buffer) > limit:
                    raise ApiError(413, f"the file is larger than {limit} bytes")
            content = bytes(buffer)
        elif part.name:
            value = await part.read(decode=True)
            if len(value) > _FIELD_LIMIT:
                raise ApiError(422, f"the field {part.name} is too long")
            try:
                fields[part.name] = value.decode("utf-8")
            except UnicodeDecodeError:
                raise ApiError(422, f"the field {part.name} is not UTF-8 text") from None
    return fields, content


async def post_invoice(request: web.Request) -> web.Response:
    services = request.app[keys.SERVICES]
    limit = request.app[keys.CONFIG].settings.api_max_upload_bytes
    fields, content = await _read_invoice_form(request, limit)
    if content is None:
        raise ApiError(422, "the PDF is missing: send it as the 'file' part")
    if not content.startswith(PDF_MAGIC):
        raise ApiError(415, "the file is not a PDF (it does not start with %PDF-)", code="not_a_pdf")
    expected = fields.pop("sha256", None)
    digest = hashlib.sha256(content).hexdigest()
    if expected is not None and expected.lower() != digest:
        raise ApiError(422, "the file's SHA-256 differs from the sha256 field (damaged upload?)")
    try:
        record = InvoiceRecord.model_validate(fields)
    except ValidationError as exc:
        raise validation_error(exc) from None
    async with services.sessions() as db, write_transaction(db):
        try:
            created = await store_invoice(db, record, content, services.storage, max_bytes=limit)
        except InputError as exc:
            status = 404 if "does not exist" in str(exc) else 409
            raise ApiError(status, str(exc)) from None
        await audit.record(
            db,
            actor=actor(request),
            action="api.invoice.upsert",
            detail={"invoice_id": record.id, "resident_id": record.resident_id, "created": created},
            now=services.clock(),
        )
        row = await invoices.get_any(db, record.id)
        assert row is not None
        result = InvoiceResponse(
            id=row.id, resident_id=row.resident_id, created=created, sha256=row.sha256, size=row.size
        )
    return web.json_response(result.model_dump(), status=201 if created else 200)


async def post_link_token(request: web.Request) -> web.Response:
    body = await _json_body(request)
    try:
        wanted = LinkTokenRequest.model_validate(body)
    except ValidationError as exc:
        raise validation_error(exc) from None
    services = request.app[keys.SERVICES]
    async with services.sessions() as db, write_transaction(db):
        if await residents.get(db, wanted.resident_id) is None:
            raise ApiError(404, f"resident {wanted.resident_id} does not exist")
        link = await mint_link(
            db,
            wanted.resident_id,
            services.clock(),
            bot_username=request.app[keys.CONFIG].bot_username,
            ttl_minutes=services.conversation.link_token_ttl_minutes,
        )
        await audit.record(
            db,
            actor=actor(request),
            action="api.link_token",
            detail={"resident_id": wanted.resident_id},
            now=services.clock(),
        )
    return web.json_response(link.as_json(), status=201)


async def get_consents(request: web.Request) -> web.Response:
    purpose = request.query.get("purpose", "news")
    if purpose != "news":
        raise ApiError(400, "purpose must be 'news' (the only consent the helpdesk records)")
    services = request.app[keys.SERVICES]
    async with services.sessions() as db:
        rows = await consent.current_all(db, purpose)
    result = ConsentList(
        purpose="news",
        consents=[
            ConsentItem(
                resident_id=row.resident_id,
                granted=row.granted,
                email=row.email,
                channel=row.channel,
                text_version=row.text_version,
                changed_at=row.created_at.isoformat(),
            )
            for row in rows
        ],
    )
    return web.json_response(result.model_dump())
