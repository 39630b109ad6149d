"""The Commander Throne's reads (operators only): GET /api/ops/throne?window=hour|day,
GET /api/ops/traders?q=..., GET /api/ops/traders/{trader_id}."""

from __future__ import annotations

from collections.abc import Callable

from chalice import Chalice, Response

from bitten.api.auth import operator, query, uuid_or_none
from bitten.api.responses import error, json_response
from bitten.domain.throne import WINDOWS, Window
from bitten.services.deps import ApiDeps
from bitten.services.throne.traders import find_traders, trader_detail
from bitten.services.throne.view import throne_view


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/ops/throne", methods=["GET"])
    def throne() -> Response:
        d = deps()
        who = operator(app, d)
        if isinstance(who, Response):
            return who
        window = query(app, "window") or "hour"
        if window not in WINDOWS:
            return error(400, f"window={window!r}: use hour or day")
        view = throne_view(_window(window), d.throne)
        return json_response(view.model_dump(mode="json"))

    @app.route("/api/ops/traders", methods=["GET"])
    def traders() -> Response:
        d = deps()
        who = operator(app, d)
        if isinstance(who, Response):
            return who
        try:
            found = find_traders(query(app, "q"), d.throne)
        except ValueError as err:
            return error(400, str(err))
        return json_response({"traders": [t.model_dump(mode="json") for t in found]})

    @app.route("/api/ops/traders/{trader_id}", methods=["GET"])
    def trader(trader_id: str) -> Response:
        d = deps()
        who = operator(app, d)
        if isinstance(who, Response):
            return who
        tid = uuid_or_none(trader_id)
        detail = trader_detail(tid, d.throne) if tid else None
        if detail is None:
            return error(404, f"no trader {trader_id!r}")
        return json_response(detail.model_dump(mode="json"))


def _window(name: str) -> Window:
    return "day" if name == "day" else "hour"
