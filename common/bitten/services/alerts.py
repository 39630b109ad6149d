"""alert_dispatch use case: group alert once per signal, personal alert with FIRE per mission."""

from __future__ import annotations

from uuid import UUID

from bitten import logs
from bitten.domain.mission import Mission
from bitten.domain.shield import POLICY
from bitten.domain.signal import TradeSignal
from bitten.ports import Button
from bitten.services.deps import AlertDeps
from bitten.services.game.plan_view import alert_line

log = logs.get("alerts")


class MissionMissing(LookupError):
    """The queue named a mission that is not in Postgres."""


def group_text(s: TradeSignal) -> str:
    arrow = "BUY" if s.direction == "buy" else "SELL"
    held = "" if POLICY.scaled else ": held at 1.0 until CITADEL is proven"
    return (
        f"VENOM {arrow} {s.pair} @ {s.entry}\nSL {s.stop_pips} pips | TP {s.target_pips} pips"
        f" | confidence {s.confidence}%\nCITADEL shield {s.shield_score}/10 {s.shield_label}"
        f" (x{s.risk_multiplier} risk{held})"
    )


def personal_text(s: TradeSignal, m: Mission) -> str:
    exposure = f"Exposure: {m.exposure_note}\n" if m.exposure_note else ""
    held = "" if POLICY.scaled else "The shield score does not size trades yet (held at x1.0).\n"
    return (
        f"MISSION {s.pair} {s.direction.upper()} {m.lots} lots\n"
        f"Entry ~{s.entry}  SL {m.sl_price}  TP {m.tp_price}\n"
        f"Risk {m.risk_amount} of balance {m.balance} (shield x{m.risk_multiplier})\n"
        f"{exposure}{held}Expires {m.expires_at:%H:%M} UTC. Tap FIRE to execute."
    )


def mission_buttons(m: Mission, deps: AlertDeps) -> list[list[Button]]:
    token = deps.tokens.issue(m.trader_id, deps.clock.now())
    hud = f"{deps.hud_base_url}/hud?mission={m.id}&t={token}"
    return [[Button(text="FIRE", callback_data=f"fire:{m.id}"), Button(text="HUD", url=hud)]]


def dispatch_alert(mission_id: UUID, deps: AlertDeps) -> bool:
    """Send what is not sent yet; returns False if the personal alert had already gone out."""
    with deps.uow() as repos:
        mission = repos.missions.get(mission_id)
        if mission is None:
            raise MissionMissing(f"mission {mission_id} does not exist")
        signal = repos.signals.get(mission.signal_id)
        trader = repos.traders.get(mission.trader_id)
        already = repos.alerts.exists(mission_id)
        group_done = repos.alerts.group_sent(mission.signal_id)
    if signal is None or trader is None:  # foreign keys make this a corrupt row, not a race
        raise MissionMissing(f"mission {mission_id} has no signal or trader")
    if not group_done:
        _send_group(signal, deps)
    if already:
        return False
    plan = alert_line(trader.id, signal, deps.uow, deps.clock.now())  # issue 12: the plan
    message_id = deps.notifier.send_message(
        trader.telegram_id, personal_text(signal, mission) + plan, mission_buttons(mission, deps)
    )
    now = deps.clock.now()
    with deps.uow() as repos:
        repos.alerts.record(mission_id, trader.telegram_id, message_id, now)
        repos.trace.stamp(
            "alert_sent",
            now,
            signal_id=signal.id,
            mission_id=mission_id,
            trader_id=trader.id,
            message_id=message_id,
        )
    return True


def _send_group(signal: TradeSignal, deps: AlertDeps) -> None:
    with deps.uow() as repos:  # row lock: concurrent dispatchers send the group alert once
        if not repos.alerts.claim_group(signal.id, deps.group_chat_id, deps.clock.now()):
            return
        message_id = deps.notifier.send_message(deps.group_chat_id, group_text(signal))
        repos.alerts.set_group_message(signal.id, message_id)
