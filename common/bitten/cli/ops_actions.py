"""`bitten ops broadcast|dlq|grant-tier|setup|refund` (issue 13): the operator actions of the
Throne from a shell, through the same audited services as the API and the bot."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable


def run(act: Callable[..., object]) -> Callable[[argparse.Namespace], int]:
    """Run `act(args, deps, actor)`, print its JSON; a refused action prints why and exits 2."""

    def command(args: argparse.Namespace) -> int:
        from bitten.cli import _settings
        from bitten.cli.ops import _deps
        from bitten.config import cli_operator
        from bitten.domain.operator import UnknownTarget

        try:
            result = act(args, _deps(_settings()), args.by or cli_operator())
        except (ValueError, UnknownTarget, RuntimeError) as err:  # RuntimeError: part missing
            print(f"bitten ops: {err}", file=sys.stderr)
            return 2
        dump = getattr(result, "model_dump", None)
        print(json.dumps(dump(mode="json") if dump else result))
        return 0

    return command


def _broadcast(args: argparse.Namespace, deps, actor: str) -> object:  # noqa: ANN001
    from bitten.domain.tiers import Tier
    from bitten.services.operator.broadcast import broadcast

    tier = Tier(args.tier) if args.tier else None
    return broadcast(args.text, tier, args.reason, actor, deps)


def _dlq(args: argparse.Namespace, deps, actor: str) -> object:  # noqa: ANN001
    from bitten.services.operator.queues import peek_dead_letters, queue_depths, redrive_dead_letter

    if args.redrive:
        if not args.queue:
            raise ValueError("name the queue: bitten ops dlq QUEUE --redrive ID --reason WHY")
        return redrive_dead_letter(args.queue, args.redrive, args.reason or "", actor, deps)
    if args.queue:
        return [m.model_dump(mode="json") for m in peek_dead_letters(args.queue, deps, args.max)]
    return [q.model_dump() for q in queue_depths(deps)]


def _grant(args: argparse.Namespace, deps, actor: str) -> object:  # noqa: ANN001
    from uuid import UUID

    from bitten.domain.tiers import Tier
    from bitten.services.operator.tiers import grant_tier

    return grant_tier(UUID(args.trader_id), Tier(args.tier), args.days, args.reason, actor, deps)


def _setup(args: argparse.Namespace, deps, actor: str) -> object:  # noqa: ANN001
    from bitten.services.operator.setups import set_setup

    return set_setup(args.name, args.state == "on", args.reason, actor, deps)


def _refund(args: argparse.Namespace, deps, actor: str) -> object:  # noqa: ANN001
    from bitten.services.operator.tiers import refund_payment

    outcome = refund_payment(args.charge_id, args.reason, actor, deps)
    if outcome in ("unknown", "not_stars"):
        raise ValueError(f"{args.charge_id}: {outcome}")
    return {"charge_id": args.charge_id, "outcome": outcome}


def _who(parser: argparse.ArgumentParser, reason: bool = True) -> None:
    parser.add_argument("--reason", required=reason, help="why (kept in the audit log)")
    parser.add_argument("--by", help="who (default: cli:<login name>)")


def add_commands(cmds: argparse._SubParsersAction) -> None:
    """Register the issue-13 actions under `bitten ops`."""
    tiers = ["PRESS_PASS", "NIBBLER", "FANG", "COMMANDER"]
    c = cmds.add_parser("broadcast", help="message every trader, or one tier (audited)")
    c.add_argument("text")
    c.add_argument("--tier", choices=tiers, help="only this tier's traders")
    _who(c)
    c.set_defaults(func=run(_broadcast))
    c = cmds.add_parser("dlq", help="queue depths; a queue's dead letters; --redrive ID")
    c.add_argument("queue", nargs="?", help="signals, alerts, fires or game")
    c.add_argument("--max", type=int, default=10, help="dead letters to show (1-10)")
    c.add_argument("--redrive", metavar="MESSAGE_ID", help="move this dead letter back")
    _who(c, reason=False)
    c.set_defaults(func=run(_dlq))
    c = cmds.add_parser("grant-tier", help="grant a tier for DAYS (PRESS_PASS revokes grants)")
    c.add_argument("trader_id")
    c.add_argument("--tier", choices=tiers, required=True)
    c.add_argument("--days", type=int, default=30)
    _who(c)
    c.set_defaults(func=run(_grant))
    c = cmds.add_parser("setup", help="switch a VENOM setup on or off (audited)")
    c.add_argument("state", choices=["on", "off"])
    c.add_argument("name", help="asian_fade, late_fade")
    _who(c)
    c.set_defaults(func=run(_setup))
    c = cmds.add_parser("refund", help="refund a Stars payment and revert its tier (audited)")
    c.add_argument("charge_id", help="telegram_payment_charge_id")
    _who(c)
    c.set_defaults(func=run(_refund))
