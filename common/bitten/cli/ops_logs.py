"""`bitten ops logs`: stored log lines of one mission, trader or signal, one line each."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bitten.domain.logs import LogLine


def readable(line: LogLine) -> str:
    """time level function [request] message ids fields, then the error's last line."""
    ids = [f"{k}={v}" for k in ("mission_id", "trader_id", "signal_id") if (v := getattr(line, k))]
    fields = [f"{k}={v}" for k, v in line.fields.items()]
    where = f"{line.function or '-'}[{(line.request_id or '-')[:8]}]"
    text = f"{line.at:%Y-%m-%d %H:%M:%S.%f}"[:-3]
    text += f" {line.level:8s} {where} {line.logger}: {line.message}"
    if ids or fields:
        text += "  " + " ".join(ids + fields)
    if line.error:
        text += f"  !! {line.error.strip().splitlines()[-1]}"
    return text


def cmd_logs(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from bitten.cli import _settings
    from bitten.cli.ops import _deps
    from bitten.domain.logs import LogQuery, parse_since
    from bitten.services.logs import search_logs

    try:
        since = parse_since(args.since, datetime.now(UTC)) if args.since else None
        wanted = LogQuery(
            mission_id=args.mission,
            trader_id=args.trader,
            signal_id=args.signal,
            since=since,
            level=args.level,
            limit=args.limit,
        )
    except (ValidationError, ValueError) as err:
        print(f"bitten ops logs: {err}", file=sys.stderr)
        return 2
    lines = search_logs(wanted, _deps(_settings()).uow)
    for line in reversed(lines):  # the newest `limit`, printed in the order they happened
        print(readable(line))
    print(f"{len(lines)} lines", file=sys.stderr)
    return 0


def add_command(cmds: argparse._SubParsersAction) -> None:
    """`bitten ops logs --mission ID | --trader ID | --signal ID | --since 2h | --level W`."""
    c = cmds.add_parser("logs", help="stored log lines by mission, trader, signal, time, level")
    c.add_argument("--mission", help="mission UUID")
    c.add_argument("--trader", help="trader UUID")
    c.add_argument("--signal", help="signal UUID")
    c.add_argument("--since", help="ISO time, or an age: 90s, 30m, 2h, 7d")
    c.add_argument("--level", help="this level and above: DEBUG, INFO, WARNING, ERROR")
    c.add_argument("--limit", type=int, default=200, help="newest N lines (1-1000), default 200")
    c.set_defaults(func=cmd_logs)
