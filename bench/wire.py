"""A minimal keep-alive HTTP/1.1 client for benchmarks.

httpx spends about as much CPU per request as the server does; in a benchmark that runs
client and server in one process, that would be charged to the server. This client does
only what a GraphQL POST needs: one connection per caller, Content-Length framing.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any


class Wire:
    def __init__(self, host: str, port: int, token: str | None = None) -> None:
        self._host, self._port = host, port
        self.token = token
        self._streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    @property
    def port(self) -> int:
        return self._port

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        reused = self._streams is not None
        try:
            return await self._post(query, variables)
        except (asyncio.IncompleteReadError, ConnectionError):
            if not reused:
                raise
            self._streams = None  # the server closed an idle keep-alive connection
            return await self._post(query, variables)

    async def _post(self, query: str, variables: dict[str, Any] | None) -> dict[str, Any]:
        if self._streams is None:
            self._streams = await asyncio.open_connection(self._host, self._port)
        reader, writer = self._streams
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        auth = f"Authorization: Bearer {self.token}\r\n" if self.token else ""
        writer.write(f"POST /graphql HTTP/1.1\r\nHost: {self._host}\r\n"
                     f"Content-Type: application/json\r\n{auth}"
                     f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:"))
        answer: dict[str, Any] = json.loads(await reader.readexactly(length))
        return answer

    async def close(self) -> None:
        if self._streams is not None:
            self._streams[1].close()
            self._streams = None
