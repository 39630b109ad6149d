"""make_handler per deployed function: parse the event, call one service, shape the response."""

from __future__ import annotations

from typing import Any

from bitten.handlers.messages import FireMessage, MissionMessage, SignalMessage
from bitten.handlers.runtime import Handler, sqs_batch
from bitten.services.alerts import dispatch_alert
from bitten.services.deps import AlertDeps, FanoutDeps, FireExecDeps, ScanDeps, SyncDeps
from bitten.services.fanout import fan_out_missions
from bitten.services.fire_execution import execute_fire
from bitten.services.result_sync import sync_results
from bitten.services.scan import scan_signals


def signal_scan(deps: ScanDeps) -> Handler:
    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        signals = scan_signals(deps)
        return {"signals": [str(s.id) for s in signals]}

    return handler


def mission_fanout(deps: FanoutDeps) -> Handler:
    return sqs_batch(SignalMessage, lambda m, _: fan_out_missions(m.signal_id, deps), "fanout")


def alert_dispatch(deps: AlertDeps) -> Handler:
    return sqs_batch(MissionMessage, lambda m, _: dispatch_alert(m.mission_id, deps), "alerts")


def fire_execution(deps: FireExecDeps) -> Handler:
    return sqs_batch(
        FireMessage, lambda m, mid: execute_fire(m.mission_id, mid, deps, m.attempt), "fire"
    )


def result_sync(deps: SyncDeps) -> Handler:
    def handler(event: dict[str, Any], context: Any) -> dict[str, int]:
        return dict(sync_results(deps))

    return handler
