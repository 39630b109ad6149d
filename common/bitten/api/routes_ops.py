"""Operator routes: GET /api/ops/switches, POST /api/ops/switches/{name} (the kill switch).

A session token with the operator role (issued to the Telegram ids in OPERATOR_TELEGRAM_IDS)
is required: no or a bad token is 401, a trader's token 403."""

from __future__ import annotations

from collections.abc import Callable

from chalice import Chalice, Response
from pydantic import BaseModel

from bitten.api.operator_calls import body_of, operator_call
from bitten.domain.operator import UnknownTarget
from bitten.domain.switches import Switch, SwitchState
from bitten.services.deps import ApiDeps
from bitten.services.ops import ops_status, set_switch


class SwitchChange(BaseModel):
    paused: bool
    reason: str


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/ops/switches", methods=["GET"])
    def switches() -> Response:
        return operator_call(app, deps, "", lambda d, _: ops_status(d.ops))

    @app.route("/api/ops/switches/{name}", methods=["POST"], content_types=["application/json"])
    def change(name: str) -> Response:
        def flip(d: ApiDeps, who: str) -> SwitchState:
            if name not in {s.value for s in Switch}:
                raise UnknownTarget(f"no switch {name!r}: use signals or firing")
            body = body_of(app, SwitchChange)
            return set_switch(Switch(name), body.paused, body.reason, who, d.ops)

        return operator_call(app, deps, 'send {"paused": true|false, "reason": "why"}', flip)
