"""The operators' day on the local stack (issue 13): over HTTP and from the bot in the Telegram
emulator, an operator pauses firing and the next FIRE is refused, broadcasts, redrives a dead
letter and resumes, and the next FIRE goes through; every action is in the audit log."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import pytest

from bitten import bootstrap
from bitten.adapters.clock import VirtualClock
from bitten.adapters.hud_auth import JwtSessionTokens
from bitten.adapters.postgres.pacer import PostgresSendPacer
from bitten.domain.pacing import Priority, SlotRequest
from bitten.domain.tiers import Tier
from bitten.local.api_server import ApiServer
from bitten.local.demo.replay import set_webhook
from bitten.local.platform import LocalPlatform
from bitten.local.stack import LocalStack
from bitten.services.game.dispatch import NoticeDeferred, dispatch_notice
from bitten.services.operator.broadcast import broadcast
from factories import World, add_mission, add_trader, make_signal, market, store_signal

T0 = datetime(2024, 1, 8, 10, 0, tzinfo=UTC)
BOSS = 4243  # the operator's Telegram id (OPERATOR_TELEGRAM_IDS)


@dataclass
class Local:
    stack: LocalStack
    platform: LocalPlatform
    world: World
    api: str

    @property
    def emulator(self):
        return self.stack.telegram

    def drain(self, rounds: int = 3) -> None:
        self.platform.drain_queues(self.stack.aws.client("sqs"), rounds=rounds)

    def trader(self, tier: Tier = Tier.FANG):
        trader = add_trader(self.world, tier)
        self.emulator.user(trader.telegram_id, "Trader")
        return trader

    def token(self, trader, role: str = "trader") -> dict:
        now = datetime.now(UTC)  # the local stack dates sessions on the wall clock
        issued = JwtSessionTokens(self.platform.settings.jwt_secret).issue(trader.id, now, role)
        return {"Authorization": f"Bearer {issued}"}

    def poison_signal(self):
        """A signal message whose row is not there yet: mission_fanout fails it into the DLQ."""
        signal = make_signal("USDJPY", created_at=T0, ttl_minutes=30)
        url = self.stack.aws.queue_url("signals")
        body = json.dumps({"signal_id": str(signal.id)})
        self.stack.aws.client("sqs").send_message(QueueUrl=url, MessageBody=body)
        self.drain(rounds=5)
        return signal

    def chat(self, telegram_id: int) -> list[dict]:
        assert self.emulator.flush(timeout=30), "webhook deliveries still pending"
        return self.emulator.messages_in(telegram_id)

    def say(self, telegram_id: int, text: str) -> dict:
        self.emulator.send_text(telegram_id, text)
        return self.chat(telegram_id)[-1]


@pytest.fixture
def local(settings) -> Iterator[Local]:
    clock = VirtualClock(T0)
    bare = settings.model_copy(
        update={
            "telegram_bot_token": None,
            "hud_base_url": None,
            "api_port": 0,
            "bitten_stage": f"throne{uuid.uuid4().hex[:6]}",  # moto keeps queues per process
            "operator_telegram_ids": str(BOSS),
        }
    )
    stack = LocalStack(bare, clock, market())
    live = stack.start()
    platform = LocalPlatform.build(live, clock)
    server = ApiServer(platform.api, live.api_host, live.api_port)
    try:
        url = server.start()
        set_webhook(stack, url)
        yield Local(stack, platform, World(live, clock, stack.paper), url)
    finally:
        server.stop()
        stack.stop()


def post(local: Local, path: str, headers: dict, body: dict) -> httpx.Response:
    return httpx.post(f"{local.api}{path}", headers=headers, json=body, timeout=30)


def get(local: Local, path: str, headers: dict) -> httpx.Response:
    return httpx.get(f"{local.api}{path}", headers=headers, timeout=30)


def test_pause_refuses_fire_then_broadcast_redrive_resume_and_fire_goes_through(local):
    boss, ana, nib = (
        local.trader(Tier.COMMANDER),
        local.trader(Tier.FANG),
        local.trader(Tier.NIBBLER),
    )
    ops, hud = local.token(boss, "operator"), local.token(ana)
    mission = add_mission(local.world, ana, store_signal(local.world, make_signal(ttl_minutes=30)))
    # When the operator pauses firing / Then Ana's FIRE is refused with the reason
    why = {"paused": True, "reason": "broker incident"}
    assert post(local, "/api/ops/switches/firing", ops, why).status_code == 200
    refused = post(local, f"/api/missions/{mission.id}/fire", hud, {})
    assert refused.status_code == 503
    assert refused.json()["error"] == "firing paused by operators: broker incident"
    # When the operator broadcasts to FANG / Then Ana gets it once, the NIBBLER trader nothing
    sent = post(
        local,
        "/api/ops/broadcast",
        ops,
        {"text": "Firing paused: broker incident", "tier": "FANG", "reason": "tell them"},
    )
    assert sent.status_code == 202 and sent.json()["recipients"] == 1
    local.drain()
    assert [m["text"] for m in local.chat(ana.telegram_id)] == ["Firing paused: broker incident"]
    assert local.chat(nib.telegram_id) == []
    # When a poison message is parked in the signals DLQ, its cause fixed, and it is redriven
    signal = local.poison_signal()
    queues = {q["name"]: q for q in get(local, "/api/ops/queues", ops).json()["queues"]}
    assert set(queues) == {"signals", "alerts", "fires", "game"}
    assert queues["signals"]["dead_letters"] == 1
    (dead,) = get(local, "/api/ops/dlq/signals?max=5", ops).json()["messages"]
    assert dead["body"] == {"signal_id": str(signal.id)}
    with local.world.uow() as repos:
        repos.signals.add(signal)
    moved = post(
        local,
        "/api/ops/dlq/signals/redrive",
        ops,
        {"message_id": dead["message_id"], "reason": "row restored"},
    )
    assert moved.json() == {"redriven": dead["message_id"]}
    local.drain()
    assert len(local.world.rows("SELECT 1 FROM missions WHERE signal_id = %s", signal.id)) == 3
    # When firing is resumed / Then Ana's next FIRE goes through to a fill
    assert (
        post(
            local, "/api/ops/switches/firing", ops, {"paused": False, "reason": "fixed"}
        ).status_code
        == 200
    )
    assert post(local, f"/api/missions/{mission.id}/fire", hud, {}).status_code == 202
    local.drain()
    status = local.world.rows("SELECT status FROM missions WHERE id = %s", mission.id)
    assert status == [{"status": "filled"}]
    # And the audit table has each action with who, why, before and after
    rows = local.world.rows(
        "SELECT actor, action, reason, before, after FROM audit_log ORDER BY id"
    )
    assert [(r["action"], r["reason"]) for r in rows] == [
        ("pause_firing", "broker incident"),
        ("broadcast", "tell them"),
        ("redrive", "row restored"),
        ("resume_firing", "fixed"),
    ]
    assert {r["actor"] for r in rows} == {f"trader:{boss.id}"}
    assert rows[0]["before"]["paused"] is False and rows[0]["after"]["paused"] is True
    assert rows[2]["before"]["body"] == {"signal_id": str(signal.id)}


def test_the_operator_bot_commands_pause_broadcast_redrive_and_resume(local):
    local.emulator.user(BOSS, "Boss")
    local.say(BOSS, "/start")
    ana = local.trader(Tier.FANG)
    # When a trader tries an operator command / Then it is the help, and nothing changes
    assert "/start" in local.say(ana.telegram_id, "/pause firing because")["text"]
    # When the operator pauses firing from the bot
    assert (
        local.say(BOSS, "/pause firing broker incident")["text"] == "firing PAUSED: broker incident"
    )
    # Then /throne shows it with a button to the Throne page
    throne = local.say(BOSS, "/throne")
    assert "firing: PAUSED by telegram:4243: broker incident" in throne["text"]
    assert "pause_firing" in throne["text"]
    (button,) = throne["reply_markup"]["inline_keyboard"][0]
    assert button["web_app"]["url"] == f"{local.api}/throne"
    # When they broadcast to FANG / Then Ana gets it
    answer = local.say(BOSS, "/broadcast FANG Back soon\nreason: incident notice")
    assert answer["text"] == "Broadcast queued for the FANG traders: 1 recipient(s)."
    local.drain()
    assert local.chat(ana.telegram_id)[-1]["text"] == "Back soon"
    # When a dead letter waits and the operator presses Redrive under /dlq
    signal = local.poison_signal()
    shown = local.say(BOSS, "/dlq")
    assert "signals: 0 waiting · 1 dead" in shown["text"] and str(signal.id) in shown["text"]
    (redrive,) = shown["reply_markup"]["inline_keyboard"][0]
    query = local.emulator.press(BOSS, shown["message_id"], redrive["callback_data"])
    local.chat(BOSS)
    assert local.emulator.answer_for(query)["text"] == "Redriven to signals."
    # And they resume
    assert local.say(BOSS, "/resume firing fixed")["text"] == "firing running again: fixed"
    rows = local.world.rows("SELECT actor, action, reason FROM audit_log ORDER BY id")
    assert [(r["action"], r["reason"]) for r in rows] == [
        ("pause_firing", "broker incident"),
        ("broadcast", "incident notice"),
        ("redrive", "bot redrive"),
        ("resume_firing", "fixed"),
    ]
    assert {r["actor"] for r in rows} == {f"telegram:{BOSS}"}


def test_a_broadcast_waits_while_fresh_alerts_hold_the_lanes(local):
    # Given a broadcast owed to a trader, and 60 fresh alerts another instance just queued
    ana = local.trader()
    settings, clock = local.platform.settings, local.platform.clock
    stored_only = bootstrap.build_ops_deps(settings, clock=clock, notices_queue=None)
    broadcast("Weekly recap", None, "recap", "cli:ana", stored_only)
    (notice,) = local.world.rows("SELECT id FROM game_notices")
    pacer = PostgresSendPacer(local.platform.settings.database_url)
    pacer.reserve([SlotRequest(chat_id=-i, priority=Priority.ALERT) for i in range(1, 61)])
    send = bootstrap.build_game_dispatch_deps(local.platform.settings, clock=local.platform.clock)
    # When game_dispatch tries to send it / Then it is put off, and nothing reached Telegram
    with pytest.raises(NoticeDeferred, match="busy"):
        dispatch_notice(notice["id"], send)
    assert local.chat(ana.telegram_id) == []
    # And once the alerts have gone (about two seconds at Telegram's rate), it is sent
    time.sleep(2.5)
    assert dispatch_notice(notice["id"], send) == "sent"
    assert [m["text"] for m in local.chat(ana.telegram_id)] == ["Weekly recap"]
    pacer.close()
