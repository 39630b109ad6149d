"""What a broker (ForexVPS-hosted MT5 terminal, or the paper broker) tells us."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, model_validator

from bitten.domain.retcodes import Outcome, outcome_of

Side = Literal["buy", "sell"]
TradeMode = Literal["full", "longonly", "shortonly", "closeonly", "disabled"]

# MT5 trade server return codes we name in code (the full table is bitten.domain.retcodes).
RETCODE_DONE = 10009
RETCODE_PLACED = 10008
RETCODE_REQUOTE = 10004
RETCODE_REJECT = 10006
RETCODE_INVALID_VOLUME = 10014
RETCODE_INVALID_STOPS = 10016
RETCODE_TRADE_DISABLED = 10017
RETCODE_MARKET_CLOSED = 10018
RETCODE_NO_MONEY = 10019
RETCODE_PRICE_CHANGED = 10020
RETCODE_PRICE_OFF = 10021
RETCODE_TOO_MANY_REQUESTS = 10024
RETCODE_CONNECTION = 10031
FILLED_RETCODES = {RETCODE_DONE, RETCODE_PLACED, 10010}


class AccountInfo(BaseModel):
    """MT5 account_info: money in the account currency; margin_free = equity - margin."""

    login: str
    currency: str
    balance: Decimal
    equity: Decimal
    demo: bool
    server: str = ""
    margin: Decimal = Decimal(0)
    margin_free: Decimal | None = None
    leverage: int = 100
    trade_allowed: bool = True

    @model_validator(mode="after")
    def _free_margin(self) -> AccountInfo:
        if self.margin_free is None:
            self.margin_free = self.equity - self.margin
        return self

    @property
    def free(self) -> Decimal:
        """Free margin (never None once validated)."""
        return self.margin_free if self.margin_free is not None else self.equity - self.margin


class TerminalStatus(BaseModel):
    """One account's hosted terminal: connected to the trade server, and how fresh it is."""

    login: str
    connected: bool
    trade_allowed: bool = True
    last_heartbeat: datetime | None = None  # the terminal's last sign of life at the gateway
    last_tick_time: datetime | None = None  # the newest price the terminal has seen
    ping_ms: float = 0.0

    def offline_reason(self, now: datetime, max_age_s: float) -> str | None:
        """Why FIRE cannot go through this terminal now, or None when it is online."""
        if not self.connected:
            return "your MT5 terminal is offline"
        if self.last_heartbeat is None or (now - self.last_heartbeat).total_seconds() > max_age_s:
            return "your MT5 terminal has not been heard from recently"
        if not self.trade_allowed:
            return "AutoTrading is switched off in your MT5 terminal"
        return None


class OrderRequest(BaseModel):
    """A market order; `client_id` (the mission id) comes back on lookups for reconciliation."""

    client_id: str
    symbol: str
    side: Side
    volume: Decimal
    sl: Decimal
    tp: Decimal


class OrderResult(BaseModel):
    retcode: int
    retcode_text: str
    client_id: str
    order: int | None = None
    position: int | None = None
    price: Decimal | None = None
    volume: Decimal | None = None
    time: datetime | None = None

    deal: int | None = None

    @property
    def outcome(self) -> Outcome:
        return outcome_of(self.retcode)

    @property
    def filled(self) -> bool:
        return self.outcome is Outcome.FILLED


class Position(BaseModel):
    ticket: int
    client_id: str
    symbol: str
    side: Side
    volume: Decimal
    price_open: Decimal
    sl: Decimal
    tp: Decimal
    time: datetime
    profit: Decimal | None = None  # floating, in the account currency (MT5 POSITION_PROFIT)
    price_current: Decimal | None = None  # the price it would close at now


class Bar(BaseModel):
    """One closed M1 bid bar (time = its open, epoch seconds), for the HUD chart."""

    time: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal


CloseReason = Literal["sl", "tp", "client", "stopout", "expert"]


class ClosedDeal(BaseModel):
    """The exit deal of a position (entry = out)."""

    position: int
    client_id: str
    symbol: str
    volume: Decimal
    price: Decimal
    profit: Decimal
    reason: CloseReason
    time: datetime
    deal: int | None = None  # the exit deal's ticket (callbacks are idempotent by it)
    commission: Decimal = Decimal(0)
    swap: Decimal = Decimal(0)


class Deal(BaseModel):
    """One MT5 deal of a position: `in` opened it, `out` closed it (deals by position)."""

    deal: int
    order: int
    position: int
    client_id: str
    symbol: str
    side: Side
    entry: Literal["in", "out"]
    volume: Decimal
    price: Decimal
    profit: Decimal = Decimal(0)
    commission: Decimal = Decimal(0)
    swap: Decimal = Decimal(0)
    reason: CloseReason | None = None
    time: datetime

    def as_closed(self) -> ClosedDeal:
        """An `out` deal as the close record result_sync and callbacks use."""
        return ClosedDeal(
            position=self.position,
            client_id=self.client_id,
            symbol=self.symbol,
            volume=self.volume,
            price=self.price,
            profit=self.profit,
            reason=self.reason or "client",
            time=self.time,
            deal=self.deal,
            commission=self.commission,
            swap=self.swap,
        )

    def as_fill(self) -> OrderResult:
        """An `in` deal as the order result it confirms."""
        return OrderResult(
            retcode=RETCODE_DONE,
            retcode_text="Request completed",
            client_id=self.client_id,
            order=self.order,
            position=self.position,
            price=self.price,
            volume=self.volume,
            time=self.time,
            deal=self.deal,
        )


class Heartbeat(BaseModel):
    connected: bool
    server_time: datetime
    latency_ms: float = 0.0


class BrokerTimeout(Exception):
    """The broker did not answer in time: the outcome of the request is UNKNOWN."""


class BrokerError(Exception):
    """The broker answered with an error (auth, bad request, unknown account)."""


class BrokerUnavailable(BrokerError):
    """The request never reached the trade server (no connection, terminal offline or busy):
    nothing was executed, so the trader may fire again."""


class BrokerBusy(BrokerUnavailable):
    """429: too many requests; nothing was executed; try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class AccountSnapshot(AccountInfo):
    """An account as last read from the broker (missions are sized from it at fan-out)."""

    refreshed_at: datetime

    @classmethod
    def of(cls, info: AccountInfo, now: datetime) -> AccountSnapshot:
        return cls(**info.model_dump(), refreshed_at=now)
