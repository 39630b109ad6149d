"""The `bitten` command: run, demo, demo-data, db migrate, backtest, data, bench, ops, telegram."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _settings():
    from bitten import logs
    from bitten.config import load_settings

    settings = load_settings()
    logs.configure(settings.log_level)
    return settings


def cmd_demo(args: argparse.Namespace) -> int:
    from bitten.local.demo.replay import parse_start, print_summary, run_demo

    summary = run_demo(
        _settings(), traders=args.traders, hours=args.hours, start=parse_start(args.start)
    )
    return print_summary(summary)


def cmd_demo_data(args: argparse.Namespace) -> int:
    from bitten.local.demo.slice import SourceMismatch, cut_night, parse_utc

    try:
        cut = cut_night(args.source, args.out, args.pairs, parse_utc(args.start))
    except SourceMismatch as err:
        print(f"bitten: {err}", file=sys.stderr)
        return 2
    total = sum(f.size for f in cut.files)
    print(f"{len(cut.files)} files, {total:,} bytes, night {cut.window.start:%Y-%m-%dT%H:%MZ}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bitten.local.run import run_forever

    return run_forever(_settings(), speed=args.speed, start=args.start)


def cmd_migrate(args: argparse.Namespace) -> int:
    from bitten.adapters.postgres.migrate import migrate
    from bitten.local.postgres import embedded_database_url, fresh_database
    from bitten.local.stack import MIGRATIONS

    settings = _settings()
    url = settings.database_url
    if not url:
        url = (
            fresh_database(embedded_database_url(settings.bitten_data_dir / "pg"), "bitten")
            if args.fresh
            else embedded_database_url(settings.bitten_data_dir / "pg")
        )
    applied = migrate(url, MIGRATIONS)
    print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none pending'}")
    return 0


def parser() -> argparse.ArgumentParser:
    from bitten.cli import backtest, bench, data, ops
    from bitten.config import SHARED_FX

    p = argparse.ArgumentParser(prog="bitten", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="bounded replay through every function; prints a JSON line")
    demo.add_argument("--traders", type=int, default=24)
    demo.add_argument("--hours", type=float, default=8.0)
    demo.add_argument("--start", help="UTC start, e.g. 2017-03-07T22:30 (default: busiest night)")
    demo.set_defaults(func=cmd_demo)
    cut = sub.add_parser("demo-data", help="cut the demo night from the shared M1 files")
    cut.add_argument("--source", type=Path, default=SHARED_FX, help="the shared candle folder")
    cut.add_argument("--out", type=Path, required=True, help="where the slice and README go")
    cut.add_argument("--pairs", nargs="*", help="only these pairs (default: every 2017H1 file)")
    cut.add_argument("--start", help="UTC replay start (default: the busiest night)")
    cut.set_defaults(func=cmd_demo_data)
    run = sub.add_parser("run", help="start the local stack and keep it running (Ctrl-C stops)")
    run.add_argument("--speed", type=float, default=60.0, help="virtual seconds per real second")
    run.add_argument("--start", help="UTC replay start (default: busiest night)")
    run.set_defaults(func=cmd_run)
    db = sub.add_parser("db", help="database tasks").add_subparsers(dest="db", required=True)
    migrate = db.add_parser("migrate", help="apply pending SQL migrations")
    migrate.add_argument("--fresh", action="store_true", help="embedded only: recreate first")
    migrate.set_defaults(func=cmd_migrate)
    backtest.add_commands(sub)
    data.add_commands(sub)
    ops.add_commands(sub)
    benches = sub.add_parser("bench", help="benchmarks that print figures")
    bench.add_bench_commands(benches.add_subparsers(dest="bench", required=True))
    return p


def main(argv: list[str] | None = None) -> int:
    from pydantic import ValidationError

    from bitten.bootstrap import NotConfigured

    args = parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (FileNotFoundError, NotConfigured, ValidationError) as err:  # setup: no traceback
        print(f"bitten: {err}", file=sys.stderr)
        return 2
