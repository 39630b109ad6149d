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
    (M.FIRE_REQUESTED, M.OPEN),  # nothing reached the broker: fireable again
    (M.FIRE_REQUESTED, M.FILLED),  # the broker filled it
    (M.FIRE_REQUESTED, M.REJECTED),  # refused by the broker or the FireRouter
    (M.FIRE_REQUESTED, M.EXPIRED),  # the price ran away, or the window closed unsent
    (M.FILLED, M.CLOSED_TP),
    (M.FILLED, M.CLOSED_SL),
    (M.FILLED, M.CLOSED_MANUAL),  # closed by hand (or by an expert advisor)
    (M.FILLED, M.CLOSED_STOPOUT),  # the broker closed it for lack of margin
}
FIRE_MOVES = {
    (None, F.CLAIMED),  # the one worker that owns the fire
    (F.RELEASED, F.CLAIMED),  # the trader's next attempt after nothing was sent
    (F.CLAIMED, F.SENT),  # committed before the broker call
    (F.CLAIMED, F.REJECTED),  # refused by the FireRouter before sending
    (F.CLAIMED, F.RELEASED),  # never sent: terminal offline, paused, broker down
    (F.SENT, F.FILLED),
    (F.SENT, F.REJECTED),
    (F.SENT, F.UNKNOWN),  # timeout or lost connection
    (F.SENT, F.RELEASED),  # the broker said nothing executed (504, 10031, requotes)
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
