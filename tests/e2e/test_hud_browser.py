"""The HUD in a real headless Chromium: a trader reads the briefing and fires from it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bitten.adapters.hud_auth import JwtSessionTokens
from bitten.api.app import create_app
from bitten.domain.tiers import Tier
from bitten.local.api_server import ApiServer
from factories import World, add_mission, add_trader

CHROMIUM = Path("/usr/bin/chromium")
# Headless on a closed network: no sandbox (root in CI), no background calls to Google.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is not installed (.ci/run installs it)"
)


@pytest.fixture
def hud_url(world: World) -> Iterator[str]:
    server = ApiServer(create_app(world.api_deps))
    yield server.start()
    server.stop()


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser.new_page()
        browser.close()


def briefing(world: World, settings, hud_url: str, token: str | None = None, **mission_kw):
    trader = add_trader(world, Tier.FANG)
    mission = add_mission(world, trader, **mission_kw)
    token = token or JwtSessionTokens(settings.jwt_secret).issue(trader.id, world.clock.now())
    return mission, f"{hud_url}/hud?mission={mission.id}&t={token}"


def test_trader_reads_the_briefing_and_fires_from_the_hud(world, settings, hud_url, page, tmp_path):
    # Given a EURUSD buy mission sized down for an open EUR long
    note = "already long EUR in 1 open trade (-1 shield)"
    mission, url = briefing(world, settings, hud_url, exposure_note=note)
    # When the trader opens the HUD link from the alert
    page.goto(url)
    page.wait_for_selector("#facts tr")
    # Then the briefing shows the trade, its risk, the shield checks and why the size is lower
    assert page.inner_text("#title") == "EURUSD BUY"
    facts = page.inner_text("#facts")
    assert "Lots\t0.10" in facts and "Risk\t200" in facts and "x1.0" in facts
    assert "trend: with the H4 trend" in page.inner_text("#checks")
    assert f"exposure: {note}" in page.inner_text("#checks")
    # When they press FIRE
    page.click("#fire")
    page.wait_for_function("document.getElementById('msg').textContent.length > 0")
    page.screenshot(path=str(tmp_path / "hud.png"))
    # Then the order is on its way, exactly once, and the button cannot be pressed again
    assert page.inner_text("#msg") == "FIRE received: sending your order."
    page.wait_for_selector("#fire:disabled")
    assert world.fires_queue.bodies == [{"mission_id": str(mission.id), "attempt": 1}]
    status = world.rows("SELECT status FROM missions WHERE id = %s", mission.id)
    assert status == [{"status": "fire_requested"}]


def test_a_forged_link_shows_the_error_and_cannot_fire(world, settings, hud_url, page):
    # Given a HUD link whose token was signed with another key
    forged = JwtSessionTokens("x" * 32).issue(uuid.uuid4(), world.clock.now())
    _, url = briefing(world, settings, hud_url, token=forged)
    # When it is opened
    page.goto(url)
    page.wait_for_function("document.getElementById('msg').textContent.length > 0")
    # Then the page says so, shows no mission and FIRE stays disabled
    assert "token" in page.inner_text("#msg").lower()
    assert page.inner_text("#facts") == "" and page.is_disabled("#fire")
    assert world.fires_queue.bodies == []


def test_an_expired_mission_shows_its_briefing_but_cannot_fire(world, settings, hud_url, page):
    # Given a mission whose ten-minute window has passed
    _, url = briefing(world, settings, hud_url)
    world.clock.advance(timedelta(minutes=11))
    # When the trader opens the HUD late
    page.goto(url)
    page.wait_for_selector("#facts tr")
    # Then the briefing is there, with the reason it is closed, and FIRE stays disabled
    assert page.inner_text("#title") == "EURUSD BUY"
    assert page.inner_text("#msg") == "this mission expired at 10:10 UTC; wait for the next signal"
    assert page.is_disabled("#fire") and world.fires_queue.bodies == []
