"""The backtest's trade table (one row per closed trade, all pairs) and its random twins."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bitten.strategy import venom
from bitten.strategy.candidates import PairCandidates
from bitten.strategy.candles import Candles
from bitten.strategy.fills import OPEN, Brackets, Trades
from bitten.strategy.pricing import pip_of


@dataclass(frozen=True)
class TradeTable:
    """Parallel arrays in exit-time order; pips are after the spread."""

    pair: np.ndarray
    setup: np.ndarray
    signal_time: np.ndarray
    exit_time: np.ndarray
    direction: np.ndarray
    pips: np.ndarray
    stop_pips: np.ndarray
    target_pips: np.ndarray
    shield: np.ndarray
    mae_pips: np.ndarray  # maximum adverse excursion from the fill, in pips

    def __len__(self) -> int:
        return int(self.pips.shape[0])

    def where(self, mask: np.ndarray) -> TradeTable:
        """The rows where `mask` is true."""
        return TradeTable(*(getattr(self, f)[mask] for f in self.__dataclass_fields__))


def adverse_excursion(c: Candles, entry: int, exit_: int, d: int, px: float, ask: float) -> float:
    """How far the trade went against its fill before it closed, in price."""
    if d > 0:
        return max(0.0, px - float(c.low[entry : exit_ + 1].min()))
    return max(0.0, float(c.high[entry : exit_ + 1].max()) + ask - px)


def _rows(c: Candles, pc: PairCandidates, keep: np.ndarray, shield: np.ndarray, spread, cost):
    """The columns of one pair's kept, closed trades."""
    k = keep & (pc.outcome != OPEN)
    pip = pip_of(c.pair)
    ask = np.broadcast_to(spread * cost * pip, (len(c),))
    mae = [
        adverse_excursion(c, i + 1, int(x), int(d), float(e), float(ask[x]))
        for i, x, d, e in zip(
            pc.idx[k], pc.exit_idx[k], pc.direction[k], pc.entry_px[k], strict=True
        )
    ]
    names = np.array([venom.setup_name(int(s)) for s in pc.setup[k]], dtype=object)
    return (
        np.full(int(k.sum()), c.pair, dtype=object),
        names,
        c.time[pc.idx[k]],
        pc.exit_time[k],
        pc.direction[k],
        pc.pips[k],
        pc.stop_pips[k],
        pc.target_pips[k],
        shield[k],
        np.asarray(mae, dtype=np.float64) / pip,
    )


def _table(cols: list[tuple]) -> TradeTable:
    if not cols:
        return TradeTable(*(np.zeros(0) for _ in range(10)))
    merged = [np.concatenate([c[i] for c in cols]) for i in range(10)]
    order = np.argsort(merged[3], kind="stable")
    return TradeTable(*(m[order] for m in merged))


def table_of(candles, pcs, kept, shields, spreads, cost) -> TradeTable:
    """Every pair's kept, closed trades in one table, in exit order."""
    cols = [
        _rows(candles[pc.pair], pc, kept[pc.pair], shields[pc.pair], spreads[pc.pair], cost)
        for pc in pcs
    ]
    return _table(cols)


def _random_trades(c: Candles, t: TradeTable, spread, p, cost, seed: int) -> Trades:
    """As many random entries (bar, side) in the pair's setup hours, with VENOM's bracket sizes."""
    from bitten.strategy.backtest import simulate

    rng = np.random.default_rng(seed)
    eligible = np.nonzero(venom.setup_at(c, p) > 0)[0]
    n = len(t)
    if n == 0 or eligible.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return simulate(c, Brackets(empty, empty, empty * 1.0, empty * 1.0), pip_of(c.pair), 0, 1)
    idx = np.sort(rng.choice(eligible, size=n, replace=True))
    sizes = rng.permutation(n)
    side = rng.choice(np.array([-1, 1]), size=n)
    b = Brackets(idx, side, t.stop_pips[sizes], t.target_pips[sizes])
    return simulate(c, b, pip_of(c.pair), spread * cost, p.max_hold_bars)


def _as_table(c: Candles, r: Trades) -> tuple:
    n = len(r)
    nan = np.full(n, np.nan)
    name = np.full(n, "random", dtype=object)
    pair = np.full(n, c.pair, dtype=object)
    times = (c.time[r.signal_idx], c.time[r.exit_idx])
    return (pair, name, *times, r.direction, r.pips, r.stop_pips, r.target_pips, nan, nan)


def random_twins(candles, trades: TradeTable, spreads, p, cost, seed: int, runs: int):
    """The fixed-seed random twin as a table, and the pooled pips of `runs` more seeds."""
    mine = {pair: trades.where(trades.pair == pair) for pair in candles}
    cols = [
        _as_table(c, _random_trades(c, mine[pair], spreads[pair], p, cost, seed))
        for pair, c in candles.items()
    ]
    extra = tuple(
        np.concatenate(
            [
                _random_trades(c, mine[pr], spreads[pr], p, cost, seed + k).pips
                for pr, c in candles.items()
            ]
            or [np.zeros(0)]
        )
        for k in range(1, runs + 1)
    )
    return _table(cols), extra
