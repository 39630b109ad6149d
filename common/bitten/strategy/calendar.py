"""Fixed intraday release times and home sessions per currency (UTC, both DST variants)."""

from __future__ import annotations

import numpy as np

from bitten.strategy.indicators import minute_of_day

_HM = {
    "USD": ("12:30", "13:30", "14:00", "15:00", "18:00", "19:00"),
    "EUR": ("07:00", "08:00", "09:00", "12:45", "13:30"),
    "GBP": ("06:00", "07:00", "08:30", "09:30", "11:00", "12:00"),
    "JPY": ("23:50", "03:00"),
    "AUD": ("00:30", "01:30", "03:30", "04:30"),
    "NZD": ("21:45", "22:45"),
    "CAD": ("12:30", "13:30", "14:00", "15:00"),
    "CHF": ("07:00", "08:00", "08:30"),
    "XAU": ("12:30", "13:30", "14:00", "18:00", "19:00"),
}
# Hours (UTC) when the currency's home market is open.
_HOME = {
    "JPY": range(23, 31),
    "AUD": range(22, 30),
    "NZD": range(21, 29),
    "EUR": range(7, 16),
    "GBP": range(7, 16),
    "CHF": range(7, 16),
    "USD": range(12, 21),
    "CAD": range(12, 21),
    "XAU": range(12, 21),
}


def _minutes(hm: str) -> int:
    h, m = hm.split(":")
    return int(h) * 60 + int(m)


def release_minutes(pair: str) -> np.ndarray:
    """Scheduled release minutes of day for both currencies of the pair."""
    times = _HM.get(pair[:3], ()) + _HM.get(pair[3:], ())
    return np.array(sorted({_minutes(t) for t in times}) or [_minutes("13:30")])


def minutes_to_release(pair: str, time: np.ndarray) -> np.ndarray:
    """Circular distance in minutes from each bar to the nearest scheduled release."""
    mod = minute_of_day(time)[:, None]
    gap = np.abs(mod - release_minutes(pair)[None, :])
    return np.minimum(gap, 1440 - gap).min(axis=1)


def home_session_count(pair: str, time: np.ndarray) -> np.ndarray:
    """0, 1 or 2: how many of the pair's currencies are in their home session."""
    hour = minute_of_day(time) // 60
    count = np.zeros(time.shape[0], dtype=np.int64)
    for ccy in (pair[:3], pair[3:]):
        hours = {h % 24 for h in _HOME.get(ccy, ())}
        count += np.isin(hour, list(hours))
    return count
