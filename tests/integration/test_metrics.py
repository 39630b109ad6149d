"""The numbers the alarms and the dashboard read, written by the functions as CloudWatch EMF."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from bitten import metrics
from bitten.domain.broker import Heartbeat
from bitten.handlers import functions
from bitten.local.aws.event_source import sqs_event_for_bodies
from bitten.services.alerts import dispatch_alert
from bitten.services.fire_request import FireCommand, request_fire
from bitten.services.result_sync import sync_results
from factories import add_mission, add_trader


@pytest.fixture
def emf() -> Iterator[io.StringIO]:
    """EMF lines of stage 'test' into a buffer (stdout in Lambda); off again afterwards."""
    out = io.StringIO()
    metrics.configure("test", out)
    yield out
    metrics.disable()


def measured(out: io.StringIO) -> dict[str, list]:
    """metric name -> the values written, each line checked to be well-formed EMF."""
    found: dict[str, list] = {}
    for line in out.getvalue().splitlines():
        doc = json.loads(line)
        (directive,) = doc["_aws"]["CloudWatchMetrics"]
        assert directive["Namespace"] == "BITTEN" and doc["Stage"] == "test"
        assert ["Stage"] in directive["Dimensions"]
        for metric in directive["Metrics"]:
            value = doc[metric["Name"]]
            values = value if isinstance(value, list) else [value]
            found.setdefault(metric["Name"], []).extend(values)
    return found


class LaggingBroker:
    """The in-memory broker whose terminal heartbeat is `lag` behind, or disconnected."""

    def __init__(self, broker: Any, lag: timedelta | None) -> None:
        self.broker, self.lag = broker, lag

    def __getattr__(self, name: str) -> Any:
        return getattr(self.broker, name)

    def heartbeat(self) -> Heartbeat:
        now = self.broker.heartbeat().server_time
        if self.lag is None:
            return Heartbeat(connected=False, server_time=now)
        return Heartbeat(connected=True, server_time=now - self.lag)


def test_fire_latency_is_the_tap_to_the_order_sent_and_the_flow_is_counted(world, emf):
    # Given a trader's FIRE tapped, and fire_execution picking it up 250 ms later
    mission = add_mission(world, add_trader(world))
    command = FireCommand(mission.id, mission.trader_id, "hud", f"hud:{mission.id}")
    request_fire(command, world.fire_request_deps())
    world.clock.advance(timedelta(milliseconds=250))
    body = {"mission_id": str(mission.id), "attempt": 1}
    # When the fire_execution handler runs the message
    handler = functions.fire_execution(world.fire_exec_deps())
    handler(sqs_event_for_bodies([body], "bitten-test-fires.fifo", str(mission.trader_id)), None)
    # Then the latency, one fire and one fill are measured
    assert measured(emf) == {"FireLatency": [250.0], "FiresExecuted": [1], "OrdersFilled": [1]}


def test_alert_lag_is_the_signal_to_the_alert_sent(world, emf):
    mission = add_mission(world, add_trader(world))
    world.clock.advance(timedelta(seconds=4))
    assert dispatch_alert(mission.id, world.alert_deps())
    assert measured(emf) == {"AlertLag": [4.0]}


def test_result_sync_reports_the_heartbeat_age(world, emf):
    deps = world.sync_deps()
    deps.broker = LaggingBroker(world.broker, timedelta(seconds=45))
    assert sync_results(deps)["heartbeat"] == 1
    assert measured(emf) == {"BrokerHeartbeatAge": [45.0]}


def test_a_disconnected_terminal_writes_no_age_so_the_alarm_counts_it_stale(world, emf):
    deps = world.sync_deps()
    deps.broker = LaggingBroker(world.broker, None)
    assert sync_results(deps)["heartbeat"] == 0
    assert measured(emf) == {}


def test_nothing_is_written_until_configured_and_no_heartbeat_is_asked(world):
    metrics.disable()
    deps = world.sync_deps()
    assert "heartbeat" not in sync_results(deps)


def test_a_drift_warning_is_counted_by_stage_and_by_setup(emf):
    metrics.drift_warning("asian_fade")
    doc = json.loads(emf.getvalue())
    assert doc["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["Stage"], ["Stage", "Setup"]]
    assert (doc["Setup"], doc["DriftWarnings"]) == ("asian_fade", 1.0)
