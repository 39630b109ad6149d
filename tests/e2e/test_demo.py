"""End to end: a short real-candle replay through every handler, queue and local server."""

from __future__ import annotations

import pytest

from bitten.config import load_settings
from bitten.local.demo.replay import run_demo

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_settings(database_url):
    settings = load_settings(
        database_url=database_url,
        bitten_pairs="USDJPY,EURUSD",
        telegram_bot_token=None,
        forexvps_url=None,
        aws_endpoint_url=None,
        bitten_stage="e2e",
    )
    if settings.market_data_source() is None:
        pytest.skip("needs the M1 development candles in ../shared/data/fx")
    return settings


def test_demo_night_fires_each_mission_exactly_once(demo_settings):
    # Given 8 traders over all four tiers, half of whom tap FIRE twice
    # When three hours of the busiest Asian session replay through the platform
    summary = run_demo(demo_settings, traders=8, hours=3)

    # Then signals became missions and alerts, every fired mission made exactly one order
    assert summary["signals"] > 0
    assert summary["missions"] > 0 and summary["alerts"] == summary["missions"]
    assert summary["fires_requested"] > 0
    assert summary["orders"] == summary["missions_fired"] == summary["fires_requested"]
    assert summary["fills"] == summary["orders"]
    assert summary["duplicates_blocked"] > 0
    # And nothing was lost or failed
    assert summary["lost"] == 0
    assert summary["errors"] == 0
