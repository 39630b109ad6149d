"""`bitten backtest`: VENOM over M1 history, with tables, JSON and an equity plot."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

STRESS = 1.5  # every report also fills the same engine at 1.5x the model spread


def _epoch(day: str) -> int:
    """'2017-01-31' (or a full ISO time) -> epoch seconds UTC."""
    stamp = datetime.fromisoformat(day.replace("Z", "+00:00"))
    return int((stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)).timestamp())


def _spreads(items: list[str]) -> dict[str, float]:
    """['EURUSD=0.5'] -> {'EURUSD': 0.5}."""
    out = {}
    for item in items:
        pair, _, pips = item.partition("=")
        out[pair.upper()] = float(pips)
    return out


class Progress:
    """A one-line stderr progress bar (no dependency)."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.done, self.label = max(total, 1), 0, label

    def step(self, what: str) -> None:
        self.done += 1
        filled = int(30 * self.done / self.total)
        bar = "#" * filled + "." * (30 - filled)
        end = "\n" if self.done >= self.total else ""
        print(
            f"\r{self.label} [{bar}] {self.done}/{self.total} {what:8s}",
            end=end,
            file=sys.stderr,
            flush=True,
        )


def add_commands(subparsers) -> None:
    """Add `backtest` to the top-level `bitten` subparsers."""
    p = subparsers.add_parser("backtest", help="run VENOM over M1 history with a random baseline")
    p.add_argument("--data", type=Path, required=True, help="folder of PAIR_M1_*.csv.gz")
    p.add_argument("--pairs", nargs="*", help="only these pairs (default: all found)")
    p.add_argument("--start", help="first day, e.g. 2017-01-01 (UTC)")
    p.add_argument("--end", help="end day, exclusive (UTC)")
    p.add_argument(
        "--spread",
        nargs="*",
        default=[],
        metavar="PAIR=PIPS",
        help="a flat spread for these pairs instead of the spread model",
    )
    p.add_argument(
        "--profile",
        choices=("live", "v5"),
        default="live",
        help="live: what the scanner trades; v5: the v5 research profile (failed look 5)",
    )
    p.add_argument("--json", type=Path, help="write the summary JSON here")
    p.add_argument("--plot", type=Path, help="write the equity curve PNG here")
    p.set_defaults(func=run_backtest)


def load(args: argparse.Namespace) -> dict:
    """Candles of the requested pairs, cut to [start, end)."""
    from bitten.adapters.market_data import discover, load_pair

    found = discover(args.data)
    wanted = [p.upper() for p in args.pairs] if args.pairs else sorted(found)
    bar = Progress(len(wanted), "loading ")
    out = {}
    lo = _epoch(args.start) if args.start else 0
    hi = _epoch(args.end) if args.end else 2**62
    for pair in wanted:
        if pair in found:
            c = load_pair(pair, found[pair]).window(lo, hi)
            if len(c):
                out[pair] = c
        bar.step(pair)
    return out


def _traded(candles: dict, profile) -> dict:
    """The pairs the profile trades; say which were left out."""
    from bitten.strategy.setups import family_of, setups_for

    left = sorted(p for p in candles if not setups_for(p, profile))
    if left:
        families = ", ".join(f"{p} ({family_of(p)})" for p in left)
        print(f"not traded by VENOM's {profile.name} profile: {families}")
    return {p: c for p, c in candles.items() if setups_for(p, profile)}


def run_backtest(args: argparse.Namespace) -> int:
    """Load, backtest (and again at 1.5x spreads), print the tables; exit 2 with nothing to test."""
    from bitten.strategy import backtest, calibration, report, risk, tables, venom

    if not args.data.is_dir():
        print(f"error: --data {args.data} is not a folder", file=sys.stderr)
        return 2
    started = time.perf_counter()
    candles = load(args)
    if not candles:
        print(f"error: no PAIR_M1_*.csv.gz bars in {args.data} for that selection", file=sys.stderr)
        return 2
    params = venom.PROFILES[args.profile]
    candles = _traded(candles, params.profile)
    if not candles:
        print(f"error: VENOM's {args.profile} profile trades none of those pairs", file=sys.stderr)
        return 2
    bar = Progress(len(candles), "backtest")
    result = backtest.run(candles, _spreads(args.spread), params, progress=bar.step)
    stressed = backtest.run(candles, _spreads(args.spread), params, cost=STRESS)
    doc = report.build(result, time.perf_counter() - started)
    doc["stress_1_5x"] = report.summary(stressed.trades.pips, doc["trading_days"])
    doc["risk"] = risk.summary(result.trades, float(doc["pooled"]["trades_per_day"] or 0))
    doc["shield_calibration"] = calibration.calibrate(result.trades)
    print(tables.per_pair_table(doc))
    print("\n".join(tables.group_tables(doc)))
    print(tables.edge_lines(doc))
    print(tables.stress_line(doc))
    print(tables.calibration_table(doc))
    print(tables.risk_lines(doc))
    print(f"{doc['bars']:,} bars in {doc['seconds']:.1f} s")
    if args.json:
        args.json.write_text(json.dumps(doc, indent=2))
    if args.plot:
        from bitten.cli.plot import equity_png

        equity_png(result, args.plot)
    return 0
