"""Fault injection for the paper broker's order submission (tests of the unknown-outcome path)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

FAULT_MODES = (
    "timeout",
    "drop_before_execute",
    "drop_after_execute",
    "reject",
    "requote",
    "busy",
)
DEFAULT_DELAY_S = 6.0  # longer than the ForexVPS client's default 5 s timeout


@dataclass(frozen=True)
class Fault:
    """`timeout`: stall, answer 504 terminal_timeout, do not execute (timeout before send).
    `drop_before_execute`: hang up without executing (a dropped connection: outcome unknown
    to the client). `drop_after_execute`: execute, stall, hang up (timeout after fill).
    `reject`: retcode 10006. `requote`: retcode 10004, not executed. `busy`: 429 with
    Retry-After = `delay` seconds, not executed."""

    mode: str
    delay: float = DEFAULT_DELAY_S


class PaperFaults:
    """The next `count` order submissions misbehave as told (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: list[Fault] = []

    def inject(self, mode: str, count: int = 1, delay: float = DEFAULT_DELAY_S) -> None:
        """Queue `count` faults of `mode` for the next order submissions."""
        if mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {mode!r}: use one of {', '.join(FAULT_MODES)}")
        if count < 0 or delay < 0:
            raise ValueError("count and delay must not be negative")
        with self._lock:
            self._pending.extend(Fault(mode, float(delay)) for _ in range(count))

    def clear(self) -> None:
        with self._lock:
            self._pending.clear()

    def take(self) -> Fault | None:
        """The fault for this submission, if any (consumes it)."""
        with self._lock:
            return self._pending.pop(0) if self._pending else None

    def pending(self) -> int:
        with self._lock:
            return len(self._pending)
