"""Every state change in Postgres is a compare-and-set: a lost or illegal move writes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bitten.domain.broker import OrderRequest, OrderResult
from bitten.domain.fire import FireState, client_id_for
from bitten.domain.mission import MissionStatus
from bitten.domain.state import IllegalTransition, TransitionLost
from factories import World, add_mission, add_trader, make_signal, store_signal

M, F = MissionStatus, FireState


def order_for(mission) -> OrderRequest:
    return OrderRequest(
        client_id=client_id_for(mission.id),
        symbol="EURUSD",
        side="buy",
        volume=mission.lots,
        sl=Decimal("1.09900"),
        tp=Decimal("1.10200"),
    )


def sent_fire(world: World):
    """A fire-requested mission whose order went to the broker: (mission, order)."""
    mission = add_mission(world, add_trader(world), status=M.FIRE_REQUESTED)
    order, now = order_for(mission), world.clock.now()
    with world.uow() as repos:
        repos.fires.claim(mission.id, 1, client_id_for(mission.id), now)
        repos.fires.transition(mission.id, F.CLAIMED, F.SENT, now, order=order)
    return mission, order


def claim(repos, mission, attempt: int = 1) -> None:
    repos.fires.claim(mission.id, attempt, client_id_for(mission.id), mission.created_at)


def status(world: World, mission_id) -> str:
    return world.rows("SELECT status FROM missions WHERE id = %s", mission_id)[0]["status"]


def fire_row(world: World, mission_id) -> dict:
    return world.rows("SELECT state, message FROM fires WHERE mission_id = %s", mission_id)[0]


def test_a_mission_moves_only_from_the_status_it_is_in(world):
    # Given an open mission
    mission = add_mission(world, add_trader(world))
    # When FIRE moves it open -> fire_requested
    with world.uow() as repos:
        repos.missions.transition(mission.id, M.OPEN, M.FIRE_REQUESTED)
    # Then a second worker that still believes it is open loses, and nothing changes
    with pytest.raises(TransitionLost, match="expected open before expired"), world.uow() as repos:
        repos.missions.transition(mission.id, M.OPEN, M.EXPIRED)
    assert status(world, mission.id) == "fire_requested"


def test_an_illegal_mission_move_raises_and_rolls_back_its_transaction(world):
    # Given a mission that was fired
    mission = add_mission(world, add_trader(world), status=M.FILLED)
    # When something tries to reopen it, in a transaction that also wrote a trace row
    with pytest.raises(IllegalTransition), world.uow() as repos:
        repos.trace.stamp("should_vanish", world.clock.now(), mission_id=mission.id)
        repos.missions.transition(mission.id, M.FILLED, M.OPEN)
    # Then the mission is untouched and the trace row was rolled back with it
    assert status(world, mission.id) == "filled"
    assert world.rows("SELECT 1 FROM trace_events WHERE hop = 'should_vanish'") == []


def test_only_open_missions_expire(world):
    # Given one open and one fire-requested mission, both past their window
    waiting = add_mission(world, add_trader(world))
    requested = add_mission(
        world,
        add_trader(world),
        signal=store_signal(world, make_signal("USDJPY")),
        status=M.FIRE_REQUESTED,
    )
    world.clock.advance(waiting.expires_at - world.clock.now())
    # When expiry runs
    with world.uow() as repos:
        expired = repos.missions.expire_due(world.clock.now())
    # Then only the open one expired
    assert expired == [waiting.id]
    assert (status(world, waiting.id), status(world, requested.id)) == ("expired", "fire_requested")


def test_a_fire_is_claimed_once(world):
    mission = add_mission(world, add_trader(world), status=M.FIRE_REQUESTED)
    with world.uow() as repos:
        claim(repos, mission)
    with pytest.raises(TransitionLost, match=r"expected \(none\) before claimed"):
        with world.uow() as repos:
            claim(repos, mission)
    assert fire_row(world, mission.id)["state"] == "claimed"


def test_a_fire_keeps_the_order_it_sent_and_a_late_worker_cannot_overwrite_its_outcome(world):
    # Given a fire that was sent and then filled
    mission, order = sent_fire(world)
    now = world.clock.now()
    with world.uow() as repos:
        repos.fires.transition(mission.id, F.SENT, F.FILLED, now, retcode=10009, message="done")
    # When a reconciler that still saw it 'sent' tries to reject it
    with pytest.raises(TransitionLost), world.uow() as repos:
        repos.fires.transition(mission.id, F.SENT, F.REJECTED, now, message="not found")
    # Then the fill stands, with the order exactly as sent
    with world.uow() as repos:
        fire = repos.fires.get(mission.id)
    assert fire is not None and fire.state == F.FILLED and fire.message == "done"
    assert fire.order == order


def test_an_illegal_fire_move_writes_nothing(world):
    mission = add_mission(world, add_trader(world), status=M.FIRE_REQUESTED)
    with world.uow() as repos:
        claim(repos, mission)
    with pytest.raises(IllegalTransition, match="fire: claimed -> filled"), world.uow() as repos:
        repos.fires.transition(mission.id, F.CLAIMED, F.FILLED, world.clock.now())
    assert fire_row(world, mission.id) == {"state": "claimed", "message": ""}


def test_a_fill_recorded_twice_is_recorded_once(world):
    # Given a sent fire, and the same broker fill reported by execution and by reconciliation
    from bitten.services.positions import record_fill

    mission, order = sent_fire(world)
    now = world.clock.now()
    fill = OrderResult(
        retcode=10009,
        retcode_text="done",
        client_id=order.client_id,
        position=7,
        price=Decimal("1.10010"),
        volume=order.volume,
        time=now,
    )
    deps = world.sync_deps()
    record_fill(mission.id, order, fill, F.SENT, deps)
    # When the second report arrives
    with pytest.raises(TransitionLost):
        record_fill(mission.id, order, fill, F.SENT, deps)
    # Then there is one position, one fill hop and one message to the trader
    assert len(world.rows("SELECT 1 FROM positions WHERE mission_id = %s", mission.id)) == 1
    hops = world.rows("SELECT hop FROM trace_events WHERE hop = 'broker_fill'")
    assert len(hops) == 1 and status(world, mission.id) == "filled"
    assert sum("FILLED" in m["text"] for m in world.notifier.sent) == 1


def test_a_released_fire_is_claimed_again_only_by_the_next_attempt(world):
    # Given attempt 1 of a mission whose fire was handed back unsent
    mission = add_mission(world, add_trader(world), status=M.FIRE_REQUESTED)
    with world.uow() as repos:
        claim(repos, mission, 1)
        repos.fires.transition(mission.id, F.CLAIMED, F.RELEASED, world.clock.now())
    # When a late worker of attempt 1 tries to claim it, it loses
    with pytest.raises(TransitionLost), world.uow() as repos:
        claim(repos, mission, 1)
    # Then attempt 2 takes it up, and its own second claim loses too
    with world.uow() as repos:
        claim(repos, mission, 2)
    with pytest.raises(TransitionLost), world.uow() as repos:
        claim(repos, mission, 3)
    fire = world.rows(
        "SELECT state, attempt, client_id FROM fires WHERE mission_id = %s", mission.id
    )
    assert fire == [{"state": "claimed", "attempt": 2, "client_id": client_id_for(mission.id)}]


def test_a_fire_request_counts_its_attempt_and_only_from_open(world):
    mission = add_mission(world, add_trader(world))
    with world.uow() as repos:
        first = repos.missions.request_fire(mission.id, world.clock.now())
    with pytest.raises(TransitionLost), world.uow() as repos:
        repos.missions.request_fire(mission.id, world.clock.now())
    with world.uow() as repos:
        repos.missions.transition(mission.id, M.FIRE_REQUESTED, M.OPEN, "terminal offline")
        second = repos.missions.request_fire(mission.id, world.clock.now())
    assert (first, second) == (1, 2)
    row = world.rows("SELECT status, status_reason FROM missions WHERE id = %s", mission.id)
    assert row == [{"status": "fire_requested", "status_reason": None}]
