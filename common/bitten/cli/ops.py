"""`bitten ops` (kill switches and status here; the actions, logs and report in ops_actions,
ops_logs, ops_report) and `bitten telegram setup`: what operators run by hand, through the
same services as the API routes."""

from __future__ import annotations

import argparse
import json

COMMANDS = {
    "pause-firing": ("firing", True),
    "resume-firing": ("firing", False),
    "pause-signals": ("signals", True),
    "resume-signals": ("signals", False),
}


def on_run_database(settings):  # noqa: ANN001, ANN202 (Settings: imported lazily)
    """DATABASE_URL, else the database `bitten run` uses on the embedded server."""
    from bitten.local.postgres import embedded_database_url, with_dbname

    if settings.database_url:
        return settings
    admin = embedded_database_url(settings.bitten_data_dir / "pg")
    return settings.model_copy(update={"database_url": with_dbname(admin, "bitten")})


def _deps(settings):  # noqa: ANN001, ANN202 (Settings, OpsDeps: imported lazily)
    from bitten import bootstrap

    return bootstrap.build_ops_deps(on_run_database(settings))


def _switch(args: argparse.Namespace, deps, actor: str) -> object:  # noqa: ANN001
    from bitten.domain.switches import Switch
    from bitten.services.ops import set_switch

    name, paused = COMMANDS[args.ops]
    return set_switch(Switch(name), paused, args.reason, actor, deps)


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


def cmd_telegram_setup(args: argparse.Namespace) -> int:
    """Point Telegram at the webhook (with its secret) and publish the command menu."""
    from bitten import bootstrap
    from bitten.adapters.telegram import PtbNotifier
    from bitten.cli import _settings
    from bitten.services.bot.commands import MENU

    settings = _settings()
    if not settings.telegram_bot_token:
        raise bootstrap.NotConfigured("TELEGRAM_BOT_TOKEN is not set")
    bot = PtbNotifier(settings.telegram_bot_token, settings.telegram_api_url)
    url = args.url or f"{settings.public_api_url()}/telegram/webhook"
    bot.set_webhook(url, settings.telegram_webhook_secret)
    bot.set_commands(MENU)
    bot.close()
    print(f"webhook {url} set; {len(MENU)} commands published")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """`bitten ops pause-firing|resume-firing|pause-signals|resume-signals|status`, the
    actions of cli/ops_actions.py, and `bitten telegram setup`."""
    from bitten.cli import ops_actions, ops_logs, ops_report

    ops = sub.add_parser(
        "ops", help="operators: kill switches, status, broadcasts, dead letters, tiers, refunds"
    )
    cmds = ops.add_subparsers(dest="ops", required=True)
    for name in COMMANDS:
        c = cmds.add_parser(name, help=f"{name.replace('-', ' ')} (audited)")
        c.add_argument("--reason", required=True, help="why (shown to refused traders)")
        c.add_argument("--by", help="who (default: cli:<login name>)")
        c.set_defaults(func=ops_actions.run(_switch))
    status = cmds.add_parser("status", help="both switches and the latest audit entries")
    status.add_argument("--recent", type=int, default=10, help="audit entries to show")
    status.set_defaults(func=cmd_status)
    ops_actions.add_commands(cmds)  # issue 13: broadcast, dlq, grant-tier, setup, refund
    ops_logs.add_command(cmds)  # issue 13: logs are data
    ops_report.add_command(cmds)  # issue 13: the operator report
    telegram = sub.add_parser("telegram", help="Telegram setup").add_subparsers(
        dest="telegram", required=True
    )
    setup = telegram.add_parser("setup", help="set the webhook and the command menu")
    setup.add_argument("--url", help="webhook URL (default: HUD_BASE_URL/telegram/webhook)")
    setup.set_defaults(func=cmd_telegram_setup)
