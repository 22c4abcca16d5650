"""A loopback TCP proxy that can go silent: the connections it holds stop passing data but stay
open, which is how a NAT timeout or a dead peer looks (aioimaplib #110 never notices those)."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field


@dataclass
class SilentProxy:
    target_port: int
    port: int = 0
    frozen: set[asyncio.StreamWriter] = field(default_factory=set)
    live: set[asyncio.StreamWriter] = field(default_factory=set)
    server: asyncio.Server | None = None
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, key: asyncio.StreamWriter
    ) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                if key in self.frozen:
                    continue  # swallowed: the peer hears nothing and is not told
                writer.write(data)
                await writer.drain()
        if key not in self.frozen:
            writer.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.live.add(writer)
        for task in (
            asyncio.create_task(self._pipe(reader, upstream_writer, writer)),
            asyncio.create_task(self._pipe(upstream_reader, writer, writer)),
        ):
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    def freeze(self) -> None:
        """Every connection open now goes silent; new connections work normally."""
        self.frozen |= self.live

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
        for writer in self.live:
            writer.close()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
