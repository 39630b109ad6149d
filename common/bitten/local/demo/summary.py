"""The demo's closing line: what happened, and proof that nothing was lost or sent twice."""

from __future__ import annotations

from collections import Counter
from typing import Any

from bitten import bootstrap, logs
from bitten.local.demo import game
from bitten.services.logs import log_row_count

log = logs.get("demo")

COUNTS = {
    "signals": "SELECT count(*) FROM signals",
    "missions": "SELECT count(*) FROM missions",
    "alerts": "SELECT count(*) FROM alerts",
    "fires_requested": "SELECT count(*) FROM trace_events WHERE hop = 'fire_requested'",
    "missions_fired": "SELECT count(*) FROM fires WHERE state = 'filled'",
    "fills": "SELECT count(*) FROM positions",
    "closed": "SELECT count(*) FROM positions WHERE closed_at IS NOT NULL",
    "duplicates_blocked": "SELECT count(*) FROM trace_events WHERE hop = 'duplicate_blocked'",
    "reconciled": "SELECT count(*) FROM trace_events WHERE hop = 'order_reconciled'",
    "refused_offline": "SELECT count(*) FROM trace_events WHERE hop IN ('fire_released', "
    "'fire_refused') AND detail->>'code' = 'terminal_offline'",
    "refused_paused": "SELECT count(*) FROM trace_events WHERE hop IN ('fire_released', "
    "'fire_refused') AND detail->>'code' = 'paused'",
    "resized": "SELECT count(*) FROM trace_events WHERE hop = 'fire_resized'",
}
OPS_COUNTS = {"audited_actions": "SELECT count(*) FROM audit_log"}  # issue 13: pause, broadcast...
INJECTED = ("reconciled", "refused_offline", "refused_paused", "resized")
STAGES = ("signals", "missions", "alerts", "fires_requested", "orders", "fills", "closed")
# issue 12: the game beside the trades (a referral's recruit turns active by firing)
GAME_STAGES = ("xp_events", "drill_reports", "achievements", "plan_refusals", "recruits_active")
OPS_STAGES = ("audited_actions", "log_rows")  # issue 13: the operators' side of the night
LOST = {
    "mission_without_alert": "SELECT count(*) FROM missions m LEFT JOIN alerts a "
    "ON a.mission_id = m.id WHERE a.mission_id IS NULL",
    "fire_without_outcome": "SELECT count(*) FROM missions WHERE status = 'fire_requested'",
    "fire_not_final": "SELECT count(*) FROM fires "
    "WHERE state NOT IN ('filled', 'rejected', 'released')",
    "filled_without_position": "SELECT count(*) FROM fires f LEFT JOIN positions p "
    "ON p.mission_id = f.mission_id WHERE f.state = 'filled' AND p.mission_id IS NULL",
}


def _scalar(cur: Any, sql: str) -> int:
    cur.execute(sql)
    return int(next(iter(cur.fetchone().values())))


def summarize(stack: Any, platform: Any, fire_taps: int) -> dict[str, int]:
    uow = bootstrap.uow(platform.settings)
    log_rows = log_row_count(uow)
    with uow.db.tx() as cur:
        summary = {k: _scalar(cur, sql) for k, sql in (COUNTS | game.COUNTS | OPS_COUNTS).items()}
        lost = Counter({k: _scalar(cur, sql) for k, sql in (LOST | game.LOST).items()})
        twice = Counter({k: _scalar(cur, sql) for k, sql in game.TWICE.items()})
        cur.execute("SELECT telegram_id FROM traders")
        chats = [int(r["telegram_id"]) for r in cur.fetchall()]
    twice["received_twice"] = game.received_twice(stack.telegram, chats)
    summary["double_awards"] = sum(twice.values())
    summary["log_rows"] = log_rows
    per_mission = Counter(r.client_id for r in stack.paper.book.orders())
    summary["orders"] = len(per_mission)
    lost["dead_letters"] = _dead_letters(stack)
    errors = Counter({"orders_sent_twice": sum(1 for n in per_mission.values() if n > 1)})
    errors["orders_not_fired"] = abs(len(per_mission) - summary["missions_fired"])
    errors["handler_failures"] = platform.failures
    summary["errors"] = sum(errors.values())
    summary["lost"] = sum(lost.values())
    log.info(
        "demo detail: taps=%s lost=%s errors=%s double=%s",
        fire_taps,
        dict(lost),
        dict(errors),
        dict(twice),
    )
    order = [
        "signals",
        "missions",
        "alerts",
        "fires_requested",
        "missions_fired",
        "orders",
        "fills",
        "closed",
        "duplicates_blocked",
        *INJECTED,
        *GAME_STAGES,
        *OPS_STAGES,
        "double_awards",
        "errors",
        "lost",
    ]
    return {k: summary[k] for k in order}


def failure(summary: dict[str, int]) -> str | None:
    """Why a demo run failed (a stage that never happened, anything lost or errored), else None."""
    problems = []
    empty = [stage for stage in STAGES + GAME_STAGES + OPS_STAGES if not summary[stage]]
    if empty:
        problems.append(f"empty stages: {', '.join(empty)}")
    missed = [fault for fault in INJECTED if not summary.get(fault, 1)]
    if missed:
        problems.append(f"injected faults that changed nothing: {', '.join(missed)}")
    if summary["orders"] != summary["missions_fired"]:
        problems.append(f"orders {summary['orders']} != missions_fired {summary['missions_fired']}")
    problems += [
        f"{key} {summary[key]}" for key in ("lost", "errors", "double_awards") if summary[key]
    ]
    return "; ".join(problems) or None


def _dead_letters(stack: Any) -> int:
    sqs = stack.aws.client("sqs")
    total = 0
    for logical in bootstrap.PLATFORM_QUEUES:
        url = stack.aws.queue_url(logical, dead_letter=True)
        attrs = sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        )["Attributes"]
        total += sum(int(v) for v in attrs.values())
    return total
