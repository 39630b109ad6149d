"""Signed broker events: HMAC-SHA256 over "<timestamp>.<body>" with a shared secret."""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-ForexVPS-Timestamp"
SIGNATURE_HEADER = "X-ForexVPS-Signature"


class BadSignature(Exception):
    """Missing, forged or stale signature; the message is safe to show."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value for `body` sent at `timestamp` (epoch seconds)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(
    secret: str, timestamp: str, signature: str, body: bytes, now_s: float, max_age_s: int
) -> None:
    """Raise BadSignature unless `signature` signs `body` at a timestamp at most
    `max_age_s` old (and not from the future beyond that)."""
    if not timestamp.isdigit():
        raise BadSignature(f"{TIMESTAMP_HEADER} must be epoch seconds")
    if abs(now_s - int(timestamp)) > max_age_s:
        raise BadSignature(f"the event is older than {max_age_s} s (or from the future)")
    expected = sign(secret, int(timestamp), body)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise BadSignature("the signature does not match the body")
