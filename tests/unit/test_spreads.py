"""The spread model: one table for every instrument, wider at the roll and in thin Asian hours."""

from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import pytest

from bitten.domain.spreads import TYPICAL_SPREAD_PIPS, hourly_spread_pips, spread_pips
from bitten.strategy.pricing import spread_series

MAJORS = ("EURUSD", "GBPUSD", "USDJPY", "USDCHF", "USDCAD", "AUDUSD", "NZDUSD")
CROSSES = (
    "EURGBP EURJPY EURCHF EURAUD EURCAD EURNZD GBPJPY GBPCHF GBPAUD GBPCAD GBPNZD "
    "AUDJPY AUDCHF AUDCAD AUDNZD CADJPY CADCHF CHFJPY NZDJPY NZDCAD NZDCHF"
).split()


def at(hour: int) -> datetime:
    return datetime(2017, 3, 1, hour, 30, tzinfo=UTC)


def test_every_major_cross_and_gold_has_a_published_figure():
    # Given the 7 USD majors, the 21 crosses and gold
    # Then each has its own typical spread, none the old 2.0-pip fallback by accident
    assert set(TYPICAL_SPREAD_PIPS) == {*MAJORS, *CROSSES, "XAUUSD"}
    assert len(CROSSES) == 21


def test_the_roll_is_wider_than_london_for_every_instrument():
    for symbol in TYPICAL_SPREAD_PIPS:
        assert spread_pips(symbol, at(21)) == 3 * spread_pips(symbol, at(12))


def test_asian_hours_widen_european_crosses_but_not_yen_or_eurusd():
    # Given 02:30 UTC, Tokyo open and London asleep
    assert spread_pips("EURGBP", at(2)) == Decimal("1.25") * TYPICAL_SPREAD_PIPS["EURGBP"]
    assert spread_pips("GBPUSD", at(2)) > spread_pips("GBPUSD", at(12))
    # Then yen, Aussie and kiwi pairs, and EURUSD, keep their typical spread
    for symbol in ("USDJPY", "AUDNZD", "EURJPY", "EURUSD"):
        assert spread_pips(symbol, at(2)) == TYPICAL_SPREAD_PIPS[symbol]


def test_a_gbp_or_nzd_cross_costs_more_than_the_old_two_pip_default():
    assert spread_pips("GBPNZD", at(12)) > 2 and spread_pips("NZDCAD", at(12)) > 2


def test_epoch_seconds_and_datetimes_agree():
    when = at(22)
    assert spread_pips("EURUSD", when) == spread_pips("EURUSD", int(when.timestamp()))


@pytest.mark.parametrize("symbol", ["EURUSD", "GBPCHF", "XAUUSD", "NZDJPY", "USDSEK"])
def test_the_numpy_view_is_the_domain_model_at_every_minute_of_a_week(symbol):
    # Given every minute of one week
    times = int(at(0).timestamp()) + 60 * np.arange(7 * 1440, dtype=np.int64)
    # When the backtester's vectorized view is read
    series = spread_series(symbol, times)
    # Then it equals the domain model at each minute
    by_hour = np.array([float(s) for s in hourly_spread_pips(symbol)])
    assert np.array_equal(series, by_hour[(times // 3600) % 24])
    assert series[0] == float(spread_pips(symbol, int(times[0])))


def test_a_flat_override_and_a_stress_scale():
    times = np.arange(0, 86400, 60, dtype=np.int64)
    assert set(spread_series("EURUSD", times, {"EURUSD": 0.5})) == {0.5}
    assert spread_series("EURUSD", times, scale=1.5)[600] == pytest.approx(1.5 * 1.0)
