"""GET /api/ops/logs: stored log lines by mission, trader, signal, time and level (operators).

`?mission=&trader=&signal=` UUIDs, `since=` an ISO time or an age (2h, 30m, 7d), `level=` that
level and above, `limit=` 1-1000 (200); newest first. Bad input is 400 with what to send."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from chalice import Chalice, Response

from bitten.api.auth import query
from bitten.api.operator_calls import operator_call
from bitten.domain.logs import LogQuery, parse_since
from bitten.services.deps import ApiDeps
from bitten.services.logs import search_logs

PARAMS = {"mission": "mission_id", "trader": "trader_id", "signal": "signal_id", "level": "level"}


def log_query(get: Callable[[str], str], now: datetime) -> LogQuery:
    """The query from request parameters; ValueError (ValidationError) naming what is wrong."""
    given: dict[str, object] = {f: get(p) for p, f in PARAMS.items() if get(p)}
    if since := get("since"):
        given["since"] = parse_since(since, now)
    if limit := get("limit"):
        given["limit"] = limit  # pydantic checks it is a whole number in range
    return LogQuery.model_validate(given)


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/ops/logs", methods=["GET"])
    def search() -> Response:
        def found(d: ApiDeps, _: str) -> dict:
            # log lines carry wall-clock times, so an age counts back from the wall clock
            wanted = log_query(lambda name: query(app, name), datetime.now(UTC))
            lines = search_logs(wanted, d.uow)
            return {"lines": [line.model_dump(mode="json") for line in lines]}

        return operator_call(app, deps, "bad log search", found)
