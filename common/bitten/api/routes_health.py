"""GET /api/health: every dependency checked, the failing ones named."""

from __future__ import annotations

from collections.abc import Callable

from chalice import Chalice, Response

from bitten.api.responses import json_response
from bitten.services.deps import ApiDeps


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/health", methods=["GET"])
    def health() -> Response:
        results = {}
        for name, check in deps().health_checks.items():
            try:
                check()
                results[name] = "ok"
            except Exception as err:  # noqa: BLE001 - health reports any failure by name
                results[name] = f"failing: {type(err).__name__}: {err}"[:300]
        failing = sorted(n for n, r in results.items() if r != "ok")
        status = 503 if failing else 200
        body = {
            "status": "ok" if not failing else "degraded",
            "checks": results,
            "failing": failing,
        }
        return json_response(body, status)
