"""InMemoryBroker: the Broker port on a PaperBook without HTTP (the in-process fake)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from bitten.domain.broker import (
    RETCODE_REJECT,
    RETCODE_REQUOTE,
    AccountInfo,
    Bar,
    BrokerBusy,
    BrokerTimeout,
    BrokerUnavailable,
    ClosedDeal,
    Deal,
    Heartbeat,
    OrderRequest,
    OrderResult,
    Position,
    TerminalStatus,
)
from bitten.domain.instruments import SymbolSpec
from bitten.local.paper.book import PaperBook
from bitten.local.paper.faults import PaperFaults
from bitten.local.paper.orders import retcode_text
from bitten.local.paper.quotes import bars_of
from bitten.ports import Clock
from bitten.strategy.candles import Candles


class InMemoryBroker:
    """The Broker port on a PaperBook without HTTP (service unit tests).

    Errors are BrokerError (PaperError carries status/code); injected faults raise
    BrokerTimeout exactly where the HTTP client would.
    """

    def __init__(
        self,
        candles: dict[str, Candles] | None = None,
        clock: Clock | None = None,
        *,
        book: PaperBook | None = None,
    ) -> None:
        self.book, self.faults = PaperBook.given(book, candles, clock), PaperFaults()
        self.sent: list[tuple[str, OrderRequest]] = []  # every submission, faults included

    def inject_fault(self, mode: str, count: int = 1, delay: float = 0) -> None:
        """Make the next `count` send_order calls misbehave (no sleeping in-process; `delay`
        is only the Retry-After of `busy`)."""
        self.faults.inject(mode, count, delay=delay)

    def account_info(self, login: str) -> AccountInfo:
        return self.book.account_info(login)

    def accounts(self, logins: list[str]) -> list[AccountInfo]:
        return self.book.accounts(logins)

    def terminal_status(self, login: str) -> TerminalStatus:
        return self.book.terminal_status(login)

    def position_deals(self, login: str, position: int) -> list[Deal]:
        return self.book.position_deals(login, position)

    def symbol_spec(self, login: str, symbol: str) -> SymbolSpec:
        return self.book.symbol_spec(login, symbol)

    def symbols(self) -> list[str]:
        return self.book.symbols()

    def send_order(self, login: str, order: OrderRequest) -> OrderResult:
        """Like the HTTP client: timeout (504) -> BrokerUnavailable, nothing executed;
        drops -> BrokerTimeout (executed or not); busy -> BrokerBusy."""
        self.sent.append((login, order))
        self.book.account_info(login)
        fault = self.faults.take()
        mode = fault.mode if fault else ""
        if mode == "timeout":
            raise BrokerUnavailable(f"injected 504: order {order.client_id} not executed")
        if mode == "busy":
            raise BrokerBusy("injected 429: too many requests", fault.delay if fault else 0)
        if mode == "drop_before_execute":
            raise BrokerTimeout(f"injected drop: order {order.client_id} not executed")
        if mode in ("reject", "requote"):
            code = RETCODE_REJECT if mode == "reject" else RETCODE_REQUOTE
            text = retcode_text(code, "injected fault")
            return OrderResult(retcode=code, retcode_text=text, client_id=order.client_id)
        result = self.book.send_order(login, order)
        if mode == "drop_after_execute":
            raise BrokerTimeout(f"injected drop: order {order.client_id} was executed")
        return result

    def find_order(self, login: str, client_id: str) -> OrderResult | None:
        return self.book.find_order(login, client_id)

    def positions(self, login: str) -> list[Position]:
        return self.book.positions(login)

    def closed_deals(self, login: str, since: datetime) -> list[ClosedDeal]:
        return self.book.closed_deals(login, since)

    def heartbeat(self) -> Heartbeat:
        return self.book.heartbeat()

    def open_demo_account(self, name: str, balance: Decimal, currency: str = "USD") -> AccountInfo:
        return self.book.open_demo_account(name, balance, currency)

    def verify_account(self, login: str, investor_password: str) -> AccountInfo:
        return self.book.verify_account(login, investor_password)

    def bars(self, symbol: str, count: int) -> list[Bar]:
        """The last `count` closed M1 bars, as the HTTP route would send them."""
        return bars_of(self.book.rates(symbol, count))
