"""`bitten bench fire` (per-hop latency of N fires through the local stack) and
`bitten bench fire-race` (one mission fired by a burst of requests and presses, per round)."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

WEEKDAY = datetime(2024, 1, 10, 12, 0, tzinfo=UTC)  # replayed market: open, prices flat
HOPS = ("fire_requested", "fire_locked", "order_sent", "broker_fill")


def _stack(name: str) -> Any:
    from bitten.adapters.clock import OffsetClock
    from bitten.cli import _settings
    from bitten.local.harness import flat_market, running

    clock = OffsetClock.at(WEEKDAY)  # real time passing, on a weekday
    return running(_settings(), clock, flat_market(WEEKDAY - timedelta(hours=3), 720), name)


def _missions(h: Any, count: int) -> list[dict[str, Any]]:
    """`count` COMMANDER traders, each with an open mission on one signal (real fan-out)."""
    from bitten import bootstrap
    from bitten.adapters.sqs import InMemoryMessageQueue
    from bitten.local.harness import seed_signal, seed_traders
    from bitten.services.fanout import fan_out_missions

    seed_traders(h, count, chats=True)
    signal = seed_signal(h, ttl=60)
    deps = bootstrap.build_fanout_deps(
        h.settings, clock=h.clock, alerts_queue=InMemoryMessageQueue()
    )
    fan_out_missions(signal.id, deps)
    return h.sql("SELECT id, trader_id FROM missions WHERE signal_id = %s", signal.id)


def bench_fire(args: argparse.Namespace) -> int:
    """Fire N missions over HTTP while the fires queue is polled into fire_execution."""
    import httpx

    from bitten.adapters.hud_auth import JwtSessionTokens
    from bitten.local.aws.event_source import SqsPoller

    with _stack("fire") as h:
        missions = _missions(h, args.n)
        tokens = JwtSessionTokens(h.settings.jwt_secret)
        sqs, url = h.stack.aws.client("sqs"), h.stack.aws.queue_url("fires")
        handler = h.platform.handlers["fire_execution"]
        # Lambda runs fire_execution instances side by side, one FIRE each (BatchSize 1)
        pollers = [
            SqsPoller(
                sqs, url, handler, function_name="fire_execution", batch_size=1, wait_time_s=1
            )
            for _ in range(args.pollers)
        ]
        for poller in pollers:
            poller.start()
        try:
            with httpx.Client(base_url=h.api_url, timeout=30) as http:
                for m in missions:
                    token = tokens.issue(m["trader_id"], h.clock.now())
                    url = f"/api/missions/{m['id']}/fire"
                    http.post(url, headers={"Authorization": f"Bearer {token}"})
                    time.sleep(1 / args.rate)
            _wait_for(h, "broker_fill", len(missions), 120)
        finally:
            for poller in pollers:
                poller.stop()
        return _latency_report(args, h)


def _wait_for(h: Any, hop: str, count: int, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if h.sql("SELECT count(*) AS n FROM trace_events WHERE hop = %s", hop)[0]["n"] >= count:
            return
        time.sleep(0.1)


def _latency_report(args: argparse.Namespace, h: Any) -> int:
    rows = h.sql(
        "SELECT mission_id, hop, at, detail FROM trace_events WHERE hop = ANY(%s)", list(HOPS)
    )
    by_mission: dict[Any, dict[str, Any]] = {}
    for r in rows:
        by_mission.setdefault(r["mission_id"], {})[r["hop"]] = r
    complete = [m for m in by_mission.values() if all(hop in m for hop in HOPS)]
    hops = _hops(complete)
    ours = [a + b for a, b in zip(hops["request_to_lock"], hops["lock_to_sent"], strict=True)]
    per_hop = {k: _percentiles(v) for k, v in hops.items()}
    summary: dict[str, Any] = {"n": len(complete), **_percentiles(ours), "hops": per_hop}
    print(
        f"{len(complete)} of {args.n} fires filled; ms from FIRE request to order sent, "
        "the broker's own time left out (per hop below; sent_to_fill is the broker's):"
    )
    for name, figures in per_hop.items():
        print(f"  {name:22s} {figures}")
    print(json.dumps(summary))
    return 0 if len(complete) == args.n else 1


def _hops(complete: list[dict[str, Any]]) -> dict[str, list[float]]:
    def ms(m: dict[str, Any], a: str, b: str) -> float:
        return (m[b]["at"] - m[a]["at"]).total_seconds() * 1000

    routing = [float(m["order_sent"]["detail"].get("broker_ms") or 0) for m in complete]
    return {
        "request_to_lock": [ms(m, "fire_requested", "fire_locked") for m in complete],
        "lock_to_sent": [
            ms(m, "fire_locked", "order_sent") - r for m, r in zip(complete, routing, strict=True)
        ],
        "router_broker_calls": routing,
        "sent_to_fill": [ms(m, "order_sent", "broker_fill") for m in complete],
    }


def _percentiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "p99_ms": 0.0}
    q = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1), "p99_ms": round(q[98], 1)}


def bench_fire_race(args: argparse.Namespace) -> int:
    """Per round: a new mission, its alert, then `concurrency` HUD requests and 20 FIRE presses
    at the same instant; the broker's orders for that mission are counted."""
    with _stack("race") as h:
        orders, errors = [], 0
        for _ in range(args.rounds):
            count, failed = _race_round(h, args.concurrency)
            orders.append(count)
            errors += failed
    summary = {
        "rounds": args.rounds,
        "concurrency": args.concurrency,
        "orders_per_mission": orders,
        "connection_errors": errors,
    }
    print(f"orders per mission: {Counter(orders)}; connection errors: {errors}")
    print(json.dumps(summary))
    return 0 if set(orders) == {1} and not errors else 1


def _race_round(h: Any, concurrency: int) -> tuple[int, int]:
    from uuid import UUID

    from bitten import bootstrap
    from bitten.adapters.hud_auth import JwtSessionTokens
    from bitten.domain.fire import client_id_for
    from bitten.local.burst import Call, all_at_once
    from bitten.local.demo.traders import fire_button
    from bitten.local.harness import seed_signal, seed_traders
    from bitten.services.fanout import fan_out_missions

    (trader,) = seed_traders(h, 1, balance="100000", chats=True)
    emulator, sqs = h.stack.telegram, h.stack.aws.client("sqs")
    signal = seed_signal(h, minutes_ago=len(h.sql("SELECT id FROM signals")), ttl=60)
    fan_out_missions(signal.id, bootstrap.build_fanout_deps(h.settings, clock=h.clock))
    h.platform.drain_queues(sqs)  # the real alert_dispatch sends the alert with its FIRE button
    (alert,) = emulator.messages_in(trader["telegram_id"])  # a new trader each round
    fire, _ = fire_button(alert)
    sql = "SELECT id FROM missions WHERE signal_id = %s AND trader_id = %s"
    (row,) = h.sql(sql, signal.id, trader["id"])
    mission: UUID = row["id"]
    token = JwtSessionTokens(h.settings.jwt_secret).issue(trader["id"], h.clock.now())
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"hud:{mission}"}
    hud_call = Call("POST", f"{h.api_url}/api/missions/{mission}/fire", headers)
    press = Call(
        "POST",
        f"{emulator.base_url}/emulator/users/{trader['telegram_id']}/press",
        json={"message_id": alert["message_id"], "data": fire},
    )
    results = all_at_once([hud_call] * concurrency + [press] * 20)
    emulator.flush(timeout=60)
    h.platform.drain_queues(sqs)  # the real fire_execution
    client_id = client_id_for(mission)
    orders = [o for o in h.stack.paper.book.orders() if o.client_id == client_id]
    return len(orders), sum(1 for r in results if isinstance(r, str))
