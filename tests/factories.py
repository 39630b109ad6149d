"""Test data built by the test: candles, traders with paper accounts, signals, missions."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from bitten import bootstrap
from bitten.adapters.clock import SystemClock, VirtualClock
from bitten.adapters.dynamodb import InMemoryFireLock
from bitten.adapters.sqs import InMemoryMessageQueue
from bitten.adapters.telegram_fakes import RecordingNotifier
from bitten.config import Settings
from bitten.domain.mission import Mission, MissionStatus
from bitten.domain.signal import ShieldCheck, TradeSignal
from bitten.domain.tiers import Tier
from bitten.domain.trader import Trader
from bitten.local.paper import InMemoryBroker
from bitten.strategy.candles import Candles

T0 = datetime(2024, 1, 8, 10, 0, tzinfo=UTC)  # a Monday morning: the market is open
FIRST_BAR = T0 - timedelta(minutes=200)
PRICES = {"EURUSD": 1.1, "USDJPY": 150.0, "XAUUSD": 2000.0, "GBPUSD": 1.25}
_telegram_ids = itertools.count(5_000_001)
_update_ids = itertools.count(1)


def text_update(telegram_id: int, text: str, message_id: int = 1, **user: Any) -> dict:
    """What Telegram POSTs when a user writes `text` in their private chat with the bot."""
    sender = {"id": telegram_id, "is_bot": False, "first_name": "Ana", **user}
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": message_id,
            "date": int(T0.timestamp()),
            "chat": {"id": telegram_id, "type": "private"},
            "from": sender,
            "text": text,
        },
    }


def press_update(telegram_id: int, data: str) -> dict:
    """A tap on an inline button carrying `data`."""
    update_id = next(_update_ids)
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cbq-{update_id}",
            "from": {"id": telegram_id, "is_bot": False, "first_name": "Ana"},
            "chat_instance": "1",
            "data": data,
        },
    }


def payment_update(telegram_id: int, payload: str, stars: int, charge: str, kind: str) -> dict:
    """successful_payment or refunded_payment, as Telegram reports a Stars charge."""
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": 99,
            "date": int(T0.timestamp()),
            "chat": {"id": telegram_id, "type": "private"},
            "from": {"id": telegram_id, "is_bot": False, "first_name": "Ana"},
            kind: {
                "currency": "XTR",
                "total_amount": stars,
                "invoice_payload": payload,
                "telegram_payment_charge_id": charge,
            },
        },
    }


def pre_checkout_update(telegram_id: int, payload: str, stars: int) -> dict:
    update_id = next(_update_ids)
    return {
        "update_id": update_id,
        "pre_checkout_query": {
            "id": f"pcq-{update_id}",
            "from": {"id": telegram_id, "is_bot": False, "first_name": "Ana"},
            "currency": "XTR",
            "total_amount": stars,
            "invoice_payload": payload,
        },
    }


def candles(
    pair: str,
    price: float,
    bars: int = 400,
    spikes: dict[datetime, tuple[float, float]] | None = None,
) -> Candles:
    """Quiet M1 bars at `price` from FIRST_BAR; `spikes` maps a bar's open time -> (high, low)."""
    time = int(FIRST_BAR.timestamp()) + 60 * np.arange(bars, dtype=np.int64)
    close = np.full(bars, price)
    high, low = close.copy(), close.copy()
    for when, (hi, lo) in (spikes or {}).items():
        i = int((when - FIRST_BAR).total_seconds() // 60)
        high[i], low[i] = hi, lo
    return Candles(pair, time, close.copy(), high, low, close)


def market(**spikes: dict[datetime, tuple[float, float]]) -> dict[str, Candles]:
    """Every pair in PRICES, quiet except the spikes given per pair."""
    return {p: candles(p, price, spikes=spikes.get(p)) for p, price in PRICES.items()}


@dataclass
class World:
    """One platform on fakes: the real services and Postgres, in-process broker and Telegram."""

    settings: Settings
    clock: VirtualClock
    broker: Any
    notifier: RecordingNotifier = field(default_factory=RecordingNotifier)
    signals_queue: InMemoryMessageQueue = field(default_factory=InMemoryMessageQueue)
    alerts_queue: InMemoryMessageQueue = field(default_factory=InMemoryMessageQueue)
    fires_queue: InMemoryMessageQueue = field(default_factory=lambda: InMemoryMessageQueue(True))
    lock: InMemoryFireLock = field(default_factory=lambda: InMemoryFireLock(SystemClock()))

    @property
    def uow(self) -> Any:
        return bootstrap.uow(self.settings)

    def scan_deps(self, scanner: Any, feed: Any) -> Any:
        return bootstrap.build_scan_deps(
            self.settings,
            clock=self.clock,
            feed=feed,
            signals_queue=self.signals_queue,
            scanner=scanner,
            lookback_bars=300,
            engine="TEST",
        )

    def fanout_deps(self) -> Any:
        return bootstrap.build_fanout_deps(
            self.settings, clock=self.clock, broker=self.broker, alerts_queue=self.alerts_queue
        )

    def alert_deps(self) -> Any:
        return bootstrap.build_alert_deps(
            self.settings, clock=self.clock, notifier=self.notifier, requeue=self.alerts_queue
        )

    def fire_request_deps(self) -> Any:
        return bootstrap.build_fire_request_deps(
            self.settings, clock=self.clock, fires_queue=self.fires_queue
        )

    def fire_exec_deps(self) -> Any:
        return bootstrap.build_fire_exec_deps(
            self.settings,
            clock=self.clock,
            broker=self.broker,
            lock=self.lock,
            notifier=self.notifier,
        )

    def api_deps(self, **overrides: Any) -> Any:
        return bootstrap.build_api_deps(
            self.settings,
            clock=self.clock,
            broker=self.broker,
            notifier=self.notifier,
            fires_queue=self.fires_queue,
            **overrides,
        )

    def bot_deps(self) -> Any:
        return bootstrap.build_bot_deps(
            self.settings,
            clock=self.clock,
            broker=self.broker,
            notifier=self.notifier,
            fires_queue=self.fires_queue,
        )

    def upkeep_deps(self) -> Any:
        return bootstrap.build_upkeep_deps(self.settings, clock=self.clock, notifier=self.notifier)

    def sync_deps(self) -> Any:
        return bootstrap.build_sync_deps(
            self.settings, clock=self.clock, broker=self.broker, notifier=self.notifier
        )

    def rows(self, sql: str, *args: object) -> list[dict[str, Any]]:
        """Query the test database directly (assertions only)."""
        with self.uow.db.tx() as cur:
            cur.execute(sql, args)
            return list(cur.fetchall())


def make_world(
    settings: Settings, prices: dict[str, Candles] | None = None, broker: Any = None
) -> World:
    clock = VirtualClock(T0)
    broker = broker or InMemoryBroker(prices or market(), clock)
    return World(settings, clock, broker, lock=InMemoryFireLock(clock))


def add_trader(
    world: World,
    tier: Tier = Tier.FANG,
    balance: str = "10000",
    demo: bool = True,
    currency: str = "USD",
    investor_password: str | None = None,
) -> Trader:
    """A registered trader with a paper account holding `balance`."""
    account = world.broker.book.add_account(
        Decimal(balance), currency, demo=demo, investor_password=investor_password
    )
    telegram_id = next(_telegram_ids)
    with world.uow() as repos:
        trader, _ = repos.traders.register(telegram_id, f"trader{telegram_id}", world.clock.now())
        repos.traders.set_tier(trader.id, tier)
        repos.traders.link_account(trader.id, account.login, demo, currency, world.clock.now())
        return repos.traders.get(trader.id)


def make_signal(
    pair: str = "EURUSD",
    direction: str = "buy",
    entry: str | None = None,
    stop_pips: str = "10",
    target_pips: str = "20",
    multiplier: str = "1.0",
    created_at: datetime = T0,
    ttl_minutes: int = 10,
) -> TradeSignal:
    """A signal on the bar that closed at `created_at`, entering at the market price."""
    return TradeSignal(
        id=uuid.uuid4(),
        pair=pair,
        direction=direction,
        entry=Decimal(entry or str(PRICES[pair])),
        stop_pips=Decimal(stop_pips),
        target_pips=Decimal(target_pips),
        confidence=70,
        shield_score=Decimal("7.0"),
        shield_label="SOLID",
        risk_multiplier=Decimal(multiplier),
        reasons=["test setup"],
        shield_checks=[ShieldCheck(name="trend", score=2.0, explanation="with the H4 trend")],
        engine="TEST",
        bar_time=created_at - timedelta(minutes=1),
        created_at=created_at,
        expires_at=created_at + timedelta(minutes=ttl_minutes),
    )


def store_signal(world: World, signal: TradeSignal | None = None) -> TradeSignal:
    signal = signal or make_signal()
    with world.uow() as repos:
        assert repos.signals.add(signal)
    return signal


def add_mission(
    world: World,
    trader: Trader,
    signal: TradeSignal | None = None,
    lots: str = "0.10",
    status: MissionStatus = MissionStatus.OPEN,
    exposure_note: str | None = None,
) -> Mission:
    """A mission as fanout would create it (its signal stored too when not given)."""
    signal = signal or store_signal(world, make_signal(created_at=world.clock.now()))
    sl, tp = signal.bracket(signal.entry)
    mission = Mission(
        id=uuid.uuid4(),
        signal_id=signal.id,
        trader_id=trader.id,
        status=status,
        balance=Decimal("10000"),
        risk_amount=Decimal("200"),
        lots=Decimal(lots),
        risk_multiplier=signal.risk_multiplier,
        exposure_note=exposure_note,
        sl_price=sl,
        tp_price=tp,
        created_at=world.clock.now(),
        expires_at=signal.expires_at,
        fire_attempts=0 if status in (MissionStatus.OPEN, MissionStatus.EXPIRED) else 1,
    )
    with world.uow() as repos:
        assert repos.missions.add(mission)
    return mission


def hops(world: World, signal_id: uuid.UUID, mission_id: uuid.UUID) -> list[str]:
    """Trace hops of one mission, including its signal's hops, in time order."""
    rows = world.rows(
        "SELECT hop FROM trace_events WHERE mission_id = %s OR "
        "(signal_id = %s AND mission_id IS NULL) ORDER BY at, id",
        mission_id,
        signal_id,
    )
    return [r["hop"] for r in rows]


def buy_eurusd_on_last_bar(bars: dict, now: int) -> list:
    """A stand-in strategy: always one EURUSD buy (stop 10, target 20) on the last closed bar."""
    from bitten.strategy.citadel import Shield, ShieldCheck
    from bitten.strategy.venom import Signal

    c = bars["EURUSD"]
    check = ShieldCheck(name="trend", score=2.0, explanation="with the trend")
    shield = Shield(7.0, "SOLID", (check,))
    signal = Signal(
        "EURUSD",
        "buy",
        float(c.close[-1]),
        10.0,
        20.0,
        70,
        10,
        ("stretch",),
        int(c.time[-1]),
        shield,
    )
    return [signal]


def demo_summary(**counts: int) -> dict[str, int]:
    """A `bitten demo` summary where every stage happened and nothing was lost; override counts."""
    healthy = {
        "signals": 7,
        "missions": 40,
        "alerts": 40,
        "fires_requested": 30,
        "missions_fired": 30,
        "orders": 30,
        "fills": 30,
        "closed": 22,
        "duplicates_blocked": 12,
        "reconciled": 1,
        "refused_offline": 2,
        "refused_paused": 3,
        "resized": 1,
        "xp_events": 60,
        "drill_reports": 24,
        "achievements": 9,
        "plan_refusals": 3,
        "recruits_active": 1,
        "audited_actions": 3,
        "log_rows": 500,
        "double_awards": 0,
        "errors": 0,
        "lost": 0,
    }
    return healthy | counts


def alerted_mission(world: World, trader: Trader, **mission_kw: Any) -> Mission:
    """An open mission whose personal alert went out through the real alert_dispatch."""
    from bitten.services.alerts import dispatch_alert

    mission = add_mission(world, trader, **mission_kw)
    assert dispatch_alert(mission.id, world.alert_deps())
    return mission


def fire_mission(world: World, mission: Mission) -> str:
    """FIRE from the HUD, then fire_execution against the in-memory broker: the fire state."""
    from bitten.services.fire_execution import execute_fire
    from bitten.services.fire_request import FireCommand, request_fire

    key = f"hud:{mission.id}"
    request_fire(FireCommand(mission.id, mission.trader_id, "hud", key), world.fire_request_deps())
    return execute_fire(mission.id, f"sqs-{mission.id}", world.fire_exec_deps())


def close_trade(
    world: World, mission: Mission, price: str, reason: str = "tp", profit: str = "200"
) -> None:
    """The broker's exit deal for a filled mission, recorded by the real result_sync code."""
    from bitten.domain.broker import ClosedDeal
    from bitten.services.positions import record_close

    with world.uow() as repos:
        held = next(p for p in repos.fires.open_positions() if p.mission_id == mission.id)
    deal = ClosedDeal(
        position=held.ticket,
        client_id=str(mission.id),
        symbol=held.symbol,
        volume=held.volume,
        price=Decimal(price),
        profit=Decimal(profit),
        reason=reason,
        time=world.clock.now(),
    )
    assert record_close(held, deal, world.sync_deps())


def closed_trade(world: World, trader: Trader, price: str = "1.10200", **kw: Any) -> Mission:
    """A mission alerted, fired, filled and closed (target hit unless told otherwise)."""
    mission = alerted_mission(world, trader)
    assert fire_mission(world, mission) == "filled"
    world.clock.advance(timedelta(minutes=30))
    close_trade(world, mission, price, **kw)
    return mission
