"""Use cases on the embedded Postgres with in-process fakes, built through bootstrap."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal
from uuid import UUID

import pytest

from bitten.adapters.forexvps import ForexVpsError
from bitten.adapters.market_data import CandleReplayFeed
from bitten.domain.broker import BrokerError, BrokerTimeout
from bitten.domain.mission import MissionAlreadyFired, MissionExpired, MissionStatus
from bitten.domain.tiers import Tier, TierViolation
from bitten.local.paper import InMemoryBroker
from bitten.services.alerts import dispatch_alert
from bitten.services.fanout import fan_out_missions
from bitten.services.fire_execution import execute_fire
from bitten.services.fire_request import FireCommand, request_fire
from bitten.services.result_sync import sync_results
from bitten.services.scan import scan_signals
from factories import (
    PRICES,
    T0,
    World,
    add_mission,
    add_trader,
    buy_eurusd_on_last_bar,
    candles,
    hops,
    make_signal,
    make_world,
    market,
    store_signal,
)


def fire(world: World, mission, key: str = "tap-1") -> None:
    request_fire(
        FireCommand(mission.id, mission.trader_id, "telegram", key), world.fire_request_deps()
    )


def status_of(world: World, mission_id) -> str:
    return world.rows("SELECT status FROM missions WHERE id = %s", mission_id)[0]["status"]


# -- signal_scan -------------------------------------------------------------------------


def test_scan_stores_and_enqueues_a_signal_once_even_when_rerun(world):
    # Given a scanner that sees a setup on the last closed EURUSD bar
    deps = world.scan_deps(buy_eurusd_on_last_bar, CandleReplayFeed(market()))
    # When the scan runs twice for the same minute
    first, second = scan_signals(deps), scan_signals(deps)
    # Then one signal is stored and enqueued; the re-run emits nothing
    assert len(first) == 1 and second == []
    stored = world.rows("SELECT id, entry, bar_time FROM signals")
    assert [r["id"] for r in stored] == [first[0].id]
    assert stored[0]["entry"] == Decimal("1.1")
    assert stored[0]["bar_time"] == T0 - timedelta(minutes=1)
    assert world.signals_queue.bodies == [{"signal_id": str(first[0].id)}]


class FeedMissing(CandleReplayFeed):
    """The replay, except that the broker answers an error for the `broken` symbols."""

    def __init__(self, candles, broken: set[str]) -> None:
        super().__init__(candles)
        self.broken = broken

    def recent(self, pair, now, bars):
        if pair in self.broken:
            raise ForexVpsError(404, "unknown_symbol", f"{pair} is not quoted here")
        return super().recent(pair, now, bars)


def test_a_pair_the_feed_fails_on_is_skipped_and_the_others_are_scanned(world):
    # Given a feed where USDJPY's rates fail
    candles = market()
    deps = world.scan_deps(buy_eurusd_on_last_bar, FeedMissing(candles, {"USDJPY"}))
    # When the scan runs, EURUSD's signal is still emitted
    assert [s.pair for s in scan_signals(deps)] == ["EURUSD"]
    # And when every pair fails, the scan fails loudly (the function's error alarm)
    deps = world.scan_deps(buy_eurusd_on_last_bar, FeedMissing(candles, set(candles)))
    with pytest.raises(BrokerError, match="no candles for any pair"):
        scan_signals(deps)


# -- mission_fanout ----------------------------------------------------------------------


def test_fanout_sizes_one_mission_per_eligible_trader_from_the_broker_balance(world):
    # Given two traders with different balances and a 10 pip EURUSD signal (x1.0 shield)
    small = add_trader(world, Tier.FANG, balance="5000")
    large = add_trader(world, Tier.COMMANDER, balance="20000", demo=False)
    signal = store_signal(world)
    # When the signal fans out
    outcome = fan_out_missions(signal.id, world.fanout_deps())
    # Then each gets a mission sized 2% of their own balance over 10 pips x 10 USD
    assert outcome["created"] == 2
    rows = world.rows("SELECT trader_id, balance, risk_amount, lots FROM missions")
    by_trader = {r["trader_id"]: (r["balance"], r["risk_amount"], r["lots"]) for r in rows}
    assert by_trader == {
        small.id: (Decimal("5000"), Decimal("100"), Decimal("1")),
        large.id: (Decimal("20000"), Decimal("400"), Decimal("4")),
    }
    assert len(world.alerts_queue.bodies) == 2


def test_fanout_sizes_a_cross_from_the_brokers_usdjpy_rate(settings):
    # Given a broker quoting EURJPY at 162 and USDJPY at 150, and a 20 pip EURJPY signal
    world = make_world(settings, {**market(), "EURJPY": candles("EURJPY", 162.0)})
    add_trader(world, Tier.FANG, balance="10000")
    signal = store_signal(world, make_signal("EURJPY", entry="162", stop_pips="20"))
    # When it fans out
    assert fan_out_missions(signal.id, world.fanout_deps()) == {"created": 1}
    # Then pips are valued at 1000/150.005 USD (USDJPY mid): 200 / (20 x 6.6664) = 1.50 lots
    assert world.rows("SELECT lots FROM missions") == [{"lots": Decimal("1.50")}]


def test_fanout_skips_a_nibbler_with_an_open_trade(world):
    # Given a NIBBLER whose earlier mission was fired and not yet filled
    nibbler = add_trader(world, Tier.NIBBLER)
    add_mission(world, nibbler, status=MissionStatus.FIRE_REQUESTED)
    signal = store_signal(world, make_signal(created_at=T0 + timedelta(minutes=1)))
    # When a new signal fans out
    outcome = fan_out_missions(signal.id, world.fanout_deps())
    # Then no mission is created for them
    assert outcome == {"skipped_tier": 1}
    assert world.rows("SELECT 1 FROM missions WHERE signal_id = %s", signal.id) == []


def test_fanout_sizes_down_a_trader_already_betting_the_same_way(world):
    # Given a shield-8 EURUSD buy (x1.25), and two FANG traders with 10,000 each, one of whom
    # already has a EURUSD buy in flight
    clear = add_trader(world, Tier.FANG, balance="10000")
    long_eur = add_trader(world, Tier.FANG, balance="10000")
    add_mission(world, long_eur, status=MissionStatus.FIRE_REQUESTED)
    signal = make_signal(multiplier="1.25", created_at=T0 + timedelta(minutes=1))
    signal = store_signal(world, signal.model_copy(update={"shield_score": Decimal("8.0")}))
    # When the signal fans out
    assert fan_out_missions(signal.id, world.fanout_deps()) == {"created": 2}
    # Then the clear trader risks 2% x 1.25; the other loses a shield point (score 7: x1.125,
    # kept to two decimals as signals are: x1.12) and is told why
    rows = world.rows(
        "SELECT trader_id, risk_multiplier, risk_amount, lots, exposure_note FROM missions "
        "WHERE signal_id = %s",
        signal.id,
    )
    by_trader = {r.pop("trader_id"): r for r in rows}
    assert by_trader[clear.id] == {
        "risk_multiplier": Decimal("1.25"),
        "risk_amount": Decimal("250"),
        "lots": Decimal("2.50"),
        "exposure_note": None,
    }
    assert by_trader[long_eur.id] == {
        "risk_multiplier": Decimal("1.12"),
        "risk_amount": Decimal("224"),
        "lots": Decimal("2.24"),
        "exposure_note": "already long EUR in 1 open trade (-1 shield)",
    }
    # And each personal alert shows the trader's own multiplier, and why it was lowered
    for body in world.alerts_queue.bodies:
        dispatch_alert(UUID(body["mission_id"]), world.alert_deps())
    (told,) = world.notifier.messages_to(long_eur.telegram_id)
    assert "x1.12 risk" in told["text"]
    assert "⚖️ already long EUR in 1 open trade (-1 shield)" in told["text"]
    (plain,) = world.notifier.messages_to(clear.telegram_id)
    assert "x1.25 risk" in plain["text"] and "⚖️" not in plain["text"]


def test_fanout_skips_press_pass_on_a_live_account(world):
    add_trader(world, Tier.PRESS_PASS, demo=False)
    demo = add_trader(world, Tier.PRESS_PASS, demo=True)
    signal = store_signal(world)
    outcome = fan_out_missions(signal.id, world.fanout_deps())
    assert outcome == {"skipped_tier": 1, "created": 1}
    assert [r["trader_id"] for r in world.rows("SELECT trader_id FROM missions")] == [demo.id]


def test_fanout_of_a_redelivered_signal_creates_no_second_mission(world):
    add_trader(world, Tier.FANG)
    signal = store_signal(world)
    fan_out_missions(signal.id, world.fanout_deps())
    # When the queue delivers the same signal again
    outcome = fan_out_missions(signal.id, world.fanout_deps())
    # Then the mission is not duplicated (its alert is re-enqueued; dispatch is idempotent)
    assert outcome == {"already_created": 1}
    assert len(world.rows("SELECT id FROM missions")) == 1


def test_fanout_skips_a_trader_whose_broker_account_is_gone_and_serves_the_rest(world):
    # Given one trader linked to a login the broker does not know
    ghost = add_trader(world, Tier.FANG)
    with world.uow() as repos:
        repos.traders.link_account(ghost.id, "999", True, "USD", T0)
    ok = add_trader(world, Tier.FANG)
    signal = store_signal(world)
    # When the signal fans out
    outcome = fan_out_missions(signal.id, world.fanout_deps())
    # Then the other trader still gets a mission
    assert outcome["created"] == 1
    assert [r["trader_id"] for r in world.rows("SELECT trader_id FROM missions")] == [ok.id]


class CountingBroker(InMemoryBroker):
    """Counts account reads; the first batch read can be made to time out."""

    def __init__(self, *args, time_out_once: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.time_out_once, self.single_reads, self.batch_reads = time_out_once, 0, 0

    def account_info(self, login: str):
        self.single_reads += 1
        return super().account_info(login)

    def accounts(self, logins):
        self.batch_reads += 1
        if self.time_out_once:
            self.time_out_once = False
            raise BrokerTimeout("accounts did not answer")
        return super().accounts(logins)


def test_fanout_reads_stale_accounts_in_one_batch_then_sizes_from_snapshots(world):
    # Given 30 traders the platform has never read, and a broker that counts its calls
    world.broker = CountingBroker(book=world.broker.book)
    for _ in range(30):
        add_trader(world)
    first, second = store_signal(world), store_signal(world, make_signal("USDJPY"))
    # When two signals fan out
    assert fan_out_missions(first.id, world.fanout_deps()) == {"created": 30}
    assert fan_out_missions(second.id, world.fanout_deps()) == {"created": 30}
    # Then the accounts were read once, in one batch call, and never one by one
    assert (world.broker.batch_reads, world.broker.single_reads) == (1, 0)
    assert len(world.rows("SELECT 1 FROM account_snapshots")) == 30
    # And the 60 alerts went out in SendMessageBatch-sized groups
    assert len(world.alerts_queue.bodies) == 60 and world.alerts_queue.batches == 6


def test_fanout_sizes_from_the_snapshot_result_sync_refreshed(world):
    # Given a trader whose balance changed after the last snapshot
    trader = add_trader(world, balance="10000")
    sync_results(world.sync_deps())  # snapshot: 10,000
    world.broker.book.adjust_balance(trader.broker_login, Decimal("-5000"))
    # When a signal fans out, the snapshot (not a fresh broker read) sizes the mission
    fan_out_missions(store_signal(world).id, world.fanout_deps())
    assert world.rows("SELECT balance, lots FROM missions") == [
        {"balance": Decimal("10000.00"), "lots": Decimal("2.00")}
    ]


def test_fanout_retries_traders_whose_accounts_timed_out_on_redelivery(world):
    # Given two traders and a broker whose first batch account read times out
    add_trader(world), add_trader(world)
    world.broker = CountingBroker(book=world.broker.book, time_out_once=True)
    signal = store_signal(world)
    # When the signal fans out, the message fails so the queue redelivers it
    with pytest.raises(BrokerTimeout):
        fan_out_missions(signal.id, world.fanout_deps())
    assert world.rows("SELECT trader_id FROM missions") == []
    # Then the redelivery creates both missions, and a third delivery duplicates nothing
    assert fan_out_missions(signal.id, world.fanout_deps()) == {"created": 2}
    assert fan_out_missions(signal.id, world.fanout_deps()) == {"already_created": 2}
    assert len(world.rows("SELECT 1 FROM missions")) == 2


# -- alert_dispatch ----------------------------------------------------------------------


def test_alerts_go_out_once_even_when_dispatched_twice(world, settings):
    # Given two traders with missions for one signal
    a, b = add_trader(world), add_trader(world)
    signal = store_signal(world)
    missions = [add_mission(world, t, signal) for t in (a, b)]
    # When each mission's alert is dispatched twice (queue redelivery)
    results = [dispatch_alert(m.id, world.alert_deps()) for m in missions for _ in range(2)]
    # Then one group alert and one personal alert per trader went out
    assert results == [True, False, True, False]
    group = world.notifier.messages_to(settings.telegram_group_chat_id)
    assert len(group) == 1 and "EURUSD" in group[0]["text"]
    for trader, mission in zip((a, b), missions, strict=True):
        (personal,) = world.notifier.messages_to(trader.telegram_id)
        fire_button = personal["buttons"][0][0]
        assert (fire_button.text, fire_button.callback_data) == ("FIRE", f"fire:{mission.id}")
        hud = personal["buttons"][0][1]
        assert (hud.url, hud.web_app_url) == (None, f"http://hud.test/hud?mission={mission.id}")


# -- fire request ------------------------------------------------------------------------


def test_second_fire_request_is_refused_and_traced_as_a_duplicate(world):
    mission = add_mission(world, add_trader(world))
    fire(world, mission, "tap-1")
    # When the trader taps FIRE again
    with pytest.raises(MissionAlreadyFired):
        fire(world, mission, "tap-2")
    # Then one fire was enqueued and the second tap is on record
    assert world.fires_queue.bodies == [{"mission_id": str(mission.id), "attempt": 1}]
    assert status_of(world, mission.id) == "fire_requested"
    requests = world.rows("SELECT accepted FROM fire_requests ORDER BY requested_at, accepted DESC")
    assert [r["accepted"] for r in requests] == [True, False]
    assert hops(world, mission.signal_id, mission.id).count("duplicate_blocked") == 1


def test_fire_after_expiry_is_refused(world):
    mission = add_mission(world, add_trader(world))
    world.clock.advance(timedelta(minutes=10))
    with pytest.raises(MissionExpired, match="expired at 10:10 UTC"):
        fire(world, mission)
    assert world.fires_queue.bodies == []
    assert status_of(world, mission.id) == "open"


class BrokenQueue:
    """A queue whose send fails (SQS outage)."""

    def send(self, body, group_id=None, dedup_id=None) -> str:
        raise ConnectionError("sqs unreachable")

    def ping(self) -> None:
        raise ConnectionError("sqs unreachable")


def test_fire_request_writes_nothing_when_the_fire_cannot_be_enqueued(world):
    mission = add_mission(world, add_trader(world))
    deps = world.fire_request_deps()
    deps.fires_queue = BrokenQueue()
    with pytest.raises(ConnectionError):
        request_fire(FireCommand(mission.id, mission.trader_id, "hud", "k1"), deps)
    # Then the mission can still be fired: nothing was half-written
    assert status_of(world, mission.id) == "open"
    assert world.rows("SELECT 1 FROM fire_requests") == []
    assert "fire_requested" not in hops(world, mission.signal_id, mission.id)
    fire(world, mission, "k2")
    assert status_of(world, mission.id) == "fire_requested"


def test_a_nibbler_with_two_missions_can_fire_only_one(world):
    nibbler = add_trader(world, Tier.NIBBLER, demo=False)
    first = add_mission(world, nibbler)
    second = add_mission(world, nibbler, store_signal(world, make_signal(direction="sell")))
    fire(world, first, "tap-1")
    with pytest.raises(TierViolation, match="NIBBLER allows 1 open trade"):
        fire(world, second, "tap-2")
    assert status_of(world, second.id) == "open"


# -- fire_execution ----------------------------------------------------------------------


def test_executing_a_fire_twice_sends_exactly_one_order(world):
    trader = add_trader(world)
    mission = add_mission(world, trader, lots="0.50")
    fire(world, mission)
    # When the fire message is delivered twice
    first = execute_fire(mission.id, "msg-1", world.fire_exec_deps())
    second = execute_fire(mission.id, "msg-2", world.fire_exec_deps())
    # Then one order reached the broker, the fire is filled and the position recorded
    assert (first, second) == ("filled", "duplicate")
    assert len(world.broker.sent) == 1
    assert len(world.broker.positions(trader.broker_login)) == 1
    fire_row = world.rows("SELECT state FROM fires WHERE mission_id = %s", mission.id)
    assert fire_row == [{"state": "filled"}]
    (position,) = world.rows("SELECT volume, price_open FROM positions")
    assert position == {"volume": Decimal("0.50"), "price_open": Decimal("1.10010")}
    assert status_of(world, mission.id) == "filled"


@pytest.mark.parametrize(
    ("pair", "direction", "sl", "tp"),
    [
        ("USDJPY", "sell", Decimal("150.100"), Decimal("149.800")),  # sell fills at the bid 150.000
        ("XAUUSD", "buy", Decimal("1999.41"), Decimal("2002.41")),  # buy fills at the ask 2000.41
    ],
)
def test_fire_brackets_the_fill_price_on_the_right_side(world, pair, direction, sl, tp):
    # Given a 10 pip stop / 20 pip target signal on a JPY pair or gold
    signal = store_signal(world, make_signal(pair, direction))
    mission = add_mission(world, add_trader(world), signal)
    fire(world, mission)
    # When it executes, then the broker accepts stops measured from the actual fill price
    assert execute_fire(mission.id, "msg-1", world.fire_exec_deps()) == "filled"
    (_, order) = world.broker.sent[0]
    assert (order.side, order.sl, order.tp) == (direction, sl, tp)


class RaceLock:
    """The real fake lock, but both racers reach it before either claims."""

    def __init__(self, lock, parties: int) -> None:
        self.lock, self.barrier = lock, threading.Barrier(parties, timeout=5)

    def claim(self, mission_id: str, owner: str) -> bool:
        self.barrier.wait()
        return self.lock.claim(mission_id, owner)

    def ping(self) -> None:
        self.lock.ping()


def test_two_concurrent_deliveries_are_serialised_by_the_lock(world):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    fire(world, mission)
    deps = world.fire_exec_deps()
    deps.lock = RaceLock(world.lock, 2)
    outcomes: list[str] = []
    # When two workers execute the same fire at the same moment
    workers = [
        threading.Thread(target=lambda m=m: outcomes.append(execute_fire(mission.id, m, deps)))
        for m in ("msg-a", "msg-b")
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(10)
    # Then exactly one order was sent
    assert sorted(outcomes) == ["duplicate", "filled"]
    assert len(world.broker.sent) == 1


class UnreachableAfterSend(InMemoryBroker):
    """The order executes but the answer is lost, and the broker stays unreachable for a while."""

    def __init__(self, *args, lookups_failing: int = 1, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lookups_failing = lookups_failing

    def find_order(self, login: str, client_id: str):
        if self.lookups_failing > 0:
            self.lookups_failing -= 1
            raise BrokerTimeout("broker unreachable")
        return super().find_order(login, client_id)


def test_a_lost_answer_leaves_the_fire_unknown_until_result_sync_finds_the_order(settings):
    world = make_world(settings)
    world.broker = UnreachableAfterSend(book=world.broker.book)
    trader = add_trader(world)
    mission = add_mission(world, trader)
    fire(world, mission)
    world.broker.inject_fault("drop_after_execute")
    # When the order executes but its answer is lost
    assert execute_fire(mission.id, "msg-1", world.fire_exec_deps()) == "unknown"
    assert world.rows("SELECT state FROM fires") == [{"state": "unknown"}]
    # And result_sync asks the broker by the mission's client id
    world.clock.advance(timedelta(minutes=1))
    report = sync_results(world.sync_deps())
    # Then the fill is recorded and the order was never resent
    assert report["reconciled_filled"] == 1
    assert world.rows("SELECT state FROM fires") == [{"state": "filled"}]
    assert len(world.rows("SELECT 1 FROM positions")) == 1
    assert len(world.broker.sent) == 1


def test_broker_down_before_send_hands_the_mission_back_and_the_next_fire_fills_once(world):
    # Given a fired mission and a gateway that answers 504 terminal_timeout (nothing sent)
    trader = add_trader(world)
    mission = add_mission(world, trader)
    fire(world, mission, "tap-1")
    world.broker.inject_fault("timeout")
    # When the fire executes
    assert execute_fire(mission.id, "msg-1", world.fire_exec_deps()) == "released"
    # Then the mission is open again, the trader is told, and no order exists
    assert status_of(world, mission.id) == "open"
    assert world.broker.book.orders() == []
    told = world.notifier.messages_to(trader.telegram_id)[-1]["text"]
    assert told.startswith("Nothing was sent: the broker was unavailable") and "10:10 UTC" in told
    # And a second FIRE is attempt 2, which fills: one order in all
    fire(world, mission, "tap-2")
    assert world.fires_queue.bodies[-1] == {"mission_id": str(mission.id), "attempt": 2}
    assert execute_fire(mission.id, "msg-2", world.fire_exec_deps(), attempt=2) == "filled"
    assert len(world.broker.book.orders()) == 1 and status_of(world, mission.id) == "filled"
    # And the first attempt's message delivered again changes nothing
    assert execute_fire(mission.id, "msg-1", world.fire_exec_deps(), attempt=1) == "duplicate"
    assert len(world.broker.book.orders()) == 1


def test_a_dropped_connection_is_unknown_and_rejected_after_the_grace_period_never_resent(world):
    trader = add_trader(world)
    mission = add_mission(world, trader)
    fire(world, mission)
    world.broker.inject_fault("drop_before_execute")
    assert execute_fire(mission.id, "msg-1", world.fire_exec_deps()) == "unknown"
    # Within the grace period the outcome stays open
    world.clock.advance(timedelta(seconds=60))
    assert sync_results(world.sync_deps())["reconciled_pending"] == 1
    # After it, the mission is rejected with a reason and no second order is sent
    world.clock.advance(timedelta(minutes=3))
    assert sync_results(world.sync_deps())["reconciled_rejected"] == 1
    assert status_of(world, mission.id) == "rejected"
    assert len(world.broker.sent) == 1
    told = world.notifier.messages_to(trader.telegram_id)[-1]["text"]
    assert "the broker has no order for this fire" in told


# -- result_sync -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spike", "reason", "pips"),
    [((1.1030, 1.1000), "tp", Decimal("20.0")), ((1.1000, 1.0980), "sl", Decimal("-10.0"))],
)
def test_result_sync_records_a_close_with_pips_and_xp(settings, spike, reason, pips):
    # Given a filled EURUSD buy (SL 10, TP 20 pips) and a bar that later reaches one level
    world = make_world(settings, market(EURUSD={T0 + timedelta(minutes=5): spike}))
    trader = add_trader(world)
    mission = add_mission(world, trader)
    fire(world, mission)
    execute_fire(mission.id, "msg-1", world.fire_exec_deps())
    # When result_sync runs after that bar closed
    world.clock.advance(timedelta(minutes=7))
    assert sync_results(world.sync_deps())["closed"] == 1
    # Then the close, its pips and the trader's XP are recorded, once
    (row,) = world.rows("SELECT close_reason, pips FROM positions")
    assert (row["close_reason"], row["pips"]) == (reason, pips)
    assert sync_results(world.sync_deps())["closed"] == 0
    # And the ledger pays the discipline, not the result: 5 for firing in the window and 10 for
    # a close by its own stop or target, win or lose (issue 12), plus the first achievement's 10
    events = world.rows("SELECT kind, amount FROM xp_events WHERE reference = %s", str(mission.id))
    assert sorted((e["kind"], e["amount"]) for e in events) == [
        ("closed_by_bracket", 10),
        ("fired_in_window", 5),
    ]
    assert world.rows("SELECT xp FROM traders") == [{"xp": 25}]


def test_a_filled_mission_leaves_a_trace_row_per_hop(settings):
    # Given a market that hits the target shortly after the signal
    world = make_world(settings, market(EURUSD={T0 + timedelta(minutes=5): (1.1030, 1.1)}))
    trader = add_trader(world)
    (signal,) = scan_signals(world.scan_deps(buy_eurusd_on_last_bar, CandleReplayFeed(market())))
    # When it runs the whole path
    fan_out_missions(signal.id, world.fanout_deps())
    (mission_id,) = [r["id"] for r in world.rows("SELECT id FROM missions")]
    dispatch_alert(mission_id, world.alert_deps())
    request_fire(FireCommand(mission_id, trader.id, "telegram", "tap"), world.fire_request_deps())
    execute_fire(mission_id, "msg-1", world.fire_exec_deps())
    world.clock.advance(timedelta(minutes=7))
    sync_results(world.sync_deps())
    # Then each hop is stamped once, in order
    assert hops(world, signal.id, mission_id) == [
        "candle_close",
        "signal_emitted",
        "mission_created",
        "alert_sent",
        "fire_requested",
        "fire_locked",
        "order_sent",
        "broker_fill",
        "position_closed",
    ]


def test_prices_of_the_test_market_are_what_the_broker_quotes(world):
    # Guard for the numbers above: the paper book quotes the factory's bid + spread
    spec = world.broker.symbol_spec(add_trader(world).broker_login, "EURUSD")
    assert (spec.bid, spec.ask) == (Decimal(str(PRICES["EURUSD"])), Decimal("1.10010"))
