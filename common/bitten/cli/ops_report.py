"""`bitten ops report [--window hour|day]`: the operator report, from the Throne's own reads."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime


def cmd_report(args: argparse.Namespace) -> int:
    """Print flow counts, per-hop latency percentiles and VENOM's drift status."""
    from bitten import bootstrap
    from bitten.adapters.clock import VirtualClock
    from bitten.cli import _settings
    from bitten.cli.ops import on_run_database
    from bitten.services.throne.report import operator_report

    settings = on_run_database(_settings())
    overrides = {"clock": VirtualClock(args.until)} if args.until else {}
    print(operator_report(bootstrap.build_throne_deps(settings, **overrides), args.window))
    return 0


def utc_time(text: str) -> datetime:
    """An ISO time; one without an offset is UTC."""
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def add_command(cmds: argparse._SubParsersAction) -> None:
    report = cmds.add_parser("report", help="flow, latency per hop and VENOM drift (as /throne)")
    report.add_argument("--window", choices=("hour", "day"), default="day")
    report.add_argument(
        "--until",
        type=utc_time,
        help="end of the window, ISO (default now; a local replay runs on its own clock)",
    )
    report.set_defaults(func=cmd_report)
