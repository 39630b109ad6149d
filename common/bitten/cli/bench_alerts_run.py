"""The alerts bench's moving parts: the emulator process, the alert_dispatch worker processes
and the driver that feeds them SQS batches and waits until every mission is handled."""

from __future__ import annotations

import multiprocessing as mp
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from typing import Any

from bitten.local.api_server import free_port

FIRST_USER = 1_000_001
MAX_RECEIVES = 3  # the alerts queue's maxReceiveCount: then the DLQ


def count(conn: Any, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used (Linux /proc)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def emulator_process(users: int, group: int):
    """The emulator in a process of its own (a core of its own), limits on."""
    port = free_port("127.0.0.1")
    command = [sys.executable, "-m", "bitten.local.telegram.main", "--port", str(port)]
    command += ["--users", str(FIRST_USER), str(users), "--group", str(group)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        proc.stdout.readline()
        proc.stdout.readline()  # the second banner line: serving
        yield f"http://127.0.0.1:{port}", proc.pid
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
    ready.put(time.process_time())
    while (job := jobs.get()) is not None:
        time.sleep(max(0.0, job.get("not_before", 0) - time.time()))
        event = sqs_event_for_bodies([{"mission_id": i} for i in job["ids"]], "bitten-bench-alerts")
        answer = handler(event, None)
        by_message = {r["messageId"]: i for r, i in zip(event["Records"], job["ids"], strict=True)}
        failed = [by_message[f["itemIdentifier"]] for f in answer["batchItemFailures"]]
        if failed and job["receives"] < MAX_RECEIVES:
            jobs.put({"ids": failed, "receives": job["receives"] + 1})
        elif failed:
            results.put(("dead", len(failed)))
    results.put(("cpu", time.process_time()))


def dispatch(
    overrides: dict, mission_ids: list[str], workers: int, url: str, batch: int
) -> tuple[float, int, float]:
    """(seconds until every mission's alert is recorded or dead-lettered, dead letters, CPU
    seconds the workers spent handling batches)."""
    import psycopg

    ctx = mp.get_context("spawn")
    jobs, results, ready = ctx.Queue(), ctx.Queue(), ctx.Queue()
    procs = [
        ctx.Process(target=_worker, args=(overrides, jobs, results, ready)) for _ in range(workers)
    ]
    for p in procs:
        p.start()
    cpu = -sum(ready.get(timeout=120) for _ in procs)
    started = time.perf_counter()
    for i in range(0, len(mission_ids), batch):
        jobs.put({"ids": mission_ids[i : i + batch], "receives": 1})
    dead = 0
    with psycopg.connect(url, autocommit=True) as conn:
        while True:
            while not results.empty():
                dead += results.get()[1]
            done = count(conn, "SELECT count(*) FROM alerts")
            if done + dead >= len(mission_ids):
                break
            time.sleep(0.02)
    seconds = time.perf_counter() - started
    for _ in procs:
        jobs.put(None)
    for _ in procs:
        kind, value = results.get(timeout=60)
        while kind != "cpu":
            dead, (kind, value) = dead + value, results.get(timeout=60)
        cpu += value
    for p in procs:
        p.join(timeout=60)
    return seconds, dead, cpu
