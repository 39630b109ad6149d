"""CITADEL: bounded score, label, multiplier and a sentence per check; it never drops signals."""

from decimal import Decimal

import numpy as np
import pytest

from bitten.domain.shield import HELD, LINEAR, POLICY, label_for, multiplier_for
from bitten.strategy import citadel
from bitten.strategy.candles import Candles

MONDAY_0100 = 1483318800  # 2017-01-02T01:00Z


def walk(n: int = 600, start: int = MONDAY_0100, pair: str = "EURUSD", drift: float = 0.0):
    rng = np.random.default_rng(5)
    close = 1.10 + np.cumsum(rng.normal(drift, 0.00005, n))
    opens = np.concatenate([[close[0]], close[:-1]])
    t = start + 60 * np.arange(n, dtype=np.int64)
    return Candles(
        pair,
        t,
        opens,
        np.maximum(opens, close) + 0.00003,
        np.minimum(opens, close) - 0.00003,
        close,
    )


@pytest.mark.parametrize(
    "score,label,mult",
    [
        ("0", "EXPOSED", "0.25"),
        ("4", "GUARDED", "0.75"),
        ("6.5", "STRONG", "1.06"),
        ("7", "STRONG", "1.12"),
        ("10", "FORTRESS", "1.50"),
        ("-1", "EXPOSED", "0.25"),
    ],
)
def test_labels_and_linear_multiplier_span_quarter_to_one_and_a_half(score, label, mult):
    # The linear policy is exact Decimal at the two decimals missions keep (half to even)
    assert label_for(Decimal(score)) == label
    assert multiplier_for(Decimal(score), LINEAR) == Decimal(mult)


@pytest.mark.parametrize("score", ["0", "4", "7", "10"])
def test_the_default_policy_holds_every_bucket_at_one(score):
    # Given CITADEL's score has not yet earned the scale (docs/venom.md)
    assert POLICY == HELD and not POLICY.scaled
    # Then every score, EXPOSED to FORTRESS, sizes at exactly 1.00x
    assert multiplier_for(Decimal(score)) == Decimal("1.00")


def test_every_check_explains_itself_in_one_line():
    # Given a calm market in the Asian session
    shield = citadel.assess_last(walk(), 1, 0.8)
    # Then five checks each give 0-2 points and a single HUD line
    assert [c.name for c in shield.checks] == ["trend", "volatility", "session", "spread", "news"]
    assert all(
        0 <= c.score <= 2 and c.explanation and "\n" not in c.explanation for c in shield.checks
    )
    assert shield.score == sum(c.score for c in shield.checks)


def test_trend_check_rewards_trading_with_the_higher_timeframe():
    # Given a market drifting steadily up
    up = walk(drift=0.00003)
    # Then a buy scores the trend check higher than a sell
    buy = {c.name: c.score for c in citadel.assess_last(up, 1, 0.8).checks}
    sell = {c.name: c.score for c in citadel.assess_last(up, -1, 0.8).checks}
    assert buy["trend"] == 2 and sell["trend"] == 0


def test_scheduled_release_nearby_costs_points():
    # Given the last bar at 13:25 UTC (five minutes before US data at 13:30 in winter)
    c = walk(start=MONDAY_0100 + 12 * 3600 + 25 * 60 - 599 * 60)
    news = {ch.name: ch for ch in citadel.assess_last(c, 1, 0.8).checks}["news"]
    assert news.score == 0 and "5 min" in news.explanation


def test_backtest_scores_match_the_live_assessment():
    # Given the vectorized scores the backtester uses
    c = walk()
    dirs = np.ones(len(c), dtype=np.int64)
    scores = citadel.score_bars(c, dirs, 0.8)
    # Then the last one equals the live shield on the same bars
    assert scores[-1] == citadel.assess_last(c, 1, 0.8).score
