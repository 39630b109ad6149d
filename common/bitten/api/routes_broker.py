"""POST /api/broker/callback: the broker's signed fill and close events."""

from __future__ import annotations

import json
from collections.abc import Callable

from chalice import Chalice, Response
from pydantic import ValidationError

from bitten import logs
from bitten.adapters.broker_callbacks import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BadSignature,
    verify,
)
from bitten.api.auth import current, header
from bitten.api.responses import error, json_response
from bitten.services.broker_events import DealEvent, handle_deal
from bitten.services.deps import ApiDeps

log = logs.get("broker_callback")


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/api/broker/callback", methods=["POST"], content_types=["application/json"])
    def callback() -> Response:
        d = deps()
        raw = current(app).raw_body or b""
        body = raw.encode() if isinstance(raw, str) else raw
        try:
            verify(
                d.callbacks.secret,
                header(app, TIMESTAMP_HEADER.lower()),
                header(app, SIGNATURE_HEADER.lower()),
                body,
                d.clock.now().timestamp(),
                d.callbacks.max_age_s,
            )
        except BadSignature as err:
            log.warning("broker callback refused: %s", err)
            return error(401, str(err))
        try:
            event = DealEvent.model_validate(json.loads(body))
        except (ValueError, ValidationError) as err:
            return error(400, f"not a deal event: {err}")
        return json_response({"ok": True, "outcome": handle_deal(event, d.callbacks)})
