"""One typing.Protocol per outside system. Real adapters: <Tech><Port>; fakes: InMemory<Port>."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from pydantic import BaseModel

from bitten.domain.broker import (
    AccountInfo,
    ClosedDeal,
    Heartbeat,
    OrderRequest,
    OrderResult,
    Position,
    Side,
)
from bitten.domain.fire import Fire, FireState, PendingFire
from bitten.domain.instruments import SymbolSpec
from bitten.domain.mission import Mission, MissionStatus
from bitten.domain.signal import TradeSignal
from bitten.domain.tiers import Tier
from bitten.domain.trade import TraceEvent, TrackedPosition
from bitten.domain.trader import Trader

if TYPE_CHECKING:  # numpy stays out of functions that never scan
    from bitten.ports_game import GameRepositories  # and the game's types out of cold starts
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


class SessionTokens(Protocol):
    """Short-lived HUD sessions bound to one trader (JWT in production)."""

    def issue(self, trader_id: UUID, now: datetime) -> str: ...
    def verify(self, token: str, now: datetime) -> UUID: ...


# -- storage: one repository per aggregate, all sharing one transaction ------------------------


class Traders(Protocol):
    """Traders and the broker account their missions are sized from."""

    def get(self, trader_id: UUID) -> Trader | None: ...
    def by_telegram(self, telegram_id: int) -> Trader | None: ...
    def register(self, telegram_id: int, username: str, now: datetime) -> tuple[Trader, bool]: ...
    def set_tier(self, trader_id: UUID, tier: Tier) -> None: ...
    def link_account(
        self, trader_id: UUID, login: str, demo: bool, currency: str, now: datetime
    ) -> None: ...
    def with_accounts(self) -> list[Trader]: ...
    def open_trades(self, trader_id: UUID) -> int: ...
    def open_bets(self, trader_id: UUID) -> list[tuple[str, Side]]: ...


class Signals(Protocol):
    def add(self, signal: TradeSignal) -> bool: ...
    def get(self, signal_id: UUID) -> TradeSignal | None: ...


class Missions(Protocol):
    """Missions; every status change is a compare-and-set on the current status."""

    def add(self, mission: Mission) -> bool: ...
    def get(self, mission_id: UUID, lock: bool = False) -> Mission | None: ...
    def for_signal_trader(self, signal_id: UUID, trader_id: UUID) -> Mission | None: ...
    def transition(
        self, mission_id: UUID, expected: MissionStatus, target: MissionStatus
    ) -> None: ...
    def expire_due(self, now: datetime) -> list[UUID]: ...
    def record_fire_request(
        self, mission_id: UUID, source: str, key: str, accepted: bool, now: datetime
    ) -> bool: ...


class Fires(Protocol):
    """Fires (one per mission) and the positions they opened."""

    def get(self, mission_id: UUID) -> Fire | None: ...
    def claim(self, mission_id: UUID, now: datetime) -> None: ...
    def transition(
        self,
        mission_id: UUID,
        expected: FireState,
        target: FireState,
        now: datetime,
        *,
        retcode: int | None = None,
        message: str = "",
        order: OrderRequest | None = None,
    ) -> None: ...
    def pending(self, stale_before: datetime) -> list[PendingFire]: ...
    def open_position(self, mission_id: UUID, result: OrderResult, order: OrderRequest) -> None: ...
    def open_positions(self) -> list[TrackedPosition]: ...
    def close_position(self, mission_id: UUID, deal: ClosedDeal, pips: Decimal) -> bool: ...


class Alerts(Protocol):
    """Which Telegram alerts went out (redelivered queue messages send nothing twice)."""

    def exists(self, mission_id: UUID) -> bool: ...
    def record(self, mission_id: UUID, chat_id: int, message_id: int, now: datetime) -> None: ...
    def group_sent(self, signal_id: UUID) -> bool: ...
    def claim_group(self, signal_id: UUID, chat_id: int, now: datetime) -> bool: ...
    def set_group_message(self, signal_id: UUID, message_id: int) -> None: ...


class TelegramUpdates(Protocol):
    """Telegram update ids already handled (webhook and polling deliver at least once)."""

    def first_delivery(self, update_id: int, kind: str, now: datetime) -> bool: ...
    def forget(self, update_id: int) -> None: ...


class TraceLog(Protocol):
    """One row per hop of a signal's journey."""

    def stamp(
        self,
        hop: str,
        at: datetime,
        signal_id: UUID | None = None,
        mission_id: UUID | None = None,
        trader_id: UUID | None = None,
        **detail: Any,
    ) -> None: ...
    def for_mission(self, mission_id: UUID) -> list[TraceEvent]: ...


class Repositories(Protocol):
    """Every repository inside one transaction."""

    @property
    def traders(self) -> Traders: ...
    @property
    def signals(self) -> Signals: ...
    @property
    def missions(self) -> Missions: ...
    @property
    def fires(self) -> Fires: ...
    @property
    def alerts(self) -> Alerts: ...
    @property
    def telegram(self) -> TelegramUpdates: ...
    @property
    def trace(self) -> TraceLog: ...
    @property
    def game(self) -> GameRepositories: ...  # issue 12: XP ledger, plans, drills, shop...


class UnitOfWork(Protocol):
    """`with uow() as repos:` one transaction: committed on success, rolled back on any error."""

    def __call__(self) -> AbstractContextManager[Repositories]: ...
