"""`bitten ops`: the operators' kill switch from a shell (the same service as the API route)."""

from __future__ import annotations

import argparse
import json
import sys

COMMANDS = {
    "pause-firing": ("firing", True),
    "resume-firing": ("firing", False),
    "pause-signals": ("signals", True),
    "resume-signals": ("signals", False),
}


def _deps(settings):  # noqa: ANN001, ANN202 (Settings, OpsDeps: imported lazily)
    """DATABASE_URL, else the database `bitten run` uses on the embedded server."""
    from bitten import bootstrap
    from bitten.local.postgres import embedded_database_url, with_dbname

    if not settings.database_url:
        admin = embedded_database_url(settings.bitten_data_dir / "pg")
        settings = settings.model_copy(update={"database_url": with_dbname(admin, "bitten")})
    return bootstrap.build_ops_deps(settings)


def cmd_switch(args: argparse.Namespace) -> int:
    from bitten.cli import _settings
    from bitten.config import cli_operator
    from bitten.domain.switches import Switch
    from bitten.services.ops import set_switch

    name, paused = COMMANDS[args.ops]
    try:
        state = set_switch(
            Switch(name), paused, args.reason, args.by or cli_operator(), _deps(_settings())
        )
    except ValueError as err:
        print(f"bitten ops: {err}", file=sys.stderr)
        return 2
    print(json.dumps(state.model_dump(mode="json")))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from bitten.cli import _settings
    from bitten.services.ops import ops_status

    status = ops_status(_deps(_settings()), recent=args.recent)
    for s in status.switches:
        print(f"{s.name.value:8s} {_state(s)}")
    for e in status.recent:
        print(f"  {e.at:%Y-%m-%d %H:%M:%S} {e.actor} {e.action}: {e.reason}")
    print(json.dumps(status.model_dump(mode="json")))
    return 0


def _state(s) -> str:  # noqa: ANN001 (SwitchState, imported lazily)
    if not s.paused:
        return "running"
    return f"PAUSED since {s.changed_at:%Y-%m-%d %H:%M} UTC by {s.changed_by}: {s.reason}"


def add_commands(sub) -> None:  # noqa: ANN001 (argparse's private subparsers type)
    """`bitten ops pause-firing|resume-firing|pause-signals|resume-signals|status`."""
    ops = sub.add_parser("ops", help="operators: pause/resume firing or new signals, status")
    cmds = ops.add_subparsers(dest="ops", required=True)
    for name in COMMANDS:
        c = cmds.add_parser(name, help=f"{name.replace('-', ' ')} (audited)")
        c.add_argument("--reason", required=True, help="why (shown to refused traders)")
        c.add_argument("--by", help="who (default: cli:<login name>)")
        c.set_defaults(func=cmd_switch)
    status = cmds.add_parser("status", help="both switches and the latest audit entries")
    status.add_argument("--recent", type=int, default=10, help="audit entries to show")
    status.set_defaults(func=cmd_status)
