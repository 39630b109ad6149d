"""`bitten bench scan|feed|backtest|coldstart|alerts`: figures printed, never asserted."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

from bitten.config import PROJECT_ROOT

# Names for the 28-pair scan; each borrows a real series with the same pip size.
PAIRS_28 = (
    "EURUSD GBPUSD AUDUSD NZDUSD USDCAD USDCHF EURGBP EURAUD EURNZD EURCAD EURCHF GBPAUD "
    "GBPNZD GBPCAD GBPCHF AUDNZD AUDCAD AUDCHF NZDCAD NZDCHF CADCHF USDJPY EURJPY GBPJPY "
    "AUDJPY NZDJPY CADJPY CHFJPY"
).split()


def _data(folder: Path | None) -> Path:
    from bitten.config import load_settings

    return folder or load_settings().market_data_source()


def _borrow(name: str, real: dict) -> str:
    """The real series a synthetic pair reuses: JPY quotes from USDJPY, others from FX majors."""
    if name.endswith("JPY") and "USDJPY" in real:
        return "USDJPY"
    fx = sorted(p for p in real if not p.endswith("JPY") and not p.startswith("XA"))
    return fx[PAIRS_28.index(name) % len(fx)] if fx else sorted(real)[0]


def _real_pairs(folder: Path | None) -> dict:
    """The latest file of each FX major in the data folder."""
    from bitten.adapters.market_data import discover, load_pair

    found = discover(_data(folder))
    majors = ("EURUSD", "GBPUSD", "USDJPY", "AUDUSD", "USDCAD")
    return {p: load_pair(p, [paths[-1]]) for p, paths in found.items() if p in majors}


def _timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _median_s(fn, repeat: int) -> float:
    return statistics.median(_timed(fn) for _ in range(repeat))


def bench_scan(args: argparse.Namespace) -> int:
    """Median wall time of scan() over N pairs x M bars (real slices under borrowed names)."""
    from bitten.strategy.candles import Candles
    from bitten.strategy.venom import LOOKBACK_BARS, scan

    bars = args.bars or LOOKBACK_BARS
    real = _real_pairs(args.data)
    candles = {}
    for name in PAIRS_28[: args.pairs]:
        c = real[_borrow(name, real)]
        s = c.slice(len(c) - bars, len(c))
        candles[name] = Candles(name, s.time, s.open, s.high, s.low, s.close)
    now = max(int(c.time[-1]) for c in candles.values()) + 60
    seconds = _median_s(lambda: scan(candles, now), args.repeat)
    signals = scan(candles, now)
    print(
        f"scan: {len(candles)} pairs x {bars} M1 bars (real slices reused under "
        f"28 names): median {1000 * seconds:.1f} ms over {args.repeat} runs, "
        f"{len(signals)} signals"
    )
    return 0


def bench_backtest(args: argparse.Namespace) -> int:
    """Bars/second of our backtester and backtesting.py on the cross-check rule."""
    from bitten.adapters.market_data import discover, load_pair
    from bitten.cli import crosscheck

    found = discover(_data(args.data))
    c = load_pair("EURUSD", found["EURUSD"][:1])
    c = c.slice(0, min(args.bars, len(c)))
    t0 = time.perf_counter()
    ours = crosscheck.our_trades(c)
    t_ours = time.perf_counter() - t0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t0 = time.perf_counter()
        peer = crosscheck.peer_trades(c)
        t_peer = time.perf_counter() - t0
    same = len(peer) == len(ours) and all(
        (int(a), int(b)) == (p[0], p[1])
        for a, b, p in zip(ours.entry_idx, ours.exit_idx, peer, strict=False)
    )
    print(
        f"rule: SMA {crosscheck.FAST}/{crosscheck.SLOW} cross, stop {crosscheck.STOP_PIPS:g} / "
        f"target {crosscheck.TARGET_PIPS:g} pips, EURUSD, {len(c):,} M1 bars"
    )
    print(f"ours:            {len(c) / t_ours:>12,.0f} bars/s ({len(ours)} trades)")
    print(f"backtesting.py:  {len(c) / t_peer:>12,.0f} bars/s ({len(peer)} trades)")
    print(f"ratio: {t_peer / t_ours:,.1f}x  same trades: {same}", file=sys.stdout)
    return 0


FUNCTIONS = [
    "signal_scan",
    "mission_fanout",
    "alert_dispatch",
    "fire_execution",
    "result_sync",
    "trader_upkeep",
    "game_tick",
    "game_dispatch",
    "api",
]
HEAVY = ["numpy", "psycopg", "boto3", "telegram", "httpx", "chalice"]
PROBE = (
    "import sys, time; sys.path.insert(0, {path!r}); t = time.perf_counter(); import app; "
    "print(__import__('json').dumps([time.perf_counter() - t, [m for m in {heavy!r} "
    "if m in sys.modules]]))"
)


def coldstart(args: argparse.Namespace) -> int:
    baseline = statistics.median(_probe("import json") for _ in range(args.repeat))
    print(f"python -c 'import json' baseline: {baseline * 1000:.0f} ms (process start excluded)")
    for name in FUNCTIONS:
        path = str(PROJECT_ROOT / "functions" / name)
        runs = [_import_app(path) for _ in range(args.repeat)]
        seconds = sorted(r[0] for r in runs)[len(runs) // 2]
        print(
            f"{name:15s} import {seconds * 1000:7.1f} ms   heavy modules loaded: "
            f"{', '.join(runs[0][1]) or 'none'}"
        )
    return 0


def _import_app(path: str) -> tuple[float, list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(path=path, heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
        cwd=path,
    )
    seconds, heavy = json.loads(out.stdout.strip().splitlines()[-1])
    return seconds, heavy


def _probe(code: str) -> float:
    script = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def add_bench_commands(bench_subparsers) -> None:
    """Add `backtest`, `scan`, `feed`, `coldstart`, `fanout`, `fire`, `fire-race`, `alerts`,
    `drill`."""
    from bitten.cli.bench_alerts import bench_alerts
    from bitten.cli.bench_drill import bench_drill
    from bitten.cli.bench_fanout import bench_fanout
    from bitten.cli.bench_feed import bench_feed
    from bitten.cli.bench_fire import bench_fire, bench_fire_race

    def command(name: str, func, text: str, repeat: bool = True) -> argparse.ArgumentParser:
        c = bench_subparsers.add_parser(name, help=text)
        c.add_argument("--data", type=Path, help="folder of PAIR_M1_*.csv.gz (default: settings)")
        if repeat:
            c.add_argument("--repeat", type=int, default=5, help="timed runs (median printed)")
        c.set_defaults(func=func)
        return c

    b = command("backtest", bench_backtest, "bars/second: ours vs backtesting.py", repeat=False)
    b.add_argument("--bars", type=int, default=50_000, help="EURUSD bars to run")
    s = command("scan", bench_scan, "time one VENOM scan of many pairs")
    s.add_argument("--pairs", type=int, default=28, help="pairs to scan")
    s.add_argument("--bars", type=int, help="M1 bars per pair (default: what the live scan reads)")
    f = command("feed", bench_feed, "time one scan's market data: full, incremental, memory")
    f.add_argument("--pairs", type=int, default=0, help="first N pairs of the folder (0 = all)")
    command("coldstart", coldstart, "import time and heavy modules per function", repeat=True)
    fan = bench_subparsers.add_parser("fanout", help="one signal to N sized missions + alerts")
    fan.add_argument("--traders", type=int, default=5000)
    fan.add_argument("--repeat", type=int, default=3, help="fan-outs timed (median printed)")
    fan.set_defaults(func=bench_fanout)
    fire = bench_subparsers.add_parser("fire", help="per-hop latency of N fires, local stack")
    fire.add_argument("--n", type=int, default=500)
    fire.add_argument("--rate", type=float, default=20.0, help="FIRE requests per second")
    fire.add_argument("--pollers", type=int, default=4, help="fire_execution instances")
    fire.set_defaults(func=bench_fire)
    race = bench_subparsers.add_parser("fire-race", help="one mission, a burst of FIREs, per round")
    race.add_argument("--rounds", type=int, default=20)
    race.add_argument("--concurrency", type=int, default=50, help="HUD requests per round")
    race.set_defaults(func=bench_fire_race)
    a = bench_subparsers.add_parser(
        "alerts", help="one signal's alerts to N traders, at the limits"
    )
    a.add_argument("--users", type=int, default=5000, help="traders with a mission")
    a.add_argument("--paid-broadcast", action="store_true", help="allow_paid_broadcast alerts")
    a.add_argument(
        "--workers",
        type=int,
        default=0,
        help="alert_dispatch processes (0: template's concurrency)",
    )
    a.add_argument("--batch", type=int, default=0, help="SQS batch size (0: the template's)")
    a.set_defaults(func=bench_alerts)
    d = command("drill", bench_drill, "build and enqueue every trader's drill report", False)
    d.add_argument("--traders", type=int, default=5000, help="traders whose drill is due")
