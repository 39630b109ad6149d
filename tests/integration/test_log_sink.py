"""Logs are data: the Postgres sink writes batches by COPY, keeps every field, and survives a
database that is down without failing (or holding up) the work that logs."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from bitten import bootstrap, logs
from bitten.adapters.postgres.log_sink import PostgresLogSink, connector
from bitten.domain.switches import Switch
from bitten.local.api_server import free_port
from bitten.services.ops import set_switch
from factories import World

MISSION = uuid.UUID("7b0c6a52-8f0e-4c53-9a55-0a1f2e3d4c5b")


class CountingCursor(psycopg.Cursor):
    """The real cursor, counting what goes over the wire."""

    calls: list[str] = []

    def copy(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        CountingCursor.calls.append("copy")
        return super().copy(statement, *args, **kwargs)

    def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        CountingCursor.calls.append("execute")
        return super().execute(query, *args, **kwargs)


class SwitchableDatabase:
    """Connects where `url` points now: a closed port while 'down', the test database after."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.connects = 0

    def __call__(self) -> psycopg.Connection:
        self.connects += 1
        return connector(self.url, timeout_s=2)()


@pytest.fixture
def log() -> Iterator[logging.Logger]:
    logger = logging.getLogger("bitten.test_sink")
    logger.setLevel(logging.DEBUG)
    yield logger


@pytest.fixture
def sinks() -> Iterator[list[PostgresLogSink]]:
    """Sinks a test attaches are detached and closed after it (no background thread leaks)."""
    attached: list[PostgresLogSink] = []
    yield attached
    for sink in attached:
        bootstrap.remove_log_sink(sink)


def attached(sinks: list, connect: Any, **kw: Any) -> PostgresLogSink:
    sink = PostgresLogSink(connect, **kw)
    logs.attach(sink)
    sinks.append(sink)
    return sink


def dead_url() -> str:
    return f"postgresql://nobody@127.0.0.1:{free_port('127.0.0.1')}/gone"


def stored(world: World, sql: str = "SELECT * FROM log_lines ORDER BY id") -> list[dict]:
    return world.rows(sql)


def test_a_thousand_lines_go_in_three_copies_and_nothing_else(world, log, sinks):
    # Given a sink on a counting connection to the real database, batches of 500
    CountingCursor.calls = []

    def connect() -> psycopg.Connection:
        url = world.settings.database_url
        return psycopg.connect(url, autocommit=True, cursor_factory=CountingCursor)

    sink = attached(sinks, connect, batch=500)
    # When 1,200 lines are logged and the invocation ends
    with logs.invocation("signal_scan"):
        for i in range(1200):
            log.info("line %d", i)
    # Then all of them are stored, in three COPY statements and no per-line INSERT
    assert stored(world, "SELECT count(*) AS n FROM log_lines") == [{"n": 1200}]
    assert CountingCursor.calls == ["copy", "copy", "copy"]
    assert (sink.copies, sink.written, sink.dropped) == (3, 1200, 0)


def test_a_line_keeps_its_invocation_ids_fields_and_error(world, log, sinks):
    attached(sinks, connector(world.settings.database_url))
    # When a service inside an invocation logs an exception with a mission and a pair
    with logs.invocation("fire_execution", "req-42"):
        try:
            raise ValueError("broker answered nonsense")
        except ValueError:
            log.exception("fire failed", extra={"mission_id": MISSION, "pair": "EURUSD"})
    # Then the row names the function, the request, the mission; the rest is in fields
    (row,) = stored(world)
    assert (row["function"], row["request_id"], row["mission_id"]) == (
        "fire_execution",
        "req-42",
        MISSION,
    )
    assert (row["level"], row["level_no"], row["logger"]) == ("ERROR", 40, "bitten.test_sink")
    assert (row["message"], row["fields"]) == ("fire failed", {"pair": "EURUSD"})
    assert row["error"].endswith("ValueError: broker answered nonsense")


def test_an_id_that_is_not_a_uuid_stays_in_fields_and_the_batch_is_stored(world, log, sinks):
    attached(sinks, connector(world.settings.database_url))
    with logs.invocation("api"):
        log.warning("odd \x00 id", extra={"trader_id": "not-a-uuid"})
    (row,) = stored(world)
    assert (row["trader_id"], row["fields"]) == (None, {"trader_id": "not-a-uuid"})
    assert row["message"] == "odd \ufffd id"


def test_text_postgres_would_refuse_is_mended_not_lost_with_its_batch(world, log, sinks):
    # Given lines carrying a NUL and a lone surrogate (bytes decoded with surrogateescape)
    sink = attached(sinks, connector(world.settings.database_url))
    broken = b"caf\xe9".decode("utf-8", "surrogateescape")
    log.info("fine before")
    log.info("name %s", broken, extra={"raw": broken, "nul": "a\x00b"})
    sink.flush()
    # Then the whole batch is stored, the bad characters replaced
    rows = stored(world)
    assert [r["message"] for r in rows] == ["fine before", "name caf?"]
    assert rows[1]["fields"] == {"raw": "caf?", "nul": "a\ufffdb"}
    assert sink.rejected == 0


def test_the_work_succeeds_while_the_log_database_is_down_and_the_lines_arrive_later(
    world, log, sinks, capsys
):
    # Given stderr JSON logs, and a sink whose database is down (a closed port)
    stderr = io.StringIO()
    stream = logging.StreamHandler(stderr)
    stream.setFormatter(logs.JsonFormatter())
    logs.attach(stream)
    database = SwitchableDatabase(dead_url())
    sink = attached(sinks, database, backoff_s=0.0)
    try:
        # When an operator pauses firing (the service logs a warning) inside an invocation
        with logs.invocation("api", "req-down"):
            state = set_switch(Switch.FIRING, True, "broker incident", "ana", world.api_deps().ops)
            log.info("still working", extra={"mission_id": MISSION})
    finally:
        logs.detach(stream)
    # Then the work is done, stderr has every line, and the sink kept them
    assert state.paused and world.rows("SELECT paused FROM operator_switches") == [{"paused": True}]
    lines = [json.loads(line) for line in stderr.getvalue().splitlines()]
    assert [(d["message"], d["request_id"]) for d in lines] == [
        ("firing paused by ana: broker incident", "req-down"),
        ("still working", "req-down"),
    ]
    assert (sink.pending, sink.dropped, stored(world)) == (2, 0, [])
    # And the sink's trouble went to stderr itself, not back through logging
    assert "log database unreachable" in capsys.readouterr().err
    # When the database is back and the next invocation ends
    database.url = world.settings.database_url
    with logs.invocation("api", "req-up"):
        log.info("after the outage")
    # Then the kept lines arrive, in order, with their own request ids
    rows = stored(world)
    assert [(r["message"], r["request_id"]) for r in rows] == [
        ("firing paused by ana: broker incident", "req-down"),
        ("still working", "req-down"),
        ("after the outage", "req-up"),
    ]
    assert sink.pending == 0


def test_a_failed_flush_keeps_lines_under_the_bound(world, log, sinks):
    database = SwitchableDatabase(dead_url())
    sink = attached(sinks, database, capacity=100, backoff_s=0.0)
    for i in range(30):
        log.info("before %d", i)
    sink.flush()  # fails: the database is down
    for i in range(10):
        log.info("during %d", i)
    database.url = world.settings.database_url
    sink.flush()
    assert stored(world, "SELECT count(*) AS n FROM log_lines") == [{"n": 40}]
    assert (sink.dropped, database.connects) == (0, 2)


def test_a_full_buffer_drops_the_oldest_and_counts_them(world, log, sinks):
    database = SwitchableDatabase(dead_url())
    sink = attached(sinks, database, capacity=10, backoff_s=0.0)
    for i in range(25):
        log.info("line %d", i)
    sink.flush()
    assert (sink.pending, sink.dropped) == (10, 15)
    database.url = world.settings.database_url
    sink.flush()
    rows = stored(world)
    assert [r["message"] for r in rows[:-1]] == [f"line {i}" for i in range(15, 25)]
    # And the gap is on record where operators search, once
    assert rows[-1]["message"].startswith("15 log lines dropped")
    assert (rows[-1]["level"], rows[-1]["fields"]) == ("WARNING", {"dropped": 15})
    sink.flush()
    assert len(stored(world)) == 11
    assert logs.sink_stats()["PostgresLogSink"] == {
        "pending": 0,
        "written": 11,
        "dropped": 15,
        "rejected": 0,
    }


def test_during_the_backoff_the_end_of_an_invocation_does_not_try_again(world, log, sinks):
    # Given a database that is down, and a backoff of a minute after the first failure
    database = SwitchableDatabase(dead_url())
    sink = attached(sinks, database, backoff_s=60.0)
    for _ in range(3):
        with logs.invocation("alert_dispatch"):
            log.info("alert sent")
    # Then only the first invocation paid for a connection attempt
    assert (database.connects, sink.pending) == (1, 3)


def test_rows_the_database_refuses_are_dropped_once_not_retried_forever(world, log, sinks):
    # Given a database without the log_lines table (the server's own "postgres" database)
    admin = make_conninfo(world.settings.database_url, dbname="postgres")
    sink = attached(sinks, connector(admin))
    log.info("nowhere to go")
    sink.flush()
    assert (sink.pending, sink.rejected, sink.written) == (0, 1, 0)


def test_the_background_flusher_writes_without_an_invocation_ending(world, log, sinks):
    sink = attached(sinks, connector(world.settings.database_url), interval_s=0.05).start()
    log.warning("from a thread that never ends an invocation")
    for _ in range(100):  # up to 5 s on a loaded machine; usually one interval
        if sink.written:
            break
        sink._stop.wait(0.05)
    assert [r["message"] for r in stored(world)] == ["from a thread that never ends an invocation"]


def test_bootstrap_installs_the_sink_only_with_a_database(world, log, sinks):
    no_database = world.settings.model_copy(update={"database_url": None})
    assert bootstrap.install_log_sink(no_database) is None
    off = world.settings.model_copy(update={"log_to_database": False})
    assert bootstrap.install_log_sink(off) is None
    sink = bootstrap.install_log_sink(world.settings)
    sinks.append(sink)
    with logs.invocation("result_sync"):
        log.info("installed")
    assert [(r["function"], r["message"]) for r in stored(world)] == [("result_sync", "installed")]


def test_a_lambda_invocation_stores_its_lines_under_its_function_and_request_id(
    world, log, sinks, monkeypatch
):
    # Given a deployed function's handler, built on its first invocation from the environment
    from bitten.handlers.runtime import lazy_handler
    from bitten.local.aws.event_source import LambdaContext
    from bitten.metrics import disable

    def make_handler(deps: object) -> Any:
        return lambda event, context: log.warning("upkeep ran", extra={"mission_id": MISSION})

    monkeypatch.setenv("DATABASE_URL", world.settings.database_url)
    handler = lazy_handler(make_handler, lambda settings: None)
    context = LambdaContext("bitten-prod-trader-upkeep")
    try:
        # When Lambda invokes it
        handler({}, context)
    finally:  # the sink and metrics it installed are the process's: take them back out
        sinks.extend(
            h for h in logging.getLogger("bitten").handlers if isinstance(h, PostgresLogSink)
        )
        disable()
    # Then its line is in Postgres by the end of the invocation, named after the function
    (row,) = stored(world)
    assert (row["function"], row["request_id"], row["mission_id"]) == (
        "bitten-prod-trader-upkeep",
        context.aws_request_id,
        MISSION,
    )
