"""Position sizing: risk = balance x 2% x shield multiplier; lots = risk / (stop x pip value)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bitten.domain.instruments import NoQuote, SymbolSpec, pip_value_per_lot
from bitten.domain.sizing import PositionTooSmall, position_size, risk_amount, round_to_step

D = Decimal


def spec(
    symbol: str,
    price: str,
    contract: str = "100000",
    step: str = "0.01",
    vmin: str = "0.01",
    vmax: str = "100",
) -> SymbolSpec:
    """A broker spec quoting bid = ask = `price` (mid is exactly the price)."""
    return SymbolSpec(
        symbol=symbol,
        digits=5,
        contract_size=D(contract),
        volume_min=D(vmin),
        volume_max=D(vmax),
        volume_step=D(step),
        bid=D(price),
        ask=D(price),
    )


def test_eurusd_pip_is_worth_ten_dollars_per_lot():
    # Given a USD account trading EURUSD
    # When the pip value is computed
    value = pip_value_per_lot(spec("EURUSD", "1.08"))
    # Then one pip on one lot is 10 USD, whatever the price
    assert value == D("10")


def test_usdjpy_pip_value_is_1000_over_the_price():
    # Given USDJPY at 150 (the account currency is the base)
    # Then a pip on one lot is 100000 x 0.01 / 150 USD
    assert pip_value_per_lot(spec("USDJPY", "150")) == D(1000) / D(150)


def test_gold_pip_is_ten_dollars_per_lot():
    # Given XAUUSD with a 100 oz contract and a 0.1 pip
    assert pip_value_per_lot(spec("XAUUSD", "2000", contract="100")) == D("10.0")


def test_eurjpy_cross_is_valued_through_usdjpy():
    # Given EURJPY and a USDJPY rate of 150
    value = pip_value_per_lot(spec("EURJPY", "162"), "USD", {"USDJPY": D("150")})
    # Then the JPY pip value is converted at 1/150
    assert value == D(1000) / D(150)


def test_eurgbp_cross_is_valued_through_gbpusd():
    # Given EURGBP and a GBPUSD rate of 1.27
    value = pip_value_per_lot(spec("EURGBP", "0.86"), "USD", {"GBPUSD": D("1.27")})
    # Then one GBP pip (10 GBP per lot) is worth 12.70 USD
    assert value == D("12.70")


def test_cross_without_a_conversion_rate_says_which_rate_is_missing():
    with pytest.raises(ValueError, match="JPYUSD or USDJPY"):
        pip_value_per_lot(spec("EURJPY", "162"), "USD", {})


def test_risk_is_balance_times_two_percent_times_multiplier_exactly():
    # Given a 10,000.00 balance and a 0.75 shield multiplier
    # Then 150.00 is at risk, exactly (no float residue)
    assert risk_amount(D("10000.00"), D(2), D("0.75")) == D("150.00")
    assert str(risk_amount(D("12345.67"), D(2), D("1.5"))) == "370.37"  # 370.3701 down


def test_eurusd_lots_from_balance_and_stop():
    # Given 10,000 USD, 2% risk, multiplier 1, a 20 pip stop on EURUSD
    sizing = position_size(D("10000"), D("20"), spec("EURUSD", "1.1"), D("1"))
    # Then 200 USD at risk buys 200 / (20 x 10) = 1 lot
    assert (sizing.risk_amount, sizing.pip_value, sizing.lots) == (D("200"), D("10"), D("1"))


def test_usdjpy_lots_round_down_to_the_volume_step():
    # Given 10,000 USD, a 19 pip stop on USDJPY at 150 (6.6667 USD per pip)
    sizing = position_size(D("10000"), D("19"), spec("USDJPY", "150"), D("1"))
    # Then 200 / (19 x 6.6667) = 1.5789 lots rounds DOWN to 1.57, never up to 1.58
    assert sizing.lots == D("1.57")


@pytest.mark.parametrize(
    ("balance", "stop", "lots"), [("1000", "5", "0.60"), ("2480", "8", "0.93")]
)
def test_usdjpy_lots_exactly_on_a_step_are_not_lost_to_division_residue(balance, stop, lots):
    # Given sizes that are exactly a whole number of steps (1000 x 2% x 150 / (5 x 1000) = 0.6)
    sizing = position_size(D(balance), D(stop), spec("USDJPY", "150"), D("1"))
    # Then the inexact 1/150 does not knock them one step down (0.59)
    assert sizing.lots == D(lots)


def test_gold_lots_use_the_metal_contract():
    # Given 5,000 USD, multiplier 0.5, a 30 pip (3 USD) stop on gold
    sizing = position_size(D("5000"), D("30"), spec("XAUUSD", "2000", contract="100"), D("0.5"))
    # Then 50 USD at risk / (30 x 10 USD) = 0.1666 -> 0.16 lots
    assert (sizing.risk_amount, sizing.lots) == (D("50.00"), D("0.16"))


def test_cross_lots_use_the_conversion_rate():
    # Given EURJPY with USDJPY at 150 and a 20 pip stop on 10,000 USD
    sizing = position_size(
        D("10000"), D("20"), spec("EURJPY", "162"), D("1"), rates={"USDJPY": D("150")}
    )
    # Then 200 / (20 x 6.6667) = 1.5 lots
    assert sizing.lots == D("1.5")


def test_round_to_step_rounds_down_on_a_coarse_step():
    assert round_to_step(D("0.79"), spec("EURUSD", "1.1", step="0.1", vmin="0.1")) == D("0.7")


def test_lots_are_capped_at_the_broker_maximum_and_print_plainly():
    # Given a huge balance on a broker that allows at most 10 lots
    sizing = position_size(D("10000000"), D("10"), spec("EURUSD", "1.1", vmax="10"), D("1"))
    # Then the mission asks for exactly the maximum, written as a plain number
    assert sizing.lots == D("10")
    assert "E" not in str(sizing.lots)


def test_below_the_minimum_volume_is_refused_with_the_numbers():
    # Given 100 USD and a 50 pip stop: 2 USD at risk buys 0.004 lots
    with pytest.raises(PositionTooSmall, match="below the 0.01 minimum"):
        position_size(D("100"), D("50"), spec("EURUSD", "1.1"), D("1"))


def test_a_stop_of_zero_pips_is_refused():
    with pytest.raises(ValueError, match="positive number of pips"):
        position_size(D("10000"), D("0"), spec("EURUSD", "1.1"), D("1"))


def test_sizing_without_a_broker_quote_is_refused_clearly():
    # Given the broker reports USDJPY with no price (market closed)
    spec = SymbolSpec(
        symbol="USDJPY",
        digits=3,
        contract_size=Decimal(100_000),
        volume_min=Decimal("0.01"),
        volume_max=Decimal(100),
        volume_step=Decimal("0.01"),
        bid=Decimal(0),
        ask=Decimal(0),
    )
    # When a mission is sized, Then it fails with a reason, not a division by zero
    with pytest.raises(NoQuote, match="no USDJPY quote"):
        position_size(Decimal(10_000), Decimal(10), spec, Decimal(1))
