"""When does a position's stop loss or take profit trigger on replayed bid bars?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from bitten.strategy.candles import Candles


@dataclass(frozen=True)
class StopHit:
    reason: Literal["sl", "tp"]
    price: int  # exit price in points
    bar_open: int  # epoch s of the bar that triggered


def _exit_price(level: int, bar_open_price: int, gapped: bool) -> int:
    """A stop triggered by a gap fills at the bar's open, otherwise at its level."""
    return bar_open_price if gapped else level


def first_stop_hit(
    side: str, sl: int, tp: int, spread: int | np.ndarray, bars: Candles
) -> StopHit | None:
    """First bar touching SL or TP (0 = none); SL wins when both touch the same bar.

    A long closes at the bid (bar low/high); a short closes at the ask (bid + each bar's spread).
    """
    if len(bars) == 0 or (sl == 0 and tp == 0):
        return None
    shift = 0 if side == "buy" else spread
    low, high, opn = bars.low + shift, bars.high + shift, bars.open + shift
    if side == "buy":
        sl_hit = low <= sl if sl else np.zeros(len(bars), bool)
        tp_hit = high >= tp if tp else np.zeros(len(bars), bool)
    else:
        sl_hit = high >= sl if sl else np.zeros(len(bars), bool)
        tp_hit = low <= tp if tp else np.zeros(len(bars), bool)
    either = sl_hit | tp_hit
    if not either.any():
        return None
    i = int(np.argmax(either))
    o = int(opn[i])
    if sl_hit[i]:
        gapped = o <= sl if side == "buy" else o >= sl
        return StopHit("sl", _exit_price(sl, o, gapped), int(bars.time[i]))
    gapped = o >= tp if side == "buy" else o <= tp
    return StopHit("tp", _exit_price(tp, o, gapped), int(bars.time[i]))
