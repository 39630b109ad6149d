"""Every move of the mission and fire state machines: the allowed ones, and all the others."""

from __future__ import annotations

import itertools

import pytest

from bitten.domain.fire import FIRE_STATES, FireState
from bitten.domain.mission import MISSION_STATES, MissionStatus
from bitten.domain.state import IllegalTransition

M, F = MissionStatus, FireState
MISSION_MOVES = {
    (M.OPEN, M.FIRE_REQUESTED),  # FIRE accepted
    (M.OPEN, M.EXPIRED),  # the window closed untouched
    (M.FIRE_REQUESTED, M.FIRED),  # the broker filled it
    (M.FIRE_REQUESTED, M.REJECTED),  # refused, or never reached the broker
}
FIRE_MOVES = {
    (None, F.CLAIMED),  # the one worker that owns the fire
    (F.CLAIMED, F.SENT),  # committed before the broker call
    (F.CLAIMED, F.REJECTED),  # never sent (reconciled after the grace period)
    (F.SENT, F.FILLED),
    (F.SENT, F.REJECTED),
    (F.SENT, F.UNKNOWN),  # timeout or lost connection
    (F.UNKNOWN, F.FILLED),  # found at the broker by client id
    (F.UNKNOWN, F.REJECTED),  # not found after the grace period
}


CASES = [
    (MISSION_STATES, move, move in MISSION_MOVES) for move in itertools.product([None, *M], M)
] + [(FIRE_STATES, move, move in FIRE_MOVES) for move in itertools.product([None, *F], F)]


@pytest.mark.parametrize(("machine", "move", "allowed"), CASES, ids=lambda x: str(x))
def test_each_move_is_allowed_or_refused_by_name(machine, move, allowed):
    current, target = move
    if allowed:
        machine.check(current, target)
    else:
        with pytest.raises(IllegalTransition, match=f"{machine.name}: .* -> {target.value}"):
            machine.check(current, target)
