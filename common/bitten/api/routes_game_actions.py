"""What the War Room can do (issue 12): POST /api/plan, /api/shop, /api/season/claim,
/api/timezone and /api/drill/{report_id}/read, for the trader of the session token."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import TypeVar
from uuid import UUID

from chalice import Chalice, Response
from pydantic import BaseModel, ValidationError

from bitten.api.auth import caller, current, header
from bitten.api.responses import error, json_response
from bitten.api.routes_game import owned_drill
from bitten.domain.game.plans import PlanLocked
from bitten.domain.game.shop import PurchaseRefused
from bitten.domain.game.trading_day import UnknownTimeZone, zone
from bitten.services.deps import ApiDeps
from bitten.services.game.debrief import read_drill
from bitten.services.game.plans import choose_plan
from bitten.services.game.shop import buy, claim_rewards
from bitten.services.game.zones import profile

B = TypeVar("B", bound=BaseModel)


class PlanBody(BaseModel):
    strategy: str


class BuyBody(BaseModel):
    item: str


class ZoneBody(BaseModel):
    time_zone: str


def parsed(app: Chalice, model: type[B]) -> B | Response:
    """The JSON body as `model`, or a 400 naming what is wrong."""
    try:
        return model.model_validate(json.loads(current(app).raw_body or b"{}"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return error(400, "the body must be JSON")
    except ValidationError as err:
        first = err.errors()[0]
        return error(400, f"{'.'.join(map(str, first['loc']))}: {first['msg']}")


def asked(app: Chalice, d: ApiDeps, model: type[B]) -> tuple[UUID, B] | Response:
    """(the session's trader, the request body), or the 401 / 400 to send back."""
    trader = caller(app, d)
    if isinstance(trader, Response):
        return trader
    req = parsed(app, model)
    return req if isinstance(req, Response) else (trader, req)


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/plan", methods=["POST"])
    def pick_plan() -> Response:
        d = deps()
        got = asked(app, d, PlanBody)
        if isinstance(got, Response):
            return got
        trader, req = got
        try:
            choice = choose_plan(trader, req.strategy, d)
        except PlanLocked as why:
            return error(403, str(why))
        except ValueError as why:
            return error(400, str(why))
        return json_response(choice.model_dump(mode="json"))

    @app.route("/api/shop", methods=["POST"])
    def purchase() -> Response:
        d = deps()
        got = asked(app, d, BuyBody)
        if isinstance(got, Response):
            return got
        trader, req = got
        key = header(app, "idempotency-key") or f"hud:{uuid.uuid4()}"
        try:
            bought = buy(trader, req.item, f"{trader}:{key}", d)
        except PurchaseRefused as why:
            return error(409, str(why), status="refused")
        return json_response(bought.model_dump(mode="json"), 200 if bought.replayed else 201)

    @app.route("/api/season/claim", methods=["POST"])
    def claim() -> Response:
        d = deps()
        trader = caller(app, d)
        if isinstance(trader, Response):
            return trader
        got = claim_rewards(trader, d)
        return json_response({"claimed": [r.model_dump(mode="json") for r in got]})

    @app.route("/api/timezone", methods=["POST"])
    def set_zone() -> Response:
        d = deps()
        got = asked(app, d, ZoneBody)
        if isinstance(got, Response):
            return got
        trader, req = got
        try:
            tz = zone(req.time_zone)
        except UnknownTimeZone as why:
            return error(400, str(why))
        with d.uow() as repos:
            profile(repos, trader)
            repos.game.profiles.set_zone(trader, str(tz))
        return json_response({"time_zone": str(tz)})

    @app.route("/api/drill/{report_id}/read", methods=["POST"])
    def debrief(report_id: str) -> Response:
        d = deps()
        trader = caller(app, d)
        if isinstance(trader, Response):
            return trader
        report = owned_drill(d, trader, report_id)
        if isinstance(report, Response):
            return report
        _, earned = read_drill(trader, report.day, d)
        return json_response({"report_id": str(report.id), "earned_xp": earned})
