"""create_app(): one Chalice app; routes stay thin, logic lives in bitten.services."""

from __future__ import annotations

from collections.abc import Callable

from chalice import Chalice

from bitten.api import (
    routes_broker,
    routes_game,
    routes_game_actions,
    routes_health,
    routes_hud,
    routes_logs,
    routes_missions,
    routes_ops,
    routes_ops_actions,
    routes_ops_admin,
    routes_telegram,
    routes_throne,
    routes_trader,
)
from bitten.api.responses import Unconfigured, error
from bitten.services.deps import ApiDeps

DepsFactory = Callable[[], ApiDeps]
MAX_BODY = 1_000_000  # bytes: a Telegram update or a note is far smaller


def create_app(deps_factory: DepsFactory | None = None) -> Chalice:
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
    def logged_invocation(event, get_response):  # type: ignore[no-untyped-def]
        """Every log line of a request names the api and the request (issue 13)."""
        from bitten import logs

        request_id = str((event.context or {}).get("requestId") or "") or None
        with logs.invocation("api", request_id):
            return get_response(event)

    @app.middleware("http")
    def unconfigured_is_503(event, get_response):  # type: ignore[no-untyped-def]
        try:
            return get_response(event)
        except Unconfigured as err:
            return error(503, "service not configured", detail=str(err))

    @app.middleware("http")
    def large_body_is_413(event, get_response):  # type: ignore[no-untyped-def]
        declared = str((event.headers or {}).get("content-length") or "0")
        size = int(declared) if declared.isdigit() else 0
        if max(size, len(event.raw_body or b"")) > MAX_BODY:
            return error(413, f"request body over {MAX_BODY // 1_000_000} MB; nothing was read")
        return get_response(event)

    routes = (
        routes_health,
        routes_missions,
        routes_trader,
        routes_telegram,
        routes_hud,
        routes_ops,
        routes_ops_actions,  # issue 13: operator actions
        routes_ops_admin,
        routes_game,  # issue 12: the War Room's game sections
        routes_game_actions,
        routes_logs,  # issue 13: GET /api/ops/logs
        routes_throne,  # issue 13: the Commander Throne's reads
    )
    for module in (*routes, routes_broker):
        module.register(app, deps)
    return app


def _default_deps() -> ApiDeps:
    from bitten import bootstrap, logs, metrics
    from bitten.config import load_settings

    settings = load_settings()
    logs.configure(settings.log_level)
    bootstrap.install_log_sink(settings)  # issue 13: the api's lines in Postgres too
    metrics.configure(settings.bitten_stage)
    return bootstrap.build_api_deps(settings)
