"""StreamRequest: python-telegram-bot's HTTP backend on plain asyncio streams (HTTP/1.1).

PTB's default backend (httpx) costs about 2 ms of CPU per Bot API call; at the 1,000
messages a second of a paid broadcast that alone is two cores. Bot API calls are small JSON
POSTs answered with a JSON body, so keep-alive HTTP/1.1 over plain asyncio streams does the
same job for about a tenth of that (`bitten bench alerts` shows the figures).
"""

from __future__ import annotations

import asyncio
import ssl
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest

if TYPE_CHECKING:
    from telegram.request import RequestData

USER_AGENT = "bitten (python-telegram-bot, asyncio streams)"
READ_CHUNK = 65536


class _Connection:
    """One keep-alive HTTP/1.1 connection: a request, then its whole response (Content-Length
    or chunked body, as any HTTP/1.1 server may send)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.used = False  # a reused connection may have been closed by the server meanwhile
        self.keep = True

    async def exchange(self, method: str, target: str, host: str, body: bytes) -> tuple[int, bytes]:
        head = (
            f"{method} {target} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {USER_AGENT}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode("latin-1") + body)
        await self.writer.drain()
        self.used = True
        status, headers = await self._head()
        self.keep = headers.get("connection", "").lower() != "close"
        return status, await self._body(headers)

    async def _head(self) -> tuple[int, dict[str, str]]:
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as err:
            raise ConnectionResetError("the server closed the connection") from err
        lines = raw.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise BadResponse(f"not an HTTP/1.1 status line: {lines[0][:80]!r}")
        headers = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        return int(parts[1]), headers

    async def _body(self, headers: dict[str, str]) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return await self._chunks()
        length = headers.get("content-length")
        if length is None:  # body until the server closes: nothing to reuse afterwards
            self.keep = False
            return await self.reader.read()
        return await self.reader.readexactly(int(length))

    async def _chunks(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await _trailer(self.reader)
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def reusable(self) -> bool:
        return self.keep

    def close(self) -> None:
        self.writer.close()


async def _trailer(reader: asyncio.StreamReader) -> None:
    """Skip optional trailer fields up to the empty line that ends a chunked body."""
    while (await reader.readuntil(b"\r\n")) != b"\r\n":
        pass


class BadResponse(OSError):
    """The server's answer is not HTTP/1.1."""


class StreamRequest(BaseRequest):
    """PTB request backend: JSON bodies over a small pool of keep-alive connections."""

    def __init__(self, pool_size: int = 8, timeout: float = 10.0) -> None:
        self._pool_size, self._timeout = pool_size, timeout
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}
        self._slots: asyncio.Semaphore | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeout

    async def initialize(self) -> None:
        self._slots = self._slots or asyncio.Semaphore(self._pool_size)

    async def shutdown(self) -> None:
        for connections in self._idle.values():
            for connection in connections:
                connection.close()
        self._idle.clear()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """POST the parameters as JSON; TimedOut / NetworkError like PTB's own backend."""
        if request_data is not None and request_data.multipart_data:
            raise NetworkError("StreamRequest sends JSON only; file uploads need HTTPXRequest")
        body = request_data.json_payload if request_data is not None else b""
        timeout = read_timeout if isinstance(read_timeout, int | float) else self._timeout
        await self.initialize()
        assert self._slots is not None
        async with self._slots:
            try:
                return await asyncio.wait_for(self._send(url, method, body), timeout)
            except TimeoutError as err:
                raise TimedOut(f"no answer from the Bot API within {timeout:.0f}s") from err

    async def _send(self, url: str, method: str, body: bytes) -> tuple[int, bytes]:
        parts = urlsplit(url)
        https = parts.scheme == "https"
        key = (parts.scheme, parts.hostname or "", parts.port or (443 if https else 80))
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        for attempt in (1, 2):
            connection = await self._checkout(key, https)
            reused = connection.used
            try:
                answer = await connection.exchange(method, target, parts.netloc, body)
            except (
                OSError,
                ValueError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
            ) as err:
                connection.close()
                # A kept-alive connection the server had closed: the request never arrived.
                if attempt == 1 and reused and _never_answered(err):
                    continue
                detail = f"{type(err).__name__}: {err}"
                raise NetworkError(f"Bot API connection failed: {detail}") from err
            self._checkin(key, connection)
            return answer
        raise NetworkError("Bot API connection failed twice")

    async def _checkout(self, key: tuple[str, str, int], https: bool) -> _Connection:
        idle = self._idle.get(key)
        if idle:
            return idle.pop()
        context = ssl.create_default_context() if https else None
        try:
            reader, writer = await asyncio.open_connection(key[1], key[2], ssl=context)
        except OSError as err:
            where = f"{key[1]}:{key[2]}"
            raise NetworkError(f"cannot connect to the Bot API at {where}: {err}") from err
        return _Connection(reader, writer)

    def _checkin(self, key: tuple[str, str, int], connection: _Connection) -> None:
        if connection.reusable():
            self._idle.setdefault(key, []).append(connection)
        else:
            connection.close()


def _never_answered(err: BaseException) -> bool:
    """A reset or EOF before any response byte: the stale keep-alive case, safe to resend."""
    return isinstance(err, ConnectionResetError | BrokenPipeError)
