"""`bitten bench drill --traders N`: one game tick building, storing and enqueueing N drill
reports on the embedded Postgres; the last line is one JSON object {"traders", "seconds"}.

The queue is SQS at AWS_ENDPOINT_URL when set. Without it the reports go to the in-memory queue
(so the figure is our code and Postgres), and one SendMessageBatch to the local moto server is
timed on its own: moto's SQS scans every message a queue holds on each call, so timing 500 calls
into a growing moto queue would measure moto, not the tick (real SQS does not slow with depth).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from datetime import UTC, datetime
from typing import Any

from bitten.domain.pacing import FREE_BROADCAST

# 23:30 UTC on a Tuesday: 18:00 has passed in each of these zones, so every trader is due.
NOW = datetime(2024, 1, 9, 23, 30, tzinfo=UTC)
ZONES = ("UTC", "Europe/London", "America/New_York", "America/Sao_Paulo")
SEED = """
INSERT INTO traders (id, telegram_id, username, tier, created_at)
SELECT gen_random_uuid(), 8000000 + n, 'bench' || n, 'FANG', %(born)s
FROM generate_series(1, %(n)s) n;
INSERT INTO broker_accounts SELECT id, 'B' || telegram_id, true, 'USD', %(born)s FROM traders;
INSERT INTO game_profiles (trader_id, time_zone)
SELECT id, (%(zones)s::text[])[1 + telegram_id %% 4] FROM traders;
INSERT INTO signals (id, pair, direction, entry, stop_pips, target_pips, confidence, shield_score,
  shield_label, risk_multiplier, engine, bar_time, created_at, expires_at)
SELECT gen_random_uuid(), 'EURUSD', 'buy', 1.1, 10, 20, 60, 7, 'SOLID', 1, 'BENCH',
  %(day)s + make_interval(mins => k), %(day)s + make_interval(mins => k),
  %(day)s + make_interval(mins => k + 10) FROM generate_series(1, 3) k;
INSERT INTO missions (id, signal_id, trader_id, status, balance, risk_amount, lots,
  risk_multiplier, sl_price, tp_price, created_at, expires_at)
SELECT gen_random_uuid(), s.id, t.id, 'filled', 10000, 200, 2, 1, 1.099, 1.102, s.created_at,
  s.expires_at FROM traders t CROSS JOIN signals s;
INSERT INTO fire_requests SELECT gen_random_uuid(), id, 'telegram', id::text, true, created_at
FROM missions;
INSERT INTO positions SELECT m.id, 1, 'EURUSD', 'buy', 2, 1.1, m.created_at,
  CASE WHEN s.bar_time = %(day)s + interval '1 minute' THEN 1.099 ELSE 1.102 END,
  CASE WHEN s.bar_time = %(day)s + interval '1 minute' THEN 'sl' ELSE 'tp' END,
  CASE WHEN s.bar_time = %(day)s + interval '1 minute' THEN -200 ELSE 400 END,
  CASE WHEN s.bar_time = %(day)s + interval '1 minute' THEN -10 ELSE 20 END,
  m.created_at + interval '30 minutes'
FROM missions m JOIN signals s ON s.id = m.signal_id;
"""


def bench_drill(args: argparse.Namespace) -> int:
    """Time the drill step (find, build, store) and the relay (enqueue) of one tick."""
    from bitten.config import load_settings

    settings = load_settings(bitten_stage="bench")
    url = _database(settings)
    _seed(url, args.traders)
    settings = settings.model_copy(update={"database_url": url})
    build, relay, report, where = _timed_steps(settings)
    seconds = build + relay
    print(
        f"drill: {args.traders:,} traders in {len(ZONES)} zones, 3 closed trades each: "
        f"{report['drills']:,} reports found, built and stored in {build:.2f} s; "
        f"{report['enqueued']:,} enqueued to {where} (10 a batch) in {relay:.2f} s; "
        f"{seconds:.2f} s in all, {1000 * seconds / args.traders:.2f} ms a trader"
    )
    if not settings.aws_endpoint_url:
        ms = _moto_batch_ms(settings)
        print(
            f"SQS on the local moto server: one SendMessageBatch of 10 into an empty queue takes "
            f"{ms:.1f} ms (median of 20); the relay makes {report['enqueued'] // 10 + 1} such calls"
        )
    minutes = report["enqueued"] * FREE_BROADCAST.interval / 60
    print(f"at the free broadcast lane's rate (nothing else sending): {minutes:.1f} min to send")
    print(json.dumps({"traders": args.traders, "seconds": round(seconds, 2)}))
    return 0 if report["drills"] == args.traders == report["enqueued"] else 1


def _database(settings: Any) -> str:
    from bitten.adapters.postgres.migrate import migrate
    from bitten.local.postgres import embedded_database_url, fresh_database
    from bitten.local.stack import MIGRATIONS

    admin = settings.database_url or embedded_database_url(settings.bitten_data_dir / "pg")
    url = fresh_database(admin, "bitten_bench_drill")
    migrate(url, MIGRATIONS)
    return url


def _seed(url: str, traders: int) -> None:
    """`traders` traders over the four zones, each with three trades closed today (one stop,
    two targets), every one fired and filled."""
    import psycopg

    params = {
        "n": traders,
        "zones": list(ZONES),
        "day": datetime(2024, 1, 9, 10, 0, tzinfo=UTC),
        "born": datetime(2024, 1, 1, tzinfo=UTC),
    }
    with psycopg.connect(url) as conn:
        for statement in filter(str.strip, SEED.split(";")):
            conn.execute(statement, params)


def _timed_steps(settings: Any) -> tuple[float, float, dict[str, int], str]:
    """Seconds of the drill step and of the relay, what they did, and where the queue was."""
    from bitten import bootstrap
    from bitten.adapters.clock import VirtualClock
    from bitten.adapters.sqs import InMemoryMessageQueue
    from bitten.services.game.drills import build_due_drills
    from bitten.services.game.tick import relay_notices

    overrides: dict[str, Any] = {"clock": VirtualClock(NOW)}
    where = f"SQS at {settings.aws_endpoint_url}"
    if not settings.aws_endpoint_url:
        overrides["notices_queue"], where = InMemoryMessageQueue(), "the in-memory queue"
    deps = bootstrap.build_game_tick_deps(settings, **overrides)
    start = time.perf_counter()
    drills = build_due_drills(deps)
    built = time.perf_counter()
    enqueued = relay_notices(deps)
    report = {"drills": drills, "enqueued": enqueued}
    return built - start, time.perf_counter() - built, report, where


def _moto_batch_ms(settings: Any) -> float:
    """Median milliseconds of one SendMessageBatch of 10 small bodies into an empty moto queue."""
    from bitten.local.aws.resources import LocalAws

    bodies = [{"Id": str(i), "MessageBody": json.dumps({"notice_id": "0" * 36})} for i in range(10)]
    with LocalAws(settings) as aws:
        sqs, url = aws.client("sqs"), aws.queue_url("game")
        times = []
        for _ in range(20):
            start = time.perf_counter()
            sqs.send_message_batch(QueueUrl=url, Entries=bodies)
            times.append(time.perf_counter() - start)
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
            done = [{"Id": m["MessageId"], "ReceiptHandle": m["ReceiptHandle"]} for m in got]
            sqs.delete_message_batch(QueueUrl=url, Entries=done)
    return 1000 * statistics.median(times)
