"""StreamRequest: python-telegram-bot's HTTP backend on asyncio streams + h11 (HTTP/1.1).

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

import h11
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest

if TYPE_CHECKING:
    from telegram.request import RequestData

USER_AGENT = "bitten (python-telegram-bot, asyncio streams)"
READ_CHUNK = 65536


class _Connection:
    """One keep-alive HTTP/1.1 connection: a request, then its whole response."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.http = h11.Connection(h11.CLIENT)
        self.used = False  # a reused connection may have been closed by the server meanwhile

    async def exchange(self, method: str, target: str, host: str, body: bytes) -> tuple[int, bytes]:
        headers = [
            ("Host", host),
            ("User-Agent", USER_AGENT),
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(body))),
        ]
        out = self.http.send(h11.Request(method=method, target=target, headers=headers))
        out += self.http.send(h11.Data(data=body)) + self.http.send(h11.EndOfMessage())
        self.writer.write(out)
        await self.writer.drain()
        self.used = True
        return await self._response()

    async def _response(self) -> tuple[int, bytes]:
        status, chunks = 0, []
        while True:
            event = self.http.next_event()
            if event is h11.NEED_DATA:
                self.http.receive_data(await self.reader.read(READ_CHUNK))
            elif isinstance(event, h11.Response):
                status = event.status_code
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                return status, b"".join(chunks)
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionResetError("the server closed the connection mid-response")

    def reusable(self) -> bool:
        """Ready for the next request (both sides finished, server did not say close)."""
        if self.http.our_state is h11.DONE and self.http.their_state is h11.DONE:
            self.http.start_next_cycle()
            return True
        return False

    def close(self) -> None:
        self.writer.close()


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
            except (OSError, h11.ProtocolError, asyncio.IncompleteReadError) as err:
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
    return isinstance(err, ConnectionResetError | BrokenPipeError | h11.RemoteProtocolError)
