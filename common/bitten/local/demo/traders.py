"""Simulated traders for `make demo`: they register, link accounts and tap through Telegram/HUD."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import httpx

from bitten.domain.tiers import Tier

BEHAVIOURS = ("fire", "double_tap", "hud", "ignore")
TIERS = (Tier.PRESS_PASS, Tier.NIBBLER, Tier.FANG, Tier.COMMANDER)


@dataclass
class SimTrader:
    user_id: int
    name: str
    tier: Tier
    behaviour: str
    balance: Decimal
    handled: set[int] = field(default_factory=set)  # alert message ids already acted on
    seen: int = 0  # the last message id read (each minute reads only newer ones)


def roster(count: int) -> list[SimTrader]:
    """`count` traders spread over every tier and behaviour (deterministic)."""
    return [
        SimTrader(
            7000 + i,
            f"trader{i:02d}",
            TIERS[i % 4],
            BEHAVIOURS[(i // 4) % 4],
            Decimal(1000 + 2500 * (i % 7)),
        )
        for i in range(count)
    ]


def debrief_button(message: dict) -> str | None:
    """callback_data of the Debrief button under a drill report, if this is one."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    found = (b.get("callback_data") for r in rows for b in r if b.get("text") == "Debrief")
    return next(found, None)


def fire_button(message: dict) -> tuple[str | None, str | None]:
    """(callback_data of FIRE, HUD Mini App url) from an alert's inline keyboard."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    buttons = [b for row in rows for b in row]
    fire = next((b.get("callback_data") for b in buttons if b.get("text") == "FIRE"), None)
    hud = next((b["web_app"]["url"] for b in buttons if b.get("web_app")), None)
    return fire, hud


def hud_session(emulator, user_id: int, message_id: int, api_url: str) -> str:
    """Open the alert's HUD as Telegram does and log in with its initData: the session token."""
    opened = emulator.open_web_app(user_id, message_id, "HUD")
    response = httpx.post(
        f"{api_url}/api/auth/telegram", json={"init_data": opened["init_data"]}, timeout=10
    )
    response.raise_for_status()
    return str(response.json()["token"])


def act_on_alert(trader: SimTrader, message: dict, emulator, api_url: str, fires_queue) -> int:
    """Do what this trader does with a new alert; returns how many FIRE attempts were made."""
    trader.handled.add(message["message_id"])
    debrief = debrief_button(message)
    if debrief is not None:  # issue 12: everyone but the ignorers reads the drill report
        if trader.behaviour != "ignore":
            emulator.press(trader.user_id, message["message_id"], debrief)
        return 0
    fire, hud = fire_button(message)
    if trader.behaviour == "ignore" or fire is None:
        return 0
    if trader.behaviour == "hud" and hud:
        token = hud_session(emulator, trader.user_id, message["message_id"], api_url)
        return _fire_from_hud(hud, token, api_url, fires_queue)
    taps = 2 if trader.behaviour == "double_tap" else 1
    for _ in range(taps):
        emulator.press(trader.user_id, message["message_id"], fire)
    return taps


def _fire_from_hud(hud_url: str, token: str, api_url: str, fires_queue) -> int:
    """Fire from the HUD with its session, and replay the queue message once more (what an
    SQS at-least-once redelivery looks like) so the fire lock has work to do."""
    mission = parse_qs(urlparse(hud_url).query)["mission"][0]
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"hud:{mission}"}
    response = httpx.post(f"{api_url}/api/missions/{mission}/fire", headers=headers, timeout=10)
    if response.status_code == 202:
        fires_queue.send(
            {"mission_id": mission},
            group_id=f"redelivery-{mission}",
            dedup_id=f"redelivery-{mission}",
        )
    return 1
