"""Alert wording: the shield line says the multiplier is held at 1.0 until CITADEL is proven."""

from bitten.services.alerts import group_text
from factories import make_signal


def test_the_group_alert_says_the_shield_does_not_size_the_trade_yet():
    # Given a signal sized at the held 1.0x
    signal = make_signal(multiplier="1.00")
    # When the group alert is written
    text = group_text(signal)
    # Then the shield line shows the multiplier and why it is 1.0
    assert "CITADEL shield 7.0/10 SOLID (x1.00 risk: held at 1.0 until CITADEL is proven)" in text
