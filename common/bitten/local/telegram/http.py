"""HTTP face of the emulator: /bot<TOKEN>/<method> plus /emulator/... routes for scripts."""

from __future__ import annotations

import email
import email.policy
import json
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from bitten.local.telegram.scripts import NOT_FOUND, route_script
from bitten.local.telegram.state import ApiError, EmulatorError

if TYPE_CHECKING:
    from bitten.local.telegram.emulator import TelegramEmulator

_BOT_PATH = re.compile(r"^/bot([^/]+)/([A-Za-z]+)/?$")


class EmulatorServer(ThreadingHTTPServer):
    """Threaded server; handler threads are daemons so a pending long poll never blocks stop()."""

    daemon_threads = True
    request_queue_size = 128  # a burst of alerts opens many connections at once

    def __init__(self, address: tuple[str, int], emulator: TelegramEmulator):
        super().__init__(address, EmulatorHandler)
        self.emulator = emulator


def _multipart(content_type: str, raw: bytes) -> dict[str, Any]:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.message_from_bytes(head + raw, policy=email.policy.HTTP)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        fields[str(name)] = data if part.get_filename() else data.decode("utf-8")
    return fields


def parse_body(content_type: str, raw: bytes) -> dict[str, Any]:
    """Parameters from a JSON, form-encoded (what PTB sends) or multipart body."""
    kind = content_type.split(";")[0].strip().lower()
    if not raw:
        return {}
    if kind == "application/json":
        try:
            body = json.loads(raw)
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: request body must be a JSON object")
        return body
    if kind == "multipart/form-data":
        return _multipart(content_type, raw)
    return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))


class EmulatorHandler(BaseHTTPRequestHandler):
    """Routes one request to the Bot API dispatcher or the emulator's script routes.

    Requests are read by a small HTTP/1.1 parser of its own (request line, headers, a
    Content-Length body) and answered in one write: at the 1,000 messages a second of a paid
    broadcast, http.server's email-based header parsing was most of the emulator's time.
    """

    server: EmulatorServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # answers go out at once: no 40 ms delayed-ACK stall
    _keep_alive = True

    def handle_one_request(self) -> None:
        """Read one request; unknown methods get 405, a broken request closes the connection."""
        line = self.rfile.readline(65537)
        parts = line.decode("latin-1").split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            self.close_connection = True
            return
        self.command, self.path, version = parts
        self.headers = _read_headers(self.rfile)  # type: ignore[assignment]
        keep = self.headers.get("connection", "").lower() != "close" and version == "HTTP/1.1"
        self._keep_alive = keep
        self.close_connection = not keep
        if self.command not in ("GET", "POST"):
            self._reply(405, {"ok": False, "error_code": 405, "description": "Method Not Allowed"})
            return
        self._handle()

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return  # quiet: every call is recorded in emulator.calls()

    def _handle(self) -> None:
        url = urlsplit(self.path)
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        content_type = self.headers.get("content-type", "")
        if url.path.startswith("/emulator") and raw.lstrip()[:1] == b"{":
            content_type = "application/json"  # scripts and curl -d '{...}' need no header
        try:
            params = {**dict(parse_qsl(url.query)), **parse_body(content_type, raw)}
        except ApiError as exc:
            return self._reply(exc.code, exc.envelope())
        bot = _BOT_PATH.match(url.path)
        if bot:
            return self._reply(*self.server.emulator.handle_api(bot.group(1), bot.group(2), params))
        if url.path.rstrip("/").startswith("/emulator"):
            return self._reply(*self._script_route(url.path.rstrip("/"), params))
        self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})

    def _script_route(self, path: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            result = route_script(self.server.emulator, self.command, path, params)
        except KeyError as exc:
            return 400, {"ok": False, "error": f"missing parameter {exc}"}
        except (EmulatorError, ValueError, TypeError) as exc:
            return 400, {"ok": False, "error": str(exc)}
        if result is NOT_FOUND:
            return 404, {"ok": False, "error": f"no route {self.command} {path}"}
        return 200, {"ok": True, "result": result}

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        head = (
            f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n"
            + ("" if self._keep_alive else "Connection: close\r\n")
            + "\r\n"
        )
        try:
            self.wfile.write(head.encode("latin-1") + data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. a long poll it abandoned)


_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    429: "Too Many Requests",
}


def _read_headers(rfile: Any) -> dict[str, str]:
    """Header lines up to the blank line, names lower-cased."""
    headers: dict[str, str] = {}
    while True:
        line = rfile.readline(65537)
        if line in (b"\r\n", b"\n", b""):
            return headers
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
