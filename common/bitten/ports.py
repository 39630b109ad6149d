"""One typing.Protocol per outside system. Real adapters: <Tech><Port>; fakes: InMemory<Port>."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

from bitten.domain.broker import (
    AccountInfo,
    ClosedDeal,
    Heartbeat,
    OrderRequest,
    OrderResult,
    Position,
)
from bitten.domain.instruments import SymbolSpec

if TYPE_CHECKING:  # numpy stays out of functions that never scan
    from bitten.strategy.candles import Candles


class Clock(Protocol):
    def now(self) -> datetime: ...


class Broker(Protocol):
    """ForexVPS REST API in front of hosted MT5 terminals (docs/forexvps-api.md)."""

    def account_info(self, login: str) -> AccountInfo: ...
    def symbol_spec(self, login: str, symbol: str) -> SymbolSpec: ...
    def symbols(self) -> list[str]: ...
    def send_order(self, login: str, order: OrderRequest) -> OrderResult: ...
    def find_order(self, login: str, client_id: str) -> OrderResult | None: ...
    def positions(self, login: str) -> list[Position]: ...
    def closed_deals(self, login: str, since: datetime) -> list[ClosedDeal]: ...
    def heartbeat(self) -> Heartbeat: ...
    def open_demo_account(
        self, name: str, balance: Decimal, currency: str = "USD"
    ) -> AccountInfo: ...


class Button(BaseModel):
    """An inline keyboard button: exactly one of callback_data, url, web_app_url."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    web_app_url: str | None = None


class Notifier(Protocol):
    """Telegram Bot API (real, or the local emulator)."""

    def send_message(
        self, chat_id: int, text: str, buttons: list[list[Button]] | None = None
    ) -> int: ...
    def edit_message(self, chat_id: int, message_id: int, text: str) -> None: ...
    def answer_callback(self, callback_query_id: str, text: str, alert: bool = False) -> None: ...


class MessageQueue(Protocol):
    """One SQS queue. `group_id`/`dedup_id` only matter on FIFO queues."""

    def send(
        self, body: dict[str, Any], group_id: str | None = None, dedup_id: str | None = None
    ) -> str: ...
    def ping(self) -> None: ...


class FireLock(Protocol):
    """One-time claim per mission (DynamoDB conditional write)."""

    def claim(self, mission_id: str, owner: str) -> bool: ...
    def ping(self) -> None: ...


class MarketFeed(Protocol):
    """Closed M1 candles up to `now` for the scanner."""

    def pairs(self) -> list[str]: ...
    def symbols(self) -> list[str]: ...
    def recent(self, pair: str, now: datetime, bars: int) -> Candles: ...
