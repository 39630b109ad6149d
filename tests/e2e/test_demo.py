"""End to end: a short real-candle replay through every handler, queue and local server."""

from __future__ import annotations

import logging

import pytest

from bitten.config import DEMO_CANDLES, load_settings
from bitten.local.demo.replay import run_demo
from bitten.local.demo.summary import failure

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_settings(database_url):
    """The night shipped in the package, so the test runs the same with or without ../shared."""
    return load_settings(
        database_url=database_url,
        bitten_market_data=DEMO_CANDLES,
        telegram_bot_token=None,
        forexvps_url=None,
        aws_endpoint_url=None,
        bitten_stage="e2e",
    )


@pytest.fixture
def info_logs():
    """INFO lines through, as `bitten demo` configures them (put back afterwards)."""
    logger = logging.getLogger("bitten")
    before = logger.level
    logger.setLevel(logging.INFO)
    yield
    logger.setLevel(before)


def test_demo_night_fires_each_mission_exactly_once(demo_settings, database_url, info_logs, capsys):
    # Given 8 traders over all four tiers, half of whom tap FIRE twice
    # When the packaged night replays through the platform (its signals are few: all 8 hours)
    summary = run_demo(demo_settings, traders=8, hours=8)

    # Then signals became missions and alerts, every fired mission made exactly one order
    assert summary["signals"] > 0
    assert summary["missions"] > 0 and summary["alerts"] == summary["missions"]
    assert summary["fires_requested"] > 0
    assert summary["orders"] == summary["missions_fired"] <= summary["fires_requested"]
    assert summary["fills"] == summary["orders"]
    # And each injected fault did something: a lost answer reconciled, FIREs refused while the
    # terminal was offline and while firing was paused, an order re-sized after a withdrawal
    assert min(summary[k] for k in ("reconciled", "refused_offline", "refused_paused")) > 0
    assert summary["resized"] > 0
    assert summary["duplicates_blocked"] > 0
    # And nothing was lost or failed, and every stage down to closed trades happened
    assert summary["lost"] == 0
    assert summary["errors"] == 0
    assert failure(summary) is None, failure(summary)
    # And the game ran beside it (issue 12): a drill report per trader, sent once, XP and
    # achievements earned, a shot the plan refused, and nothing awarded or delivered twice
    assert summary["drill_reports"] == 8
    assert summary["xp_events"] > 0 and summary["achievements"] > 0
    assert summary["plan_refusals"] > 0
    assert summary["recruits_active"] == 1  # the last trader joined with the first's code
    assert summary["double_awards"] == 0
    # And the operators' night is audited (issue 13): the pause, its broadcast, the resume
    assert summary["audited_actions"] >= 3
    assert summary["log_rows"] > 0
    # And it ends with the operator report: the night's flow, every hop's percentiles, drift
    report = capsys.readouterr().out
    assert f"flow: {summary['signals']} signals" in report
    assert "order_sent -> broker_fill: " in report and "no samples" not in report
    # measured on the replay clock, which runs in real time between its minute steps
    assert "fire_requested -> order_sent: 0.000 / 0.000 / 0.000" not in report
    assert "asian_fade: " in report
    # And its log lines are in Postgres (issue 13), each named after the function that wrote
    # it, and one signal's lines can be found by its id
    import psycopg

    with psycopg.connect(database_url) as conn:
        functions = {r[0] for r in conn.execute("SELECT DISTINCT function FROM log_lines")}
        (signal_lines,) = conn.execute(
            "SELECT count(*) FROM log_lines WHERE signal_id = (SELECT id FROM signals LIMIT 1)"
        ).fetchone()
    assert {"signal_scan", "mission_fanout", "api"} <= functions
    assert signal_lines > 0
