"""HUD auth: Telegram Mini App initData (HMAC) -> short-lived JWT bound to one trader."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from urllib.parse import parse_qsl

import jwt

ALGORITHM = "HS256"


class AuthError(Exception):
    """Credentials missing, forged or expired; the message is safe to show."""


def issue_token(trader_id: str, secret: str, now: datetime, ttl: timedelta) -> str:
    claims = {"sub": trader_id, "iat": int(now.timestamp()), "exp": int((now + ttl).timestamp())}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_token(token: str, secret: str, now: datetime) -> str:
    """Trader id from a valid token; AuthError otherwise (checked against `now`, not wall time)."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"verify_exp": False})
    except jwt.PyJWTError as err:
        raise AuthError("invalid session token; reopen the HUD from Telegram") from err
    if int(claims.get("exp", 0)) <= now.timestamp():
        raise AuthError("session expired; reopen the HUD from Telegram")
    return str(claims["sub"])


def verify_init_data(init_data: str, bot_token: str, now: datetime, max_age: timedelta) -> dict:
    """Validate Mini App initData per Telegram's spec; returns the `user` object."""
    fields = dict(parse_qsl(init_data, keep_blank_values=True))
    received = fields.pop("hash", "")
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    if not received or not hmac.compare_digest(expected, received):
        raise AuthError("Telegram login data failed its signature check")
    auth_date = int(fields.get("auth_date", "0") or 0)
    if now.timestamp() - auth_date > max_age.total_seconds():
        raise AuthError("Telegram login data is too old; reopen the HUD")
    return json.loads(fields.get("user", "{}"))
