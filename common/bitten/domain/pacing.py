"""Telegram's sending limits as GCRA lanes: when may the next message go out.

A lane is a rate (one message per `interval` seconds) with a `burst` of messages that may go
at once. Its state is one number, the theoretical arrival time (TAT) of the next message;
reserving a slot moves it forward. Every message takes its chat's lane and one broadcast
lane (free: ~30/s overall, or paid: ~1,000/s with allow_paid_broadcast).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Priority(IntEnum):
    """Who goes first when the lanes are busy (lower first)."""

    REPLY = 0  # a person waiting for the answer to a command or a button
    ALERT = 1  # a fresh signal: worthless once the mission expires
    RESULT = 2  # fill, close, expiry: the HUD shows them live anyway
    BROADCAST = 3  # notices to many traders (tier expiry, announcements)


URGENT = (Priority.REPLY, Priority.ALERT)
PATIENCE = (
    0.5  # seconds a result or broadcast may be held for its slot; later, it is kept for later
)


@dataclass(frozen=True)
class Lane:
    interval: float  # seconds between messages at the sustained rate
    burst: int = 1  # messages that may go back to back

    @property
    def tolerance(self) -> float:
        return self.interval * (self.burst - 1)


# What we pace to: a little under what Telegram (and the emulator) enforce, so network jitter
# between our clock and theirs never turns a paced message into a 429.
FREE_BROADCAST = Lane(1 / 28)  # Telegram: ~30 messages/s overall
PAID_BROADCAST = Lane(1 / 950)  # Telegram: up to 1,000 messages/s with allow_paid_broadcast
PRIVATE_CHAT = Lane(1.05, burst=2)  # Telegram: about 1 message/s per chat, short bursts
GROUP_CHAT = Lane(3.1)  # Telegram: 20 messages a minute per group


@dataclass(frozen=True)
class SlotRequest:
    """One message to place: its chat, whether it is a group, paid, and how urgent."""

    chat_id: int
    priority: Priority = Priority.REPLY
    paid: bool = False
    max_delay: float | None = None  # refuse rather than send later than this (seconds)
    edit: bool = False  # an edit of a message already in the chat: the overall lane only

    @property
    def chat_lane(self) -> str:
        return f"chat:{self.chat_id}"

    @property
    def broadcast_lane(self) -> str:
        return "paid" if self.paid else "free"

    def lanes(self) -> dict[str, Lane]:
        broadcast = {self.broadcast_lane: PAID_BROADCAST if self.paid else FREE_BROADCAST}
        if self.edit:
            return broadcast
        return {self.chat_lane: GROUP_CHAT if self.chat_id < 0 else PRIVATE_CHAT, **broadcast}


@dataclass(frozen=True)
class Slot:
    """A reservation: wait `delay` seconds then send; or `refused` with the reason."""

    delay: float = 0.0
    refused: str | None = None  # "late" (past max_delay) or "busy" (urgent messages queued)


def place(request: SlotRequest, tats: dict[str, float], now: float) -> Slot:
    """Reserve the earliest slot every lane of `request` allows, updating `tats` in place.

    Urgent messages queue behind each other; a RESULT or BROADCAST message is refused while
    the broadcast lane has a queue (fresh alerts are never held up by results), or when its
    chat's next slot is more than PATIENCE away (the sender keeps it for later, not waiting).
    """
    lanes = request.lanes()
    earliest = {name: tats.get(name, now) - lane.tolerance for name, lane in lanes.items()}
    when = max(now, *earliest.values())
    broadcast = request.broadcast_lane  # queued: more than the message just sent is ahead
    queued = earliest[broadcast] - now > lanes[broadcast].interval
    if request.priority not in URGENT and (queued or when - now > PATIENCE):
        return Slot(refused="busy", delay=when - now)
    if request.max_delay is not None and when - now > request.max_delay:
        return Slot(refused="late", delay=when - now)
    for name, lane in lanes.items():
        tats[name] = max(tats.get(name, now), when) + lane.interval
    return Slot(delay=when - now)
