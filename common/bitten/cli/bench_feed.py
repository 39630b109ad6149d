"""`bitten bench feed`: one scan's market data read fully over HTTP, incrementally, and
from memory; the last line is the figures as one JSON object."""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from bitten.cli.bench import _data, _median_s, _timed


def _feed_pairs(folder: Path | None, count: int) -> dict:
    """The latest file of the first `count` pairs in the data folder (0 = every pair)."""
    from bitten.adapters.market_data import discover, load_pair

    found = sorted(discover(_data(folder)).items())
    return {p: load_pair(p, [paths[-1]]) for p, paths in found[: count or None]}


def bench_feed(args: argparse.Namespace) -> int:
    """One scan's market data: a full read over HTTP, an incremental one, and from memory."""
    from bitten.strategy.venom import LOOKBACK_BARS

    real = _feed_pairs(args.data, args.pairs)
    scans = max(args.repeat, 20)
    ms = {k: round(1000 * v, 3) for k, v in _feed_seconds(real, args.repeat, scans).items()}
    print(
        f"feed: {len(real)} pairs x {LOOKBACK_BARS} M1 bars per scan, over HTTP from the paper "
        f"broker: full read {ms['full']:.1f} ms (median of {args.repeat}), incremental read of "
        f"the bars closed since the last scan {ms['incremental']:.2f} ms (median of {scans} "
        f"consecutive minutes); from memory {ms['memory']:.2f} ms"
    )
    summary = {"pairs": len(real), "bars": LOOKBACK_BARS, **{f"{k}_ms": v for k, v in ms.items()}}
    print(json.dumps(summary))
    return 0


def _feed_seconds(real: dict, repeat: int, scans: int) -> dict[str, float]:
    """Median seconds per scan of every pair: full HTTP read, incremental read, memory."""
    from datetime import UTC, datetime

    from bitten.adapters.broker_feed import BrokerMarketFeed
    from bitten.adapters.clock import VirtualClock
    from bitten.adapters.forexvps import ForexVpsBroker
    from bitten.adapters.market_data import CandleReplayFeed
    from bitten.local.paper import PaperBrokerServer

    pairs = sorted(real)
    now = datetime.fromtimestamp(min(int(c.time[-1]) for c in real.values()) - 60 * scans, UTC)
    clock, memory = VirtualClock(now), CandleReplayFeed(real)
    with PaperBrokerServer(real, clock, token="bench") as server:
        with ForexVpsBroker(server.base_url, "bench") as api:
            full = _median_s(lambda: _scan_reads(BrokerMarketFeed(api), pairs, now), repeat)
            incremental = _incremental_s(BrokerMarketFeed(api, pairs), pairs, clock, scans)
    in_memory = _median_s(lambda: _scan_reads(memory, pairs, now), scans)
    return {"full": full, "incremental": incremental, "memory": in_memory}


def _incremental_s(feed, pairs: list[str], clock, scans: int) -> float:
    """Median seconds of a scan's reads minute after minute, after a first full read."""
    from datetime import timedelta

    _scan_reads(feed, pairs, clock.now())
    runs = []
    for _ in range(scans):
        now = clock.advance(timedelta(minutes=1))
        runs.append(_timed(lambda at=now: _scan_reads(feed, pairs, at)))
    return statistics.median(runs)


def _scan_reads(feed, pairs: list[str], now) -> list:
    from bitten.strategy.venom import LOOKBACK_BARS

    return [feed.recent(p, now, LOOKBACK_BARS) for p in pairs]
