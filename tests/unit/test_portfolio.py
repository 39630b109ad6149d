"""The book: one signal per pair, a cap per currency side, a cap per day."""

import numpy as np

from bitten.strategy.portfolio import BookRules, Candidates, admit

T = 1483318800  # Monday 2017-01-02T01:00Z
OPEN = np.iinfo(np.int64).max


def book(*rows):
    """(minute, pair, direction, exit minute or None, priority) rows."""
    return Candidates(
        np.array([T + 60 * r[0] for r in rows], dtype=np.int64),
        np.array([r[1] for r in rows], dtype=object),
        np.array([r[2] for r in rows], dtype=np.int64),
        np.array([OPEN if r[3] is None else T + 60 * r[3] for r in rows], dtype=np.int64),
        np.array([r[4] if len(r) > 4 else 50 for r in rows], dtype=np.int64),
    )


def test_a_pair_holds_one_signal_until_its_exit_bar():
    c = book((0, "EURUSD", 1, 10), (5, "EURUSD", -1, 20), (10, "EURUSD", 1, 30))
    assert admit(c).tolist() == [True, False, True]


def test_the_book_is_not_five_bets_on_the_dollar():
    # Given three trades that each sell the dollar (long EUR, GBP and AUD against USD)
    c = book((0, "EURUSD", 1, None), (1, "GBPUSD", 1, None), (2, "AUDUSD", 1, None))
    # Then the third is refused: two short-USD signals are the cap
    assert admit(c).tolist() == [True, True, False]


def test_a_hedge_on_the_same_currency_is_not_stacked_exposure():
    # Given two short-USD trades and then a long-USD one (USDJPY buy)
    c = book((0, "EURUSD", 1, None), (1, "GBPUSD", 1, None), (2, "USDJPY", 1, None))
    # Then the USDJPY buy nets USD down and is taken
    assert admit(c).tolist() == [True, True, True]


def test_the_daily_cap_counts_signals_of_one_utc_day():
    pairs = ["EURUSD", "USDJPY", "GBPJPY", "EURGBP"]
    rows = [(k, pairs[k % 4], 1 if k % 2 else -1, k + 1) for k in range(6)]
    taken = admit(book(*rows), BookRules(per_currency=9, per_day=4))
    assert taken.tolist() == [True, True, True, True, False, False]


def test_signals_of_the_same_minute_go_by_priority_then_name():
    c = book((0, "GBPUSD", 1, None, 60), (0, "EURUSD", 1, None, 90), (0, "AUDUSD", 1, None, 60))
    # Then EURUSD (priority 90) and AUDUSD (name before GBPUSD) fill the two short-USD slots
    assert admit(c).tolist() == [False, True, True]
