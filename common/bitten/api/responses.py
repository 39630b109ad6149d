"""JSON answers the routes share (no route imports the app: no import cycle)."""

from __future__ import annotations

from typing import Any

from chalice import ChaliceUnhandledError, Response


class Unconfigured(ChaliceUnhandledError):
    """A setting the deployment needs is missing: every route answers 503 and names it."""


def json_response(body: Any, status: int = 200) -> Response:
    return Response(body=body, status_code=status, headers={"Content-Type": "application/json"})


def error(status: int, message: str, /, **extra: Any) -> Response:
    """A JSON error a person can act on."""
    return json_response({"error": message, **extra}, status)
