"""The War Room's game sections (issue 12): GET /api/xp, /api/plan, /api/streak, /api/rank,
/api/achievements, /api/season, /api/shop, /api/drill[/{report_id}]. Each answers for the trader
of the session token only (JSON shapes in README)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID

from chalice import Chalice, Response
from pydantic import BaseModel

from bitten.api.auth import caller, query, uuid_or_none
from bitten.api.responses import error, json_response
from bitten.domain.game.records import StoredDrill
from bitten.services.deps import ApiDeps
from bitten.services.game.plan_view import plan_status
from bitten.services.game.season_view import season_view, shop_view
from bitten.services.game.views import (
    achievements_view,
    rank_view,
    streak_view,
    xp_view,
)


def body(model: BaseModel | None) -> Response:
    return (
        error(404, "trader not found")
        if model is None
        else json_response(model.model_dump(mode="json"))
    )


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    views: dict[str, Callable[[UUID, ApiDeps], BaseModel | None]] = {
        "/api/xp": lambda t, d: xp_view(t, d.uow, d.clock.now()),
        "/api/plan": lambda t, d: plan_status(t, d.uow, d.clock.now()),
        "/api/streak": lambda t, d: streak_view(t, d.uow, d.clock.now()),
        "/api/rank": lambda t, d: rank_view(t, d.uow),
        "/api/achievements": lambda t, d: achievements_view(t, d.uow),
        "/api/season": lambda t, d: season_view(t, d.uow, d.clock.now()),
        "/api/shop": lambda t, d: shop_view(t, d.uow, d.clock.now()),
    }
    for path, view in views.items():
        _get(app, deps, path, view)

    @app.route("/api/drill", methods=["GET"])
    def latest_drill() -> Response:
        d = deps()
        trader = caller(app, d)
        if isinstance(trader, Response):
            return trader
        raw = query(app, "day")
        try:
            day = date.fromisoformat(raw) if raw else None
        except ValueError:
            return error(400, f"day must be a date like 2024-01-09, not {raw!r}")
        with d.uow() as repos:
            drills = repos.game.drills
            report = drills.of_day(trader, day) if day else drills.latest(trader)
        return body(report) if report else error(404, "no drill report for that day yet")

    @app.route("/api/drill/{report_id}", methods=["GET"])
    def one_drill(report_id: str) -> Response:
        d = deps()
        trader = caller(app, d)
        if isinstance(trader, Response):
            return trader
        report = owned_drill(d, trader, report_id)
        return report if isinstance(report, Response) else body(report)


def _get(
    app: Chalice,
    deps: Callable[[], ApiDeps],
    path: str,
    view: Callable[[UUID, ApiDeps], BaseModel | None],
) -> None:
    def route() -> Response:
        d = deps()
        trader = caller(app, d)
        return trader if isinstance(trader, Response) else body(view(trader, d))

    route.__name__ = "game_" + path.rsplit("/", 1)[1]
    app.route(path, methods=["GET"])(route)


def owned_drill(d: ApiDeps, trader: UUID, report_id: str) -> StoredDrill | Response:
    """The trader's own drill report, or the 404 to send back (another trader's is not found)."""
    rid = uuid_or_none(report_id)
    with d.uow() as repos:
        report = repos.game.drills.get(rid) if rid else None
    if report is None or report.trader_id != trader:
        return error(404, "drill report not found")
    return report
