"""`bitten ops report [--window hour|day]`: the operator report, from the Throne's own reads."""

from __future__ import annotations

import argparse


def cmd_report(args: argparse.Namespace) -> int:
    """Print flow counts, per-hop latency percentiles and VENOM's drift status."""
    from bitten import bootstrap
    from bitten.cli import _settings
    from bitten.local.postgres import embedded_database_url, with_dbname
    from bitten.services.throne.report import operator_report

    settings = _settings()
    if not settings.database_url:  # the database `bitten run` uses on the embedded server
        admin = embedded_database_url(settings.bitten_data_dir / "pg")
        settings = settings.model_copy(update={"database_url": with_dbname(admin, "bitten")})
    print(operator_report(bootstrap.build_throne_deps(settings), args.window))
    return 0


def add_command(cmds: argparse._SubParsersAction) -> None:
    report = cmds.add_parser("report", help="flow, latency per hop and VENOM drift (as /throne)")
    report.add_argument("--window", choices=("hour", "day"), default="day")
    report.set_defaults(func=cmd_report)
