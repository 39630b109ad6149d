"""CITADEL deep-dives: a held deep-dive is spent on the trader's next mission and sent with it."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from bitten.domain.game.records import Notice, NoticeKind
from bitten.domain.game.shop import DEEP_DIVE
from bitten.domain.mission import Mission
from bitten.domain.signal import TradeSignal
from bitten.ports import Repositories


def deep_dive_text(signal: TradeSignal, m: Mission) -> str:
    """Every CITADEL check, VENOM's reasons and the risk math of one mission."""
    checks = [f"- {c.name} {c.score:.1f}/2: {c.explanation}" for c in signal.shield_checks]
    reward = (signal.target_pips / signal.stop_pips).quantize(Decimal("0.1"))
    lines = [
        f"CITADEL DEEP-DIVE {signal.pair} {signal.direction.upper()} ({signal.engine})",
        f"Shield {signal.shield_score}/10 {signal.shield_label}, confidence {signal.confidence}%",
        *checks,
        "VENOM: " + "; ".join(signal.reasons),
        f"Stop {signal.stop_pips} pips @ {m.sl_price}, target {signal.target_pips} pips @ "
        f"{m.tp_price} (1:{reward})",
        f"Risk {m.risk_amount} of {m.balance} at x{m.risk_multiplier}: {m.lots} lots",
        f"Expires {m.expires_at:%H:%M} UTC",
    ]
    if m.exposure_note:
        lines.append(f"Exposure: {m.exposure_note}")
    return "\n".join(lines)


def deliver_deep_dives(repos: Repositories, now: datetime) -> int:
    """Spend one held deep-dive on each holder's oldest open mission without one; once each."""
    notices = []
    for trader_id, mission_id in repos.game.armory.deep_dives_due(now):
        notice = _deep_dive(repos, trader_id, mission_id, now)
        if notice is not None:
            notices.append(notice)
    repos.game.notices.add(notices, now)
    return len(notices)


def _deep_dive(
    repos: Repositories, trader_id: UUID, mission_id: UUID, now: datetime
) -> Notice | None:
    mission = repos.missions.get(mission_id)
    signal = repos.signals.get(mission.signal_id) if mission else None
    trader = repos.traders.get(trader_id)
    if mission is None or signal is None or trader is None:
        return None
    if not repos.game.armory.use(trader_id, DEEP_DIVE, str(mission_id), now):
        return None
    return Notice(
        id=uuid.uuid4(),
        trader_id=trader_id,
        chat_id=trader.telegram_id,
        kind=NoticeKind.DEEP_DIVE,
        reference=str(mission_id),
        text=deep_dive_text(signal, mission),
    )
