"""Pure rules the FireRouter applies: terminal freshness, price run-away, margin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bitten.domain.broker import TerminalStatus
from bitten.domain.instruments import SymbolSpec
from bitten.domain.sizing import lots_for_margin, margin_required
from factories import make_signal

NOW = datetime(2024, 1, 8, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "why"),
    [
        (
            TerminalStatus(login="1", connected=True, last_heartbeat=NOW - timedelta(seconds=29)),
            None,
        ),
        (
            TerminalStatus(login="1", connected=True, last_heartbeat=NOW - timedelta(seconds=31)),
            "your MT5 terminal has not been heard from recently",
        ),
        (TerminalStatus(login="1", connected=True), "has not been heard from recently"),
        (TerminalStatus(login="1", connected=False, last_heartbeat=NOW), "terminal is offline"),
        (
            TerminalStatus(login="1", connected=True, trade_allowed=False, last_heartbeat=NOW),
            "AutoTrading is switched off",
        ),
    ],
)
def test_a_terminal_is_online_only_when_connected_trading_and_recently_heard(status, why):
    reason = status.offline_reason(NOW, max_age_s=30)
    assert reason == why if why is None else why in reason


@pytest.mark.parametrize(
    ("direction", "price", "late"),
    [
        ("buy", "1.10099", False),  # 9.9 of 20 pips: under half the way
        ("buy", "1.10100", True),  # exactly half the way to the target
        ("buy", "1.09910", False),  # 9.0 pips against: inside the 10-pip stop
        ("buy", "1.09900", True),  # at the stop
        ("sell", "1.09900", True),  # a sell's target is below
        ("sell", "1.10050", False),
    ],
)
def test_a_price_has_run_away_from_half_the_way_to_the_target_or_at_the_stop(
    direction, price, late
):
    signal = make_signal(direction=direction, entry="1.10000", stop_pips="10", target_pips="20")
    assert (signal.runaway(Decimal(price), Decimal("0.5")) is not None) is late


SPEC = SymbolSpec(
    symbol="EURUSD",
    digits=5,
    contract_size=Decimal(100_000),
    volume_min=Decimal("0.01"),
    volume_max=Decimal(100),
    volume_step=Decimal("0.01"),
    bid=Decimal("1.10000"),
    ask=Decimal("1.10008"),
)


def test_margin_is_the_notional_over_the_leverage_rounded_up_to_the_cent():
    assert margin_required(Decimal(1), SPEC.contract_size, Decimal("1.10008"), 100, Decimal(1)) == (
        Decimal("1100.08")
    )
    # USDJPY in a USD account: 100,000 x 150.005 JPY / 30, at 1/150.005 USD per JPY
    rate = 1 / Decimal("150.005")
    assert margin_required(Decimal("0.5"), SPEC.contract_size, Decimal("150.005"), 30, rate) == (
        Decimal("1666.67")
    )


def test_free_margin_buys_whole_steps_only():
    assert lots_for_margin(Decimal("1000"), SPEC, Decimal("1.10008"), 100, Decimal(1)) == (
        Decimal("0.90")
    )
    assert lots_for_margin(Decimal("-5"), SPEC, Decimal("1.10008"), 100, Decimal(1)) == 0
