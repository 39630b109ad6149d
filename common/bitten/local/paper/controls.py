"""Paper-only routes (same bearer token): seed accounts, inject faults, switch a terminal off
and on, move a balance, change a symbol's trade mode. A real gateway has none of these."""

from __future__ import annotations

from collections.abc import Callable

from bitten.local.paper.book import PaperBook, PaperError
from bitten.local.paper.faults import PaperFaults
from bitten.local.paper.wire import (
    BalanceRequest,
    FaultRequest,
    OpenAccount,
    Reply,
    Request,
    SeedAccount,
    TerminalRequest,
    TradeModeRequest,
    dump,
    parse,
)

__all__ = ["OpenAccount", "routes"]
TRADE_MODES = ("full", "longonly", "shortonly", "closeonly", "disabled")


def routes(book: PaperBook, faults: PaperFaults) -> list[tuple[str, str, Callable[..., Reply]]]:
    """(method, path pattern, handler) of every paper-only route."""
    acc = r"/paper/accounts/(?P<login>[^/]+)"

    def inject_fault(req: Request) -> Reply:
        f = parse(FaultRequest, req.body)
        try:
            faults.inject(f.mode, f.count, **({} if f.delay is None else {"delay": f.delay}))
        except ValueError as exc:
            raise PaperError(400, "invalid_fault", str(exc)) from exc
        return Reply(payload={"pending": faults.pending()})

    def clear_faults(req: Request) -> Reply:
        faults.clear()
        return Reply(payload={"pending": 0})

    def seed_account(req: Request) -> Reply:
        b = parse(SeedAccount, req.body)
        info = book.add_account(
            b.balance,
            b.currency,
            demo=b.demo,
            name=b.name,
            login=b.login,
            investor_password=b.investor_password,
        )
        return Reply(201, dump(info))

    def terminal(req: Request, login: str) -> Reply:
        t = parse(TerminalRequest, req.body)
        return Reply(payload=dump(book.set_terminal(login, t.connected, t.autotrading)))

    def balance(req: Request, login: str) -> Reply:
        return Reply(
            payload=dump(book.adjust_balance(login, parse(BalanceRequest, req.body).delta))
        )

    def trade_mode(req: Request, symbol: str) -> Reply:
        mode = parse(TradeModeRequest, req.body).mode
        if mode not in TRADE_MODES:
            raise PaperError(400, "invalid_body", f"mode must be one of {', '.join(TRADE_MODES)}")
        book.trade_modes[symbol.upper()] = mode
        return Reply(payload={"symbol": symbol.upper(), "trade_mode": mode})

    return [
        ("POST", r"/paper/faults", inject_fault),
        ("DELETE", r"/paper/faults", clear_faults),
        ("POST", r"/paper/accounts", seed_account),
        ("POST", acc + r"/terminal", terminal),
        ("POST", acc + r"/balance", balance),
        ("POST", r"/paper/symbols/(?P<symbol>[^/]+)/trade_mode", trade_mode),
    ]
