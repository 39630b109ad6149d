"""CSV candle files -> Candles: ../shared/data/fx format, or the sample the backtesting package ships."""

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
    return Candles(pair, time, cols[:, 0].copy(), cols[:, 1].copy(), cols[:, 2].copy(),
                   cols[:, 3].copy())


def load_file(pair: str, path: Path) -> Candles:
    """One gzip CSV with header time,open,high,low,close,volume (bid prices, UTC bar opens)."""
    with gzip.open(path, "rt") as fh:
        lines = fh.read().split("\n")[1:]
    return _parse(pair, lines)


def load_pair(pair: str, paths: list[Path]) -> Candles:
    """All files of a pair joined; duplicates across file edges dropped."""
    parts = [load_file(pair, p) for p in paths]
    joined = Candles.concat(parts) if len(parts) > 1 else parts[0]
    keep = np.concatenate([[True], np.diff(joined.time) > 0])
    if keep.all():
        return joined
    return Candles(pair, *(getattr(joined, k)[keep] for k in ("time", "open", "high", "low", "close")))


def load_folder(folder: Path, pairs: list[str] | None = None) -> dict[str, Candles]:
    """Every pair in the folder (or just `pairs`)."""
    found = discover(folder)
    wanted = [p for p in (pairs or sorted(found)) if p in found]
    return {p: load_pair(p, found[p]) for p in wanted}


def packaged_sample() -> dict[str, Candles]:
    """Real EURUSD hourly candles shipped inside the `backtesting` package (fresh-clone fallback)."""
    import backtesting  # test/dev dependency; only imported when no M1 folder exists

    path = Path(backtesting.__file__).parent / "test" / "EURUSD.csv"
    lines = path.read_text().split("\n")[1:]
    return {"EURUSD": _parse("EURUSD", lines)}
