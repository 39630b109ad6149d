"""`bitten bench coldstart`: import cost of each function's handler module, in fresh processes."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from bitten.config import PROJECT_ROOT

FUNCTIONS = [
    "signal_scan",
    "mission_fanout",
    "alert_dispatch",
    "fire_execution",
    "result_sync",
    "api",
]
HEAVY = ["numpy", "psycopg", "boto3", "telegram", "httpx", "chalice"]
PROBE = (
    "import sys, time; sys.path.insert(0, {path!r}); t = time.perf_counter(); import app; "
    "print(__import__('json').dumps([time.perf_counter() - t, [m for m in {heavy!r} "
    "if m in sys.modules]]))"
)


def coldstart(args: argparse.Namespace) -> int:
    baseline = _median(lambda: _probe("import json"), args.repeat)
    print(f"python -c 'import json' baseline: {baseline * 1000:.0f} ms (process start excluded)")
    for name in FUNCTIONS:
        path = str(PROJECT_ROOT / "functions" / name)
        runs = [_import_app(path) for _ in range(args.repeat)]
        seconds = sorted(r[0] for r in runs)[len(runs) // 2]
        print(
            f"{name:15s} import {seconds * 1000:7.1f} ms   heavy modules loaded: "
            f"{', '.join(runs[0][1]) or 'none'}"
        )
    return 0


def _import_app(path: str) -> tuple[float, list[str]]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(path=path, heavy=HEAVY)],
        capture_output=True,
        text=True,
        check=True,
        cwd=path,
    )
    seconds, heavy = json.loads(out.stdout.strip().splitlines()[-1])
    return seconds, heavy


def _probe(code: str) -> float:
    script = f"import time; t = time.perf_counter(); {code}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def _median(fn, n: int) -> float:
    return sorted(fn() for _ in range(n))[n // 2]


def add_bench_commands(bench_sub) -> None:
    p = bench_sub.add_parser("coldstart", help="import time and heavy modules per function")
    p.add_argument("--repeat", type=int, default=5)
    p.set_defaults(func=coldstart)
