"""The Commander Throne's reads on the real Postgres: flow counts, per-hop percentiles computed in
SQL, Telegram delivery, terminals, VENOM drift, trader search and traces, the operator report."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bitten import bootstrap
from bitten.cli import main
from bitten.domain.tiers import Tier
from bitten.services.alerts import dispatch_alerts
from bitten.services.throne.report import operator_report
from bitten.services.throne.traders import find_traders, trader_detail
from bitten.services.throne.view import throne_view
from bitten.strategy.references import LIVE_ASIAN_FADE
from factories import (
    T0,
    World,
    add_mission,
    add_trader,
    alerted_mission,
    close_trade,
    fire_mission,
    make_signal,
    store_signal,
)

LIVE = LIVE_ASIAN_FADE.setup
JOURNEY = ("signal_emitted", "mission_created", "alert_sent", "fire_requested", "order_sent")


def throne(world: World, **overrides):
    return bootstrap.build_throne_deps(world.settings, clock=world.clock, **overrides)


def execute(world: World, sql: str, *args: object) -> None:
    """Write test data straight into the database."""
    with world.uow.db.tx() as cur:
        cur.execute(sql, args)


def journey(world: World, minute: int, gaps: list[float], engine: str = LIVE, start=T0):
    """A signal and one mission whose hops are `gaps` seconds apart, from a candle close at
    T0 + `minute` (candle_close, signal_emitted, mission_created ... broker_fill)."""
    signal = make_signal(created_at=start + timedelta(minutes=minute)).model_copy(
        update={"engine": engine}
    )
    store_signal(world, signal)
    mission = add_mission(world, add_trader(world), signal)
    at = start + timedelta(minutes=minute)
    with world.uow() as repos:
        repos.trace.stamp("candle_close", at, signal_id=signal.id)
        for hop, gap in zip((*JOURNEY, "broker_fill"), gaps, strict=True):
            at += timedelta(seconds=gap)
            ids = {} if hop == "signal_emitted" else {"mission_id": mission.id}
            repos.trace.stamp(hop, at, signal_id=signal.id, **ids)
    return mission


def test_hop_latencies_are_percentiles_over_the_missions_of_the_window(world):
    # Given three missions whose hops took known times (seconds between consecutive hops)
    journey(world, 1, [2, 1, 1, 10, 0.5, 1])
    journey(world, 2, [4, 1, 2, 20, 0.5, 1])
    journey(world, 3, [6, 1, 3, 30, 0.5, 1])
    world.clock.set(T0 + timedelta(minutes=30))
    # When the Throne reads the last hour
    hops = {(h.from_hop, h.to_hop): h.seconds for h in throne_view("hour", throne(world)).latencies}
    # Then each hop's p50/p95/p99 is percentile_cont over the three (linear interpolation)
    candle = hops[("candle_close", "signal_emitted")]
    assert (candle.count, candle.p50, candle.p95, candle.p99) == (3, 4.0, 5.8, 5.96)
    tap = hops[("alert_sent", "fire_requested")]
    assert (tap.p50, tap.p95, tap.p99) == (20.0, 29.0, 29.8)
    assert hops[("fire_requested", "order_sent")].p99 == 0.5
    # And the whole journey, candle close to fill: 15.5 / 28.5 / 41.5 s
    whole = hops[("candle_close", "broker_fill")]
    assert (whole.count, whole.p50, whole.p95) == (3, 28.5, 40.2)
    assert list(hops)[0] == ("candle_close", "signal_emitted") and len(hops) == 7


def test_a_window_counts_only_what_happened_inside_it(world):
    # Given one journey two hours ago and one ten minutes ago
    journey(world, 0, [1, 1, 1, 1, 1, 1])
    journey(world, 110, [3, 1, 1, 1, 1, 1])
    world.clock.set(T0 + timedelta(minutes=120))
    deps = throne(world)
    # When the Throne reads the last hour, then the last day
    hour, day = throne_view("hour", deps), throne_view("day", deps)
    # Then the hour has one signal, mission, alert, fire and fill; the day both
    assert (hour.flow.signals, hour.flow.missions, hour.flow.alerts_sent) == (1, 1, 1)
    assert (hour.flow.fires, hour.flow.fills) == (1, 1)
    assert hour.flow.signals_by_setup == {LIVE: 1}
    assert hour.latencies[0].seconds.count == 1 and hour.latencies[0].seconds.p50 == 3.0
    assert (day.flow.signals, day.flow.fills, day.latencies[0].seconds.p50) == (2, 2, 2.0)
    # And the alert lag runs from the candle close: 5 s in the hour
    assert (hour.flow.alert_lag.count, hour.flow.alert_lag.p50) == (1, 5.0)


def test_rejects_are_grouped_by_their_reason_and_expiries_counted(world):
    # Given a refused tap (firing paused), a broker rejection and an expired mission
    signal = store_signal(world)
    refused, rejected, expired = (add_mission(world, add_trader(world), signal) for _ in range(3))
    with world.uow() as repos:
        repos.trace.stamp("fire_refused", T0, mission_id=refused.id, code="paused", reason="x")
        repos.trace.stamp("fire_refused", T0, mission_id=refused.id, code="paused", reason="x")
        repos.trace.stamp("order_rejected", T0, mission_id=rejected.id, retcode=10006)
        repos.trace.stamp("mission_expired", T0, mission_id=expired.id)
    execute(
        world, "UPDATE missions SET status_reason = 'Request rejected' WHERE id = %s", rejected.id
    )
    # When the Throne reads the hour
    flow = throne_view("hour", throne(world)).flow
    # Then rejects are counted per reason, and the expiry is counted
    assert flow.rejects == {"refused: paused": 2, "rejected: Request rejected": 1}
    assert flow.expiries == 1


def test_telegram_delivery_counts_paid_sends_and_flood_requeues(world):
    # Given two alerts sent as paid broadcasts and a third hit by Telegram's flood control
    from bitten.adapters.telegram import NotifierError

    signal = store_signal(world)
    deps = world.alert_deps()
    deps.paid_broadcast = True
    missions = [add_mission(world, add_trader(world), signal) for _ in range(3)]
    dispatch_alerts([m.id for m in missions[:2]], deps)
    world.notifier.fail_next(NotifierError("sendMessage", "Too Many Requests", retry_after=40))
    assert dispatch_alerts([missions[2].id], deps) == {missions[2].id: "requeued"}
    # When the Throne reads the hour
    telegram = throne_view("hour", throne(world)).telegram
    # Then it shows 2 personal alerts (both paid), the group alert and one flood requeue
    assert (telegram.personal_sent, telegram.paid_sent, telegram.group_sent) == (2, 2, 1)
    assert telegram.requeued == {"flood": 1} and telegram.skipped == {}


def test_terminals_are_online_stale_offline_or_never_read(world):
    # Given four accounts: fresh, stale, refused FIRE as offline, never read
    fresh, stale, offline, never = (add_trader(world) for _ in range(4))
    for trader, age in ((fresh, 10), (stale, 900), (offline, 10)):
        execute(
            world,
            "INSERT INTO account_snapshots VALUES (%s,'USD',1,1,0,1,100,true,true,%s)",
            trader.broker_login,
            T0 - timedelta(seconds=age),
        )
    with world.uow() as repos:
        repos.trace.stamp("fire_refused", T0, trader_id=offline.id, code="terminal_offline")
    # When the Throne reads the terminals
    terminals = {t.login: t for t in throne_view("hour", throne(world)).terminals}
    # Then each has its status and the age of its last snapshot
    assert {login: t.status for login, t in terminals.items()} == {
        fresh.broker_login: "online",
        stale.broker_login: "stale",
        offline.broker_login: "offline",
        never.broker_login: "never read",
    }
    assert terminals[stale.broker_login].age_s == 900.0


def close_live(world: World, minute: int, price: str):
    """A live-setup signal taken by one trader, filled and closed at `price`."""
    signal = make_signal(created_at=T0 + timedelta(minutes=minute)).model_copy(
        update={"engine": LIVE}
    )
    mission = alerted_mission(world, add_trader(world), signal=store_signal(world, signal))
    assert fire_mission(world, mission) == "filled"
    close_trade(world, mission, price)
    return mission


def test_drift_compares_live_win_rate_and_pf_with_the_backtest_range(world):
    # Given three closed live trades: two won 19 pips, one lost 11 (win 66.7%, PF 3.45)
    close_live(world, 1, "1.10200")
    close_live(world, 2, "1.10200")
    close_live(world, 3, "1.09900")
    # When the Throne judges drift with 3 trades needed, then with 20
    (judged,) = throne_view("hour", throne(world, drift_min_trades=3)).drift
    (waiting,) = throne_view("hour", throne(world)).drift
    # Then with enough trades the win rate below 85-89.4% and PF above 1.94-2.68 are drift
    assert (judged.trades, judged.win_rate, judged.profit_factor) == (3, 66.7, 3.45)
    assert judged.status == "drift"
    assert "win rate 66.7% below the backtest's 85.0%..89.4%" in judged.note
    assert "PF 3.45 above the backtest's 1.94..2.68" in judged.note
    # And below the threshold it says too few trades
    assert waiting.status == "too few trades" and "3 of the 20" in waiting.note


def test_a_trader_is_found_by_telegram_id_login_or_mission_and_shows_each_trace(world):
    # Given a trader with a mission that went through every hop
    trader = add_trader(world, Tier.COMMANDER)
    other = add_trader(world)
    mission = alerted_mission(world, trader)
    assert fire_mission(world, mission) == "filled"
    deps = throne(world)
    # When an operator searches by Telegram id, broker login and mission id
    by = {q: find_traders(q, deps) for q in (str(trader.telegram_id), trader.broker_login)}
    by["mission"] = find_traders(str(mission.id), deps)
    # Then each search finds that trader only, saying what matched
    assert [[(m.trader_id, m.matched) for m in found] for found in by.values()] == [
        [(trader.id, "telegram id")],
        [(trader.id, "broker login")],
        [(trader.id, "mission id")],
    ]
    assert find_traders(str(other.telegram_id + 999), deps) == []
    # And the detail shows the tier, the open trade and the mission's trace in hop order
    detail = trader_detail(trader.id, deps)
    assert detail.tier is Tier.COMMANDER and len(detail.open_trades) == 1
    (shown,) = detail.missions
    hops = [e.hop for e in shown.trace]
    assert hops == ["alert_sent", "fire_requested", "fire_locked", "order_sent", "broker_fill"]
    assert shown.mission_id == mission.id and shown.status == "filled"


def test_an_empty_search_is_refused(world):
    with pytest.raises(ValueError, match="Telegram id"):
        find_traders("  ", throne(world))


def test_the_operator_report_prints_flow_hops_and_drift(world):
    # Given three journeys in the last hour
    journey(world, 1, [2, 1, 1, 10, 0.5, 1])
    journey(world, 2, [4, 1, 2, 20, 0.5, 1])
    journey(world, 3, [6, 1, 3, 30, 0.5, 1])
    world.clock.set(T0 + timedelta(minutes=30))
    # When the operator report is printed for the hour
    report = operator_report(throne(world), "hour")
    # Then it has the flow counts, each hop's percentiles and the drift status
    assert f"flow: 3 signals ({LIVE} 3), 3 missions, 3 alerts" in report
    assert "  candle_close -> signal_emitted: 4.000 / 5.800 / 5.960 (n=3)" in report
    assert "  order_sent -> broker_fill: 1.000 / 1.000 / 1.000 (n=3)" in report
    assert f"  {LIVE}: TOO FEW TRADES (too few trades: 0 of the 20 needed): 0 trades" in report


def test_bitten_ops_report_prints_the_same_report(world, monkeypatch, capsys):
    # Given a journey five minutes ago (the command reads the wall clock)
    monkeypatch.setenv("DATABASE_URL", world.settings.database_url)
    journey(world, 0, [2, 1, 1, 10, 0.5, 1], start=datetime.now(UTC) - timedelta(minutes=5))
    # When an operator runs `bitten ops report --window hour`
    assert main(["ops", "report", "--window", "hour"]) == 0
    # Then it prints the flow, each hop's percentiles and the drift status
    out = capsys.readouterr().out
    assert out.startswith("BITTEN operator report: last hour")
    assert f"flow: 1 signals ({LIVE} 1), 1 missions, 1 alerts" in out
    assert "  alert_sent -> fire_requested: 10.000 / 10.000 / 10.000 (n=1)" in out
    assert "TOO FEW TRADES" in out


def test_bitten_ops_report_reads_the_window_ending_when_told(world, monkeypatch, capsys):
    # Given a journey at T0 (a replay's clock, not the wall clock)
    monkeypatch.setenv("DATABASE_URL", world.settings.database_url)
    journey(world, 0, [2, 1, 1, 10, 0.5, 1])
    # When the report is asked for the hour ending 30 minutes after it
    assert main(["ops", "report", "--window", "hour", "--until", "2024-01-08T10:30:00"]) == 0
    # Then it counts that journey
    out = capsys.readouterr().out
    assert "to 2024-01-08 10:30:00 UTC" in out and "flow: 1 signals" in out


def test_result_sync_raises_the_drift_alarm_once_an_hour(world):
    import io
    import json

    from bitten import metrics
    from bitten.services.result_sync import sync_results

    # Given three closed live trades outside the backtest's range, drift judged from 3 trades
    for minute, price in ((1, "1.10200"), (2, "1.10200"), (3, "1.09900")):
        close_live(world, minute, price)
    deps = world.sync_deps()
    deps.throne = throne(world, drift_min_trades=3)
    out = io.StringIO()
    metrics.configure("test", out)
    try:
        # When result_sync runs a minute past the hour, then on the hour
        world.clock.set(T0.replace(hour=11, minute=1))
        between = sync_results(deps)
        world.clock.set(T0.replace(hour=12))
        on_the_hour = sync_results(deps)
    finally:
        metrics.disable()
    # Then only the run on the hour judges drift, and writes one warning for the setup
    assert "drift_warnings" not in between and on_the_hour["drift_warnings"] == 1
    warnings = [d for d in map(json.loads, out.getvalue().splitlines()) if "DriftWarnings" in d]
    assert [(d["Setup"], d["DriftWarnings"]) for d in warnings] == [(LIVE, 1.0)]
