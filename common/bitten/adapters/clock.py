"""Wall-clock time (production); the local stack swaps in a virtual clock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class VirtualClock:
    """Replay time: set and advanced by the demo driver or `bitten run`, shared by every part."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now = when


class ReplayClock(VirtualClock):
    """Replay time that also runs, in real time, between the driver's steps: the hops of one
    step (signal -> mission -> alert -> FIRE -> order -> fill) take their real durations, so the
    Throne's latencies on `bitten run` and the demo are measured, not zero. A step lands on its
    own schedule (minute boundaries stay minute boundaries) and never moves time back."""

    def __init__(self, start: datetime) -> None:
        super().__init__(start)
        self._mark = time.monotonic()

    def now(self) -> datetime:
        with self._lock:
            return self._now + timedelta(seconds=time.monotonic() - self._mark)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            ran = timedelta(seconds=time.monotonic() - self._mark)
            self._now += max(delta, ran)
            self._mark = time.monotonic()
            return self._now

    def set(self, when: datetime) -> None:
        with self._lock:
            self._now, self._mark = when, time.monotonic()


class OffsetClock:
    """Wall-clock time moved by a fixed offset: real durations, a chosen calendar day (the
    fire bench runs on a weekday whatever day it is)."""

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    @classmethod
    def at(cls, when: datetime) -> OffsetClock:
        """A clock that reads `when` now and runs on in real time."""
        return cls(when - datetime.now(UTC))
