"""Ids from outside that no row can have are "not found" (or an ignored filter), never HTTP 500.

Every id column is a 32-bit INTEGER on PostgreSQL, which refused the larger numbers with an error
(``/items/999999999999`` and ``/audit?item=999999999999`` answered 500); "²" passes
``str.isdigit`` but not ``int``."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from helpdesk.core.ids import MAX_ROW_ID, row_id
from tests.console.conftest import post_form, sign_in

Client = TestClient[web.Request, web.Application]
HUGE = ["999999999999", str(MAX_ROW_ID + 1), "99999999999999999999", "%C2%B2", "%D9%A3", "0"]


@pytest.mark.parametrize("raw", HUGE)
async def test_item_pages_and_actions(client: Client, seeded: dict[str, int], raw: str) -> None:
    await sign_in(client, "boss")
    for path in (
        f"/items/{raw}",
        f"/items/{raw}/exports/1.json",
        f"/items/{seeded['access']}/exports/{raw}.pdf",
    ):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 404, path
        assert "There is nothing at this address." in await response.text()
    status, _, page = await post_form(client, f"/items/{raw}/note", {"text": "x"})
    assert status == 404 and "There is nothing at this address." in page


@pytest.mark.parametrize("raw", HUGE)
async def test_filters_and_paging_ignore_an_impossible_id(
    client: Client, seeded: dict[str, int], raw: str
) -> None:
    await sign_in(client, "boss")
    for path in (
        f"/audit?item={raw}",
        f"/audit?before={raw}",
        f"/audit?after={raw}",
        f"/audit.csv?item={raw}",
        f"/queue?assignee={raw}",
    ):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 200, path
    page = await (await client.get(f"/audit?item={raw}")).text()
    assert "a filter no event can match (item)" in page


async def test_an_export_id_in_a_form(client: Client, seeded: dict[str, int]) -> None:
    await sign_in(client, "anna")
    item = seeded["access"]
    page = f"/items/{item}"
    assert (await post_form(client, f"/items/{item}/claim", {}, page=page))[0] == 303
    for raw in ("999999999999", "²", "-1"):
        status, _, text = await post_form(client, f"/items/{item}/review", {"export_id": raw}, page=page)
        assert status == 404 and "That export does not exist." in text


def test_row_id() -> None:
    assert row_id("1") == 1 and row_id(str(MAX_ROW_ID)) == MAX_ROW_ID
    for text in ("", "0", "-1", "+1", " 1", "1.0", "²", "٣", str(MAX_ROW_ID + 1), "1" * 40):
        assert row_id(text) is None, text
