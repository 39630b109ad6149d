"""Dukascopy's public datafeed -> M1 bid candles in the ../shared/data/fx CSV format.

One LZMA file a UTC day: {base}/{PAIR}/{YYYY}/{MM-1:02d}/{DD:02d}/BID_candles_min_1.bi5, 24-byte
big-endian rows (seconds since 00:00, open, close, low, high in points, float volume). Minutes
without a tick come as flat zero-volume rows; the shared files have no row for them, so they are
dropped here too.
"""

from __future__ import annotations

import gzip
import lzma
import struct
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx

BASE_URL = "https://datafeed.dukascopy.com/datafeed"
ROW = struct.Struct(">5If")
Row = tuple[int, Decimal, Decimal, Decimal, Decimal]  # bar open (epoch s), O, H, L, C


def point_digits(pair: str) -> int:
    """Decimals of Dukascopy's integer prices: 3 for JPY pairs and gold, 5 otherwise."""
    return 3 if pair.upper().endswith("JPY") or pair.upper().startswith("XAU") else 5


def day_url(pair: str, day: date, base: str = BASE_URL) -> str:
    """The day's candle file (months count from 00)."""
    folder = f"{base}/{pair.upper()}/{day.year:04d}/{day.month - 1:02d}/{day.day:02d}"
    return f"{folder}/BID_candles_min_1.bi5"


def decode_day(pair: str, day: date, blob: bytes) -> list[Row]:
    """The day's traded minutes (volume > 0) as exact prices."""
    if not blob:
        return []
    raw = lzma.decompress(blob)
    midnight = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())
    scale = point_digits(pair)
    rows = []
    for sec, o, c, lo, hi, volume in ROW.iter_unpack(raw[: len(raw) - len(raw) % ROW.size]):
        if volume > 0:
            px = [Decimal(v).scaleb(-scale) for v in (o, hi, lo, c)]
            rows.append((midnight + sec, px[0], px[1], px[2], px[3]))
    return rows


class DukascopyCandles:
    """Day files over HTTP; a missing day (weekend, holiday, future) is an empty day."""

    def __init__(self, client: httpx.Client | None = None, base: str = BASE_URL) -> None:
        self.client, self.base = client or httpx.Client(timeout=30.0), base

    def day(self, pair: str, day: date) -> list[Row]:
        answer = self.client.get(day_url(pair, day, self.base))
        if answer.status_code == 404:
            return []
        answer.raise_for_status()
        return decode_day(pair, day, answer.content)

    def between(self, pair: str, start: date, end: date) -> list[Row]:
        """Every traded minute of [start, end), oldest first."""
        out: list[Row] = []
        for k in range((end - start).days):
            out += self.day(pair, start + timedelta(days=k))
        return out


def _price(p: Decimal) -> str:
    """As the shared files write prices: no trailing zeros."""
    return format(p.normalize(), "f")


def write_csv(path: Path, rows: list[Row]) -> Path:
    """gzip CSV with the shared folder's header, ISO UTC bar opens and volume 0."""
    with gzip.open(path, "wt", compresslevel=9) as fh:
        fh.write("time,open,high,low,close,volume\n")
        for t, o, h, lo, c in rows:
            stamp = datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            fh.write(f"{stamp},{_price(o)},{_price(h)},{_price(lo)},{_price(c)},0\n")
    return path
