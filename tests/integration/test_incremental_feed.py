"""The scanner's feed reads only the bars closed since its last read, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import numpy as np
import pytest

from bitten.adapters.broker_feed import BrokerMarketFeed
from bitten.adapters.clock import VirtualClock
from bitten.adapters.forexvps import ForexVpsBroker
from bitten.adapters.market_data import CandleReplayFeed
from bitten.local.paper import PaperBrokerServer
from bitten.strategy.candles import Candles

T0 = datetime(2024, 1, 8, 10, 0, tzinfo=UTC)
FX_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "fx"
TOKEN = "test-token"
COLUMNS = ("time", "open", "high", "low", "close")


def flat(pair: str, price: float, n: int = 30) -> Candles:
    time = int(T0.timestamp()) + 60 * np.arange(n, dtype=np.int64)
    return Candles(pair, time, *(np.full(n, price) for _ in range(4)))


class CountingApi(ForexVpsBroker):
    """The REST client, recording (from, bars received) for every rates call."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reads: list[tuple[int | None, int]] = []

    def rates(self, symbol: str, count: int, after_open: int | None = None) -> Candles:
        bars = super().rates(symbol, count, after_open)
        self.reads.append((after_open, len(bars)))
        return bars


@contextmanager
def terminal(candles: dict[str, Candles], clock: VirtualClock) -> Iterator[CountingApi]:
    with PaperBrokerServer(candles, clock, token=TOKEN) as server:
        with CountingApi(server.base_url, TOKEN) as api:
            yield api


def same(a: Candles, b: Candles) -> bool:
    return len(a) == len(b) and all(np.array_equal(getattr(a, k), getattr(b, k)) for k in COLUMNS)


def raw_rates(api: ForexVpsBroker, **params: object) -> httpx.Response:
    url = f"{api.base_url}/v1/symbols/EURUSD/rates"
    return httpx.get(url, params=params, headers={"Authorization": f"Bearer {TOKEN}"})


def test_rates_from_keeps_the_closed_bars_opened_strictly_after_it() -> None:
    # Given it is 10:05:00: the bars of 10:00 to 10:04 have closed
    t0 = int(T0.timestamp())
    with terminal({"EURUSD": flat("EURUSD", 1.1)}, VirtualClock(T0 + timedelta(minutes=5))) as api:
        # When bars are asked from 10:02, Then 10:03 and 10:04 come back, oldest first
        assert raw_rates(api, count=10, **{"from": t0 + 120}).json()["time"] == [
            t0 + 180,
            t0 + 240,
        ]
        # And count still keeps the newest of them; from the last closed bar, nothing
        assert api.rates("EURUSD", 1, after_open=t0).time.tolist() == [t0 + 240]
        assert len(api.rates("EURUSD", 10, after_open=t0 + 240)) == 0


@pytest.mark.parametrize("value", ["soon", "-60", "1.5"])
def test_rates_from_that_is_not_epoch_seconds_is_a_400(value: str) -> None:
    with terminal({"EURUSD": flat("EURUSD", 1.1)}, VirtualClock(T0)) as api:
        resp = raw_rates(api, count=10, **{"from": value})
    assert resp.status_code == 400 and resp.json()["error"] == "invalid_query"
    assert "from must be epoch seconds" in resp.json()["message"]


def test_incremental_reads_are_the_full_reads_bit_for_bit_and_small() -> None:
    # Given a real EURUSD week replayed by the paper broker, a scan each minute for 30
    # minutes, then one after a gap of 3,200 minutes (longer than the lookback)
    if not FX_DATA.is_dir():
        pytest.skip(f"{FX_DATA} is missing")
    from bitten.adapters.market_data import load_file

    week = load_file("EURUSD", FX_DATA / "EURUSD_M1_2017H1.csv.gz").slice(0, 8000)
    start = datetime.fromtimestamp(int(week.time[3100]), UTC)
    minutes = [start + timedelta(minutes=m) for m in range(30)]
    minutes.append(minutes[-1] + timedelta(minutes=3200))
    clock, memory = VirtualClock(start), CandleReplayFeed({"EURUSD": week})
    with terminal({"EURUSD": week}, clock) as api:
        feed = BrokerMarketFeed(api)
        for now in minutes:
            clock.set(now)
            # When the feed reads the lookback, incrementally after the first minute
            got = feed.recent("EURUSD", now, 3000)
            # Then it equals the bars held in memory, bit for bit
            assert same(got, memory.recent("EURUSD", now, 3000)), now
    # And after the first full read each scan moved at most three bars over HTTP (the
    # one-bar overlap plus what closed), until the gap made the overlap vanish
    first, *scans, (gap_from, gap_bars), (full_from, full_bars) = api.reads
    assert first == (None, 3000)
    assert all(after is not None and 1 <= n <= 3 for after, n in scans)
    assert gap_from is not None and gap_bars == 3000  # newest 3000: the overlap is gone
    assert (full_from, full_bars) == (None, 3000)


def test_a_terminal_whose_history_changed_is_read_in_full_again() -> None:
    # Given the feed holds EURUSD bars from one terminal
    clock = VirtualClock(T0 + timedelta(minutes=20))
    with terminal({"EURUSD": flat("EURUSD", 1.1)}, clock) as first:
        feed = BrokerMarketFeed(first)
        feed.recent("EURUSD", clock.now(), 500)
    # When the terminal restarts with other prices for the same minutes
    clock.advance(timedelta(minutes=1))
    with terminal({"EURUSD": flat("EURUSD", 1.2)}, clock) as restarted:
        feed.api = restarted
        got = feed.recent("EURUSD", clock.now(), 500)
    # Then the overlap bar does not match, and the feed reads the whole lookback again
    assert restarted.reads == [(int(T0.timestamp()) + 60 * 18, 2), (None, 21)]
    assert got.time.tolist() == [int(T0.timestamp()) + 60 * i for i in range(21)]
    assert set(got.close.tolist()) == {1.2}
