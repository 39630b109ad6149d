"""The Commander Throne's reads (operators only): GET /api/ops/throne?window=hour|day,
GET /api/ops/traders?q=..., GET /api/ops/traders/{trader_id}."""

from __future__ import annotations

from collections.abc import Callable

from chalice import Chalice, Response

from bitten.api.auth import query, uuid_or_none
from bitten.api.operator_calls import operator_call
from bitten.domain.operator import UnknownTarget
from bitten.domain.throne import WINDOWS, Window
from bitten.domain.trader_trace import TraderDetail
from bitten.services.deps import ApiDeps
from bitten.services.throne.traders import find_traders, trader_detail
from bitten.services.throne.view import throne_view


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/ops/throne", methods=["GET"])
    def throne() -> Response:
        return operator_call(
            app, deps, "", lambda d, _: throne_view(_window(query(app, "window")), d.throne)
        )

    @app.route("/api/ops/traders", methods=["GET"])
    def traders() -> Response:
        def search(d: ApiDeps, _: str) -> dict:
            found = find_traders(query(app, "q"), d.throne)
            return {"traders": [t.model_dump(mode="json") for t in found]}

        return operator_call(app, deps, "", search)

    @app.route("/api/ops/traders/{trader_id}", methods=["GET"])
    def trader(trader_id: str) -> Response:
        def detail(d: ApiDeps, _: str) -> TraderDetail:
            tid = uuid_or_none(trader_id)
            found = trader_detail(tid, d.throne) if tid else None
            if found is None:
                raise UnknownTarget(f"no trader {trader_id!r}")
            return found

        return operator_call(app, deps, "", detail)


def _window(name: str) -> Window:
    """hour (the default) or day; ValueError (a 400) for anything else."""
    if (name or "hour") not in WINDOWS:
        raise ValueError(f"window={name!r}: use hour or day")
    return "day" if name == "day" else "hour"
