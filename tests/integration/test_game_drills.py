"""Daily drill reports (issue 12): once per (trader, local trading day), at 18:00 their time."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bitten.services.game.tick import game_tick
from factories import add_trader
from game_factories import fired_and_closed, set_zone, tick_deps


def run_ticks(world, deps, until: datetime, every: timedelta = timedelta(minutes=15)) -> None:
    """The scheduler, every `every` until `until` (the world's clock moves with it)."""
    while world.clock.now() < until:
        game_tick(deps)
        world.clock.advance(every)


def reports(world) -> list[dict]:
    return world.rows(
        "SELECT d.trader_id, d.day, d.created_at, d.tone FROM drill_reports d ORDER BY created_at"
    )


@pytest.mark.parametrize(
    ("zone", "start", "days", "local_hours"),
    [
        # New York across spring forward (Sun 10 Mar 2024): 18:00 EST = 23:00Z, then 22:00Z
        ("America/New_York", datetime(2024, 3, 8, 12, tzinfo=UTC), 4, {18}),
        # and across fall back (Sun 3 Nov 2024)
        ("America/New_York", datetime(2024, 11, 1, 12, tzinfo=UTC), 4, {18}),
        # Tokyo: its 18:00 is 09:00 UTC; Honolulu's is 04:00 UTC the next UTC day
        ("Asia/Tokyo", datetime(2024, 1, 8, 0, tzinfo=UTC), 3, {18}),
        ("Pacific/Honolulu", datetime(2024, 1, 8, 0, tzinfo=UTC), 3, {18}),
    ],
)
def test_one_report_per_local_day_at_18h_across_zones_and_dst(
    world, zone, start, days, local_hours
):
    # Given a trader in `zone`, and a scheduler running every 15 minutes (twice each time)
    world.clock.set(start - timedelta(days=1))
    trader = add_trader(world)
    set_zone(world, trader, zone)
    world.clock.set(start)
    deps = tick_deps(world)
    # When `days` days pass
    while world.clock.now() < start + timedelta(days=days):
        game_tick(deps)
        game_tick(deps)
        world.clock.advance(timedelta(minutes=15))
    # Then there is exactly one report per local date, each written at 18:00 local
    rows = reports(world)
    local = [r["created_at"].astimezone(ZoneInfo(zone)) for r in rows]
    assert [r["day"] for r in rows] == [t.date() for t in local]
    assert len({r["day"] for r in rows}) == len(rows) == days
    assert {t.hour for t in local} == local_hours and {t.minute for t in local} == {0}


def test_concurrent_scheduler_runs_write_each_report_once(world):
    # Given 30 traders whose drill is due
    traders = [add_trader(world) for _ in range(30)]
    world.clock.set(datetime(2024, 1, 8, 18, 5, tzinfo=UTC))
    deps = tick_deps(world, chunk=7)
    start, errors = threading.Barrier(4), []

    def run() -> None:
        start.wait()
        try:
            game_tick(deps)
        except Exception as err:  # noqa: BLE001 - the assertion below names it
            errors.append(err)

    # When four scheduler invocations run at once
    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then each trader has one report and one notice queued for Telegram
    assert errors == []
    assert sorted(r["trader_id"] for r in reports(world)) == sorted(t.id for t in traders)
    assert len(world.rows("SELECT 1 FROM game_notices WHERE kind = 'drill'")) == 30
    assert len(deps.notices_queue.bodies) == 30


def drill_text(world, trader) -> str:
    (row,) = world.rows("SELECT text FROM drill_reports WHERE trader_id = %s", trader.id)
    return row["text"]


def test_the_report_tones_and_lessons_follow_the_day(world):
    # Given three traders: one hit a target, one took a stop, one closed a trade by hand
    winner, loser, cutter, idle = (add_trader(world) for _ in range(4))
    fired_and_closed(world, winner, "tp", "19", "1.1020")  # filled at the ask, 1.1001
    fired_and_closed(world, loser, "sl", "-11", "1.0990")
    fired_and_closed(world, cutter, "client", "5", "1.1006")
    # When the 18:00 UTC drill runs
    world.clock.set(datetime(2024, 1, 8, 18, 0, tzinfo=UTC))
    game_tick(tick_deps(world))
    # Then each gets the tone of their day and a lesson naming what happened
    win = drill_text(world, winner)
    assert win.splitlines()[1].startswith("OUTSTANDING")
    assert "Shots 1 of 2 (LONE_WOLF) | wins 1 of 1 closed" in win
    assert "Lesson: EURUSD ran to its target (+19.0 pips)" in win
    assert drill_text(world, loser).splitlines()[1].startswith("STEADY")
    assert "1 stop(s) taken cleanly for -11.0 pips" in drill_text(world, loser)
    cut = drill_text(world, cutter)
    assert cut.splitlines()[1].startswith("ROUGH") and "Discipline 60/100" in cut
    assert "You closed EURUSD by hand at +5.0 pips" in cut
    assert drill_text(world, idle).splitlines()[1].startswith("NO ACTION")


def test_a_followed_day_earns_plan_xp_and_starts_a_streak(world):
    # Given a trader who took one shot and let it run to its target
    trader = add_trader(world)
    fired_and_closed(world, trader, "tp")
    # When the drill runs twice
    world.clock.set(datetime(2024, 1, 8, 18, 0, tzinfo=UTC))
    game_tick(tick_deps(world))
    game_tick(tick_deps(world))
    # Then the plan day is awarded once and the streak is 1
    plan_days = world.rows("SELECT amount FROM xp_events WHERE kind = 'plan_day'")
    assert plan_days == [{"amount": 20}]
    assert world.rows("SELECT current, best FROM streaks") == [{"current": 1, "best": 1}]
    assert "Streak 1 day (best 1)" in drill_text(world, trader)
    # 15 for the trade, 10 for By the Book (Bronze), 20 for the plan
    assert "XP today +45" in drill_text(world, trader)
