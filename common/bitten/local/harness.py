"""The local stack with the API served, seeded in bulk: what the execution benches run on."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import numpy as np

from bitten import bootstrap
from bitten.config import Settings
from bitten.domain.tiers import Tier
from bitten.strategy.candles import Candles

PRICES = {"EURUSD": 1.1, "USDJPY": 150.0, "GBPUSD": 1.25, "XAUUSD": 2000.0}


def flat_market(start: datetime, minutes: int) -> dict[str, Candles]:
    """Quiet M1 bars of a few symbols from `start` (prices never move: fills are predictable)."""
    time = int(start.timestamp()) // 60 * 60 + 60 * np.arange(minutes, dtype=np.int64)
    return {
        p: Candles(p, time, *(np.full(minutes, price) for _ in range(4)))
        for p, price in PRICES.items()
    }


@dataclass
class Harness:
    stack: Any  # LocalStack
    platform: Any  # LocalPlatform
    api_url: str
    clock: Any

    @property
    def settings(self) -> Settings:
        return self.platform.settings

    def sql(self, query: str, *args: object) -> list[dict[str, Any]]:
        with bootstrap.uow(self.settings).db.tx() as cur:
            cur.execute(query, args)
            return list(cur.fetchall()) if cur.description else []


@contextmanager
def running(
    settings: Settings, clock: Any, candles: dict[str, Candles], name: str = "bench"
) -> Iterator[Harness]:
    """Postgres (a fresh database), moto, the paper broker, the emulator and the API."""
    from bitten.local.api_server import ApiServer
    from bitten.local.demo.replay import set_webhook
    from bitten.local.platform import LocalPlatform
    from bitten.local.stack import LocalStack

    bare = settings.model_copy(
        update={"api_port": 0, "bitten_stage": name, "telegram_bot_token": None}
    )
    stack = LocalStack(bare, clock, candles, database=f"bitten_{name}")
    live = stack.start()
    platform = LocalPlatform.build(live, clock)
    api = ApiServer(platform.api, live.api_host, live.api_port)
    try:
        api_url = api.start()
        set_webhook(stack, api_url)
        yield Harness(stack, platform, api_url, clock)
    finally:
        api.stop()
        stack.stop()


def seed_traders(
    h: Harness,
    count: int,
    tiers: tuple[Tier, ...] = (Tier.COMMANDER,),
    balance: str = "10000",
    chats: bool = False,
) -> list[dict[str, Any]]:
    """`count` registered traders with paper accounts, written in two statements; `chats`:
    each also has a chat with the bot in the Telegram emulator (to receive fill messages)."""
    book, now = h.stack.paper.book, h.clock.now()
    first = h.sql("SELECT count(*) AS n FROM traders")[0]["n"]
    rows = []
    for i in range(count):
        tier = tiers[i % len(tiers)]
        demo = tier is Tier.PRESS_PASS
        login = book.add_account(Decimal(balance), demo=demo, name=f"bench{i}").login
        rows.append(
            {
                "id": uuid.uuid4(),
                "telegram_id": 9_000_000 + first + i,
                "tier": tier,
                "login": login,
                "demo": demo,
            }
        )
    cols = list(
        zip(
            *(
                (r["id"], r["telegram_id"], f"bench{i}", r["tier"].value)
                for i, r in enumerate(rows)
            ),
            strict=True,
        )
    )
    h.sql(
        "INSERT INTO traders (id, telegram_id, username, tier, created_at) "
        "SELECT *, %s FROM unnest(%s::uuid[], %s::bigint[], %s::text[], %s::text[])",
        now,
        *[list(c) for c in cols],
    )
    for r in rows if chats else []:
        h.stack.telegram.user(r["telegram_id"], f"trader{r['telegram_id']}")
    h.sql(
        "INSERT INTO broker_accounts (trader_id, login, demo, currency, linked_at) "
        "SELECT *, 'USD', %s FROM unnest(%s::uuid[], %s::text[], %s::bool[])",
        now,
        [r["id"] for r in rows],
        [r["login"] for r in rows],
        [r["demo"] for r in rows],
    )
    return rows


def seed_signal(h: Harness, pair: str = "EURUSD", minutes_ago: int = 0, ttl: int = 30) -> Any:
    """A stored buy signal at the market price (stop 10, target 20 pips)."""
    from bitten.domain.signal import ShieldCheck, TradeSignal

    now = h.clock.now() - timedelta(minutes=minutes_ago)
    signal = TradeSignal(
        id=uuid.uuid4(),
        pair=pair,
        direction="buy",
        entry=Decimal(str(PRICES[pair])),
        stop_pips=Decimal(10),
        target_pips=Decimal(20),
        confidence=70,
        shield_score=Decimal("7.0"),
        shield_label="SOLID",
        risk_multiplier=Decimal("1.0"),
        reasons=["bench"],
        shield_checks=[ShieldCheck(name="trend", score=2.0, explanation="bench")],
        engine="BENCH",
        bar_time=now.replace(second=0, microsecond=0) - timedelta(minutes=1),
        created_at=now,
        expires_at=now + timedelta(minutes=ttl),
    )
    with bootstrap.uow(h.settings)() as repos:
        repos.signals.add(signal)
    return signal
