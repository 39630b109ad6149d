"""Who is calling: the Mini App session token in the Authorization header (never the URL:
a link that carries a bearer token can be forwarded)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from chalice import Chalice, Response
from chalice.app import Request

from bitten.adapters.hud_auth import AuthError
from bitten.api.responses import error
from bitten.ports import SessionTokens
from bitten.services.deps import ApiDeps


def current(app: Chalice) -> Request:
    """The request being routed (Chalice always sets it inside a view)."""
    request = app.current_request
    if request is None:
        raise RuntimeError("no current request outside a route")
    return request


def header(app: Chalice, name: str) -> str:
    """A request header ('' when absent); names are case-insensitive."""
    return str((current(app).headers or {}).get(name, ""))  # type: ignore[call-overload]


def token_of(app: Chalice) -> str:
    """The bearer token; '' when there is none."""
    bearer = header(app, "authorization")
    return bearer[7:] if bearer.lower().startswith("bearer ") else ""


def query(app: Chalice, name: str) -> str:
    """A query-string parameter ('' when absent)."""
    return str((current(app).query_params or {}).get(name, ""))  # type: ignore[call-overload]


def trader_from_request(app: Chalice, tokens: SessionTokens, now: datetime) -> UUID:
    """The trader the session token names; AuthError when it is missing, forged or expired."""
    token = token_of(app)
    if not token:
        raise AuthError("sign in from Telegram first (missing session token)")
    return tokens.verify(token, now)


def caller(app: Chalice, d: ApiDeps) -> UUID | Response:
    """The trader behind the session token, or the 401 to send back."""
    try:
        return trader_from_request(app, d.tokens, d.session_now())
    except AuthError as err:
        return error(401, str(err))


def uuid_or_none(raw: str) -> UUID | None:
    """A path id as a UUID; None when it is not one (the route answers 404)."""
    try:
        return UUID(raw)
    except ValueError:
        return None


def operator(app: Chalice, d: ApiDeps) -> str | Response:
    """The operator's audit name ("trader:<id>"), or the 401/403 to send back."""
    now = d.session_now()
    try:
        trader_id = trader_from_request(app, d.tokens, now)
        role = d.tokens.role(token_of(app), now)
    except AuthError as err:
        return error(401, str(err))
    if role != "operator":
        return error(403, "operators only")
    return f"trader:{trader_id}"
