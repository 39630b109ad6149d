"""What the demo night throws at the platform, each timed by the traders' own alerts so a
short replay meets them too: a broker answer lost after the fill, one trader's terminal going
offline (and back 45 minutes later), a window where operators pause firing (30 minutes, told
to every trader by a broadcast), and withdrawals between an alert and its FIRE (so the order
is re-sized from the live balance)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from bitten import bootstrap
from bitten.domain.switches import Switch
from bitten.local.demo.traders import SimTrader, fire_button
from bitten.services.operator.broadcast import broadcast
from bitten.services.ops import set_switch

OPERATOR = "demo:operator"
NOTICE = "Broker maintenance: FIRE is paused for about 30 minutes. Alerts keep coming."
OFFLINE_FOR, PAUSED_FOR, WITHDRAW_EVERY = (timedelta(minutes=m) for m in (45, 30, 45))


@dataclass
class Script:
    offline: SimTrader  # whose terminal goes offline
    withdrawing: SimTrader  # who withdraws a quarter of the balance before tapping
    offline_at: datetime | None = None
    online_again: bool = False
    paused_at: datetime | None = None
    resumed: bool = False
    withdrew_at: datetime | None = None


def start(stack: Any) -> None:
    """The first order's answer is lost after it filled (reconciled by client id)."""
    stack.paper.inject_fault("drop_after_execute", count=1, delay=0)


def fresh_alert(trader: SimTrader, emulator: Any) -> bool:
    """A FIRE-able alert the trader has not read yet."""
    fresh = emulator.messages_in(trader.user_id, after=trader.seen)
    return any(fire_button(m)[0] for m in fresh)


def before_traders_act(
    script: Script, stack: Any, platform: Any, people: list[SimTrader], now: datetime
) -> None:
    """Throw this minute's faults, just before the traders read their alerts."""
    emulator = stack.telegram
    _offline(script, stack, platform, fresh_alert(script.offline, emulator), now)
    if script.offline_at is not None and now > script.offline_at:  # the next alert minute
        _pause(script, platform, any(fresh_alert(t, emulator) for t in people), now)
    if fresh_alert(script.withdrawing, emulator):
        _withdraw(script, stack, platform, now)


def _offline(script: Script, stack: Any, platform: Any, alerted: bool, now: datetime) -> None:
    login = login_of(platform, script.offline.user_id)
    if script.offline_at is None and alerted:
        stack.paper.book.set_terminal(login, connected=False)
        script.offline_at = now
    elif script.offline_at and not script.online_again and now - script.offline_at >= OFFLINE_FOR:
        stack.paper.book.set_terminal(login, connected=True)
        script.online_again = True


def _pause(script: Script, platform: Any, alerted: bool, now: datetime) -> None:
    deps = bootstrap.build_ops_deps(platform.settings, clock=platform.clock)
    if script.paused_at is None and alerted:
        set_switch(Switch.FIRING, True, "demo: broker maintenance window", OPERATOR, deps)
        broadcast(NOTICE, None, "demo: tell traders why FIRE is refused", OPERATOR, deps)
        script.paused_at = now
    elif script.paused_at and not script.resumed and now - script.paused_at >= PAUSED_FOR:
        set_switch(Switch.FIRING, False, "demo: maintenance over", OPERATOR, deps)
        script.resumed = True


def _withdraw(script: Script, stack: Any, platform: Any, now: datetime) -> None:
    if script.withdrew_at is not None and now - script.withdrew_at < WITHDRAW_EVERY:
        return
    login = login_of(platform, script.withdrawing.user_id)
    balance = stack.paper.book.account_info(login).balance
    stack.paper.book.adjust_balance(login, -(balance / 4).quantize(Decimal("0.01")))
    script.withdrew_at = now


def login_of(platform: Any, user_id: int) -> str:
    with bootstrap.uow(platform.settings)() as repos:
        trader = repos.traders.by_telegram(user_id)
    if trader is None or trader.broker_login is None:
        raise LookupError(f"demo trader {user_id} has no account")
    return trader.broker_login
