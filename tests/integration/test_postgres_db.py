"""Database on the embedded Postgres: one transaction per `with`, over a bounded pool."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import psycopg
import pytest

from bitten.adapters.postgres.db import Database


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url, pool_size=2)
    yield database
    database.close()


def add_trader_row(cur: psycopg.Cursor, telegram_id: int) -> None:
    cur.execute(
        "INSERT INTO traders (id, telegram_id, created_at) VALUES (%s, %s, %s)",
        (uuid.uuid4(), telegram_id, datetime(2024, 1, 8, tzinfo=UTC)),
    )


def telegram_ids(db: Database) -> list[int]:
    with db.tx() as cur:
        cur.execute("SELECT telegram_id FROM traders ORDER BY telegram_id")
        return [row["telegram_id"] for row in cur.fetchall()]


def backend_pid(db: Database) -> int:
    with db.tx() as cur:
        cur.execute("SELECT pg_backend_pid() AS pid")
        return int(cur.fetchone()["pid"])


def test_a_transaction_commits_when_its_block_ends(db):
    with db.tx() as cur:
        add_trader_row(cur, 1)
    assert telegram_ids(db) == [1]


def test_an_error_rolls_back_everything_the_block_wrote(db):
    with pytest.raises(RuntimeError), db.tx() as cur:
        add_trader_row(cur, 1)
        raise RuntimeError("the broker answered nonsense")
    assert telegram_ids(db) == []


def test_connections_say_utc_and_give_dict_rows_whatever_the_server_zone(db):
    # Given the test database's own zone is America/New_York (conftest)
    with db.tx() as cur:
        cur.execute("SELECT current_setting('TimeZone') AS zone")
        assert cur.fetchone() == {"zone": "UTC"}


def test_nothing_connects_before_the_first_transaction():
    # Given a database nobody listens on
    db = Database("host=/nonexistent dbname=bitten connect_timeout=1", pool_size=1, wait_s=0.5)
    # When it is built and closed, nothing fails; only a transaction finds no connection
    db.close()
    with pytest.raises(psycopg.OperationalError, match="couldn't get a connection"):
        with db.tx():
            pass
    db.close()


def test_many_threads_share_at_most_pool_size_connections(db):
    # When 20 threads each run a transaction that holds its connection a while
    barrier = threading.Barrier(20)

    def hold() -> int:
        barrier.wait()
        with db.tx() as cur:
            cur.execute("SELECT pg_backend_pid() AS pid, pg_sleep(0.02)")
            return int(cur.fetchone()["pid"])

    with ThreadPoolExecutor(20) as pool:
        pids = list(pool.map(lambda _: hold(), range(20)))
    # Then every one ran, on no more than the pool's two server connections
    assert len(pids) == 20
    assert len(set(pids)) <= 2


def test_a_nested_transaction_is_a_savepoint_on_the_same_connection(database_url):
    # Given a pool of one connection (a Lambda container)
    db = Database(database_url, pool_size=1)
    try:
        # When a block opens another inside it, and the inner one fails
        with db.tx() as outer:
            add_trader_row(outer, 1)
            with pytest.raises(RuntimeError), db.tx() as inner:
                add_trader_row(inner, 2)
                raise RuntimeError("inner failure")
        # Then it did not wait for a second connection, and only the inner write was undone
        assert telegram_ids(db) == [1]
    finally:
        db.close()


def test_a_broken_connection_is_discarded_and_replaced(database_url):
    # Given the server ended the pool's only connection (a restart, an idle timeout)
    db = Database(database_url, pool_size=1)
    try:
        doomed = backend_pid(db)
        with psycopg.connect(database_url, autocommit=True) as admin:  # waits until it is gone
            admin.execute("SELECT pg_terminate_backend(%s, 5000)", (doomed,))
        # When the next transaction runs on it, it fails like any lost connection
        with pytest.raises(psycopg.OperationalError):
            backend_pid(db)
        # Then the one after runs on a new connection
        assert backend_pid(db) != doomed
    finally:
        db.close()
