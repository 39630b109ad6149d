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

from bitten.config import DEMO_CANDLES

pytestmark = pytest.mark.e2e


def _wait_for_banner(proc: subprocess.Popen, timeout: float = 120.0) -> dict[str, str]:
    """The URLs `bitten run` prints at startup, once it says how to stop it."""
    urls: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    for line in proc.stdout:
        if found := re.search(r"API \+ HUD\s+(http://\S+)/api/health", line):
            urls["api"] = found.group(1)
        if found := re.search(r"telegram emu\s+(http://\S+)", line):
            urls["emulator"] = found.group(1)
        if line.startswith("Ctrl-C stops") or time.monotonic() > deadline:
            break
    if "api" not in urls:
        raise AssertionError("bitten run never printed its API URL")
    return urls


def _is_alert(message: dict) -> bool:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return any(str(b.get("callback_data", "")).startswith("fire:") for r in rows for b in r)


def _first_alert(emulator: str, chat_id: int, timeout: float) -> dict | None:
    """The first message to `chat_id` with a FIRE button, polled over HTTP."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        chat = httpx.get(f"{emulator}/emulator/chats/{chat_id}/messages", timeout=10).json()
        alerts = [m for m in chat["result"] if _is_alert(m)]
        if alerts:
            return alerts[0]
        time.sleep(1)
    return None


def _throne_button(emulator: str, chat_id: int, timeout: float = 30) -> int:
    """The id of the bot's message carrying the "Open the Throne" web_app button."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        chat = httpx.get(f"{emulator}/emulator/chats/{chat_id}/messages", timeout=10).json()
        for m in chat["result"]:
            rows = (m.get("reply_markup") or {}).get("inline_keyboard", [])
            if any(b.get("text") == "Open the Throne" for r in rows for b in r):
                return int(m["message_id"])
        time.sleep(0.5)
    raise AssertionError("no Throne button after /throne")


def _deep_health_as_operator(urls: dict[str, str], user_id: int) -> dict:
    """/throne to the bot, its button opened as Telegram opens it, login, deep health."""
    emulator, api = urls["emulator"], urls["api"]
    httpx.post(f"{emulator}/emulator/users/{user_id}/text", json={"text": "/throne"}, timeout=10)
    opened = httpx.post(
        f"{emulator}/emulator/users/{user_id}/webapp",
        json={"message_id": _throne_button(emulator, user_id)},
        timeout=10,
    ).json()["result"]
    assert opened["page"] == f"{api}/throne"
    login = httpx.post(f"{api}/api/auth/telegram", json={"init_data": opened["init_data"]})
    bearer = {"Authorization": f"Bearer {login.json()['token']}"}
    return httpx.get(f"{api}/api/health?deep=1", headers=bearer, timeout=30).json()


def test_run_serves_the_platform_and_alerts_a_new_trader_until_interrupted(tmp_path):
    # Given a fresh data folder, a free port and the night shipped in the package (a fresh clone)
    env = {
        **os.environ,
        "BITTEN_DATA_DIR": str(tmp_path),
        "BITTEN_MARKET_DATA": str(DEMO_CANDLES),
        "API_PORT": "0",
        "LOG_LEVEL": "WARNING",
        "OPERATOR_TELEGRAM_IDS": "42",
        "PYTHONFAULTHANDLER": "1",
    }
    for name in ("DATABASE_URL", "AWS_ENDPOINT_URL", "FOREXVPS_URL", "TELEGRAM_BOT_TOKEN"):
        env.pop(name, None)
    errors = tmp_path / "stderr.txt"
    proc = subprocess.Popen(
        [sys.executable, "-m", "bitten.cli", "run", "--speed", "300"],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=errors.open("w"),
    )
    try:
        # When it has started
        urls = _wait_for_banner(proc)
        api = urls["api"]
        health = httpx.get(f"{api}/api/health", timeout=10)
        # Then every part of the local stack answers
        assert health.status_code == 200, health.text
        assert health.json()["status"] == "ok"
        assert httpx.get(f"{api}/hud", timeout=10).status_code == 200
        # When a new trader says /start, as the README shows with curl
        start = httpx.post(f"{urls['emulator']}/emulator/users/42/text", json={"text": "/start"})
        assert start.status_code == 200, start.text
        # Then a personal alert with a FIRE button and a HUD link to this API arrives
        alert = _first_alert(urls["emulator"], 42, timeout=120)
        assert alert is not None, "no personal alert within 2 minutes of /start"
        buttons = [b for row in alert["reply_markup"]["inline_keyboard"] for b in row]
        assert buttons[0]["text"] == "FIRE" and buttons[0]["callback_data"].startswith("fire:")
        assert buttons[1]["web_app"]["url"].startswith(f"{api}/hud?mission=")
        assert "t=" not in buttons[1]["web_app"]["url"]  # no bearer token in the link
        # When trader 42, an operator, opens the Throne from the bot and asks the deep health
        deep = _deep_health_as_operator(urls, 42)
        # Then every part of the local stack answers, each with its latency
        assert deep["failing"] == [], deep
        assert {"postgres", "queue_fires", "broker_heartbeat", "telegram"} <= set(deep["checks"])
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
