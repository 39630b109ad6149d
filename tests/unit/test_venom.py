"""VENOM: the stretch fade fires in the Asian session only, on closed bars, without look-ahead."""

from pathlib import Path

import numpy as np
import pytest

from bitten.strategy import backtest, live, venom
from bitten.strategy.candles import Candles
from bitten.strategy.citadel import Shield
from bitten.strategy.pricing import spread_series

FX = Path(__file__).resolve().parents[3] / "shared" / "data" / "fx"
MONDAY_0100 = 1483318800  # 2017-01-02T01:00Z


def candles(closes: np.ndarray, start: int = MONDAY_0100, pair: str = "EURUSD") -> Candles:
    """Bars one minute apart; open = previous close; 0.2-pip wicks."""
    opens = np.concatenate([[closes[0]], closes[:-1]])
    t = start + 60 * np.arange(closes.size, dtype=np.int64)
    wick = 0.00002
    return Candles(
        pair, t, opens, np.maximum(opens, closes) + wick, np.minimum(opens, closes) - wick, closes
    )


TREND_BARS = venom.DEFAULT.trend_window


def after_two_days(closes: np.ndarray, start: int, pair: str, trend_pips: float) -> Candles:
    """`closes` from `start`, after two days that drifted `trend_pips` up to them (down if < 0)."""
    pip = 0.1 if pair == "XAUUSD" else 0.0001
    before = closes[0] - trend_pips * pip * np.linspace(1, 0, TREND_BARS + 1)[:-1]
    return candles(np.concatenate([before, closes]), start - 60 * TREND_BARS, pair)


def quiet_then_drop(start: int = MONDAY_0100, drop_pips: float = 16.0) -> Candles:
    """An up-trend, 300 quiet bars, then one sharp drop on the last bar (a news-style jump)."""
    rng = np.random.default_rng(7)
    closes = 1.10 + 0.00003 * np.cumsum(rng.choice([-1.0, 1.0], 300))
    closes[-1] = closes[-2] - drop_pips * 0.0001
    return after_two_days(closes, start, "EURUSD", 60)


def slide(
    start: int = MONDAY_0100 - 3600, pair: str = "EURUSD", scale: float = 1.0, trend: float = 60
) -> Candles:
    """Two days trending `trend` pips (x scale), 300 noisy bars (sd 4 pips x scale), then a
    steady 1.2-pip slide until 3 sd down."""
    pip, base = (0.1, 1200.0) if pair == "XAUUSD" else (0.0001, 1.10)
    rng = np.random.default_rng(7)
    quiet = base + 4 * scale * pip * rng.standard_normal(300)
    down = base - 1.2 * scale * pip * np.arange(1, 12)
    return after_two_days(np.concatenate([quiet, down]), start, pair, trend * scale)


def closed_at(c: Candles) -> int:
    return int(c.time[-1]) + 60


def test_steady_slide_in_asian_session_gives_a_buy():
    # Given a noisy Asian-session market that slides 13 pips over 11 minutes, to 3 sd below
    c = slide()
    # When the scanner runs just after the last bar closed
    [sig] = venom.scan({"EURUSD": c}, closed_at(c))
    # Then it proposes a buy at the last close, target half-way back, stop 4x the target
    assert (sig.pair, sig.direction, sig.entry) == ("EURUSD", "buy", float(c.close[-1]))
    assert sig.bar_time == int(c.time[-1])
    assert sig.target_pips >= 6 * 0.8
    assert sig.stop_pips == pytest.approx(4 * sig.target_pips, abs=0.11)
    assert 50 <= sig.confidence <= 100
    assert isinstance(sig.shield, Shield) and 0 <= sig.shield.score <= 10
    assert any("sd below" in r for r in sig.reasons)
    assert any("not a jump" in r for r in sig.reasons)
    assert any("two-day trend: close above" in r for r in sig.reasons)


def test_a_one_bar_jump_is_news_and_is_not_faded():
    # Given a quiet market that drops 16 pips in one minute (a stretch made by a jump)
    c = quiet_then_drop()
    # Then VENOM stays out
    assert venom.scan({"EURUSD": c}, closed_at(c)) == []
    # And it is the jump filter that keeps it out: without it the same bar is a buy
    no_filter = venom.VenomParams(shock_sd=float("inf"))
    assert venom.frame(c, 0.8, no_filter).direction[-1] == 1
    assert venom.frame(c, 0.8).direction[-1] == 0


def test_a_dip_against_the_two_day_trend_is_not_bought():
    # Given the same slide, after two days that fell 60 pips (the close is under the 2-day mean)
    c = slide(trend=-60)
    # Then VENOM stays out: it only buys dips in an up-trend
    assert venom.scan({"EURUSD": c}, closed_at(c)) == []
    # And it is the trend filter that keeps it out
    assert venom.frame(c, 0.8, venom.VenomParams(trend_window=0)).direction[-1] == 1


def test_a_window_with_a_weekend_inside_is_skipped():
    # Given the slide, with a 49-hour gap (a weekend) 100 bars before its end
    c = slide()
    t = c.time.copy()
    t[:-100] -= 49 * 3600
    gapped = Candles(c.pair, t, c.open, c.high, c.low, c.close)
    # Then the 240-bar window spans more than 5 hours of clock time and VENOM stays out
    assert venom.frame(c, 0.8).direction[-1] == 1
    assert venom.frame(gapped, 0.8).direction[-1] == 0


def test_same_slide_in_london_hours_is_ignored():
    # Given the same slide at 09:00-14:00 UTC
    c = slide(start=MONDAY_0100 + 8 * 3600)
    # Then VENOM stays out (London/New York moves trend more than they revert)
    assert venom.scan({"EURUSD": c}, closed_at(c)) == []


def test_spread_filter_skips_targets_small_next_to_the_spread():
    # Given a 5-pip spread override, the ~6-pip target is under 6 spreads
    c = slide()
    assert venom.scan({"EURUSD": c}, closed_at(c), spreads={"EURUSD": 5.0}) == []


def test_bar_still_forming_is_not_used():
    # Given `now` one second before the last slide bar closes
    c = slide()
    # Then the scanner only sees the bars before it, which are not yet 3 sd down
    assert venom.scan({"EURUSD": c}, closed_at(c) - 1) == []


def test_gold_uses_its_own_pip_size_but_no_v5_setup_trades_it():
    # Given gold noisy at 1200 sliding 7.2 gold pips (0.72 dollars) a minute
    c = slide(pair="XAUUSD", scale=6.0)
    asian = venom.VenomParams(session_hours=(23, 0, 1, 2, 3, 4, 5))
    gold = venom.frame(c, spread_series("XAUUSD", c.time), asian)
    eur = venom.frame(slide(), spread_series("EURUSD", slide().time), asian)
    # Then the rule measures it in gold pips (0.1): a target 6x the EURUSD slide's
    assert gold.direction[-1] == 1 and eur.direction[-1] == 1
    assert gold.target_pips[-1] == pytest.approx(6 * eur.target_pips[-1], abs=0.3)
    # And the v5 scan leaves gold alone: no setup passed on it (docs/venom.md)
    assert venom.scan({"XAUUSD": c}, closed_at(c)) == []


def real_slice(n: int = 30_000) -> Candles:
    if not FX.is_dir():
        pytest.skip("no ../shared/data/fx")
    from bitten.adapters.market_data import load_file

    return load_file("EURUSD", FX / "EURUSD_M1_2017H1.csv.gz").slice(0, n)


def test_changing_bars_after_t_never_changes_the_signal_at_t():
    # Given real candles and a copy whose bars after bar k are scrambled
    c = real_slice()
    k = len(c) // 2
    rng = np.random.default_rng(0)
    noise = rng.normal(0, 0.002, len(c) - k - 1)
    bent = Candles(
        c.pair,
        c.time,
        *(
            np.concatenate([a[: k + 1], a[k + 1 :] + noise])
            for a in (c.open, c.high, c.low, c.close)
        ),
    )
    # When VENOM's frame is computed on both
    a, b = venom.frame(c, 0.8), venom.frame(bent, 0.8)
    # Then every decision up to bar k is identical, and later ones did change
    for name in ("direction", "stop_pips", "target_pips", "confidence"):
        x, y = getattr(a, name)[: k + 1], getattr(b, name)[: k + 1]
        assert np.array_equal(x, y, equal_nan=np.issubdtype(x.dtype, np.floating))
    assert not np.array_equal(a.zscore[k + 1 :], b.zscore[k + 1 :], equal_nan=True)


def real_pairs(*pairs: str) -> dict[str, Candles]:
    if not FX.is_dir():
        pytest.skip("no ../shared/data/fx")
    from bitten.adapters.market_data import load_file

    return {p: load_file(p, FX / f"{p}_M1_2017H1.csv.gz") for p in pairs}


@pytest.mark.parametrize("profile", ["live", "v5"])
def test_live_scan_emits_exactly_the_backtests_book_on_every_bar(profile):
    # Given four real pairs of 2017H1 and the backtest's book (v5: both setups, three families)
    candles = real_pairs("EURUSD", "USDJPY", "GBPJPY", "EURGBP")
    params = venom.PROFILES[profile]
    t = backtest.run(candles, p=params).trades
    assert set(t.setup) == {"asian_fade", "late_fade"} if profile == "v5" else {"asian_fade"}
    assert profile == "v5" or set(t.pair) <= {"EURUSD", "USDJPY"}  # live: v4's earned pairs
    # When the live scanner runs one minute after each traded signal bar opened
    for pair, when, d, target, setup in zip(
        t.pair, t.signal_time, t.direction, t.target_pips, t.setup, strict=True
    ):
        emitted = {s.pair: s for s in live.scan(candles, int(when) + 60, p=params)}
        # Then it proposes exactly the backtested trade, named by its setup
        sig = emitted[pair]
        assert (sig.direction, sig.bar_time, sig.setup) == (
            "buy" if d > 0 else "sell",
            int(when),
            setup,
        )
        assert sig.target_pips == round(float(target), 1)


def test_live_scan_stays_quiet_where_the_book_refused_a_signal():
    # Given the bars where a pair's frame fired but the backtest's book did not take the signal
    candles = real_pairs("EURUSD", "USDJPY", "GBPJPY", "EURGBP")
    t = backtest.run(candles).trades
    taken = set(zip(t.pair, t.signal_time, strict=True))
    refused = []
    for pair, c in candles.items():
        f = venom.frame(c, spread_series(pair, c.time))
        bars = c.time[np.nonzero(f.direction)[0]]
        refused += [(pair, int(b)) for b in bars if (pair, b) not in taken]
    assert len(refused) > 5
    # Then the live scan emits nothing for that pair there either
    for pair, when in refused[:40]:
        assert pair not in {s.pair for s in venom.scan(candles, when + 60)}


def test_lookback_covers_the_trend_and_the_books_replay():
    p = venom.DEFAULT
    assert venom.LOOKBACK_BARS == p.trend_window + venom.REPLAY_BARS
    assert venom.REPLAY_BARS >= p.max_hold_bars and venom.LOOKBACK_BARS <= 4000
