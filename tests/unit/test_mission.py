"""A mission is fireable once, until its expiry instant."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from bitten.domain.mission import Mission, MissionAlreadyFired, MissionExpired, MissionStatus

EXPIRES = datetime(2024, 1, 8, 10, 10, tzinfo=UTC)


def mission(status: MissionStatus = MissionStatus.OPEN) -> Mission:
    return Mission(
        id=uuid.uuid4(),
        signal_id=uuid.uuid4(),
        trader_id=uuid.uuid4(),
        status=status,
        balance=Decimal("10000"),
        risk_amount=Decimal("200"),
        lots=Decimal("1"),
        risk_multiplier=Decimal("1.00"),
        sl_price=Decimal("1.099"),
        tp_price=Decimal("1.102"),
        created_at=EXPIRES - timedelta(minutes=10),
        expires_at=EXPIRES,
    )


def test_fireable_one_microsecond_before_expiry():
    m = mission()
    assert not m.is_expired(EXPIRES - timedelta(microseconds=1))
    m.check_fireable(EXPIRES - timedelta(microseconds=1))  # does not raise


def test_expired_at_the_expiry_instant():
    assert mission().is_expired(EXPIRES)


def test_firing_at_expiry_tells_the_trader_when_and_what_to_do():
    with pytest.raises(MissionExpired) as err:
        mission().check_fireable(EXPIRES)
    assert str(err.value) == "this mission expired at 10:10 UTC; wait for the next signal"


def test_status_expired_is_expired_even_before_its_time():
    with pytest.raises(MissionExpired, match="expired at 10:10 UTC"):
        mission(MissionStatus.EXPIRED).check_fireable(EXPIRES - timedelta(minutes=5))


@pytest.mark.parametrize(
    "status",
    [MissionStatus.FIRE_REQUESTED, MissionStatus.FILLED, MissionStatus.CLOSED_TP],
)
def test_already_fired_mission_refuses_a_second_fire(status: MissionStatus):
    with pytest.raises(MissionAlreadyFired, match="already fired"):
        mission(status).check_fireable(EXPIRES - timedelta(minutes=5))


def test_already_fired_wins_over_expired():
    # Given a fired mission, a tap after its expiry still says "already fired"
    with pytest.raises(MissionAlreadyFired):
        mission(MissionStatus.FILLED).check_fireable(EXPIRES + timedelta(hours=1))


def test_rejected_mission_cannot_be_fired_again_and_says_why():
    rejected = mission(MissionStatus.REJECTED).model_copy(
        update={"status_reason": "There is not enough money to complete the request"}
    )
    with pytest.raises(MissionExpired, match="was rejected: There is not enough money"):
        rejected.check_fireable(EXPIRES - timedelta(minutes=5))


def test_a_mission_expired_because_the_price_ran_away_says_so():
    late = mission(MissionStatus.EXPIRED).model_copy(
        update={"status_reason": "price already ran 12.0 of the 20 pips to the target"}
    )
    with pytest.raises(MissionExpired, match="expired: price already ran 12.0 of the 20"):
        late.check_fireable(EXPIRES - timedelta(minutes=5))
