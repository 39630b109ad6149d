"""One simple rule run by our backtester and by backtesting.py, to prove the fills agree.

The rule: enter on a 10/30-bar SMA cross of the close, next-bar open, fixed stop and target
in pips, one trade at a time, no spread (backtesting.py models costs as a fraction of price).
backtesting.py (with pandas) is a dev dependency, imported only inside `peer_trades`.
"""

from __future__ import annotations

import numpy as np

from bitten.strategy import indicators as ind
from bitten.strategy.backtest import simulate
from bitten.strategy.candles import Candles
from bitten.strategy.fills import Brackets, Trades
from bitten.strategy.pricing import pip_of

FAST, SLOW, STOP_PIPS, TARGET_PIPS = 10, 30, 10.0, 10.0
NO_TIMEOUT = 10**9


def cross_signals(c: Candles) -> np.ndarray:
    """+1 where the fast SMA crosses above the slow one, -1 below, else 0."""
    fast, slow = ind.sma(c.close, FAST), ind.sma(c.close, SLOW)
    above = np.nan_to_num(fast - slow) > 0
    below = np.nan_to_num(fast - slow) < 0
    was_above, was_below = ind.shift(above * 1.0, 1) == 1, ind.shift(below * 1.0, 1) == 1
    # backtesting.py rejects an order whose levels (set from the next open) are on the wrong
    # side of the current close, so the rule skips bars followed by a gap of half a bracket.
    gap = np.abs(np.append(c.open[1:], c.close[-1]) - c.close) / pip_of(c.pair)
    ready = np.isfinite(slow) & np.isfinite(ind.shift(slow, 1)) & (gap < STOP_PIPS / 2)
    return np.where(above & ~was_above, 1, np.where(below & ~was_below, -1, 0)) * ready


def our_trades(c: Candles) -> Trades:
    """The rule through our vectorized backtester (whole run, no timeout)."""
    sig = cross_signals(c)
    idx = np.nonzero(sig)[0]
    n = idx.shape[0]
    b = Brackets(idx, sig[idx].astype(np.int64), np.full(n, STOP_PIPS), np.full(n, TARGET_PIPS))
    return simulate(c, b, pip_of(c.pair), 0.0, min(NO_TIMEOUT, len(c)))


def peer_trades(c: Candles) -> list[tuple[int, int, int, float]]:
    """(entry bar, exit bar, direction, pips) of every closed trade according to backtesting.py."""
    import pandas as pd
    from backtesting import Backtest, Strategy

    pip = pip_of(c.pair)
    sig = cross_signals(c).astype(np.float64)
    next_open = np.append(c.open[1:], c.close[-1])

    class Cross(Strategy):
        def init(self) -> None:
            self.sig = self.I(lambda: sig, name="sig", plot=False)
            self.entry = self.I(lambda: next_open, name="next_open", plot=False)

        def next(self) -> None:
            side, px = self.sig[-1], self.entry[-1]
            # Levels from the next open = the fill price, as our bracket measures them.
            if not self.position and side > 0:
                self.buy(size=1, sl=px - STOP_PIPS * pip, tp=px + TARGET_PIPS * pip)
            elif not self.position and side < 0:
                self.sell(size=1, sl=px + STOP_PIPS * pip, tp=px - TARGET_PIPS * pip)

    frame = pd.DataFrame(
        {"Open": c.open, "High": c.high, "Low": c.low, "Close": c.close},
        index=pd.to_datetime(c.time, unit="s"),
    )
    stats = Backtest(frame, Cross, cash=1_000_000, commission=0.0).run()
    t = stats["_trades"]
    d = np.sign(t["Size"].to_numpy()).astype(int)
    pips = (t["ExitPrice"].to_numpy() - t["EntryPrice"].to_numpy()) * d / pip
    return list(
        zip(t["EntryBar"].tolist(), t["ExitBar"].tolist(), d.tolist(), pips.tolist(), strict=True)
    )
