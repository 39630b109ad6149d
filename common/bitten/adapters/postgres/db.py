"""One connection per thread, transactions as context managers, dict rows."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import dict_row


class Database:
    """Lazily connects; each thread keeps its own connection (Lambda: one per container)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()

    def _conn(self) -> psycopg.Connection[dict[str, Any]]:
        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = psycopg.connect(self.url, row_factory=dict_row, autocommit=False)
            conn.execute("SET TIME ZONE 'UTC'")  # shown times say UTC whatever the server's zone
            conn.commit()
            self._local.conn = conn
        return conn

    @contextmanager
    def tx(self) -> Iterator[psycopg.Cursor[dict[str, Any]]]:
        """A transaction: commit on success, roll back on any error (nothing half-written)."""
        conn = self._conn()
        try:
            with conn.transaction(), conn.cursor() as cur:
                yield cur
        except psycopg.OperationalError:
            conn.close()
            raise

    def ping(self) -> None:
        with self.tx() as cur:
            cur.execute("SELECT 1")

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
