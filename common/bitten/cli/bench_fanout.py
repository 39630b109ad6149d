"""`bitten bench fanout --traders N`: one signal to N sized missions with their alerts queued."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

WEEKDAY = datetime(2024, 1, 10, 12, 0, tzinfo=UTC)  # a Wednesday noon: the market is open


class TimedQueue:
    """The real SQS queue, timing what its sends cost (the share of the fan-out spent in SQS)."""

    def __init__(self, queue: Any) -> None:
        self.queue, self.seconds, self.messages = queue, 0.0, 0

    def send(self, body: dict, group_id: str | None = None, dedup_id: str | None = None) -> str:
        return str(self.queue.send(body, group_id, dedup_id))

    def send_batch(self, bodies: list[dict]) -> None:
        started = time.perf_counter()
        self.queue.send_batch(bodies)
        self.seconds += time.perf_counter() - started
        self.messages += len(bodies)

    def ping(self) -> None:
        self.queue.ping()


def bench_fanout(args: argparse.Namespace) -> int:
    """Seed N traders (accounts snapshotted by result_sync), then time fan-outs of one signal."""
    from bitten import bootstrap
    from bitten.adapters.clock import VirtualClock
    from bitten.cli import _settings
    from bitten.domain.tiers import Tier
    from bitten.local.harness import flat_market, running, seed_signal, seed_traders
    from bitten.services.fanout import fan_out_missions
    from bitten.services.result_sync import refresh_snapshots

    clock = VirtualClock(WEEKDAY)
    with running(_settings(), clock, flat_market(WEEKDAY - timedelta(hours=3), 360), "fanout") as h:
        seed_traders(h, args.traders, tuple(Tier))
        sync = bootstrap.build_sync_deps(h.settings, clock=clock)
        started = time.perf_counter()
        refresh_snapshots(sync)
        snapshot_s = time.perf_counter() - started
        runs = []
        for i in range(args.repeat):
            queue = TimedQueue(bootstrap.queue(h.settings, "alerts"))
            deps = bootstrap.build_fanout_deps(h.settings, clock=clock, alerts_queue=queue)
            signal = seed_signal(h, minutes_ago=i + 1)
            started = time.perf_counter()
            outcome = fan_out_missions(signal.id, deps)
            runs.append((time.perf_counter() - started, queue.seconds, outcome, queue.messages))
    return _report(args, runs, snapshot_s)


def _report(args: argparse.Namespace, runs: list, snapshot_s: float) -> int:
    for seconds, sqs_s, outcome, queued in runs:
        print(
            f"fan-out of one signal to {args.traders} traders: {seconds:.3f} s "
            f"({sqs_s:.3f} s of it in {queued // 10 + bool(queued % 10)} SQS batch sends), "
            f"{dict(outcome)}"
        )
    print(f"result_sync's snapshot refresh of {args.traders} accounts: {snapshot_s:.3f} s")
    seconds = statistics.median(r[0] for r in runs)
    best = min(runs, key=lambda r: r[0])
    summary = {
        "traders": args.traders,
        "missions": int(best[2]["created"]),
        "seconds": round(seconds, 3),
        "work_seconds": round(statistics.median(r[0] - r[1] for r in runs), 3),
        "sqs_seconds": round(statistics.median(r[1] for r in runs), 3),
        "alerts_enqueued": best[3],
        "runs": args.repeat,
    }
    print(json.dumps(summary))
    return 0
