"""`bitten data fetch PAIR --from --to`: Dukascopy M1 bid candles in the shared CSV format."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path


def add_commands(subparsers) -> None:
    """Add `data fetch` to the top-level `bitten` subparsers."""
    data = subparsers.add_parser("data", help="market data tasks").add_subparsers(
        dest="data", required=True
    )
    fetch = data.add_parser("fetch", help="download M1 bid candles from Dukascopy's datafeed")
    fetch.add_argument("pair", help="e.g. EURUSD, USDCHF, XAUUSD")
    fetch.add_argument("--from", dest="start", required=True, help="first UTC day, 2018-01-01")
    fetch.add_argument("--to", dest="end", required=True, help="end UTC day, exclusive")
    fetch.add_argument("--out", type=Path, default=Path("data/fx"), help="folder for the file")
    fetch.set_defaults(func=run_fetch)


def run_fetch(args: argparse.Namespace, source=None) -> int:
    """Download, write PAIR_M1_<from>_<to>.csv.gz; exit 2 on bad input or no data."""
    from bitten.adapters.dukascopy import DukascopyCandles, write_csv
    from bitten.domain.instruments import split_symbol

    try:
        pair = "".join(split_symbol(args.pair))
        start, end = date.fromisoformat(args.start), date.fromisoformat(args.end)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if end <= start:
        print("error: --to must be after --from", file=sys.stderr)
        return 2
    rows = (source or DukascopyCandles()).between(pair, start, end)
    if not rows:
        print(f"error: Dukascopy has no {pair} bars in [{start}, {end})", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    path = write_csv(args.out / f"{pair}_M1_{start}_{end}.csv.gz", rows)
    print(f"{len(rows):,} bars of {pair} -> {path}")
    return 0
