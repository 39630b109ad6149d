"""GET /api/health: cheap, for load balancers (no dependency is called). GET /api/health?deep=1
(operators only): every dependency checked, each with its latency in ms; 503 when one fails."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from importlib import metadata

from chalice import Chalice, Response

from bitten.api.auth import operator, query
from bitten.api.responses import json_response
from bitten.services.deps import ApiDeps


@cache
def version() -> str:
    """The installed package's version ("unknown" where the code ships without metadata)."""
    try:
        return metadata.version("bitten")
    except metadata.PackageNotFoundError:
        return "unknown"


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/health", methods=["GET"])
    def health() -> Response:
        d = deps()  # a deployment missing a setting answers 503 here (app middleware)
        if query(app, "deep") not in ("1", "true"):
            now = d.clock.now().isoformat()
            return json_response({"status": "ok", "version": version(), "at": now})
        who = operator(app, d)
        if isinstance(who, Response):
            return who
        checks = {name: probe(check) for name, check in d.health_checks.items()}
        failing = sorted(name for name, c in checks.items() if not c["ok"])
        body = {"status": "degraded" if failing else "ok", "checks": checks, "failing": failing}
        return json_response(body, 503 if failing else 200)


def probe(check: Callable[[], object]) -> dict[str, object]:
    """{"ok", "ms", "error"}: one dependency's answer and how long it took."""
    started = time.perf_counter()
    try:
        check()
        failure = None
    except Exception as err:  # noqa: BLE001 - health reports any failure by name
        failure = f"{type(err).__name__}: {err}"[:300]
    ms = round((time.perf_counter() - started) * 1000, 1)
    return {"ok": failure is None, "ms": ms, "error": failure}
