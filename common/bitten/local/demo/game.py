"""The demo's gamification (issue 12): zones whose 18:00 falls in the replay, plans earned by
veterans, one recruit enlisted by referral, and the summary's game counts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from bitten import bootstrap
from bitten.domain.game.plans import PLANS, Strategy
from bitten.domain.game.trading_day import DRILL_TIME, zone
from bitten.domain.xp import XpAward, XpKind
from bitten.local.demo.traders import SimTrader

# One zone per UTC offset from -11 to +14: whatever the replay's hours, some 18:00 falls in it.
ZONES = (
    "Pacific/Pago_Pago Pacific/Honolulu America/Anchorage America/Los_Angeles America/Denver "
    "America/Chicago America/New_York America/Halifax America/Sao_Paulo Atlantic/South_Georgia "
    "Atlantic/Azores Europe/London Europe/Berlin Europe/Athens Europe/Moscow Asia/Dubai "
    "Asia/Karachi Asia/Kolkata Asia/Dhaka Asia/Bangkok Asia/Singapore Asia/Tokyo "
    "Australia/Sydney Pacific/Noumea Pacific/Auckland Pacific/Kiritimati"
).split()
PLAN_ORDER = list(Strategy)  # trader i is on PLAN_ORDER[i % 4], the same cycle as the tiers
_CODE = re.compile(r"Your code: (\w+)")


def zones_in(start: datetime, end: datetime) -> list[str]:
    """Zones whose 18:00 comes 20 minutes after `start` or later and 30 before `end` or earlier
    (so the drill is written, sent and read inside the replay)."""
    found = []
    for name in ZONES:
        local = start.astimezone(zone(name))
        six = local.replace(hour=DRILL_TIME.hour, minute=0, second=0, microsecond=0)
        six = six if six >= local else six + timedelta(days=1)
        if start + timedelta(minutes=20) <= six <= end - timedelta(minutes=30):
            found.append(name)
    return found or ["UTC"]


def enlist_recruit(emulator: Any, referrer: SimTrader, recruit: SimTrader) -> None:
    """The referrer asks for their code; the recruit starts the bot with it, then once more
    (a repeated /start never credits twice)."""
    emulator.send_text(referrer.user_id, "/refer")
    emulator.flush()
    text = emulator.messages_in(referrer.user_id)[-1]["text"]
    match = _CODE.search(text)
    if match is None:
        raise LookupError(f"no referral code in the /refer answer: {text!r}")
    emulator.user(recruit.user_id, recruit.name, recruit.name)
    for _ in range(2):
        emulator.send_text(recruit.user_id, f"/start {match.group(1)}")
        emulator.flush()


def enlist_plans_and_zones(
    platform: Any, emulator: Any, people: list[SimTrader], start: datetime, end: datetime
) -> None:
    """Each trader sets a zone whose drill falls in the replay and the plan of their cycle; the
    veterans' earlier XP is an operator grant (shown as such in the ledger)."""
    zones = zones_in(start, end)
    for i, t in enumerate(people):
        plan = PLANS[PLAN_ORDER[i % len(PLAN_ORDER)]]
        if plan.unlock_xp:
            _grant(platform, t.user_id, plan.unlock_xp, start)
        emulator.send_text(t.user_id, f"/drill tz {zones[i % len(zones)]}")
        emulator.send_text(t.user_id, f"/plan {plan.strategy.value}")
    emulator.flush()


def _grant(platform: Any, user_id: int, xp: int, at: datetime) -> None:
    with bootstrap.uow(platform.settings)() as repos:
        trader = repos.traders.by_telegram(user_id)
        if trader is None:
            raise LookupError(f"demo trader {user_id} never registered")
        award = XpAward(
            trader_id=trader.id,
            kind=XpKind.OPERATOR_GRANT,
            amount=xp,
            reference=f"demo-veteran:{trader.id}",
            note="demo: a veteran's record",
        )
        repos.game.xp.award(award, at)


COUNTS = {
    "xp_events": "SELECT count(*) FROM xp_events WHERE kind <> 'operator_grant'",
    "drill_reports": "SELECT count(*) FROM game_notices WHERE kind = 'drill' AND status = 'sent'",
    "achievements": "SELECT count(*) FROM achievements",
    "plan_refusals": "SELECT count(*) FROM trace_events "
    "WHERE hop = 'fire_refused' AND detail->>'code' = 'plan'",
    "recruits_active": "SELECT count(*) FROM traders WHERE recruit_active_at IS NOT NULL",
}
TWICE = {
    "xp_key_twice": "SELECT count(*) FROM (SELECT 1 FROM xp_events GROUP BY kind, reference "
    "HAVING count(*) > 1) d",
    "balance_off_ledger": "SELECT count(*) FROM traders t WHERE t.xp <> (SELECT "
    "coalesce(sum(amount), 0) FROM xp_events e WHERE e.trader_id = t.id)",
    "report_twice": "SELECT count(*) FROM (SELECT 1 FROM drill_reports GROUP BY trader_id, day "
    "HAVING count(*) > 1) d",
}
LOST = {
    "trader_without_drill": "SELECT count(*) FROM traders t WHERE NOT EXISTS "
    "(SELECT 1 FROM drill_reports d WHERE d.trader_id = t.id)",
    "notice_not_sent": "SELECT count(*) FROM game_notices WHERE status <> 'sent'",
}


def received_twice(emulator: Any, chats: list[int]) -> int:
    """Drill reports and announcements a trader's chat shows more than once (Telegram's view)."""
    twice = 0
    for chat in chats:
        heads = [m.get("text", "").split("\n")[0] for m in emulator.messages_in(chat)]
        game = [h for h in heads if h.startswith(("DRILL REPORT", "ACHIEVEMENT UNLOCKED"))]
        twice += len(game) - len(set(game))
    return twice
