"""The XP ledger (issue 12): every award once however often a close is delivered."""

from __future__ import annotations

import os
import shutil
import threading
from datetime import timedelta

import psycopg
import pytest

from bitten.adapters.postgres.migrate import migrate
from bitten.domain.xp import trade_awards
from bitten.local.postgres import fresh_database
from bitten.services.fire_execution import execute_fire
from bitten.services.fire_request import FireCommand, request_fire
from bitten.services.positions import record_close
from conftest import MIGRATIONS, _admin_url
from factories import T0, add_mission, add_trader
from game_factories import balance, exit_deal, ledger_sum, xp_rows


def filled_position(world):
    """A trader with one filled EURUSD mission, and the position result_sync would track."""
    trader = add_trader(world)
    mission = add_mission(world, trader)
    cmd = FireCommand(mission.id, trader.id, "telegram", "tap-1")
    request_fire(cmd, world.fire_request_deps())
    execute_fire(mission.id, "msg-1", world.fire_exec_deps())
    with world.uow() as repos:
        (position,) = repos.fires.open_positions()
    return trader, mission, position


@pytest.mark.parametrize("reason", ["tp", "sl"])
def test_a_close_by_its_own_stop_or_target_earns_15_once_however_often_delivered(world, reason):
    # Given a filled trade
    trader, mission, position = filled_position(world)
    deal = exit_deal(mission.id, reason, T0 + timedelta(minutes=9))
    # When the broker's close is recorded three times (overlapping result_sync runs)
    recorded = [record_close(position, deal, world.sync_deps()) for _ in range(3)]
    # Then it is recorded once; win or lose the trade earns 5 + 10, and the first achievement 10
    assert recorded == [True, False, False]
    assert xp_rows(world, trader) == [
        ("fired_in_window", 5),
        ("closed_by_bracket", 10),
        ("achievement", 10),
    ]
    assert balance(world, trader) == ledger_sum(world, trader) == 25


def test_a_trade_closed_by_hand_earns_nothing(world):
    # Given a filled trade the trader closes by hand (abandoning its stop and target)
    trader, mission, position = filled_position(world)
    # When the close is recorded
    record_close(position, exit_deal(mission.id, "client", T0), world.sync_deps())
    # Then no XP is awarded at all: breaking one's plan earns none
    assert xp_rows(world, trader) == []
    assert balance(world, trader) == 0


def test_concurrent_awards_of_the_same_trade_write_each_event_once(world):
    # Given one trade's awards, about to be written by 8 workers at the same moment
    trader, mission, _ = filled_position(world)
    awards = trade_awards(trader.id, mission.id, "tp")
    start, written = threading.Barrier(8), []

    def worker() -> None:
        start.wait()
        with world.uow() as repos:
            written.append(repos.game.xp.award_many(awards, T0))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Then exactly one worker wrote the two events, and the balance moved once
    assert sorted(written) == [0] * 7 + [2]
    assert balance(world, trader) == ledger_sum(world, trader) == 15


def test_migration_moves_the_old_counter_into_the_ledger(tmp_path):
    # Given a database at migration 0003 with a trader who earned 40 XP under the old counter
    early = tmp_path / "early"
    early.mkdir()
    for path in sorted(MIGRATIONS.glob("000*.sql")):
        shutil.copy(path, early / path.name)
    name = f"bitten_xp_migration_{os.getpid()}"
    url = fresh_database(_admin_url(), name)
    migrate(url, early)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO traders (id, telegram_id, username, xp, created_at) "
            "VALUES (gen_random_uuid(), 1, 'veteran', 40, now())"
        )
        # When the game's migrations run
        migrate(url, MIGRATIONS)
        # Then the 40 XP are one opening event, and the balance still reads 40
        events = conn.execute("SELECT kind, amount FROM xp_events").fetchall()
        xp = conn.execute("SELECT xp FROM traders").fetchall()
    with psycopg.connect(_admin_url(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert events == [("opening_balance", 40)]
    assert xp == [(40,)]
