"""Operator routes: GET /api/ops/switches, POST /api/ops/switches/{name} (the kill switch).

A session token with the operator role (issued to the Telegram ids in OPERATOR_TELEGRAM_IDS)
is required: no or a bad token is 401, a trader's token 403."""

from __future__ import annotations

import json
from collections.abc import Callable

from chalice import Chalice, Response
from pydantic import BaseModel, ValidationError

from bitten.api.auth import current, operator
from bitten.api.responses import error, json_response
from bitten.domain.switches import Switch
from bitten.services.deps import ApiDeps
from bitten.services.ops import ops_status, set_switch


class SwitchChange(BaseModel):
    paused: bool
    reason: str


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/ops/switches", methods=["GET"])
    def switches() -> Response:
        d = deps()
        who = operator(app, d)
        if isinstance(who, Response):
            return who
        return json_response(ops_status(d.ops).model_dump(mode="json"))

    @app.route("/api/ops/switches/{name}", methods=["POST"], content_types=["application/json"])
    def change(name: str) -> Response:
        d = deps()
        who = operator(app, d)
        if isinstance(who, Response):
            return who
        if name not in {s.value for s in Switch}:
            return error(404, f"no switch {name!r}: use signals or firing")
        try:
            body = SwitchChange.model_validate(json.loads(current(app).raw_body or b"{}"))
            state = set_switch(Switch(name), body.paused, body.reason, who, d.ops)
        except (ValidationError, ValueError) as err:
            return error(400, f'send {{"paused": true|false, "reason": "why"}}: {err}')
        return json_response(state.model_dump(mode="json"))
