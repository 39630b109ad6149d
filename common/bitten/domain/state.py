"""State machines: the allowed moves of a mission or a fire, checked before any write."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

S = TypeVar("S", bound=StrEnum)


class IllegalTransition(Exception):
    """The machine does not allow this move (a bug or a forged request, never a race)."""


class TransitionLost(Exception):
    """The row was no longer in the expected state: another worker moved it first."""


@dataclass(frozen=True)
class StateMachine(Generic[S]):
    """`moves[current]` lists the states reachable in one step; None is "no row yet"."""

    name: str
    moves: Mapping[S | None, frozenset[S]]

    def check(self, current: S | None, target: S) -> None:
        """Raise IllegalTransition unless `current -> target` is one allowed step."""
        if target not in self.moves.get(current, frozenset()):
            shown = current.value if current is not None else "(none)"
            raise IllegalTransition(f"{self.name}: {shown} -> {target.value} is not allowed")


def lost(machine: str, key: object, expected: StrEnum | None, target: StrEnum) -> TransitionLost:
    """The error a repository raises when its compare-and-set updated no row."""
    shown = expected.value if expected is not None else "(none)"
    return TransitionLost(f"{machine} {key}: expected {shown} before {target.value}; it moved")
