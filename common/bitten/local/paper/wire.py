"""What the paper broker's routes share: request, reply, JSON parsing and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bitten.local.paper.book import PaperError

DECIMAL_FIELDS = ("volume", "sl", "tp", "balance", "delta")
M = TypeVar("M", bound=BaseModel)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    body: dict[str, Any] | None


@dataclass
class Reply:
    """A JSON answer, or `drop=True`: hang up without answering (fault injection)."""

    status: int = 200
    payload: Any = None
    drop: bool = False
    headers: dict[str, str] = field(default_factory=dict)


class OpenAccount(BaseModel):
    name: str
    balance: Decimal
    currency: str = "USD"


class SeedAccount(OpenAccount):
    login: str | None = None
    demo: bool = False
    investor_password: str | None = None


class VerifyAccount(BaseModel):
    investor_password: str


class FaultRequest(BaseModel):
    mode: str
    count: int = 1
    delay: float | None = None


class TerminalRequest(BaseModel):
    connected: bool | None = None
    autotrading: bool | None = None


class BalanceRequest(BaseModel):
    delta: Decimal


class TradeModeRequest(BaseModel):
    mode: str


class AccountsQuery(BaseModel):
    logins: list[str]


def error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": code, "message": message})


def dump(model: BaseModel) -> dict[str, Any]:
    """JSON form: Decimals as strings, datetimes as ISO-8601 UTC."""
    return model.model_dump(mode="json")


def parse(model: type[M], body: dict[str, Any] | None) -> M:
    """Validate a JSON body; money and volumes must arrive as decimal strings."""
    if not isinstance(body, dict):
        raise PaperError(400, "invalid_body", "the request body must be a JSON object")
    for name in DECIMAL_FIELDS:
        if name in body and not isinstance(body[name], str):
            raise PaperError(400, "invalid_body", f'{name} must be a decimal string like "0.10"')
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise PaperError(400, "invalid_body", problems) from exc


def parse_since(raw: str | None) -> datetime:
    """`from` query parameter: ISO-8601 (naive = UTC); absent = the beginning of time."""
    if not raw:
        return datetime(1970, 1, 1, tzinfo=UTC)
    try:
        since = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise PaperError(400, "invalid_query", f"from={raw!r} is not an ISO-8601 time") from exc
    return since if since.tzinfo else since.replace(tzinfo=UTC)


def parse_after(raw: str | None) -> int | None:
    """Rates `from` query parameter: a bar open time in epoch seconds; absent = no bound."""
    if raw is None:
        return None
    if not raw.isdigit():
        raise PaperError(400, "invalid_query", f"from must be epoch seconds, not {raw!r}")
    return int(raw)
