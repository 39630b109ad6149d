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
from typing import Any

import httpx

from bitten.cli.bench_alerts_run import (
    FIRST_USER,
    count,
    cpu_seconds,
    dispatch,
    emulator_process,
)


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


def _delivered(url: str) -> int:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return count(conn, "SELECT count(*) FROM alerts WHERE message_id IS NOT NULL")


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
    with emulator_process(args.users, group) as (emulator, emulator_pid):
        overrides = {
            "database_url": url,
            "telegram_bot_token": DEFAULT_TOKEN,
            "telegram_api_url": f"{emulator}/bot",
            "telegram_paid_broadcast": args.paid_broadcast,
            "hud_base_url": "https://hud.example",
            "log_level": "WARNING",
        }
        emulator_cpu = cpu_seconds(emulator_pid)
        seconds, dead, worker_cpu = dispatch(overrides, mission_ids, args.workers, url, args.batch)
        emulator_cpu = cpu_seconds(emulator_pid) - emulator_cpu
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
    print(
        f"  CPU per alert: alert_dispatch {1000 * worker_cpu / args.users:.2f} ms, emulator "
        f"{1000 * emulator_cpu / args.users:.2f} ms (Postgres not counted)"
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
