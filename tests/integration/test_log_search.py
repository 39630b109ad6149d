"""An operator finds one trader's mission and its logs: GET /api/ops/logs, `bitten ops logs`,
and the retention trader_upkeep keeps."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from chalice.test import Client
from test_operator_controls import token

from bitten import bootstrap, logs
from bitten.adapters.postgres.log_sink import PostgresLogSink, connector
from bitten.api.app import create_app
from bitten.cli import main
from bitten.services.logs import log_row_count
from bitten.services.upkeep import run_upkeep
from factories import World, add_mission, add_trader, store_signal

log = logging.getLogger("bitten.test_search")


@pytest.fixture
def sink(world: World) -> Iterator[PostgresLogSink]:
    log.setLevel(logging.DEBUG)
    installed = PostgresLogSink(connector(world.settings.database_url))
    logs.attach(installed)
    yield installed
    bootstrap.remove_log_sink(installed)


@pytest.fixture
def client(world: World) -> Iterator[Client]:
    with Client(create_app(world.api_deps)) as test_client:
        yield test_client


def two_missions_logged(world: World) -> tuple:
    """Two traders' missions, each with lines of its own at two levels, written by the sink."""
    mine, other = add_trader(world), add_trader(world)
    signal = store_signal(world)
    m1, m2 = add_mission(world, mine, signal), add_mission(world, other, signal)
    with logs.invocation("fire_execution", "req-mine"):
        log.info("fire claimed", extra={"mission_id": m1.id, "trader_id": mine.id})
        log.warning("requote, re-sending", extra={"mission_id": m1.id, "attempt": 1})
    with logs.invocation("fire_execution", "req-other"):
        log.info("fire claimed", extra={"mission_id": m2.id, "trader_id": other.id})
    logs.flush_handlers()
    return mine, m1, m2


def test_an_operator_finds_one_missions_logs_newest_first(world, sink, client):
    mine, m1, _ = two_missions_logged(world)
    headers = token(world, add_trader(world), "operator")
    # When the operator searches by the mission
    response = client.http.get(f"/api/ops/logs?mission={m1.id}", headers=headers)
    # Then only that mission's lines come back, newest first, with every field of the contract
    assert response.status_code == 200
    lines = response.json_body["lines"]
    assert [(x["message"], x["request_id"]) for x in lines] == [
        ("requote, re-sending", "req-mine"),
        ("fire claimed", "req-mine"),
    ]
    assert set(lines[0]) == {
        "at", "level", "logger", "function", "request_id", "signal_id", "mission_id",
        "trader_id", "message", "error", "fields",
    }  # fmt: skip
    assert (lines[0]["function"], lines[0]["fields"]) == ("fire_execution", {"attempt": 1})
    assert lines[1]["trader_id"] == str(mine.id)


def test_the_level_filter_means_that_level_and_above(world, sink, client):
    _, m1, _ = two_missions_logged(world)
    headers = token(world, add_trader(world), "operator")
    lines = client.http.get("/api/ops/logs?level=warning&limit=5", headers=headers).json_body
    assert [x["message"] for x in lines["lines"]] == ["requote, re-sending"]


def test_since_and_trader_narrow_the_search(world, sink, client):
    mine, _, _ = two_missions_logged(world)
    headers = token(world, add_trader(world), "operator")
    later = (datetime.now(UTC) + timedelta(minutes=5)).isoformat().replace("+00:00", "Z")
    by_trader = client.http.get(f"/api/ops/logs?trader={mine.id}", headers=headers).json_body
    assert [x["message"] for x in by_trader["lines"]] == ["fire claimed"]
    none_yet = client.http.get(f"/api/ops/logs?since={later}", headers=headers).json_body
    assert none_yet == {"lines": []}


@pytest.mark.parametrize(
    "params,named",
    [
        ("mission=42", "mission_id"),
        ("level=LOUD", "level must be one of"),
        ("since=yesterday", "since must be"),
        ("limit=0", "limit"),
        ("limit=many", "limit"),
    ],
)
def test_bad_search_input_is_400_naming_it(world, client, params, named):
    headers = token(world, add_trader(world), "operator")
    response = client.http.get(f"/api/ops/logs?{params}", headers=headers)
    assert response.status_code == 400
    assert named in response.json_body["error"]


def test_logs_are_for_operators_only(world, client):
    trader = add_trader(world)
    assert client.http.get("/api/ops/logs", headers=token(world, trader)).status_code == 403
    assert client.http.get("/api/ops/logs").status_code == 401


def test_bitten_ops_logs_prints_one_readable_line_per_row(world, sink, monkeypatch, capsys):
    _, m1, _ = two_missions_logged(world)
    monkeypatch.setenv("DATABASE_URL", world.settings.database_url)
    capsys.readouterr()
    assert main(["ops", "logs", "--mission", str(m1.id), "--since", "1h"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2  # oldest first, as a terminal reads
    assert "INFO     fire_execution[req-mine] bitten.test_search: fire claimed" in out[0]
    assert f"mission_id={m1.id}" in out[0] and "attempt=1" in out[1]


@pytest.mark.parametrize(
    "args", [["--mission", "nope"], ["--level", "LOUD"], ["--since", "last week"]]
)
def test_bitten_ops_logs_refuses_bad_input_with_exit_2(world, monkeypatch, capsys, args):
    monkeypatch.setenv("DATABASE_URL", world.settings.database_url)
    assert main(["ops", "logs", *args]) == 2
    assert "bitten ops logs:" in capsys.readouterr().err


def test_upkeep_prunes_lines_older_than_the_retention(world, sink):
    # Given lines logged 15 and 13 days before the platform's now (retention 14 days)
    now = world.clock.now().timestamp()
    for age_days in (15, 13):
        record = log.makeRecord(log.name, logging.INFO, __file__, 1, f"{age_days}d", (), None)
        record.created = now - age_days * 86400
        sink.handle(record)
    sink.flush()
    # When trader_upkeep runs
    report = run_upkeep(world.upkeep_deps())
    # Then the older one is gone and the report says so
    assert report["log_lines_pruned"] == 1
    assert [r["message"] for r in world.rows("SELECT message FROM log_lines")] == ["13d"]


def test_the_retention_is_a_setting(world, sink):
    record = log.makeRecord(log.name, logging.INFO, __file__, 1, "3 days old", (), None)
    record.created = world.clock.now().timestamp() - 3 * 86400
    sink.handle(record)
    sink.flush()
    short = world.settings.model_copy(update={"log_retention_days": 2})
    deps = bootstrap.build_upkeep_deps(short, clock=world.clock, notifier=world.notifier)
    assert run_upkeep(deps)["log_lines_pruned"] == 1


def test_log_row_count_writes_out_what_is_buffered_first(world, sink):
    for i in range(3):
        log.info("line %d", i, extra={"mission_id": uuid.uuid4()})
    assert sink.pending == 3
    assert log_row_count(world.uow) == 3  # no wait for a background flusher (none runs here)
