"""The ForexVPS REST contract (docs/forexvps-api.md) mapped onto a PaperBook."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from bitten.domain.broker import RETCODE_REJECT, RETCODE_REQUOTE, OrderRequest
from bitten.local.paper import controls
from bitten.local.paper.book import PaperBook, PaperError
from bitten.local.paper.faults import Fault, PaperFaults
from bitten.local.paper.orders import retcode_text
from bitten.local.paper.quotes import digits_of, to_price
from bitten.local.paper.wire import (
    AccountsQuery,
    Reply,
    Request,
    VerifyAccount,
    dump,
    error,
    parse,
    parse_after,
    parse_since,
)

__all__ = ["PaperRoutes", "Reply", "Request", "error"]
DEFAULT_RATES, MAX_RATES, MAX_BATCH = 500, 5000, 500
Route = tuple[str, re.Pattern[str], Callable[..., Reply]]


class PaperRoutes:
    """Route table: (method, path pattern) -> handler(request, match) -> Reply."""

    def __init__(self, book: PaperBook, faults: PaperFaults) -> None:
        self.book, self.faults = book, faults
        acc = r"/v1/accounts/(?P<login>[^/]+)"
        table: list[tuple[str, str, Callable[..., Reply]]] = [
            ("GET", r"/v1/terminal/heartbeat", self.heartbeat),
            ("GET", r"/v1/symbols", self.symbols),
            ("GET", r"/v1/symbols/(?P<symbol>[^/]+)/rates", self.rates),
            ("POST", r"/v1/accounts", self.open_account),
            ("POST", r"/v1/accounts/query", self.query_accounts),
            ("GET", acc, self.account),
            ("POST", acc + r"/verify", self.verify),
            ("GET", acc + r"/terminal", self.terminal),
            ("GET", acc + r"/symbols/(?P<symbol>[^/]+)", self.symbol),
            ("POST", acc + r"/orders", self.send_order),
            ("GET", acc + r"/orders", self.find_order),
            ("GET", acc + r"/positions", self.positions),
            ("GET", acc + r"/deals", self.deals),
            *controls.routes(book, faults),
        ]
        self._table: list[Route] = [(m, re.compile(p), h) for m, p, h in table]

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
        columns = {
            k: [str(to_price(p, digits)) for p in getattr(bars, k).tolist()]
            for k in ("open", "high", "low", "close")
        }
        payload = {"symbol": symbol.upper(), "timeframe": "M1", "digits": digits}
        return Reply(payload={**payload, "time": bars.time.tolist(), **columns})

    def open_account(self, req: Request) -> Reply:
        body = parse(controls.OpenAccount, req.body)
        return Reply(201, dump(self.book.open_demo_account(body.name, body.balance, body.currency)))

    def query_accounts(self, req: Request) -> Reply:
        logins = parse(AccountsQuery, req.body).logins
        if not 1 <= len(logins) <= MAX_BATCH:
            raise PaperError(400, "invalid_body", f"logins: give 1 to {MAX_BATCH} logins")
        found = self.book.accounts(logins)
        unknown = sorted(set(logins) - {a.login for a in found})
        return Reply(payload={"accounts": [dump(a) for a in found], "unknown": unknown})

    def verify(self, req: Request, login: str) -> Reply:
        body = parse(VerifyAccount, req.body)
        return Reply(payload=dump(self.book.verify_account(login, body.investor_password)))

    def account(self, req: Request, login: str) -> Reply:
        return Reply(payload=dump(self.book.account_info(login)))

    def terminal(self, req: Request, login: str) -> Reply:
        return Reply(payload=dump(self.book.terminal_status(login)))

    def symbol(self, req: Request, login: str, symbol: str) -> Reply:
        return Reply(payload=dump(self.book.symbol_spec(login, symbol)))

    def send_order(self, req: Request, login: str) -> Reply:
        order = parse(OrderRequest, req.body)
        self.book.account_info(login)  # unknown account is a 404 before any fault fires
        fault = self.faults.take()
        if fault is not None and fault.mode != "drop_after_execute":
            return _misbehave(fault, order)
        result = self.book.send_order(login, order)
        if fault is not None:  # drop_after_execute: executed, and the answer is lost
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
        position = req.query.get("position")
        if position is not None:
            if not position.isdigit():
                raise PaperError(
                    400, "invalid_query", f"position must be a ticket, not {position!r}"
                )
            deals: list[Any] = self.book.position_deals(login, int(position))
        else:
            deals = self.book.closed_deals(login, parse_since(req.query.get("from")))
        return Reply(payload={"deals": [dump(d) for d in deals]})


def _misbehave(fault: Fault, order: OrderRequest) -> Reply:
    """A fault that answers without executing anything."""
    if fault.mode == "busy":
        reply = error(429, "too_many_requests", "slow down: too many requests to this terminal")
        reply.headers["Retry-After"] = f"{fault.delay:g}"
        return reply
    time.sleep(fault.delay if fault.mode in ("timeout", "drop_before_execute") else 0)
    if fault.mode == "timeout":
        return error(504, "terminal_timeout", "the terminal did not answer; not executed")
    if fault.mode == "drop_before_execute":
        return Reply(drop=True)
    code = RETCODE_REJECT if fault.mode == "reject" else RETCODE_REQUOTE
    text = retcode_text(code, "injected fault")
    return Reply(payload={"retcode": code, "retcode_text": text, "client_id": order.client_id})
