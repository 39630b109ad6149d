"""Telegram's flood limits, enforced like the Bot API does: 429 with retry_after.

- overall: 30 messages in any second (bots "broadcasting" to many chats);
- with allow_paid_broadcast: up to 1,000 in any second (a lane of their own); those beyond
  30 in a second cost the bot 0.1 Star each;
- one private chat: about 1 a second, short bursts of 3 tolerated;
- one group: 20 in any minute.

New messages count everywhere; edits count in the overall lane but not a chat's (Telegram
publishes no per-chat figure for edits); answers to callback and pre-checkout queries do not.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from bitten.local.telegram.state import ApiError

PAID_FEE = Decimal("0.1")  # Stars per paid-broadcast message above the free rate


@dataclass
class Window:
    """At most `limit` events in any `seconds`-long window."""

    limit: int
    seconds: float
    times: deque[float] = field(default_factory=deque)

    def wait(self, now: float) -> float:
        """Seconds until one more event fits (0 = now)."""
        if self.count(now) < self.limit:
            return 0.0
        return self.times[0] + self.seconds - now

    def count(self, now: float) -> int:
        """Events in the window ending now."""
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        return len(self.times)

    def add(self, now: float) -> None:
        self.times.append(now)


@dataclass
class TelegramLimits:
    """Per-chat, per-group and overall limits; counters for what was refused and charged."""

    per_second: int = 30
    paid_per_second: int = 1000
    chat_interval: float = 1.0
    chat_burst: int = 3
    group_per_minute: int = 20
    clock: Callable[[], float] = time.monotonic
    refused: int = 0  # 429s answered
    paid_messages: int = 0
    stars_charged: Decimal = Decimal(0)
    _free: Window = field(init=False)
    _paid: Window = field(init=False)
    _groups: dict[int, Window] = field(default_factory=dict)
    _chats: dict[int, float] = field(default_factory=dict)  # GCRA TAT per private chat

    def __post_init__(self) -> None:
        self._free = Window(self.per_second, 1.0)
        self._paid = Window(self.paid_per_second, 1.0)

    def admit(self, chat_id: int, private: bool, paid: bool, edit: bool = False) -> None:
        """Count one message to `chat_id`, or raise Telegram's 429 with retry_after."""
        now = self.clock()
        lane = self._paid if paid else self._free
        chat_wait = 0.0 if edit else self._chat_wait(chat_id, private, now)
        wait = max(chat_wait, lane.wait(now))
        if wait > 0:
            self.refused += 1
            seconds = max(1, math.ceil(wait))
            raise ApiError(
                429, f"Too Many Requests: retry after {seconds}", {"retry_after": seconds}
            )
        if paid:
            self.paid_messages += 1
            if lane.count(now) >= self.per_second:  # above the free rate: charged
                self.stars_charged += PAID_FEE
        lane.add(now)
        if not edit:
            self._count_chat(chat_id, private, now)

    def _chat_wait(self, chat_id: int, private: bool, now: float) -> float:
        if not private:
            return self._groups.setdefault(chat_id, Window(self.group_per_minute, 60.0)).wait(now)
        tat = self._chats.get(chat_id, now)
        return max(0.0, tat - self.chat_interval * (self.chat_burst - 1) - now)

    def _count_chat(self, chat_id: int, private: bool, now: float) -> None:
        if private:
            self._chats[chat_id] = max(self._chats.get(chat_id, now), now) + self.chat_interval
        else:
            self._groups[chat_id].add(now)

    def stats(self) -> dict[str, object]:
        return {
            "refused_429": self.refused,
            "paid_messages": self.paid_messages,
            "stars_charged": str(self.stars_charged),
        }
