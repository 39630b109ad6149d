"""The Mini App in a real headless Chromium, opened the way Telegram opens it: the page URL
with signed initData in its fragment. The HUD (read, FIRE, fill, close), the War Room and
Norman's Notebook (write a note, reload, it is there, as text). Screenshots of each page go
to artifacts/screenshots/."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from bitten.api.app import create_app
from bitten.config import PROJECT_ROOT
from bitten.domain.tiers import Tier
from bitten.local.api_server import ApiServer
from bitten.local.telegram.webapp import init_data, launch_url
from bitten.services.fire_execution import execute_fire
from bitten.services.result_sync import sync_results
from factories import (
    T0,
    World,
    add_mission,
    add_trader,
    alerted_mission,
    close_trade,
    closed_trade,
    fire_mission,
    make_signal,
    make_world,
    market,
    store_signal,
)

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = PROJECT_ROOT / "artifacts" / "screenshots"
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


@contextmanager
def serve(world: World) -> Iterator[str]:
    """The API and pages of `world` on real HTTP."""
    server = ApiServer(create_app(world.api_deps))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def api_url(world: World) -> Iterator[str]:
    with serve(world) as url:
        yield url


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        tab = browser.new_page(viewport={"width": 420, "height": 900})
        # Telegram's own script is not reachable here: the pages read the fragment themselves
        tab.route("https://telegram.org/**", lambda route: route.abort())
        yield tab
        browser.close()


def in_telegram(world: World, settings, trader, url: str, token: str | None = None) -> str:
    """`url` as the Telegram client opens a Mini App button: signed initData in the hash."""
    user = {"id": trader.telegram_id, "first_name": "Ana", "username": trader.username}
    signed = init_data(
        token or settings.telegram_bot_token, user, int(world.clock.now().timestamp())
    )
    return launch_url(url, signed)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def wait_text(page, selector: str, text: str, timeout: float = 15_000) -> None:
    page.wait_for_function(
        "([s, t]) => (document.querySelector(s)?.textContent || '').includes(t)",
        arg=[selector, text],
        timeout=timeout,
    )


def test_hud_briefing_fire_fill_and_close(world, settings, api_url, page):
    # Given a FANG trader's EURUSD buy mission, its alert in Telegram
    trader = add_trader(world, Tier.FANG)
    mission = alerted_mission(world, trader, exposure_note="already long EUR in 1 open trade")
    # When the trader opens the alert's HUD button
    page.goto(in_telegram(world, settings, trader, f"{api_url}/hud?mission={mission.id}"))
    page.wait_for_selector("#facts tr")
    # Then the briefing shows the trade, its risk, the shield, the countdown and a chart
    assert page.inner_text("#title") == "EURUSD BUY"
    facts = page.inner_text("#facts")
    assert "Entry\t~1.10000" in facts and "Lots\t0.10" in facts
    assert "Risk\t$200.00 (2.00% of $10,000.00)" in facts
    assert "trend: with the H4 trend" in page.inner_text("#checks")
    assert "exposure: already long EUR" in page.inner_text("#checks")
    wait_text(page, "#countdown", "s left")  # ticking down from the server's clock
    assert page.inner_text("#countdown").startswith(("⏳ 10m 00s", "⏳ 9m 5"))
    page.wait_for_selector("#chart canvas")
    shot(page, "hud-briefing.png")
    # When they press FIRE
    page.click("#fire")
    wait_text(page, "#msg", "FIRE received: sending your order.")
    assert world.fires_queue.bodies == [{"mission_id": str(mission.id), "attempt": 1}]
    page.wait_for_selector("#fire:disabled")
    # And fire_execution fills it at the broker
    assert execute_fire(mission.id, "m-1", world.fire_exec_deps()) == "filled"
    # Then the HUD shows the fill, its slippage and live P&L without a reload
    wait_text(page, "#fill", "Filled 0.10 lots @ 1.10010 · slippage +1.0 pips")
    wait_text(page, "#live", "-1.0 pips · -$1.00")
    shot(page, "hud-filled.png")
    # When the broker closes it at the target
    world.clock.advance(timedelta(minutes=20))
    close_trade(world, mission, "1.10200", profit="19.20")
    # Then the HUD shows the close with pips and money
    wait_text(page, "#closed", "Closed @ 1.10200 · target hit · +19.0 pips · +$19.20")
    assert page.inner_text("#state") == "CLOSED"
    shot(page, "hud-closed.png")


def test_forged_init_data_shows_the_refusal_and_cannot_fire(world, settings, api_url, page):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    forged = in_telegram(world, settings, trader, f"{api_url}/hud?mission={mission.id}", "9:X")
    page.goto(forged)
    wait_text(page, "#msg", "signature check")
    assert page.inner_text("#facts") == "" and page.is_disabled("#fire")
    assert world.fires_queue.bodies == []


def test_outside_telegram_the_page_asks_to_open_it_there(world, api_url, page):
    mission = add_mission(world, add_trader(world))
    page.goto(f"{api_url}/hud?mission={mission.id}")
    wait_text(page, "body", "Open this page from the BITTEN bot in Telegram.")
    assert page.get_attribute("a", "href") == "https://t.me/bitten_local_bot"


def test_an_expired_mission_shows_its_briefing_but_cannot_fire(world, settings, api_url, page):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    world.clock.advance(timedelta(minutes=11))
    page.goto(in_telegram(world, settings, trader, f"{api_url}/hud?mission={mission.id}"))
    page.wait_for_selector("#facts tr")
    assert page.inner_text("#title") == "EURUSD BUY"
    wait_text(page, "#msg", "this mission expired at 10:10 UTC; wait for the next signal")
    assert page.is_disabled("#fire") and world.fires_queue.bodies == []


def test_war_room_shows_money_open_trades_results_tier_and_xp(settings, page):
    # Given a FANG trader whose first trade hit its target at the broker, and one still open
    world = make_world(settings, market(EURUSD={T0 + timedelta(minutes=5): (1.1030, 1.1)}))
    trader = add_trader(world, Tier.FANG)
    signal = store_signal(world)
    fire_mission(world, alerted_mission(world, trader, signal=signal))
    world.clock.advance(timedelta(minutes=7))
    assert sync_results(world.sync_deps())["closed"] == 1
    later = store_signal(world, make_signal(created_at=world.clock.now()))
    fire_mission(world, alerted_mission(world, trader, signal=later))
    # When they open the War Room
    with serve(world) as api_url:
        page.goto(in_telegram(world, settings, trader, f"{api_url}/me"))
        wait_text(page, "#positions", "EURUSD BUY 0.10 @ 1.10010")
        # Then money, the open trade with live P&L, today's result, tier and XP are there
        account = page.inner_text("#account").replace("\n", "")
        assert "Balance$10,020.00Equity$10,019.00" in account
        assert "-1.0 pips · -$1.00" in page.inner_text("#positions")
        assert "1 trades · 1 won · +20.0 pips · +$20.00" in page.inner_text("#results")
        # 15 XP for the closed trade + 10 for By the Book Bronze
        assert page.inner_text("#tier") == "FANG" and "XP 25" in page.inner_text("#who")
        assert "Open trades\n1 / 2" in page.inner_text("#tierbox")
        shot(page, "me.png")


def test_notebook_note_survives_a_reload_and_script_stays_text(world, settings, api_url, page):
    trader = add_trader(world)
    closed_trade(world, trader, "1.10200", profit="19.20")
    url = in_telegram(world, settings, trader, f"{api_url}/notebook")
    page.goto(url)
    page.wait_for_selector(".trade textarea")
    assert "Win rate\n100.0%" in page.inner_text("#stats")
    note = "<script>window.pwned = 1</script> waited for the retest"
    page.fill(".trade textarea", note)
    page.fill(".trade input", "retest, Asia")
    page.click(".trade button")
    wait_text(page, "#msg", "Note saved.")
    # When the trader reloads the page
    page.goto("about:blank")
    page.goto(url)
    page.wait_for_selector(".trade .note")
    # Then the note is there, shown as text, and nothing in it ran
    wait_text(page, ".trade .note", "waited for the retest")
    assert page.inner_text(".trade .note") == note
    assert page.inner_text(".trade .tags") == "#retest#asia"
    assert page.evaluate("window.pwned") is None
    shot(page, "notebook.png")
    assert uuid.UUID(page.get_attribute(".trade", "data-mission"))


FAKE_TELEGRAM = """
window.Telegram = {WebApp: {
  initData: %s, themeParams: {bg_color: "#ffffff", text_color: "#111111"},
  ready() { this.isReady = true; }, expand() {},
  calls: [],
  MainButton: {
    setText(t) { Telegram.WebApp.calls.push("text:" + t); return this; },
    show() { Telegram.WebApp.calls.push("show"); return this; },
    hide() { Telegram.WebApp.calls.push("hide"); return this; },
    enable() { Telegram.WebApp.calls.push("enable"); return this; },
    disable() { Telegram.WebApp.calls.push("disable"); return this; },
    onClick(f) { Telegram.WebApp.press = f; return this; },
  },
  HapticFeedback: {
    impactOccurred(s) { Telegram.WebApp.calls.push("impact:" + s); },
    notificationOccurred(s) { Telegram.WebApp.calls.push("haptic:" + s); },
  },
}};
"""


def test_inside_telegram_fire_is_the_main_button_with_haptics_and_theme(
    world, settings, api_url, page
):
    # Given the HUD opened inside Telegram (its WebApp object, theme and MainButton)
    import json

    trader = add_trader(world)
    mission = add_mission(world, trader)
    user = {"id": trader.telegram_id, "first_name": "Ana"}
    signed = init_data(settings.telegram_bot_token, user, int(world.clock.now().timestamp()))
    page.add_init_script(FAKE_TELEGRAM % json.dumps(signed))
    page.goto(f"{api_url}/hud?mission={mission.id}")
    page.wait_for_selector("#facts tr")
    # Then the page takes Telegram's colours, and FIRE is Telegram's MainButton
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    assert page.is_hidden("#fire")
    calls = page.evaluate("Telegram.WebApp.calls")
    assert "text:FIRE" in calls and "show" in calls and page.evaluate("Telegram.WebApp.isReady")
    # When the trader presses it
    page.evaluate("Telegram.WebApp.press()")
    wait_text(page, "#msg", "FIRE received: sending your order.")
    # Then the phone buzzes on press and on success, the order is queued, the button goes
    calls = page.evaluate("Telegram.WebApp.calls")
    assert "impact:heavy" in calls and "haptic:success" in calls and calls[-1] == "hide"
    assert world.fires_queue.bodies == [{"mission_id": str(mission.id), "attempt": 1}]
