"""Who is calling: a HUD JWT from the Authorization header (or the alert link's `t`)."""

from __future__ import annotations

from uuid import UUID

from chalice import Chalice

from bitten.adapters.hud_auth import AuthError, verify_token


def trader_from_request(app: Chalice, secret: str, now) -> UUID:
    request = app.current_request
    header = (request.headers or {}).get("authorization", "")
    token = header[7:] if header.lower().startswith("bearer ") else ""
    token = token or (request.query_params or {}).get("t", "")
    if not token:
        raise AuthError("sign in from Telegram first (missing session token)")
    return UUID(verify_token(token, secret, now))
