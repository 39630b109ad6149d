"""POST /telegram/webhook: secret header checked, body validated, update handled once."""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from dataclasses import replace

from chalice import Chalice, Response
from chalice.app import Request

from bitten import logs
from bitten.api.auth import current, header
from bitten.api.responses import error, json_response
from bitten.services.bot.updates import MalformedUpdate, handle_update
from bitten.services.deps import ApiDeps, BotDeps

log = logs.get("webhook")


def _bot_deps(d: ApiDeps, request: Request) -> BotDeps:
    """The bot's deps, linking Mini App buttons to where this request came in when no
    HUD_BASE_URL is configured on API Gateway (the api function cannot name its own URL in the
    template without a circular reference)."""
    context = request.context or {}
    if d.public_url_configured or not (context.get("domainName") and context.get("stage")):
        return d.bot
    return replace(d.bot, hud_base_url=f"https://{context['domainName']}/{context['stage']}")


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
            outcome = handle_update(json.loads(request.raw_body or b""), _bot_deps(d, request))
        except (json.JSONDecodeError, UnicodeDecodeError, MalformedUpdate) as err:
            log.warning("malformed webhook body: %s", err)
            return error(400, f"malformed update: {err}")
        return json_response({"ok": True, "outcome": outcome})
