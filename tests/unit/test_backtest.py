"""Backtester fills: next-bar entry, spread on the ask side, stop first, one trade per pair."""

import numpy as np
import pytest

from bitten.strategy import backtest, report, venom
from bitten.strategy.candles import Candles
from bitten.strategy.fills import STOP, TARGET, TIMEOUT, Brackets

PIP = 0.0001


def bars(rows):
    """(open, high, low, close) rows one minute apart from 2017-01-02T01:00Z."""
    a = np.asarray(rows, dtype=np.float64)
    t = 1483318800 + 60 * np.arange(a.shape[0], dtype=np.int64)
    return Candles("EURUSD", t, a[:, 0], a[:, 1], a[:, 2], a[:, 3])


def one(idx, side, stop, target):
    return Brackets(np.array([idx]), np.array([side]), np.array([stop]), np.array([target]))


def test_long_enters_next_open_plus_spread_and_exits_at_the_bid_target():
    # Given a long signal on bar 0, a 1-pip spread and a 5-pip target
    c = bars(
        [
            (1.1000, 1.1001, 1.0999, 1.1000),
            (1.1000, 1.1002, 1.0998, 1.1001),
            (1.1001, 1.1007, 1.1000, 1.1006),
        ]
    )
    t = backtest.simulate(c, one(0, 1, 10, 5), PIP, 1.0, 100)
    # Then it fills at bar 1's open + 1 pip and the target (bid) is reached on bar 2
    assert t.entry_idx.tolist() == [1] and t.entry_price[0] == pytest.approx(1.1001)
    assert t.outcome.tolist() == [TARGET] and t.exit_idx.tolist() == [2]
    assert t.pips[0] == pytest.approx(5.0)


def test_short_buys_back_at_the_ask():
    # Given a short with a 2-pip spread: the bid must fall target + spread
    c = bars(
        [
            (1.1000, 1.1000, 1.1000, 1.1000),
            (1.1000, 1.1001, 1.0996, 1.0997),
            (1.0997, 1.0997, 1.0993, 1.0994),
        ]
    )
    t = backtest.simulate(c, one(0, -1, 10, 5), PIP, 2.0, 100)
    # Then bar 1 (bid low 1.0996, ask 1.0998) is not enough; bar 2 (ask 1.0995) is
    assert t.exit_idx.tolist() == [2] and t.outcome.tolist() == [TARGET]
    assert t.pips[0] == pytest.approx(5.0)


def test_stop_wins_when_both_levels_are_inside_one_bar():
    c = bars([(1.1, 1.1, 1.1, 1.1), (1.1, 1.1010, 1.0990, 1.1)])
    t = backtest.simulate(c, one(0, 1, 5, 5), PIP, 0.0, 100)
    assert t.outcome.tolist() == [STOP] and t.pips[0] == pytest.approx(-5.0)


def test_gap_through_the_stop_fills_at_the_open():
    # Given a long whose stop (10 pips) is gapped through by 20 pips
    c = bars([(1.1, 1.1, 1.1, 1.1), (1.1, 1.1001, 1.0999, 1.1), (1.0980, 1.0981, 1.0975, 1.0978)])
    t = backtest.simulate(c, one(0, 1, 10, 30), PIP, 0.0, 100)
    assert t.outcome.tolist() == [STOP] and t.pips[0] == pytest.approx(-20.0)


def test_timeout_closes_at_the_last_held_bar():
    c = bars([(1.1, 1.1, 1.1, 1.1)] * 3 + [(1.1, 1.1, 1.1, 1.1002)] + [(1.1, 1.1, 1.1, 1.1)] * 3)
    t = backtest.simulate(c, one(0, 1, 50, 50), PIP, 0.0, 3)
    assert t.outcome.tolist() == [TIMEOUT] and t.exit_idx.tolist() == [3]
    assert t.pips[0] == pytest.approx(2.0)


def test_trade_still_open_at_the_end_is_not_counted():
    c = bars([(1.1, 1.1, 1.1, 1.1)] * 4)
    assert len(backtest.simulate(c, one(0, 1, 50, 50), PIP, 0.0, 100)) == 0


def test_one_trade_per_pair_skips_signals_until_the_exit():
    # Given signals on bars 0, 1 and 3 where the first trade exits on bar 2
    assert backtest.one_at_a_time(np.array([0, 1, 3]), np.array([2, 3, 5])).tolist() == [0, 2]
    # And a signal on the exit bar itself is allowed (it enters on the next open)
    assert backtest.one_at_a_time(np.array([0, 2]), np.array([2, 4])).tolist() == [0, 1]


def market(n=6000, seed=11):
    rng = np.random.default_rng(seed)
    close = 1.1 + np.cumsum(rng.standard_t(3, n) * 0.00008)
    opens = np.concatenate([[close[0]], close[:-1]])
    t = 1483315200 + 60 * np.arange(n, dtype=np.int64)
    return Candles(
        "EURUSD",
        t,
        opens,
        np.maximum(opens, close) + 0.00004,
        np.minimum(opens, close) - 0.00004,
        close,
    )


# A 4-day random walk has no two-day trend to agree with: these tests are about the fills.
NO_TREND = venom.VenomParams(trend_window=0)


def test_random_baseline_is_reproducible_and_uses_venoms_brackets():
    # Given a market where VENOM trades
    c = market()
    a, b = backtest.run({"EURUSD": c}, p=NO_TREND), backtest.run({"EURUSD": c}, p=NO_TREND)
    assert len(a.trades) > 0
    # Then the random twin is the same on every run and sized from VENOM's own brackets
    assert np.array_equal(a.random.pips, b.random.pips)
    # And so are the extra twins, each a different draw
    assert len(a.random_runs) == backtest.RANDOM_RUNS
    assert all(np.array_equal(x, y) for x, y in zip(a.random_runs, b.random_runs, strict=True))
    assert not all(np.array_equal(a.random.pips, x) for x in a.random_runs)
    assert set(np.round(a.random.target_pips, 6)) <= set(np.round(a.trades.target_pips, 6))


def test_spread_override_reaches_venom_and_the_fills():
    # Given a market where VENOM takes trades at EURUSD's modelled spread
    c = market()
    default = backtest.run({"EURUSD": c}, p=NO_TREND).trades
    # When the spread is overridden to 3 pips
    dear = backtest.run({"EURUSD": c}, {"EURUSD": 3.0}, NO_TREND).trades
    # Then small targets are filtered out (4 spreads = 12 pips)
    assert len(default) > len(dear)
    assert np.all(dear.target_pips >= 12.0)


def test_the_stress_run_keeps_the_signals_and_pays_half_as_much_again():
    # Given the same market filled at the model spread and at 1.5x
    c = market()
    base = backtest.run({"EURUSD": c}, {"EURUSD": 1.0}, NO_TREND)
    dear = backtest.run({"EURUSD": c}, {"EURUSD": 1.0}, NO_TREND, cost=1.5)
    # Then the first signal is the same bar, and the book earns less
    assert len(base.trades) > 0
    assert dear.trades.signal_time.min() == base.trades.signal_time.min()
    assert dear.trades.pips.sum() < base.trades.pips.sum()


def test_long_with_spread_needs_the_bid_to_travel_target_plus_spread():
    # Given a bid that rises exactly 5 pips after entry
    c = bars([(1.1, 1.1, 1.1, 1.1), (1.1, 1.1, 1.1, 1.1), (1.1, 1.1005, 1.1, 1.1005)])
    # Then a 5-pip target is hit without spread and missed with a 1-pip spread
    assert len(backtest.simulate(c, one(0, 1, 10, 5), PIP, 0.0, 2)) == 1
    missed = backtest.simulate(c, one(0, 1, 10, 5), PIP, 1.0, 2)
    assert missed.outcome.tolist() == [TIMEOUT] and missed.pips[0] == pytest.approx(4.0)


def test_summary_metrics():
    pips = np.array([2.0, -1.0, 3.0, -4.0])
    m = report.summary(pips, days=2)
    assert m == {
        "trades": 4,
        "win_rate": 0.5,
        "profit_factor": 1.0,
        "expectancy_pips": 0.0,
        "total_pips": 0.0,
        "max_drawdown_pips": 4.0,
        "trades_per_day": 2.0,
    }


def test_each_bar_has_its_own_spread_at_entry_and_at_a_short_exit():
    # Given a long entered on bar 1 at a 1-pip spread, and a short whose exit bar costs 3 pips
    c = bars([(1.1, 1.1, 1.1, 1.1)] * 2 + [(1.1, 1.1, 1.0990, 1.0990)] * 2)
    spreads = np.array([1.0, 1.0, 3.0, 3.0])
    long = backtest.simulate(c, one(0, 1, 50, 50), PIP, spreads, 2)
    short = backtest.simulate(c, one(0, -1, 50, 50), PIP, spreads, 2)
    # Then the long paid bar 1's spread, and the short buys back at bid + bar 2's spread
    assert long.entry_price[0] == pytest.approx(1.1001)
    assert short.outcome.tolist() == [TIMEOUT]
    assert short.exit_price[0] == pytest.approx(1.0990 + 3 * PIP)
