"""`bitten ops refund CHARGE_ID` and `bitten telegram setup`: what operators run by hand."""

from __future__ import annotations

import argparse


def cmd_refund(args: argparse.Namespace) -> int:
    """Give a Stars payment back (refundStarPayment) and revert the tier it bought."""
    from bitten import bootstrap
    from bitten.cli import _settings
    from bitten.services.subscriptions import refund

    deps = bootstrap.build_bot_deps(_settings())
    outcome = refund(args.charge_id, deps)
    print(f"{args.charge_id}: {outcome}")
    return 0 if outcome in ("refunded", "already") else 1


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
    ops = sub.add_parser("ops", help="operator tasks").add_subparsers(dest="ops", required=True)
    refund = ops.add_parser("refund", help="refund a Stars payment and revert its tier")
    refund.add_argument("charge_id", help="telegram_payment_charge_id")
    refund.set_defaults(func=cmd_refund)
    telegram = sub.add_parser("telegram", help="Telegram setup").add_subparsers(
        dest="telegram", required=True
    )
    setup = telegram.add_parser("setup", help="set the webhook and the command menu")
    setup.add_argument("--url", help="webhook URL (default: HUD_BASE_URL/telegram/webhook)")
    setup.set_defaults(func=cmd_telegram_setup)
