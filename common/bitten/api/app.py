"""create_app(): one Chalice app; routes stay thin, logic lives in bitten.services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from chalice import Chalice, ChaliceUnhandledError, Response

from bitten.api.deps import ApiDeps


class Unconfigured(ChaliceUnhandledError):
    """A setting the deployment needs is missing: every route answers 503 and names it."""


def create_app(deps_factory: Callable[[], ApiDeps] | None = None) -> Chalice:
    """`deps_factory` is called on the first request (nothing at import or cold start)."""
    app = Chalice(app_name="bitten-api")
    cache: list[ApiDeps] = []

    def deps() -> ApiDeps:
        if not cache:
            from bitten.bootstrap import NotConfigured

            try:
                cache.append((deps_factory or _default_deps)())
            except NotConfigured as err:
                raise Unconfigured(str(err)) from err
        return cache[0]

    @app.middleware("http")
    def unconfigured_is_503(event, get_response):
        try:
            return get_response(event)
        except Unconfigured as err:
            return error(503, "service not configured", detail=str(err))

    from bitten.api import routes_health, routes_hud, routes_missions, routes_telegram

    for module in (routes_health, routes_missions, routes_telegram, routes_hud):
        module.register(app, deps)
    return app


def _default_deps() -> ApiDeps:
    from bitten import bootstrap, logs
    from bitten.config import load_settings

    settings = load_settings()
    logs.configure(settings.log_level)
    return bootstrap.build_api_deps(settings)


def error(status: int, message: str, /, **extra: Any) -> Response:
    """A JSON error a person can act on."""
    return Response(
        body={"error": message, **extra},
        status_code=status,
        headers={"Content-Type": "application/json"},
    )
