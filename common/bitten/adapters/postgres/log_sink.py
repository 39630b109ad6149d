"""Log lines to Postgres in batches (one COPY per batch), on a connection of their own, never
failing or holding up the work: a bounded buffer, a background flusher, backoff when down."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import psycopg

from bitten.adapters.postgres.log_rows import COPY_SQL, Row, dropped_row, row_of

Connect = Callable[[], psycopg.Connection[Any]]


def _complain(message: str) -> None:
    """The sink's own trouble goes to stderr only: never back into logging (no recursion)."""
    at = datetime.now(UTC).isoformat()
    doc = {"at": at, "level": "WARNING", "logger": "bitten.log_sink", "message": message}
    sys.stderr.write(json.dumps(doc) + "\n")


def connector(url: str, timeout_s: int = 2) -> Connect:
    """A short connect timeout and statement timeout: a sick database costs seconds, not minutes."""
    options = "-c statement_timeout=5000"
    return lambda: psycopg.connect(
        url, autocommit=True, connect_timeout=timeout_s, options=options, application_name="logs"
    )


class PostgresLogSink(logging.Handler):
    """Buffers rows; COPYs them when `batch` are waiting, every `interval_s`, and on flush()."""

    def __init__(
        self,
        connect: Connect,
        capacity: int = 10_000,
        batch: int = 500,
        interval_s: float = 2.0,
        backoff_s: float = 5.0,
    ) -> None:
        super().__init__()
        self.connect, self.capacity, self.batch = connect, capacity, batch
        self.interval_s, self.backoff_s = interval_s, backoff_s
        self.dropped = self.rejected = self.written = self.copies = 0
        self._reported = 0  # drops already written as a line of their own
        self._rows: deque[Row] = deque()
        self._buffer = threading.Lock()
        self._writing = threading.Lock()
        self._wake, self._stop = threading.Event(), threading.Event()
        self._conn: psycopg.Connection[Any] | None = None
        self._retry_at, self._failures = 0.0, 0
        self._thread: threading.Thread | None = None

    def start(self) -> PostgresLogSink:
        """The background flusher (a daemon: it never keeps a process alive)."""
        self._thread = threading.Thread(target=self._run, name="log-sink", daemon=True)
        self._thread.start()
        return self

    @property
    def pending(self) -> int:
        return len(self._rows)

    def stats(self) -> dict[str, int]:
        """Lines waiting, written, dropped (buffer full), refused by the database."""
        return {
            "pending": self.pending,
            "written": self.written,
            "dropped": self.dropped,
            "rejected": self.rejected,
        }

    def emit(self, record: logging.LogRecord) -> None:
        try:
            row = row_of(record)
        except Exception as err:  # noqa: BLE001 - a record we cannot store is not the work's fault
            _complain(f"log line not stored: {err!r}")
            return
        with self._buffer:
            if len(self._rows) >= self.capacity:  # drop the oldest, and say how many
                self._rows.popleft()
                self.dropped += 1
            self._rows.append(row)
            full = len(self._rows) >= self.batch
        if full:
            self._wake.set()

    def flush(self) -> None:
        """End of an invocation: write what waits, unless the database is in its backoff."""
        if time.monotonic() >= self._retry_at:
            self._drain()

    def close(self) -> None:
        """Stop the flusher and try once more to write everything (at exit, or detached)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)
        self._drain()
        self._disconnect()
        super().close()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval_s)
            self._wake.clear()
            wait = self._retry_at - time.monotonic()
            if wait > 0:
                self._stop.wait(wait)
            elif self._rows:
                self._drain()

    def _drain(self) -> None:
        with self._writing:
            while batch := self._take():
                if not self._write(batch):
                    self._put_back(batch)
                    _complain(f"log database unreachable; {self.pending} lines kept for later")
                    return
                self._report_drops()

    def _take(self) -> list[Row]:
        with self._buffer:
            return [self._rows.popleft() for _ in range(min(self.batch, len(self._rows)))]

    def _report_drops(self) -> None:
        """Once the database answers again: the drops, as a line of their own."""
        unreported = self.dropped - self._reported
        if unreported and self._write([dropped_row(unreported)]):
            self._reported += unreported

    def _put_back(self, batch: list[Row]) -> None:
        """A failed batch goes back in front, as much of it as the bound leaves room for."""
        with self._buffer:
            room = max(0, self.capacity - len(self._rows))
            keep = batch[len(batch) - room :] if room < len(batch) else batch
            self.dropped += len(batch) - len(keep)
            self._rows.extendleft(reversed(keep))

    def _write(self, batch: list[Row]) -> bool:
        """One COPY; False when the database is unreachable (the rows are kept)."""
        try:
            conn = self._conn or self._open()
            with conn.cursor() as cur, cur.copy(COPY_SQL) as copy:
                for row in batch:
                    copy.write_row(row)
        except psycopg.OperationalError as err:
            self._down(err)
            return False
        except Exception as err:  # noqa: BLE001 - refused rows: never retry them forever
            self._disconnect()
            self.rejected += len(batch)
            _complain(f"{len(batch)} log lines refused by the database: {err!r}")
            return True
        self.copies, self.written = self.copies + 1, self.written + len(batch)
        if self._failures:
            _complain(f"log database back after {self._failures} failed flushes")
        self._retry_at, self._failures = 0.0, 0
        return True

    def _open(self) -> psycopg.Connection[Any]:
        self._conn = self.connect()
        return self._conn

    def _down(self, err: Exception) -> None:
        self._disconnect()
        self._failures += 1
        wait = min(60.0, self.backoff_s * 2 ** (self._failures - 1))
        self._retry_at = time.monotonic() + wait
        _complain(f"log database unreachable ({err}); next try in {wait:.0f} s")

    def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001, S110 - it is being thrown away
                pass
