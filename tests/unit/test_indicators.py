"""Indicators: finite windows, exact on integer points, same value live and in the backtest."""

import numpy as np

from bitten.strategy import indicators as ind


def test_sma_of_known_values():
    # Given five integer points
    x = np.array([1, 2, 3, 4, 5], dtype=np.int64)
    # When averaged over 3 bars
    out = ind.sma(x, 3)
    # Then the first two are unknown and the rest are exact means
    assert np.isnan(out[:2]).all()
    assert out[2:].tolist() == [2.0, 3.0, 4.0]


def test_rolling_values_do_not_depend_on_where_history_starts():
    # Given a long random walk of points
    rng = np.random.default_rng(1)
    x = np.cumsum(rng.integers(-20, 21, 5000)) + 1_100_000
    # When the window stats are computed on all of it and on its last 300 bars
    full_mean, tail_mean = ind.sma(x, 240), ind.sma(x[-300:], 240)
    full_std, tail_std = ind.rolling_std(x, 240), ind.rolling_std(x[-300:], 240)
    # Then the overlapping values are bit-for-bit identical
    assert np.array_equal(full_mean[-61:], tail_mean[-61:])
    assert np.array_equal(full_std[-61:], tail_std[-61:])


def test_rolling_std_matches_numpy():
    x = np.array([3, 7, 1, 9, 4, 4, 8], dtype=np.int64)
    out = ind.rolling_std(x, 4)
    assert np.isclose(out[-1], np.std(x[-4:]))


def test_true_range_includes_gap_from_previous_close():
    # Given a bar that gaps up above the previous close
    high, low, close = np.array([10.0, 15.0]), np.array([8.0, 13.0]), np.array([9.0, 14.0])
    # Then its true range runs from the previous close to its high
    assert ind.true_range(high, low, close).tolist() == [2.0, 6.0]


def test_rolling_extremes_and_shift():
    x = np.array([5, 1, 4, 2, 8], dtype=np.int64)
    assert ind.rolling_max(x, 2)[1:].tolist() == [5, 4, 4, 8]
    assert ind.rolling_min(x, 3)[2:].tolist() == [1, 1, 2]
    assert ind.shift(x.astype(float), 2)[2:].tolist() == [5, 1, 4]


def test_calendar_fields_in_utc():
    # 2017-01-02T07:00Z was a Monday
    t = np.array([1483340400])
    assert ind.weekday(t).tolist() == [0]
    assert ind.minute_of_day(t).tolist() == [420]


def test_price_points_are_tenths_of_a_pip():
    assert ind.to_points(np.array([1.05155]), 0.0001).tolist() == [105155]
    assert ind.to_points(np.array([117.321]), 0.01).tolist() == [117321]
