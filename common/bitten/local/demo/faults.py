"""What the demo night throws at the platform: a broker answer lost after the fill, one
trader's terminal going offline and coming back, a window where operators pause firing, and a
withdrawal between an alert and its FIRE (so the order is re-sized from the live balance)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from bitten import bootstrap
from bitten.domain.switches import Switch
from bitten.local.demo.traders import SimTrader
from bitten.services.ops import set_switch

OPERATOR = "demo:operator"


@dataclass
class Script:
    """When each fault starts and ends, relative to the replay's start."""

    begin: datetime
    offline: tuple[timedelta, timedelta] = (timedelta(minutes=60), timedelta(minutes=150))
    paused: tuple[timedelta, timedelta] = (timedelta(minutes=200), timedelta(minutes=260))
    withdraw_every: timedelta = timedelta(minutes=45)
    last_withdrawal: datetime | None = None
    state: dict[str, bool] = field(default_factory=dict)

    def within(self, window: tuple[timedelta, timedelta], now: datetime) -> bool:
        return self.begin + window[0] <= now < self.begin + window[1]


def login_of(platform: Any, user_id: int) -> str:
    with bootstrap.uow(platform.settings)() as repos:
        trader = repos.traders.by_telegram(user_id)
    if trader is None or trader.broker_login is None:
        raise LookupError(f"demo trader {user_id} has no account")
    return trader.broker_login


def start(stack: Any) -> None:
    """Faults that need no timing: the first order's answer is lost after it filled."""
    stack.paper.inject_fault("drop_after_execute", count=1, delay=0)


def tick(script: Script, stack: Any, platform: Any, offline: SimTrader, now: datetime) -> None:
    """Switch the offline terminal and the paused firing on and off as the clock passes."""
    down = script.within(script.offline, now)
    if script.state.get("offline") != down:
        stack.paper.book.set_terminal(login_of(platform, offline.user_id), connected=not down)
        script.state["offline"] = down
    paused = script.within(script.paused, now)
    if script.state.get("paused", False) != paused:
        reason = "demo: broker maintenance window" if paused else "demo: maintenance over"
        deps = bootstrap.build_ops_deps(platform.settings, clock=platform.clock)
        set_switch(Switch.FIRING, paused, reason, OPERATOR, deps)
        script.state["paused"] = paused


def withdraw_if_alerted(
    script: Script, stack: Any, platform: Any, trader: SimTrader, emulator: Any, now: datetime
) -> None:
    """A fresh alert for `trader`: a quarter of the balance is withdrawn before they tap."""
    due = script.last_withdrawal is None or now - script.last_withdrawal >= script.withdraw_every
    fresh = [
        m for m in emulator.messages_in(trader.user_id, after=trader.seen) if m.get("reply_markup")
    ]
    if not (due and fresh):
        return
    login = login_of(platform, trader.user_id)
    balance = stack.paper.book.account_info(login).balance
    stack.paper.book.adjust_balance(login, -(balance / 4).quantize(Decimal("0.01")))
    script.last_withdrawal = now
