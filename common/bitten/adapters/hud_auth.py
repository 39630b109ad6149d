"""HUD auth: Telegram Mini App initData (HMAC) -> short-lived JWT bound to one trader."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta
from urllib.parse import parse_qsl
from uuid import UUID

import jwt

ALGORITHM = "HS256"
FUTURE_SKEW = timedelta(minutes=5)  # clocks disagree a little; a login from the future is forged


class AuthError(Exception):
    """Credentials missing, forged or expired; the message is safe to show."""


class JwtSessionTokens:
    """SessionTokens as HS256 JWTs; expiry is checked against the platform clock, not wall time."""

    def __init__(self, secret: str, ttl: timedelta = timedelta(hours=2)) -> None:
        self._secret, self._ttl = secret, ttl

    def issue(self, trader_id: UUID, now: datetime, role: str = "trader") -> str:
        """A token for one trader; `role` is "operator" for the ids OPERATOR_TELEGRAM_IDS lists."""
        exp = int((now + self._ttl).timestamp())
        claims = {"sub": str(trader_id), "iat": int(now.timestamp()), "exp": exp, "role": role}
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def verify(self, token: str, now: datetime) -> UUID:
        """The trader of a valid token; AuthError otherwise."""
        return UUID(str(self._claims(token, now)["sub"]))

    def role(self, token: str, now: datetime) -> str:
        """The role claim of a valid token ("trader" when it has none); AuthError otherwise."""
        return str(self._claims(token, now).get("role", "trader"))

    def _claims(self, token: str, now: datetime) -> dict:
        try:
            claims = jwt.decode(
                token, self._secret, algorithms=[ALGORITHM], options={"verify_exp": False}
            )
            UUID(str(claims["sub"]))
        except (jwt.PyJWTError, KeyError, ValueError) as err:
            raise AuthError("invalid session token; reopen the HUD from Telegram") from err
        if int(claims.get("exp", 0)) <= now.timestamp():
            raise AuthError("session expired; reopen the HUD from Telegram")
        return claims


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
    age = now.timestamp() - auth_date
    if age > max_age.total_seconds():
        raise AuthError("Telegram login data is too old; reopen the HUD")
    if age < -FUTURE_SKEW.total_seconds():
        raise AuthError("Telegram login data is dated in the future; check the server clock")
    return json.loads(fields.get("user", "{}"))
