"""Each function's handler invoked with the event shapes AWS sends (SQS batches, EventBridge)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest

from bitten.adapters.market_data import CandleReplayFeed
from bitten.domain.mission import MissionStatus
from bitten.handlers import functions
from factories import (
    T0,
    add_mission,
    add_trader,
    buy_eurusd_on_last_bar,
    market,
    store_signal,
)

QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:bitten-local-{}"


def sqs_event(queue: str, *bodies: Any) -> dict[str, Any]:
    """An SQS -> Lambda event; dict bodies are JSON-encoded, strings are sent as they are."""
    records = []
    for body in bodies:
        text = body if isinstance(body, str) else json.dumps(body)
        records.append(
            {
                "messageId": str(uuid.uuid4()),
                "receiptHandle": f"handle-{uuid.uuid4().hex}",
                "body": text,
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1704708000000",
                    "SenderId": "AIDAEXAMPLE",
                    "ApproximateFirstReceiveTimestamp": "1",
                },
                "messageAttributes": {},
                "md5OfBody": "0" * 32,
                "eventSource": "aws:sqs",
                "eventSourceARN": QUEUE_ARN.format(queue),
                "awsRegion": "us-east-1",
            }
        )
    return {"Records": records}


def scheduled_event() -> dict[str, Any]:
    """What EventBridge sends a scheduled function."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": T0.isoformat(),
        "region": "us-east-1",
        "resources": ["arn:aws:events:us-east-1:123456789012:rule/scan"],
        "detail": {},
    }


def failed_ids(result: dict) -> list[str]:
    return [f["itemIdentifier"] for f in result["batchItemFailures"]]


def test_fanout_reports_only_the_malformed_message_and_processes_the_good_one(world):
    # Given a batch with a non-JSON body and a real signal
    add_trader(world)
    signal = store_signal(world)
    event = sqs_event("signals", "{not json", {"signal_id": str(signal.id)})
    # When the fanout handler runs
    result = functions.mission_fanout(world.fanout_deps())(event, None)
    # Then only the malformed message is returned for retry/DLQ; the good one made a mission
    assert failed_ids(result) == [event["Records"][0]["messageId"]]
    assert len(world.rows("SELECT 1 FROM missions WHERE signal_id = %s", signal.id)) == 1


@pytest.mark.parametrize(
    "bad",
    [{"signal_id": "not-a-uuid"}, {"signal": "x"}, ["a list"], {"signal_id": str(uuid.uuid4())}],
)
def test_fanout_fails_each_bad_body_on_its_own(world, bad):
    # Given a wrong shape, a wrong field, or a signal that does not exist
    event = sqs_event("signals", bad)
    result = functions.mission_fanout(world.fanout_deps())(event, None)
    assert failed_ids(result) == [event["Records"][0]["messageId"]]


def test_alert_dispatch_reports_only_the_unknown_mission(world):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    event = sqs_event("alerts", {"mission_id": str(uuid.uuid4())}, {"mission_id": str(mission.id)})
    result = functions.alert_dispatch(world.alert_deps())(event, None)
    assert failed_ids(result) == [event["Records"][0]["messageId"]]
    (personal,) = world.notifier.messages_to(trader.telegram_id)
    assert personal["buttons"][0][0].callback_data == f"fire:{mission.id}"


def test_fire_execution_with_a_duplicate_in_the_batch_sends_one_order(world):
    # Given a requested fire, delivered twice in one batch next to a body with an extra field
    mission = add_mission(world, add_trader(world), status=MissionStatus.FIRE_REQUESTED)
    body = {"mission_id": str(mission.id)}
    event = sqs_event("fires.fifo", body, {**body, "extra": 1}, body)
    # When the fire_execution handler runs
    result = functions.fire_execution(world.fire_exec_deps())(event, None)
    # Then only the malformed record fails and exactly one order reached the broker
    assert failed_ids(result) == [event["Records"][1]["messageId"]]
    assert len(world.broker.sent) == 1
    assert world.rows("SELECT state FROM fires") == [{"state": "filled"}]


def test_fire_execution_of_a_mission_never_fired_is_a_failure(world):
    mission = add_mission(world, add_trader(world))  # still open: nobody tapped FIRE
    event = sqs_event("fires.fifo", {"mission_id": str(mission.id)})
    result = functions.fire_execution(world.fire_exec_deps())(event, None)
    assert failed_ids(result) == [event["Records"][0]["messageId"]]
    assert world.broker.sent == []


def test_signal_scan_on_its_schedule_returns_the_new_signal_ids(world):
    handler = functions.signal_scan(
        world.scan_deps(buy_eurusd_on_last_bar, CandleReplayFeed(market()))
    )
    result = handler(scheduled_event(), None)
    stored = [str(r["id"]) for r in world.rows("SELECT id FROM signals")]
    assert result == {"signals": stored} and len(stored) == 1
    assert handler(scheduled_event(), None) == {"signals": []}  # same minute again


def test_result_sync_on_its_schedule_expires_missions_and_reports_counts(world):
    mission = add_mission(world, add_trader(world))
    world.clock.advance(timedelta(minutes=11))
    result = functions.result_sync(world.sync_deps())(scheduled_event(), None)
    assert result == {"expired": 1, "closed": 0, "snapshots": 1}
    status = world.rows("SELECT status FROM missions WHERE id = %s", mission.id)
    assert status == [{"status": "expired"}]
    assert json.dumps(result)  # a Lambda return value must serialise
