"""A bounded pool of Postgres connections, transactions as context managers, dict rows."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool

Conn = psycopg.Connection[DictRow]


def _utc(conn: Conn) -> None:
    """Every new connection: shown times say UTC whatever the server's zone."""
    conn.execute("SET TIME ZONE 'UTC'")
    conn.commit()


class Database:
    """At most `pool_size` connections, opened on the first transaction and shared by threads."""

    def __init__(self, url: str, pool_size: int = 2, wait_s: float = 10.0) -> None:
        self.url = url
        self.pool_size = pool_size
        # Then PoolTimeout (an OperationalError), well inside API Gateway's 29 s; why the server
        # could not be reached is logged by `psycopg.pool`.
        self.wait_s = wait_s
        self._pool: ConnectionPool[Conn] | None = None
        self._opening = threading.Lock()
        self._held = threading.local()  # the connection this thread's open transaction uses

    def _open_pool(self) -> ConnectionPool[Conn]:
        with self._opening:
            if self._pool is None:
                pool = ConnectionPool(
                    self.url,
                    connection_class=Conn,
                    kwargs={"row_factory": dict_row, "autocommit": False},
                    configure=_utc,
                    min_size=1,
                    max_size=self.pool_size,
                    timeout=self.wait_s,
                    name="bitten",
                    open=False,
                )
                pool.open()
                self._pool = pool
            return self._pool

    @contextmanager
    def tx(self) -> Iterator[psycopg.Cursor[DictRow]]:
        """A transaction: commit on success, roll back on any error (nothing half-written)."""
        held: Conn | None = getattr(self._held, "conn", None)
        if held is not None:  # nested: a savepoint, so a pool of one never waits for itself
            with held.transaction(), held.cursor() as cur:
                yield cur
            return
        # The pool discards a connection that comes back broken and connects a new one.
        with (self._pool or self._open_pool()).connection() as conn:
            self._held.conn = conn
            try:
                with conn.transaction(), conn.cursor() as cur:
                    yield cur
            finally:
                self._held.conn = None

    def ping(self) -> None:
        """SELECT 1 on a pooled connection (the health probe)."""
        with self.tx() as cur:
            cur.execute("SELECT 1")

    def close(self) -> None:
        """Close every pooled connection; a later transaction opens a new pool."""
        with self._opening:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()
