"""The paper broker's book: accounts, market fills, SL/TP closes replayed on candles."""

from __future__ import annotations

import hmac
import itertools
import threading
from datetime import UTC, datetime
from decimal import Decimal

from bitten.domain.broker import (
    RETCODE_DONE,
    RETCODE_MARKET_CLOSED,
    RETCODE_REJECT,
    AccountInfo,
    ClosedDeal,
    Deal,
    Heartbeat,
    OrderRequest,
    OrderResult,
    Position,
    TerminalStatus,
)
from bitten.domain.broker import BrokerError as _BrokerError
from bitten.domain.instruments import SymbolSpec, split_symbol
from bitten.local.paper import accounts
from bitten.local.paper.accounts import PaperAccount
from bitten.local.paper.deals import DealLog
from bitten.local.paper.market import pre_trade_refusal
from bitten.local.paper.orders import CENT, account_rate, check_margin, check_order, retcode_text
from bitten.local.paper.positions import OpenPosition, marked, open_position, replay_stops
from bitten.local.paper.quotes import STALE_AFTER_S, PaperQuotes, Quote, utc
from bitten.local.paper.specs import with_specifics
from bitten.ports import Clock
from bitten.strategy.candles import Candles

SERVER_NAME = "ForexVPS-Paper"
MAX_CLIENT_ID = 26  # what fits an MT5 order comment (31) with room for a gateway prefix


class PaperError(_BrokerError):
    """A request the paper broker refuses; `status` and `code` become the HTTP error."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class PaperBook:
    """Thread-safe MT5-like book; every call first replays the bars up to `clock.now()`."""

    def __init__(
        self,
        candles: dict[str, Candles],
        clock: Clock,
        *,
        server: str = SERVER_NAME,
        stale_after_s: int = STALE_AFTER_S,
    ) -> None:
        self.quotes = PaperQuotes(candles, stale_after_s)
        self.clock, self.server = clock, server
        self._lock = threading.RLock()
        self._accounts: dict[str, PaperAccount] = {}
        self._orders: list[tuple[str, OrderResult]] = []
        self._open: list[OpenPosition] = []
        self.deals = DealLog()
        self.trade_modes: dict[str, str] = {}  # symbol -> MT5 trade mode other than "full"
        self._tickets = itertools.count(100_000_001)
        self._logins = itertools.count(70_000_001)
        self._caught_up_s: int | None = None  # the clock instant of the last catch-up
        self.on_deal: list = []  # callables(login, Deal): the gateway's event feed

    @classmethod
    def given(
        cls, book: PaperBook | None, candles: dict[str, Candles] | None, clock: Clock | None
    ) -> PaperBook:
        """`book` itself, or a new book over `candles` and `clock`."""
        if book is not None:
            return book
        if candles is None or clock is None:
            raise ValueError("give either a book, or candles and a clock")
        return cls(candles, clock)

    def _now_s(self) -> int:
        return int(self.clock.now().timestamp())

    def add_account(
        self,
        balance: Decimal,
        currency: str = "USD",
        *,
        demo: bool = False,
        name: str = "",
        login: str | None = None,
        leverage: int = accounts.DEFAULT_LEVERAGE,
        investor_password: str | None = None,
    ) -> AccountInfo:
        """Create an account (local stack seeding); a login is issued when none is given."""
        currency = currency.upper()
        if len(currency) != 3 or not currency.isalpha():
            raise PaperError(400, "invalid_currency", f"currency {currency!r} is not ISO 4217")
        if balance < 0:
            raise PaperError(400, "invalid_balance", f"balance {balance} must not be negative")
        with self._lock:
            login = login or str(next(self._logins))
            if login in self._accounts:
                raise PaperError(409, "account_exists", f"account {login} already exists")
            balance = Decimal(balance).quantize(CENT)
            acc = PaperAccount(login, name, currency, balance, demo, leverage, investor_password)
            self._accounts[login] = acc
            return self._info(acc, self._now_s())

    def open_demo_account(self, name: str, balance: Decimal, currency: str = "USD") -> AccountInfo:
        """A PRESS PASS demo account with a fresh login."""
        return self.add_account(balance, currency, demo=True, name=name)

    def verify_account(self, login: str, investor_password: str) -> AccountInfo:
        """The account, when `investor_password` is its read-only password (else 403)."""
        with self._lock:
            acc = self._account(login)
            known = acc.investor_password
            if known is None or not hmac.compare_digest(known.encode(), investor_password.encode()):
                raise PaperError(
                    403, "invalid_password", f"the investor password does not match {login}"
                )
            return self._info(acc, self._catch_up())

    def account_info(self, login: str) -> AccountInfo:
        with self._lock:
            now_s = self._catch_up()
            return self._info(self._account(login), now_s)

    def accounts(self, logins: list[str]) -> list[AccountInfo]:
        """The accounts among `logins` (unknown logins are left out)."""
        with self._lock:
            now_s = self._catch_up()
            known = [self._accounts[x] for x in logins if x in self._accounts]
            return [self._info(acc, now_s) for acc in known]

    def terminal_status(self, login: str) -> TerminalStatus:
        with self._lock:
            now_s = self._catch_up()
            acc = self._account(login)
        return accounts.terminal_status(acc, self._last_tick(now_s), self.clock.now())

    def set_terminal(
        self, login: str, connected: bool | None = None, autotrading: bool | None = None
    ) -> TerminalStatus:
        """Paper control: the account's terminal goes off line, or comes back."""
        with self._lock:
            accounts.set_terminal(self._account(login), self.clock.now(), connected, autotrading)
        return self.terminal_status(login)

    def adjust_balance(self, login: str, delta: Decimal) -> AccountInfo:
        """Paper control: a deposit (+) or withdrawal (-) changes the balance at once."""
        with self._lock:
            acc = self._account(login)
            acc.balance = (acc.balance + delta).quantize(CENT)
            return self._info(acc, self._now_s())

    def symbol_spec(self, login: str, symbol: str) -> SymbolSpec:
        with self._lock:
            now_s = self._catch_up()
            acc = self._account(login)
            try:
                spec = self.quotes.spec(symbol, now_s)
            except ValueError as exc:
                raise PaperError(404, "unknown_symbol", str(exc)) from exc
            return with_specifics(spec, acc, self.quotes, now_s, self.trade_modes)

    def symbols(self) -> list[str]:
        return self.quotes.symbols()

    def rates(self, symbol: str, count: int, after_open: int | None = None) -> Candles:
        """The last `count` closed M1 bid bars of `symbol` in points (the scanner's feed),
        only those opened after `after_open` when it is given."""
        try:
            return self.quotes.closed_bars(symbol, self._now_s(), count, after_open)
        except ValueError as exc:
            raise PaperError(404, "unknown_symbol", str(exc)) from exc

    def send_order(self, login: str, order: OrderRequest) -> OrderResult:
        """Fill a market order at ask (buy) / bid (sell), or answer why not (retcode)."""
        order = self._check_request(order)
        with self._lock:
            now_s = self._catch_up()
            acc = self._account(login)
            refused = pre_trade_refusal(acc, order, utc(now_s), self.trade_modes)
            if refused is not None:
                return _rejected(order, *refused)
            quote = self.quotes.live_quote(order.symbol, now_s)
            if quote is None:
                detail = f"no {order.symbol} price in the last few minutes"
                return _rejected(order, RETCODE_MARKET_CLOSED, detail)
            return self._fill_checked(acc, order, quote, now_s)

    def _fill_checked(
        self, acc: PaperAccount, order: OrderRequest, quote: Quote, now_s: int
    ) -> OrderResult:
        problem = check_order(order, quote, acc.balance)
        if problem:
            return _rejected(order, *problem)
        rate = account_rate(
            order.symbol, quote.price(order.side), acc.currency, self.quotes.mids(now_s)
        )
        if rate is None:
            detail = f"no rate to value {order.symbol} in {acc.currency}"
            return _rejected(order, RETCODE_REJECT, detail)
        free = self._info(acc, now_s).free
        margin, short = check_margin(order, quote.price(order.side), rate, acc.leverage, free)
        if short:
            return _rejected(order, *short)
        return self._fill(acc, order, quote, rate, margin)

    def find_order(self, login: str, client_id: str) -> OrderResult | None:
        """The first executed order carrying `client_id` (rejected requests leave no order)."""
        with self._lock:
            self._catch_up()
            self._account(login)
            found = (r for owner, r in self._orders if owner == login and r.client_id == client_id)
            return next(found, None)

    def orders(self) -> list[OrderResult]:
        """Every executed order on every account (the demo's proof of exactly-once)."""
        with self._lock:
            return [r for _, r in self._orders]

    def positions(self, login: str) -> list[Position]:
        with self._lock:
            self._catch_up()
            self._account(login)
            now_s = self._now_s()
            return [marked(o, self.quotes, now_s) for o in self._open if o.login == login]

    def closed_deals(self, login: str, since: datetime) -> list[ClosedDeal]:
        """Exit deals at or after `since` (naive = UTC), oldest first."""
        since = since if since.tzinfo else since.replace(tzinfo=UTC)
        with self._lock:
            self._catch_up()
            self._account(login)
            return self.deals.exits(login, since)

    def position_deals(self, login: str, position: int) -> list[Deal]:
        """Every deal of one position, entry first."""
        with self._lock:
            self._catch_up()
            self._account(login)
            return self.deals.of_position(login, position)

    def heartbeat(self) -> Heartbeat:
        with self._lock:
            self._catch_up()
        return Heartbeat(connected=True, server_time=self.clock.now())

    # -- internals -----------------------------------------------------------------

    def _check_request(self, order: OrderRequest) -> OrderRequest:
        """Malformed requests are HTTP 400s, not retcodes; the symbol comes back upper case."""
        if not 0 < len(order.client_id) <= MAX_CLIENT_ID:
            detail = f"client_id must be 1..{MAX_CLIENT_ID} characters (an MT5 comment holds 31)"
            raise PaperError(400, "invalid_client_id", detail)
        try:
            split_symbol(order.symbol)
        except ValueError as exc:
            raise PaperError(400, "invalid_symbol", str(exc)) from exc
        return order.model_copy(update={"symbol": order.symbol.upper()})

    def _account(self, login: str) -> PaperAccount:
        acc = self._accounts.get(login)
        if acc is None:
            raise PaperError(404, "unknown_account", f"no account with login {login}")
        return acc

    def _info(self, acc: PaperAccount, now_s: int) -> AccountInfo:
        held = [h for h in self._open if h.login == acc.login]
        return accounts.account_info(acc, held, self.quotes, now_s, self.server)

    def _last_tick(self, now_s: int) -> datetime | None:
        """When the newest price of any symbol was quoted."""
        quotes = (self.quotes.last_quote(s, now_s) for s in self.symbols())
        opens = [q.bar_open for q in quotes if q is not None]
        return utc(max(opens) + 60) if opens else None

    def _fill(
        self, acc: PaperAccount, order: OrderRequest, quote: Quote, rate: Decimal, margin: Decimal
    ) -> OrderResult:
        ticket, now = next(self._tickets), self.clock.now()
        held = open_position(ticket, acc.login, order, quote, rate, now, margin)
        self._open.append(held)
        deal = self.deals.entry(acc.login, held.position, now)
        held.deal_in = deal.deal
        result = OrderResult(
            retcode=RETCODE_DONE,
            retcode_text=retcode_text(RETCODE_DONE),
            client_id=order.client_id,
            order=ticket,
            position=ticket,
            price=held.position.price_open,
            volume=order.volume,
            time=now,
            deal=deal.deal,
        )
        self._orders.append((acc.login, result))
        self._announce(acc.login, deal)
        return result

    def _catch_up(self) -> int:
        """Close every open position whose SL/TP a bar touched since it was last checked.
        Once per clock instant: a position filled at this instant has no bar to replay yet."""
        now_s = self._now_s()
        if now_s == self._caught_up_s:
            return now_s
        self._caught_up_s = now_s
        still_open = []
        for held in self._open:
            acc = self._accounts[held.login]
            closed = replay_stops(held, self.quotes, now_s, acc.currency)
            if closed is None:
                still_open.append(held)
                continue
            acc.balance += closed.profit
            self._announce(acc.login, self.deals.exit(acc.login, held.position, closed))
        self._open = still_open
        return now_s

    def _announce(self, login: str, deal: Deal) -> None:
        for listener in self.on_deal:
            listener(login, deal)


def _rejected(order: OrderRequest, retcode: int, detail: str) -> OrderResult:
    return OrderResult(
        retcode=retcode, retcode_text=retcode_text(retcode, detail), client_id=order.client_id
    )
