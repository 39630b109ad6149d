"""Every queue message delivered twice, through the real handlers: no order, mission or
message is duplicated."""

from __future__ import annotations

from datetime import timedelta

from test_handlers import failed_ids, scheduled_event, sqs_event

from bitten.adapters.market_data import CandleReplayFeed
from bitten.handlers import functions
from bitten.services.fire_request import FireCommand, request_fire
from factories import T0, add_trader, buy_eurusd_on_last_bar, make_world, market


def twice(handler, queue_name: str, bodies: list) -> None:
    """Each body delivered, then the whole batch again (SQS at least once)."""
    for _ in range(2):
        assert failed_ids(handler(sqs_event(queue_name, *bodies), None)) == []


def test_a_night_with_every_message_delivered_twice_duplicates_nothing(settings):
    # Given two traders and a market whose target is reached after the fill
    world = make_world(settings, market(EURUSD={T0 + timedelta(minutes=5): (1.1030, 1.1)}))
    traders = [add_trader(world), add_trader(world)]
    scan = functions.signal_scan(
        world.scan_deps(buy_eurusd_on_last_bar, CandleReplayFeed(market()))
    )
    # When each stage's messages arrive twice
    scan(scheduled_event(), None)
    twice(functions.mission_fanout(world.fanout_deps()), "signals", world.signals_queue.take())
    twice(functions.alert_dispatch(world.alert_deps()), "alerts", world.alerts_queue.take())
    for mission in world.rows("SELECT id, trader_id FROM missions"):
        cmd = FireCommand(mission["id"], mission["trader_id"], "telegram", f"tap-{mission['id']}")
        request_fire(cmd, world.fire_request_deps())
    twice(functions.fire_execution(world.fire_exec_deps()), "fires.fifo", world.fires_queue.take())
    world.clock.advance(timedelta(minutes=7))
    sync = functions.result_sync(world.sync_deps())
    sync(scheduled_event(), None), sync(scheduled_event(), None)
    # Then one mission, one alert, one order, one fill and one close message per trader
    assert len(world.rows("SELECT 1 FROM missions")) == 2
    assert len(world.broker.book.orders()) == 2
    assert world.rows("SELECT DISTINCT status FROM missions") == [{"status": "closed_tp"}]
    for trader in traders:
        texts = [m["text"] for m in world.notifier.messages_to(trader.telegram_id)]
        assert [t.split()[0] for t in texts] == ["🎯", "✅", "🏆"], texts
