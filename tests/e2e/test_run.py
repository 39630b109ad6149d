"""`bitten run` (what `make run` starts) comes up healthy on the local stack and stops on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.e2e


def _wait_for_api(proc: subprocess.Popen, timeout: float = 120.0) -> str:
    deadline = time.monotonic() + timeout
    for line in proc.stdout:
        found = re.search(r"API \+ HUD\s+(http://\S+)/api/health", line)
        if found:
            return found.group(1)
        if time.monotonic() > deadline:
            break
    raise AssertionError("bitten run never printed its API URL")


def test_run_serves_a_healthy_api_until_interrupted(tmp_path):
    # Given a fresh data folder and a free port
    env = {
        **os.environ,
        "BITTEN_DATA_DIR": str(tmp_path),
        "API_PORT": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONFAULTHANDLER": "1",
    }
    for name in ("DATABASE_URL", "AWS_ENDPOINT_URL", "FOREXVPS_URL", "TELEGRAM_BOT_TOKEN"):
        env.pop(name, None)
    errors = tmp_path / "stderr.txt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bitten.cli", "run"],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=errors.open("w"),
    )
    try:
        # When it has started
        api = _wait_for_api(proc)
        health = httpx.get(f"{api}/api/health", timeout=10)
        # Then every part of the local stack answers
        assert health.status_code == 200, health.text
        assert health.json()["failing"] == []
        assert httpx.get(f"{api}/hud", timeout=10).status_code == 200
    finally:
        # And Ctrl-C stops it cleanly
        proc.send_signal(signal.SIGINT)
        assert _exit_code(proc, errors) == 0


def _exit_code(proc: subprocess.Popen, errors) -> int:
    """Wait for a clean exit; on a hang, put every thread's stack (faulthandler) in the failure."""
    try:
        return proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGABRT)
        proc.wait(timeout=30)
        raise AssertionError("bitten run did not stop:\n" + errors.read_text()[-6000:]) from None
