"""Pacer adapters: space Telegram sends under its limits (or, in tests, only record them)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

PER_CHAT_SECONDS = 1.0  # Telegram: about one message a second to the same chat


class TokenBucketPacer:
    """At most `rate` sends a second in this process, and one a second to any one chat.

    game_dispatch runs at most two containers at once (template.yaml), each paced at 10 a second:
    20 a second, leaving alerts room under Telegram's ~30 a second for a bot."""

    def __init__(
        self,
        rate: float,
        per_chat: float = PER_CHAT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._gap, self._per_chat = 1.0 / rate, per_chat
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._chat_next: dict[int, float] = {}
        self._lock = threading.Lock()

    def wait(self, chat_id: int) -> None:
        """Block until a message to `chat_id` keeps within both limits."""
        with self._lock:
            now = self._clock()
            at = max(now, self._next, self._chat_next.get(chat_id, 0.0))
            self._next = at + self._gap
            self._chat_next[chat_id] = at + self._per_chat
            if len(self._chat_next) > 10_000:  # forget chats whose second has long passed
                self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}
        if at > now:
            self._sleep(at - now)


class RecordingPacer:
    """A Pacer that never sleeps: records the chats it was asked to pace (tests, benches)."""

    def __init__(self) -> None:
        self.chats: list[int] = []

    def wait(self, chat_id: int) -> None:
        self.chats.append(chat_id)
