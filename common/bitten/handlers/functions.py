"""make_handler per deployed function: parse the event, call one service, shape the response."""

from __future__ import annotations

from typing import Any

from bitten import metrics
from bitten.handlers.messages import FireMessage, MissionMessage, SignalMessage
from bitten.handlers.runtime import Handler, sqs_batch, sqs_batch_together
from bitten.services.alerts import dispatch_alerts
from bitten.services.deps import (
    AlertDeps,
    FanoutDeps,
    FireExecDeps,
    ScanDeps,
    SyncDeps,
    UpkeepDeps,
)
from bitten.services.fanout import fan_out_missions
from bitten.services.fire_execution import execute_fire
from bitten.services.result_sync import sync_results
from bitten.services.scan import scan_signals
from bitten.services.upkeep import run_upkeep


def signal_scan(deps: ScanDeps) -> Handler:
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        signals = scan_signals(deps)
        metrics.count(metrics.SIGNALS, len(signals))
        return {"signals": [str(s.id) for s in signals]}

    return handler


def mission_fanout(deps: FanoutDeps) -> Handler:
    def work(message: SignalMessage, _: str) -> None:
        metrics.count(metrics.MISSIONS, fan_out_missions(message.signal_id, deps)["created"])

    return sqs_batch(SignalMessage, work, "fanout")


def alert_dispatch(deps: AlertDeps) -> Handler:
    """The whole batch at once: one load, one paced send, one record (failed ones retried)."""

    def work(messages: list[MissionMessage]) -> set[int]:
        outcome = dispatch_alerts([m.mission_id for m in messages], deps)
        metrics.count(metrics.ALERTS, sum(1 for o in outcome.values() if o == "sent"))
        failed = {"failed", "missing"}
        return {i for i, m in enumerate(messages) if outcome.get(m.mission_id) in failed}

    return sqs_batch_together(MissionMessage, work, "alerts")


def fire_execution(deps: FireExecDeps) -> Handler:
    def work(message: FireMessage, message_id: str) -> None:
        outcome = execute_fire(message.mission_id, message_id, deps, message.attempt)
        metrics.count(metrics.FIRES, int(outcome != "duplicate"))
        metrics.count(metrics.FILLS, int(outcome == "filled"))

    return sqs_batch(FireMessage, work, "fire")


def trader_upkeep(deps: UpkeepDeps) -> Handler:
    def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
        return dict(run_upkeep(deps))

    return handler


def result_sync(deps: SyncDeps) -> Handler:
    def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
        return dict(sync_results(deps))

    return handler
