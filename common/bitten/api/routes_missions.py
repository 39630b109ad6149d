"""GET /api/missions/{id}, POST /api/missions/{id}/fire, POST /api/auth/telegram."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, timedelta
from uuid import UUID

from chalice import Chalice, Response

from bitten.adapters.hud_auth import AuthError, verify_init_data
from bitten.api.auth import current, header, trader_from_request
from bitten.api.responses import error, json_response
from bitten.domain.mission import MissionAlreadyFired, MissionExpired, MissionNotFound
from bitten.domain.switches import FiringPaused
from bitten.domain.tiers import TierViolation
from bitten.services.deps import ApiDeps
from bitten.services.fire_request import FireCommand, request_fire
from bitten.services.missions_view import mission_view


def _uuid(raw: str) -> UUID | None:
    try:
        return UUID(raw)
    except ValueError:
        return None


def _caller(app: Chalice, d: ApiDeps, mission_id: str) -> tuple[UUID, UUID | None] | Response:
    """(trader id, mission id or None if malformed), or the 401 to send back."""
    try:
        trader_id = trader_from_request(app, d.tokens, d.clock.now())
    except AuthError as err:
        return error(401, str(err))
    return trader_id, _uuid(mission_id)


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/missions/{mission_id}", methods=["GET"])
    def get_mission(mission_id: str) -> Response:
        d = deps()
        caller = _caller(app, d, mission_id)
        if isinstance(caller, Response):
            return caller
        trader_id, mid = caller
        view = mission_view(mid, trader_id, d.uow, d.clock.now()) if mid else None
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

    @app.route("/api/missions/{mission_id}/fire", methods=["POST"])
    def fire(mission_id: str) -> Response:
        d = deps()
        caller = _caller(app, d, mission_id)
        if isinstance(caller, Response):
            return caller
        trader_id, mid = caller
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
        body = {"status": "fire_requested", "mission_id": str(mid), "attempt": attempt}
        return json_response(body, 202)

    @app.route("/api/auth/telegram", methods=["POST"], content_types=["application/json"])
    def auth_telegram() -> Response:
        d = deps()
        try:
            body = json.loads(current(app).raw_body or b"{}")
            user = verify_init_data(
                str(body.get("init_data", "")), d.bot_token, d.clock.now(), timedelta(hours=1)
            )
        except (AuthError, ValueError, AttributeError) as err:
            return error(401, str(err) if isinstance(err, AuthError) else "invalid login data")
        with d.uow() as repos:
            trader = repos.traders.by_telegram(int(user.get("id", 0)))
        if trader is None:
            return error(403, "send /start to the bot first")
        role = "operator" if trader.telegram_id in d.operator_ids else "trader"
        return json_response({"token": d.tokens.issue(trader.id, d.clock.now(), role)})
