"""StreamRequest, PTB's HTTP backend here: keep-alive, chunked bodies, a server that hangs up."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from telegram.error import NetworkError

from bitten.adapters.telegram_transport import StreamRequest

ANSWER = json.dumps({"ok": True, "result": {"message_id": 7}}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    mode = "length"

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        self.server.bodies += 1  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if self.mode == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (ANSWER[:10], ANSWER[10:]):
                self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send_header("Content-Length", str(len(ANSWER)))
            if self.mode == "close":
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(ANSWER)

    def log_message(self, *args: object) -> None:
        return


@pytest.fixture(params=["length", "chunked", "close"])
def server(request) -> Iterator[tuple[str, ThreadingHTTPServer]]:
    handler = type("H", (Handler,), {"mode": request.param})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.bodies = 0  # type: ignore[attr-defined]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/botT/sendMessage", httpd
    httpd.shutdown()
    httpd.server_close()


def test_each_answer_is_read_whole_however_the_server_frames_it(server):
    # Given a server answering with a length, in chunks, or closing after each answer
    url, httpd = server
    transport = StreamRequest()

    async def three() -> list[tuple[int, bytes]]:
        return [await transport.do_request(url, "POST") for _ in range(3)]

    # When three calls go through one transport
    answers = asyncio.run(three())
    # Then each got the full JSON, and each request reached the server once
    assert answers == [(200, ANSWER)] * 3
    assert httpd.bodies == 3  # type: ignore[attr-defined]


def test_nobody_listening_is_a_network_error():
    transport = StreamRequest(timeout=2)
    with pytest.raises(NetworkError, match="cannot connect"):
        asyncio.run(transport.do_request("http://127.0.0.1:9/botT/getMe", "POST"))
