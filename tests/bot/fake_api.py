"""A fake Telegram Bot API over real HTTP (aiohttp on 127.0.0.1, ephemeral port).

It implements just what the bot uses: getMe, getUpdates (long poll over a queue), sendMessage,
sendDocument (multipart; the uploaded bytes are kept), editMessageText, answerCallbackQuery,
setMyCommands, deleteWebhook, setWebhook, sendChatAction; plus injected failures (429 with
``retry_after``, 5xx, 400 for unknown file ids). Tests assert on :attr:`FakeTelegram.calls`:
the requests the bot really made.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import itertools
import json
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web

BOT_ID = 4242


@dataclass
class Call:
    method: str
    data: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)  # when it arrived (pacing tests)

    @property
    def chat_id(self) -> int:
        return int(self.data["chat_id"])

    @property
    def text(self) -> str:
        """A message's text, or a document's caption (a reply can travel as a captioned PDF)."""
        return str(self.data.get("text", self.data.get("caption", "")))

    @property
    def markup(self) -> dict[str, Any] | None:
        raw = self.data.get("reply_markup")
        if raw is None:
            return None
        return raw if isinstance(raw, dict) else json.loads(raw)

    def buttons(self) -> list[dict[str, str]]:
        markup = self.markup or {}
        return [button for row in markup.get("inline_keyboard", []) for button in row]


@dataclass
class Failure:
    status: int
    retry_after: int | None = None
    description: str = ""


class FakeTelegram:
    def __init__(self, token: str = f"{BOT_ID}:TEST-token-for-the-fake-bot-api-000000") -> None:
        self.token = token
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._new_update = asyncio.Event()
        self._new_call = asyncio.Event()
        self.failures: dict[str, deque[Failure]] = {}
        self.files: dict[str, bytes] = {}  # file_id -> bytes, for ids this fake handed out
        self.webhook_url: str | None = None
        self.record = True
        self.counts: Counter[str] = Counter()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.base_url = ""

    # ---- lifecycle
    def application(self) -> web.Application:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_post("/control/push", self._control_push)
        app.router.add_get("/control/stats", self._control_stats)
        app.router.add_get("/control/calls", self._control_calls)
        app.router.add_post("/bot{token}/{method}", self._dispatch)
        app.router.add_get("/bot{token}/{method}", self._dispatch)
        return app

    async def start(self, port: int = 0) -> str:
        self._runner = web.AppRunner(self.application(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()  # release pending long polls
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- test controls
    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **update}
        self.updates.append(update)
        self._new_update.set()
        return update

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def fail_next(
        self, method: str, *, times: int = 1, status: int = 429, retry_after: int | None = 1
    ) -> None:
        queue = self.failures.setdefault(method, deque())
        for _ in range(times):
            queue.append(Failure(status=status, retry_after=retry_after if status == 429 else None))

    def of(self, method: str, chat_id: int | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == method and (chat_id is None or c.chat_id == chat_id)]

    def sent_to(self, chat_id: int) -> list[Call]:
        return [c for c in self.calls if c.method in ("sendMessage", "sendDocument") and c.chat_id == chat_id]

    async def wait_for(self, predicate: Any, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"timed out; calls so far: {[c.method for c in self.calls]}")
            self._new_call.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_call.wait(), min(remaining, 0.2))

    # ---- control endpoints, for a fake running in another process (the benchmark)
    async def _control_push(self, request: web.Request) -> web.Response:
        for update in await request.json():
            self.push_update(update)
        return web.json_response({"queued": len(self.updates)})

    async def _control_calls(self, request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        # Unescaped UTF-8: people read this in a terminal (docs/telegram.md, "Trying it by hand").
        return web.json_response(
            [_call_summary(call) for call in self.calls[since:]],
            dumps=functools.partial(json.dumps, ensure_ascii=False),
        )

    async def _control_stats(self, request: web.Request) -> web.Response:
        return web.json_response({**self.counts, "pending": len(self.updates)})

    # ---- HTTP
    async def _read(self, request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        data: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        ctype = request.content_type
        if ctype == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                assert isinstance(part, BodyPartReader) and part.name is not None
                if part.filename is not None:
                    files[part.name] = (part.filename, await part.read())
                else:
                    data[part.name] = await part.text()
        elif ctype == "application/json":
            data = await request.json()
        else:
            data = dict(await request.post())
        return data, files

    async def _dispatch(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        data, files = await self._read(request)
        queue = self.failures.get(method)
        if queue:
            failure = queue.popleft()
            self._note(Call(f"{method}!{failure.status}", data, files))
            body: dict[str, Any] = {
                "ok": False,
                "error_code": failure.status,
                "description": "Too Many Requests: retry after"
                if failure.status == 429
                else "Internal Server Error",
            }
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return web.json_response(body, status=failure.status)
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        if method != "getUpdates":
            self._note(Call(method, data, files))
        result = await handler(data, files)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    def _note(self, call: Call) -> None:
        self.counts[call.method] += 1
        if self.record:
            self.calls.append(call)
        self._new_call.set()

    # ---- methods
    async def _m_getMe(self, data: dict[str, Any], files: Any) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Helpdesk", "username": "TestBot"}

    async def _m_getUpdates(self, data: dict[str, Any], files: Any) -> list[dict[str, Any]]:
        offset = int(data.get("offset") or 0)
        limit = int(data.get("limit") or 100)
        timeout = float(data.get("timeout") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + timeout
        while not self.updates and not self._closing and time.monotonic() < deadline:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        return self.updates[:limit]

    def _message(self, data: dict[str, Any], **extra: Any) -> dict[str, Any]:
        chat_id = int(data["chat_id"])
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Helpdesk"},
            **extra,
        }

    async def _m_sendMessage(self, data: dict[str, Any], files: Any) -> dict[str, Any]:
        return self._message(data, text=data.get("text", ""))

    async def _m_sendDocument(self, data: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        ref = str(data.get("document", ""))
        if ref.startswith("attach://"):
            filename, content = files[ref.removeprefix("attach://")]
        elif ref in self.files:
            filename, content = "cached.pdf", self.files[ref]
        else:
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: wrong file identifier/HTTP URL specified",
                },
                status=400,
            )
        digest = hashlib.sha256(content).hexdigest()
        file_id = f"FILE-{digest[:32]}"
        self.files[file_id] = content
        document = {
            "file_id": file_id,
            "file_unique_id": digest[:16],
            "file_name": filename,
            "file_size": len(content),
        }
        return self._message(data, document=document, caption=data.get("caption"))

    async def _m_editMessageText(self, data: dict[str, Any], files: Any) -> dict[str, Any]:
        return self._message(data, text=data.get("text", ""))

    async def _m_answerCallbackQuery(self, data: dict[str, Any], files: Any) -> bool:
        return True

    async def _m_setMyCommands(self, data: dict[str, Any], files: Any) -> bool:
        return True

    async def _m_deleteWebhook(self, data: dict[str, Any], files: Any) -> bool:
        self.webhook_url = None
        return True

    async def _m_setWebhook(self, data: dict[str, Any], files: Any) -> bool:
        self.webhook_url = str(data.get("url"))
        return True

    async def _m_sendChatAction(self, data: dict[str, Any], files: Any) -> bool:
        return True


# ---- update builders
_counter = itertools.count(1)


def user(user_id: int, language_code: str = "lv") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Test", "language_code": language_code}


def message(
    user_id: int,
    text: str | None = None,
    *,
    chat_id: int | None = None,
    chat_type: str = "private",
    language_code: str = "lv",
    **content: Any,
) -> dict[str, Any]:
    chat_id = user_id if chat_id is None else chat_id
    body: dict[str, Any] = {
        "message_id": next(_counter),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": chat_type, **({"title": "Māja"} if chat_type != "private" else {})},
        "from": user(user_id, language_code),
        **content,
    }
    if text is not None:
        body["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"message": body}


def callback(
    user_id: int,
    data: str,
    *,
    language_code: str = "lv",
    chat_type: str = "private",
    chat_id: int | None = None,
) -> dict[str, Any]:
    chat_id = user_id if chat_id is None else chat_id
    return {
        "callback_query": {
            "id": str(next(_counter)),
            "from": user(user_id, language_code),
            "chat_instance": "ci",
            "data": data,
            "message": {
                "message_id": next(_counter),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": chat_type},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Helpdesk"},
                "text": "menu",
            },
        }
    }


# ---- /control/calls, and the fake as a process: ``python -m tests.bot.fake_api [--port 8081]``
def _call_summary(call: Call) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "method": call.method,
        **{k: v for k, v in call.data.items() if k != "reply_markup"},
    }
    if call.markup is not None:
        summary["buttons"] = call.buttons()
    summary["files"] = {
        name: {"filename": filename, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        for name, (filename, content) in call.files.items()
    }
    return summary


def main() -> None:  # pragma: no cover - a manual tool
    import argparse

    parser = argparse.ArgumentParser(description="A fake Telegram Bot API server for trying the bot.")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=f"{BOT_ID}:TEST-token-for-the-fake-bot-api-000000")
    args = parser.parse_args()

    async def serve() -> None:
        fake = FakeTelegram(args.token)
        url = await fake.start(args.port)
        print(f"fake Bot API on {url} (token {args.token})", flush=True)
        print("POST /control/push [updates], GET /control/calls?since=N, GET /control/stats", flush=True)
        await asyncio.Event().wait()

    asyncio.run(serve())


if __name__ == "__main__":  # pragma: no cover
    main()
