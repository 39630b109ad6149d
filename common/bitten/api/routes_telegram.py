"""POST /telegram/webhook: secret header checked, body validated, update handled once."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable

from chalice import Chalice, Response

from bitten import logs
from bitten.api.auth import current, header
from bitten.api.responses import error, json_response
from bitten.services.bot.updates import MalformedUpdate, handle_update
from bitten.services.deps import ApiDeps

log = logs.get("webhook")


def register(app: Chalice, deps: Callable[[], ApiDeps]) -> None:
    @app.route("/telegram/webhook", methods=["POST"], content_types=["application/json"])
    def webhook() -> Response:
        d = deps()
        request = current(app)
        given = header(app, "x-telegram-bot-api-secret-token")
        if not hmac.compare_digest(given.encode(), d.webhook_secret.encode()):
            log.warning("webhook with a wrong secret token")
            return error(401, "wrong secret token")
        try:
            outcome = handle_update(json.loads(request.raw_body or b""), d.bot)
        except (json.JSONDecodeError, UnicodeDecodeError, MalformedUpdate) as err:
            log.warning("malformed webhook body: %s", err)
            return error(400, f"malformed update: {err}")
        return json_response({"ok": True, "outcome": outcome})
