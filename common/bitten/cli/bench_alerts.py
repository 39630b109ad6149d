"""`bitten bench alerts`: one signal's alerts to N traders through the real alert_dispatch.

The Telegram emulator runs in its own process with Telegram's limits on; `--workers`
processes play concurrent alert_dispatch instances, each building its deps with bootstrap
(PacedNotifier over PTB, lanes shared in Postgres) and running the Lambda handler on SQS
batches of 10. The JSON last line: users, delivered, seconds, retried_429, lost,
dead_letters, limit_seconds (the floor Telegram's limits allow).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import subprocess
import sys
import time
from contextlib import contextmanager
from typing import Any

import httpx

from bitten.local.api_server import free_port

FIRST_USER = 1_000_001
MAX_RECEIVES = 3  # the alerts queue's maxReceiveCount: then the DLQ


def _database(settings: Any) -> str:
    from bitten.adapters.postgres.migrate import migrate
    from bitten.local.postgres import embedded_database_url, fresh_database
    from bitten.local.stack import MIGRATIONS

    admin = settings.database_url or embedded_database_url(settings.bitten_data_dir / "pg")
    url = fresh_database(admin, "bitten_bench_alerts")
    migrate(url, MIGRATIONS)
    return url


def _seed(url: str, users: int) -> list[str]:
    """N traders with accounts, one signal and one open mission each: the missions' ids."""
    import psycopg

    from bitten.cli.bench_seed import SEED_SQL, signal_row

    with psycopg.connect(url, autocommit=True) as conn:
        signal_id = signal_row(conn)
        for sql in SEED_SQL:
            conn.execute(sql, {"users": users, "first": FIRST_USER, "signal": signal_id})
        rows = conn.execute("SELECT id FROM missions ORDER BY created_at, id").fetchall()
    return [str(r[0]) for r in rows]


@contextmanager
def _emulator(users: int, group: int):
    """The emulator in a process of its own (a core of its own), limits on."""
    port = free_port("127.0.0.1")
    command = [sys.executable, "-m", "bitten.local.telegram.main", "--port", str(port)]
    command += ["--users", str(FIRST_USER), str(users), "--group", str(group)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        proc.stdout.readline()
        proc.stdout.readline()  # the second banner line: serving
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


class _Requeue:
    """The alerts queue as the bench runs it: a requeued message goes back to the workers."""

    def __init__(self, jobs: Any) -> None:
        self.jobs = jobs

    def send(self, body: dict, group_id: Any = None, dedup_id: Any = None, delay_seconds: int = 0):
        self.jobs.put(
            {"ids": [body["mission_id"]], "receives": 1, "not_before": time.time() + delay_seconds}
        )
        return "requeued"

    def ping(self) -> None:
        return None


def _worker(overrides: dict, jobs: Any, results: Any, ready: Any) -> None:
    """One alert_dispatch instance: deps from bootstrap, the Lambda handler on each batch."""
    from bitten import bootstrap
    from bitten.config import load_settings
    from bitten.handlers import functions
    from bitten.local.aws.event_source import sqs_event_for_bodies

    settings = load_settings(**overrides)
    handler = functions.alert_dispatch(bootstrap.build_alert_deps(settings, requeue=_Requeue(jobs)))
    ready.put(1)
    while (job := jobs.get()) is not None:
        time.sleep(max(0.0, job.get("not_before", 0) - time.time()))
        event = sqs_event_for_bodies([{"mission_id": i} for i in job["ids"]], "bitten-bench-alerts")
        answer = handler(event, None)
        by_message = {r["messageId"]: i for r, i in zip(event["Records"], job["ids"], strict=True)}
        failed = [by_message[f["itemIdentifier"]] for f in answer["batchItemFailures"]]
        if failed and job["receives"] < MAX_RECEIVES:
            jobs.put({"ids": failed, "receives": job["receives"] + 1})
        elif failed:
            results.put(len(failed))  # dead letters


def _dispatch(
    overrides: dict, mission_ids: list[str], workers: int, url: str, batch: int
) -> tuple[float, int]:
    """Seconds until every mission's alert is recorded (or dead-lettered); dead letters."""
    import psycopg

    ctx = mp.get_context("spawn")
    jobs, results, ready = ctx.Queue(), ctx.Queue(), ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(overrides, jobs, results, ready)) for _ in range(workers)
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=120)
    started = time.perf_counter()
    for i in range(0, len(mission_ids), batch):
        jobs.put({"ids": mission_ids[i : i + batch], "receives": 1})
    dead = 0
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            while not results.empty():
                dead += results.get()
            done = _count(conn, "SELECT count(*) FROM alerts")
            if done + dead >= len(mission_ids):
                break
            time.sleep(0.02)
    seconds = time.perf_counter() - started
    for _ in procs:
        jobs.put(None)
    for p in procs:
        p.join(timeout=60)
    return seconds, dead


def _delivered(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return _count(conn, "SELECT count(*) FROM alerts WHERE message_id IS NOT NULL")


def _count(conn: Any, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def deployed_shape() -> tuple[int, int]:
    """(SQS batch size, concurrent instances) alert_dispatch is deployed with (template.yaml)."""
    from bitten.local.aws.template import load_template

    template = load_template()
    events = template["Resources"]["AlertDispatchFunction"]["Properties"]["Events"]
    batch = int(events["Alerts"]["Properties"]["BatchSize"])
    return batch, int(template["Parameters"]["AlertConcurrency"]["Default"])


def bench_alerts(args: argparse.Namespace) -> int:
    """Print the figures, then the JSON line."""
    from bitten.config import load_settings
    from bitten.local.telegram.emulator import DEFAULT_TOKEN

    batch, concurrency = deployed_shape()
    args.batch, args.workers = args.batch or batch, args.workers or concurrency
    settings = load_settings()
    url = _database(settings)
    mission_ids = _seed(url, args.users)
    group = settings.telegram_group_chat_id
    with _emulator(args.users, group) as emulator:
        overrides = {
            "database_url": url,
            "telegram_bot_token": DEFAULT_TOKEN,
            "telegram_api_url": f"{emulator}/bot",
            "telegram_paid_broadcast": args.paid_broadcast,
            "hud_base_url": "https://hud.example",
            "log_level": "WARNING",
        }
        seconds, dead = _dispatch(overrides, mission_ids, args.workers, url, args.batch)
        stats = httpx.get(f"{emulator}/emulator/stats", timeout=10).json()["result"]
    delivered = _delivered(url)
    rate = 1000 if args.paid_broadcast else 30
    limit = max(args.users / rate, 1 / 30) if args.paid_broadcast else (args.users + 1) / 30
    mode = "paid broadcast (allow_paid_broadcast)" if args.paid_broadcast else "free limits"
    print(
        f"alerts: {args.users} traders + 1 group alert, {mode}, {args.workers} alert_dispatch "
        f"processes (the template's concurrency), SQS batches of {args.batch}"
    )
    print(
        f"  delivered {delivered} in {seconds:.1f} s = {delivered / seconds:.0f}/s; "
        f"Telegram's floor {limit:.1f} s ({seconds / limit:.2f}x)"
    )
    print(
        f"  429s answered by the emulator {stats['refused_429']}, paid messages "
        f"{stats['paid_messages']}, Stars charged {stats['stars_charged']}"
    )
    summary = {
        "users": args.users,
        "delivered": delivered,
        "seconds": round(seconds, 2),
        "retried_429": int(stats["refused_429"]),
        "lost": args.users - delivered - dead,
        "dead_letters": dead,
        "limit_seconds": round(limit, 2),
    }
    print(json.dumps(summary))
    return 0
