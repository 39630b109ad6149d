"""Ports of the operator actions (issue 13): the queues' admin side, and storage reached as
`repos.ops`."""

from __future__ import annotations

from typing import Protocol

from bitten.domain.operator import Broadcast, DeadLetter, QueueDepth, SetupSwitch


class QueueAdmin(Protocol):
    """Every queue of the platform by its logical name ("signals", "fires"...) with its DLQ."""

    def depths(self) -> list[QueueDepth]: ...
    def peek(self, queue: str, max_messages: int) -> list[DeadLetter]: ...
    def redrive(self, queue: str, message_id: str) -> DeadLetter: ...


class SetupSwitches(Protocol):
    """VENOM setups switched off (and on again) by operators."""

    def get(self, name: str, lock: bool = False) -> SetupSwitch: ...
    def all(self, names: tuple[str, ...]) -> list[SetupSwitch]: ...
    def set(self, switch: SetupSwitch) -> None: ...
    def disabled(self) -> frozenset[str]: ...


class Broadcasts(Protocol):
    """Announcements and the notice each recipient is owed."""

    def create(self, broadcast: Broadcast) -> int: ...


class OpsRepositories(Protocol):
    @property
    def setups(self) -> SetupSwitches: ...
    @property
    def broadcasts(self) -> Broadcasts: ...
