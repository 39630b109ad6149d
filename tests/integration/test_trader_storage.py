"""The trader's storage: verified account links, referrals, paid windows, Stars payments,
alert message stages and trade notes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from bitten.domain.outcome import CardState
from bitten.domain.subscription import StarPayment
from bitten.domain.tiers import Tier
from factories import add_mission, add_trader, alerted_mission, closed_trade, fire_mission


def test_a_login_linked_to_another_trader_is_refused_and_nothing_changes(world):
    # Given a trader holding login L
    holder, other = add_trader(world), add_trader(world)
    # When another trader links L
    with world.uow() as repos:
        linked = repos.traders.link_account(
            other.id, holder.broker_login, False, "USD", world.clock.now()
        )
    # Then it is refused, and both keep what they had
    assert linked is False
    with world.uow() as repos:
        assert repos.traders.get(other.id).broker_login == other.broker_login
        assert repos.traders.by_login(holder.broker_login).id == holder.id


def test_relinking_replaces_the_account_and_unlinking_removes_it(world):
    trader = add_trader(world)
    with world.uow() as repos:
        assert repos.traders.link_account(trader.id, "55501", False, "EUR", world.clock.now())
        assert repos.traders.get(trader.id).account_currency == "EUR"
        assert repos.traders.unlink_account(trader.id) == "55501"
        assert repos.traders.get(trader.id).broker_login is None


def test_a_referral_counts_once_and_never_for_oneself(world):
    referrer, newcomer = add_trader(world), add_trader(world)
    with world.uow() as repos:
        code = repos.traders.get(referrer.id).referral_code
        assert repos.traders.by_referral(code.lower()).id == referrer.id
        assert repos.traders.set_referrer(newcomer.id, referrer.id)
        assert not repos.traders.set_referrer(newcomer.id, newcomer.id)
        assert not repos.traders.set_referrer(referrer.id, referrer.id)
        assert repos.traders.referrals(referrer.id) == 1


def test_a_paid_window_is_due_when_it_ends(world):
    trader = add_trader(world, Tier.PRESS_PASS)
    ends = world.clock.now() + timedelta(days=30)
    with world.uow() as repos:
        repos.traders.set_tier(trader.id, Tier.FANG, ends)
        assert repos.traders.tiers_due(world.clock.now()) == []
        assert [t.id for t in repos.traders.tiers_due(ends)] == [trader.id]


def test_a_payment_is_stored_once_per_charge(world):
    trader, now = add_trader(world), world.clock.now()
    payment = StarPayment(
        charge_id="stx-1",
        trader_id=trader.id,
        tier=Tier.FANG,
        stars=750,
        paid_at=now,
        starts_at=now,
        expires_at=now + timedelta(days=30),
    )
    with world.uow() as repos:
        assert repos.subscriptions.add(payment) is True
        assert repos.subscriptions.add(payment) is False
        assert [p.charge_id for p in repos.subscriptions.active(trader.id, now)] == ["stx-1"]
        assert repos.subscriptions.refund("stx-1", now) is True
        assert repos.subscriptions.refund("stx-1", now) is False
        assert repos.subscriptions.active(trader.id, now) == []


def test_the_notice_of_a_stage_is_claimed_by_one_worker_only(world):
    mission = alerted_mission(world, add_trader(world))
    with world.uow() as repos:
        first = repos.alerts.claim_notice(mission.id, CardState.FILLED, None)
        second = repos.alerts.claim_notice(mission.id, CardState.FILLED, None)
    assert (first, second) == (True, False)


def test_an_open_alert_lags_once_its_mission_expires(world):
    mission = alerted_mission(world, add_trader(world))
    with world.uow() as repos:
        assert repos.alerts.lagging(world.clock.now(), 10) == []
        assert repos.alerts.lagging(mission.expires_at, 10) == [mission.id]


def test_the_outcome_reads_the_fill_and_the_close_from_postgres(world):
    trader = add_trader(world)
    mission = closed_trade(world, trader, "1.10200", profit="200")
    with world.uow() as repos:
        outcome = repos.journal.outcome(mission.id)
        (trade,) = repos.journal.closed_trades(trader.id, 10)
    assert outcome.fire_state == "filled" and outcome.price_open == Decimal("1.10010")
    assert (outcome.close_reason, outcome.pips, outcome.profit) == (
        "tp",
        Decimal("19.0"),
        Decimal("200.00"),
    )
    assert trade.mission_id == mission.id and trade.note == "" and trade.tags == []


def test_a_note_is_written_only_on_the_traders_own_closed_trade(world):
    trader, other = add_trader(world), add_trader(world)
    closed = closed_trade(world, trader)
    still_open = add_mission(world, trader)
    now = world.clock.now()
    with world.uow() as repos:
        assert repos.journal.save_note(closed.id, trader.id, "<b>patience</b>", ["asia"], now)
        assert not repos.journal.save_note(closed.id, other.id, "mine now", [], now)
        assert not repos.journal.save_note(still_open.id, trader.id, "too early", [], now)
        (trade,) = repos.journal.closed_trades(trader.id, 10)
    assert (trade.note, trade.tags) == ("<b>patience</b>", ["asia"])


def test_an_open_position_is_listed_until_it_closes(world):
    trader = add_trader(world)
    mission = alerted_mission(world, trader)
    fire_mission(world, mission)
    with world.uow() as repos:
        assert [p.mission_id for p in repos.journal.open_positions(trader.id)] == [mission.id]
