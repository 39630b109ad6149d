"""Alert wording: the shield line says the multiplier is held at 1.0 until CITADEL is proven."""

import uuid
from decimal import Decimal

from bitten.domain.mission import Mission, MissionStatus
from bitten.services.alert_text import briefing, group_text
from factories import make_signal


def test_the_group_alert_says_the_shield_does_not_size_the_trade_yet():
    # Given a signal sized at the held 1.0x
    signal = make_signal(multiplier="1.00")
    # When the group alert is written
    text = group_text(signal)
    # Then the shield line shows the multiplier and why it is 1.0
    assert "CITADEL 7.0/10 SOLID (x1.00 risk: held at 1.0 until CITADEL is proven)" in text


def test_the_personal_briefing_says_it_too():
    signal = make_signal(multiplier="1.00")
    sl, tp = signal.bracket(signal.entry)
    mission = Mission(
        id=uuid.uuid4(),
        signal_id=signal.id,
        trader_id=uuid.uuid4(),
        status=MissionStatus.OPEN,
        balance=Decimal("10000"),
        risk_amount=Decimal("200"),
        lots=Decimal("0.10"),
        risk_multiplier=signal.risk_multiplier,
        sl_price=sl,
        tp_price=tp,
        created_at=signal.created_at,
        expires_at=signal.expires_at,
    )
    text = briefing(signal, mission, "USD")
    assert "x1.00 risk: held at 1.0 until CITADEL is proven" in text
