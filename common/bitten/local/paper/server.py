"""The paper broker as a local HTTP server speaking the ForexVPS REST contract."""

from __future__ import annotations

import hmac
import json
import logging
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bitten.local.paper.book import PaperBook
from bitten.local.paper.faults import DEFAULT_DELAY_S, PaperFaults
from bitten.local.paper.routes import PaperRoutes, Reply, Request, error
from bitten.ports import Clock
from bitten.strategy.candles import Candles

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms ACK wait
    timeout = 30  # idle keep-alive connections are closed after this
    server: _Server

    def do_GET(self) -> None:  # noqa: N802 (stdlib naming)
        self._serve()

    def do_POST(self) -> None:  # noqa: N802
        self._serve()

    def do_DELETE(self) -> None:  # noqa: N802
        self._serve()

    def do_PUT(self) -> None:  # noqa: N802 (answered 405 by the router, in JSON)
        self._serve()

    def do_PATCH(self) -> None:  # noqa: N802
        self._serve()

    def _serve(self) -> None:
        try:
            reply = self._reply()
        except Exception as exc:  # never leave the client without an answer
            log.exception("paper broker failed on %s %s", self.command, self.path)
            reply = error(500, "internal", f"paper broker error: {exc}")
        if reply.drop:
            self.close_connection = True
            return
        try:
            self._send(reply)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout faults)
            self.close_connection = True

    def _reply(self) -> Reply:
        raw = self._read_body()  # always drained, so a keep-alive connection stays in sync
        if raw is None:
            return error(413, "body_too_large", f"request bodies are limited to {MAX_BODY} bytes")
        if not self._authorised():
            reply = error(401, "unauthorized", "missing or wrong bearer token")
            reply.headers["WWW-Authenticate"] = 'Bearer realm="forexvps"'
            return reply
        try:
            body = json.loads(raw, parse_float=Decimal) if raw else None
        except ValueError:
            return error(400, "invalid_json", "the request body is not valid JSON")
        url = urlsplit(self.path)
        req = Request(self.command, url.path.rstrip("/") or "/", dict(parse_qsl(url.query)), body)
        return self.server.routes.dispatch(req)

    def _read_body(self) -> bytes | None:
        """The request body, or None (and hang up afterwards) when it is too large."""
        declared = self.headers.get("Content-Length") or "0"
        length = int(declared) if declared.isdigit() else MAX_BODY + 1
        if length > MAX_BODY:
            self.close_connection = True
            return None
        return self.rfile.read(length) if length else b""

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        expected = self.server.token.encode()
        return scheme.lower() == "bearer" and hmac.compare_digest(token.encode(), expected)

    def _send(self, reply: Reply) -> None:
        data = json.dumps(reply.payload).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib signature)
        log.debug("paper broker: " + format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the stdlib default of 5 drops bursts of concurrent connects
    routes: PaperRoutes
    token: str


class PaperBrokerServer:
    """Local ForexVPS: `with PaperBrokerServer(candles, clock) as srv:` then use srv.base_url."""

    def __init__(
        self,
        candles: dict[str, Candles] | None = None,
        clock: Clock | None = None,
        *,
        token: str = "paper-token",
        host: str = "127.0.0.1",
        port: int = 0,
        book: PaperBook | None = None,
    ) -> None:
        self.book, self.token = PaperBook.given(book, candles, clock), token
        self.faults = PaperFaults()
        self._address = (host, port)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("the paper broker is not running; call start() first")
        return f"http://{self._address[0]}:{self._server.server_port}"

    def start(self) -> str:
        """Listen (port 0 = any free port) and serve on a daemon thread; returns the base URL."""
        if self._server is None:
            server = _Server(self._address, _Handler)
            server.routes, server.token = PaperRoutes(self.book, self.faults), self.token
            self._server = server
            self._thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="paper-broker",
                daemon=True,
            )
            self._thread.start()
        return self.base_url

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def inject_fault(self, mode: str, count: int = 1, delay: float = DEFAULT_DELAY_S) -> None:
        """Make the next `count` order submissions misbehave (see PaperFaults)."""
        self.faults.inject(mode, count, delay)

    def __enter__(self) -> PaperBrokerServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
