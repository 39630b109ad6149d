"""The ForexVPS REST contract (docs/forexvps-api.md) mapped onto a PaperBook."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bitten.domain.broker import RETCODE_REJECT, OrderRequest
from bitten.local.paper.book import PaperBook, PaperError
from bitten.local.paper.faults import PaperFaults
from bitten.local.paper.orders import retcode_text
from bitten.local.paper.quotes import digits_of, to_price

DECIMAL_FIELDS = ("volume", "sl", "tp", "balance")
DEFAULT_RATES, MAX_RATES = 500, 5000
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


class PaperRoutes:
    """Route table: (method, path pattern) -> handler(request, match) -> Reply."""

    def __init__(self, book: PaperBook, faults: PaperFaults) -> None:
        self.book, self.faults = book, faults
        acc = r"/v1/accounts/(?P<login>[^/]+)"
        self._table: list[tuple[str, re.Pattern[str], Callable[..., Reply]]] = [
            ("GET", re.compile(r"/v1/terminal/heartbeat"), self.heartbeat),
            ("GET", re.compile(r"/v1/symbols"), self.symbols),
            ("GET", re.compile(r"/v1/symbols/(?P<symbol>[^/]+)/rates"), self.rates),
            ("POST", re.compile(r"/v1/accounts"), self.open_account),
            ("GET", re.compile(acc), self.account),
            ("POST", re.compile(acc + r"/verify"), self.verify),
            ("GET", re.compile(acc + r"/symbols/(?P<symbol>[^/]+)"), self.symbol),
            ("POST", re.compile(acc + r"/orders"), self.send_order),
            ("GET", re.compile(acc + r"/orders"), self.find_order),
            ("GET", re.compile(acc + r"/positions"), self.positions),
            ("GET", re.compile(acc + r"/deals"), self.deals),
            ("POST", re.compile(r"/paper/faults"), self.inject_fault),
            ("DELETE", re.compile(r"/paper/faults"), self.clear_faults),
            ("POST", re.compile(r"/paper/accounts"), self.seed_account),
        ]

    def dispatch(self, req: Request) -> Reply:
        """Run the matching handler; a PaperError becomes its JSON error."""
        allowed = []
        for method, pattern, handler in self._table:
            match = pattern.fullmatch(req.path)
            if match and method == req.method:
                try:
                    return handler(req, **match.groupdict())
                except PaperError as exc:
                    return error(exc.status, exc.code, exc.message)
            if match:
                allowed.append(method)
        if allowed:
            return error(405, "method_not_allowed", f"{req.path} accepts {', '.join(allowed)}")
        return error(404, "not_found", f"no route {req.method} {req.path}")

    def heartbeat(self, req: Request) -> Reply:
        return Reply(payload=dump(self.book.heartbeat()))

    def symbols(self, req: Request) -> Reply:
        return Reply(payload={"symbols": self.book.symbols()})

    def rates(self, req: Request, symbol: str) -> Reply:
        raw = req.query.get("count", str(DEFAULT_RATES))
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_RATES:
            raise PaperError(400, "invalid_query", f"count must be 1-{MAX_RATES}, not {raw!r}")
        bars = self.book.rates(symbol, int(raw), parse_after(req.query.get("from")))
        digits = digits_of(symbol)
        return Reply(
            payload={
                "symbol": symbol.upper(),
                "timeframe": "M1",
                "digits": digits,
                "time": bars.time.tolist(),
                **{
                    k: [str(to_price(p, digits)) for p in getattr(bars, k).tolist()]
                    for k in ("open", "high", "low", "close")
                },
            }
        )

    def open_account(self, req: Request) -> Reply:
        body = parse(OpenAccount, req.body)
        return Reply(201, dump(self.book.open_demo_account(body.name, body.balance, body.currency)))

    def seed_account(self, req: Request) -> Reply:
        b = parse(SeedAccount, req.body)
        info = self.book.add_account(
            b.balance,
            b.currency,
            demo=b.demo,
            name=b.name,
            login=b.login,
            investor_password=b.investor_password,
        )
        return Reply(201, dump(info))

    def verify(self, req: Request, login: str) -> Reply:
        body = parse(VerifyAccount, req.body)
        return Reply(payload=dump(self.book.verify_account(login, body.investor_password)))

    def account(self, req: Request, login: str) -> Reply:
        return Reply(payload=dump(self.book.account_info(login)))

    def symbol(self, req: Request, login: str, symbol: str) -> Reply:
        return Reply(payload=dump(self.book.symbol_spec(login, symbol)))

    def send_order(self, req: Request, login: str) -> Reply:
        order = parse(OrderRequest, req.body)
        self.book.account_info(login)  # unknown account is a 404 before any fault fires
        fault = self.faults.take()
        if fault and fault.mode == "timeout":
            time.sleep(fault.delay)
            return error(504, "terminal_timeout", "the terminal did not answer; not executed")
        if fault and fault.mode == "reject":
            text = retcode_text(RETCODE_REJECT, "injected fault")
            return Reply(
                payload={
                    "retcode": RETCODE_REJECT,
                    "retcode_text": text,
                    "client_id": order.client_id,
                }
            )
        result = self.book.send_order(login, order)
        if fault and fault.mode == "drop_after_execute":
            time.sleep(fault.delay)
            return Reply(drop=True)
        return Reply(payload=dump(result))

    def find_order(self, req: Request, login: str) -> Reply:
        client_id = req.query.get("client_id")
        if not client_id:
            raise PaperError(400, "invalid_query", "client_id query parameter is required")
        found = self.book.find_order(login, client_id)
        if found is None:
            return error(404, "order_not_found", f"no order with client_id {client_id}")
        return Reply(payload=dump(found))

    def positions(self, req: Request, login: str) -> Reply:
        return Reply(payload={"positions": [dump(p) for p in self.book.positions(login)]})

    def deals(self, req: Request, login: str) -> Reply:
        deals = self.book.closed_deals(login, parse_since(req.query.get("from")))
        return Reply(payload={"deals": [dump(d) for d in deals]})

    def inject_fault(self, req: Request) -> Reply:
        f = parse(FaultRequest, req.body)
        try:
            kwargs = {} if f.delay is None else {"delay": f.delay}
            self.faults.inject(f.mode, f.count, **kwargs)
        except ValueError as exc:
            raise PaperError(400, "invalid_fault", str(exc)) from exc
        return Reply(payload={"pending": self.faults.pending()})

    def clear_faults(self, req: Request) -> Reply:
        self.faults.clear()
        return Reply(payload={"pending": 0})
