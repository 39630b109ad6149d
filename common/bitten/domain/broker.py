"""What a broker (ForexVPS-hosted MT5 terminal, or the paper broker) tells us."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel

Side = Literal["buy", "sell"]

# MT5 trade server return codes we act on (MqlTradeResult.retcode).
RETCODE_DONE = 10009
RETCODE_PLACED = 10008
RETCODE_REQUOTE = 10004
RETCODE_REJECT = 10006
RETCODE_INVALID_VOLUME = 10014
RETCODE_INVALID_STOPS = 10016
RETCODE_MARKET_CLOSED = 10018
RETCODE_NO_MONEY = 10019
FILLED_RETCODES = {RETCODE_DONE, RETCODE_PLACED}


class AccountInfo(BaseModel):
    login: str
    currency: str
    balance: Decimal
    equity: Decimal
    demo: bool
    server: str = ""


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

    @property
    def filled(self) -> bool:
        return self.retcode in FILLED_RETCODES


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


class ClosedDeal(BaseModel):
    """The exit deal of a position (entry = out)."""

    position: int
    client_id: str
    symbol: str
    volume: Decimal
    price: Decimal
    profit: Decimal
    reason: Literal["sl", "tp", "client", "stopout", "expert"]
    time: datetime


class Heartbeat(BaseModel):
    connected: bool
    server_time: datetime
    latency_ms: float = 0.0


class BrokerTimeout(Exception):
    """The broker did not answer in time: the outcome of the request is UNKNOWN."""


class BrokerError(Exception):
    """The broker answered with an error (auth, bad request, unknown account)."""
