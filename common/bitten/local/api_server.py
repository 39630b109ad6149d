"""Serve the Chalice app over real HTTP on 127.0.0.1 (Chalice's own local gateway)."""

from __future__ import annotations

import functools
import logging
import socket
import threading

from chalice import Chalice

# Connections the kernel completes and holds while the accept loop is busy. socketserver's
# default of 5 dropped most of a 100-connection burst; the kernel caps it at somaxconn.
LISTEN_BACKLOG = 128


def free_port(host: str) -> int:
    """A port nothing listens on now (the local API's, chosen before links are made to it)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class ApiServer:
    """Chalice's local server: a thread per connection, a backlog that holds a burst."""

    def __init__(self, app: Chalice, host: str = "127.0.0.1", port: int = 0) -> None:
        from chalice.config import Config
        from chalice.local import ChaliceRequestHandler, create_local_server

        class QuietHandler(ChaliceRequestHandler):
            disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall per response

            def log_message(self, *args: object) -> None:
                """Access lines would drown the JSON logs."""

        config = Config.create(chalice_stage="local", app_name=app.app_name)
        self._server = create_local_server(app, config, host, port)  # current_request per thread
        self._server.server.daemon_threads = True
        self._server.server.request_queue_size = LISTEN_BACKLOG
        self._server.server.server_activate()  # listen() again: Chalice bound it with the default
        self._server.server.RequestHandlerClass = functools.partial(
            QuietHandler, app_object=app, config=config
        )
        logging.getLogger("chalice").setLevel(logging.WARNING)
        self.host = host
        self._thread = threading.Thread(
            target=self._server.server.serve_forever, daemon=True, name="api"
        )

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self._server.server.server_port}"

    def start(self) -> str:
        self._thread.start()
        return self.base_url

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server.server_close()
