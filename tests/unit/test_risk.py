"""Risk at 2% a trade, and CITADEL's calibration: numbers a trader can check by hand."""

import numpy as np

from bitten.strategy import calibration, risk
from bitten.strategy.trades import TradeTable

DAY = 86400
MONDAY = 1483315200  # 2017-01-02T00:00Z


def table(pips, stop=20.0, shield=None, days=None, mae=None):
    n = len(pips)
    exit_time = MONDAY + DAY * np.asarray(days if days is not None else range(n), dtype=np.int64)
    return TradeTable(
        np.full(n, "EURUSD", dtype=object),
        np.full(n, "asian_fade", dtype=object),
        exit_time - 600,
        exit_time,
        np.ones(n, dtype=np.int64),
        np.asarray(pips, dtype=np.float64),
        np.full(n, stop),
        np.full(n, stop / 4),
        np.asarray(shield if shield is not None else [7.0] * n, dtype=np.float64),
        np.asarray(mae if mae is not None else [5.0] * n, dtype=np.float64),
    )


def test_a_full_stop_costs_two_percent_and_a_target_half_a_percent():
    # Given a 20-pip stop and a 5-pip target (v5's 4:1 bracket)
    t = table([5.0, -20.0])
    # Then a win is +0.5% of the balance and a full stop -2%
    assert risk.returns(t).tolist() == [0.005, -0.02]


def test_worst_day_week_and_streak():
    # Given two losses on Monday, a win on Tuesday, two losses the next Monday
    t = table([-20.0, -20.0, 5.0, -10.0, -10.0], days=[0, 0, 1, 7, 7])
    s = risk.summary(t, trades_per_day=1.0)
    assert s["worst_day"] == -0.04 and s["worst_week"] == -0.035
    assert s["longest_losing_streak"] == 2
    assert s["mae_of_stop_median"] == 0.25


def test_monte_carlo_of_a_sure_loser_always_draws_down():
    r = np.full(10, -0.02)
    mc = risk.monte_carlo(r, trades_a_year=50, paths=100)
    # Then every path loses 1 - 0.98^50 = 64% at its worst
    assert mc["p_drawdown_20"] == 1.0 and mc["p_drawdown_50"] == 1.0


def test_buckets_are_ordered_only_when_higher_scores_earn_more():
    # Given 10 trades in each of three buckets, earning more the higher the score
    scores = [5.0] * 10 + [7.0] * 10 + [9.0] * 10
    rising = table([-1.0] * 10 + [1.0] * 10 + [3.0] * 10, shield=scores)
    falling = table([3.0] * 10 + [1.0] * 10 + [-1.0] * 10, shield=scores)
    assert calibration.calibrate(rising)["ordered"]
    assert calibration.calibrate(rising)["pips_per_point"] == 1.0
    assert not calibration.calibrate(falling)["ordered"]
    low, high = calibration.calibrate(rising)["buckets"]["FORTRESS"]["ci90"]
    assert low == high == 3.0
