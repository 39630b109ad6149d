"""CSV candle files -> Candles: the ../shared/data/fx format (also the demo night it ships)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import numpy as np

from bitten.strategy.candles import Candles

FILE_PATTERN = re.compile(r"^([A-Z]{6})_M1_.*\.csv\.gz$")


def discover(folder: Path) -> dict[str, list[Path]]:
    """Map pair -> its PAIR_M1_*.csv.gz files in chronological (name) order."""
    found: dict[str, list[Path]] = {}
    for path in sorted(Path(folder).iterdir()):
        match = FILE_PATTERN.match(path.name)
        if match:
            found.setdefault(match.group(1), []).append(path)
    return found


def _parse(pair: str, lines: list[str]) -> Candles:
    rows = [line.split(",") for line in lines if line]
    stamps = [r[0].rstrip("Z").replace(" ", "T") for r in rows]
    time = np.array(stamps, dtype="datetime64[s]").astype(np.int64)
    cols = np.array([r[1:5] for r in rows], dtype=np.float64)
    return Candles(
        pair, time, cols[:, 0].copy(), cols[:, 1].copy(), cols[:, 2].copy(), cols[:, 3].copy()
    )


def _epoch_of_iso(stamps: np.ndarray) -> np.ndarray:
    """(n, 20) ASCII digits of 'YYYY-MM-DDTHH:MM:SSZ' -> epoch seconds (days-from-civil)."""
    digits = stamps.astype(np.int64) - 48

    def num(a: int, b: int) -> np.ndarray:
        out = np.zeros(digits.shape[0], dtype=np.int64)
        for k in range(a, b):
            out = out * 10 + digits[:, k]
        return out

    y, m, d = num(0, 4), num(5, 7), num(8, 10)
    y = y - (m <= 2)
    era, mp = y // 400, (m + 9) % 12
    yoe = y - era * 400
    doe = yoe * 365 + yoe // 4 - yoe // 100 + (153 * mp + 2) // 5 + d - 1
    days = era * 146097 + doe - 719468
    return days * 86400 + num(11, 13) * 3600 + num(14, 16) * 60 + num(17, 19)


def _parse_fast(pair: str, raw: bytes) -> Candles | None:
    """Vectorized parse of the shared folder's exact format; None when the format differs."""
    flat = raw[raw.index(b"\n") + 1 :].replace(b"\n", b",").split(b",")
    if flat and flat[-1] == b"":
        flat.pop()
    stamps = flat[0::6]
    if len(flat) % 6 or any(len(s) != 20 for s in stamps[:: max(1, len(stamps) // 1000)]):
        return None
    joined = b"".join(stamps)
    if len(joined) != 20 * len(stamps):
        return None
    time = _epoch_of_iso(np.frombuffer(joined, dtype=np.uint8).reshape(-1, 20))
    cols = np.array([flat[1::6], flat[2::6], flat[3::6], flat[4::6]], dtype=np.float64)
    return Candles(pair, time, cols[0], cols[1], cols[2], cols[3])


def load_file(pair: str, path: Path) -> Candles:
    """One gzip CSV with header time,open,high,low,close,volume (bid prices, UTC bar opens)."""
    with gzip.open(path, "rb") as fh:
        raw = fh.read()
    fast = _parse_fast(pair, raw)
    if fast is not None:
        return fast
    return _parse(pair, raw.decode().split("\n")[1:])


def load_pair(pair: str, paths: list[Path]) -> Candles:
    """All files of a pair joined; duplicates across file edges dropped."""
    parts = [load_file(pair, p) for p in paths]
    joined = Candles.concat(parts) if len(parts) > 1 else parts[0]
    keep = np.concatenate([[True], np.diff(joined.time) > 0])
    if keep.all():
        return joined
    return Candles(
        pair, *(getattr(joined, k)[keep] for k in ("time", "open", "high", "low", "close"))
    )


def load_folder(folder: Path, pairs: list[str] | None = None) -> dict[str, Candles]:
    """Every pair in the folder (or just `pairs`)."""
    found = discover(folder)
    wanted = [p for p in (pairs or sorted(found)) if p in found]
    return {p: load_pair(p, found[p]) for p in wanted}


class CandleReplayFeed:
    """MarketFeed over loaded candles: what had closed by `now` (the live scanner's view)."""

    def __init__(self, candles: dict[str, Candles]) -> None:
        self.candles = candles

    def pairs(self) -> list[str]:
        return sorted(self.candles)

    def symbols(self) -> list[str]:
        return sorted(self.candles)

    def recent(self, pair: str, now, bars: int) -> Candles:
        closed = self.candles[pair].upto(int(now.timestamp()))
        return closed.slice(max(0, len(closed) - bars), len(closed))


def load_market(source: Path, pairs: list[str] | None = None) -> tuple[dict[str, Candles], str]:
    """(candles, a line saying where they came from) for the platform's market data."""
    from bitten.config import DEMO_CANDLES

    candles = load_folder(source, pairs)
    if not candles:
        wanted = f" for {', '.join(pairs)}" if pairs else ""
        raise FileNotFoundError(f"no PAIR_M1_*.csv.gz files{wanted} in {source}")
    if Path(source).resolve() == DEMO_CANDLES:
        return candles, f"the one-night M1 demo slice shipped in the package ({source})"
    return candles, f"M1 candles from {source}"
