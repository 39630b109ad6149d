"""The Commander Throne in a real headless Chromium, opened as Telegram opens a Mini App (signed
initData in the fragment): an operator watches a signal's journey hop by hop, finds the trader
and the mission's trace, pauses firing and resumes it (audited); a trader sees "operators only".
The screenshot goes to artifacts/screenshots/throne.png."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from test_hud_browser import CHROMIUM, FLAGS, in_telegram, shot, wait_text

from bitten import bootstrap
from bitten.adapters.market_data import CandleReplayFeed
from bitten.api.app import create_app
from bitten.local.api_server import ApiServer
from bitten.services.alerts import dispatch_alert
from bitten.services.fanout import fan_out_missions
from bitten.services.fire_execution import execute_fire
from bitten.services.fire_request import FireCommand, request_fire
from bitten.services.scan import scan_signals
from factories import World, add_trader, buy_eurusd_on_last_bar, close_trade, market

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is not installed (.ci/run installs it)"
)


@pytest.fixture
def page():
    """A phone-sized tab in headless Chromium (Telegram's own script unreachable here)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        tab = browser.new_page(viewport={"width": 420, "height": 900})
        tab.route("https://telegram.org/**", lambda route: route.abort())
        yield tab
        browser.close()


@contextmanager
def serve(world: World, operators: frozenset[int]) -> Iterator[str]:
    # no SQS in this world: the queues panel says so at once (tests/e2e/test_operator_queues.py
    # drives the queue routes on the local stack's moto)
    ops = bootstrap.build_ops_deps(world.settings, clock=world.clock, queues=None)
    server = ApiServer(create_app(lambda: world.api_deps(operator_ids=operators, ops=ops)))
    try:
        yield server.start()
    finally:
        server.stop()


def every_hop(world: World, trader) -> tuple:
    """A signal through the real services, each hop a known time after the one before:
    mission 2 s after the signal, alert 1 s later, FIRE 4 s later, order and fill 3 s later."""
    (signal,) = scan_signals(world.scan_deps(buy_eurusd_on_last_bar, CandleReplayFeed(market())))
    world.clock.advance(timedelta(seconds=2))
    fan_out_missions(signal.id, world.fanout_deps())
    (mission_id,) = [r["id"] for r in world.rows("SELECT id FROM missions")]
    world.clock.advance(timedelta(seconds=1))
    assert dispatch_alert(mission_id, world.alert_deps())
    world.clock.advance(timedelta(seconds=4))
    request_fire(FireCommand(mission_id, trader.id, "hud", "tap"), world.fire_request_deps())
    world.clock.advance(timedelta(seconds=3))
    assert execute_fire(mission_id, "msg-1", world.fire_exec_deps()) == "filled"
    return signal, mission_id


def latency_row(page, hop: str) -> list[str]:
    for line in page.inner_text("#latency").splitlines():
        if line.startswith(hop):
            return line.split("\t")
    raise AssertionError(f"no latency row {hop!r}")


def test_an_operator_watches_the_journey_finds_the_trace_and_pauses_firing(world, settings, page):
    # Given a trader whose mission went through every hop, and an operator
    trader = add_trader(world)
    signal, mission_id = every_hop(world, trader)
    operator = add_trader(world)
    with serve(world, frozenset({operator.telegram_id})) as api_url:
        # When the operator opens /throne from Telegram
        page.goto(in_telegram(world, settings, operator, f"{api_url}/throne"))
        wait_text(page, "#flow", "Fills")
        # Then the hour's flow counts the signal, mission, alert, fire and fill
        flow = page.inner_text("#flow")
        assert "Signals\t1 (TEST 1)" in flow and "Missions\t1" in flow
        assert "Fires\t1" in flow and "Fills\t1" in flow
        # And each hop's latency is there, as the services' clock saw it
        assert latency_row(page, "signal_emitted → mission_created")[1:3] == ["1", "2.000"]
        assert latency_row(page, "mission_created → alert_sent")[2] == "1.000"
        assert latency_row(page, "alert_sent → fire_requested")[2] == "4.000"
        assert latency_row(page, "fire_requested → order_sent")[2] == "3.000"
        # When they switch to the day, the same journey is counted there
        page.click("#win-day")
        page.wait_for_selector("#win-day.on")
        wait_text(page, "#flow", "last day · since 2024-01-07 10:00 UTC")
        assert "Fills\t1" in page.inner_text("#flow")
        # And the actions' panels are there: no audited action yet, VENOM's setups on; a panel
        # whose route fails (no SQS in this world) shows the route and its error in place
        wait_text(page, "#audit", "No operator action yet.")
        wait_text(page, "#setups", "asian_fade")
        wait_text(page, "#queues", "/api/ops/queues: 503 no queue access")
        # When they search the trader by Telegram id
        page.fill("#q", str(trader.telegram_id))
        page.click("#search")
        wait_text(page, "#trader-card", str(mission_id))
        # Then the mission's whole trace is shown, hop by hop from the candle close
        trace = page.inner_text(f"[data-mission='{mission_id}'] table")
        hops = [line.split("\t")[0] for line in trace.splitlines()]
        assert hops == [
            "candle_close",
            "signal_emitted",
            "mission_created",
            "alert_sent",
            "fire_requested",
            "fire_locked",
            "order_sent",
            "broker_fill",
        ]
        # And its logs are one tap away
        page.click(f"[data-mission='{mission_id}'] button")
        wait_text(page, f"[data-mission='{mission_id}'] .logs", f"logs of mission {mission_id}")
        # When they pause firing without a reason, nothing changes
        page.click("#pause-firing")
        wait_text(page, "#msg", "a reason is required")
        assert world.rows("SELECT paused FROM operator_switches WHERE name = 'firing'") == []
        # When they give a reason
        page.fill("#switch-reason", "broker incident")
        page.click("#pause-firing")
        wait_text(page, "#switches", "PAUSED (broker incident")
        # Then firing is paused and the audit log says who and why
        (row,) = world.rows("SELECT paused, changed_by FROM operator_switches WHERE name='firing'")
        assert row == {"paused": True, "changed_by": f"trader:{operator.id}"}
        wait_text(page, "#audit", "pause_firing firing: broker incident")
        shot(page, "throne.png")
        # When they resume it
        page.fill("#switch-reason", "broker back")
        page.click("#resume-firing")
        wait_text(page, "#switch-firing", "firing: running")
        audit = world.rows("SELECT action, reason FROM audit_log ORDER BY id")
        assert audit == [
            {"action": "pause_firing", "reason": "broker incident"},
            {"action": "resume_firing", "reason": "broker back"},
        ]
        # When the broker closes the trade at its target
        with world.uow() as repos:
            mission = repos.missions.get(mission_id)
        world.clock.advance(timedelta(minutes=5))
        close_trade(world, mission, "1.10200")
        # Then the open trader's mission trace grows by itself on the next refresh
        wait_text(page, f"[data-mission='{mission_id}'] table", "position_closed")
        wait_text(page, "#trader-trades", "Open trades (0)")


def test_a_trader_who_opens_the_throne_sees_operators_only(world, settings, page):
    trader = add_trader(world)
    with serve(world, frozenset()) as api_url:
        page.goto(in_telegram(world, settings, trader, f"{api_url}/throne"))
        wait_text(page, "#gate", "operators only")
        assert page.query_selector("#flow") is None


def test_when_the_login_grows_too_old_the_page_says_to_reopen_it(world, settings, page):
    # Given an operator watching the Throne
    operator = add_trader(world)
    with serve(world, frozenset({operator.telegram_id})) as api_url:
        page.goto(in_telegram(world, settings, operator, f"{api_url}/throne"))
        wait_text(page, "#flow", "Missions")
        wait_text(page, "#switches", "firing")
        # When two hours pass: the session token and the initData have both expired
        world.clock.advance(timedelta(hours=2))
        # Then the next refresh says to reopen it from Telegram, keeping the last figures
        wait_text(page, "#msg", "reopen the Throne from Telegram")
        assert "Missions" in page.inner_text("#flow")
