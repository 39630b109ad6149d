"""Metrics as CloudWatch Embedded Metric Format: one JSON line on stdout per measurement, which
CloudWatch Logs turns into metrics (no API call in the hot path). template.yaml's alarms and
dashboard name these constants; tests/integration/test_observability_template.py ties them."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from typing import TextIO

NAMESPACE = "BITTEN"
FIRE_LATENCY = "FireLatency"  # ms: FIRE tapped -> order sent to the broker (fire_execution)
ALERT_LAG = "AlertLag"  # seconds: signal emitted -> personal alert sent (alert_dispatch)
HEARTBEAT_AGE = "BrokerHeartbeatAge"  # seconds since the broker gateway's heartbeat (result_sync)
DRIFT_WARNINGS = "DriftWarnings"  # count: a setup's live results left its backtest's band
TELEGRAM_429 = "Telegram429"  # count: answers of 429 Too Many Requests from Telegram
SIGNALS = "SignalsEmitted"
MISSIONS = "MissionsCreated"
ALERTS = "AlertsSent"
FIRES = "FiresExecuted"
FILLS = "OrdersFilled"
UNITS = {
    FIRE_LATENCY: "Milliseconds",
    ALERT_LAG: "Seconds",
    HEARTBEAT_AGE: "Seconds",
    DRIFT_WARNINGS: "Count",
    TELEGRAM_429: "Count",
    SIGNALS: "Count",
    MISSIONS: "Count",
    ALERTS: "Count",
    FIRES: "Count",
    FILLS: "Count",
}
FLOW = (SIGNALS, MISSIONS, ALERTS, FIRES, FILLS)


class _Target:
    """Where EMF lines go: nowhere until configured (the local stack keeps stdout clean)."""

    stage: str | None = None
    stream: TextIO | None = None


_target = _Target()


def configure(stage: str, stream: TextIO | None = None) -> None:
    """Emit for `stage` to `stream` (None: the process's stdout, where Lambda reads EMF)."""
    _target.stage, _target.stream = stage, stream


def enabled() -> bool:
    """Whether measurements are written (skip work that only feeds them when not)."""
    return _target.stage is not None


def disable() -> None:
    _target.stage, _target.stream = None, None


def emit(name: str, values: Sequence[float], **dimensions: str) -> None:
    """One EMF line with `values` of metric `name`, by Stage (and by each extra dimension)."""
    if _target.stage is None or not values:
        return
    keys = {"Stage": _target.stage, **dimensions}
    rounded = [round(float(v), 3) for v in values]
    sets = [["Stage"]] + ([["Stage", *dimensions]] if dimensions else [])
    doc = {
        "_aws": {
            "Timestamp": int(time.time() * 1000),
            "CloudWatchMetrics": [
                {
                    "Namespace": NAMESPACE,
                    "Dimensions": sets,
                    "Metrics": [{"Name": name, "Unit": UNITS[name]}],
                }
            ],
        },
        **keys,
        name: rounded if len(rounded) > 1 else rounded[0],
    }
    try:
        (_target.stream or sys.stdout).write(json.dumps(doc) + "\n")
    except (OSError, ValueError):  # a closed stream never fails the work
        pass


def count(name: str, n: int) -> None:
    """A flow counter (signals, missions, alerts, fires, fills); zero is not written."""
    if n:
        emit(name, [n])


def fire_latency(ms: float) -> None:
    emit(FIRE_LATENCY, [ms])


def alert_lag(seconds: Sequence[float]) -> None:
    emit(ALERT_LAG, seconds)


def heartbeat_age(seconds: float) -> None:
    emit(HEARTBEAT_AGE, [seconds])


def telegram_429() -> None:
    emit(TELEGRAM_429, [1])


def drift_warning(setup: str) -> None:
    """Hook for the drift check: one warning for `setup` (alarm on any, dashboard by setup)."""
    emit(DRIFT_WARNINGS, [1], Setup=setup)
