"""Test data for the game (issue 12): XP grants, plans, zones, closed trades, ticks."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from bitten import bootstrap
from bitten.adapters.sqs import InMemoryMessageQueue
from bitten.domain.broker import ClosedDeal
from bitten.domain.trader import Trader
from bitten.domain.xp import XpAward, XpKind
from bitten.services.bot.updates import handle_update
from bitten.services.fire_execution import execute_fire
from bitten.services.fire_request import FireCommand, request_fire
from bitten.services.game.zones import profile
from bitten.services.positions import record_close
from factories import World, add_mission, make_signal, store_signal

_updates = itertools.count(1)


def grant_xp(world: World, trader: Trader, amount: int, reference: str = "grant") -> None:
    """An operator's grant (the ledger's own path), e.g. to unlock a plan."""
    with world.uow() as repos:
        award = XpAward(
            trader_id=trader.id,
            kind=XpKind.OPERATOR_GRANT,
            amount=amount,
            reference=f"{trader.id}:{reference}",
            note="test grant",
        )
        assert repos.game.xp.award(award, world.clock.now())


def set_zone(world: World, trader: Trader, zone: str) -> None:
    with world.uow() as repos:
        profile(repos, trader.id)
        repos.game.profiles.set_zone(trader.id, zone)


def tick_deps(world: World, **overrides: Any) -> Any:
    """game_tick's deps on the world's clock; its notices go to an in-memory queue."""
    overrides.setdefault("notices_queue", InMemoryMessageQueue())
    return bootstrap.build_game_tick_deps(world.settings, clock=world.clock, **overrides)


def dispatch_deps(world: World) -> Any:
    return bootstrap.build_game_dispatch_deps(
        world.settings, clock=world.clock, notifier=world.notifier
    )


def exit_deal(
    mission_id: Any, reason: str, at: datetime, price: str = "1.1020", profit: str = "20"
) -> ClosedDeal:
    return ClosedDeal(
        position=1,
        client_id=str(mission_id),
        symbol="EURUSD",
        volume=Decimal("0.10"),
        price=Decimal(price),
        profit=Decimal(profit),
        reason=reason,
        time=at,
    )


def xp_rows(world: World, trader: Trader) -> list[tuple[str, int]]:
    rows = world.rows(
        "SELECT kind, amount FROM xp_events WHERE trader_id = %s ORDER BY id", trader.id
    )
    return [(r["kind"], r["amount"]) for r in rows]


def balance(world: World, trader: Trader) -> int:
    (row,) = world.rows("SELECT xp FROM traders WHERE id = %s", trader.id)
    return int(row["xp"])


def ledger_sum(world: World, trader: Trader) -> int:
    (row,) = world.rows(
        "SELECT coalesce(sum(amount), 0) AS s FROM xp_events WHERE trader_id = %s", trader.id
    )
    return int(row["s"])


def say(world: World, telegram_id: int, text: str) -> str:
    """A Telegram text message from `telegram_id` through the bot's update handler."""
    update = {
        "update_id": next(_updates),
        "message": {
            "message_id": next(_updates),
            "chat": {"id": telegram_id},
            "from": {"id": telegram_id, "username": f"u{telegram_id}", "first_name": "T"},
            "text": text,
        },
    }
    return handle_update(update, world.api_deps().bot)


def last_text(world: World, telegram_id: int) -> str:
    return world.notifier.messages_to(telegram_id)[-1]["text"]


def fired_and_closed(
    world: World, trader: Trader, reason: str, profit: str = "20", price: str = "1.1020"
) -> None:
    """A mission fired a minute from now and closed at once by `reason`."""
    world.clock.advance(timedelta(minutes=1))
    signal = store_signal(world, make_signal(created_at=world.clock.now()))
    mission = add_mission(world, trader, signal)
    cmd = FireCommand(mission.id, trader.id, "telegram", f"t-{mission.id}")
    request_fire(cmd, world.fire_request_deps())
    execute_fire(mission.id, f"m-{mission.id}", world.fire_exec_deps())
    with world.uow() as repos:
        position = next(p for p in repos.fires.open_positions() if p.mission_id == mission.id)
    deal = exit_deal(mission.id, reason, world.clock.now(), price=price, profit=profit)
    record_close(position, deal, world.sync_deps())
