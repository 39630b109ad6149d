"""GET /api/missions/{id} (+ /bars), POST /api/missions/{id}/fire, POST /api/auth/telegram."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, timedelta

from chalice import Chalice, Response

from bitten.adapters.hud_auth import AuthError, verify_init_data
from bitten.api.auth import caller, current, header, uuid_or_none
from bitten.api.responses import error, json_response
from bitten.domain.broker import BrokerError, BrokerTimeout
from bitten.domain.mission import MissionAlreadyFired, MissionExpired, MissionNotFound
from bitten.domain.pacing import Priority
from bitten.domain.switches import FiringPaused
from bitten.domain.tiers import TierViolation
from bitten.services.deps import ApiDeps
from bitten.services.fire_request import FireCommand, request_fire
from bitten.services.mission_updates import show_mission
from bitten.services.missions_view import mission_bars, mission_view

INIT_DATA_MAX_AGE = timedelta(hours=1)


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/missions/{mission_id}", methods=["GET"])
    def get_mission(mission_id: str) -> Response:
        d = deps()
        trader_id = caller(app, d)
        if isinstance(trader_id, Response):
            return trader_id
        mid, now = uuid_or_none(mission_id), d.clock.now()
        view = mission_view(mid, trader_id, d.uow, now, d.bot.broker) if mid else None
        if view is None:
            return error(404, "mission not found")
        body = view.model_dump(mode="json")
        if view.expired:
            expires = view.expires_at.astimezone(UTC)
            return error(
                410,
                f"this mission expired at {expires:%H:%M} UTC; wait for the next signal",
                mission=body,
            )
        return json_response(body)

    @app.route("/api/missions/{mission_id}/bars", methods=["GET"])
    def get_bars(mission_id: str) -> Response:
        d = deps()
        trader_id = caller(app, d)
        if isinstance(trader_id, Response):
            return trader_id
        mid = uuid_or_none(mission_id)
        try:
            bars = mission_bars(mid, trader_id, d.uow, d.bars) if mid else None
        except (BrokerError, BrokerTimeout) as err:
            return error(503, f"no chart data from the broker: {err}")
        if bars is None:
            return error(404, "mission not found")
        return json_response({"bars": [b.model_dump(mode="json") for b in bars]})

    @app.route("/api/missions/{mission_id}/fire", methods=["POST"])
    def fire(mission_id: str) -> Response:
        d = deps()
        trader_id = caller(app, d)
        if isinstance(trader_id, Response):
            return trader_id
        mid = uuid_or_none(mission_id)
        if mid is None:
            return error(404, "mission not found")
        key = header(app, "idempotency-key") or f"hud:{mid}"
        try:
            attempt = request_fire(FireCommand(mid, trader_id, "hud", key), d.fire)
        except MissionNotFound:
            return error(404, "mission not found")
        except MissionAlreadyFired:
            return error(409, "already fired: one order per mission", status="duplicate")
        except MissionExpired as err:
            return error(410, str(err))
        except TierViolation as err:
            return error(403, str(err))
        except FiringPaused as err:
            return error(503, str(err), status="paused")
        show_mission(mid, d.bot, Priority.REPLY)  # the Telegram alert loses its FIRE button
        body = {"status": "fire_requested", "mission_id": str(mid), "attempt": attempt}
        return json_response(body, 202)

    @app.route("/api/auth/telegram", methods=["POST"], content_types=["application/json"])
    def auth_telegram() -> Response:
        d = deps()
        try:
            body = json.loads(current(app).raw_body or b"{}")
            user = verify_init_data(
                str(body.get("init_data", "")), d.bot_token, d.session_now(), INIT_DATA_MAX_AGE
            )
            telegram_id = int(user.get("id", 0))
        except (AuthError, ValueError, AttributeError, TypeError) as err:
            return error(401, str(err) if isinstance(err, AuthError) else "invalid login data")
        with d.uow() as repos:
            trader = repos.traders.by_telegram(telegram_id)
        if trader is None:
            return error(403, "send /start to the bot first")
        role = "operator" if trader.telegram_id in d.operator_ids else "trader"
        token = d.tokens.issue(trader.id, d.session_now(), role)
        return json_response({"token": token, "trader_id": str(trader.id)})
