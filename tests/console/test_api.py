"""The portal API over HTTP: authentication, each call, its 4xx answers, idempotency, OpenAPI."""

from __future__ import annotations

import hashlib
from typing import Any

import aiohttp
import jsonschema
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from openapi_spec_validator import validate

from helpdesk.core.secrets import personal_code_hmac, sha256_hex
from helpdesk.services import Services
from helpdesk.storage.repositories import apikeys, audit, invoices, links, residents
from tests.console.conftest import NOW, SECRET

Client = TestClient[web.Request, web.Application]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
async def key(services: Services, seeded: dict[str, int]) -> str:
    async with services.sessions() as db, db.begin():
        plain, _row = await apikeys.add(db, name="portal", secret_key=SECRET.encode(), now=NOW)
    return plain


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


RESIDENT = {
    "name": "Pēteris Kalns",
    "address": "Skolas iela 3-1, Jelgava",
    "invoice_email": "Peteris@Example.lv",
    "language": "lv",
    "personal_code": "010180-12345",
}


async def test_every_call_needs_a_valid_key(client: Client, key: str, services: Services) -> None:
    for headers in ({}, {"Authorization": "Basic abc"}, auth("hdk_wrong"), {"Authorization": "Bearer "}):
        response = await client.get("/api/v1/consents", headers=headers)
        assert response.status == 401
        body = await response.json()
        assert body["error"] == "unauthorized" and "Bearer" in response.headers["WWW-Authenticate"]
    async with services.sessions() as db, db.begin():
        (row,) = await apikeys.list_all(db)
        assert row.key_hash != hashlib.sha256(key.encode()).hexdigest()  # keyed, not a bare hash
        await apikeys.revoke(db, key_id=row.id, now=NOW)
    assert (await client.get("/api/v1/consents", headers=auth(key))).status == 401


async def test_put_resident_is_an_idempotent_upsert(client: Client, key: str, services: Services) -> None:
    first = await client.put("/api/v1/residents/R-77", json=RESIDENT, headers=auth(key))
    assert first.status == 201
    body = await first.json()
    assert body["created"] is True and body["invoice_email"] == "peteris@example.lv"
    assert body["personal_code_on_file"] is True and "personal_code" not in body
    second = await client.put("/api/v1/residents/R-77", json=RESIDENT, headers=auth(key))
    assert second.status == 200 and (await second.json())["created"] is False
    async with services.sessions() as db:
        row = await residents.get(db, "R-77")
        assert row is not None and row.personal_code_hmac == personal_code_hmac(
            SECRET.encode(), "01018012345"
        )
        actions = [e.action for e in await audit.search(db) if e.actor.startswith("api:")]
    assert actions == ["api.resident.upsert", "api.resident.upsert"]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({**RESIDENT, "invoice_email": "nope"}, 422, "invoice_email"),
        ({**RESIDENT, "personal_code": "123"}, 422, "personal_code"),
        ({**RESIDENT, "language": "de"}, 422, "language"),
        ({**RESIDENT, "colour": "blue"}, 422, "colour"),
        ({**RESIDENT, "id": "R-78"}, 422, None),
        ({"address": "x"}, 422, "name"),
        ([1, 2], 422, None),
    ],
)
async def test_put_resident_refuses_bad_bodies(
    client: Client, key: str, body: Any, status: int, field: str | None
) -> None:
    response = await client.put("/api/v1/residents/R-77", json=body, headers=auth(key))
    assert response.status == status
    answer = await response.json()
    assert answer["error"] == "invalid" and answer["message"]
    if field:
        assert any(item["field"] == field for item in answer["details"]), answer
    assert "010180" not in str(answer)  # the personal code is not echoed back


async def test_put_resident_content_type_and_json(client: Client, key: str) -> None:
    response = await client.put("/api/v1/residents/R-77", data="name=x", headers=auth(key))
    assert response.status == 415
    response = await client.put(
        "/api/v1/residents/R-77", data="{not json", headers=auth(key) | {"Content-Type": "application/json"}
    )
    assert response.status == 400 and (await response.json())["error"] == "bad_request"
    response = await client.put("/api/v1/residents/bad%20id", json=RESIDENT, headers=auth(key))
    assert response.status == 422


def invoice_form(content: bytes = PDF, **fields: str) -> aiohttp.FormData:
    form = aiohttp.FormData()
    values = {
        "id": "INV-2026-01-R-1",
        "resident_id": "R-1",
        "period": "2026-01",
        "amount": "54.20",
        "currency": "EUR",
        "due_date": "2026-02-20",
    } | fields
    for name, value in values.items():
        form.add_field(name, value)
    form.add_field("file", content, filename="x.pdf", content_type="application/pdf")
    return form


async def test_post_invoice_stores_the_pdf_once(client: Client, key: str, services: Services) -> None:
    response = await client.post("/api/v1/invoices", data=invoice_form(), headers=auth(key))
    assert response.status == 201, await response.text()
    body = await response.json()
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest() and body["size"] == len(PDF)
    again = await client.post(
        "/api/v1/invoices", data=invoice_form(sha256=hashlib.sha256(PDF).hexdigest()), headers=auth(key)
    )
    assert again.status == 200 and (await again.json())["created"] is False
    async with services.sessions() as db:
        row = await invoices.get_any(db, "INV-2026-01-R-1")
        assert row is not None
    assert (services.storage.invoice_dir / row.file_path).read_bytes() == PDF


@pytest.mark.parametrize(
    ("form", "status", "error"),
    [
        (lambda: invoice_form(b"GIF89a not a pdf"), 415, "not_a_pdf"),
        (lambda: invoice_form(period="2026-13"), 422, "invalid"),
        (lambda: invoice_form(amount="-1"), 422, "invalid"),
        (lambda: invoice_form(resident_id="R-404"), 404, "not_found"),
        (lambda: invoice_form(sha256="0" * 64), 422, "invalid"),
    ],
)
async def test_post_invoice_refusals(client: Client, key: str, form: Any, status: int, error: str) -> None:
    response = await client.post("/api/v1/invoices", data=form(), headers=auth(key))
    assert response.status == status, await response.text()
    assert (await response.json())["error"] == error


async def test_post_invoice_without_file_or_as_json(client: Client, key: str) -> None:
    form = aiohttp.FormData()
    form.add_field("id", "INV-1")
    form.add_field("x", b"", filename="x", content_type="application/octet-stream")  # forces multipart
    response = await client.post("/api/v1/invoices", data=form, headers=auth(key))
    assert response.status == 422 and "file" in (await response.json())["message"]
    response = await client.post("/api/v1/invoices", json={"id": "INV-1"}, headers=auth(key))
    assert response.status == 415


async def test_invoice_for_another_resident_is_a_conflict(client: Client, key: str) -> None:
    assert (await client.post("/api/v1/invoices", data=invoice_form(), headers=auth(key))).status == 201
    response = await client.post("/api/v1/invoices", data=invoice_form(resident_id="R-2"), headers=auth(key))
    assert response.status == 409


async def test_upload_size_limit(database_url: str, tmp_path: Any, seeded: dict[str, int]) -> None:
    from aiohttp.test_utils import TestServer

    from helpdesk.app import build_services, console_config
    from helpdesk.console.app import create_app
    from tests.console.conftest import make_settings
    from tests.handlers.conftest import fake_matcher

    settings = make_settings(database_url, tmp_path, api_max_upload_bytes=2048)
    small = build_services(settings, matcher=fake_matcher())
    small.clock = lambda: NOW
    async with small.sessions() as db, db.begin():
        plain, _ = await apikeys.add(db, name="p", secret_key=SECRET.encode(), now=NOW)
    client: Client = TestClient(TestServer(create_app(small, console_config(settings))))
    await client.start_server()
    try:
        big = PDF + b"0" * 4096
        response = await client.post("/api/v1/invoices", data=invoice_form(big), headers=auth(plain))
        assert response.status == 413
        assert (await response.json())["error"] == "payload_too_large"
        ok = await client.post("/api/v1/invoices", data=invoice_form(), headers=auth(plain))
        assert ok.status == 201
    finally:
        await client.close()
        await small.aclose()


async def test_link_tokens(client: Client, key: str, services: Services) -> None:
    response = await client.post("/api/v1/link-tokens", json={"resident_id": "R-2"}, headers=auth(key))
    assert response.status == 201
    body = await response.json()
    assert set(body) == {"token", "url", "expires_at"}
    assert body["url"] == f"https://t.me/TestBot?start={body['token']}" and len(body["token"]) >= 40
    async with services.sessions() as db:
        row = await links.find_hash(db, sha256_hex(body["token"]))
        assert row is not None and row.resident_id == "R-2"
        assert all(body["token"] not in str(e.detail) for e in await audit.search(db))
    response = await client.post("/api/v1/link-tokens", json={"resident_id": "R-404"}, headers=auth(key))
    assert response.status == 404
    response = await client.post("/api/v1/link-tokens", json={}, headers=auth(key))
    assert response.status == 422


async def test_consents(client: Client, key: str) -> None:
    response = await client.get("/api/v1/consents?purpose=news", headers=auth(key))
    assert response.status == 200
    body = await response.json()
    assert body["purpose"] == "news"
    assert body["consents"] == [
        {
            "resident_id": "R-1",
            "granted": True,
            "email": "janis.zinas@example.lv",
            "channel": "telegram",
            "text_version": "news-lv-1",
            "changed_at": body["consents"][0]["changed_at"],
        }
    ]
    assert (await client.get("/api/v1/consents?purpose=marketing", headers=auth(key))).status == 400


async def test_unknown_paths_and_methods_answer_json(client: Client, key: str) -> None:
    response = await client.get("/api/v1/nothing", headers=auth(key))
    assert response.status == 404 and (await response.json())["error"] == "not_found"
    response = await client.delete("/api/v1/consents", headers=auth(key))
    assert response.status == 405 and (await response.json())["error"] == "method_not_allowed"


async def test_openapi_document_is_valid_and_public(client: Client, key: str) -> None:
    response = await client.get("/api/v1/openapi.json")
    assert response.status == 200
    spec = await response.json()
    validate(spec)  # raises on an invalid OpenAPI 3.1 document
    assert spec["openapi"] == "3.1.0"
    assert set(spec["paths"]) == {"/residents/{resident_id}", "/invoices", "/link-tokens", "/consents"}


async def test_responses_match_the_openapi_schemas(client: Client, key: str) -> None:
    spec = await (await client.get("/api/v1/openapi.json")).json()
    components = spec["components"]["schemas"]

    def check(name: str, value: Any) -> None:
        jsonschema.validate(value, _inline_refs(components[name], components))

    resident = await (await client.put("/api/v1/residents/R-9", json=RESIDENT, headers=auth(key))).json()
    check("ResidentResponse", resident)
    check("ConsentList", await (await client.get("/api/v1/consents", headers=auth(key))).json())
    check("Error", await (await client.get("/api/v1/consents")).json())
    form = invoice_form()
    check(
        "InvoiceResponse", await (await client.post("/api/v1/invoices", data=form, headers=auth(key))).json()
    )
    token = await client.post("/api/v1/link-tokens", json={"resident_id": "R-1"}, headers=auth(key))
    check("LinkTokenResponse", await token.json())


def _inline_refs(node: Any, components: dict[str, Any]) -> Any:
    """Inline ``#/components/schemas/X`` references so plain jsonschema can check a response."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            return _inline_refs(components[ref.rsplit("/", 1)[1]], components)
        return {key: _inline_refs(value, components) for key, value in node.items()}
    if isinstance(node, list):
        return [_inline_refs(value, components) for value in node]
    return node
