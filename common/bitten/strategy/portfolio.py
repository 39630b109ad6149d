"""Portfolio rules over every pair's candidate signals: the book VENOM would hold.

One open signal per pair, at most `per_currency` open signals on the same side of any one
currency (netted: long EURUSD and long USDJPY cancel on USD), at most `per_day` signals per UTC
day. The backtester and the live scan apply the same `admit` to the same candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bitten.domain.instruments import split_symbol


@dataclass(frozen=True)
class BookRules:
    """The caps; the defaults are v5's."""

    per_currency: int = 2
    per_day: int = 12


DEFAULT_RULES = BookRules()


@dataclass(frozen=True)
class Candidates:
    """Signals of all pairs, one row each: signal bar time, pair, +1/-1, exit time, priority."""

    time: np.ndarray
    pair: np.ndarray  # object array of symbols
    direction: np.ndarray
    exit_time: np.ndarray  # bar time the trade closes (int64 max while still open)
    priority: np.ndarray  # higher first among signals of the same minute (confidence)


def order(c: Candidates) -> np.ndarray:
    """Chronological, then by priority (high first), then by pair name: one order everywhere."""
    return np.lexsort((c.pair.astype(str), -c.priority, c.time))


def _legs(pair: str, direction: int) -> tuple[tuple[str, int], tuple[str, int]]:
    base, quote = split_symbol(pair)
    return (base, direction), (quote, -direction)


def _fits(book: list[tuple[int, str, int]], pair: str, d: int, rules: BookRules) -> bool:
    """A signal fits when its pair is flat and no currency goes past the cap on one side."""
    if any(p == pair for _, p, _ in book):
        return False
    for ccy, sign in _legs(pair, d):
        net = sum(s for _, p, dd in book for c2, s in _legs(p, dd) if c2 == ccy)
        if sign * net >= rules.per_currency:
            return False
    return True


def admit(c: Candidates, rules: BookRules = DEFAULT_RULES) -> np.ndarray:
    """Which candidates the book takes (a bool per row), in the order `order` gives."""
    taken = np.zeros(c.time.shape[0], dtype=bool)
    book: list[tuple[int, str, int]] = []  # (exit time, pair, direction) of open signals
    per_day: dict[int, int] = {}
    for k in order(c):
        t, day = int(c.time[k]), int(c.time[k]) // 86400
        book = [b for b in book if b[0] > t]
        pair, d = str(c.pair[k]), int(c.direction[k])
        if per_day.get(day, 0) < rules.per_day and _fits(book, pair, d, rules):
            taken[k] = True
            per_day[day] = per_day.get(day, 0) + 1
            book.append((int(c.exit_time[k]), pair, d))
    return taken
