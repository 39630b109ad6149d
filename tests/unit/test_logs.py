"""The JSON log formatter keeps every `extra` field, JSON-safe, and nothing of logging's own."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bitten.domain.mission import MissionStatus
from bitten.logs import JsonFormatter

MISSION = uuid.UUID("7b0c6a52-8f0e-4c53-9a55-0a1f2e3d4c5b")
TRADER = uuid.UUID("0f1e2d3c-4b5a-4968-8776-655443322110")


@pytest.fixture
def log() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger whose lines land in a buffer through the JsonFormatter."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("bitten.test_logs")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, out
    logger.removeHandler(handler)


def line(out: io.StringIO) -> dict:
    (only,) = out.getvalue().splitlines()
    return json.loads(only)


def test_every_extra_key_is_kept(log):
    logger, out = log
    # When a service logs with ids and a field the formatter has never heard of
    extra = {"mission_id": MISSION, "trader_id": TRADER, "signal_id": MISSION, "pair": "EURUSD"}
    logger.info("fire requested for %s", "EURUSD", extra=extra)
    # Then each one is a field of the line, next to the formatted message
    doc = line(out)
    assert doc["message"] == "fire requested for EURUSD"
    assert (doc["mission_id"], doc["trader_id"], doc["signal_id"]) == (
        str(MISSION),
        str(TRADER),
        str(MISSION),
    )
    assert (doc["pair"], doc["level"], doc["logger"]) == ("EURUSD", "INFO", "bitten.test_logs")


def test_values_json_cannot_hold_become_strings(log):
    logger, out = log
    extra = {
        "lots": Decimal("0.10"),
        "at_bar": datetime(2024, 1, 8, 10, 0, tzinfo=UTC),
        "status": MissionStatus.FIRE_REQUESTED,
        "by_mission": {MISSION: [Decimal("1.5"), None, 3, True]},
        "ratio": float("nan"),
    }
    logger.info("sized", extra=extra)
    doc = line(out)
    assert doc["lots"] == "0.10"  # exact, not a float
    assert doc["at_bar"] == "2024-01-08T10:00:00+00:00"
    assert doc["status"] == "fire_requested"
    assert doc["by_mission"] == {str(MISSION): ["1.5", None, 3, True]}
    assert doc["ratio"] == "nan"


def test_an_exception_is_in_error_with_its_traceback(log):
    logger, out = log
    try:
        raise ValueError("broker answered nonsense")
    except ValueError:
        logger.exception("could not notify trader", extra={"telegram_id": 4242})
    doc = line(out)
    assert doc["telegram_id"] == 4242
    assert doc["error"].startswith("Traceback (most recent call last)")
    assert doc["error"].endswith("ValueError: broker answered nonsense")


def test_logging_own_record_attributes_are_not_fields(log):
    logger, out = log
    logger.warning("plain %s", "line")
    assert set(line(out)) == {"at", "level", "logger", "message"}


def test_an_extra_named_like_a_core_field_does_not_replace_it(log):
    logger, out = log
    logger.info("the real message", extra={"level": "custom", "error": "none"})
    doc = line(out)
    assert (doc["level"], doc["extra_level"]) == ("INFO", "custom")
    assert "error" not in doc and doc["extra_error"] == "none"


@pytest.fixture
def stamped() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A JSON handler on the bitten logger, with the invocation stamp (as configure attaches)."""
    from bitten import logs

    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter())
    logs.attach(handler)
    logger = logging.getLogger("bitten.test_invocation")
    logger.setLevel(logging.DEBUG)
    yield logger, out
    logs.detach(handler)


def test_a_line_inside_an_invocation_names_its_function_and_request(stamped):
    from bitten import logs

    logger, out = stamped
    with logs.invocation("fire_execution", "req-7"):
        logger.info("claimed", extra={"mission_id": MISSION})
    doc = line(out)
    assert (doc["function"], doc["request_id"], doc["mission_id"]) == (
        "fire_execution",
        "req-7",
        str(MISSION),
    )


def test_without_a_request_id_one_is_generated_per_invocation(stamped):
    from bitten import logs

    logger, out = stamped
    for _ in range(2):
        with logs.invocation("signal_scan") as request_id:
            logger.info("scan")
    first, second = (json.loads(x) for x in out.getvalue().splitlines())
    assert first["request_id"] != second["request_id"]
    assert uuid.UUID(request_id) and second["request_id"] == request_id


def test_outside_an_invocation_a_line_names_none(stamped):
    logger, out = stamped
    logger.info("at import")
    assert "function" not in line(out) and "request_id" not in line(out)


def test_an_explicit_function_extra_wins_over_the_invocation(stamped):
    from bitten import logs

    logger, out = stamped
    with logs.invocation("api"):
        logger.info("relayed", extra={"function": "paper_broker"})
    assert line(out)["function"] == "paper_broker"
