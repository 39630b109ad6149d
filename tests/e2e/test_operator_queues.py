"""Queues and dead letters for operators (issue 13), on moto with the template's redrive
policies: a poison message lands in its DLQ through the real handlers, is peeked (and stays),
redriven with an audit row keeping its body, and processed once its cause is fixed."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest

from bitten import bootstrap
from bitten.adapters.clock import VirtualClock
from bitten.domain.operator import UnknownTarget
from bitten.local.platform import LocalPlatform
from bitten.local.stack import LocalStack
from bitten.services.operator.queues import peek_dead_letters, queue_depths, redrive_dead_letter
from factories import World, add_trader, make_signal, market

ANA = "trader:ana"


@pytest.fixture
def local(settings):
    clock = VirtualClock(datetime(2024, 1, 8, 10, 0, tzinfo=UTC))
    bare = settings.model_copy(
        update={"telegram_bot_token": None, "bitten_stage": f"opsq{uuid.uuid4().hex[:6]}"}
    )
    stack = LocalStack(bare, clock, market())
    live = stack.start()
    yield stack, LocalPlatform.build(live, clock), World(live, clock, stack.paper)
    stack.stop()


def depth_of(deps, name: str) -> tuple[int, int]:
    (row,) = [q for q in queue_depths(deps) if q.name == name]
    return row.depth, row.dead_letters


def test_a_poison_signal_is_parked_peeked_redriven_and_then_processed(local):
    stack, platform, world = local
    sqs = stack.aws.client("sqs")
    deps = bootstrap.build_ops_deps(platform.settings, clock=platform.clock)
    trader = add_trader(world)
    # Given a signal message that arrived before its row (mission_fanout fails on it)
    signal = make_signal()
    body = {"signal_id": str(signal.id)}
    sqs.send_message(QueueUrl=stack.aws.queue_url("signals"), MessageBody=json.dumps(body))
    # When the real handler has tried it maxReceiveCount times
    platform.drain_queues(sqs, rounds=5)
    # Then it sits in the signals DLQ: the depths say so, and a peek shows it and leaves it
    assert depth_of(deps, "signals") == (0, 1)
    (peeked,) = peek_dead_letters("signals", deps)
    assert peeked.body == body and peeked.receive_count >= 3 and peeked.sent_at is not None
    assert [m.message_id for m in peek_dead_letters("signals", deps)] == [peeked.message_id]
    # When its cause is fixed (the row exists) and an operator redrives it
    with world.uow() as repos:
        repos.signals.add(signal)
    redrive_dead_letter("signals", peeked.message_id, "signal row restored", ANA, deps)
    # Then the DLQ is empty, and the next drain creates the trader's mission from it
    assert depth_of(deps, "signals") == (1, 0)
    platform.drain_queues(sqs)
    missions = world.rows("SELECT trader_id, signal_id FROM missions")
    assert missions == [{"trader_id": trader.id, "signal_id": signal.id}]
    # And the audit row keeps what was moved, and from where
    (row,) = world.rows("SELECT actor, action, target, reason, before, after FROM audit_log")
    assert (row["action"], row["target"], row["reason"]) == (
        "redrive",
        "signals",
        "signal row restored",
    )
    assert row["before"]["body"] == body and row["before"]["queue"] == "signals-dlq"
    assert row["after"] == {"queue": "signals", "message_id": peeked.message_id}


def test_a_fifo_dead_letter_goes_back_to_its_group_and_an_unknown_one_is_refused(local):
    stack, platform, world = local
    sqs = stack.aws.client("sqs")
    deps = bootstrap.build_ops_deps(platform.settings, clock=platform.clock)
    # Given a malformed fire request parked in the fires DLQ (FIFO)
    fires = stack.aws.queue_url("fires")
    sqs.send_message(
        QueueUrl=fires,
        MessageBody='{"mission_id": "nope"',
        MessageGroupId="trader-7",
        MessageDeduplicationId="m:1",
    )
    platform.drain_queues(sqs, rounds=5)
    (dead,) = peek_dead_letters("fires", deps)
    assert dead.body == '{"mission_id": "nope"'  # not JSON: shown as the raw text
    # When an unknown message or queue is redriven, nothing moves and nothing is audited
    with pytest.raises(UnknownTarget, match="no message"):
        redrive_dead_letter("fires", str(uuid.uuid4()), "retry", ANA, deps)
    with pytest.raises(UnknownTarget, match="signals, alerts, fires, game"):
        redrive_dead_letter("orders", dead.message_id, "retry", ANA, deps)
    assert world.rows("SELECT 1 FROM audit_log") == []
    # When it is redriven
    redrive_dead_letter("fires", dead.message_id, "retry after fix", ANA, deps)
    # Then it is back on the fires queue in its trader's group, and gone from the DLQ
    got = sqs.receive_message(
        QueueUrl=fires, MessageSystemAttributeNames=["MessageGroupId"], MaxNumberOfMessages=10
    )["Messages"]
    assert [(m["Body"], m["Attributes"]["MessageGroupId"]) for m in got] == [
        ('{"mission_id": "nope"', "trader-7")
    ]
    assert peek_dead_letters("fires", deps) == []


def test_bitten_ops_dlq_lists_depths_and_redrives_from_the_shell(local, monkeypatch, capsys):
    from bitten.cli import main

    stack, platform, world = local
    s = platform.settings
    env = {
        "DATABASE_URL": s.database_url,
        "AWS_ENDPOINT_URL": s.aws_endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "BITTEN_STAGE": s.bitten_stage,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sqs = stack.aws.client("sqs")
    sqs.send_message(QueueUrl=stack.aws.queue_url("alerts"), MessageBody="{broken")
    platform.drain_queues(sqs, rounds=5)
    # When an operator lists the queues' dead letters, then the alerts DLQ, from the shell
    assert main(["ops", "dlq", "alerts"]) == 0
    (dead,) = json.loads(capsys.readouterr().out)
    assert dead["body"] == "{broken"
    assert main(["ops", "dlq"]) == 0
    depths = {q["name"]: q["dead_letters"] for q in json.loads(capsys.readouterr().out)}
    assert depths == {"signals": 0, "alerts": 1, "fires": 0, "game": 0}
    # Then a redrive without a reason is refused, and one with a reason moves it, audited
    assert main(["ops", "dlq", "alerts", "--redrive", dead["message_id"]]) == 2
    assert "a reason is required" in capsys.readouterr().err
    redrive = ["ops", "dlq", "alerts", "--redrive", dead["message_id"], "--reason", "retry"]
    assert main([*redrive, "--by", "ana"]) == 0
    assert world.rows("SELECT actor, action, target FROM audit_log") == [
        {"actor": "ana", "action": "redrive", "target": "alerts"}
    ]
